// Parser: local user accounts from the SAM hive (Windows\System32\config\SAM): names, RIDs and SIDs,
// and the logon history Windows keeps per account in the binary F and V values of
// SAM\Domains\Account\Users\<RID>, decoded at their documented offsets with the bounds-checked reader.
#include <cstdio>
#include <optional>
#include <string>

#include "parsers/common/byte_reader.h"
#include "parsers/common/field_values.h"
#include "parsers/common/windows_time.h"
#include "parsers/parser.h"
#include "parsers/windows/registry_hive.h"

namespace custos {
namespace {

constexpr char kKind[] = "windows.user_account";
constexpr char kUsersPath[] = "SAM\\Domains\\Account\\Users";
constexpr uint16_t kAcbDisabled = 0x0001;
constexpr uint16_t kAcbLocked = 0x0400;

// The F value (0x50 bytes): FILETIMEs of the last logon (8), the last password change (24), the
// account's expiry (32) and the last failed logon (40); the RID (48), the ACB flags (56), the failed
// logon count (64) and the logon count (66).
struct FixedRecord {
  std::optional<UtcMicros> last_logon, password_set, expires, last_failed;
  std::optional<int64_t> rid, acb, failed_count, logon_count;
};

std::optional<UtcMicros> TimeAt(const ByteReader& r, size_t offset) {
  auto ft = r.U64(offset);
  if (!ft || *ft == 0x7fffffffffffffffULL) return std::nullopt;  // "never" for the expiry
  return FromFiletime(*ft);
}

FixedRecord DecodeF(std::string_view f) {
  const ByteReader r(f);
  FixedRecord out;
  out.last_logon = TimeAt(r, 8);
  out.password_set = TimeAt(r, 24);
  out.expires = TimeAt(r, 32);
  out.last_failed = TimeAt(r, 40);
  if (auto v = r.U32(48)) out.rid = *v;
  if (auto v = r.U16(56)) out.acb = *v;
  if (auto v = r.U16(64)) out.failed_count = *v;
  if (auto v = r.U16(66)) out.logon_count = *v;
  return out;
}

// The V value starts with a table of (offset, length, unknown) triples; offsets count from the end of
// the 0xCC-byte table. Entry 1 (at 0x0C) is the user name, 2 (0x18) the full name, 3 (0x24) the comment.
// The dword at 4 is the account type (0xBC administrator, 0xD4 user, 0xB0 guest).
std::optional<std::string> VString(const ByteReader& r, size_t entry) {
  auto offset = r.U32(entry * 12), length = r.U32(entry * 12 + 4);
  if (!offset || !length) return std::nullopt;
  if (*length == 0) return std::string();
  auto bytes = r.Bytes(0xCC + size_t{*offset}, *length);
  if (!bytes) return std::nullopt;
  return Utf16LeToUtf8(*bytes);
}

std::optional<std::string> AccountType(const ByteReader& r) {
  auto t = r.U32(4);
  if (!t) return std::nullopt;
  switch (*t) {
    case 0xBC:
      return "administrator";
    case 0xD4:
      return "user";
    case 0xB0:
      return "guest";
    default:
      break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "unknown (0x%x)", *t);
  return std::string(buf);
}

// The machine's SID: the last 12 bytes of SAM\Domains\Account's V value are its three sub-authorities.
std::optional<std::string> DomainSid(const RegistryHive& hive) {
  auto account = hive.Key("SAM\\Domains\\Account");
  if (!account) return std::nullopt;
  auto v = account->Data("V");
  if (!v || v->size() < 12) return std::nullopt;
  const ByteReader r(*v);
  const size_t end = v->size();
  return "S-1-5-21-" + std::to_string(*r.U32(end - 12)) + "-" + std::to_string(*r.U32(end - 8)) + "-" +
         std::to_string(*r.U32(end - 4));
}

// Users\Names\<name> holds one value whose *type* is the account's RID; its last written time is set
// when the account is made (and seldom after), the usual proxy for the creation time.
std::optional<RegistryKey> NamesKeyFor(const RegistryKey& users, const std::optional<std::string>& name, int64_t rid) {
  auto names = users.Subkey("Names");
  if (!names) return std::nullopt;
  if (name && !name->empty()) {
    if (auto k = names->Subkey(*name)) return k;
  }
  for (auto& k : names->Subkeys()) {
    auto v = k.Value("");
    if (v && v->type() == static_cast<uint32_t>(rid)) return std::move(k);
  }
  return std::nullopt;
}

// UserPasswordHint and InternetUserName are REG_BINARY holding UTF-16LE text.
std::optional<std::string> Utf16Value(const RegistryKey& key, std::string_view name) {
  auto v = key.Value(name);
  if (!v) return std::nullopt;
  if (auto text = v->Text()) return text;
  const std::string data = v->Data();
  return ByteReader(data).Utf16Z(0, data.size() / 2);
}

std::optional<int64_t> RidFromKeyName(const std::string& name) {
  if (name.size() != 8 || name.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
  return std::stoll(name, nullptr, 16);
}

class SamParser : public Parser {
 public:
  std::string name() const override { return "windows.registry.sam"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {{kKind,
             "a local user account from the SAM hive, with its logon history; the row's time is the last logon "
             "(or the creation proxy when it never logged on)",
             {
                 {"user_name", FieldType::kText, "the account's logon name"},
                 {"rid", FieldType::kInteger, "relative ID: 500 Administrator, 501 Guest, 1000 and up for people"},
                 {"sid", FieldType::kText,
                  "the account's SID (the machine's SID and the RID): matches profile paths "
                  "and event log entries"},
                 {"full_name", FieldType::kText, "full name given to the account"},
                 {"comment", FieldType::kText, "the account's description"},
                 {"account_type", FieldType::kText, "administrator, user or guest, from the V value"},
                 {"internet_user_name", FieldType::kText, "the Microsoft account (e-mail) linked to it (Windows 8 on)"},
                 {"password_hint", FieldType::kText, "the password hint the user typed (Windows 8 on)"},
                 {"created", FieldType::kTime,
                  "last written time of the Users\\Names\\<name> key: the usual proxy for when the account was "
                  "created (Windows seldom writes that key again, but a rename does)"},
                 {"last_logon", FieldType::kTime, "last successful interactive logon"},
                 {"password_set", FieldType::kTime, "when the password was last set or changed"},
                 {"last_failed_logon", FieldType::kTime, "last logon with a wrong password"},
                 {"expires", FieldType::kTime, "when the account expires (NULL: never)"},
                 {"logon_count", FieldType::kInteger, "number of successful logons"},
                 {"failed_count", FieldType::kInteger, "wrong passwords since the last good logon"},
                 {"disabled", FieldType::kInteger, "1 when the account is disabled (ACB flag 0x0001)"},
                 {"locked", FieldType::kInteger, "1 when the account is locked out (ACB flag 0x0400)"},
                 {"acb_flags", FieldType::kInteger, "all account control bits from the F value"},
                 {"key_written", FieldType::kTime, "last written time of the Users\\<RID> key"},
             }}};
  }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return MayBeHiveOfType(HiveType::kSam, file, head);
  }
  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto opened = RegistryHive::Open(input.bytes);
    if (!opened.ok()) return opened.status();
    const RegistryHive& hive = **opened;
    const HiveType type = HiveTypeOf(hive);
    if (type == HiveType::kUnknown) return Status::Corruption("the root key of the hive cannot be read");
    if (type != HiveType::kSam) return Status::Ok();  // another hive under a SAM-like name: nothing for us
    NoteHiveProblems(hive, input.bytes, out.problems);
    auto users = hive.Key(kUsersPath);
    if (!users) return Status::Corruption("SAM\\Domains\\Account\\Users cannot be read");
    const auto domain_sid = DomainSid(hive);
    if (!domain_sid) out.problems.push_back("SAM\\Domains\\Account\\V is missing: account SIDs unknown");

    for (const RegistryKey& user : users->Subkeys()) {
      const std::string key_name = user.name();
      const auto rid = RidFromKeyName(key_name);
      if (!rid) continue;  // "Names"
      const std::string location = std::string(kUsersPath) + "\\" + key_name;
      const auto f = user.Data("F");
      const auto v = user.Data("V");
      if (!f || f->size() < 0x44) out.problems.push_back(location + ": the F value is missing or short");
      if (!v || v->size() < 0xCC) out.problems.push_back(location + ": the V value is missing or short");
      const FixedRecord fixed = DecodeF(f.value_or(""));
      const std::string v_bytes = v.value_or("");
      const ByteReader vr(v_bytes);
      const auto user_name = VString(vr, 1);
      auto names_key = NamesKeyFor(*users, user_name, *rid);
      const auto created = names_key ? names_key->last_written() : std::nullopt;
      const std::string shown_name = user_name ? *user_name : (names_key ? names_key->name() : key_name);
      std::optional<std::string> sid;
      if (domain_sid) sid = *domain_sid + "-" + std::to_string(*rid);
      std::optional<int64_t> disabled, locked;
      if (fixed.acb) {
        disabled = (*fixed.acb & kAcbDisabled) ? 1 : 0;
        locked = (*fixed.acb & kAcbLocked) ? 1 : 0;
      }

      ArtefactRow row;
      row.kind = kKind;
      row.location = location;
      row.time = fixed.last_logon ? fixed.last_logon : created;
      auto& vals = row.values;
      vals.push_back(shown_name);
      vals.push_back(*rid);
      vals.push_back(TextOrNull(sid));
      vals.push_back(TextOrNull(VString(vr, 2)));
      vals.push_back(TextOrNull(VString(vr, 3)));
      vals.push_back(TextOrNull(AccountType(vr)));
      vals.push_back(TextOrNull(Utf16Value(user, "InternetUserName")));
      vals.push_back(TextOrNull(Utf16Value(user, "UserPasswordHint")));
      vals.push_back(IntOrNull(created));
      vals.push_back(IntOrNull(fixed.last_logon));
      vals.push_back(IntOrNull(fixed.password_set));
      vals.push_back(IntOrNull(fixed.last_failed));
      vals.push_back(IntOrNull(fixed.expires));
      vals.push_back(IntOrNull(fixed.logon_count));
      vals.push_back(IntOrNull(fixed.failed_count));
      vals.push_back(IntOrNull(disabled));
      vals.push_back(IntOrNull(locked));
      vals.push_back(IntOrNull(fixed.acb));
      vals.push_back(IntOrNull(user.last_written()));

      row.summary = "user account " + shown_name + " (RID " + std::to_string(*rid) + ")";
      if (fixed.logon_count) row.summary += ", " + std::to_string(*fixed.logon_count) + " logons";
      if (!fixed.last_logon) row.summary += ", never logged on";
      if (disabled.value_or(0) == 1) row.summary += ", disabled";
      out.rows.push_back(std::move(row));
    }
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(SamParser);

}  // namespace custos
