// Parsers: Internet Explorer's and legacy Edge's history, cache and cookie indexes. index.dat (IE 4 to 9:
// History.IE5, its daily and weekly MSHist* folders, Content.IE5 / Temporary Internet Files, Cookies,
// DOMStore) through libmsiecf: one row per URL, redirect and leak record, those libmsiecf recovers from
// freed space included (flagged); what the two FILETIMEs mean depends on the index (see the fields).
// WebCacheV01.dat (IE 10 and 11, Edge before it moved to Chromium) through libesedb: one row per entry
// of every container its Containers table lists. Both land in browser.ie_url.
#include <libesedb.h>
#include <libmsiecf.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/browser/browser_kinds.h"
#include "parsers/common/field_values.h"
#include "parsers/common/isolated_library.h"
#include "parsers/common/libyal.h"
#include "parsers/common/windows_time.h"
#include "parsers/parser.h"

namespace custos {
namespace {

constexpr const char* kIeUrl = "browser.ie_url";
constexpr size_t kMaxProblems = 100;

KindDecl IeUrlKind() {
  return {kIeUrl,
          "an address Internet Explorer or legacy Edge (or Explorer, which shares their cache) recorded in "
          "index.dat or WebCacheV01.dat: a page visited, a file in the cache, a cookie, a download",
          {
              {"browser", FieldType::kText,
               "Internet Explorer (index.dat), Internet Explorer/Edge (WebCacheV01.dat, shared by IE 10-11 and "
               "legacy Edge)"},
              {"entry_type", FieldType::kText,
               "which index it is in: history, daily history, weekly history, cache, cookie, download, dom store, "
               "rss feed, compatibility, inprivate filtering, tld, unknown"},
              {"record_type", FieldType::kText,
               "URL (an entry), REDR (a redirect) or LEAK (a cache file IE could not delete yet)"},
              {"url", FieldType::kText,
               "the address, without the 'Visited: user@' or 'Cookie:user@' prefix (see user); a local path "
               "(file:///) shows a document opened"},
              {"user", FieldType::kText, "the Windows user named in the record's prefix"},
              {"last_visited", FieldType::kTime,
               "history: when the address was last visited (UTC; a daily history's UTC copy); cache and cookies: "
               "when the entry was last used"},
              {"content_modified", FieldType::kTime,
               "cache and cookies: when the server says the content was last modified; weekly history: when "
               "the week's index was made"},
              {"expires", FieldType::kTime, "when the entry expires (FAT date and time, 2 s steps)"},
              {"last_checked", FieldType::kTime,
               "when IE last checked the entry with the server (FAT date and time, 2 s steps)"},
              {"hits", FieldType::kInteger, "how many times the entry was used"},
              {"cached_file", FieldType::kText, "the file holding the cached content: cache folder\\file name"},
              {"cached_file_size", FieldType::kInteger, "its size in bytes"},
              {"recovered", FieldType::kInteger, "1 when libmsiecf found the record in freed space (deleted)"},
          }};
}

// libesedb's functions, called in its own link namespace (parsers/common/isolated_library.h says why).
#define CUSTOS_LIBESEDB_FUNCTIONS(X)            \
  X(libesedb_error_backtrace_sprint)            \
  X(libesedb_error_free)                        \
  X(libesedb_file_close)                        \
  X(libesedb_file_free)                         \
  X(libesedb_file_get_table_by_utf8_name)       \
  X(libesedb_file_initialize)                   \
  X(libesedb_file_open_file_io_handle)          \
  X(libesedb_long_value_free)                   \
  X(libesedb_long_value_get_utf8_string)        \
  X(libesedb_long_value_get_utf8_string_size)   \
  X(libesedb_record_free)                       \
  X(libesedb_record_get_column_type)            \
  X(libesedb_record_get_long_value)             \
  X(libesedb_record_get_number_of_values)       \
  X(libesedb_record_get_utf8_column_name)       \
  X(libesedb_record_get_utf8_column_name_size)  \
  X(libesedb_record_get_value_16bit)            \
  X(libesedb_record_get_value_32bit)            \
  X(libesedb_record_get_value_64bit)            \
  X(libesedb_record_get_value_8bit)             \
  X(libesedb_record_get_value_utf8_string)      \
  X(libesedb_record_get_value_utf8_string_size) \
  X(libesedb_record_is_long_value)              \
  X(libesedb_table_free)                        \
  X(libesedb_table_get_number_of_records)       \
  X(libesedb_table_get_record)
struct EsedbApi : IsolatedLibrary {
  CUSTOS_LIBESEDB_FUNCTIONS(CUSTOS_ISOLATED_DECLARE)
};

const EsedbApi& Esedb() {
  static const EsedbApi loaded = [] {
    EsedbApi api;
    api.Load("libesedb.so.1", "libesedb1");
    CUSTOS_LIBESEDB_FUNCTIONS(CUSTOS_ISOLATED_RESOLVE)
    return api;
  }();
  return loaded;
}

// libmsiecf's functions, called in its own link namespace (parsers/common/isolated_library.h says why).
#define CUSTOS_LIBMSIECF_FUNCTIONS(X)             \
  X(libmsiecf_error_backtrace_sprint)             \
  X(libmsiecf_error_free)                         \
  X(libmsiecf_file_close)                         \
  X(libmsiecf_file_free)                          \
  X(libmsiecf_file_get_cache_directory_name)      \
  X(libmsiecf_file_get_item_by_index)             \
  X(libmsiecf_file_get_number_of_items)           \
  X(libmsiecf_file_get_number_of_recovered_items) \
  X(libmsiecf_file_get_recovered_item_by_index)   \
  X(libmsiecf_file_initialize)                    \
  X(libmsiecf_file_open_file_io_handle)           \
  X(libmsiecf_item_free)                          \
  X(libmsiecf_item_get_offset)                    \
  X(libmsiecf_item_get_type)                      \
  X(libmsiecf_leak_get_cached_file_size)          \
  X(libmsiecf_leak_get_utf8_filename)             \
  X(libmsiecf_leak_get_utf8_filename_size)        \
  X(libmsiecf_redirected_get_utf8_location)       \
  X(libmsiecf_redirected_get_utf8_location_size)  \
  X(libmsiecf_url_get_cache_directory_index)      \
  X(libmsiecf_url_get_cached_file_size)           \
  X(libmsiecf_url_get_expiration_time)            \
  X(libmsiecf_url_get_last_checked_time)          \
  X(libmsiecf_url_get_number_of_hits)             \
  X(libmsiecf_url_get_primary_time)               \
  X(libmsiecf_url_get_secondary_time)             \
  X(libmsiecf_url_get_type)                       \
  X(libmsiecf_url_get_utf8_filename)              \
  X(libmsiecf_url_get_utf8_filename_size)         \
  X(libmsiecf_url_get_utf8_location)              \
  X(libmsiecf_url_get_utf8_location_size)
struct MsiecfApi : IsolatedLibrary {
  CUSTOS_LIBMSIECF_FUNCTIONS(CUSTOS_ISOLATED_DECLARE)
};

const MsiecfApi& Msiecf() {
  static const MsiecfApi loaded = [] {
    MsiecfApi api;
    api.Load("libmsiecf.so.1", "libmsiecf1");
    CUSTOS_LIBMSIECF_FUNCTIONS(CUSTOS_ISOLATED_RESOLVE)
    return api;
  }();
  return loaded;
}

std::string MsiecfError(libmsiecf_error_t*& error) {
  return TakeLibyalError(error, Msiecf().libmsiecf_error_backtrace_sprint, Msiecf().libmsiecf_error_free);
}

void Forget(libmsiecf_error_t*& error) {
  if (error != nullptr) Msiecf().libmsiecf_error_free(&error);
  error = nullptr;
}

struct MsiecfFile {
  libmsiecf_file_t* file = nullptr;
  MsiecfFile() = default;
  MsiecfFile(const MsiecfFile&) = delete;
  MsiecfFile& operator=(const MsiecfFile&) = delete;
  ~MsiecfFile() {
    if (file != nullptr) {
      Msiecf().libmsiecf_file_close(file, nullptr);
      Msiecf().libmsiecf_file_free(&file, nullptr);
    }
  }
};

struct MsiecfItem {
  libmsiecf_item_t* item = nullptr;
  MsiecfItem() = default;
  MsiecfItem(const MsiecfItem&) = delete;
  MsiecfItem& operator=(const MsiecfItem&) = delete;
  ~MsiecfItem() {
    if (item != nullptr) Msiecf().libmsiecf_item_free(&item, nullptr);
  }
};

std::string UrlTypeName(uint8_t type) {
  switch (type) {
    case LIBMSIECF_URL_ITEM_TYPE_CACHE:
      return "cache";
    case LIBMSIECF_URL_ITEM_TYPE_COMPATIBILITY:
      return "compatibility";
    case LIBMSIECF_URL_ITEM_TYPE_COOKIE:
      return "cookie";
    case LIBMSIECF_URL_ITEM_TYPE_DOM_STORE:
      return "dom store";
    case LIBMSIECF_URL_ITEM_TYPE_DOWNLOAD:
      return "download";
    case LIBMSIECF_URL_ITEM_TYPE_HISTORY:
      return "history";
    case LIBMSIECF_URL_ITEM_TYPE_HISTORY_DAILY:
      return "daily history";
    case LIBMSIECF_URL_ITEM_TYPE_HISTORY_WEEKLY:
      return "weekly history";
    case LIBMSIECF_URL_ITEM_TYPE_INPRIVATE_FILTERING:
      return "inprivate filtering";
    case LIBMSIECF_URL_ITEM_TYPE_RSS_FEED:
      return "rss feed";
    case LIBMSIECF_URL_ITEM_TYPE_TLD:
      return "tld";
    default:
      return "unknown";
  }
}

// A FAT date and time as libmsiecf hands it over: the date in the low 16 bits, the time in the high 16.
// IE writes these in UTC. 0 means not set.
std::optional<UtcMicros> FromFatDateTime(uint32_t value) {
  if (value == 0) return std::nullopt;
  const uint32_t date = value & 0xffff, time = value >> 16;
  const int day = static_cast<int>(date & 0x1f), month = static_cast<int>((date >> 5) & 0x0f);
  const int year = 1980 + static_cast<int>(date >> 9);
  const int hour = static_cast<int>(time >> 11), minute = static_cast<int>((time >> 5) & 0x3f);
  const int second = static_cast<int>(time & 0x1f) * 2;
  if (day < 1 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  // Days since 1970 from a civil date (Howard Hinnant's algorithm).
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  return ((days * 24 + hour) * 60 + minute) * 60 * 1000000LL + second * 1000000LL;
}

template <typename SizeFn, typename GetFn>
std::optional<std::string> ItemText(libmsiecf_item_t* item, SizeFn size_fn, GetFn get_fn) {
  return LibyalUtf8<libmsiecf_item_t, libmsiecf_error_t>(item, size_fn, get_fn, Msiecf().libmsiecf_error_free);
}

// "Visited: user@http://..." (history), "Cookie:user@site/" (cookies), ":2015082420150825: user@http://..."
// (daily and weekly history): the user and the address apart.
void SplitUser(const std::string& location, std::optional<std::string>& user, std::string& url) {
  url = location;
  size_t start = std::string::npos;
  if (location.starts_with("Visited: ")) {
    start = 9;
  } else if (location.starts_with("Cookie:")) {
    start = 7;
  } else if (location.starts_with(":") && location.size() > 19 && location.compare(18, 2, ": ") == 0) {
    start = 20;
  }
  if (start == std::string::npos) return;
  const size_t at = location.find('@', start);
  if (at == std::string::npos) return;
  user = location.substr(start, at - start);
  url = location.substr(at + 1);
}

// libmsiecf 20181227 walks the file block by block (128 bytes) looking for records, and a record whose
// block count is 0 never moves its scan on: it loops, allocating, until memory runs out (found by
// fuzzing). Such a record is never valid, so a private copy with those counts set to 1 is what libmsiecf
// reads; each one becomes a problem. Returns the offsets it changed.
std::vector<size_t> FixZeroBlockRecords(std::string_view bytes, std::string& copy) {
  constexpr size_t kBlock = 128;
  std::vector<size_t> fixed;
  for (size_t at = 0; at + 8 <= bytes.size(); at += kBlock) {
    const std::string_view sig = bytes.substr(at, 4);
    if (sig != "URL " && sig != "REDR" && sig != "LEAK" && sig != "HASH") continue;
    if (bytes.substr(at + 4, 4) != std::string_view("\0\0\0\0", 4)) continue;
    if (copy.empty()) copy.assign(bytes);
    copy[at + 4] = 1;
    fixed.push_back(at);
  }
  return fixed;
}

class IndexDatParser : public Parser {
 public:
  std::string name() const override { return "browser.ie.index_dat"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {IeUrlKind()}; }
  bool Wants(const FileRecord&, std::string_view head) const override {
    return head.starts_with("Client UrlCache MMF Ver ");
  }
  int64_t max_bytes() const override { return 1LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    if (!input.bytes.starts_with("Client UrlCache MMF Ver "))
      return Status::Corruption("not an Internet Explorer index.dat: the 'Client UrlCache MMF' signature is missing");
    if (!Msiecf().ok()) return Status::NotSupported(Msiecf().load_error());
    std::string repaired;
    for (size_t at : FixZeroBlockRecords(input.bytes, repaired)) {
      out.problems.push_back("the record at offset " + std::to_string(at) +
                             " claims no blocks (damaged): read as one block");
    }
    auto io = MemoryBfio::Over(repaired.empty() ? input.bytes : std::string_view(repaired), Msiecf().bfio());
    if (!io.ok()) return io.status();
    MsiecfFile file;
    libmsiecf_error_t* error = nullptr;
    if (Msiecf().libmsiecf_file_initialize(&file.file, &error) != 1 ||
        Msiecf().libmsiecf_file_open_file_io_handle(file.file, (*io)->get(), LIBMSIECF_OPEN_READ, &error) != 1) {
      return Status::Corruption("libmsiecf cannot open the index.dat: " + MsiecfError(error));
    }
    int items = 0, recovered = 0;
    if (Msiecf().libmsiecf_file_get_number_of_items(file.file, &items, &error) != 1) {
      out.problems.push_back("the records cannot be counted: " + MsiecfError(error));
      items = 0;
    }
    if (Msiecf().libmsiecf_file_get_number_of_recovered_items(file.file, &recovered, &error) != 1) {
      Forget(error);
      recovered = 0;
    }
    for (int pass = 0; pass < 2; ++pass) {
      const bool from_free_space = pass == 1;
      const int count = from_free_space ? recovered : items;
      for (int i = 0; i < count; ++i) {
        MsiecfItem item;
        const int got = from_free_space
                            ? Msiecf().libmsiecf_file_get_recovered_item_by_index(file.file, i, &item.item, &error)
                            : Msiecf().libmsiecf_file_get_item_by_index(file.file, i, &item.item, &error);
        if (got != 1) {
          if (out.problems.size() < kMaxProblems)
            out.problems.push_back(std::string(from_free_space ? "recovered " : "") + "record " + std::to_string(i) +
                                   ": " + MsiecfError(error));
          Forget(error);
          continue;
        }
        ReadItem(file.file, item.item, from_free_space, out);
      }
    }
    return Status::Ok();
  }

 private:
  static void ReadItem(libmsiecf_file_t* file, libmsiecf_item_t* item, bool from_free_space, ParseOutput& out) {
    libmsiecf_error_t* error = nullptr;
    uint8_t type = LIBMSIECF_ITEM_TYPE_UNDEFINED;
    if (Msiecf().libmsiecf_item_get_type(item, &type, &error) != 1) Forget(error);
    off64_t offset = 0;
    if (Msiecf().libmsiecf_item_get_offset(item, &offset, &error) != 1) Forget(error);
    std::optional<std::string> location, user, cached_file;
    std::string record, entry_type = "unknown";
    std::optional<UtcMicros> last_visited, content_modified, expires, last_checked;
    std::optional<int64_t> hits, cached_size;
    if (type == LIBMSIECF_ITEM_TYPE_URL) {
      record = "URL";
      location =
          ItemText(item, Msiecf().libmsiecf_url_get_utf8_location_size, Msiecf().libmsiecf_url_get_utf8_location);
      uint8_t url_type = 0;
      if (Msiecf().libmsiecf_url_get_type(item, &url_type, &error) != 1) Forget(error);
      entry_type = UrlTypeName(url_type);
      uint64_t primary = 0, secondary = 0, expiration = 0;
      uint32_t checked = 0, count = 0;
      if (Msiecf().libmsiecf_url_get_primary_time(item, &primary, &error) != 1) Forget(error);
      if (Msiecf().libmsiecf_url_get_secondary_time(item, &secondary, &error) != 1) Forget(error);
      // Daily history keeps local time first and UTC second; weekly history keeps the visit first and the
      // week's creation (local) second; the others keep the last use first and the server's time second.
      if (url_type == LIBMSIECF_URL_ITEM_TYPE_HISTORY_DAILY) {
        last_visited = FromFiletime(secondary);
      } else {
        last_visited = FromFiletime(primary);
        if (url_type != LIBMSIECF_URL_ITEM_TYPE_HISTORY) content_modified = FromFiletime(secondary);
      }
      if (Msiecf().libmsiecf_url_get_expiration_time(item, &expiration, &error) == 1) {
        expires = FromFatDateTime(static_cast<uint32_t>(expiration));
      } else {
        Forget(error);
      }
      if (Msiecf().libmsiecf_url_get_last_checked_time(item, &checked, &error) == 1) {
        last_checked = FromFatDateTime(checked);
      } else {
        Forget(error);
      }
      if (Msiecf().libmsiecf_url_get_number_of_hits(item, &count, &error) == 1) {
        hits = count;
      } else {
        Forget(error);
      }
      cached_file =
          ItemText(item, Msiecf().libmsiecf_url_get_utf8_filename_size, Msiecf().libmsiecf_url_get_utf8_filename);
      uint8_t directory = 0;
      if (cached_file && Msiecf().libmsiecf_url_get_cache_directory_index(item, &directory, &error) == 1 &&
          directory < 0xfe) {
        char name[16] = {};
        if (Msiecf().libmsiecf_file_get_cache_directory_name(file, directory, name, sizeof name, &error) == 1 &&
            name[0]) {
          cached_file = std::string(name) + "\\" + *cached_file;
        }
      }
      Forget(error);
      uint64_t size = 0;
      if (cached_file && Msiecf().libmsiecf_url_get_cached_file_size(item, &size, &error) == 1) {
        cached_size = static_cast<int64_t>(size);
      }
      Forget(error);
    } else if (type == LIBMSIECF_ITEM_TYPE_REDIRECTED) {
      record = "REDR";
      location = ItemText(item, Msiecf().libmsiecf_redirected_get_utf8_location_size,
                          Msiecf().libmsiecf_redirected_get_utf8_location);
    } else if (type == LIBMSIECF_ITEM_TYPE_LEAK) {
      record = "LEAK";
      entry_type = "cache";
      cached_file =
          ItemText(item, Msiecf().libmsiecf_leak_get_utf8_filename_size, Msiecf().libmsiecf_leak_get_utf8_filename);
      uint64_t size = 0;
      if (Msiecf().libmsiecf_leak_get_cached_file_size(item, &size, &error) == 1) {
        cached_size = static_cast<int64_t>(size);
      } else {
        Forget(error);
      }
    } else {
      return;  // hash tables and unknown records hold no address
    }
    std::string url;
    if (location) SplitUser(*location, user, url);
    ArtefactRow row;
    row.kind = kIeUrl;
    row.time = last_visited;
    row.location =
        std::string(from_free_space ? "recovered record" : "record") + " at offset " + std::to_string(offset);
    row.summary =
        "Internet Explorer " + entry_type + " " + record + " " + (url.empty() ? cached_file.value_or("?") : url);
    row.values = {FieldValue(std::string("Internet Explorer")),
                  FieldValue(entry_type),
                  FieldValue(record),
                  url.empty() ? FieldValue() : FieldValue(url),
                  TextOrNull(user),
                  IntOrNull(last_visited),
                  IntOrNull(content_modified),
                  IntOrNull(expires),
                  IntOrNull(last_checked),
                  IntOrNull(hits),
                  TextOrNull(cached_file),
                  IntOrNull(cached_size),
                  FieldValue(int64_t{from_free_space ? 1 : 0})};
    out.rows.push_back(std::move(row));
  }
};

// --- WebCacheV01.dat (Internet Explorer 10 and 11, Edge before Chromium), an ESE database read with
// libesedb. Its Containers table names each container (History, MSHist..., Content, Cookies, iedownload,
// DOMStore...) and the table Container_<ContainerId> holds that container's entries.

constexpr int kMaxEseRecords = 5'000'000;  // per table: a damaged page tree must not spin forever

std::string EseError(libesedb_error_t*& error) {
  return TakeLibyalError(error, Esedb().libesedb_error_backtrace_sprint, Esedb().libesedb_error_free);
}

void ForgetEse(libesedb_error_t*& error) {
  if (error != nullptr) Esedb().libesedb_error_free(&error);
  error = nullptr;
}

struct EseFile {
  libesedb_file_t* file = nullptr;
  EseFile() = default;
  EseFile(const EseFile&) = delete;
  EseFile& operator=(const EseFile&) = delete;
  ~EseFile() {
    if (file != nullptr) {
      Esedb().libesedb_file_close(file, nullptr);
      Esedb().libesedb_file_free(&file, nullptr);
    }
  }
};

struct EseTable {
  libesedb_table_t* table = nullptr;
  EseTable() = default;
  EseTable(const EseTable&) = delete;
  EseTable& operator=(const EseTable&) = delete;
  ~EseTable() {
    if (table != nullptr) Esedb().libesedb_table_free(&table, nullptr);
  }
};

struct EseRecord {
  libesedb_record_t* record = nullptr;
  EseRecord() = default;
  EseRecord(const EseRecord&) = delete;
  EseRecord& operator=(const EseRecord&) = delete;
  ~EseRecord() {
    if (record != nullptr) Esedb().libesedb_record_free(&record, nullptr);
  }
};

struct EseLongValue {
  libesedb_long_value_t* value = nullptr;
  ~EseLongValue() {
    if (value != nullptr) Esedb().libesedb_long_value_free(&value, nullptr);
  }
};

// The columns of a table by name, from its first record (every record of a table has the same columns).
std::map<std::string, int> ColumnIndexes(libesedb_record_t* record) {
  std::map<std::string, int> out;
  libesedb_error_t* error = nullptr;
  int values = 0;
  if (Esedb().libesedb_record_get_number_of_values(record, &values, &error) != 1) {
    ForgetEse(error);
    return out;
  }
  for (int i = 0; i < values; ++i) {
    size_t size = 0;
    if (Esedb().libesedb_record_get_utf8_column_name_size(record, i, &size, &error) != 1 || size == 0 || size > 256) {
      ForgetEse(error);
      continue;
    }
    std::string name(size, '\0');
    if (Esedb().libesedb_record_get_utf8_column_name(record, i, reinterpret_cast<uint8_t*>(name.data()), size,
                                                     &error) != 1) {
      ForgetEse(error);
      continue;
    }
    while (!name.empty() && name.back() == '\0') name.pop_back();
    out.emplace(name, i);
  }
  return out;
}

std::optional<std::string> EseText(libesedb_record_t* record, int index) {
  if (index < 0) return std::nullopt;
  libesedb_error_t* error = nullptr;
  std::string out;
  size_t size = 0;
  if (Esedb().libesedb_record_is_long_value(record, index, &error) == 1) {
    EseLongValue long_value;
    if (Esedb().libesedb_record_get_long_value(record, index, &long_value.value, &error) != 1 ||
        Esedb().libesedb_long_value_get_utf8_string_size(long_value.value, &size, &error) != 1 || size == 0 ||
        size > (16u << 20)) {
      ForgetEse(error);
      return std::nullopt;
    }
    out.assign(size, '\0');
    if (Esedb().libesedb_long_value_get_utf8_string(long_value.value, reinterpret_cast<uint8_t*>(out.data()), size,
                                                    &error) != 1) {
      ForgetEse(error);
      return std::nullopt;
    }
  } else {
    ForgetEse(error);
    if (Esedb().libesedb_record_get_value_utf8_string_size(record, index, &size, &error) != 1 || size == 0 ||
        size > (16u << 20)) {
      ForgetEse(error);
      return std::nullopt;
    }
    out.assign(size, '\0');
    if (Esedb().libesedb_record_get_value_utf8_string(record, index, reinterpret_cast<uint8_t*>(out.data()), size,
                                                      &error) != 1) {
      ForgetEse(error);
      return std::nullopt;
    }
  }
  while (!out.empty() && out.back() == '\0') out.pop_back();
  if (out.empty()) return std::nullopt;
  return out;
}

// An integer column of any width; NULL and unreadable values are nullopt.
std::optional<int64_t> EseInt(libesedb_record_t* record, int index) {
  if (index < 0) return std::nullopt;
  libesedb_error_t* error = nullptr;
  uint32_t type = 0;
  if (Esedb().libesedb_record_get_column_type(record, index, &type, &error) != 1) {
    ForgetEse(error);
    return std::nullopt;
  }
  std::optional<int64_t> out;
  int got = -1;
  switch (type) {
    case LIBESEDB_COLUMN_TYPE_INTEGER_8BIT_UNSIGNED: {
      uint8_t v = 0;
      got = Esedb().libesedb_record_get_value_8bit(record, index, &v, &error);
      out = v;
      break;
    }
    case LIBESEDB_COLUMN_TYPE_INTEGER_16BIT_SIGNED:
    case LIBESEDB_COLUMN_TYPE_INTEGER_16BIT_UNSIGNED: {
      uint16_t v = 0;
      got = Esedb().libesedb_record_get_value_16bit(record, index, &v, &error);
      out = type == LIBESEDB_COLUMN_TYPE_INTEGER_16BIT_SIGNED ? static_cast<int16_t>(v) : v;
      break;
    }
    case LIBESEDB_COLUMN_TYPE_INTEGER_32BIT_SIGNED:
    case LIBESEDB_COLUMN_TYPE_INTEGER_32BIT_UNSIGNED: {
      uint32_t v = 0;
      got = Esedb().libesedb_record_get_value_32bit(record, index, &v, &error);
      out = type == LIBESEDB_COLUMN_TYPE_INTEGER_32BIT_SIGNED ? static_cast<int32_t>(v) : static_cast<int64_t>(v);
      break;
    }
    case LIBESEDB_COLUMN_TYPE_INTEGER_64BIT_SIGNED:
    case LIBESEDB_COLUMN_TYPE_CURRENCY:
    case LIBESEDB_COLUMN_TYPE_DATE_TIME: {
      uint64_t v = 0;
      got = Esedb().libesedb_record_get_value_64bit(record, index, &v, &error);
      out = static_cast<int64_t>(v);
      break;
    }
    default:
      return std::nullopt;
  }
  if (got != 1) {
    ForgetEse(error);
    return std::nullopt;
  }
  return out;
}

// WebCache keeps FILETIMEs in 64-bit integer columns.
std::optional<UtcMicros> EseFiletime(libesedb_record_t* record, int index) {
  const auto v = EseInt(record, index);
  if (!v || *v <= 0) return std::nullopt;
  return FromFiletime(static_cast<uint64_t>(*v));
}

int Column(const std::map<std::string, int>& columns, const char* name) {
  const auto it = columns.find(name);
  return it == columns.end() ? -1 : it->second;
}

// The entry type from the container's name.
std::string ContainerType(const std::string& name) {
  const std::string lower = browser::LowerAscii(name);
  if (lower == "history") return "history";
  if (lower.starts_with("mshist")) return "daily history";  // MSHist01<from><to>: a day's or a week's
  if (lower == "content") return "cache";
  if (lower == "cookies") return "cookie";
  if (lower == "iedownload") return "download";
  if (lower == "domstore") return "dom store";
  if (lower.starts_with("feedplat")) return "rss feed";
  return "other: " + name;
}

class WebCacheParser : public Parser {
 public:
  std::string name() const override { return "browser.ie.webcache"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {IeUrlKind()}; }
  // An ESE database (signature 0x89abcdef at offset 4) named WebCacheV01.dat or WebCacheV24.dat.
  bool Wants(const FileRecord& file, std::string_view head) const override {
    const std::string name = browser::LowerAscii(file.name);
    return name.starts_with("webcachev") && name.ends_with(".dat") && head.size() >= 8 &&
           head.substr(4, 4) == std::string_view("\xef\xcd\xab\x89", 4);
  }
  int64_t max_bytes() const override { return 2LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    if (!Esedb().ok()) return Status::NotSupported(Esedb().load_error());
    auto io = MemoryBfio::Over(input.bytes, Esedb().bfio());
    if (!io.ok()) return io.status();
    EseFile ese;
    libesedb_error_t* error = nullptr;
    if (Esedb().libesedb_file_initialize(&ese.file, &error) != 1 ||
        Esedb().libesedb_file_open_file_io_handle(ese.file, (*io)->get(), LIBESEDB_OPEN_READ, &error) != 1) {
      return Status::Corruption("libesedb cannot open the database: " + EseError(error));
    }
    EseTable containers;
    static constexpr std::string_view kContainers = "Containers";
    if (Esedb().libesedb_file_get_table_by_utf8_name(ese.file, reinterpret_cast<const uint8_t*>(kContainers.data()),
                                                     kContainers.size(), &containers.table, &error) != 1) {
      ForgetEse(error);
      return Status::Corruption("no Containers table: not a WebCache database");
    }
    int count = 0;
    if (Esedb().libesedb_table_get_number_of_records(containers.table, &count, &error) != 1) {
      return Status::Corruption("the Containers table cannot be read: " + EseError(error));
    }
    std::map<std::string, int> columns;
    for (int i = 0; i < std::min(count, kMaxEseRecords); ++i) {
      EseRecord record;
      if (Esedb().libesedb_table_get_record(containers.table, i, &record.record, &error) != 1) {
        out.problems.push_back("Containers record " + std::to_string(i) + ": " + EseError(error));
        continue;
      }
      if (columns.empty()) columns = ColumnIndexes(record.record);
      const auto id = EseInt(record.record, Column(columns, "ContainerId"));
      const auto container = EseText(record.record, Column(columns, "Name"));
      if (!id || !container) continue;
      ReadContainer(ese.file, *id, *container, EseText(record.record, Column(columns, "Directory")), out);
    }
    return Status::Ok();
  }

 private:
  static void ReadContainer(libesedb_file_t* file, int64_t id, const std::string& container,
                            const std::optional<std::string>& directory, ParseOutput& out) {
    libesedb_error_t* error = nullptr;
    const std::string table_name = "Container_" + std::to_string(id);
    EseTable table;
    if (Esedb().libesedb_file_get_table_by_utf8_name(file, reinterpret_cast<const uint8_t*>(table_name.data()),
                                                     table_name.size(), &table.table, &error) != 1) {
      ForgetEse(error);
      return;  // containers without a table of their own (some are kept elsewhere or were never filled)
    }
    int count = 0;
    if (Esedb().libesedb_table_get_number_of_records(table.table, &count, &error) != 1) {
      out.problems.push_back(table_name + " (" + container + ") cannot be read: " + EseError(error));
      return;
    }
    const std::string entry_type = ContainerType(container);
    std::map<std::string, int> columns;
    for (int i = 0; i < std::min(count, kMaxEseRecords); ++i) {
      EseRecord record;
      if (Esedb().libesedb_table_get_record(table.table, i, &record.record, &error) != 1) {
        if (out.problems.size() < kMaxProblems)
          out.problems.push_back(table_name + " record " + std::to_string(i) + ": " + EseError(error));
        ForgetEse(error);
        continue;
      }
      if (columns.empty()) columns = ColumnIndexes(record.record);
      libesedb_record_t* r = record.record;
      std::optional<std::string> user;
      std::string url;
      if (auto location = EseText(r, Column(columns, "Url"))) SplitUser(*location, user, url);
      std::optional<std::string> cached_file = EseText(r, Column(columns, "Filename"));
      if (cached_file && directory) cached_file = *directory + *cached_file;
      const auto accessed = EseFiletime(r, Column(columns, "AccessedTime"));
      const auto modified = EseFiletime(r, Column(columns, "ModifiedTime"));
      const auto expires = EseFiletime(r, Column(columns, "ExpiryTime"));
      const auto synced = EseFiletime(r, Column(columns, "SyncTime"));
      const auto hits = EseInt(r, Column(columns, "AccessCount"));
      const auto size = cached_file ? EseInt(r, Column(columns, "FileSize")) : std::nullopt;
      const auto entry_id = EseInt(r, Column(columns, "EntryId"));
      ArtefactRow row;
      row.kind = kIeUrl;
      row.time = accessed;
      row.location = table_name + " (" + container + ") EntryId " +
                     (entry_id ? std::to_string(*entry_id) : "record " + std::to_string(i));
      row.summary = "Internet Explorer/Edge " + entry_type + " " + (url.empty() ? cached_file.value_or("?") : url);
      row.values = {FieldValue(std::string("Internet Explorer/Edge")),
                    FieldValue(entry_type),
                    FieldValue(std::string("URL")),
                    url.empty() ? FieldValue() : FieldValue(url),
                    TextOrNull(user),
                    IntOrNull(accessed),
                    IntOrNull(modified),
                    IntOrNull(expires),
                    IntOrNull(synced),
                    IntOrNull(hits),
                    TextOrNull(cached_file),
                    IntOrNull(size),
                    FieldValue(int64_t{0})};
      out.rows.push_back(std::move(row));
    }
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(IndexDatParser);
CUSTOS_REGISTER_PARSER(WebCacheParser);

}  // namespace custos
