// custos-viewer end to end: a case made by the real `custos triage` from an ext2 volume holding corpus
// artefacts and pictures (tests/fixtures/make-viewer-evidence.sh), every view rendered headless under
// xvfb-run and read back with libpng, the bad-case messages, and a script of keys that grades a picture,
// tags an artefact found through a filter and tags the picture, checked in the case file with the sqlite3
// shell (an independent reader). Skips when xvfb-run or the corpus is absent.
#include <gtest/gtest.h>
#include <png.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gui/preview.h"
#include "tests/e2e/e2e_support.h"
#include "tests/support/test_support.h"
#include "triage/readback/stored_file_reader.h"
#include "triage/store/case_store.h"

namespace custos::testing {
namespace {

struct Png {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;
};

// Reads a PNG with libpng's simplified API (independent of the viewer's writer).
bool ReadPng(const std::string& path, Png* out) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) return false;
  image.format = PNG_FORMAT_RGBA;
  out->width = static_cast<int>(image.width);
  out->height = static_cast<int>(image.height);
  out->rgba.resize(PNG_IMAGE_SIZE(image));
  return png_image_finish_read(&image, nullptr, out->rgba.data(), 0, nullptr) != 0;
}

// Distinct colours and the luminance variance: a blank or single-colour frame has 1 colour and variance 0.
void Measure(const Png& png, size_t* colours, double* variance) {
  std::set<uint32_t> seen;
  double sum = 0, sum2 = 0;
  const size_t n = png.rgba.size() / 4;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = &png.rgba[i * 4];
    seen.insert(static_cast<uint32_t>(p[0]) << 16 | static_cast<uint32_t>(p[1]) << 8 | p[2]);
    const double y = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    sum += y;
    sum2 += y * y;
  }
  *colours = seen.size();
  const double mean = sum / static_cast<double>(n);
  *variance = sum2 / static_cast<double>(n) - mean * mean;
}

bool HaveXvfb() { return Shell("command -v xvfb-run >/dev/null 2>&1").exit_code == 0; }

struct ViewerRun {
  int exit_code = -1;
  std::string err;
};

ViewerRun Viewer(const std::string& args) {
  TempDir scratch;
  const std::string err_path = scratch.File("stderr.txt");
  // -a picks a free display; the window is 1280x800 by default.
  CommandResult r = Shell("xvfb-run -a -s '-screen 0 1400x900x24' " + std::string(CUSTOS_VIEWER_EXE) + " " + args +
                          " 2>" + ShellQuote(err_path));
  ViewerRun out;
  out.exit_code = r.exit_code;
  std::ifstream in(err_path);
  out.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return out;
}

class ViewerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveXvfb() || CorpusDir().empty()) return;
    dir_ = new TempDir();
    const std::string image = dir_->File("viewer.img");
    const std::string script = std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-viewer-evidence.sh";
    if (Shell(script + " " + ShellQuote(CorpusDir().string()) + " " + ShellQuote(image)).exit_code != 0) return;
    case_path_ = dir_->File("viewer.custos");
    CustosRun run =
        Custos("triage --quiet --case " + ShellQuote(case_path_) +
               " --exhibit VW/1 --officer 'DC 1 Test' --custody-start 2026-11-22T08:30:00Z " + ShellQuote(image));
    if (run.exit_code != 0) {
      std::fprintf(stderr, "custos triage failed (%d): %s\n", run.exit_code, run.err.c_str());
      case_path_.clear();
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!HaveXvfb()) GTEST_SKIP() << "xvfb-run is absent: install xvfb and xauth to render the viewer headless";
    if (CorpusDir().empty()) GTEST_SKIP() << "corpus absent: ../shared/corpus";
    ASSERT_FALSE(case_path_.empty()) << "the test case could not be made (see the log above)";
  }
  static TempDir* dir_;
  static std::string case_path_;
};
TempDir* ViewerTest::dir_ = nullptr;
std::string ViewerTest::case_path_;

TEST_F(ViewerTest, EveryViewRendersToANonBlankPng) {
  TempDir out;
  for (const char* view : {"dashboard", "artefacts", "files", "gallery", "timeline", "hits", "tags", "exams"}) {
    SCOPED_TRACE(view);
    const std::string png_path = out.File(std::string(view) + ".png");
    ViewerRun r = Viewer(ShellQuote(case_path_) + " --view " + view + " --screenshot " + ShellQuote(png_path));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Png png;
    ASSERT_TRUE(ReadPng(png_path, &png));
    EXPECT_EQ(png.width, 1280);
    EXPECT_EQ(png.height, 800);
    size_t colours = 0;
    double variance = 0;
    Measure(png, &colours, &variance);
    // Text in anti-aliased DejaVu alone gives dozens of shades; a blank frame gives one.
    EXPECT_GT(colours, 20u);
    EXPECT_GT(variance, 20.0);
  }
}

