// Parsers: Safari's property lists in ~/Library/Safari (macOS) and Library/Safari (iOS), read with
// libplist (binary or XML). Downloads.plist: each DownloadHistory entry as a browser.download (URL, where
// it was saved, size and bytes received, added and finished). Bookmarks.plist: every leaf of its tree as a
// browser.bookmark with its folder path; the Reading List (com.apple.ReadingList) keeps when an item was
// added and last viewed. Dates are plist dates (seconds since 2001-01-01 UTC). The tree is walked to a
// fixed depth, so a hostile plist cannot recurse without bound.
#include <plist/plist.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "parsers/browser/browser_kinds.h"
#include "parsers/parser.h"

namespace custos {
namespace {

using namespace browser;

constexpr int kMaxDepth = 64;
constexpr size_t kMaxEntries = 1000000;
constexpr int64_t kMacEpochSeconds = 978307200;

struct Plist {
  plist_t root = nullptr;
  Plist() = default;
  Plist(const Plist&) = delete;
  Plist& operator=(const Plist&) = delete;
  ~Plist() {
    if (root != nullptr) plist_free(root);
  }
};

bool LooksLikePlist(std::string_view head) {
  if (head.starts_with("bplist00")) return true;
  const size_t first = head.find_first_not_of(" \t\r\n\xef\xbb\xbf");
  return first != std::string_view::npos && head.substr(first).starts_with("<?xml") &&
         head.find("<plist") != std::string_view::npos;
}

Status Load(std::string_view bytes, Plist& p) {
  if (bytes.size() > 0x7fffffff) return Status::Corruption("the property list is larger than 2 GiB");
  plist_from_memory(bytes.data(), static_cast<uint32_t>(bytes.size()), &p.root);
  if (p.root == nullptr) return Status::Corruption("libplist cannot read it as a binary or XML property list");
  if (plist_get_node_type(p.root) != PLIST_DICT)
    return Status::Corruption("the property list's root is not a dictionary");
  return Status::Ok();
}

plist_t Item(plist_t dict, const char* key) {
  if (dict == nullptr || plist_get_node_type(dict) != PLIST_DICT) return nullptr;
  return plist_dict_get_item(dict, key);
}

std::optional<std::string> Text(plist_t node) {
  if (node == nullptr || plist_get_node_type(node) != PLIST_STRING) return std::nullopt;
  uint64_t length = 0;
  const char* s = plist_get_string_ptr(node, &length);
  if (s == nullptr || length == 0) return std::nullopt;
  return std::string(s, static_cast<size_t>(length));
}

std::optional<int64_t> Integer(plist_t node) {
  if (node == nullptr) return std::nullopt;
  if (plist_get_node_type(node) == PLIST_UINT) {
    uint64_t v = 0;
    plist_get_uint_val(node, &v);
    if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  if (plist_get_node_type(node) == PLIST_REAL) {
    double v = 0;
    plist_get_real_val(node, &v);
    if (!(v >= 0 && v < 9.2e18)) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  return std::nullopt;
}

std::optional<UtcMicros> Date(plist_t node) {
  if (node == nullptr || plist_get_node_type(node) != PLIST_DATE) return std::nullopt;
  int32_t sec = 0, usec = 0;
  plist_get_date_val(node, &sec, &usec);
  return (static_cast<int64_t>(sec) + kMacEpochSeconds) * 1000000 + usec;
}

bool UnderSafari(const FileRecord& file) { return LowerAscii(file.path).find("/safari/") != std::string::npos; }

class SafariDownloadsParser : public Parser {
 public:
  std::string name() const override { return "browser.safari.downloads"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {DownloadKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return LowerAscii(file.name) == "downloads.plist" && UnderSafari(file) && LooksLikePlist(head);
  }
  int64_t max_bytes() const override { return 256LL << 20; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    Plist p;
    if (Status s = Load(input.bytes, p); !s.ok()) return s;
    plist_t history = Item(p.root, "DownloadHistory");
    if (history == nullptr || plist_get_node_type(history) != PLIST_ARRAY)
      return Status::Corruption("no DownloadHistory array: not a Safari Downloads.plist");
    const Origin origin{"Safari", std::nullopt};
    const uint32_t n = plist_array_get_size(history);
    for (uint32_t i = 0; i < n && i < kMaxEntries; ++i) {
      plist_t entry = plist_array_get_item(history, i);
      if (entry == nullptr || plist_get_node_type(entry) != PLIST_DICT) {
        out.problems.push_back("DownloadHistory item " + std::to_string(i) + " is not a dictionary");
        continue;
      }
      Download d;
      d.url = Text(Item(entry, "DownloadEntryURL"));
      d.target_path = Text(Item(entry, "DownloadEntryPath"));
      d.total_bytes = Integer(Item(entry, "DownloadEntryProgressTotalToLoad"));
      d.received_bytes = Integer(Item(entry, "DownloadEntryProgressBytesSoFar"));
      d.start_time = Date(Item(entry, "DownloadEntryDateAddedKey"));
      d.end_time = Date(Item(entry, "DownloadEntryDateFinishedKey"));
      if (d.end_time && d.total_bytes && d.received_bytes && *d.received_bytes >= *d.total_bytes) {
        d.state = "complete";
      } else if (d.end_time) {
        d.state = "finished";
      } else {
        d.state = "not finished";
      }
      out.rows.push_back(d.ToRow(origin, "DownloadHistory item " + std::to_string(i)));
    }
    return Status::Ok();
  }
};

class SafariBookmarksParser : public Parser {
 public:
  std::string name() const override { return "browser.safari.bookmarks"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {BookmarkKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return LowerAscii(file.name) == "bookmarks.plist" && UnderSafari(file) && LooksLikePlist(head);
  }
  int64_t max_bytes() const override { return 256LL << 20; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    Plist p;
    if (Status s = Load(input.bytes, p); !s.ok()) return s;
    if (Item(p.root, "Children") == nullptr) return Status::Corruption("no Children: not a Safari Bookmarks.plist");
    size_t count = 0;
    Walk(p.root, "", 0, count, out);
    return Status::Ok();
  }

 private:
  static std::string FolderName(const std::string& title) {
    if (title == "com.apple.ReadingList") return "Reading List";
    if (title == "BookmarksBar") return "Favourites bar";
    if (title == "BookmarksMenu") return "Bookmarks menu";
    return title;
  }

  void Walk(plist_t node, const std::string& folder, int depth, size_t& count, ParseOutput& out) const {
    if (depth > kMaxDepth) {
      out.problems.push_back("bookmark folders nested deeper than " + std::to_string(kMaxDepth) + ": not read");
      return;
    }
    plist_t children = Item(node, "Children");
    if (children == nullptr || plist_get_node_type(children) != PLIST_ARRAY) return;
    const uint32_t n = plist_array_get_size(children);
    for (uint32_t i = 0; i < n && count < kMaxEntries; ++i) {
      plist_t child = plist_array_get_item(children, i);
      const auto type = Text(Item(child, "WebBookmarkType")).value_or("");
      if (type == "WebBookmarkTypeList") {
        const std::string title = FolderName(Text(Item(child, "Title")).value_or("?"));
        Walk(child, folder.empty() ? title : folder + "/" + title, depth + 1, count, out);
      } else if (type == "WebBookmarkTypeLeaf") {
        Bookmark b;
        b.url = Text(Item(child, "URLString"));
        b.name = Text(Item(Item(child, "URIDictionary"), "title"));
        if (!b.name) b.name = Text(Item(child, "Title"));
        if (!folder.empty()) b.folder = folder;
        plist_t reading = Item(child, "ReadingList");
        b.added = Date(Item(reading, "DateAdded"));
        b.last_used = Date(Item(reading, "DateLastViewed"));
        out.rows.push_back(b.ToRow(Origin{"Safari", std::nullopt}, "bookmark " + std::to_string(count)));
        ++count;
      }
    }
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(SafariDownloadsParser);
CUSTOS_REGISTER_PARSER(SafariBookmarksParser);

}  // namespace custos
