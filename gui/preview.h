// The content preview under the Files view and beside the Gallery: hex, text (UTF-8 or UTF-16) and picture
// tabs over pages of the file read from the evidence (StoredFileReader), 64 KiB at a time.
// Thread-safety: UI thread; its reads of the evidence run on the content worker (ctx.content).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "gui/picture.h"
#include "gui/view.h"
#include "triage/readback/stored_file_reader.h"

namespace custos::viewer {

class ContentPreview {
 public:
  static constexpr size_t kPageBytes = 64 * 1024;

  // Shows this file (a file row id; 0 = nothing). Keeps the tab.
  void SetFile(ViewContext& ctx, int64_t file_id, const std::string& name, const std::string& mime);
  // Draws the tabs and handles their keys: H hex, X text, V picture, ',' and '.' previous and next page.
  void Draw(ViewContext& ctx);
  int64_t file_id() const { return file_id_; }

 private:
  void RequestPage(ViewContext& ctx, int64_t offset);
  void RequestPicture(ViewContext& ctx);

  int64_t file_id_ = 0;
  std::string name_, mime_;
  int tab_ = 0;  // 0 hex, 1 text, 2 picture
  uint64_t request_ = 0;
  bool loading_ = false;
  ContentPage page_;
  std::string error_;
  bool picture_requested_ = false;
  Texture picture_;
  int picture_w_ = 0, picture_h_ = 0;
  std::string picture_error_;
};

// Text of bytes for the text preview: UTF-16 (LE/BE by BOM, or LE when every other byte is zero) or UTF-8,
// with control characters and invalid sequences shown as '.'.
std::string DecodeText(const std::string& bytes, std::string* encoding);

}  // namespace custos::viewer
