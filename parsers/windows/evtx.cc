// Parser: Windows XML event logs (.evtx) through libevtx. Every event becomes a row; the ones an officer
// looks for first (logons, account changes, cleared logs, start/stop, new services, RDP sessions, USB
// devices, PowerShell script blocks) carry a `significance` text. Records libevtx recovers are kept too.
#include "parsers/windows/evtx.h"

#include <libevtx.h>

#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsers/common/field_values.h"
#include "parsers/common/libyal.h"
#include "parsers/common/windows_time.h"
#include "parsers/parser.h"

namespace custos {
namespace {

constexpr std::string_view kEvtxSignature("ElfFile\0", 8);
constexpr size_t kFileHeaderSize = 4096;  // then the records, in chunks of 64 KiB
constexpr size_t kChunkSize = 65536;
// A PowerShell script block can hold a whole script; past this the event data is cut (and says so).
constexpr size_t kMaxEventData = 64 << 10;

struct EvtxFile {
  libevtx_file_t* file = nullptr;
  ~EvtxFile() {
    if (file != nullptr) {
      libevtx_file_close(file, nullptr);
      libevtx_file_free(&file, nullptr);
    }
  }
};

struct EvtxRecord {
  libevtx_record_t* record = nullptr;
  ~EvtxRecord() {
    if (record != nullptr) libevtx_record_free(&record, nullptr);
  }
};

template <typename SizeFn, typename GetFn>
std::optional<std::string> RecordText(libevtx_record_t* r, SizeFn size_fn, GetFn get_fn) {
  return LibyalUtf8<libevtx_record_t, libevtx_error_t>(r, size_fn, get_fn, libevtx_error_free);
}

// The text of the XML entities libevtx writes (&amp; &lt; &gt; &quot; &apos; and numeric ones).
std::string XmlUnescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    const std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") {
      out += '&';
    } else if (ent == "lt") {
      out += '<';
    } else if (ent == "gt") {
      out += '>';
    } else if (ent == "quot") {
      out += '"';
    } else if (ent == "apos") {
      out += '\'';
    } else if (ent.size() > 1 && ent[0] == '#') {
      const bool hex = ent[1] == 'x' || ent[1] == 'X';
      const std::string_view digits = ent.substr(hex ? 2 : 1);
      unsigned long cp = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (ec != std::errc() || end != digits.data() + digits.size()) {
        out += s[i];
        continue;
      }
      // Event data is mostly ASCII; anything else keeps its reference rather than guessing an encoding.
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else {
        out += std::string(s.substr(i, semi - i + 1));
      }
    } else {
      out += std::string(s.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

// The value of attribute `name` inside a start tag's text (`Data Name="LogonType"`), unescaped.
std::optional<std::string> Attribute(std::string_view tag, std::string_view name) {
  size_t pos = 0;
  while ((pos = tag.find(name, pos)) != std::string_view::npos) {
    const bool starts = pos > 0 && (tag[pos - 1] == ' ' || tag[pos - 1] == '\t' || tag[pos - 1] == '\n');
    const size_t eq = pos + name.size();
    if (starts && eq + 1 < tag.size() && tag[eq] == '=' && (tag[eq + 1] == '"' || tag[eq + 1] == '\'')) {
      const size_t end = tag.find(tag[eq + 1], eq + 2);
      if (end == std::string_view::npos) return std::nullopt;
      return XmlUnescape(tag.substr(eq + 2, end - eq - 2));
    }
    pos = eq;
  }
  return std::nullopt;
}

// The text of the first <tag>...</tag> element, unescaped.
std::optional<std::string> ElementText(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const size_t start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  const size_t end = xml.find("</" + std::string(tag) + ">", start);
  if (end == std::string_view::npos) return std::nullopt;
  return XmlUnescape(xml.substr(start + open.size(), end - start - open.size()));
}

// The leaf elements of <EventData> (Data Name="..." and Binary) or <UserData> (the provider's own
// element names), in document order. libevtx writes this XML itself, so it is regular: no CDATA, no
// comments, one element per start tag.
EventDataItems EventDataFromXml(std::string_view xml) {
  EventDataItems fields;
  size_t begin = xml.find("<EventData");
  std::string_view close = "</EventData>";
  if (begin == std::string_view::npos) {
    begin = xml.find("<UserData");
    close = "</UserData>";
  }
  if (begin == std::string_view::npos) return fields;
  const size_t end = xml.find(close, begin);
  const std::string_view section =
      xml.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
  size_t pos = section.find('>');  // past the section's own start tag
  while (pos != std::string_view::npos && pos < section.size()) {
    const size_t lt = section.find('<', pos);
    if (lt == std::string_view::npos || lt + 1 >= section.size()) break;
    const size_t gt = section.find('>', lt);
    if (gt == std::string_view::npos) break;
    pos = gt + 1;
    if (section[lt + 1] == '/' || section[lt + 1] == '?' || section[lt + 1] == '!') continue;
    std::string_view tag = section.substr(lt + 1, gt - lt - 1);
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.remove_suffix(1);
    const std::string_view tag_name = tag.substr(0, tag.find_first_of(" \t\r\n"));
    const std::optional<std::string> named = Attribute(tag, "Name");
    std::string key = named ? *named : (tag_name == "Data" ? std::string() : std::string(tag_name));
    if (self_closing) {
      if (tag_name == "Data") fields.emplace_back(std::move(key), "");
      continue;
    }
    const size_t next = section.find('<', pos);
    if (next == std::string_view::npos) break;
    const std::string closing = "</" + std::string(tag_name) + ">";
    if (section.compare(next, closing.size(), closing) != 0) continue;  // not a leaf: its children follow
    fields.emplace_back(std::move(key), XmlUnescape(section.substr(pos, next - pos)));
    pos = next + closing.size();
  }
  return fields;
}

// Without the XML (libevtx could not render it), the values alone, unnamed.
EventDataItems EventDataFromStrings(libevtx_record_t* r) {
  EventDataItems fields;
  int count = 0;
  libevtx_error_t* error = nullptr;
  if (libevtx_record_get_number_of_strings(r, &count, &error) != 1) {
    if (error) libevtx_error_free(&error);
    return fields;
  }
  for (int i = 0; i < count && i < 1024; ++i) {
    size_t size = 0;
    if (libevtx_record_get_utf8_string_size(r, i, &size, &error) != 1 || size == 0 || size > kMaxEventData) {
      if (error) libevtx_error_free(&error);
      continue;
    }
    std::string value(size, '\0');
    if (libevtx_record_get_utf8_string(r, i, reinterpret_cast<uint8_t*>(value.data()), size, &error) != 1) {
      if (error) libevtx_error_free(&error);
      continue;
    }
    while (!value.empty() && value.back() == '\0') value.pop_back();
    fields.emplace_back("", std::move(value));
  }
  return fields;
}

std::string JoinEventData(const EventDataItems& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += "; ";
    if (!name.empty()) out += name + "=";
    out += value;
    if (out.size() > kMaxEventData) {
      out.resize(kMaxEventData);
      out += " [cut at 64 KiB]";
      break;
    }
  }
  return out;
}

std::optional<std::string> DataValue(const EventDataItems& fields, std::string_view name) {
  for (const auto& [n, v] : fields) {
    if (n == name) return v;
  }
  return std::nullopt;
}

bool SameText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string LogonTypeText(const EventDataItems& fields) {
  const auto type = DataValue(fields, "LogonType");
  if (!type) return "";
  // Indexed by the logon type number (Microsoft's 4624 documentation); 0, 1 and 6 are not used.
  static constexpr const char* kNames[] = {nullptr,
                                           nullptr,
                                           "interactive",
                                           "network",
                                           "batch",
                                           "service",
                                           nullptr,
                                           "unlock",
                                           "network cleartext",
                                           "new credentials",
                                           "remote interactive",
                                           "cached interactive",
                                           "cached remote interactive",
                                           "cached unlock"};
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(type->data(), type->data() + type->size(), n);
  if (ec == std::errc() && end == type->data() + type->size() && n < std::size(kNames) && kNames[n] != nullptr) {
    return " (type " + *type + ", " + kNames[n] + ")";
  }
  return " (type " + *type + ")";
}

}  // namespace

std::string EventSignificance(std::string_view provider, uint32_t id, const EventDataItems& data) {
  constexpr std::string_view kSecurity = "Microsoft-Windows-Security-Auditing";
  if (SameText(provider, kSecurity)) {
    switch (id) {
      case 4624:
        return "logon" + LogonTypeText(data);
      case 4625:
        return "failed logon" + LogonTypeText(data);
      case 4634:
        return "logoff" + LogonTypeText(data);
      case 4647:
        return "logoff requested by the user";
      case 4648:
        return "logon with explicit credentials";
      case 4720:
        return "user account created";
      case 4722:
        return "user account enabled";
      case 4724:
        return "password reset attempted";
      case 4732:
        return "member added to a security-enabled local group";
      default:
        return "";
    }
  }
  if (SameText(provider, "Microsoft-Windows-Eventlog")) {
    if (id == 1102) return "security log cleared";
    if (id == 104) return "event log cleared";
  }
  if (SameText(provider, "EventLog")) {
    if (id == 6005) return "event log service started (system start)";
    if (id == 6006) return "event log service stopped (clean shutdown)";
    if (id == 6008) return "unexpected shutdown";
  }
  if (SameText(provider, "Service Control Manager") && id == 7045) return "service installed";
  if (SameText(provider, "Microsoft-Windows-TerminalServices-LocalSessionManager")) {
    if (id == 21) return "remote desktop session logon";
    if (id == 24) return "remote desktop session disconnected";
    if (id == 25) return "remote desktop session reconnected";
  }
  if (SameText(provider, "Microsoft-Windows-DriverFrameworks-UserMode")) {
    if (id == 2003) return "USB device arrival (driver load)";
    if (id == 2100 || id == 2101) return "USB device arrival (pnp or power operation)";
  }
  if (SameText(provider, "Microsoft-Windows-PowerShell") && id == 4104) return "PowerShell script block";
  return "";
}

namespace {

// The event data items worth a place in the one-line summary (who, from where, what).
std::string SummaryDetail(const EventDataItems& data) {
  std::string detail;
  const auto user = DataValue(data, "TargetUserName");
  if (user) {
    const auto domain = DataValue(data, "TargetDomainName");
    detail += " " + (domain && !domain->empty() ? *domain + "\\" : std::string()) + *user;
  }
  for (const char* name : {"IpAddress", "User", "Address", "ServiceName", "ImagePath"}) {
    const auto v = DataValue(data, name);
    if (v && !v->empty() && *v != "-") detail += std::string(" ") + name + "=" + *v;
  }
  return detail;
}

std::vector<FieldDecl> EventFields() {
  return {
      {"written_time", FieldType::kTime, "when the event was written to the log (UTC)"},
      {"channel", FieldType::kText,
       "the log the event belongs to (System, Security, Microsoft-Windows-.../Operational)"},
      {"provider", FieldType::kText, "the component that logged the event (Service Control Manager, ...)"},
      {"event_id", FieldType::kInteger, "the provider's event number (4624 logon, 7045 service installed, ...)"},
      {"event_level", FieldType::kInteger,
       "1 critical, 2 error, 3 warning, 4 information, 5 verbose (0: always logged)"},
      {"record_number", FieldType::kInteger, "the event record number in the log (gaps can mean deleted events)"},
      {"computer", FieldType::kText, "the computer name the event was logged on"},
      {"user_sid", FieldType::kText, "the security identifier of the account the event ran under"},
      {"event_data", FieldType::kText, "the event's own data items as Name=Value, separated by '; '"},
      {"significance", FieldType::kText,
       "why the event matters (logon, log cleared, service installed...); empty if "
       "it is not one of the events an investigator looks for first"},
      {"recovered", FieldType::kInteger, "1 when libevtx recovered the record from unused space in the log"},
  };
}

Status DecodeRecord(libevtx_record_t* r, bool recovered, ArtefactRow& row) {
  libevtx_error_t* error = nullptr;
  uint64_t identifier = 0;
  if (libevtx_record_get_identifier(r, &identifier, &error) != 1) {
    return Status::Corruption("no record number: " +
                              TakeLibyalError(error, libevtx_error_backtrace_sprint, libevtx_error_free));
  }
  std::optional<UtcMicros> written;
  uint64_t filetime = 0;
  if (libevtx_record_get_written_time(r, &filetime, &error) == 1) written = FromFiletime(filetime);
  if (error) libevtx_error_free(&error);
  std::optional<int64_t> event_id, level;
  uint32_t id = 0;
  if (libevtx_record_get_event_identifier(r, &id, &error) == 1) event_id = id;
  if (error) libevtx_error_free(&error);
  uint8_t lvl = 0;
  if (libevtx_record_get_event_level(r, &lvl, &error) == 1) level = lvl;
  if (error) libevtx_error_free(&error);

  const auto provider = RecordText(r, libevtx_record_get_utf8_source_name_size, libevtx_record_get_utf8_source_name);
  const auto computer =
      RecordText(r, libevtx_record_get_utf8_computer_name_size, libevtx_record_get_utf8_computer_name);
  const auto sid = RecordText(r, libevtx_record_get_utf8_user_security_identifier_size,
                              libevtx_record_get_utf8_user_security_identifier);
  const auto xml = RecordText(r, libevtx_record_get_utf8_xml_string_size, libevtx_record_get_utf8_xml_string);
  std::optional<std::string> channel;
  EventDataItems data;
  if (xml) {
    channel = ElementText(*xml, "Channel");
    data = EventDataFromXml(*xml);
  } else {
    data = EventDataFromStrings(r);
  }
  const std::string significance = event_id ? EventSignificance(provider.value_or(""), id, data) : std::string();

  auto& v = row.values;
  v.push_back(IntOrNull(written));
  v.push_back(TextOrNull(channel));
  v.push_back(TextOrNull(provider));
  v.push_back(IntOrNull(event_id));
  v.push_back(IntOrNull(level));
  v.push_back(IntOrNull(static_cast<int64_t>(identifier)));
  v.push_back(TextOrNull(computer));
  v.push_back(TextOrNull(sid));
  v.push_back(TextOrNull(JoinEventData(data)));
  v.push_back(TextOrNull(significance));
  v.push_back(IntOrNull(recovered ? 1 : 0));

  row.time = written;
  row.location = (recovered ? "recovered record " : "record ") + std::to_string(identifier);
  row.summary = provider.value_or("(unknown provider)") + " event " + (event_id ? std::to_string(id) : "?");
  if (!significance.empty()) row.summary += ": " + significance + SummaryDetail(data);
  if (recovered) row.summary += " (recovered)";
  return Status::Ok();
}

class EvtxParser : public Parser {
 public:
  std::string name() const override { return "windows.evtx"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {{"windows.event", "an entry of a Windows event log: what happened on the computer, when, and to whom",
             EventFields()}};
  }
  bool Wants(const FileRecord&, std::string_view head) const override {
    return head.substr(0, kEvtxSignature.size()) == kEvtxSignature;
  }
  // Logs are 20 MiB by default but can be set far larger; rows for 512 MiB of events stay within a few GiB.
  int64_t max_bytes() const override { return 512LL << 20; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    if (input.bytes.substr(0, kEvtxSignature.size()) != kEvtxSignature) {
      return Status::Corruption("not an event log: the ElfFile signature is missing");
    }
    // libevtx drops a partial 64 KiB chunk (as it does reading the same cut file from disk); it is given
    // whole chunks only, and the cut is reported.
    std::string_view whole = input.bytes;
    if (whole.size() < kFileHeaderSize) return Status::Corruption("the log is shorter than its 4 KiB file header");
    if (whole.size() > kFileHeaderSize && (whole.size() - kFileHeaderSize) % kChunkSize != 0) {
      const size_t partial = (whole.size() - kFileHeaderSize) % kChunkSize;
      whole.remove_suffix(partial);
      out.problems.push_back("the log ends " + std::to_string(partial) +
                             " bytes into a 64 KiB chunk (cut short): the events in that chunk are lost");
    }
    auto io = MemoryBfio::Over(whole);
    if (!io.ok()) return io.status();
    EvtxFile evtx;
    libevtx_error_t* error = nullptr;
    if (libevtx_file_initialize(&evtx.file, &error) != 1 ||
        libevtx_file_open_file_io_handle(evtx.file, (*io)->get(), LIBEVTX_OPEN_READ, &error) != 1) {
      return Status::Corruption("libevtx cannot open the event log: " +
                                TakeLibyalError(error, libevtx_error_backtrace_sprint, libevtx_error_free));
    }
    ReadRecords(evtx.file, false, out);
    ReadRecords(evtx.file, true, out);
    if (libevtx_file_is_corrupted(evtx.file, &error) == 1) {
      out.problems.push_back(
          "libevtx found damaged or missing chunks in the log (cut short or overwritten): the events in "
          "them are missing, or listed as recovered");
    }
    if (error) libevtx_error_free(&error);
    return Status::Ok();
  }

