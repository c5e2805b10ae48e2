// The keys an officer supplies to unlock encrypted volumes (`custos triage --unlock-file`, `--luks-key-file`).
// A secret lives only in memory: it is read from a file (or standard input), never taken from the command
// line (which the run table and the audit record, and which `ps` shows), and it is never written to the
// case file, the run parameters, the progress output or an error message. Only its label ("passphrase
// file 1 (keys/jd1.txt)") is ever shown. The bytes are wiped when the key is destroyed.
// Thread-safety: immutable once read; share a const UnlockKeys between threads freely.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "triage/base/status.h"

namespace custos {

// Bytes that are wiped (OPENSSL_cleanse) when destroyed or overwritten.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes& other) : bytes_(other.bytes_) {}
  SecretBytes& operator=(const SecretBytes& other);
  ~SecretBytes();
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

struct UnlockKey {
  enum class Kind {
    kPassphrase,     // a passphrase or password, as typed by the user
    kLuksVolumeKey,  // a LUKS volume (master) key, as `cryptsetup luksDump --dump-volume-key` prints it
  };
  Kind kind = Kind::kPassphrase;
  SecretBytes secret;
  std::string label;  // what messages show: the option and the file, never the secret
};

struct UnlockKeys {
  std::vector<UnlockKey> keys;
  bool empty() const { return keys.empty(); }
};

// Reads a passphrase file: its bytes as they are, except that one final line break ("\n" or "\r\n") is
// dropped (`echo secret > file` adds one; cryptsetup's own --key-file would keep it, so a passphrase that
// really ends in a line break needs `printf`). "-" reads standard input. `number` is the key's position
// among those supplied (1-based), for its label.
Result<UnlockKey> ReadPassphraseFile(const std::string& path, int number);

// Reads a LUKS volume key file: hexadecimal digits (spaces, tabs, line breaks and colons ignored, so the
// "MK dump" of `cryptsetup luksDump --dump-volume-key` can be pasted as it is) of a 128-, 256- or 512-bit key.
Result<UnlockKey> ReadLuksVolumeKeyFile(const std::string& path, int number);

// The key files named on a command line (`custos triage` and `custos-viewer` take the same options; see
// triage/cli/unlock_options.h): paths only, the secrets stay in the files.
struct UnlockKeyFiles {
  std::vector<std::string> passphrase_files;  // --unlock-file
  std::vector<std::string> volume_key_files;  // --luks-key-file
  bool empty() const { return passphrase_files.empty() && volume_key_files.empty(); }
};

// Reads every file named (the passphrases first, numbered in that order for their labels); nullptr when none
// is named. The first file that cannot be read, or holds no key, is the error (naming the file).
Result<std::shared_ptr<const UnlockKeys>> ReadUnlockKeys(const UnlockKeyFiles& files);

}  // namespace custos
