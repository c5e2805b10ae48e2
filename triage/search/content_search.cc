// Streaming keyword, expression and entity search (see content_search.h).
#include "triage/search/content_search.h"

#include <hs/hs.h>
#include <iconv.h>
#include <locale.h>
#include <wctype.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include "triage/search/entity_validators.h"

namespace custos {
namespace {

constexpr int64_t kMaxMatch = static_cast<int64_t>(SearchPatterns::kMaxMatchBytes);
// Bytes of the stream kept after each Feed: a pending match (at most kMaxMatch long, settled once the
// stream is kMaxMatch past its start) plus its context on both sides (twice as many bytes in UTF-16).
constexpr size_t kKeepBytes = 4096;

const char* kEncodings[] = {"utf-8", "utf-16le", "utf-16le"};

// A keyword as a Hyperscan literal: every byte escaped, so no character of the term means anything.
std::string LiteralExpression(std::string_view term) {
  std::string out;
  char hex[8];
  for (unsigned char c : term) {
    std::snprintf(hex, sizeof(hex), "\\x%02x", c);
    out += hex;
  }
  return out;
}

// `text` converted from one charset to another by iconv; nullopt when it is not valid in `from`.
std::optional<std::string> Convert(std::string_view text, const char* from, const char* to) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string in(text), out(text.size() * 4 + 8, '\0');
  char* ip = in.data();
  char* op = out.data();
  size_t il = in.size(), ol = out.size();
  const size_t rc = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1) || il != 0) return std::nullopt;
  out.resize(out.size() - ol);
  return out;
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A keyword outside ASCII in one encoding ("UTF-8", "UTF-16LE", "UTF-16BE") as a Hyperscan expression of
// escaped bytes. Case-insensitively, each character is an alternation of its lower and upper case forms
// (glibc's C.UTF-8 case mappings, one character to one: "ß" has no upper case of its own there), since
// Hyperscan's caseless flag folds ASCII bytes only. Nullopt when the keyword is not valid UTF-8.
std::optional<std::string> EncodedKeyword(std::string_view utf8, const char* encoding, bool case_sensitive) {
  auto utf32 = Convert(utf8, "UTF-8", "UTF-32LE");
  if (!utf32) return std::nullopt;
  static const locale_t kUtf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  std::string out;
  for (size_t i = 0; i + 4 <= utf32->size(); i += 4) {
    char32_t c;
    std::memcpy(&c, utf32->data() + i, 4);
    std::vector<char32_t> forms = {c};
    if (!case_sensitive && kUtf8 != static_cast<locale_t>(nullptr)) {
      for (const wint_t f : {towlower_l(static_cast<wint_t>(c), kUtf8), towupper_l(static_cast<wint_t>(c), kUtf8)}) {
        if (std::find(forms.begin(), forms.end(), static_cast<char32_t>(f)) == forms.end()) forms.push_back(f);
      }
    }
    std::string group;
    for (const char32_t f : forms) {
      char unit[4];
      std::memcpy(unit, &f, 4);
      auto bytes = Convert(std::string_view(unit, 4), "UTF-32LE", encoding);
      if (!bytes) return std::nullopt;
      group += (group.empty() ? "" : "|") + LiteralExpression(*bytes);
    }
    out += forms.size() == 1 ? group : "(?:" + group + ")";
  }
  return out;
}

bool Printable(unsigned char c) { return c >= 0x20 && c < 0x7f; }

std::string PrintableBytes(std::string_view bytes) {
  std::string out(bytes);
  for (char& c : out)
    if (!Printable(static_cast<unsigned char>(c))) c = '.';
  return out;
}

// UTF-16 units (little- or big-endian) to text: printable ASCII as itself, anything else as '.'.
std::string PrintableUtf16(std::string_view bytes, bool big_endian = false) {
  std::string out;
  out.reserve(bytes.size() / 2);
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    const auto lo = static_cast<unsigned char>(bytes[i + (big_endian ? 1 : 0)]);
    const auto hi = static_cast<unsigned char>(bytes[i + (big_endian ? 0 : 1)]);
    out.push_back(hi == 0 && Printable(lo) ? static_cast<char>(lo) : '.');
  }
  return out;
}

