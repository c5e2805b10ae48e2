// The --unlock-file and --luks-key-file options, with one meaning and one help text wherever they are taken:
// `custos triage` unlocks encrypted volumes with them, `custos-viewer` reads the files inside those volumes
// back with them. Only the files' paths are held here; ReadUnlockKeys (triage/walk/unlock_keys.h) reads them.
#pragma once

#include <CLI/CLI.hpp>

#include "triage/walk/unlock_keys.h"

namespace custos::cli {

inline void AddUnlockOptions(CLI::App* cmd, UnlockKeyFiles* files) {
  cmd->add_option("--unlock-file", files->passphrase_files,
                  "File holding the passphrase of an encrypted (LUKS1) volume; '-' reads standard input. Repeat "
                  "for several volumes or guesses: each locked volume tries every key. The passphrase is never "
                  "recorded, only the file's name")
      ->allow_extra_args(false);
  cmd->add_option("--luks-key-file", files->volume_key_files,
                  "File holding a LUKS volume key in hexadecimal (as `cryptsetup luksDump --dump-volume-key` "
                  "prints it); needed for LUKS1 volumes with a 512-bit key, which libluksde cannot unlock from a "
                  "passphrase. Repeatable")
      ->allow_extra_args(false);
}

}  // namespace custos::cli
