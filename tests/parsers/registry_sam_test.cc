// windows.registry.sam on the two corpus SAM hives. The accounts, RIDs, SIDs and times were read with
// RegRipper's samparse plugin (which the tests also run) and the F values' bytes dumped with regfexport;
// sub-second digits come from decoding those FILETIME bytes (see FiletimeText).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/parsers/registry_test_support.h"

namespace custos::testing {
namespace {

constexpr char kKind[] = "windows.user_account";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(SamParser, AccountsOfTheRegipySam) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/SAM.xz");
  TempDir dir;
  const std::string sam = Unxz(xz, dir.path().string());
  const Parsed p = ParseFile("windows.registry.sam", sam, "/Windows/System32/config/SAM");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows(kKind).size(), 3u);

  // samparse: Administrator [500], SID S-1-5-21-1760460187-1592185332-161725925-500, created (Names key)
  // Wed Sep 24 03:36:06 2014, last login Sat Nov 20 21:48:12 2010, pwd reset Sat Nov 20 21:56:34 2010,
  // login count 6, disabled.
  const ArtefactRow* admin = p.Find(kKind, "user_name", "Administrator");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(p.Int(*admin, "rid"), 500);
  EXPECT_EQ(p.Text(*admin, "sid"), "S-1-5-21-1760460187-1592185332-161725925-500");
  EXPECT_EQ(p.Text(*admin, "comment"), "Built-in account for administering the computer/domain");
  EXPECT_EQ(p.Text(*admin, "account_type"), "administrator");
  EXPECT_EQ(p.Int(*admin, "logon_count"), 6);
  EXPECT_EQ(p.Int(*admin, "failed_count"), 0);
  EXPECT_EQ(p.Int(*admin, "disabled"), 1);
  EXPECT_EQ(p.Int(*admin, "acb_flags"), 0x211);        // F bytes 56-57: 11 02
  EXPECT_TRUE(p.IsNull(*admin, "last_failed_logon"));  // samparse: Pwd Fail Date Never
  EXPECT_EQ(admin->location, "SAM\\Domains\\Account\\Users\\000001F4");
  // The F value's bytes 8 and 24 (regfexport): 18 d2 12 a1 fc 88 cb 01 and 46 8f 64 cc fd 88 cb 01.
  EXPECT_EQ(UtcText(p.Int(*admin, "last_logon")), "2010-11-20 21:48:12.569244");
  EXPECT_EQ(UtcText(p.Int(*admin, "password_set")), "2010-11-20 21:56:34.743687");
  EXPECT_EQ(UtcText(admin->time), "2010-11-20 21:48:12.569244");
  const ExportedValue f = Regfexport(sam, "SAM\\Domains\\Account\\Users\\000001F4", "F");
  ASSERT_TRUE(f.found);
  EXPECT_EQ(UtcText(p.Int(*admin, "last_logon")), FiletimeText(f.bytes, 8));
  EXPECT_EQ(UtcText(p.Int(*admin, "password_set")), FiletimeText(f.bytes, 24));

  const ArtefactRow* guest = p.Find(kKind, "user_name", "Guest");
  ASSERT_NE(guest, nullptr);
  EXPECT_EQ(p.Int(*guest, "rid"), 501);
  EXPECT_EQ(p.Int(*guest, "logon_count"), 0);
  EXPECT_TRUE(p.IsNull(*guest, "last_logon"));
  EXPECT_EQ(p.Text(*guest, "account_type"), "guest");

  const ArtefactRow* preston = p.Find(kKind, "user_name", "Preston");
  ASSERT_NE(preston, nullptr);
  EXPECT_EQ(p.Int(*preston, "rid"), 1000);
  EXPECT_EQ(p.Int(*preston, "logon_count"), 4);
  EXPECT_EQ(p.Int(*preston, "disabled"), 0);
  EXPECT_EQ(p.Text(*preston, "sid"), "S-1-5-21-1760460187-1592185332-161725925-1000");

  // The same facts straight from samparse, to the second, for every account.
  const std::string rip = RegRipper(sam, "samparse");
  ASSERT_NE(rip.find("Username        : Preston [1000]"), std::string::npos) << rip;
  for (const ArtefactRow* r : p.Rows(kKind)) {
    const std::string name = p.Text(*r, "user_name");
    const size_t at = rip.find("Username        : " + name + " [" + std::to_string(*p.Int(*r, "rid")) + "]");
    ASSERT_NE(at, std::string::npos) << name;
    const std::string block = rip.substr(at, rip.find("\n\n", at) - at);
    EXPECT_NE(block.find("SID             : " + p.Text(*r, "sid")), std::string::npos) << block;
    EXPECT_NE(block.find("Account Created : " + CtimeText(p.Int(*r, "created")) + " Z"), std::string::npos) << block;
    const std::string logon = p.IsNull(*r, "last_logon") ? "Never" : CtimeText(p.Int(*r, "last_logon")) + " Z";
    EXPECT_NE(block.find("Last Login Date : " + logon), std::string::npos) << block;
    const std::string pwd = p.IsNull(*r, "password_set") ? "Never" : CtimeText(p.Int(*r, "password_set")) + " Z";
    EXPECT_NE(block.find("Pwd Reset Date  : " + pwd), std::string::npos) << block;
    EXPECT_NE(block.find("Login Count     : " + std::to_string(*p.Int(*r, "logon_count"))), std::string::npos);
    EXPECT_EQ(block.find("Account Disabled") != std::string::npos, p.Int(*r, "disabled") == 1) << block;
  }
}