TEST_F(ViewerTest, GalleryShowsThePicturesDecodedFromTheEvidence) {
  // The fixture's pictures are saturated colour fields; the rest of the viewer is greys and one blue. Many
  // distinct saturated colours can only come from the decoded thumbnails.
  TempDir out;
  const std::string png_path = out.File("gallery.png");
  ViewerRun r = Viewer(ShellQuote(case_path_) + " --view gallery --screenshot " + ShellQuote(png_path));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Png png;
  ASSERT_TRUE(ReadPng(png_path, &png));
  std::set<uint32_t> saturated;
  for (size_t i = 0; i + 3 < png.rgba.size(); i += 4) {
    const int rr = png.rgba[i], g = png.rgba[i + 1], b = png.rgba[i + 2];
    if (std::max({rr, g, b}) - std::min({rr, g, b}) > 120) saturated.insert(rr << 16 | g << 8 | b);
  }
  EXPECT_GT(saturated.size(), 500u);
}

TEST_F(ViewerTest, MissingForeignAndNewerCasesSayWhyAndExitTwo) {
  TempDir out;
  ViewerRun missing = Viewer(ShellQuote(out.File("nope.custos")) + " --screenshot " + ShellQuote(out.File("m.png")));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no such case file"), std::string::npos) << missing.err;
  Png png;
  ASSERT_TRUE(ReadPng(out.File("m.png"), &png)) << "the message window is rendered too";
  size_t colours = 0;
  double variance = 0;
  Measure(png, &colours, &variance);
  EXPECT_GT(colours, 10u);

  std::ofstream(out.File("notes.custos")) << "not a database\n";
  ViewerRun foreign = Viewer(ShellQuote(out.File("notes.custos")) + " --screenshot " + ShellQuote(out.File("f.png")));
  EXPECT_EQ(foreign.exit_code, 2);
  EXPECT_NE(foreign.err.find("not a Custos case file"), std::string::npos) << foreign.err;

  // A case from a newer Custos: the same file with a higher schema version, set by the sqlite3 shell.
  const std::string newer = out.File("newer.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path_) + " \".backup " + newer + "\"").exit_code, 0);
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(newer) + " 'PRAGMA user_version=99'").exit_code, 0);
  ViewerRun n = Viewer(ShellQuote(newer) + " --screenshot " + ShellQuote(out.File("n.png")));
  EXPECT_EQ(n.exit_code, 2);
  EXPECT_NE(n.err.find("newer Custos"), std::string::npos) << n.err;
  EXPECT_EQ(SqlOne(newer, "PRAGMA user_version"), "99") << "the viewer changed nothing";

  // A case another program holds locked (Python's sqlite3 in exclusive locking mode, in a write transaction).
  const std::string locked = out.File("locked.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path_) + " \".backup " + locked + "\"").exit_code, 0);
  const std::string holder =
      "python3 -c \"import sqlite3, time; c = sqlite3.connect('" + locked +
      "', isolation_level=None); c.execute('PRAGMA locking_mode=EXCLUSIVE');"
      " c.execute('BEGIN EXCLUSIVE'); c.execute('DELETE FROM error'); time.sleep(20)\" & hp=$!; ";
  TempDir scratch;
  CommandResult r = Shell(holder + "sleep 1; xvfb-run -a " + std::string(CUSTOS_VIEWER_EXE) + " " + ShellQuote(locked) +
                          " --screenshot " + ShellQuote(out.File("l.png")) + " 2>" +
                          ShellQuote(scratch.File("err.txt")) + "; rc=$?; kill $hp 2>/dev/null; wait; exit $rc");
  EXPECT_EQ(r.exit_code, 2);
  std::ifstream err_in(scratch.File("err.txt"));
  const std::string err((std::istreambuf_iterator<char>(err_in)), std::istreambuf_iterator<char>());
  EXPECT_NE(err.find("another program holds the case file locked"), std::string::npos) << err;
}