// One 16-bit unit of the decoded UTF-16LE views: its character when it is printable ASCII (or a tab or
// line break, which expressions may use), NUL otherwise so no match runs across it.
// Branch-free: on binary data the branches of a plain test mispredict on every other byte.
struct NarrowTable {
  unsigned char text[256];
  NarrowTable() {
    for (int c = 0; c < 256; ++c) {
      text[c] = (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r' ? static_cast<unsigned char>(c) : 0;
    }
  }
};
const NarrowTable kNarrow;
inline char Narrow(unsigned char lo, unsigned char hi) {
  const unsigned char keep = static_cast<unsigned char>(-static_cast<int>(hi == 0));  // 0xff or 0
  return static_cast<char>(kNarrow.text[lo] & keep);
}

// Narrow() over the 16-bit units at in[0..2n), written to out[0..n): SSE2 (every x86-64 has it) sixteen
// units at a time, the same result as the table, which the view decoding spent more time on than
// Hyperscan's scan of the bytes. Returns how many units it decoded (a multiple of 16); the rest is left.
size_t NarrowBlocks(const unsigned char* in, size_t n, char* out) {
  size_t done = 0;
#ifdef __SSE2__
  const __m128i low_byte = _mm_set1_epi16(0x00ff);
  const __m128i shift = _mm_set1_epi8(0x60);         // 0x20..0x7e become 0x80..0xde: signed -128..-34
  const __m128i printable_end = _mm_set1_epi8(-33);  // (0x7f + 0x60) as a signed byte
  const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  const __m128i zero = _mm_setzero_si128();
  for (; done + 16 <= n; done += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 2 * done));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 2 * done + 16));
    const __m128i lo = _mm_packus_epi16(_mm_and_si128(a, low_byte), _mm_and_si128(b, low_byte));
    const __m128i hi = _mm_packus_epi16(_mm_srli_epi16(a, 8), _mm_srli_epi16(b, 8));
    __m128i keep = _mm_cmplt_epi8(_mm_add_epi8(lo, shift), printable_end);
    keep = _mm_or_si128(
        keep, _mm_or_si128(_mm_cmpeq_epi8(lo, tab), _mm_or_si128(_mm_cmpeq_epi8(lo, lf), _mm_cmpeq_epi8(lo, cr))));
    keep = _mm_and_si128(keep, _mm_cmpeq_epi8(hi, zero));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + done), _mm_and_si128(lo, keep));
  }
#else
  (void)in;
  (void)n;
  (void)out;
#endif
  return done;
}

}  // namespace

const char* TermKindName(TermKind kind) {
  switch (kind) {
    case TermKind::kKeyword:
      return "keyword";
    case TermKind::kRegex:
      return "regex";
    case TermKind::kEntity:
      return "entity";
  }
  return "keyword";
}

Result<std::vector<SearchTerm>> LoadTermFile(const std::string& path, TermKind kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read the term file " + path + ": check the path");
  std::vector<SearchTerm> terms;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a BYTE ORDER MARK from Notepad
    if (line.empty()) continue;
    terms.push_back({line, kind, path + " line " + std::to_string(number)});
  }
  if (terms.empty()) return Status::InvalidArgument("the term file " + path + " holds no terms (one per line)");
  return terms;
}

SearchPatterns::~SearchPatterns() { hs_free_database(db_); }

