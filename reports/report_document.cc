// Builds the SFR1-shaped CPS report from a ReportModel (see report_document.h).
#include "reports/report_document.h"

#include "reports/evidence_text.h"
#include "triage/base/format.h"
#include "triage/sqlite/sql.h"

namespace custos::reports {
namespace {

constexpr size_t kCellBytes = 600;   // evidence text in a table cell
constexpr size_t kNoteBytes = 1500;  // an officer's note
constexpr size_t kMaxThumbnails = 400;
constexpr size_t kFirstPageItems = 8;  // key findings listed on the first page

Block Of(Block::Kind kind, std::string text = "") {
  Block b;
  b.kind = kind;
  b.text = std::move(text);
  return b;
}
Block Title(std::string text) { return Of(Block::Kind::kTitle, std::move(text)); }
Block Heading(std::string text) { return Of(Block::Kind::kHeading, std::move(text)); }
Block Subheading(std::string text) { return Of(Block::Kind::kSubheading, std::move(text)); }
Block Para(std::string text, bool warning = false) {
  Block b = Of(Block::Kind::kParagraph, std::move(text));
  b.warning = warning;
  return b;
}
Block Notice(std::string text, bool warning = false) {
  Block b = Of(Block::Kind::kNotice, std::move(text));
  b.warning = warning;
  return b;
}
Block Facts(std::vector<std::pair<std::string, std::string>> facts) {
  Block b = Of(Block::Kind::kFacts);
  b.facts = std::move(facts);
  return b;
}
Block Table(std::vector<std::string> headers, std::vector<double> widths) {
  Block b = Of(Block::Kind::kTable);
  b.headers = std::move(headers);
  b.widths = std::move(widths);
  return b;
}

std::string Cell(const std::string& text) { return Clip(text, kCellBytes); }
std::string Or(const std::string& s, const char* dflt) { return s.empty() ? dflt : s; }

std::string ExhibitList(const ReportModel& m) {
  std::string refs;
  for (const ExhibitRow& e : m.summary.exhibits) refs += (refs.empty() ? "" : ", ") + e.record.reference;
  return refs.empty() ? "none" : refs;
}

std::string Acq(const ExhibitRecord& r, const char* key) {
  auto it = r.acquisition.find(key);
  return it == r.acquisition.end() ? "" : it->second;
}

std::string ItemSource(const TaggedItem& t) {
  std::string s = t.source_path.empty() ? "-" : t.source_path;
  if (t.deleted) s += " (deleted)";
  return s;
}

std::string ItemTime(const TaggedItem& t) {
  if (!t.time) return "-";
  std::string s = FormatUtc(t.time);
  if (!t.time_note.empty()) s += " (" + t.time_note + ")";
  return s;
}

void AddFirstPage(const ReportModel& m, ReportDocument& d) {
  const CaseInfo& info = m.summary.info;
  d.blocks.push_back(Title("Streamlined Forensic Report (SFR1): digital evidence"));
  d.blocks.push_back(
      Para("Triage of seized digital devices. This report summarises the key findings for the charging decision; the "
           "detail, the limits of the work and every tagged item follow."));
  std::vector<std::pair<std::string, std::string>> facts = {
      {"Case reference (URN)", Or(info.case_reference, "not recorded")},
      {"Operation", Or(info.operation, "not recorded")},
      {"Officer / examiner", Or(m.examiner, "not recorded")},
      {"Exhibits", ExhibitList(m)},
      {"Report produced", FormatUtc(m.generated) + " by Custos " + m.tool_version},
  };
  if (info.custody_limit) facts.push_back({"Custody time limit", FormatUtc(info.custody_limit)});
  d.blocks.push_back(Facts(std::move(facts)));

  d.blocks.push_back(Heading("1. Key findings"));
  // Image integrity first: the lawyer must know whether the copy examined is the one seized.
  for (const ExhibitRow& e : m.summary.exhibits) {
    const bool ok = e.record.verification == "verified";
    d.blocks.push_back(Notice("Exhibit " + e.record.reference + ": " + VerificationText(e.record), !ok));
  }
  int64_t graded_total = 0;
  for (const GradeCount& g : m.grades) graded_total += g.allocated + g.deleted;
  if (graded_total > 0) {
    Block t = Table({"Pictures graded", "Accessible to the user", "Deleted", "Total"}, {0.4, 0.22, 0.18, 0.2});
    for (const GradeCount& g : m.grades) {
      t.rows.push_back({GradeName(g.grade), std::to_string(g.allocated), std::to_string(g.deleted),
                        std::to_string(g.allocated + g.deleted)});
    }
    d.blocks.push_back(std::move(t));
    d.blocks.push_back(
        Para("\"Accessible to the user\" means the file was allocated (not deleted) and reachable through the file "
             "system; \"deleted\" means it was recovered from deleted or unallocated entries the user could not open "
             "without specialist tools."));
  } else {
    d.blocks.push_back(Para("No pictures were graded."));
  }
  if (!m.known_bad.empty()) {
    Block t =
        Table({"Known-bad hash matches (category)", "Hash set(s)", "Accessible", "Deleted"}, {0.34, 0.34, 0.16, 0.16});
    for (const KnownBadCount& k : m.known_bad) {
      t.rows.push_back(
          {Cell(Or(k.category, "(none given)")), Cell(k.sets), std::to_string(k.allocated), std::to_string(k.deleted)});
    }
    d.blocks.push_back(std::move(t));
  }
  size_t evidential = 0;
  for (const TaggedItem& t : m.tagged) evidential += t.label == "evidential";
  if (evidential == 0) {
    d.blocks.push_back(Para("No item was tagged as evidential."));
  } else {
    Block t = Table({"Evidential item", "Where", "When", "Officer's note"}, {0.32, 0.3, 0.16, 0.22});
    size_t n = 0;
    for (const TaggedItem& item : m.tagged) {
      if (item.label != "evidential" || n++ >= kFirstPageItems) continue;
      t.rows.push_back({Cell(item.kind + ": " + item.description), Cell(item.exhibit + " " + ItemSource(item)),
                        ItemTime(item), Cell(item.note)});
    }
    d.blocks.push_back(std::move(t));
    if (evidential > kFirstPageItems) {
      d.blocks.push_back(
          Para(std::to_string(evidential - kFirstPageItems) + " more evidential item(s) in section 4 and Appendix A."));
    }
  }
  Block h = Table({"Also found", "Count", "From"}, {0.4, 0.15, 0.45});
  std::string none;
  for (const HeadlineCount& c : m.headline) {
    if (c.count > 0) {
      h.rows.push_back({c.label, std::to_string(c.count), c.source});
    } else {
      none += (none.empty() ? "" : ", ") + c.label;
    }
  }
  if (!h.rows.empty()) d.blocks.push_back(std::move(h));
  if (!none.empty()) d.blocks.push_back(Para("None found: " + none + "."));
}

void AddMaterial(const ReportModel& m, ReportDocument& d) {
  d.blocks.push_back(Heading("2. Material examined"));
  for (const ExhibitRow& e : m.summary.exhibits) {
    const ExhibitRecord& r = e.record;
    d.blocks.push_back(Subheading("Exhibit " + r.reference));
    std::vector<std::pair<std::string, std::string>> f = {
        {"Image format", r.format},
        {"Media size", FormatBytes(r.size_bytes) + " (" + std::to_string(r.size_bytes) + " bytes)"},
    };
    for (const auto& [key, label] :
         std::vector<std::pair<const char*, const char*>>{{"description", "Description"},
                                                          {"model", "Device model"},
                                                          {"serial_number", "Device serial number"},
                                                          {"evidence_number", "Evidence number (in image)"},
                                                          {"case_number", "Case number (in image)"},
                                                          {"examiner_name", "Imaged by"},
                                                          {"acquiry_date", "Imaged on"},
                                                          {"acquiry_software_version", "Imaging software"},
                                                          {"notes", "Imaging notes"}}) {
      const std::string v = Acq(r, key);
      if (!v.empty()) f.push_back({label, Cell(v)});
    }
    std::string sources;
    for (const std::string& s : r.sources) sources += (sources.empty() ? "" : "\n") + s;
    f.push_back({"Image file(s)", Cell(sources)});
    f.push_back({"MD5 stored at acquisition", Or(r.stored_md5, "none")});
    f.push_back({"MD5 computed by Custos", Or(r.computed_md5, "not computed")});
    f.push_back({"SHA-1 stored at acquisition", Or(r.stored_sha1, "none")});
    f.push_back({"SHA-1 computed by Custos", Or(r.computed_sha1, "not computed")});
    f.push_back({"Verification", VerificationText(r)});
    d.blocks.push_back(Facts(std::move(f)));
    Block t = Table({"Volume", "Offset (bytes)", "Size", "File system"}, {0.34, 0.2, 0.16, 0.3});
    for (const VolumeRow& v : m.summary.volumes) {
      if (v.record.exhibit_id != e.id) continue;
      std::string fs;
      for (const FileSystemRow& f2 : m.summary.filesystems) {
        if (f2.record.volume_id == v.id) fs += (fs.empty() ? "" : ", ") + f2.record.type;
      }
      t.rows.push_back({Cell(v.record.kind + " " + v.record.description), std::to_string(v.record.offset_bytes),
                        FormatBytes(v.record.length_bytes), fs.empty() ? "-" : fs});
    }
    if (!t.rows.empty()) d.blocks.push_back(std::move(t));
  }
}

void AddWork(const ReportModel& m, ReportDocument& d) {
  const CaseSummary& s = m.summary;
  d.blocks.push_back(Heading("3. Work done"));
  d.blocks.push_back(
      Para("Each image was opened read-only with Custos, which lists every file and directory of every volume with "
           "The Sleuth Kit (deleted entries included), computes MD5 and SHA-1 hashes of file content, identifies the "
           "type of each file from its content, and extracts artefacts (accounts, devices, messages, browser history, "
           "picture details and others) with the parsers named below. The officer then reviewed the results, tagged "
           "items and graded pictures. Totals: " +
           std::to_string(s.files) + " files (" + FormatBytes(s.bytes_total) + "), " + std::to_string(s.deleted) +
           " deleted, " + std::to_string(s.hashed) + " hashed, " + std::to_string(s.directories) + " directories."));
  Block runs = Table({"Run", "Started", "Finished", "Tool", "Outcome"}, {0.08, 0.24, 0.24, 0.16, 0.28});
  for (const RunRow& r : s.runs) {
    runs.rows.push_back({std::to_string(r.id), FormatUtc(r.started),
                         r.finished ? FormatUtc(r.finished) : "not finished", "Custos " + r.tool_version,
                         Cell(r.outcome)});
  }
  d.blocks.push_back(std::move(runs));
  if (!s.runs.empty()) d.blocks.push_back(Para("Command of the last run: " + Cell(s.runs.back().command_line)));
  // What each run searched, also where nothing was found (a search that found nothing is a result).
  d.blocks.push_back(Subheading("What was searched"));
  Block searched = Table({"Run", "Hash sets matched against the files", "Keyword and expression lists",
                          "Entities / unallocated space / carving"},
                         {0.16, 0.36, 0.28, 0.20});
  auto joined = [](const std::vector<std::string>& lines, const char* none) {
    std::string text;
    for (const auto& l : lines) text += (text.empty() ? "" : "\n") + l;
    return text.empty() ? std::string(none) : text;
  };
  auto said = [](const std::string& yes_no) { return yes_no.empty() ? std::string("not recorded") : yes_no; };
  for (const SearchScope& sc : m.searches) {
    std::string lists = joined(sc.term_lists, "none");
    if (!sc.terms.empty()) lists += "\n" + sc.terms;
    if (sc.case_sensitive == "yes") lists += "\n(case-sensitive)";
    searched.rows.push_back({sc.run + "\n" + FormatUtc(sc.when), Cell(joined(sc.hash_sets, "none")), Cell(lists),
                             sc.is_triage ? "entities: " + said(sc.entities) + "\nunallocated: " +
                                                said(sc.unallocated) + "\ncarving: " + said(sc.carving)
                                          : "-"});
  }
  if (searched.rows.empty()) {
    d.blocks.push_back(Para("No run recorded what it searched."));
  } else {
    d.blocks.push_back(std::move(searched));
  }
  if (!m.parsers.empty()) {
    Block p = Table({"Parser", "Version"}, {0.6, 0.4});
    for (const auto& [name, version] : m.parsers) p.rows.push_back({name, version});
    d.blocks.push_back(std::move(p));
    Block k = Table({"Artefact kind", "Count"}, {0.7, 0.3});
    for (const auto& [kind, n] : m.artefact_counts) {
      if (n > 0) k.rows.push_back({kind, std::to_string(n)});
    }
    if (!k.rows.empty()) d.blocks.push_back(std::move(k));
  }
}

void AddFindings(const ReportModel& m, CaseStore& store, const DocumentOptions& options, ReportDocument& d) {
  d.blocks.push_back(Heading("4. Tagged items"));
  if (m.tagged.empty()) d.blocks.push_back(Para("The officer tagged no items."));
  for (const std::string& label : TagLabels()) {
    Block t = Table({"Item", "Source", "Time", "Officer's note"}, {0.3, 0.32, 0.16, 0.22});
    for (const TaggedItem& item : m.tagged) {
      if (item.label != label) continue;
      std::string what = item.kind + ": " + item.description;
      if (!item.detail.empty() && item.target != "file") what += "\n" + item.detail;
      t.rows.push_back(
          {Cell(what), Cell(item.exhibit + " " + ItemSource(item)), ItemTime(item), Clip(item.note, kNoteBytes)});
    }
    if (t.rows.empty()) continue;
    d.blocks.push_back(Subheading(LabelName(label) + " (" + std::to_string(t.rows.size()) + ")"));
    d.blocks.push_back(std::move(t));
  }

  d.blocks.push_back(Heading("5. Pictures"));
  if (m.graded_pictures.empty()) {
    d.blocks.push_back(Para("No pictures were graded. " + std::to_string(m.pictures) + " pictures are in the case."));
    return;
  }
  Block t = Table({"Grade", "File", "Accessible / deleted", "MD5"}, {0.16, 0.46, 0.14, 0.24});
  for (const GradedPicture& p : m.graded_pictures) {
    t.rows.push_back(
        {GradeName(p.grade), Cell(p.exhibit + " " + p.path), p.deleted ? "deleted" : "accessible", Or(p.md5, "-")});
  }
  d.blocks.push_back(std::move(t));
  if (!options.media) {
    d.blocks.push_back(Para("Thumbnails are not included in this copy (produced with --no-media)."));
    return;
  }
  Block thumbs = Of(Block::Kind::kThumbnails);
  sql::Statement st(store.raw_handle(),
                    "SELECT width, height, jpeg FROM thumbnail WHERE file_id = ?1 AND jpeg IS NOT NULL");
  size_t missing = 0;
  for (const GradedPicture& p : m.graded_pictures) {
    if (p.grade == "not_relevant" || thumbs.thumbnails.size() >= kMaxThumbnails) continue;
    st.Reset();
    st.Bind(1, p.file_id);
    Status status;
    if (st.Step(&status)) {
      Thumbnail th;
      th.width = static_cast<int>(st.Int(0)), th.height = static_cast<int>(st.Int(1));
      th.jpeg = st.Text(2);
      th.caption = GradeName(p.grade) + ": " + Clip(p.name, 80);
      if (!th.jpeg.empty()) thumbs.thumbnails.push_back(std::move(th));
    } else {
      ++missing;
    }
  }
  if (!thumbs.thumbnails.empty()) {
    d.blocks.push_back(Subheading("Thumbnails of the graded pictures"));
    d.blocks.push_back(std::move(thumbs));
  }
  if (missing > 0)
    d.blocks.push_back(Para(std::to_string(missing) + " graded picture(s) have no thumbnail in the case."));
}

void AddLimits(const ReportModel& m, ReportDocument& d) {
  d.blocks.push_back(Heading("6. What was not examined, and limits"));
  Block t = Table({"Area", "Detail"}, {0.25, 0.75});
  for (const Limitation& l : m.limitations) t.rows.push_back({Cell(l.area), Cell(l.detail)});
  d.blocks.push_back(std::move(t));
}

void AddDeclaration(const ReportModel& m, ReportDocument& d) {
  d.blocks.push_back(Heading("7. Declaration"));
  d.blocks.push_back(Para(
      "This is a streamlined forensic report of key findings from a triage of the exhibits named above. It is "
      "not a full forensic examination. If the findings are not agreed, the defence should say which are in issue, "
      "so that a full report can be prepared."));
  d.blocks.push_back(
      Para("I confirm that the facts stated in this report are within my own knowledge or are taken from the case "
           "file named below, and that they are true to the best of my knowledge and belief. I have set out what was "
           "not examined and the limits of the work. I understand my duty to the court to give objective and unbiased "
           "evidence, including anything that may undermine the prosecution case or assist the defence, and that this "
           "duty overrides any obligation to the party instructing me."));
  Block sig = Of(Block::Kind::kSignature);
  sig.facts = {{"Name", Or(m.examiner, "")}, {"Signature", ""}, {"Date", ""}};
  d.blocks.push_back(std::move(sig));
}

void AddAppendix(const ReportModel& m, ReportDocument& d) {
  d.blocks.push_back(Heading("Appendix A: every tagged item"));
  Block t = Table({"#", "Tag and kind", "Item", "Exhibit and source", "Time", "Officer's note (by, when)"},
                  {0.05, 0.13, 0.24, 0.22, 0.13, 0.23});
  int n = 0;
  for (const TaggedItem& item : m.tagged) {
    std::string what = Cell(item.description);
    if (!item.md5.empty()) what += "\nMD5 " + item.md5;
    t.rows.push_back({std::to_string(++n), LabelName(item.label) + "\n" + Cell(item.kind), what,
                      Cell(item.exhibit + " " + ItemSource(item)), ItemTime(item),
                      Clip(item.note, kNoteBytes) + "\n(" + Cell(item.author) + ", " + FormatUtc(item.tagged) + ")"});
  }
  if (t.rows.empty()) {
    d.blocks.push_back(Para("No items were tagged."));
  } else {
    d.blocks.push_back(std::move(t));
  }
}

}  // namespace

std::string TimeText(const std::optional<UtcMicros>& t) { return t ? FormatUtc(t) : "unknown"; }

Result<ReportDocument> BuildReportDocument(const ReportModel& m, CaseStore& store, const DocumentOptions& options) {
  ReportDocument d;
  const std::string ref = m.summary.info.case_reference.empty() ? "case" : m.summary.info.case_reference;
  d.title = "SFR1 " + Clip(ref, 80) + " " + Clip(ExhibitList(m), 120);
  d.running_head = "SFR1 (digital) | " + Clip(ref, 80) + " | exhibits " + Clip(ExhibitList(m), 120);
  AddFirstPage(m, d);
  AddMaterial(m, d);
  AddWork(m, d);
  AddFindings(m, store, options, d);
  AddLimits(m, d);
  AddDeclaration(m, d);
  AddAppendix(m, d);
  return d;
}

}  // namespace custos::reports