TEST_F(ViewerTest, KeysGradeAPictureAndTagAFilteredArtefactAndThePicture) {
  // Work on a copy so the other tests see the case as triage left it.
  TempDir out;
  const std::string work = out.File("review.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path_) + " \".backup " + work + "\"").exit_code, 0);
  const std::string script = out.File("keys.txt");
  std::ofstream(script) << "# artefacts view, browser.download: filter to the PhotoScape download, tag it\n"
                           "wait\n"
                           "key ctrl+f\n"
                           "type photosc\n"
                           "wait\n"
                           "key enter\n"
                           "key down\n"
                           "wait\n"
                           "key ctrl+t\n"
                           "frames 2\n"
                           "key ctrl+2\n"
                           "type the download the suspect denied\n"
                           "key enter\n"
                           "wait\n"
                           "# gallery: the second picture in path order, graded B, then tagged evidential\n"
                           "key ctrl+4\n"
                           "wait\n"
                           "key right\n"
                           "wait\n"
                           "key b\n"
                           "wait\n"
                           "key ctrl+t\n"
                           "frames 2\n"
                           "type deleted holiday picture\n"
                           "key enter\n"
                           "wait\n"
                           "screenshot " +
                               out.File("after.png") + "\n";
  ViewerRun r =
      Viewer(ShellQuote(work) + " --officer 'DC 2 Keys' --view artefacts --view-arg browser.download --script " +
             ShellQuote(script));
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The grade, on the picture the fixture deleted (second in byte order of the paths under Pictures).
  EXPECT_EQ(SqlOne(work,
                   "SELECT f.path || '|' || g.grade || '|' || g.author FROM picture_grade g"
                   " JOIN file f ON f.id = g.file_id"),
            "/Users/jdoe/Pictures/Holiday/deleted-later.jpg|B|DC 2 Keys");
  // The artefact tag: the row the filter left, a Chrome download of PhotoScape (see the corpus History's
  // downloads table: sqlite3 History 'SELECT target_path FROM downloads').
  EXPECT_EQ(SqlOne(work,
                   "SELECT count(*) FROM tag t JOIN artefact a ON a.id = t.target_id WHERE t.target = 'artefact'"
                   " AND t.label = 'relevant' AND a.kind = 'browser.download' AND lower(a.summary) LIKE '%photosc%'"
                   " AND t.note = 'the download the suspect denied' AND t.author = 'DC 2 Keys'"),
            "1");
  EXPECT_EQ(SqlOne(work,
                   "SELECT f.path || '|' || t.label || '|' || t.note FROM tag t JOIN file f ON f.id = t.target_id"
                   " WHERE t.target = 'file'"),
            "/Users/jdoe/Pictures/Holiday/deleted-later.jpg|evidential|deleted holiday picture");
  EXPECT_EQ(SqlOne(work, "SELECT count(*) FROM tag"), "2");
  // Each change has its audit row, by the officer, and the chain still verifies.
  EXPECT_EQ(SqlOne(work, "SELECT count(*) FROM audit WHERE action = 'grade.set' AND actor = 'DC 2 Keys'"), "1");
  EXPECT_EQ(SqlOne(work, "SELECT count(*) FROM audit WHERE action = 'tag.set' AND actor = 'DC 2 Keys'"), "2");
  CustosRun verify = Custos("audit verify " + ShellQuote(work));
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  // The original case is untouched: the viewer only wrote to the case it was given.
  EXPECT_EQ(SqlOne(case_path_, "SELECT count(*) FROM tag"), "0");
}

TEST_F(ViewerTest, TheFolderTreeIsWalkedWithTheKeyboardAndItsFolderTagged) {
  // F6 puts the keyboard in the tree; Right opens a folder, Right again goes into it, Down goes to the next
  // folder, Enter goes to the table, where Down selects the first file, which is tagged. The fixture's folders
  // (tests/fixtures/make-viewer-evidence.sh, plus mke2fs's lost+found), in byte order: /Phone /Users /Windows
  // /lost+found; /Users/jdoe holds AppData, Documents and Pictures; Documents holds invoice-utf16.txt and
  // notes.txt (fls -r on the image lists the same).
  TempDir out;
  const std::string work = out.File("tree.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path_) + " \".backup " + work + "\"").exit_code, 0);
  const std::string script = out.File("keys.txt");
  std::ofstream(script) << "wait\nkey f6\nframes 2\n"
                           "key right\nwait\nkey right\nwait\n"  // open /, go to /Phone
                           "key down\nwait\n"                    // /Users
                           "key right\nwait\nkey right\nwait\n"  // open it, go to /Users/jdoe
                           "key right\nwait\nkey right\nwait\n"  // open it, go to /Users/jdoe/AppData
                           "key down\nwait\n"                    // /Users/jdoe/Documents
                           "key enter\nframes 2\nkey down\nwait\n"
                           "key ctrl+t\nframes 2\ntype found by the folder tree\nkey enter\nwait\n";
  // No --officer: the tag's author is the officer the case records (triage's --officer), as with `custos tag`.
  ViewerRun r = Viewer(ShellQuote(work) + " --view files --script " + ShellQuote(script));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SqlOne(work,
                   "SELECT f.path || '|' || t.note FROM tag t JOIN file f ON f.id = t.target_id WHERE t.target = "
                   "'file'"),
            "/Users/jdoe/Documents/invoice-utf16.txt|found by the folder tree");
  EXPECT_EQ(SqlOne(work, "SELECT count(*) FROM audit WHERE action = 'tag.set' AND actor = 'DC 1 Test'"), "1");
}

