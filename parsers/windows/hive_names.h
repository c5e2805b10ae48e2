// Shared by the NTUSER, UsrClass and Amcache parsers. Which hive a registry file is, from its names: they want
// a hive when its file name or the path recorded in its header names their hive, or when neither names any
// hive Windows keeps (a renamed export): their Parse() then checks the keys they need are there. And the
// caveats of a hive they read.
// Thread-safety: pure functions.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/windows/registry_hive.h"
#include "triage/model/records.h"

namespace custos {

// The hive's file name in lower case as its header records it (the tail of the path Windows loaded it
// from, "\\??\\C:\\Users\\jdoe\\ntuser.dat" -> "ntuser.dat"); "" when the header names none.
std::string HeaderHiveName(std::string_view head);

// True for a hive (the "regf" signature) whose file name or header name is one of `names` (lower case),
// or whose names match no hive Windows keeps. Transaction logs (.LOG, .LOG1, .LOG2), which may start with a
// copy of the hive's header, are not hives.
bool WantsHiveNamed(const FileRecord& file, std::string_view head, std::initializer_list<std::string_view> names);

// What an investigator must know about a hive the parser read: dirty (transaction logs not applied),
// shorter than its header says (truncated copy), damage libregf found. Appended to `problems`.
void NoteHiveProblems(const RegistryHive& hive, std::string_view bytes, std::vector<std::string>& problems);

}  // namespace custos
