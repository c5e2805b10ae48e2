// The disclosure schedule, findings JSON, CASE/UCO JSON-LD, VICS JSON and bodyfile (see exports.h).
#include "reports/exports.h"

#include <cstdio>
#include <ctime>
#include <fstream>

#include "reports/evidence_text.h"
#include "triage/base/format.h"
#include "triage/sqlite/sql.h"

namespace custos::reports {
namespace {

using json = nlohmann::json;
using sql::Statement;

// Evidence text for JSON: valid UTF-8 (nlohmann escapes quotes, controls and NULs).
std::string J(const std::string& s) { return ValidUtf8(s); }
json OptTime(const std::optional<UtcMicros>& t) { return t ? json(IsoTime(*t)) : json(nullptr); }

constexpr const char* kFileExhibit =
    "(SELECT e.reference FROM filesystem s JOIN volume v ON v.id = s.volume_id JOIN exhibit e ON e.id = "
    "v.exhibit_id WHERE s.id = f.filesystem_id)";

class CsvOut {
 public:
  explicit CsvOut(const std::string& path) : out_(path, std::ios::binary) {}
  bool ok() const { return static_cast<bool>(out_); }
  void Row(const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out_ << (i ? "," : "") << CsvField(fields[i]);
    out_ << "\r\n";
  }
  bool Close() {
    out_.close();
    return !out_.fail();
  }

 private:
  std::ofstream out_;
};

std::string Relevance(const std::string& labels, const std::string& grade) {
  std::string r = labels;
  if (!grade.empty()) r += (r.empty() ? "" : "; ") + std::string("graded: ") + GradeName(grade);
  return r.empty() ? "not tagged" : r;
}

json HashList(const std::string& md5, const std::string& sha1, const std::string& sha256) {
  json hashes = json::array();
  auto add = [&](const char* method, const std::string& v) {
    if (v.empty()) return;
    hashes.push_back({{"@type", "uco-types:Hash"},
                      {"uco-types:hashMethod", {{"@type", "uco-vocabulary:HashNameVocab"}, {"@value", method}}},
                      {"uco-types:hashValue", {{"@type", "xsd:hexBinary"}, {"@value", v}}}});
  };
  add("MD5", md5);
  add("SHA1", sha1);
  add("SHA256", sha256);
  return hashes;
}

json XsdTime(UtcMicros t) { return {{"@type", "xsd:dateTime"}, {"@value", IsoTime(t)}}; }

// An IRI-safe id from any text (exhibit references hold '/').
std::string IdPart(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += std::isalnum(c) ? static_cast<char>(c) : '-';
  return out;
}

}  // namespace

std::string IsoTime(UtcMicros t) {
  std::time_t secs = static_cast<std::time_t>(t / 1000000);
  int64_t micros = t % 1000000;
  if (micros < 0) micros += 1000000, --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros));
  return buf;
}

int VicsCategory(const std::string& grade) {
  if (grade == "A") return 1;
  if (grade == "B") return 2;
  if (grade == "C") return 3;
  if (grade == "not_relevant") return 4;
  return 0;
}

// How the disclosure schedule names a file row's kind (the walk's kinds: see triage/model/records.h).
std::string ItemKind(const std::string& kind) {
  if (kind == "ads") return "alternate data stream";
  if (kind == "carved") return "carved object";
  if (kind == "slack") return "file slack";
  if (kind == "virtual") return "file-system area";  // TSK's metadata files and the unallocated-space regions
  if (kind == "link") return "link";
  if (kind == "other") return "other file-system object";
  return "file";
}