Result<std::shared_ptr<const SearchPatterns>> SearchPatterns::Compile(const std::vector<SearchTerm>& terms,
                                                                      const SearchOptions& options) {
  if (hs_valid_platform() != HS_SUCCESS) {
    return Status::NotSupported(
        "this processor lacks the SSSE3 instructions Hyperscan needs: keyword search cannot run");
  }
  std::shared_ptr<SearchPatterns> compiled(new SearchPatterns());
  std::vector<std::string> expressions;
  std::vector<unsigned> flags;
  const unsigned caseless = options.case_sensitive ? 0 : HS_FLAG_CASELESS;
  for (const auto& term : terms) {
    if (term.kind == TermKind::kKeyword && !IsAscii(term.text)) {
      // Outside ASCII: the keyword's own UTF-8, UTF-16LE and UTF-16BE bytes, searched in the raw bytes.
      auto utf8 = EncodedKeyword(term.text, "UTF-8", options.case_sensitive);
      auto le = EncodedKeyword(term.text, "UTF-16LE", options.case_sensitive);
      auto be = EncodedKeyword(term.text, "UTF-16BE", options.case_sensitive);
      if (utf8 && le && be) {
        for (const auto& [expression, encoding] :
             {std::pair{*utf8, "utf-8"}, std::pair{*le, "utf-16le"}, std::pair{*be, "utf-16be"}}) {
          expressions.push_back(expression);
          flags.push_back(HS_FLAG_SOM_LEFTMOST);
          compiled->patterns_.push_back({term, SIZE_MAX, encoding});
        }
        continue;
      }
      // Not valid UTF-8 (a keyword file in another charset): its bytes as they are, below.
    }
    if (term.kind == TermKind::kKeyword) {
      expressions.push_back(LiteralExpression(term.text));
      flags.push_back(caseless | HS_FLAG_SOM_LEFTMOST);
    } else {
      expressions.push_back(term.text);
      flags.push_back(caseless | HS_FLAG_MULTILINE | HS_FLAG_SOM_LEFTMOST);
    }
    compiled->patterns_.push_back({term, SIZE_MAX});
  }
  if (options.entities) {
    const auto& entities = BuiltInEntities();
    for (size_t i = 0; i < entities.size(); ++i) {
      expressions.push_back(entities[i].pattern);
      flags.push_back(entities[i].start_from_at ? 0u : HS_FLAG_SOM_LEFTMOST);
      compiled->patterns_.push_back({{entities[i].name, TermKind::kEntity, "built-in entity"}, i});
    }
  }
  if (expressions.empty()) return Status::InvalidArgument("nothing to search for");
  std::vector<const char*> pointers;
  std::vector<unsigned> ids;
  for (size_t i = 0; i < expressions.size(); ++i) {
    pointers.push_back(expressions[i].c_str());
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* error = nullptr;
  const hs_error_t rc =
      hs_compile_multi(pointers.data(), flags.data(), ids.data(), static_cast<unsigned>(pointers.size()),
                       HS_MODE_STREAM | HS_MODE_SOM_HORIZON_SMALL, nullptr, &compiled->db_, &error);
  if (rc != HS_SUCCESS) {
    std::string message = error && error->message ? error->message : "unknown error";
    while (!message.empty() && message.back() == '.') message.pop_back();
    const int at = error ? error->expression : -1;
    hs_free_compile_error(error);
    if (at >= 0 && static_cast<size_t>(at) < compiled->patterns_.size()) {
      const SearchTerm& t = compiled->patterns_[at].term;
      return Status::InvalidArgument("the " + std::string(TermKindName(t.kind)) + " '" + t.text + "' (" + t.origin +
                                     ") cannot be searched for: " + message +
                                     ". Fix or remove that line and run the same command again");
    }
    return Status::InvalidArgument("the search terms cannot be compiled: " + message);
  }
  return std::shared_ptr<const SearchPatterns>(std::move(compiled));
}

std::vector<std::string> SearchPatterns::Describe() const {
  std::vector<std::string> out;
  for (const auto& p : patterns_) {
    const std::string item = std::string(TermKindName(p.term.kind)) + ":" + p.term.text;
    if (out.empty() || out.back() != item) out.push_back(item);  // the two phone patterns are one entity
  }
  return out;
}

Result<std::unique_ptr<ContentSearch>> ContentSearch::Create(std::shared_ptr<const SearchPatterns> patterns) {
  std::unique_ptr<ContentSearch> s(new ContentSearch());
  s->patterns_ = std::move(patterns);
  if (hs_alloc_scratch(s->patterns_->db_, &s->scratch_) != HS_SUCCESS) {
    return Status::Internal("Hyperscan could not allocate its scratch space (out of memory?)");
  }
  for (int v = 0; v < kViews; ++v) {
    s->contexts_[v] = {s.get(), v};
    if (hs_open_stream(s->patterns_->db_, 0, &s->streams_[v]) != HS_SUCCESS) {
      return Status::Internal("Hyperscan could not open a stream (out of memory?)");
    }
  }
  const size_t n = s->patterns_->size();
  s->pending_.resize(n * kViews);
  s->last_end_.resize(n * kViews);
  s->hits_.resize(n);
  return s;
}

ContentSearch::~ContentSearch() {
  for (hs_stream* stream : streams_)
    if (stream) hs_close_stream(stream, scratch_, nullptr, nullptr);
  hs_free_scratch(scratch_);
}

void ContentSearch::Begin(std::function<void(const SearchHit&)> hit) {
  hit_ = std::move(hit);
  std::fill(pending_.begin(), pending_.end(), Pending{});
  std::fill(last_end_.begin(), last_end_.end(), -1);
  std::fill(hits_.begin(), hits_.end(), 0);
  active_.clear();
  ready_.clear();
  window_.clear();
  window_start_ = 0;
  end_ = 0;
  lo_[0] = lo_[1] = 0;
  dropped_.clear();
}

int ContentSearch::OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
                           void* context) {
  auto* c = static_cast<ViewContext*>(context);
  int64_t f = static_cast<int64_t>(from), t = static_cast<int64_t>(to);
  if (c->view > 0) {  // decoded UTF-16LE unit n of the view starting at byte a is stream byte a + 2n
    const int a = c->view - 1;
    f = a + 2 * f;
    t = a + 2 * t;
  }
  c->self->Match(c->view, id, f, t);
  return 0;  // go on
}