TEST_F(ViewerTest, TheKeyboardSortsATableAsAHeaderClickWould) {
  // In /Users/jdoe/Documents (reached by the keys of the folder-tree test): Alt+Right sorts by the next column
  // (size), so the first row, tagged, is the smallest file, not the first by name; a second run adds Alt+R,
  // which reverses the order, so its first row is the largest. The expected files come from the sqlite3 shell,
  // which also shows that the smallest is not the first by name.
  TempDir out;
  const std::string work = out.File("sort.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path_) + " \".backup " + work + "\"").exit_code, 0);
  const std::string in_folder =
      "FROM file WHERE path LIKE '/Users/jdoe/Documents/%' AND instr(substr(path, 23), '/') = 0 AND kind = 'file'";
  const auto sizes = Sql(work, "SELECT size " + in_folder + " ORDER BY size");
  ASSERT_GE(sizes.size(), 2u);
  ASSERT_NE(sizes.front(), sizes[1]);
  ASSERT_NE(sizes.back(), sizes[sizes.size() - 2]);
  const std::string smallest = SqlOne(work, "SELECT path " + in_folder + " ORDER BY size LIMIT 1");
  const std::string largest = SqlOne(work, "SELECT path " + in_folder + " ORDER BY size DESC LIMIT 1");
  ASSERT_NE(smallest, SqlOne(work, "SELECT path " + in_folder + " ORDER BY name LIMIT 1"));
  for (const auto& [sort_keys, label, note] :
       {std::tuple<std::string, std::string, std::string>{"key alt+right\nwait\n", "", "smallest"},
        {"key alt+right\nwait\nkey alt+r\nwait\n", "key ctrl+2\n", "largest"}}) {
    const std::string script = out.File("keys.txt");
    std::ofstream(script) << "wait\nkey f6\nframes 2\n"
                             "key right\nwait\nkey right\nwait\n"  // open /, go to /Phone
                             "key down\nwait\n"                    // /Users
                             "key right\nwait\nkey right\nwait\n"  // open it, go to /Users/jdoe
                             "key right\nwait\nkey right\nwait\n"  // open it, go to /Users/jdoe/AppData
                             "key down\nwait\n"                    // /Users/jdoe/Documents
                             "key enter\nframes 2\n"
                          << sort_keys << "key down\nwait\nkey ctrl+t\nframes 2\n"
                          << label << "type " << note << "\nkey enter\nwait\n";
    ViewerRun r = Viewer(ShellQuote(work) + " --officer T --view files --script " + ShellQuote(script));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(SqlOne(work, "SELECT f.path FROM tag t JOIN file f ON f.id = t.target_id WHERE t.note = 'smallest'"),
            smallest);
  EXPECT_EQ(SqlOne(work, "SELECT f.path FROM tag t JOIN file f ON f.id = t.target_id WHERE t.note = 'largest'"),
            largest);
}

TEST_F(ViewerTest, TheTimelineFilteredToOneKindByKeyTagsItsFirstEvent) {
  // K picks the first artefact kind with timed rows; the table then holds that kind's artefacts only, in time
  // order, and Down + Ctrl+T tags the earliest. The expected kind and row come from the sqlite3 shell.
  TempDir out;
  const std::string work = out.File("timeline.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path_) + " \".backup " + work + "\"").exit_code, 0);
  const std::string kind = SqlOne(work, "SELECT min(kind) FROM artefact WHERE time IS NOT NULL");
  ASSERT_FALSE(kind.empty());
  const std::string first = SqlOne(
      work, "SELECT id FROM artefact WHERE kind = '" + kind + "' AND time IS NOT NULL ORDER BY time, id LIMIT 1");
  const std::string script = out.File("keys.txt");
  std::ofstream(script) << "wait\nkey k\nwait\nkey down\nwait\nkey ctrl+t\nframes 2\ntype first of its kind\n"
                           "key enter\nwait\n";
  ViewerRun r = Viewer(ShellQuote(work) + " --officer T --view timeline --script " + ShellQuote(script));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SqlOne(work, "SELECT target || '|' || target_id || '|' || note FROM tag"),
            "artefact|" + first + "|first of its kind");
}

TEST_F(ViewerTest, TagsViewRefreshesWhileAnotherProgramWritesTheCase) {
  // The viewer sits on the Tags view; `custos tag` (another process, as triage would be) adds a tag once the
  // first screenshot is written, while the viewer keeps drawing for 15 s. Without a key pressed, the view must change:
  // the frame after differs from the frame before.
  TempDir out;
  const std::string work = out.File("live.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path_) + " \".backup " + work + "\"").exit_code, 0);
  const std::string file_id = SqlOne(work, "SELECT id FROM file WHERE name = 'notes.txt'");
  ASSERT_FALSE(file_id.empty());
  const std::string script = out.File("keys.txt");
  std::ofstream(script) << "wait\nscreenshot " << out.File("before.png") << "\nsleep 15\nwait\nscreenshot "
                        << out.File("after.png") << "\n";
  const std::string tagger =
      "(for i in $(seq 600); do [ -s " + ShellQuote(out.File("before.png")) + " ] && break; sleep 0.2; done; " +
      std::string(CUSTOS_EXE) + " tag " + ShellQuote(work) + " --file " + file_id +
      " --label relevant --note 'added while the viewer was open' --by Other" + " >/dev/null 2>&1) & ";
  CommandResult r = Shell(tagger + "xvfb-run -a -s '-screen 0 1400x900x24' " + std::string(CUSTOS_VIEWER_EXE) + " " +
                          ShellQuote(work) + " --view tags --script " + ShellQuote(script) + "; rc=$?; wait; exit $rc");
  ASSERT_EQ(r.exit_code, 0);
  ASSERT_EQ(SqlOne(work, "SELECT note FROM tag"), "added while the viewer was open");
  Png before, after;
  ASSERT_TRUE(ReadPng(out.File("before.png"), &before));
  ASSERT_TRUE(ReadPng(out.File("after.png"), &after));
  ASSERT_EQ(before.rgba.size(), after.rgba.size());
  size_t changed = 0;
  for (size_t i = 0; i < before.rgba.size(); i += 4) {
    changed += before.rgba[i] != after.rgba[i] || before.rgba[i + 1] != after.rgba[i + 1] ||
               before.rgba[i + 2] != after.rgba[i + 2];
  }
  // A row of text (the tag, the count, "case updated") is thousands of pixels; a caret blink or a spinner
  // would be a few hundred at most, and there is neither on this view once idle.
  EXPECT_GT(changed, 2000u);
}