Status WriteDisclosureCsv(const ReportModel& m, CaseStore& store, const std::string& path) {
  CsvOut csv(path);
  if (!csv.ok()) return Status::IOError("cannot write " + path);
  csv.Row({"item", "description", "location", "relevance tag", "note"});
  sqlite3* db = store.raw_handle();
  Status status;
  {
    Statement st(db,
                 "SELECT f.id, " + std::string(kFileExhibit) +
                     ", f.path, f.size, ifnull(f.mime,''), f.deleted, ifnull(f.md5,''), ifnull(f.content_state,''), "
                     "(SELECT group_concat(label, '; ') FROM tag WHERE target = 'file' AND target_id = f.id), "
                     "(SELECT group_concat(note, ' | ') FROM tag WHERE target = 'file' AND target_id = f.id AND "
                     "note != ''), (SELECT grade FROM picture_grade WHERE file_id = f.id), f.kind "
                     // Every item triage read or searched: files, streams, carved objects, slack and unallocated
                     // regions; folders are where items are, not items.
                     "FROM file f WHERE f.kind != 'dir' AND NOT EXISTS (SELECT 1 FROM hash_hit h WHERE "
                     "h.file_id = f.id AND h.set_kind = 'known_good') ORDER BY f.id");
    if (!st.ok()) return st.prepare_error();
    while (st.Step(&status)) {
      std::string desc = ItemKind(st.Text(11)) + ", " + FormatBytes(st.Int(3));
      if (!st.Text(4).empty()) desc += ", " + st.Text(4);
      if (st.Int(5)) desc += ", deleted";
      if (!st.Text(7).empty() && st.Text(7) != "complete") desc += ", content " + st.Text(7);
      if (!st.Text(6).empty()) desc += ", MD5 " + st.Text(6);
      csv.Row({"F" + std::to_string(st.Int(0)), desc, st.Text(1) + " " + st.Text(2), Relevance(st.Text(8), st.Text(10)),
               st.Text(9)});
    }
    CUSTOS_RETURN_IF_ERROR(status);
  }
  if (m.known_good_files > 0) {
    csv.Row({"F*", std::to_string(m.known_good_files) + " files matching known-good hash sets", "all exhibits",
             "not relevant (known-good)", "operating system and program files, not listed one by one"});
  }
  {
    Statement st(db, "SELECT a.id, a.kind, a.summary, ifnull(" + std::string(kFileExhibit) +
                         ",''), ifnull(f.path,''), a.location, a.time, "
                         "(SELECT group_concat(label, '; ') FROM tag WHERE target = 'artefact' AND target_id = a.id), "
                         "(SELECT group_concat(note, ' | ') FROM tag WHERE target = 'artefact' AND target_id = a.id "
                         "AND note != '') FROM artefact a LEFT JOIN file f ON f.id = a.file_id ORDER BY a.id");
    if (!st.ok()) return st.prepare_error();
    while (st.Step(&status)) {
      std::string desc = st.Text(1) + ": " + st.Text(2);
      if (!st.IsNull(6)) desc += " (" + FormatUtc(st.Int(6)) + ")";
      std::string where = st.Text(3) + " " + st.Text(4);
      if (!st.Text(5).empty()) where += " [" + st.Text(5) + "]";
      csv.Row({"A" + std::to_string(st.Int(0)), desc, where, Relevance(st.Text(7), ""), st.Text(8)});
    }
    CUSTOS_RETURN_IF_ERROR(status);
  }
  {
    Statement st(db,
                 "SELECT k.id, k.term, k.match, ifnull(f.path, 'unallocated space, volume ' || k.volume_id), "
                 "k.offset_bytes, "
                 "(SELECT group_concat(label, '; ') FROM tag WHERE target = 'keyword_hit' AND target_id = k.id), "
                 "(SELECT group_concat(note, ' | ') FROM tag WHERE target = 'keyword_hit' AND target_id = k.id "
                 "AND note != '') FROM keyword_hit k LEFT JOIN file f ON f.id = k.file_id ORDER BY k.id");
    if (!st.ok()) return st.prepare_error();
    while (st.Step(&status)) {
      csv.Row({"K" + std::to_string(st.Int(0)), "keyword hit \"" + st.Text(1) + "\": " + st.Text(2),
               st.Text(3) + " at byte " + std::to_string(st.Int(4)), Relevance(st.Text(5), ""), st.Text(6)});
    }
    CUSTOS_RETURN_IF_ERROR(status);
  }
  if (!csv.Close()) return Status::IOError("writing " + path + " failed (disk full?)");
  return Status::Ok();
}