// The character of the view at stream offset `at` (a byte, or a UTF-16LE unit holding printable ASCII), or
// -1 when there is none or it is not in the bytes kept.
int ContentSearch::CharAt(int view, int64_t at) const {
  const int64_t end = window_start_ + static_cast<int64_t>(window_.size());
  if (at < window_start_ || at + (view == 0 ? 0 : 1) >= end) return -1;
  const auto lo = static_cast<unsigned char>(window_[static_cast<size_t>(at - window_start_)]);
  if (view == 0) return lo;
  const auto hi = static_cast<unsigned char>(window_[static_cast<size_t>(at - window_start_ + 1)]);
  return hi == 0 && Printable(lo) ? lo : -1;
}

// Where an e-mail candidate ending at `to` starts, as Hyperscan's leftmost start would say: the first of the
// local-part characters that run up to its last '@' (at most 64 of them, RFC 5321's limit).
int64_t ContentSearch::EmailStart(int view, int64_t to) const {
  const int64_t unit = view == 0 ? 1 : 2;
  int64_t at = to - unit;
  while (at >= to - kMaxMatch && CharAt(view, at) != '@') {
    if (CharAt(view, at) < 0) return to;
    at -= unit;
  }
  if (CharAt(view, at) != '@') return to;
  static constexpr std::string_view kLocal = "._%+-";
  int64_t start = at;
  for (int n = 0; n < 64; ++n) {
    const int c = CharAt(view, start - unit);
    if (c < 0 || !(std::isalnum(c) || kLocal.find(static_cast<char>(c)) != std::string_view::npos)) break;
    start -= unit;
  }
  return start;
}

void ContentSearch::Match(int view, unsigned id, int64_t from, int64_t to) {
  const size_t slot = static_cast<size_t>(view) * patterns_->size() + id;
  const size_t entity = patterns_->patterns_[id].entity;
  if (entity != SIZE_MAX && BuiltInEntities()[entity].start_from_at) from = EmailStart(view, to);
  // SOM may be unknown past Hyperscan's horizon, or before the bytes kept: such a match is long anyway.
  from = std::max({from, to - kMaxMatch - 2, window_start_});
  if (from < last_end_[slot]) return;  // overlaps a hit already reported
  Pending& p = pending_[slot];
  if (p.active) {
    if (from == p.from) {
      p.to = std::max(p.to, to);  // the same start, a longer match
      if (p.to - p.from >= kMaxMatch) {
        p.to = p.from + kMaxMatch;
        Settle(view, id);
      }
      return;
    }
    if (from < p.to) return;  // overlaps the pending one
    Settle(view, id);
  }
  p.active = true;
  p.from = from;
  p.to = std::min(to, from + kMaxMatch);
  if (!p.listed) {
    p.listed = true;
    active_.push_back(slot);
  }
}

void ContentSearch::Settle(int view, unsigned id) {
  const size_t slot = static_cast<size_t>(view) * patterns_->size() + id;
  Pending& p = pending_[slot];
  if (!p.active) return;
  p.active = false;
  last_end_[slot] = p.to;
  // Keywords and expressions are counted here, so a flood of hits in one chunk is not even queued; entities
  // are counted once their validator has confirmed them.
  if (patterns_->patterns_[id].entity == SIZE_MAX && ++hits_[id] > kMaxHitsPerTerm) return;
  ready_.push_back({view, id, p.from, p.to});
}

std::string_view ContentSearch::Window(int64_t from, int64_t to) const {
  from = std::clamp(from, window_start_, window_start_ + static_cast<int64_t>(window_.size()));
  to = std::clamp(to, from, window_start_ + static_cast<int64_t>(window_.size()));
  return std::string_view(window_).substr(static_cast<size_t>(from - window_start_), static_cast<size_t>(to - from));
}

