// Triage priority classes from paths and names (see priority.h). The lists name the artefacts that
// the parser issues read; a file that matches none falls through to its area (user / system / other).
#include "triage/pipeline/priority.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace custos {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool Contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// Exact file names (lowercase) of key artefacts wherever they are.
constexpr std::string_view kKeyNames[] = {"system",
                                          "software",
                                          "sam",
                                          "security",
                                          "ntuser.dat",
                                          "usrclass.dat",
                                          "amcache.hve",
                                          "default",
                                          "history",
                                          "places.sqlite",
                                          "cookies",
                                          "cookies.sqlite",
                                          "login data",
                                          "web data",
                                          "formhistory.sqlite",
                                          "downloads.sqlite",
                                          "webcachev01.dat",
                                          "index.dat",
                                          "history.db",
                                          "bookmarks",
                                          "mmssms.db",
                                          "contacts2.db",
                                          "calllog.db",
                                          "msgstore.db",
                                          "wa.db",
                                          "sms.db",
                                          "chat.db",
                                          "main.db",
                                          "addressbook.sqlitedb",
                                          "callhistory.storedata",
                                          "activitiescache.db",
                                          "downloads.db",
                                          "telephony.db",
                                          "kik.sqlite",
                                          "twitter.db",
                                          "viber_messages",
                                          "tc.db",
                                          "accounts.db"};

constexpr std::string_view kKeyExtensions[] = {"pst", "ost", "mbox", "eml", "evtx", "msg", "lnk", "pf"};

constexpr std::string_view kPictureExtensions[] = {"jpg", "jpeg", "png", "gif", "bmp", "heic", "heif", "webp",
                                                   "tif", "tiff", "mp4", "mov", "avi", "3gp",  "mkv",  "wmv"};

// Roots of user areas on Windows, macOS, Linux and phone extractions.
constexpr std::string_view kUserAreas[] = {
    "/users/",  "/documents and settings/", "/home/", "/data/data/", "/data/media/",
    "/sdcard/", "/private/var/mobile/",     "/dcim/"};

constexpr std::string_view kSystemAreas[] = {"/windows/",        "/program files", "/programdata/", "/usr/",    "/lib/",
                                             "/system/library/", "/applications/", "/bin/",         "/$extend/"};

}  // namespace

int PriorityOf(const FileRecord& file) {
  const std::string path = Lower(file.path);
  const std::string name = Lower(file.name);
  const std::string& ext = file.extension;
  const bool in_config = Contains(path, "/system32/config/");
  if (in_config || std::find(std::begin(kKeyNames), std::end(kKeyNames), name) != std::end(kKeyNames)) {
    // "system", "software", "default" are only hives inside config; elsewhere they are ordinary names.
    if (in_config ||
        (name != "system" && name != "software" && name != "default" && name != "security" && name != "sam")) {
      return kPriorityKeyArtefact;
    }
  }
  if (std::find(std::begin(kKeyExtensions), std::end(kKeyExtensions), ext) != std::end(kKeyExtensions)) {
    return kPriorityKeyArtefact;
  }
  if (Contains(path, "/winevt/logs/") || Contains(path, "/prefetch/") || Contains(path, "$recycle.bin") ||
      Contains(path, "/recycler/")) {
    return kPriorityKeyArtefact;
  }
  const bool user_area =
      std::any_of(std::begin(kUserAreas), std::end(kUserAreas), [&](std::string_view a) { return Contains(path, a); });
  if (user_area) {
    if (std::find(std::begin(kPictureExtensions), std::end(kPictureExtensions), ext) != std::end(kPictureExtensions)) {
      return kPriorityUserPicture;
    }
    return kPriorityUserDocument;
  }
  if (!file.name.empty() && file.name[0] == '$' && path.find('/', 1) == std::string::npos) return kPrioritySystem;
  const bool system_area = std::any_of(std::begin(kSystemAreas), std::end(kSystemAreas),
                                       [&](std::string_view a) { return path.rfind(a, 0) == 0; });
  return system_area ? kPrioritySystem : kPriorityOther;
}

const char* PriorityName(int priority) {
  switch (priority) {
    case kPriorityKeyArtefact:
      return "key artefact";
    case kPriorityUserPicture:
      return "user picture";
    case kPriorityUserDocument:
      return "user file";
    case kPriorityOther:
      return "other";
    default:
      return "system";
  }
}

}  // namespace custos