json FindingsJson(const ReportModel& m) {
  const CaseInfo& info = m.summary.info;
  json j;
  j["schema"] = "custos.findings/1";
  j["generated"] = IsoTime(m.generated);
  j["tool"] = {{"name", "Custos"}, {"version", m.tool_version}};
  j["case"] = {{"reference", J(info.case_reference)},
               {"operation", J(info.operation)},
               {"officer", J(info.officer)},
               {"examiner", J(m.examiner)},
               {"custody_limit", OptTime(info.custody_limit)}};
  j["exhibits"] = json::array();
  for (const ExhibitRow& e : m.summary.exhibits) {
    const ExhibitRecord& r = e.record;
    json acq = json::object();
    for (const auto& [k, v] : r.acquisition) acq[J(k)] = J(v);
    j["exhibits"].push_back({{"reference", J(r.reference)},
                             {"format", r.format},
                             {"size_bytes", r.size_bytes},
                             {"acquisition", acq},
                             {"stored_md5", r.stored_md5},
                             {"stored_sha1", r.stored_sha1},
                             {"computed_md5", r.computed_md5},
                             {"computed_sha1", r.computed_sha1},
                             {"verification", r.verification},
                             {"state", e.state}});
  }
  j["headline"] = json::array();
  for (const HeadlineCount& c : m.headline) {
    j["headline"].push_back({{"label", c.label}, {"count", c.count}, {"source", c.source}});
  }
  j["picture_grades"] = json::array();
  for (const GradeCount& g : m.grades) {
    j["picture_grades"].push_back(
        {{"grade", g.grade}, {"name", GradeName(g.grade)}, {"accessible", g.allocated}, {"deleted", g.deleted}});
  }
  j["known_bad"] = json::array();
  for (const KnownBadCount& k : m.known_bad) {
    j["known_bad"].push_back(
        {{"category", J(k.category)}, {"sets", J(k.sets)}, {"accessible", k.allocated}, {"deleted", k.deleted}});
  }
  j["tagged"] = json::array();
  for (const TaggedItem& t : m.tagged) {
    j["tagged"].push_back({{"tag_id", t.tag_id},
                           {"target", t.target},
                           {"target_id", t.target_id},
                           {"label", t.label},
                           {"note", J(t.note)},
                           {"tagged_by", J(t.author)},
                           {"tagged_at", IsoTime(t.tagged)},
                           {"exhibit", J(t.exhibit)},
                           {"kind", J(t.kind)},
                           {"description", J(t.description)},
                           {"detail", J(t.detail)},
                           {"source_path", J(t.source_path)},
                           {"deleted", t.deleted},
                           {"time", OptTime(t.time)},
                           {"time_note", J(t.time_note)},
                           {"md5", t.md5},
                           {"sha1", t.sha1},
                           {"sha256", t.sha256},
                           {"parser", J(t.parser)}});
  }
  j["searches"] = json::array();  // what each run searched, also where it found nothing
  for (const SearchScope& sc : m.searches) {
    auto flag = [](const std::string& yes_no) { return yes_no.empty() ? json(nullptr) : json(yes_no == "yes"); };
    json hash_sets = json::array(), lists = json::array();
    for (const auto& h : sc.hash_sets) hash_sets.push_back(J(h));
    for (const auto& l : sc.term_lists) lists.push_back(J(l));
    j["searches"].push_back({{"run", sc.run},
                             {"started", IsoTime(sc.when)},
                             {"hash_sets", hash_sets},
                             {"term_lists", lists},
                             {"terms", sc.terms},
                             {"entities", flag(sc.entities)},
                             {"case_sensitive", flag(sc.case_sensitive)},
                             {"unallocated", flag(sc.unallocated)},
                             {"carving", flag(sc.carving)}});
  }
  j["limitations"] = json::array();
  for (const Limitation& l : m.limitations) j["limitations"].push_back({{"area", J(l.area)}, {"detail", J(l.detail)}});
  return j;
}

