// Parser: the accounts an iPhone or Mac is signed in to (Accounts3.sqlite / Accounts4.sqlite, a Core Data
// store in /private/var/mobile/Library/Accounts or ~/Library/Accounts): Apple ID and iCloud, mail,
// calendars, Game Center, and the accounts apps register. Each ZACCOUNT row becomes a device.account with
// its type from ZACCOUNTTYPE and the account it belongs to (an iCloud account's CalDAV, CardDAV...).
// ZDATE is Mac absolute time (seconds since 2001-01-01 UTC). Credentials are not in this database.
#include <optional>

#include "parsers/browser/browser_kinds.h"
#include "parsers/common/sqlite_image.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/parser.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

constexpr const char* kDeviceAccount = "device.account";

KindDecl DeviceAccountKind() {
  return {kDeviceAccount,
          "an online account the device was signed in to (Apple ID, iCloud, Gmail, Exchange, Game Center...)",
          {
              {"account_type", FieldType::kText, "the kind of account as the system names it: iCloud, Gmail, IMAP"},
              {"type_id", FieldType::kText, "the type's identifier (com.apple.account.Google)"},
              {"username", FieldType::kText, "the user name or e-mail address it signs in with"},
              {"description", FieldType::kText, "the name the user or the system gave it"},
              {"created", FieldType::kTime, "when it was added to the device"},
              {"active", FieldType::kInteger, "1 when it is enabled"},
              {"authenticated", FieldType::kInteger, "1 when it was signed in successfully"},
              {"owning_app", FieldType::kText, "the app or service that added it (bundle id)"},
              {"parent_account", FieldType::kText, "the account it belongs to (type and user name)"},
              {"identifier", FieldType::kText, "the account's identifier (a UUID)"},
          }};
}

class IosAccountsParser : public Parser {
 public:
  std::string name() const override { return "mobile.ios.accounts"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {DeviceAccountKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    const std::string name = mobile::LowerAscii(file.name);
    return LooksLikeSqlite(head) && name.starts_with("accounts") && name.ends_with(".sqlite");
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& img = **image;
    if (!img.HasColumn("ZACCOUNT", "ZACCOUNTTYPE") || !img.HasColumn("ZACCOUNT", "ZUSERNAME"))
      return Status::Corruption("no ZACCOUNT table with ZACCOUNTTYPE and ZUSERNAME: not an Accounts database");
    const bool types =
        img.HasColumn("ZACCOUNTTYPE", "ZACCOUNTTYPEDESCRIPTION") && img.HasColumn("ZACCOUNTTYPE", "ZIDENTIFIER");
    const auto a = [&](const char* column, const char* alias = "a") {
      return ColumnOrNull(img, "ZACCOUNT", column, std::string(alias) + "." + column);
    };
    const std::string type_of = types ? "substr(t.ZACCOUNTTYPEDESCRIPTION, 1, 256)" : "NULL";
    const std::string parent =
        img.HasColumn("ZACCOUNT", "ZPARENTACCOUNT")
            ? "(SELECT substr(trim(coalesce(" +
                  std::string(types ? "(SELECT pt.ZACCOUNTTYPEDESCRIPTION FROM ZACCOUNTTYPE pt WHERE pt.Z_PK = "
                                      "p.ZACCOUNTTYPE), "
                                    : "") +
                  "'') || ' ' || coalesce(p.ZUSERNAME, p.ZACCOUNTDESCRIPTION, '')), 1, 1024) FROM ZACCOUNT p "
                  "WHERE p.Z_PK = a.ZPARENTACCOUNT)"
            : "NULL";
    sql::Statement st(img.db(),
                      "SELECT a.Z_PK, " + type_of + ", " + (types ? "substr(t.ZIDENTIFIER, 1, 256)" : "NULL") +
                          ", substr(a.ZUSERNAME, 1, 1024), substr(" + a("ZACCOUNTDESCRIPTION") + ", 1, 1024), " +
                          a("ZDATE") + ", " + a("ZACTIVE") + ", " + a("ZAUTHENTICATED") + ", substr(" +
                          a("ZOWNINGBUNDLEID") + ", 1, 256), " + parent + ", substr(" + a("ZIDENTIFIER") +
                          ", 1, 256) FROM ZACCOUNT a " +
                          (types ? "LEFT JOIN ZACCOUNTTYPE t ON t.Z_PK = a.ZACCOUNTTYPE " : "") + "ORDER BY a.Z_PK");
    if (!st.ok()) return Status::Corruption("accounts not read: " + st.prepare_error().message());
    Status status;
    while (st.Step(&status)) {
      ArtefactRow row;
      row.kind = kDeviceAccount;
      row.time = st.IsNull(5) ? std::nullopt : browser::FromMacAbsoluteSeconds(st.Real(5));
      row.location = "ZACCOUNT Z_PK " + std::to_string(st.Int(0));
      const auto type = OptText(st, 1);
      const auto user = OptText(st, 3);
      const auto description = OptText(st, 4);
      auto parent_text = OptText(st, 9);
      if (parent_text && parent_text->empty()) parent_text.reset();
      row.summary = "account " + type.value_or("?");
      if (user && !user->empty()) row.summary += " " + *user;
      if (description && !description->empty() && description != user) row.summary += " (" + *description + ")";
      row.values = {mobile::NonEmptyText(type),
                    mobile::NonEmptyText(OptText(st, 2)),
                    mobile::NonEmptyText(user),
                    mobile::NonEmptyText(description),
                    IntOrNull(row.time),
                    IntOrNull(st.OptInt(6)),
                    IntOrNull(st.OptInt(7)),
                    mobile::NonEmptyText(OptText(st, 8)),
                    mobile::NonEmptyText(parent_text),
                    mobile::NonEmptyText(OptText(st, 10))};
      out.rows.push_back(std::move(row));
    }
    if (!status.ok()) out.problems.push_back("ZACCOUNT could not be read to the end: " + status.message());
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(IosAccountsParser);

}  // namespace custos