// UTF-16 text whose characters share one high byte (Latin text: 0) reads the same in big-endian at byte p
// as in little-endian at p + 1 wherever it goes on with such characters: "\0S\0t\0r" is "S\0t\0r\0"
// one byte later. Such bytes are reported once: as UTF-16LE (what Windows writes), unless the run of
// ASCII-range UTF-16 text around them begins with the high byte and ends with a character, which only
// UTF-16BE explains. True when the match [from, to) in that encoding is the one to report.
bool ContentSearch::Utf16Reading(bool big_endian, int64_t from, int64_t to) const {
  const int64_t be = big_endian ? from : from - 1;  // the big-endian reading's start
  const int64_t length = to - from;
  const auto be_text = Convert(Window(be, be + length), "UTF-16BE", "UTF-8");
  const auto le_text = Convert(Window(be + 1, be + 1 + length), "UTF-16LE", "UTF-8");
  const bool both = be >= window_start_ && be_text && le_text && !be_text->empty() && *be_text == *le_text &&
                    Window(be, be + length + 1).size() == static_cast<size_t>(length + 1);
  if (!both) return true;  // only one reading: it is the match's own
  const int64_t end = window_start_ + static_cast<int64_t>(window_.size());
  const auto at = [&](int64_t i) {
    return static_cast<unsigned char>(window_[static_cast<size_t>(i - window_start_)]);
  };
  // The run of units (0, printable ASCII) that holds the big-endian reading.
  int64_t first = be;
  while (first - 2 >= window_start_ && at(first - 2) == 0 && Printable(at(first - 1))) first -= 2;
  int64_t last = be + length;
  while (last + 1 < end && at(last) == 0 && Printable(at(last + 1))) last += 2;
  const bool starts_with_high = first - 1 >= window_start_ && !Printable(at(first - 1));
  const bool ends_with_character = last < end && at(last) != 0;
  const bool big_endian_run = at(be) == 0 && starts_with_high && ends_with_character;
  return big_endian == big_endian_run;
}

void ContentSearch::Emit(int view, unsigned id, int64_t from, int64_t to) {
  const SearchPatterns::Pattern& pattern = patterns_->patterns_[id];
  if (pattern.encoding != nullptr) {  // a keyword outside ASCII, matched in its own bytes
    const std::string encoding = pattern.encoding;
    const bool utf16 = encoding != "utf-8", big_endian = encoding == "utf-16be";
    if (utf16 && !Utf16Reading(big_endian, from, to)) return;  // the same bytes, read the other way round
    if (++hits_[id] > ContentSearch::kMaxHitsPerTerm) return;
    SearchHit hit;
    hit.term = pattern.term.text;
    hit.kind = pattern.term.kind;
    hit.encoding = encoding;
    hit.offset = from;
    hit.length = to - from;
    // The match is made of the keyword's characters: shown as UTF-8 text.
    hit.match = utf16 ? Convert(Window(from, to), big_endian ? "UTF-16BE" : "UTF-16LE", "UTF-8").value_or("")
                      : std::string(Window(from, to));
    const int64_t unit = utf16 ? 2 : 1;
    const int64_t around = static_cast<int64_t>(kContextChars) * unit;
    const std::string_view context = Window(from - around, to + around);
    if (!utf16) {
      hit.context = PrintableBytes(context);
    } else {
      const int64_t start = std::max(from - around, window_start_);
      hit.context = PrintableUtf16(context.substr(static_cast<size_t>((from - start) % 2)), big_endian);
    }
    if (hit_) hit_(hit);
    return;
  }
  const int64_t unit = view == 0 ? 1 : 2;
  std::string text = view == 0 ? std::string(Window(from, to)) : PrintableUtf16(Window(from, to));
  if (pattern.entity != SIZE_MAX) {
    const auto span = BuiltInEntities()[pattern.entity].validate(text);
    if (!span || span->length == 0) return;
    text = text.substr(span->start, span->length);
    from += static_cast<int64_t>(span->start) * unit;
    to = from + static_cast<int64_t>(span->length) * unit;
  }
  if (pattern.entity != SIZE_MAX && ++hits_[id] > ContentSearch::kMaxHitsPerTerm) return;
  SearchHit hit;
  hit.term = pattern.term.text;
  hit.kind = pattern.term.kind;
  hit.encoding = kEncodings[view];
  hit.offset = from;
  hit.length = to - from;
  hit.match = view == 0 ? PrintableBytes(text) : text;
  const int64_t around = static_cast<int64_t>(kContextChars) * unit;
  const std::string_view context = Window(from - around, to + around);
  if (view == 0) {
    hit.context = PrintableBytes(context);
  } else {
    // Keep the context aligned on the match's 16-bit units.
    const int64_t start = std::max(from - around, window_start_);
    const size_t skip = static_cast<size_t>((from - start) % 2);
    hit.context = PrintableUtf16(context.substr(skip));
  }
  if (hit_) hit_(hit);
}