json CaseUcoJson(const ReportModel& m, const std::string& export_action_name) {
  const CaseInfo& info = m.summary.info;
  json graph = json::array();
  const std::string tool_id = "kb:tool-custos-" + IdPart(m.tool_version);
  graph.push_back({{"@id", tool_id},
                   {"@type", "uco-tool:Tool"},
                   {"uco-core:name", "Custos"},
                   {"uco-tool:toolType", "digital forensics triage"},
                   {"uco-tool:version", m.tool_version}});
  const std::string examiner_id = "kb:examiner";
  graph.push_back({{"@id", examiner_id}, {"@type", "uco-identity:Person"}, {"uco-core:name", J(m.examiner)}});
  json investigation_objects = json::array({{{"@id", tool_id}}, {{"@id", examiner_id}}});
  json images = json::array();
  for (const ExhibitRow& e : m.summary.exhibits) {
    const ExhibitRecord& r = e.record;
    const std::string image_id = "kb:image-" + std::to_string(e.id) + "-" + IdPart(r.reference);
    json facets = json::array();
    facets.push_back({{"@type", "uco-observable:ImageFacet"}, {"uco-observable:imageType", r.format}});
    facets.push_back({{"@type", "uco-observable:ContentDataFacet"},
                      {"uco-observable:sizeInBytes", r.size_bytes},
                      {"uco-observable:hash", HashList(r.computed_md5, r.computed_sha1, "")}});
    graph.push_back(
        {{"@id", image_id},
         {"@type", "uco-observable:Image"},
         {"uco-core:description", "image of exhibit " + J(r.reference) + "; verification: " + r.verification},
         {"uco-core:hasFacet", facets}});
    const std::string prov_id = "kb:provenance-record-" + std::to_string(e.id);
    graph.push_back({{"@id", prov_id},
                     {"@type", "case-investigation:ProvenanceRecord"},
                     {"case-investigation:exhibitNumber", J(r.reference)},
                     {"uco-core:object", json::array({{{"@id", image_id}}})}});
    images.push_back({{"@id", image_id}});
    investigation_objects.push_back({{"@id", image_id}});
    investigation_objects.push_back({{"@id", prov_id}});
  }
  // Tagged items: files become File observables with their hashes; artefacts and keyword hits
  // ObservableObjects described by their summary; each tag an Annotation on its observable.
  json findings = json::array();
  for (const TaggedItem& t : m.tagged) {
    const std::string obs_id = "kb:" + t.target + "-" + std::to_string(t.target_id);
    bool seen = false;
    for (const json& f : findings) seen = seen || f["@id"] == obs_id;
    if (!seen) {
      json facets = json::array();
      if (t.target == "file") {
        json ff = {{"@type", "uco-observable:FileFacet"},
                   {"uco-observable:fileName", J(t.description)},
                   {"uco-observable:filePath", J(t.source_path)},
                   {"uco-observable:sizeInBytes", t.size}};
        if (t.time) ff["uco-observable:modifiedTime"] = XsdTime(*t.time);
        if (t.created) ff["uco-observable:observableCreatedTime"] = XsdTime(*t.created);
        if (t.accessed) ff["uco-observable:accessedTime"] = XsdTime(*t.accessed);
        facets.push_back(ff);
        facets.push_back({{"@type", "uco-observable:ContentDataFacet"},
                          {"uco-observable:sizeInBytes", t.size},
                          {"uco-observable:hash", HashList(t.md5, t.sha1, t.sha256)}});
        graph.push_back({{"@id", obs_id}, {"@type", "uco-observable:File"}, {"uco-core:hasFacet", facets}});
      } else {
        json o = {{"@id", obs_id},
                  {"@type", "uco-observable:ObservableObject"},
                  {"uco-core:name", J(t.kind)},
                  {"uco-core:description",
                   J(t.description + (t.source_path.empty() ? "" : " (from " + t.source_path + ")"))}};
        graph.push_back(o);
      }
      findings.push_back({{"@id", obs_id}});
    }
    json ann = {{"@id", "kb:annotation-tag-" + std::to_string(t.tag_id)},
                {"@type", "uco-core:Annotation"},
                {"uco-core:tag", json::array({t.label})},
                {"uco-core:statement", json::array({J(t.note)})},
                {"uco-core:object", json::array({{{"@id", obs_id}}})}};
    graph.push_back(ann);
    investigation_objects.push_back({{"@id", ann["@id"]}});
  }
  const std::string findings_prov = "kb:provenance-record-findings";
  std::string exhibits;
  for (const ExhibitRow& e : m.summary.exhibits) exhibits += (exhibits.empty() ? "" : ", ") + J(e.record.reference);
  graph.push_back({{"@id", findings_prov},
                   {"@type", "case-investigation:ProvenanceRecord"},
                   {"case-investigation:exhibitNumber", exhibits},
                   {"uco-core:description", "items tagged by the officer"},
                   {"uco-core:object", findings}});
  investigation_objects.push_back({{"@id", findings_prov}});
  for (const json& f : findings) investigation_objects.push_back(f);
  for (const RunRow& r : m.summary.runs) {
    json action = {{"@id", "kb:investigative-action-run-" + std::to_string(r.id)},
                   {"@type", "case-investigation:InvestigativeAction"},
                   {"uco-core:name", "triage"},
                   {"uco-core:description", J(r.command_line) + " (outcome: " + J(r.outcome) + ")"},
                   {"uco-action:startTime", XsdTime(r.started)},
                   {"uco-action:instrument", {{"@id", tool_id}}},
                   {"uco-action:performer", {{"@id", examiner_id}}},
                   {"uco-action:object", images},
                   {"uco-action:result", json::array({{{"@id", findings_prov}}})}};
    if (r.finished) action["uco-action:endTime"] = XsdTime(*r.finished);
    graph.push_back(action);
    investigation_objects.push_back({{"@id", action["@id"]}});
  }
  graph.push_back({{"@id", "kb:investigative-action-export"},
                   {"@type", "case-investigation:InvestigativeAction"},
                   {"uco-core:name", export_action_name},
                   {"uco-action:startTime", XsdTime(m.generated)},
                   {"uco-action:instrument", {{"@id", tool_id}}},
                   {"uco-action:performer", {{"@id", examiner_id}}},
                   {"uco-action:object", json::array({{{"@id", findings_prov}}})}});
  investigation_objects.push_back({{"@id", "kb:investigative-action-export"}});
  json investigation = {{"@id", "kb:investigation"},
                        {"@type", "case-investigation:Investigation"},
                        {"uco-core:name", J(info.case_reference)},
                        {"uco-core:description", J(info.operation)},
                        {"case-investigation:focus", json::array({"digital device triage"})},
                        {"uco-core:object", investigation_objects}};
  graph.insert(graph.begin(), investigation);
  json ctx = {{"kb", "urn:custos:" + IdPart(info.case_reference.empty() ? "case" : info.case_reference) + ":"},
              {"case-investigation", "https://ontology.caseontology.org/case/investigation/"},
              {"uco-action", "https://ontology.unifiedcyberontology.org/uco/action/"},
              {"uco-core", "https://ontology.unifiedcyberontology.org/uco/core/"},
              {"uco-identity", "https://ontology.unifiedcyberontology.org/uco/identity/"},
              {"uco-observable", "https://ontology.unifiedcyberontology.org/uco/observable/"},
              {"uco-tool", "https://ontology.unifiedcyberontology.org/uco/tool/"},
              {"uco-types", "https://ontology.unifiedcyberontology.org/uco/types/"},
              {"uco-vocabulary", "https://ontology.unifiedcyberontology.org/uco/vocabulary/"},
              {"xsd", "http://www.w3.org/2001/XMLSchema#"}};
  return {{"@context", ctx}, {"@graph", graph}};
}

