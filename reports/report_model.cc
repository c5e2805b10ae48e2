// Reads a ReportModel from a case file (see report_model.h). Only SELECTs: the report never writes the
// case (the audit row of an export is written by the command, through CaseStore::AppendAudit).
#include "reports/report_model.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "triage/base/format.h"
#include "triage/sqlite/sql.h"

namespace custos::reports {
namespace {

using sql::Statement;

// The exhibit reference of a file row.
constexpr const char* kFileExhibit =
    "(SELECT e.reference FROM filesystem s JOIN volume v ON v.id = s.volume_id JOIN exhibit e ON e.id = "
    "v.exhibit_id WHERE s.id = f.filesystem_id)";

std::optional<UtcMicros> Opt(const Statement& st, int col) { return st.OptInt(col); }

Status ForEachRow(sqlite3* db, const std::string& query, const std::function<void(const Statement&)>& row) {
  Statement st(db, query);
  if (!st.ok()) return st.prepare_error();
  Status status;
  while (st.Step(&status)) row(st);
  return status;
}

Result<int64_t> CountOf(sqlite3* db, const std::string& query) {
  int64_t n = 0;
  Status st = ForEachRow(db, query, [&](const Statement& s) { n = s.Int(0); });
  if (!st.ok()) return st;
  return n;
}

int LabelRank(const std::string& label) {
  const auto& labels = TagLabels();
  return static_cast<int>(std::find(labels.begin(), labels.end(), label) - labels.begin());
}

Status ReadTags(sqlite3* db, ReportModel& m) {
  const std::string tag_cols = "t.id, t.target, t.target_id, t.label, t.note, t.author, t.created, ";
  // Files.
  CUSTOS_RETURN_IF_ERROR(
      ForEachRow(db,
                 "SELECT " + tag_cols + std::string(kFileExhibit) +
                     ", f.name, f.path, f.deleted, f.size, ifnull(f.md5,''), ifnull(f.sha1,''), ifnull(f.sha256,''), "
                     "f.mtime, f.crtime, f.atime, f.ctime, f.id, ifnull(f.mime,'') "
                     "FROM tag t JOIN file f ON f.id = t.target_id WHERE t.target = 'file'",
                 [&](const Statement& s) {
                   TaggedItem t;
                   t.tag_id = s.Int(0), t.target = s.Text(1), t.target_id = s.Int(2), t.label = s.Text(3);
                   t.note = s.Text(4), t.author = s.Text(5), t.tagged = s.Int(6), t.exhibit = s.Text(7);
                   t.kind = "file";
                   t.description = s.Text(8);
                   t.source_path = s.Text(9);
                   t.deleted = s.Int(10) != 0, t.size = s.Int(11);
                   t.md5 = s.Text(12), t.sha1 = s.Text(13), t.sha256 = s.Text(14);
                   t.time = Opt(s, 15), t.time_note = "modified";
                   t.created = Opt(s, 16), t.accessed = Opt(s, 17), t.changed = Opt(s, 18);
                   t.file_id = s.Int(19);
                   t.detail = s.Text(20);  // the content type
                   m.tagged.push_back(std::move(t));
                 }));
  // Artefacts, with the file they came from.
  CUSTOS_RETURN_IF_ERROR(ForEachRow(
      db,
      "SELECT " + tag_cols + "ifnull(" + std::string(kFileExhibit) +
          ",''), a.kind, a.summary, a.location, ifnull(f.path,''), a.time, ifnull(a.time_zone_note,''), "
          "f.id, ifnull(f.deleted,0), a.parser || ' ' || a.parser_version, ifnull(f.md5,''), ifnull(f.sha1,'') "
          "FROM tag t JOIN artefact a ON a.id = t.target_id LEFT JOIN file f ON f.id = a.file_id "
          "WHERE t.target = 'artefact'",
      [&](const Statement& s) {
        TaggedItem t;
        t.tag_id = s.Int(0), t.target = s.Text(1), t.target_id = s.Int(2), t.label = s.Text(3);
        t.note = s.Text(4), t.author = s.Text(5), t.tagged = s.Int(6), t.exhibit = s.Text(7);
        t.kind = s.Text(8), t.description = s.Text(9), t.detail = s.Text(10), t.source_path = s.Text(11);
        t.time = Opt(s, 12), t.time_note = s.Text(13);
        t.file_id = s.OptInt(14);
        t.deleted = s.Int(15) != 0;
        t.parser = s.Text(16), t.md5 = s.Text(17), t.sha1 = s.Text(18);
        m.tagged.push_back(std::move(t));
      }));
  // Keyword hits: in a file, or in unallocated space of a volume.
  CUSTOS_RETURN_IF_ERROR(ForEachRow(
      db,
      "SELECT " + tag_cols + "ifnull(" + std::string(kFileExhibit) +
          ", (SELECT e.reference FROM volume v JOIN exhibit e ON e.id = v.exhibit_id WHERE v.id = k.volume_id)), "
          "k.term, k.match, k.context, ifnull(f.path,''), k.offset_bytes, k.volume_id, f.id, ifnull(f.deleted,0), "
          "k.created, k.encoding "
          "FROM tag t JOIN keyword_hit k ON k.id = t.target_id LEFT JOIN file f ON f.id = k.file_id "
          "WHERE t.target = 'keyword_hit'",
      [&](const Statement& s) {
        TaggedItem t;
        t.tag_id = s.Int(0), t.target = s.Text(1), t.target_id = s.Int(2), t.label = s.Text(3);
        t.note = s.Text(4), t.author = s.Text(5), t.tagged = s.Int(6), t.exhibit = s.Text(7);
        t.kind = "keyword hit";
        t.description = "\"" + s.Text(8) + "\": " + s.Text(9);
        t.detail = s.Text(10);
        t.source_path = s.Text(11);
        if (t.source_path.empty()) {
          t.source_path =
              "unallocated space of volume " + std::to_string(s.Int(13)) + ", byte offset " + std::to_string(s.Int(12));
        } else {
          t.source_path += " (byte offset " + std::to_string(s.Int(12)) + ", " + s.Text(17) + ")";
        }
        t.file_id = s.OptInt(14);
        t.deleted = s.Int(15) != 0;
        t.time = std::nullopt;
        m.tagged.push_back(std::move(t));
      }));
  std::stable_sort(m.tagged.begin(), m.tagged.end(), [](const TaggedItem& a, const TaggedItem& b) {
    const int ra = LabelRank(a.label), rb = LabelRank(b.label);
    if (ra != rb) return ra < rb;
    if (a.time != b.time) return a.time.value_or(INT64_MAX) < b.time.value_or(INT64_MAX);
    return a.tag_id < b.tag_id;
  });
  return Status::Ok();
}

Status ReadGrades(sqlite3* db, ReportModel& m) {
  for (const char* g : {"A", "B", "C", "not_relevant", "needs_review"}) m.grades.push_back({g, 0, 0});
  return ForEachRow(db,
                    "SELECT f.id, " + std::string(kFileExhibit) +
                        ", f.path, f.name, g.grade, g.author, ifnull(f.mime,''), f.deleted, f.size, ifnull(f.md5,''), "
                        "ifnull(f.sha1,''), ifnull(f.sha256,''), f.mtime, f.atime, f.crtime, g.graded "
                        "FROM picture_grade g JOIN file f ON f.id = g.file_id ORDER BY g.grade, f.path",
                    [&](const Statement& s) {
                      GradedPicture p;
                      p.file_id = s.Int(0), p.exhibit = s.Text(1), p.path = s.Text(2), p.name = s.Text(3);
                      p.grade = s.Text(4), p.author = s.Text(5), p.mime = s.Text(6), p.deleted = s.Int(7) != 0;
                      p.size = s.Int(8), p.md5 = s.Text(9), p.sha1 = s.Text(10), p.sha256 = s.Text(11);
                      p.mtime = Opt(s, 12), p.atime = Opt(s, 13), p.crtime = Opt(s, 14), p.graded = s.Int(15);
                      for (GradeCount& c : m.grades) {
                        if (c.grade == p.grade) ++(p.deleted ? c.deleted : c.allocated);
                      }
                      m.graded_pictures.push_back(std::move(p));
                    });
}

Status ReadHashHits(sqlite3* db, ReportModel& m) {
  CUSTOS_RETURN_IF_ERROR(ForEachRow(
      db,
      "SELECT h.category, group_concat(DISTINCT h.set_name), "
      "count(DISTINCT CASE WHEN f.deleted = 0 THEN f.id END), count(DISTINCT CASE WHEN f.deleted = 1 THEN f.id END) "
      "FROM hash_hit h JOIN file f ON f.id = h.file_id WHERE h.set_kind = 'known_bad' "
      "GROUP BY h.category ORDER BY h.category",
      [&](const Statement& s) {
        m.known_bad.push_back({s.Text(0), s.Text(1), s.Int(2), s.Int(3)});
      }));
  auto good = CountOf(db, "SELECT count(DISTINCT file_id) FROM hash_hit WHERE set_kind = 'known_good'");
  if (!good.ok()) return good.status();
  m.known_good_files = *good;
  return Status::Ok();
}

int64_t ArtefactCount(const ReportModel& m, const std::string& kind) {
  for (const auto& [k, n] : m.artefact_counts) {
    if (k == kind) return n;
  }
  return 0;
}

void BuildHeadline(ReportModel& m) {
  const CaseSummary& s = m.summary;
  m.headline.push_back({"Files (deleted: " + std::to_string(s.deleted) + ")", s.files, "file system walk"});
  m.headline.push_back({"Pictures", m.pictures, "files whose content is a picture"});
  m.headline.push_back({"Videos", m.videos, "files whose content is a video"});
  int64_t known_bad = 0;
  for (const auto& k : m.known_bad) known_bad += k.allocated + k.deleted;
  m.headline.push_back({"Known-bad hash matches", known_bad, "files in an imported known-bad hash set"});
  m.headline.push_back({"Keyword hits", m.keyword_hits, std::to_string(m.keyword_terms) + " search term(s)"});
  struct KindLabel {
    const char* kind;
    const char* label;
  };
  for (const KindLabel& k :
       {KindLabel{"windows.user_account", "User accounts"}, KindLabel{"windows.usb_device", "USB devices connected"},
        KindLabel{"chat.message", "Messages"}, KindLabel{"call.record", "Calls"},
        KindLabel{"contact.entry", "Contacts"}, KindLabel{"browser.visit", "Web pages visited"},
        KindLabel{"browser.search", "Web searches"}, KindLabel{"browser.download", "Downloads"},
        KindLabel{"windows.recycled", "Files in the recycle bin"},
        KindLabel{"picture.exif", "Pictures with camera details"}}) {
    m.headline.push_back({k.label, ArtefactCount(m, k.kind), std::string(k.kind) + " artefacts"});
  }
}

std::string YesNo(const nlohmann::json& params, const char* key) {
  if (!params.contains(key) || !params[key].is_boolean()) return "";
  return params[key].get<bool>() ? "yes" : "no";
}

// "NAME (known-bad, 1,234 MD5 / 0 SHA-1 / 0 SHA-256): 2 files matched", from a set as the run or the
// hashset.match audit row recorded it.
std::string HashSetLine(const nlohmann::json& set, const std::map<std::string, int64_t>& matched) {
  auto num = [&](const char* key) { return set.contains(key) && set[key].is_number() ? set[key].get<int64_t>() : 0; };
  const std::string name = set.value("name", std::string("?"));
  const std::string kind = set.value("kind", std::string());
  auto it = matched.find(name);
  const int64_t files = it == matched.end() ? 0 : it->second;
  return name + " (" +
         (kind == "known_bad"    ? "known-bad"
          : kind == "known_good" ? "known-good"
                                 : kind) +
         ", " + std::to_string(num("md5")) + " MD5 / " + std::to_string(num("sha1")) + " SHA-1 / " +
         std::to_string(num("sha256")) + " SHA-256): " +
         (files == 0 ? "no file matched" : std::to_string(files) + (files == 1 ? " file matched" : " files matched"));
}

// What each run searched and found: the hash sets, the keyword and expression lists, entities,
// unallocated space and carving, from the runs' parameters and the hashset.match audit rows.
Status BuildSearches(sqlite3* db, ReportModel& m) {
  using nlohmann::json;
  std::map<std::string, int64_t> set_files;  // hash set name -> files it matched (in the whole case)
  CUSTOS_RETURN_IF_ERROR(ForEachRow(db, "SELECT set_name, count(DISTINCT file_id) FROM hash_hit GROUP BY set_name",
                                    [&](const Statement& s) { set_files[s.Text(0)] = s.Int(1); }));
  std::map<std::string, int64_t> term_hits;  // "keyword:heroin" -> hits
  CUSTOS_RETURN_IF_ERROR(ForEachRow(db, "SELECT term_kind || ':' || term, count(*) FROM keyword_hit GROUP BY 1",
                                    [&](const Statement& s) { term_hits[s.Text(0)] = s.Int(1); }));
  for (const RunRow& r : m.summary.runs) {
    const json p = json::parse(r.parameters_json, nullptr, false);
    if (!p.is_object()) continue;
    SearchScope scope;
    scope.run = "Run " + std::to_string(r.id) + " (triage)";
    scope.when = r.started;
    if (p.contains("hashsets") && p["hashsets"].is_array()) {
      for (const auto& set : p["hashsets"]) scope.hash_sets.push_back(HashSetLine(set, set_files));
    }
    if (p.contains("search_lists") && p["search_lists"].is_array()) {
      for (const auto& l : p["search_lists"]) {
        const std::string kind = l.value("kind", std::string());
        scope.term_lists.push_back((kind == "regex" ? "Expressions " : "Keywords ") + l.value("path", std::string()) +
                                   " (" + std::to_string(l.value("terms", int64_t{0})) + " terms, SHA-256 " +
                                   l.value("sha256", std::string()) + ")");
      }
    }
    if (p.contains("search") && p["search"].is_array() && !p["search"].empty()) {
      int64_t found = 0, hits = 0;
      for (const auto& t : p["search"]) {
        if (!t.is_string()) continue;
        const std::string& term = t.get_ref<const std::string&>();
        if (term.rfind("keyword:", 0) == 0 || term.rfind("regex:", 0) == 0) ++scope.keyword_terms;
        auto it = term_hits.find(t.get<std::string>());
        if (it != term_hits.end()) ++found, hits += it->second;
      }
      scope.terms = std::to_string(p["search"].size()) + " terms and entities searched, " + std::to_string(found) +
                    " found (" + std::to_string(hits) + " hits in the case)";
    }
    scope.entities = YesNo(p, "entities");
    if (scope.entities.empty() && p.contains("search") && p["search"].is_array()) {
      // Runs recorded before "entities" was: the entities show in the list of what was searched.
      bool any = false;
      for (const auto& t : p["search"]) any |= t.is_string() && t.get<std::string>().rfind("entity:", 0) == 0;
      scope.entities = any ? "yes" : "no";
    }
    scope.unallocated = YesNo(p, "unallocated");
    scope.carving = YesNo(p, "carve");
    scope.case_sensitive = YesNo(p, "case_sensitive");
    m.searches.push_back(std::move(scope));
  }
  CUSTOS_RETURN_IF_ERROR(ForEachRow(
      db, "SELECT id, at, detail FROM audit WHERE action = 'hashset.match' ORDER BY id", [&](const Statement& s) {
        const json d = json::parse(s.Text(2), nullptr, false);
        if (!d.is_object() || !d.contains("sets") || !d["sets"].is_array()) return;
        SearchScope scope;
        scope.is_triage = false;
        scope.run = "Hash set match (audit row " + std::to_string(s.Int(0)) + ")";
        scope.when = s.Int(1);
        for (const auto& set : d["sets"]) scope.hash_sets.push_back(HashSetLine(set, set_files));
        if (d.contains("complete") && d["complete"].is_boolean() && !d["complete"].get<bool>()) {
          scope.terms = "stopped before every file was looked up";
        }
        m.searches.push_back(std::move(scope));
      }));
  std::stable_sort(m.searches.begin(), m.searches.end(),
                   [](const SearchScope& a, const SearchScope& b) { return a.when < b.when; });
  return Status::Ok();
}

// What was not examined, from the case itself: errors, encryption, unread content, unfinished walks,
// hashes not verified, known file types no parser of this version reads, the known-good files left out.
Status BuildLimitations(sqlite3* db, ReportModel& m) {
  const CaseSummary& s = m.summary;
  for (const ExhibitRow& e : s.exhibits) {
    const std::string& v = e.record.verification;
    if (v != "verified") {
      m.limitations.push_back({"Image hash (" + e.record.reference + ")", VerificationText(e.record)});
    }
    if (e.state != "complete") {
      m.limitations.push_back({"Triage unfinished (" + e.record.reference + ")",
                               "The triage of this exhibit did not complete (state: " + e.state +
                                   "). Run the same triage command again to finish it."});
    }
  }
  for (const FileSystemRow& f : s.filesystems) {
    if (!f.walk_complete) {
      m.limitations.push_back(
          {"File system not fully listed", "File system " + std::to_string(f.id) + " (" + f.record.type +
                                               ") was not walked to its end; files may be missing."});
    }
  }
  // Errors by stage, with one example each.
  CUSTOS_RETURN_IF_ERROR(ForEachRow(
      db,
      "SELECT stage, count(*), min(source || CASE WHEN location = '' THEN '' ELSE ' at ' || location END || ': ' "
      "|| message) FROM error GROUP BY stage ORDER BY count(*) DESC",
      [&](const Statement& st) {
        const std::string stage = st.Text(0);
        const std::string area = stage == "encryption" ? "Encrypted or unreadable volume" : "Errors (" + stage + ")";
        m.limitations.push_back(
            {area, std::to_string(st.Int(1)) + " recorded, for example: " + st.Text(2) +
                       ". Every error is listed in the case file's error table with what to do about it."});
      }));
  CUSTOS_RETURN_IF_ERROR(ForEachRow(
      db,
      "SELECT content_state, count(*) FROM file WHERE content_state IN ('unrecoverable','partial','error','encrypted') "
      "GROUP BY content_state",
      [&](const Statement& st) {
        const std::string state = st.Text(0);
        std::string what = state == "unrecoverable" ? "deleted files whose content is gone (overwritten)"
                           : state == "partial"     ? "files only partly read (read errors); their hashes are of "
                                                      "what was read"
                           : state == "encrypted"   ? "encrypted archive members, listed by name and size only"
                                                    : "files whose content could not be read";
        m.limitations.push_back({"Content not read", std::to_string(st.Int(1)) + " " + what + "."});
      }));
  if (s.content_pending > 0) {
    m.limitations.push_back({"Content not yet read", std::to_string(s.content_pending) +
                                                         " files were listed but their content not yet read, "
                                                         "hashed or searched (triage was stopped early)."});
  }
  // Mail stores and browser caches from which no artefact came: not read by the parsers of the version
  // that ran triage, or empty or damaged. Decided from the case, not from a list of what this version
  // reads, so it stays true whatever parsers ran.
  struct Unparsed {
    const char* where;
    const char* what;
  };
  for (const Unparsed& u : {Unparsed{"f.extension IN ('pst','ost')", "Outlook mail stores (.pst/.ost)"},
                            Unparsed{"f.extension IN ('mbox','eml','msg')", "e-mail files (.mbox/.eml/.msg)"},
                            Unparsed{"lower(f.name) IN ('index.dat','webcachev01.dat')",
                                     "Internet Explorer / Edge history files (index.dat, WebCacheV01.dat)"}}) {
    auto n = CountOf(db, std::string("SELECT count(*) FROM file f WHERE f.kind = 'file' AND ") + u.where +
                             " AND NOT EXISTS (SELECT 1 FROM artefact a WHERE a.file_id = f.id)");
    if (!n.ok()) return n.status();
    if (*n > 0) {
      m.limitations.push_back({"Not examined", std::to_string(*n) + " " + u.what +
                                                   " gave no artefact: the parsers that ran do not read them, or "
                                                   "they are empty or damaged. Their content was not examined."});
    }
  }
  if (m.videos > 0) {
    m.limitations.push_back(
        {"Not examined", std::to_string(m.videos) + " videos: hashed and typed, but not viewed or graded by triage."});
  }
  const int64_t graded = static_cast<int64_t>(m.graded_pictures.size());
  if (m.pictures > graded) {
    m.limitations.push_back({"Pictures not graded", std::to_string(m.pictures - graded) + " of " +
                                                        std::to_string(m.pictures) +
                                                        " pictures were not graded by the officer."});
  }
  if (m.known_good_files > 0) {
    m.limitations.push_back({"Known-good files left out",
                             std::to_string(m.known_good_files) +
                                 " files match a known-good hash set (operating system and program files) and are "
                                 "not listed in this report or the disclosure schedule."});
  }
  // What no run searched (see "What was searched" under the work done for what was).
  bool any_set = false, any_terms = false, any_entities = false, any_unallocated = false, any_carving = false;
  for (const SearchScope& sc : m.searches) {
    any_set |= !sc.hash_sets.empty();
    any_terms |= !sc.term_lists.empty() || sc.keyword_terms > 0;
    any_entities |= sc.entities == "yes";
    any_unallocated |= sc.unallocated == "yes";
    any_carving |= sc.carving == "yes";
  }
  if (!any_set) {
    m.limitations.push_back({"No hash set matched",
                             "No hash set was matched against the files: known indecent pictures and known-good "
                             "(operating system) files were not identified by their hashes."});
  }
  if (!any_terms) {
    m.limitations.push_back(
        {"No keyword search", std::string("No keyword or expression list was searched") +
                                  (any_entities ? "; only the built-in validated entities (see \"What was searched\")."
                                                : ", nor the built-in entities.")});
  }
  if (!any_unallocated) {
    m.limitations.push_back({"Unallocated space not searched",
                             "The file systems' unallocated space (where deleted content may remain) was not "
                             "searched."});
  }
  if (!any_carving) {
    m.limitations.push_back({"No carving",
                             "No file was carved: deleted files whose names are gone were not "
                             "recovered from unallocated space or from inside other files."});
  }
  m.limitations.push_back({"Nature of triage",
                           "This is a triage: the files and artefacts listed were extracted automatically and only "
                           "the items tagged were reviewed by the officer. It is not a full examination: no file "
                           "content was examined beyond what the parsers and searches named in this report read."});
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& TagLabels() {
  static const std::vector<std::string> labels = {"evidential", "exculpatory", "relevant", "disclosure_review"};
  return labels;
}

std::string LabelName(const std::string& label) {
  if (label == "evidential") return "Evidential";
  if (label == "relevant") return "Relevant";
  if (label == "exculpatory") return "Exculpatory";
  if (label == "disclosure_review") return "For disclosure review";
  return label;
}

std::string GradeName(const std::string& grade) {
  if (grade == "A" || grade == "B" || grade == "C") return "Category " + grade;
  if (grade == "not_relevant") return "Not indecent / not relevant";
  if (grade == "needs_review") return "Needs review";
  return grade;
}

std::string VerificationText(const ExhibitRecord& e) {
  const std::string& v = e.verification;
  if (v == "verified")
    return "Verified: the hash computed over the whole image matches the hash stored at acquisition.";
  if (v == "mismatch")
    return "MISMATCH: the hash computed over the image differs from the hash stored at acquisition. The image may "
           "have changed since it was made; do not rely on it until this is explained.";
  if (v == "no stored hash")
    return "Not verifiable: the image format stores no acquisition hash. The hashes computed by Custos are recorded "
           "here so that any later copy can be checked against them.";
  if (v == "failed")
    return "Verification failed: the image could not be read to its end (see the errors). The hashes are of what "
           "was read.";
  if (v == "pending") return "Not verified: the image hash was not computed (triage run with --no-verify or stopped).";
  return v;
}

Result<ReportModel> BuildReportModel(CaseStore& store, const std::string& examiner) {
  ReportModel m;
  auto summary = store.Summarize();
  if (!summary.ok()) return summary.status();
  m.summary = std::move(summary).value();
  auto counts = store.ArtefactCounts();
  if (!counts.ok()) return counts.status();
  m.artefact_counts = std::move(counts).value();
  sqlite3* db = store.raw_handle();
  CUSTOS_RETURN_IF_ERROR(ForEachRow(
      db, "SELECT parser, group_concat(DISTINCT parser_version) FROM artefact GROUP BY parser ORDER BY parser",
      [&](const Statement& s) { m.parsers.emplace_back(s.Text(0), s.Text(1)); }));
  CUSTOS_RETURN_IF_ERROR(ReadTags(db, m));
  CUSTOS_RETURN_IF_ERROR(ReadGrades(db, m));
  CUSTOS_RETURN_IF_ERROR(ReadHashHits(db, m));
  CUSTOS_RETURN_IF_ERROR(
      ForEachRow(db, "SELECT count(*), count(DISTINCT term) FROM keyword_hit",
                 [&](const Statement& s) { m.keyword_hits = s.Int(0), m.keyword_terms = s.Int(1); }));
  CUSTOS_RETURN_IF_ERROR(ForEachRow(
      db,
      "SELECT count(CASE WHEN mime LIKE 'image/%' THEN 1 END), count(CASE WHEN mime LIKE 'video/%' THEN 1 END) "
      "FROM file WHERE kind = 'file'",
      [&](const Statement& s) { m.pictures = s.Int(0), m.videos = s.Int(1); }));
  BuildHeadline(m);
  CUSTOS_RETURN_IF_ERROR(BuildSearches(db, m));
  CUSTOS_RETURN_IF_ERROR(BuildLimitations(db, m));
  m.generated = NowUtcMicros();
  m.tool_version = CUSTOS_VERSION;
  m.examiner = examiner.empty() ? m.summary.info.officer : examiner;
  return m;
}

}  // namespace custos::reports