void ContentSearch::EmitReady(bool at_end) {
  // A pending match is final once the stream has gone kMaxMatch past its start (it cannot grow further).
  size_t kept = 0;
  for (size_t slot : active_) {
    Pending& p = pending_[slot];
    if (!p.active) {  // settled meanwhile
      p.listed = false;
      continue;
    }
    if (at_end || end_ - p.from >= kMaxMatch) {
      const size_t n = patterns_->size();
      Settle(static_cast<int>(slot / n), static_cast<unsigned>(slot % n));
      p.listed = false;
    } else {
      active_[kept++] = slot;
    }
  }
  active_.resize(kept);
  // Final matches are reported once the context after them has been read.
  kept = 0;
  for (const Ready& r : ready_) {
    const int64_t after = static_cast<int64_t>(kContextChars) * (r.view == 0 ? 1 : 2);
    if (at_end || r.to + after <= end_) {
      Emit(r.view, r.id, r.from, r.to);
    } else {
      ready_[kept++] = r;
    }
  }
  ready_.resize(kept);
}

void ContentSearch::ScanViews(const char* data, size_t len) {
  // The two UTF-16LE views: view a holds the units that start at stream offsets a, a + 2, a + 4...; a unit
  // whose low byte ended the previous chunk is completed by this chunk's first byte.
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  const int64_t first = end_;
  for (int a = 0; a < 2; ++a) {
    std::string& out = narrow_[a];
    out.resize(len / 2 + 1);
    char* w = out.data();
    int64_t start = first - 1;  // the first unit not yet decoded starts at first - 1 or first
    if ((start & 1) != a) start = first;
    if (start == first - 1) {
      if (first >= 1) *w++ = Narrow(lo_[a], bytes[0]);
      start += 2;
    }
    size_t i = static_cast<size_t>(start - first);
    if (i < len) {
      const size_t units = NarrowBlocks(bytes + i, (len - i) / 2, w);
      w += units;
      i += 2 * units;
    }
    for (; i + 1 < len; i += 2) *w++ = Narrow(bytes[i], bytes[i + 1]);
    if (i < len) lo_[a] = bytes[i];  // completed by the next chunk
    out.resize(static_cast<size_t>(w - out.data()));
  }
  end_ = first + static_cast<int64_t>(len);
  hs_scan_stream(streams_[0], data, static_cast<unsigned>(len), 0, scratch_, OnMatch, &contexts_[0]);
  for (int a = 0; a < 2; ++a) {
    if (narrow_[a].empty()) continue;
    hs_scan_stream(streams_[1 + a], narrow_[a].data(), static_cast<unsigned>(narrow_[a].size()), 0, scratch_, OnMatch,
                   &contexts_[1 + a]);
  }
}

void ContentSearch::Feed(const char* data, size_t len) {
  // Large chunks go through in pieces, so the window and the decoded views stay a few MiB at most.
  constexpr size_t kPiece = 4 << 20;
  while (len > 0) {
    const size_t n = std::min(len, kPiece);
    window_.append(data, n);
    ScanViews(window_.data() + window_.size() - n, n);
    EmitReady(false);
    if (window_.size() > kKeepBytes) {
      const size_t drop = window_.size() - kKeepBytes;
      window_.erase(0, drop);
      window_start_ += static_cast<int64_t>(drop);
    }
    data += n;
    len -= n;
  }
}

void ContentSearch::Finish() {
  // End-of-data matches ("$"), then everything still pending; the streams start over for the next file.
  for (int v = 0; v < kViews; ++v) hs_reset_stream(streams_[v], 0, scratch_, OnMatch, &contexts_[v]);
  EmitReady(true);
  for (size_t id = 0; id < hits_.size(); ++id) {
    if (hits_[id] > kMaxHitsPerTerm)
      dropped_.emplace_back(patterns_->patterns_[id].term.text, hits_[id] - kMaxHitsPerTerm);
  }
}

}  // namespace custos