TEST_F(ViewerTest, KnownBadPicturesComeFirstAndTheDashboardOpensThemByCategory) {
  // diagram.png is last of the pictures in path order; a known-bad hash hit (written here by the sqlite3
  // shell, as a hash-set import would) must bring it first in the gallery.
  TempDir out;
  const std::string work = out.File("bad.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path_) + " \".backup " + work + "\"").exit_code, 0);
  ASSERT_EQ(
      Shell("sqlite3 " + ShellQuote(work) +
            " \"INSERT INTO hash_hit(file_id, set_name, set_kind, category, algorithm, hash)"
            " SELECT id, 'test set', 'known_bad', 'category X', 'md5', md5 FROM file WHERE name = 'diagram.png'\"")
          .exit_code,
      0);
  const std::string first = out.File("first.txt");
  std::ofstream(first) << "wait\nkey a\nwait\n";
  ViewerRun r = Viewer(ShellQuote(work) + " --officer T --view gallery --script " + ShellQuote(first));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SqlOne(work, "SELECT f.name || '|' || g.grade FROM picture_grade g JOIN file f ON f.id = g.file_id"),
            "diagram.png|A");
  // From the dashboard, H opens the known-bad pictures of that category only: Right has nowhere to go, so
  // B lands on the same picture (in the unfiltered gallery it would land on the second one).
  const std::string second = out.File("second.txt");
  std::ofstream(second) << "wait\nkey h\nwait\nkey right\nwait\nkey b\nwait\n";
  r = Viewer(ShellQuote(work) + " --officer T --view dashboard --script " + ShellQuote(second));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      SqlOne(work,
             "SELECT group_concat(f.name || '|' || g.grade) FROM picture_grade g JOIN file f ON f.id = g.file_id"),
      "diagram.png|B");
}

TEST_F(ViewerTest, AKeywordHitFoundByFilterIsTaggedFromTheHitsView) {
  // Two hits (written by the sqlite3 shell, as the keyword search would) in notes.txt: the filter keeps the
  // second only, and the tag must land on it.
  TempDir out;
  const std::string work = out.File("hits.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path_) + " \".backup " + work + "\"").exit_code, 0);
  ASSERT_EQ(
      Shell("sqlite3 " + ShellQuote(work) +
            " \"INSERT INTO keyword_hit(term, term_kind, file_id, offset_bytes, encoding, match, context, created)"
            " SELECT 'package', 'keyword', id, 46, 'utf-8', 'package', 'at 21:00. Bring the package.', 0 FROM file"
            " WHERE name = 'notes.txt'; INSERT INTO keyword_hit(term, term_kind, file_id, offset_bytes, encoding,"
            " match, context, created) SELECT 'phone', 'uk_phone', id, 61, 'utf-8', '07700 900123',"
            " 'Call 07700 900123 if late.', 0 FROM file WHERE name = 'notes.txt'\"")
          .exit_code,
      0);
  const std::string script = out.File("keys.txt");
  std::ofstream(script) << "wait\nkey ctrl+f\ntype 07700\nkey enter\nwait\nkey down\nwait\nkey ctrl+t\nframes 2\n"
                           "type a phone number to attribute\nkey enter\nwait\n";
  ViewerRun r = Viewer(ShellQuote(work) + " --officer T --view hits --script " + ShellQuote(script));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SqlOne(work,
                   "SELECT k.term || '|' || t.label || '|' || t.note FROM tag t JOIN keyword_hit k"
                   " ON k.id = t.target_id WHERE t.target = 'keyword_hit'"),
            "phone|evidential|a phone number to attribute");
  EXPECT_EQ(SqlOne(work, "SELECT count(*) FROM tag"), "1");
}

TEST_F(ViewerTest, HexPagesOfADeletedFileAreWhatIcatReads) {
  // The preview's pages come from the evidence through TSK's ranged reads; icat (The Sleuth Kit's own tool)
  // reads the whole deleted file independently.
  const std::string row = SqlOne(case_path_, "SELECT id, meta_addr, size FROM file WHERE name = 'deleted-later.jpg'");
  ASSERT_FALSE(row.empty());
  const auto a = row.find('|'), b = row.rfind('|');
  const int64_t id = std::stoll(row.substr(0, a));
  const std::string inode = row.substr(a + 1, b - a - 1);
  const int64_t size = std::stoll(row.substr(b + 1));
  const std::string image = dir_->File("viewer.img");
  const std::string whole = Shell("icat " + ShellQuote(image) + " " + inode).out;
  ASSERT_EQ(static_cast<int64_t>(whole.size()), size);
  auto store = CaseStore::Open(case_path_, CaseStore::OpenMode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().message();
  StoredFileReader pager;
  auto page = pager.Read(**store, id, 1000, 4096);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->file_size, size);
  EXPECT_EQ(page->bytes, whole.substr(1000, 4096));
  auto tail = pager.Read(**store, id, size - 10, 4096);  // short at the end of the file
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->bytes, whole.substr(static_cast<size_t>(size - 10)));
}

