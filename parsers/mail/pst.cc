// Parser: Outlook personal folders (.pst) and offline stores (.ost), ANSI and Unicode, through libpff:
// every message in every folder, with its folder path, sender, To/Cc/Bcc recipients (from the recipient
// table, else the display lists), subject, submit and delivery times, Message-ID, attachment names and
// sizes, and the plain text body (else the HTML body's text). Items libpff could only recover from
// freed space (libpff_file_recover_items) are not read: that scan reads the whole file again.
#include <libpff.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parsers/common/isolated_library.h"
#include "parsers/common/libyal.h"
#include "parsers/common/windows_time.h"
#include "parsers/mail/html_text.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/parser.h"

namespace custos {
namespace {

constexpr int kMaxFolderDepth = 64;              // Outlook allows far less; deeper is a damaged tree looping
constexpr size_t kMaxProblems = 100;             // per file: one damaged tree can fail every message the same way
constexpr uint32_t kInternetMessageId = 0x1035;  // PidTagInternetMessageId (not in libpff's enum)
constexpr uint32_t kDisplayBcc = 0x0e02, kDisplayCc = 0x0e03;

// libpff's functions, called in its own link namespace (parsers/common/isolated_library.h says why).
#define CUSTOS_LIBPFF_FUNCTIONS(X)                    \
  X(libpff_attachment_get_data_size)                  \
  X(libpff_attachment_get_type)                       \
  X(libpff_error_backtrace_sprint)                    \
  X(libpff_error_free)                                \
  X(libpff_file_close)                                \
  X(libpff_file_free)                                 \
  X(libpff_file_get_content_type)                     \
  X(libpff_file_get_root_folder)                      \
  X(libpff_file_initialize)                           \
  X(libpff_file_open_file_io_handle)                  \
  X(libpff_folder_get_number_of_sub_folders)          \
  X(libpff_folder_get_number_of_sub_messages)         \
  X(libpff_folder_get_sub_folder)                     \
  X(libpff_folder_get_sub_message)                    \
  X(libpff_folder_get_utf8_name)                      \
  X(libpff_folder_get_utf8_name_size)                 \
  X(libpff_item_free)                                 \
  X(libpff_item_get_identifier)                       \
  X(libpff_item_get_number_of_record_sets)            \
  X(libpff_item_get_record_set_by_index)              \
  X(libpff_message_get_attachment)                    \
  X(libpff_message_get_client_submit_time)            \
  X(libpff_message_get_delivery_time)                 \
  X(libpff_message_get_entry_value_utf8_string)       \
  X(libpff_message_get_entry_value_utf8_string_size)  \
  X(libpff_message_get_html_body)                     \
  X(libpff_message_get_html_body_size)                \
  X(libpff_message_get_number_of_attachments)         \
  X(libpff_message_get_plain_text_body)               \
  X(libpff_message_get_plain_text_body_size)          \
  X(libpff_message_get_recipients)                    \
  X(libpff_record_entry_free)                         \
  X(libpff_record_entry_get_data_as_32bit_integer)    \
  X(libpff_record_entry_get_data_as_utf8_string)      \
  X(libpff_record_entry_get_data_as_utf8_string_size) \
  X(libpff_record_set_free)                           \
  X(libpff_record_set_get_entry_by_type)
struct PffApi : IsolatedLibrary {
  CUSTOS_LIBPFF_FUNCTIONS(CUSTOS_ISOLATED_DECLARE)
};

const PffApi& Pff() {
  static const PffApi loaded = [] {
    PffApi api;
    api.Load("libpff.so.1", "libpff1");
    CUSTOS_LIBPFF_FUNCTIONS(CUSTOS_ISOLATED_RESOLVE)
    return api;
  }();
  return loaded;
}

std::string PffError(libpff_error_t*& error) {
  return TakeLibyalError(error, Pff().libpff_error_backtrace_sprint, Pff().libpff_error_free);
}

struct PffFile {
  libpff_file_t* file = nullptr;
  PffFile() = default;
  PffFile(const PffFile&) = delete;
  PffFile& operator=(const PffFile&) = delete;
  ~PffFile() {
    if (file != nullptr) {
      Pff().libpff_file_close(file, nullptr);
      Pff().libpff_file_free(&file, nullptr);
    }
  }
};

struct PffItem {
  libpff_item_t* item = nullptr;
  PffItem() = default;
  PffItem(PffItem&& o) noexcept : item(std::exchange(o.item, nullptr)) {}
  PffItem(const PffItem&) = delete;
  PffItem& operator=(const PffItem&) = delete;
  ~PffItem() {
    if (item != nullptr) Pff().libpff_item_free(&item, nullptr);
  }
};

struct PffRecordSet {
  libpff_record_set_t* set = nullptr;
  ~PffRecordSet() {
    if (set != nullptr) Pff().libpff_record_set_free(&set, nullptr);
  }
};

struct PffRecordEntry {
  libpff_record_entry_t* entry = nullptr;
  ~PffRecordEntry() {
    if (entry != nullptr) Pff().libpff_record_entry_free(&entry, nullptr);
  }
};

void Forget(libpff_error_t*& error) {
  if (error != nullptr) Pff().libpff_error_free(&error);
  error = nullptr;
}

// A message property as UTF-8 (libpff converts ANSI strings with the message's code page).
std::optional<std::string> MessageText(libpff_item_t* message, uint32_t entry_type) {
  libpff_error_t* error = nullptr;
  size_t size = 0;
  if (Pff().libpff_message_get_entry_value_utf8_string_size(message, entry_type, &size, &error) != 1 || size == 0 ||
      size > (64u << 20)) {
    Forget(error);
    return std::nullopt;
  }
  std::string out(size, '\0');
  if (Pff().libpff_message_get_entry_value_utf8_string(message, entry_type, reinterpret_cast<uint8_t*>(out.data()),
                                                       size, &error) != 1) {
    Forget(error);
    return std::nullopt;
  }
  while (!out.empty() && out.back() == '\0') out.pop_back();
  if (out.empty()) return std::nullopt;
  return out;
}

// A property of one record set (a recipient, an attachment) by its MAPI type, whatever its value type.
std::optional<std::string> SetText(libpff_item_t* item, int set_index, uint32_t entry_type) {
  libpff_error_t* error = nullptr;
  PffRecordSet set;
  PffRecordEntry entry;
  if (Pff().libpff_item_get_record_set_by_index(item, set_index, &set.set, &error) != 1 ||
      Pff().libpff_record_set_get_entry_by_type(set.set, entry_type, 0, &entry.entry,
                                                LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE, &error) != 1) {
    Forget(error);
    return std::nullopt;
  }
  size_t size = 0;
  if (Pff().libpff_record_entry_get_data_as_utf8_string_size(entry.entry, &size, &error) != 1 || size == 0 ||
      size > (1u << 20)) {
    Forget(error);
    return std::nullopt;
  }
  std::string out(size, '\0');
  if (Pff().libpff_record_entry_get_data_as_utf8_string(entry.entry, reinterpret_cast<uint8_t*>(out.data()), size,
                                                        &error) != 1) {
    Forget(error);
    return std::nullopt;
  }
  while (!out.empty() && out.back() == '\0') out.pop_back();
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<uint32_t> SetNumber(libpff_item_t* item, int set_index, uint32_t entry_type) {
  libpff_error_t* error = nullptr;
  PffRecordSet set;
  PffRecordEntry entry;
  uint32_t value = 0;
  if (Pff().libpff_item_get_record_set_by_index(item, set_index, &set.set, &error) != 1 ||
      Pff().libpff_record_set_get_entry_by_type(set.set, entry_type, 0, &entry.entry,
                                                LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE, &error) != 1 ||
      Pff().libpff_record_entry_get_data_as_32bit_integer(entry.entry, &value, &error) != 1) {
    Forget(error);
    return std::nullopt;
  }
  return value;
}

// "Name <address>", or whichever of the two is there.
std::optional<std::string> NameAndAddress(std::optional<std::string> name, std::optional<std::string> address) {
  if (name && address && *name != *address) return *name + " <" + *address + ">";
  if (name) return name;
  return address;
}

// MAPI subjects may start with a normalisation prefix marker: 0x01 and the prefix length ("RE: ").
std::optional<std::string> Subject(libpff_item_t* message) {
  auto subject = MessageText(message, LIBPFF_ENTRY_TYPE_MESSAGE_SUBJECT);
  if (subject && subject->size() >= 2 && (*subject)[0] == '\x01') subject->erase(0, 2);
  return subject;
}

std::optional<UtcMicros> MessageTime(libpff_item_t* message, int (*get)(libpff_item_t*, uint64_t*, libpff_error_t**)) {
  libpff_error_t* error = nullptr;
  uint64_t filetime = 0;
  if (get(message, &filetime, &error) != 1) {
    Forget(error);
    return std::nullopt;
  }
  return FromFiletime(filetime);
}

void AddTo(std::optional<std::string>& list, const std::string& one) { list = list ? *list + "; " + one : one; }

void ReadRecipients(libpff_item_t* message, mobile::EmailMessage& m) {
  libpff_error_t* error = nullptr;
  PffItem recipients;
  int sets = 0;
  if (Pff().libpff_message_get_recipients(message, &recipients.item, &error) == 1 &&
      Pff().libpff_item_get_number_of_record_sets(recipients.item, &sets, &error) == 1) {
    for (int i = 0; i < sets; ++i) {
      auto who = NameAndAddress(SetText(recipients.item, i, LIBPFF_ENTRY_TYPE_DISPLAY_NAME),
                                SetText(recipients.item, i, LIBPFF_ENTRY_TYPE_EMAIL_ADDRESS));
      if (!who) continue;
      switch (SetNumber(recipients.item, i, LIBPFF_ENTRY_TYPE_RECIPIENT_TYPE).value_or(LIBPFF_RECIPIENT_TYPE_TO)) {
        case LIBPFF_RECIPIENT_TYPE_CC:
          AddTo(m.cc, *who);
          break;
        case LIBPFF_RECIPIENT_TYPE_BCC:
          AddTo(m.bcc, *who);
          break;
        default:
          AddTo(m.to, *who);
      }
    }
  }
  Forget(error);
  // The display lists Outlook keeps on the message ("Alice; Bob"), when the table gave nothing.
  if (!m.to) m.to = MessageText(message, LIBPFF_ENTRY_TYPE_MESSAGE_DISPLAY_TO);
  if (!m.cc) m.cc = MessageText(message, kDisplayCc);
  if (!m.bcc) m.bcc = MessageText(message, kDisplayBcc);
}

void ReadAttachments(libpff_item_t* message, mobile::EmailMessage& m) {
  libpff_error_t* error = nullptr;
  int count = 0;
  if (Pff().libpff_message_get_number_of_attachments(message, &count, &error) != 1) {
    Forget(error);
    return;
  }
  std::string list;
  for (int i = 0; i < count; ++i) {
    PffItem attachment;
    if (Pff().libpff_message_get_attachment(message, i, &attachment.item, &error) != 1) {
      Forget(error);
      continue;
    }
    ++m.attachment_count;
    std::optional<std::string> name = SetText(attachment.item, 0, LIBPFF_ENTRY_TYPE_ATTACHMENT_FILENAME_LONG);
    if (!name) name = SetText(attachment.item, 0, LIBPFF_ENTRY_TYPE_ATTACHMENT_FILENAME_SHORT);
    if (!name) name = SetText(attachment.item, 0, LIBPFF_ENTRY_TYPE_DISPLAY_NAME);
    int type = LIBPFF_ATTACHMENT_TYPE_UNDEFINED;
    if (Pff().libpff_attachment_get_type(attachment.item, &type, &error) != 1) Forget(error);
    std::string text = name.value_or(type == LIBPFF_ATTACHMENT_TYPE_ITEM ? "(attached Outlook item)" : "(unnamed)");
    size64_t size = 0;
    if (type == LIBPFF_ATTACHMENT_TYPE_DATA) {
      if (Pff().libpff_attachment_get_data_size(attachment.item, &size, &error) == 1) {
        text += " (" + std::to_string(size) + " bytes)";
      } else {
        Forget(error);
      }
    }
    if (!list.empty()) list += "; ";
    list += text;
  }
  if (!list.empty()) m.attachments = list;
}

std::optional<std::string> Body(libpff_item_t* message) {
  libpff_error_t* error = nullptr;
  size_t size = 0;
  // Bodies past the kept limit are still read whole (libpff has no partial read of a body), up to 64 MiB.
  if (Pff().libpff_message_get_plain_text_body_size(message, &size, &error) == 1 && size > 1 && size <= (64u << 20)) {
    std::string out(size, '\0');
    if (Pff().libpff_message_get_plain_text_body(message, reinterpret_cast<uint8_t*>(out.data()), size, &error) == 1) {
      while (!out.empty() && out.back() == '\0') out.pop_back();
      return out;
    }
  }
  Forget(error);
  if (Pff().libpff_message_get_html_body_size(message, &size, &error) == 1 && size > 1 && size <= (64u << 20)) {
    std::string html(size, '\0');
    if (Pff().libpff_message_get_html_body(message, reinterpret_cast<uint8_t*>(html.data()), size, &error) == 1) {
      while (!html.empty() && html.back() == '\0') html.pop_back();
      return HtmlText(html);
    }
  }
  Forget(error);
  return std::nullopt;
}

std::optional<std::string> FolderName(libpff_item_t* folder) {
  return LibyalUtf8<libpff_item_t, libpff_error_t>(folder, Pff().libpff_folder_get_utf8_name_size,
                                                   Pff().libpff_folder_get_utf8_name, Pff().libpff_error_free);
}

class PstParser : public Parser {
 public:
  std::string name() const override { return "mail.pst"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {mobile::EmailMessageKind()}; }
  // The "!BDN" signature of PST, OST and PAB files, whatever the name.
  bool Wants(const FileRecord&, std::string_view head) const override { return head.starts_with("!BDN"); }
  int64_t max_bytes() const override { return 3LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    if (!input.bytes.starts_with("!BDN")) return Status::Corruption("not a PST or OST file: no !BDN signature");
    if (!Pff().ok()) return Status::NotSupported(Pff().load_error());
    auto io = MemoryBfio::Over(input.bytes, Pff().bfio());
    if (!io.ok()) return io.status();
    PffFile pff;
    libpff_error_t* error = nullptr;
    if (Pff().libpff_file_initialize(&pff.file, &error) != 1 ||
        Pff().libpff_file_open_file_io_handle(pff.file, (*io)->get(), LIBPFF_OPEN_READ, &error) != 1) {
      return Status::Corruption("libpff cannot open the mailbox: " + PffError(error));
    }
    uint8_t content = 0;
    if (Pff().libpff_file_get_content_type(pff.file, &content, &error) != 1) Forget(error);
    const std::string format = content == LIBPFF_FILE_CONTENT_TYPE_OST   ? "OST"
                               : content == LIBPFF_FILE_CONTENT_TYPE_PAB ? "PAB"
                                                                         : "PST";
    PffItem root;
    if (Pff().libpff_file_get_root_folder(pff.file, &root.item, &error) != 1) {
      return Status::Corruption("libpff cannot read the root folder: " + PffError(error));
    }
    struct Pending {
      PffItem folder;
      std::string path;
      int depth;
    };
    std::vector<Pending> stack;
    stack.push_back({std::move(root), "", 0});
    const auto problem = [&](std::string text) {
      if (out.problems.size() < kMaxProblems) out.problems.push_back(std::move(text));
    };
    while (!stack.empty()) {
      Pending current = std::move(stack.back());
      stack.pop_back();
      libpff_item_t* folder = current.folder.item;
      int messages = 0;
      if (Pff().libpff_folder_get_number_of_sub_messages(folder, &messages, &error) != 1) {
        problem("folder '" + current.path + "': its messages cannot be listed: " + PffError(error));
        messages = 0;
      }
      for (int i = 0; i < messages; ++i) {
        PffItem message;
        if (Pff().libpff_folder_get_sub_message(folder, i, &message.item, &error) != 1) {
          problem("folder '" + current.path + "' message " + std::to_string(i) + ": " + PffError(error));
          continue;
        }
        uint32_t id = 0;
        if (Pff().libpff_item_get_identifier(message.item, &id, &error) != 1) Forget(error);
        mobile::EmailMessage m;
        m.format = format;
        m.folder = current.path.empty() ? "/" : current.path;
        m.sender = NameAndAddress(MessageText(message.item, LIBPFF_ENTRY_TYPE_MESSAGE_SENDER_NAME),
                                  MessageText(message.item, LIBPFF_ENTRY_TYPE_MESSAGE_SENDER_EMAIL_ADDRESS));
        if (!m.sender) {
          m.sender =
              NameAndAddress(MessageText(message.item, LIBPFF_ENTRY_TYPE_MESSAGE_SENT_REPRESENTING_NAME),
                             MessageText(message.item, LIBPFF_ENTRY_TYPE_MESSAGE_SENT_REPRESENTING_EMAIL_ADDRESS));
        }
        ReadRecipients(message.item, m);
        m.subject = Subject(message.item);
        m.sent_time = MessageTime(message.item, Pff().libpff_message_get_client_submit_time);
        m.received_time = MessageTime(message.item, Pff().libpff_message_get_delivery_time);
        m.message_id = MessageText(message.item, kInternetMessageId);
        if (m.message_id && m.message_id->size() > 2 && m.message_id->front() == '<' && m.message_id->back() == '>')
          *m.message_id = m.message_id->substr(1, m.message_id->size() - 2);
        ReadAttachments(message.item, m);
        m.body = Body(message.item);
        out.rows.push_back(m.ToRow(*m.folder + " item " + std::to_string(id)));
      }
      int folders = 0;
      if (Pff().libpff_folder_get_number_of_sub_folders(folder, &folders, &error) != 1) {
        problem("folder '" + current.path + "': its sub-folders cannot be listed: " + PffError(error));
        folders = 0;
      }
      if (folders > 0 && current.depth >= kMaxFolderDepth) {
        problem("folder '" + current.path + "' is nested more than " + std::to_string(kMaxFolderDepth) +
                " deep: its sub-folders are not read");
        continue;
      }
      // Pushed in reverse so that folders come out in their stored order.
      for (int i = folders - 1; i >= 0; --i) {
        PffItem sub;
        if (Pff().libpff_folder_get_sub_folder(folder, i, &sub.item, &error) != 1) {
          problem("folder '" + current.path + "' sub-folder " + std::to_string(i) + ": " + PffError(error));
          continue;
        }
        const std::string name = FolderName(sub.item).value_or("(unnamed)");
        stack.push_back({std::move(sub), current.path + "/" + name, current.depth + 1});
      }
    }
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(PstParser);

}  // namespace custos