TEST(SamParser, PlasoSamWithAPasswordHintValue) {
  CUSTOS_REQUIRE_CORPUS(sam, "artefacts/windows/regf/SAM");
  const Parsed p = ParseFile("windows.registry.sam", sam, "/Windows/System32/config/SAM");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows(kKind).size(), 3u);
  // samparse: gold_administrator [1001], S-1-5-21-4070822719-3404542230-2541167049-1001, last login
  // Tue Oct 11 19:52:35 2016, login count 4; created Mon Nov 23 02:59:18 2015.
  const ArtefactRow* gold = p.Find(kKind, "user_name", "gold_administrator");
  ASSERT_NE(gold, nullptr);
  EXPECT_EQ(p.Int(*gold, "rid"), 1001);
  EXPECT_EQ(p.Text(*gold, "sid"), "S-1-5-21-4070822719-3404542230-2541167049-1001");
  EXPECT_EQ(p.Int(*gold, "logon_count"), 4);
  EXPECT_EQ(CtimeText(p.Int(*gold, "last_logon")), "Tue Oct 11 19:52:35 2016");
  EXPECT_EQ(CtimeText(p.Int(*gold, "created")), "Mon Nov 23 02:59:18 2015");
  // UserPasswordHint is REG_BINARY 00 00 (regfexport): an empty hint, not a missing one.
  EXPECT_FALSE(p.IsNull(*gold, "password_hint"));
  EXPECT_EQ(p.Text(*gold, "password_hint"), "");
  const ExportedValue f = Regfexport(sam, "SAM\\Domains\\Account\\Users\\000003E9", "F");
  ASSERT_TRUE(f.found);
  EXPECT_EQ(UtcText(p.Int(*gold, "last_logon")), FiletimeText(f.bytes, 8));
}

TEST(SamParser, FindsARenamedCopyByItsKeysAndIgnoresOtherHives) {
  CUSTOS_REQUIRE_CORPUS(sam, "artefacts/windows/regf/SAM");
  CUSTOS_REQUIRE_CORPUS(ntuser, "artefacts/windows/regf/NTUSER.DAT");
  const std::string bytes = ReadAll(sam);
  // A SAM copied to a stick under another name: the header still names it, and its keys say SAM.
  const Parsed renamed = ParseBytes("windows.registry.sam", bytes, "/E:/backup.dat");
  EXPECT_TRUE(renamed.wanted);
  EXPECT_EQ(renamed.Rows(kKind).size(), 3u);
  // Even with the header's name wiped, the keys decide (the hint is then unknown, so it is wanted).
  std::string nameless = bytes;
  std::fill(nameless.begin() + 48, nameless.begin() + 112, '\0');
  const Parsed blank = ParseBytes("windows.registry.sam", nameless, "/E:/backup.dat");
  EXPECT_TRUE(blank.wanted);
  EXPECT_EQ(blank.Rows(kKind).size(), 3u);
  // An NTUSER.DAT is not wanted, and parsed anyway it yields nothing and no error.
  const Parsed user = ParseFile("windows.registry.sam", ntuser, "/Users/x/NTUSER.DAT");
  EXPECT_FALSE(user.wanted);
  EXPECT_TRUE(user.status.ok());
  EXPECT_TRUE(user.out.rows.empty());
}

TEST(SamParser, TruncatedAndRandomInput) {
  CUSTOS_REQUIRE_CORPUS(sam, "artefacts/windows/regf/SAM");
  const std::string bytes = ReadAll(sam);
  ASSERT_GT(bytes.size(), 65536u);
  for (size_t cut : {size_t{100}, size_t{4096}, size_t{8192}, size_t{65536}, bytes.size() / 2}) {
    const Parsed p = ParseBytes("windows.registry.sam", bytes.substr(0, cut), "/SAM");
    // Never more accounts than there are; a cut hive either fails or keeps what it could read.
    EXPECT_LE(p.Rows(kKind).size(), 3u) << cut;
    if (cut <= 4096) {
      EXPECT_FALSE(p.status.ok()) << cut;
    }
  }
  std::string noise(70000, '\0');
  uint32_t x = 12345;
  for (char& c : noise) c = static_cast<char>((x = x * 1103515245 + 12345) >> 16);
  const Parsed random = ParseBytes("windows.registry.sam", noise, "/SAM");
  EXPECT_FALSE(random.wanted);
  EXPECT_FALSE(random.status.ok());
  EXPECT_TRUE(random.out.rows.empty());
  // Random bytes behind a valid header: libregf refuses or finds nothing, and nothing crashes.
  const Parsed behind = ParseBytes("windows.registry.sam", bytes.substr(0, 4096) + noise, "/SAM");
  EXPECT_TRUE(behind.wanted);
  EXPECT_TRUE(behind.out.rows.empty());
  EXPECT_FALSE(behind.status.ok());
}

}  // namespace
}  // namespace custos::testing