// Saturated pixels (max - min channel over 120) of a screenshot: the viewer itself draws greys and one blue,
// so many distinct saturated colours can only come from a decoded picture.
size_t SaturatedColours(const Png& png) {
  std::set<uint32_t> saturated;
  for (size_t i = 0; i + 3 < png.rgba.size(); i += 4) {
    const int rr = png.rgba[i], g = png.rgba[i + 1], b = png.rgba[i + 2];
    if (std::max({rr, g, b}) - std::min({rr, g, b}) > 120) saturated.insert(rr << 16 | g << 8 | b);
  }
  return saturated.size();
}

// A case made by `custos triage --unlock-file` from the LUKS1 volume of tests/fixtures/make-unlocked-evidence.sh
// (its files are known by construction), in a folder of its own. Skips when the tools are absent.
class ViewerUnlockedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveXvfb()) GTEST_SKIP() << "xvfb-run is absent: install xvfb and xauth to render the viewer headless";
    const std::string script = std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-unlocked-evidence.sh";
    if (Shell(script + " " + ShellQuote(dir_.File("evidence")) + " >&2").exit_code != 0) {
      GTEST_SKIP() << "the fixture could not be made: it needs cryptsetup, mke2fs, zip and python3-cryptography";
    }
    std::filesystem::create_directories(dir_.File("case"));
    case_path_ = dir_.File("case/unlocked.custos");
    CustosRun run = Custos("triage --quiet --case " + ShellQuote(case_path_) + " --unlock-file " +
                           ShellQuote(Evidence("passphrase.txt")) + " " + ShellQuote(Evidence("luks.raw")));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    ASSERT_EQ(SqlOne(case_path_, "SELECT count(*) FROM volume WHERE kind = 'unlocked'"), "1");
  }
  std::string Evidence(const std::string& name) const { return dir_.File("evidence/" + name); }
  // The entries of the case's folder whose name starts with `prefix`.
  std::vector<std::string> CaseFolderEntries(const std::string& prefix) const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_.File("case"))) {
      if (e.path().filename().string().rfind(prefix, 0) == 0) names.push_back(e.path().filename().string());
    }
    return names;
  }

  TempDir dir_;
  std::string case_path_;
};

TEST_F(ViewerUnlockedTest, PicturePreviewOfAFileInsideIsDecodedWithTheKeyAndExplainedWithout) {
  // Files view, filtered to photo.png (a saturated colour field the fixture wrote), whose picture tab opens.
  TempDir out;
  const std::string script = out.File("keys.txt");
  auto run = [&](const std::string& keys, const std::string& png_path) {
    std::ofstream(script) << "wait\nkey ctrl+f\ntype photo\nwait\nkey enter\nkey down\nwait\nframes 3\nwait\n"
                             "screenshot "
                          << png_path << "\n";
    return Viewer(ShellQuote(case_path_) + " --view files " + keys + " --script " + ShellQuote(script));
  };
  const std::string wrong = out.File("guess.txt");
  ASSERT_EQ(Shell("echo 'tr0ub4dor&3 guessed' > " + ShellQuote(wrong)).exit_code, 0);
  const struct {
    const char* what;
    std::string keys;
    bool decoded;
  } cases[] = {{"passphrase", "--unlock-file " + ShellQuote(Evidence("passphrase.txt")), true},
               {"volume key", "--luks-key-file " + ShellQuote(Evidence("volume-key.txt")), true},
               {"no key", "", false},
               {"wrong key", "--unlock-file " + ShellQuote(wrong), false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string png_path = out.File(std::string(c.what) + ".png");
    ViewerRun r = run(c.keys, png_path);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("tr0ub4dor"), std::string::npos) << r.err;
    Png png;
    ASSERT_TRUE(ReadPng(png_path, &png));
    // The picture is a 240x180 field of tens of thousands of saturated colours; the message instead of it is
    // text in one salmon colour, whose anti-aliased shades make a hundred or so.
    if (c.decoded) {
      EXPECT_GT(SaturatedColours(png), 5000u);
    } else {
      EXPECT_LT(SaturatedColours(png), 500u);
    }
  }
  // The keys are nowhere in the case file: the viewer was given them, never stored them.
  EXPECT_EQ(Shell("cat " + ShellQuote(case_path_) + "* | grep -a -c -F 'horse battery'").out, "0\n");
  // A missing key file is a usage error, named.
  ViewerRun missing = Viewer(ShellQuote(case_path_) + " --unlock-file " + ShellQuote(out.File("nope.txt")) +
                             " --screenshot " + ShellQuote(out.File("m.png")));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.txt"), std::string::npos) << missing.err;
}

