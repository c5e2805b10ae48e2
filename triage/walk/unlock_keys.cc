// Reading the keys for encrypted volumes (see unlock_keys.h). Error messages name the file, never its content.
#include "triage/walk/unlock_keys.h"

#include <openssl/crypto.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

namespace custos {
namespace {

constexpr size_t kMaxKeyFileBytes = 64 * 1024;  // a key file is small; anything larger is the wrong file

Result<SecretBytes> ReadSecretFile(const std::string& path, const std::string& what) {
  std::string bytes;
  if (path == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::InvalidArgument(what + " " + path + " cannot be read: check the path and its permissions");
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  SecretBytes secret(std::move(bytes));
  OPENSSL_cleanse(bytes.data(), bytes.size());  // moved-from, but a small string may keep its bytes
  if (secret.bytes().empty()) return Status::InvalidArgument(what + " " + path + " is empty");
  if (secret.bytes().size() > kMaxKeyFileBytes) {
    return Status::InvalidArgument(what + " " + path + " is larger than 64 KiB: it is not a key file");
  }
  return secret;
}

}  // namespace

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    OPENSSL_cleanse(bytes_.data(), bytes_.size());
    bytes_ = other.bytes_;
  }
  return *this;
}

SecretBytes::~SecretBytes() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Result<UnlockKey> ReadPassphraseFile(const std::string& path, int number) {
  auto secret = ReadSecretFile(path, "the passphrase file");
  if (!secret.ok()) return secret.status();
  std::string bytes = secret->bytes();
  if (!bytes.empty() && bytes.back() == '\n') bytes.pop_back();
  if (!bytes.empty() && bytes.back() == '\r') bytes.pop_back();
  UnlockKey key;
  key.kind = UnlockKey::Kind::kPassphrase;
  key.secret = SecretBytes(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  if (key.secret.bytes().empty())
    return Status::InvalidArgument("the passphrase file " + path + " holds an empty line");
  key.label =
      "passphrase " + std::to_string(number) + " (--unlock-file " + (path == "-" ? "standard input" : path) + ")";
  return key;
}

Result<UnlockKey> ReadLuksVolumeKeyFile(const std::string& path, int number) {
  auto secret = ReadSecretFile(path, "the volume key file");
  if (!secret.ok()) return secret.status();
  std::string key_bytes;
  int nibble = -1;
  for (char c : secret->bytes()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      OPENSSL_cleanse(key_bytes.data(), key_bytes.size());
      return Status::InvalidArgument("the volume key file " + path +
                                     " holds something other than hexadecimal digits: write the key as "
                                     "`cryptsetup luksDump --dump-volume-key` prints it");
    }
    const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
    if (nibble < 0) {
      nibble = v;
    } else {
      key_bytes.push_back(static_cast<char>(nibble * 16 + v));
      nibble = -1;
    }
  }
  UnlockKey key;
  key.kind = UnlockKey::Kind::kLuksVolumeKey;
  key.secret = SecretBytes(key_bytes);
  const size_t n = key_bytes.size();
  OPENSSL_cleanse(key_bytes.data(), key_bytes.size());
  if (nibble >= 0 || (n != 16 && n != 32 && n != 64)) {
    return Status::InvalidArgument("the volume key file " + path + " does not hold a 128-, 256- or 512-bit key (" +
                                   std::to_string(n * 8) + " bits" + (nibble >= 0 ? " and half a byte" : "") +
                                   " read)");
  }
  key.label =
      "volume key " + std::to_string(number) + " (--luks-key-file " + (path == "-" ? "standard input" : path) + ")";
  return key;
}

Result<std::shared_ptr<const UnlockKeys>> ReadUnlockKeys(const UnlockKeyFiles& files) {
  if (files.empty()) return std::shared_ptr<const UnlockKeys>();
  auto keys = std::make_shared<UnlockKeys>();
  int number = 0;
  for (const auto& path : files.passphrase_files) {
    auto key = ReadPassphraseFile(path, ++number);
    if (!key.ok()) return key.status();
    keys->keys.push_back(std::move(*key));
  }
  for (const auto& path : files.volume_key_files) {
    auto key = ReadLuksVolumeKeyFile(path, ++number);
    if (!key.ok()) return key.status();
    keys->keys.push_back(std::move(*key));
  }
  return std::shared_ptr<const UnlockKeys>(std::move(keys));
}

}  // namespace custos