json VicsJson(const ReportModel& m) {
  json media = json::array();
  int64_t id = 0;
  for (const GradedPicture& p : m.graded_pictures) {
    std::string upper_md5 = p.md5, upper_sha1 = p.sha1;
    for (char& c : upper_md5) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (char& c : upper_sha1) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    json file = {{"MD5", upper_md5},
                 {"FileName", J(p.name)},
                 {"FilePath", J(p.exhibit + ":" + p.path)},
                 {"Unallocated", p.deleted}};
    file["Created"] = OptTime(p.crtime);
    file["Written"] = OptTime(p.mtime);
    file["Accessed"] = OptTime(p.atime);
    media.push_back({{"MediaID", ++id},
                     {"Category", VicsCategory(p.grade)},
                     {"MD5", upper_md5},
                     {"SHA1", upper_sha1},
                     {"MediaSize", p.size},
                     {"MimeType", p.mime},
                     {"DateUpdated", IsoTime(p.graded)},
                     {"IsPrecategorized", false},
                     {"Comments", "graded " + GradeName(p.grade) + " by " + J(p.author)},
                     {"MediaFiles", json::array({file})}});
  }
  return {{"@odata.context", "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media"},
          {"value", media}};
}

Status WriteBodyfile(CaseStore& store, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return Status::IOError("cannot write " + path);
  auto secs = [](const std::optional<UtcMicros>& t) -> long long {
    if (!t) return 0;
    return static_cast<long long>(*t >= 0 ? *t / 1000000 : -((-*t + 999999) / 1000000));
  };
  Status st = store.ForEachFile(FileQuery{}, [&](const FileRow& row) {
    const FileRecord& f = row.record;
    // mactime splits on '|': a '|' in a name would shift every column, so it is written as %7C. Newlines
    // and other controls become visible symbols (Printable), so one file is always one line.
    std::string name = Printable(row.exhibit_reference + ":" + f.path);
    std::string safe;
    for (char c : name) {
      if (c == '|') {
        safe += "%7C";
      } else if (c == '\n') {
        safe += "[0x0A]";
      } else {
        safe.push_back(c);
      }
    }
    if (f.deleted) safe += " (deleted)";
    // The mode as fls -m writes it, recorded by the walk; rows with no metadata entry walked through TSK
    // (logical sources, archive members, carved objects, cases walked before schema 4) get a guess from the
    // kind with no permission bits, and UID and GID 0, as fls -m writes for a name without metadata.
    const char type = f.kind == "dir" ? 'd' : f.kind == "link" ? 'l' : f.kind == "virtual" ? 'v' : 'r';
    const std::string mode = !f.mode_text.empty() ? Printable(f.mode_text) : std::string{type, '/', type} + "---------";
    std::string inode = std::to_string(f.meta_addr);
    // As fls -m: "inode-type-id" on NTFS (attribute types 16-256), the bare inode elsewhere.
    if (f.attr_type >= 16 && f.attr_type <= 256) {
      inode += "-" + std::to_string(f.attr_type) + "-" + std::to_string(f.attr_id);
    }
    out << (row.content.md5.empty() ? "0" : row.content.md5) << '|' << safe << '|' << inode << '|' << mode << '|'
        << f.uid.value_or(0) << '|' << f.gid.value_or(0) << '|' << f.size << '|' << secs(f.atime) << '|'
        << secs(f.mtime) << '|' << secs(f.ctime) << '|' << secs(f.crtime) << '\n';
    return true;
  });
  CUSTOS_RETURN_IF_ERROR(st);
  out.close();
  if (out.fail()) return Status::IOError("writing " + path + " failed (disk full?)");
  return Status::Ok();
}

}  // namespace custos::reports