TEST_F(ViewerUnlockedTest, ScratchCopiesStayInTheCaseFolderAndAreCleanedUp) {
  // A member of bundle.zip is previewed: its archive is copied for libarchive to a scratch folder, which must be
  // in the case's folder (named .custos-viewer-scratch-PID-...), not in $TMPDIR. A viewer killed while it shows
  // the member leaves it; the next start removes it; a viewer that ends normally leaves nothing.
  TempDir out, tmpdir;
  const std::string script = out.File("keys.txt");
  std::ofstream(script) << "wait\nkey down\nwait\nframes 3\nwait\nsleep 60\n";
  const std::string viewer = "TMPDIR=" + ShellQuote(tmpdir.path().string()) +
                             " xvfb-run -a -s '-screen 0 1400x900x24' " + std::string(CUSTOS_VIEWER_EXE) + " " +
                             ShellQuote(case_path_) + " --unlock-file " + ShellQuote(Evidence("passphrase.txt")) +
                             " --view files --view-arg inside=/bundle.zip";
  const std::string found = dir_.File("case") + "/.custos-viewer-scratch-";
  CommandResult killed =
      Shell(viewer + " --script " + ShellQuote(script) + " >&2 2>/dev/null & bg=$!; for i in $(seq 600); do " +
            "for d in " + ShellQuote(found) + "*; do [ -s \"$d/archive\" ] && break 2; done; sleep 0.1; done; " +
            "pid=${d##*scratch-}; pid=${pid%%-*}; kill -9 \"$pid\"; wait $bg; echo \"$d\"");
  ASSERT_EQ(killed.exit_code, 0);
  const auto stale = CaseFolderEntries(".custos-viewer-scratch-");
  ASSERT_EQ(stale.size(), 1u) << killed.out;
  // The copy is the zip the fixture put in the volume, byte for byte.
  std::ifstream copy(dir_.File("case/" + stale[0] + "/archive"), std::ios::binary),
      zip(Evidence("tree/bundle.zip"), std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(copy), {}),
            std::string(std::istreambuf_iterator<char>(zip), {}));
  EXPECT_TRUE(std::filesystem::is_empty(tmpdir.path()));

  // The next start removes it (its process is gone); previewing the member again and quitting leaves nothing.
  std::ofstream(script) << "wait\nkey down\nwait\nframes 3\nwait\n";
  CommandResult again = Shell(viewer + " --script " + ShellQuote(script) + " >&2");
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_TRUE(CaseFolderEntries(".custos-viewer-scratch-").empty());
  EXPECT_TRUE(std::filesystem::is_empty(tmpdir.path()));
}