 private:
  static void ReadRecords(libevtx_file_t* file, bool recovered, ParseOutput& out) {
    libevtx_error_t* error = nullptr;
    int count = 0;
    const int got = recovered ? libevtx_file_get_number_of_recovered_records(file, &count, &error)
                              : libevtx_file_get_number_of_records(file, &count, &error);
    if (got != 1) {
      out.problems.push_back(std::string("cannot count the ") + (recovered ? "recovered " : "") +
                             "records: " + TakeLibyalError(error, libevtx_error_backtrace_sprint, libevtx_error_free));
      return;
    }
    for (int i = 0; i < count; ++i) {
      EvtxRecord record;
      const int ok = recovered ? libevtx_file_get_recovered_record_by_index(file, i, &record.record, &error)
                               : libevtx_file_get_record_by_index(file, i, &record.record, &error);
      const std::string where = std::string(recovered ? "recovered record" : "record") + " index " + std::to_string(i);
      if (ok != 1) {
        out.problems.push_back(where + ": " +
                               TakeLibyalError(error, libevtx_error_backtrace_sprint, libevtx_error_free));
        continue;
      }
      ArtefactRow row;
      row.kind = "windows.event";
      Status st = DecodeRecord(record.record, recovered, row);
      if (!st.ok()) {
        out.problems.push_back(where + ": " + st.ToString());
        continue;
      }
      out.rows.push_back(std::move(row));
    }
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(EvtxParser);

}  // namespace custos
