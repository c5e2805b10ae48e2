// Triage priority: what matters for a charging decision is read first. Custody time is the constraint,
// so registry hives, browser, chat and mail databases and user pictures come before user documents,
// then the rest, then operating-system files.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "triage/model/records.h"

namespace custos {

enum TriagePriority : int {
  kPriorityKeyArtefact = 0,   // registry hives, browser/chat/mail databases, event logs, phone databases
  kPriorityUserPicture = 1,   // pictures and videos in user areas
  kPriorityUserDocument = 2,  // other files in user areas (documents, downloads, desktop)
  kPriorityOther = 3,         // everything else
  kPrioritySystem = 4,        // operating-system and program files, file-system metadata
};

// The class of a file from its path and name (case-insensitive).
int PriorityOf(const FileRecord& file);
const char* PriorityName(int priority);

}  // namespace custos
