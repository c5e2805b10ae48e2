// Content preview (see preview.h).
#define GLFW_INCLUDE_NONE
#include "gui/preview.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "gui/widgets.h"
#include "triage/base/format.h"

namespace custos::viewer {

namespace {

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x20 && cp != '\n' && cp != '\t') cp = '.';
  if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF) cp = '.';
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// A message that says why a preview is not shown, wrapped to the pane (the reasons are sentences, and the advice
// at their end must stay in sight).
void ErrorText(const std::string& message) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.5f, 0.4f, 1));
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::PopStyleColor();
}

}  // namespace

std::string DecodeText(const std::string& b, std::string* encoding) {
  auto u8 = [&b](size_t i) { return static_cast<uint8_t>(b[i]); };
  std::string out;
  bool le = false, be = false;
  size_t start = 0;
  if (b.size() >= 2 && u8(0) == 0xFF && u8(1) == 0xFE) {
    le = true;
    start = 2;
  } else if (b.size() >= 2 && u8(0) == 0xFE && u8(1) == 0xFF) {
    be = true;
    start = 2;
  } else if (b.size() >= 8) {
    size_t zeros_odd = 0;
    for (size_t i = 1; i < std::min<size_t>(b.size(), 512); i += 2) zeros_odd += u8(i) == 0;
    le = zeros_odd * 2 >= std::min<size_t>(b.size(), 512) / 2 * 9 / 10;
  }
  if (le || be) {
    *encoding = le ? "UTF-16LE" : "UTF-16BE";
    for (size_t i = start; i + 1 < b.size(); i += 2) {
      uint32_t unit = le ? (u8(i) | (u8(i + 1) << 8)) : ((u8(i) << 8) | u8(i + 1));
      if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < b.size()) {
        const uint32_t lo = le ? (u8(i + 2) | (u8(i + 3) << 8)) : ((u8(i + 2) << 8) | u8(i + 3));
        if (lo >= 0xDC00 && lo < 0xE000) {
          unit = 0x10000 + ((unit - 0xD800) << 10) + (lo - 0xDC00);
          i += 2;
        }
      }
      if (unit != '\r') AppendUtf8(&out, unit);
    }
    return out;
  }
  *encoding = "UTF-8";
  for (size_t i = 0; i < b.size();) {
    const uint8_t c = u8(i);
    const int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + static_cast<size_t>(n) > b.size()) {
      out.push_back('.');
      ++i;
      continue;
    }
    uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    bool ok = true;
    for (int k = 1; k < n; ++k) {
      const uint8_t cc = u8(i + static_cast<size_t>(k));
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      out.push_back('.');
      ++i;
      continue;
    }
    if (cp != '\r') AppendUtf8(&out, cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

void ContentPreview::SetFile(ViewContext& ctx, int64_t file_id, const std::string& name, const std::string& mime) {
  if (file_id == file_id_) return;
  file_id_ = file_id;
  name_ = name;
  mime_ = mime;
  page_ = ContentPage{};
  error_.clear();
  picture_ = Texture();
  picture_requested_ = false;
  picture_error_.clear();
  if (file_id_ == 0) return;
  if (mime_.rfind("image/", 0) == 0 && tab_ == 0) tab_ = 2;
  RequestPage(ctx, 0);
}

void ContentPreview::RequestPage(ViewContext& ctx, int64_t offset) {
  const uint64_t id = ++request_;
  loading_ = true;
  const int64_t file_id = file_id_;
  ctx.content->Submit([this, id, file_id, offset, pager = ctx.evidence](CaseStore& store) -> QueryWorker::Apply {
    auto page = pager->Read(store, file_id, offset, kPageBytes);
    return [this, id, page = std::move(page)]() mutable {
      if (id != request_) return;
      loading_ = false;
      if (page.ok()) {
        page_ = std::move(page.value());
        error_.clear();
      } else {
        error_ = page.status().message();
      }
    };
  });
}

void ContentPreview::RequestPicture(ViewContext& ctx) {
  picture_requested_ = true;
  const int64_t file_id = file_id_;
  const uint64_t id = request_;
  ctx.content->Submit([this, id, file_id, pager = ctx.evidence](CaseStore& store) -> QueryWorker::Apply {
    auto whole = pager->Read(store, file_id, 0, StoredFileReader::kMaxRead);
    Result<Rgba> image = whole.ok() ? DecodePicture(whole->bytes, 1024) : Result<Rgba>(whole.status());
    return [this, id, image = std::move(image)]() mutable {
      if (id != request_) return;
      if (image.ok()) {
        picture_.Upload(*image);
        picture_w_ = image->width;
        picture_h_ = image->height;
      } else {
        picture_error_ = image.status().message();
      }
    };
  });
}

void ContentPreview::Draw(ViewContext& ctx) {
  if (file_id_ == 0) {
    ImGui::TextDisabled("Select a file to preview its content (H hex, X text, V picture; ',' '.' pages).");
    return;
  }
  if (!ctx.typing && !ImGui::GetIO().KeyCtrl) {
    if (ImGui::IsKeyPressed(GLFW_KEY_H, false)) tab_ = 0;
    if (ImGui::IsKeyPressed(GLFW_KEY_X, false)) tab_ = 1;
    if (ImGui::IsKeyPressed(GLFW_KEY_V, false)) tab_ = 2;
    if (ImGui::IsKeyPressed(GLFW_KEY_PERIOD) && page_.offset + static_cast<int64_t>(kPageBytes) < page_.file_size) {
      RequestPage(ctx, page_.offset + static_cast<int64_t>(kPageBytes));
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_COMMA) && page_.offset > 0) {
      RequestPage(ctx, std::max<int64_t>(0, page_.offset - static_cast<int64_t>(kPageBytes)));
    }
  }
  const char* tabs[] = {"Hex (H)", "Text (X)", "Picture (V)"};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) ImGui::SameLine();
    if (ImGui::RadioButton(tabs[i], tab_ == i)) tab_ = i;
  }
  ImGui::SameLine();
  const int64_t end = page_.offset + static_cast<int64_t>(page_.bytes.size());
  ImGui::TextDisabled("  %s   bytes %s-%s of %s  (',' '.' page)", name_.c_str(), Thousands(page_.offset).c_str(),
                      Thousands(end).c_str(), Thousands(page_.file_size).c_str());
  if (loading_) {
    ImGui::SameLine();
    Spinner("preview");
  }
  if (!error_.empty()) {
    ErrorText(error_);
    return;
  }
  ImGui::BeginChild("content", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  if (tab_ == 0) {
    ImGui::PushFont(ctx.mono);
    const int lines = static_cast<int>((page_.bytes.size() + 15) / 16);
    ImGuiListClipper clipper;
    clipper.Begin(lines);
    while (clipper.Step()) {
      for (int l = clipper.DisplayStart; l < clipper.DisplayEnd; ++l) {
        char line[128];
        const size_t at = static_cast<size_t>(l) * 16;
        int n = std::snprintf(line, sizeof line, "%010llx  ", static_cast<unsigned long long>(page_.offset) + at);
        std::string ascii;
        for (size_t k = 0; k < 16; ++k) {
          if (at + k < page_.bytes.size()) {
            const uint8_t c = static_cast<uint8_t>(page_.bytes[at + k]);
            n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), "%02x%s", c, k == 7 ? "  " : " ");
            ascii.push_back(c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '.');
          } else {
            n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), "  %s", k == 7 ? "  " : " ");
          }
        }
        ImGui::Text("%s %s", line, ascii.c_str());
      }
    }
    ImGui::PopFont();
  } else if (tab_ == 1) {
    std::string encoding;
    const std::string text = DecodeText(page_.bytes, &encoding);
    ImGui::TextDisabled("decoded as %s", encoding.c_str());
    ImGui::PushFont(ctx.mono);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopFont();
  } else {
    if (!picture_requested_) RequestPicture(ctx);
    if (!picture_error_.empty()) {
      ErrorText("cannot show this picture: " + picture_error_);
    } else if (picture_.id()) {
      const ImVec2 avail = ImGui::GetContentRegionAvail();
      const float f =
          std::min({1.0f, avail.x / static_cast<float>(picture_w_), avail.y / static_cast<float>(picture_h_)});
      ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<uintptr_t>(picture_.id())),
                   ImVec2(static_cast<float>(picture_w_) * f, static_cast<float>(picture_h_) * f));
      ImGui::TextDisabled("%d x %d shown", picture_w_, picture_h_);
    } else {
      Spinner("picture");
    }
  }
  ImGui::EndChild();
}

}  // namespace custos::viewer