// GIF, WebP, HEIC, TIFF and BMP pictures in a user's folder, made by independent encoders (convert, cwebp,
// heif-enc), each a field of its own colour: `custos triage` gives each a thumbnail row of the size exiftool
// reads, and the gallery shows every colour, from triage's thumbnails and again (the rows deleted with the
// sqlite3 shell) decoded by the viewer from the evidence itself; the Files view's picture preview shows the
// HEIC whole. Needs no corpus.
TEST(ViewerPictureFormats, EveryFormatGetsAThumbnailAndShowsInTheGallery) {
  if (!HaveXvfb()) GTEST_SKIP() << "xvfb-run is absent: install xvfb and xauth to render the viewer headless";
  TempDir dir;
  const std::string d = ShellQuote(dir.path().string());
  struct Picture {
    const char* name;
    int r, g, b;
  };
  // Saturated colours the viewer itself never draws (its greys, its one blue, the red known-bad frame).
  const Picture pictures[] = {{"party.gif", 20, 200, 20},
                              {"sticker.webp", 200, 20, 200},
                              {"IMG_4032.HEIC", 230, 140, 20},
                              {"scan.tiff", 20, 200, 200},
                              {"paint.bmp", 220, 220, 20}};
  std::string make = "set -e; cd " + d + "; mkdir -p tree/Users/jdoe/Pictures; cd tree/Users/jdoe/Pictures\n";
  for (const Picture& p : pictures) {
    const std::string colour =
        "xc:'rgb(" + std::to_string(p.r) + "," + std::to_string(p.g) + "," + std::to_string(p.b) + ")'";
    const std::string name = p.name;
    if (name.ends_with(".webp")) {
      make += "convert -size 240x180 " + colour + " PNG24:src.png && cwebp -quiet src.png -o " + name + "\n";
    } else if (name.ends_with(".HEIC")) {
      make += "convert -size 240x180 " + colour + " PNG24:src.png && heif-enc -q 90 src.png -o " + name + "\n";
    } else {
      make += "convert -size 240x180 " + colour + " " + name + "\n";
    }
  }
  make += "rm -f src.png\ncd " + d + "\nmke2fs -q -F -t ext2 -b 1024 -d tree pictures.img 8M\n";
  ASSERT_EQ(Shell(make + " 2>&1").exit_code, 0) << make;
  const std::string case_path = dir.File("pictures.custos");
  const CustosRun run =
      Custos("triage --quiet --no-verify --case " + ShellQuote(case_path) + " " + ShellQuote(dir.File("pictures.img")));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const Picture& p : pictures) {
    SCOPED_TRACE(p.name);
    const std::string src = dir.File(std::string("tree/Users/jdoe/Pictures/") + p.name);
    const std::string exif =
        Shell("exiftool -s3 -ImageWidth -ImageHeight " + ShellQuote(src) + " | paste -sd'|'").out;  // 240|180
    EXPECT_EQ(
        SqlOne(case_path, std::string("SELECT t.width || '|' || t.height || '|' || (length(t.jpeg) > 0) || '|' || "
                                      "ifnull(t.error, '') || '|' || (f.mime LIKE 'image/%') FROM thumbnail t "
                                      "JOIN file f ON f.id = t.file_id WHERE f.name = '") +
                              p.name + "'"),
        exif.substr(0, exif.size() - 1) + "|1||1");
  }
  // Colour fields: each picture's colour covers thousands of pixels of its tile (a tile is up to 160 x 120).
  const auto colour_pixels = [&](const std::string& png_path) {
    Png png;
    EXPECT_TRUE(ReadPng(png_path, &png));
    std::vector<size_t> count(std::size(pictures), 0);
    for (size_t i = 0; i + 3 < png.rgba.size(); i += 4) {
      for (size_t k = 0; k < std::size(pictures); ++k) {
        if (std::abs(png.rgba[i] - pictures[k].r) < 30 && std::abs(png.rgba[i + 1] - pictures[k].g) < 30 &&
            std::abs(png.rgba[i + 2] - pictures[k].b) < 30) {
          ++count[k];
        }
      }
    }
    return count;
  };
  const std::string shot = dir.File("gallery.png");
  ViewerRun r = Viewer(ShellQuote(case_path) + " --view gallery --screenshot " + ShellQuote(shot));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<size_t> seen = colour_pixels(shot);
  for (size_t k = 0; k < std::size(pictures); ++k) EXPECT_GT(seen[k], 5000u) << pictures[k].name;

  // Without triage's thumbnails the viewer decodes each picture from the evidence, through the same decoder.
  const std::string bare = dir.File("bare.custos");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_path) + " \".backup " + bare + "\" && sqlite3 " + ShellQuote(bare) +
                  " 'DELETE FROM thumbnail'")
                .exit_code,
            0);
  const std::string shot2 = dir.File("gallery-from-evidence.png");
  r = Viewer(ShellQuote(bare) + " --view gallery --screenshot " + ShellQuote(shot2) + " --frames 30");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  seen = colour_pixels(shot2);
  for (size_t k = 0; k < std::size(pictures); ++k) EXPECT_GT(seen[k], 5000u) << pictures[k].name;

  // The Files view's picture preview of the HEIC, the first file of /Users/jdoe/Pictures in byte order
  // ('I' before the lower-case names): shown whole (240 x 180 = 43,200 pixels), more than a gallery tile holds.
  const std::string keys = dir.File("keys.txt");
  std::ofstream(keys) << "wait\nkey f6\nframes 2\n"
                         "key right\nwait\nkey right\nwait\n"  // open /, go to /Users
                         "key right\nwait\nkey right\nwait\n"  // open it, go to /Users/jdoe
                         "key right\nwait\nkey right\nwait\n"  // open it, go to /Users/jdoe/Pictures
                         "key enter\nframes 2\nkey down\nwait\nkey v\nwait\nframes 5\n";
  const std::string shot3 = dir.File("preview.png");
  r = Viewer(ShellQuote(bare) + " --view files --script " + ShellQuote(keys) + " --screenshot " + ShellQuote(shot3));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  seen = colour_pixels(shot3);
  EXPECT_GT(seen[2], 40000u) << "the HEIC's orange";
}

TEST(PreviewText, DecodesUtf16WithAndWithoutBomAndUtf8) {
  // The bytes come from iconv, not from the decoder's own idea of UTF-16.
  const std::string le_bom = Shell("printf 'Caf\\303\\251 \\342\\202\\254 5' | iconv -f UTF-8 -t UTF-16").out;
  const std::string be = Shell("printf 'Caf\\303\\251 \\342\\202\\254 5' | iconv -f UTF-8 -t UTF-16BE").out;
  std::string encoding;
  EXPECT_EQ(viewer::DecodeText(le_bom, &encoding), "Caf\xC3\xA9 \xE2\x82\xAC 5");
  EXPECT_EQ(encoding, "UTF-16LE");
  EXPECT_EQ(viewer::DecodeText("\xFE\xFF" + be, &encoding), "Caf\xC3\xA9 \xE2\x82\xAC 5");
  EXPECT_EQ(encoding, "UTF-16BE");
  const std::string le = Shell("printf 'plain words here' | iconv -f UTF-8 -t UTF-16LE").out;
  EXPECT_EQ(viewer::DecodeText(le, &encoding), "plain words here");
  EXPECT_EQ(encoding, "UTF-16LE");
  EXPECT_EQ(viewer::DecodeText("na\xC3\xAFve\x01\xFF!", &encoding), "na\xC3\xAFve..!");
  EXPECT_EQ(encoding, "UTF-8");
}

}  // namespace
}  // namespace custos::testing
