// The triage run (see triage_job.h): evidence -> walk -> priority queue -> content workers -> writer.
#include "triage/pipeline/triage_job.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_set>

#include "parsers/parser.h"
#include "triage/base/format.h"
#include "triage/carve/signature_carver.h"
#include "triage/evidence/disk_image.h"
#include "triage/evidence/evidence_probe.h"
#include "triage/evidence/logical_source.h"
#include "triage/evidence/media_hash.h"
#include "triage/evidence/source_state.h"
#include "triage/hashset/hash_set_library.h"
#include "triage/picture/thumbnail.h"
#include "triage/pipeline/archive_members.h"
#include "triage/pipeline/content_analyzer.h"
#include "triage/pipeline/parser_process.h"
#include "triage/pipeline/priority.h"
#include "triage/pipeline/work_queue.h"
#include "triage/search/content_search.h"
#include "triage/store/store_writer.h"
#include "triage/walk/content_reader.h"
#include "triage/walk/image_walker.h"

namespace custos {
namespace {

using json = nlohmann::json;
using ChunkFn = std::function<void(const char*, size_t)>;
using ReadFn = std::function<Status(const FileRecord&, const ChunkFn&, int64_t*)>;

struct ExhibitPlan {
  EvidenceProbe probe;
  std::string reference;
  Status problem;  // evidence that exists but cannot be triaged (damaged, unknown format): recorded, not fatal
  std::vector<SourceState> sources_at_probe;  // to tell at the end whether the evidence changed meanwhile
};

// Within a class, lower disk offsets first: reads sweep the disk instead of seeking back and forth.
struct ReadsBefore {
  bool operator()(const FileRecord& a, const FileRecord& b) const {
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.disk_offset < b.disk_offset;
  }
};
using WorkQueue = BoundedPriorityQueue<FileRecord, ReadsBefore>;

// A worker takes a run of up to kRunFiles files of one class stored close together on the media.
constexpr size_t kRunFiles = 64;
bool StoredNearby(const FileRecord& previous, const FileRecord& next) {
  constexpr int64_t kGap = 1 << 20;
  if (previous.priority != next.priority || previous.disk_offset < 0 || next.disk_offset < 0) return false;
  const int64_t end = previous.disk_offset + previous.size;
  return next.disk_offset >= previous.disk_offset && next.disk_offset - end < kGap;
}
constexpr size_t kQueueCapacity = 50000;
// The walk's reads (MFT entries, directory indexes) are small and scattered over the metadata area.
constexpr size_t kWalkCacheBytes = 128 << 20;

bool IsDiskImage(EvidenceFormat f) { return f != EvidenceFormat::kFolder && f != EvidenceFormat::kArchive; }

std::string DefaultReference(const std::string& path) {
  std::string stem = std::filesystem::path(path).filename().string();
  const size_t dot = stem.find('.');
  if (dot != std::string::npos && dot > 0) stem = stem.substr(0, dot);
  return stem.empty() ? "exhibit" : stem;
}

Result<std::vector<ExhibitPlan>> PlanExhibits(const TriageOptions& options) {
  if (options.evidence.empty()) return Status::InvalidArgument("no evidence given: name an image, device or folder");
  std::vector<ExhibitPlan> plans;
  std::set<std::string> claimed;
  for (const auto& path : options.evidence) {
    std::error_code ec;
    const std::string canonical = std::filesystem::weakly_canonical(path, ec).string();
    if (claimed.count(canonical)) continue;  // a segment of an item already named
    auto probe = ProbeEvidence({path});
    if (!probe.ok()) {
      // Missing or unreadable evidence stops the run before anything is written; damaged or unknown
      // evidence becomes an error row on its exhibit and the other exhibits are still triaged.
      const Status::Code code = probe.status().code();
      if (code != Status::Code::kCorruption && code != Status::Code::kNotSupported) return probe.status();
      EvidenceProbe unreadable;
      unreadable.segments = {std::filesystem::absolute(path, ec).string()};
      unreadable.total_bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
      plans.push_back({unreadable, "", probe.status(), {}});
      claimed.insert(canonical);
      continue;
    }
    for (const auto& seg : probe->segments) claimed.insert(std::filesystem::weakly_canonical(seg, ec).string());
    plans.push_back({*probe, "", Status::Ok(), ReadSourceStates(probe->segments)});
  }
  if (!options.exhibit_refs.empty() && options.exhibit_refs.size() != plans.size()) {
    return Status::InvalidArgument("found " + std::to_string(plans.size()) + " evidence item(s) but " +
                                   std::to_string(options.exhibit_refs.size()) +
                                   " --exhibit reference(s): give one --exhibit per item, in the same order");
  }
  std::set<std::string> used;
  for (size_t i = 0; i < plans.size(); ++i) {
    std::string ref =
        options.exhibit_refs.empty() ? DefaultReference(plans[i].probe.segments.front()) : options.exhibit_refs[i];
    if (used.count(ref)) {
      if (!options.exhibit_refs.empty()) {
        return Status::InvalidArgument("exhibit reference '" + ref + "' is given twice: each item needs its own");
      }
      ref += "-" + std::to_string(i + 1);
    }
    used.insert(ref);
    plans[i].reference = ref;
  }
  return plans;
}

// Everything one exhibit's run shares between the walk, the workers and the verification thread.
class ExhibitRun : public WalkSink {
 public:
  ExhibitRun(const TriageOptions& options, StoreWriter& writer, ProgressReporter& progress, ExhibitPlan plan,
             int64_t exhibit_id, TriageOutcome& outcome, HashSetMatcher* matcher)
      : matcher_(matcher),
        options_(options),
        writer_(writer),
        progress_(progress),
        plan_(std::move(plan)),
        exhibit_id_(exhibit_id),
        outcome_(outcome),
        queue_(kQueueCapacity) {
    for (const auto& p : ParserRegistry::Global().parsers()) {
      for (const auto& k : p->kinds()) field_counts_[p->name() + "/" + k.kind] = k.fields.size();
      for (const auto& suffix : p->companion_suffixes()) companion_suffixes_.insert(suffix);
    }
  }

  bool cancelled() const { return (options_.cancel && options_.cancel->load()) || !writer_.error().ok(); }

  void Report(ErrorRecord e) {
    if (e.exhibit_id == 0) e.exhibit_id = exhibit_id_;
    if (e.when == 0) e.when = NowUtcMicros();
    progress_.Error(e);
    writer_.Add(e);
    std::lock_guard<std::mutex> lock(mu_);
    ++outcome_.errors;
  }

  // --- WalkSink -------------------------------------------------------------------------------------
  Result<int64_t> OnVolume(const VolumeRecord& volume) override {
    int64_t id = 0;
    Status s = writer_.Call([&](CaseStore& store) {
      auto r = store.UpsertVolume(volume);
      if (!r.ok()) return r.status();
      id = *r;
      return Status::Ok();
    });
    if (!s.ok()) return s;
    std::lock_guard<std::mutex> lock(mu_);
    volume_offsets_[id] = volume.offset_bytes;
    return id;
  }

  bool WantsUnallocated() const override { return options_.unallocated; }

  Result<int64_t> OnFileSystem(const FileSystemRecord& fs, const FsLocator& where) override {
    int64_t id = 0;
    std::unordered_set<std::string> done;
    Status s = writer_.Call([&](CaseStore& store) {
      auto r = store.UpsertFileSystem(fs);
      if (!r.ok()) return r.status();
      id = *r;
      auto keys = store.ContentDoneKeys(id);
      if (!keys.ok()) return keys.status();
      done = std::move(*keys);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    std::lock_guard<std::mutex> lock(mu_);
    locators_[id] = where;
    fs_volumes_[id] = fs.volume_id;
    done_keys_ = std::move(done);
    return id;
  }

  bool OnFile(FileRecord file) override {
    if (cancelled()) return false;
    file.priority = file.unallocated_space ? kPrioritySystem : PriorityOf(file);
    if (file.kind == "file" && IsCompanion(file.name)) {
      std::lock_guard<std::mutex> lock(mu_);
      companions_[std::to_string(file.filesystem_id) + ":" + file.path] = file;
    }
    ++progress_.counters().entries_walked;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++outcome_.entries;
    }
    const bool todo = file.wants_content && !done_keys_.count(file.file_key);
    if (!todo) {
      writer_.Add(std::move(file));
      return !cancelled();
    }
    FileRecord stored = file;
    stored.layout = {};  // the store keeps no layout: don't carry resident bytes and extents through its queue
    writer_.Add(std::move(stored));
    ++progress_.counters().files_queued;
    progress_.counters().bytes_queued += file.size;
    if (inline_read_) {
      inline_read_(file);
      return !cancelled();
    }
    return queue_.Push(std::move(file)) && !cancelled();
  }

  void OnError(ErrorRecord error) override { Report(std::move(error)); }

  void OnFileSystemWalked(int64_t filesystem_id, int64_t) override {
    writer_.Call([&](CaseStore& store) { return store.SetFileSystemWalkComplete(filesystem_id); });
    {
      std::lock_guard<std::mutex> lock(mu_);
      walked_.insert(filesystem_id);
    }
    walked_cv_.notify_all();
  }

  // The walk of the whole exhibit is over (complete or not): nothing more will be listed.
  void OnWalkOver() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      walk_over_ = true;
    }
    walked_cv_.notify_all();
  }

  // --- content --------------------------------------------------------------------------------------
  std::optional<FsLocator> Locate(int64_t fs_id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = locators_.find(fs_id);
    if (it == locators_.end()) return std::nullopt;
    return it->second;
  }

  // One file's content: read, hash, type, hand to parsers, expand if it is an archive, record.
  // `in_walk`: called from the walk itself (archives read as they stream), which must not wait for the walk.
  // `depth`: how many archives this file is inside.
  // `level`: 0 for the files of the evidence and their archive members, 1 for objects carved out of them
  // (which are not carved again); each level has its own analyzer and search, as a carved object is
  // processed while its parent is still being read.
  void ProcessFile(const FileRecord& file, const ReadFn& read, ContentAnalyzer& analyzer, bool in_walk = false,
                   int depth = 0, int level = 0) {
    analyzer.Begin();
    // A carved object's bytes were searched as part of its parent; its archive members are searched.
    ContentSearch* search = file.kind == "carved" ? nullptr : SearchForThisThread(level);
    if (search) search->Begin([&](const SearchHit& hit) { writer_.Add(HitRecord(file, hit)); });
    const bool unallocated = file.unallocated_space;
    std::unique_ptr<SignatureCarver> carver;
    if (options_.carve && level == 0 && !IsFileSystemMetadata(file)) {
      carver = std::make_unique<SignatureCarver>([&](CarvedObject o) { ProcessCarved(file, std::move(o), depth); },
                                                 /*skip_at_zero=*/!unallocated);
    }
    std::vector<const Parser*> parsers;
    bool decided = false;
    int64_t parse_limit = 0;
    std::string whole;
    std::unique_ptr<ScratchFile> copy;  // an archive's bytes, for libarchive to read again
    bool picture = false;               // a picture DecodePicture reads: it gets a thumbnail
    std::string picture_bytes;          // its bytes, unless the parsers' copy (`whole`) already holds them
    const ChunkFn chunk = [&](const char* data, size_t len) {
      if (search) search->Feed(data, len);
      if (carver) carver->Feed(data, len);
      if (unallocated) {  // searched (and carved), but not hashed, typed, parsed or expanded
        progress_.counters().bytes_done += len;
        return;
      }
      if (!decided) {
        decided = true;
        const std::string_view head(data, std::min<size_t>(len, 4096));
        parsers = ParserRegistry::Global().Matching(file, head);
        for (const Parser* p : parsers) parse_limit = std::max(parse_limit, p->max_bytes());
        if (LooksLikeArchive(head)) copy = ArchiveCopy(file, depth);
        picture = !PictureFormat(head).empty();
        // Room for what will be kept, at once: growing by doubling copied each byte twice more and faulted
        // in fresh pages at every step (about a CPU-second on the benchmark image). Capped, as file.size
        // is what the metadata claims, not what the image holds.
        constexpr int64_t kReserveCap = 64LL << 20;
        const auto room = [](std::initializer_list<int64_t> limits) {
          return static_cast<size_t>(std::max<int64_t>(0, std::min(limits)));
        };
        if (!parsers.empty()) whole.reserve(room({parse_limit, file.size, kReserveCap}));
        if (picture && (parsers.empty() || parse_limit < file.size)) {
          picture_bytes.reserve(room({file.size, kMaxPictureBytes, kReserveCap}));
        }
      }
      if (picture && (parsers.empty() || parse_limit < file.size) &&
          static_cast<int64_t>(picture_bytes.size() + len) <= kMaxPictureBytes) {
        picture_bytes.append(data, len);
      }
      if (copy) {
        if (const Status st = copy->Append(data, len); !st.ok()) {
          Report(ArchiveProblem(file, st.message(), "free space in the case folder and run again"));
          copy.reset();
        }
      }
      analyzer.Update(data, len);
      if (!parsers.empty() && static_cast<int64_t>(whole.size()) < parse_limit) {
        whole.append(data, std::min<size_t>(len, static_cast<size_t>(parse_limit - whole.size())));
      }
      progress_.counters().bytes_done += len;
    };
    int64_t got = 0;
    Status read_status;
    try {
      read_status = read(file, chunk, &got);
    } catch (const std::exception& e) {
      read_status = Status::Internal(std::string("unexpected failure while reading: ") + e.what());
    }
    if (search) search->Finish();  // before any archive member reuses it
    if (carver) carver->Finish();
    // The slack is read with the unallocated space (--unallocated, on with --keywords/--regex).
    if (search && options_.unallocated && read_status.ok() && file.layout.slack.second > 0) {
      SearchSlack(file, read, *search);
    }
    // Hash-set lookups happen as soon as the digests exist: a file only known-good sets hold is not typed.
    std::optional<Result<std::vector<HashSetHit>>> hits;
    ContentResult result = analyzer.Finish(file, [&](const ContentResult& r) {
      if (!matcher_ || !read_status.ok() || unallocated) return false;
      hits = matcher_->Match(r.md5, r.sha1, r.sha256);
      if (!hits->ok() || (*hits)->empty()) return false;
      return options_.skip_known_good_typing && std::all_of((*hits)->begin(), (*hits)->end(), [](const HashSetHit& h) {
               return h.set_kind == "known_good";
             });
    });
    result.bytes_read = got;
    if (unallocated) {  // no hashes or type for a collection of free blocks
      result = ContentResult();
      result.filesystem_id = file.filesystem_id;
      result.file_key = file.file_key;
      result.bytes_read = got;
    }
    if (read_status.ok()) {
      result.content_state = file.allocated || unallocated ? "complete" : "recovered";
    } else {
      // Hashes of part of a file would be mistaken for the file's: keep none.
      result.md5.clear();
      result.sha1.clear();
      result.sha256.clear();
      result.content_state = got > 0 ? "partial" : (file.allocated ? "error" : "unrecoverable");
      // A carved object cut short (its end overwritten or past the limit) says so in its state alone.
      if ((file.allocated || got > 0) && file.kind != "carved") {
        ErrorRecord e;
        e.filesystem_id = file.filesystem_id;
        e.stage = "read";
        e.source = file.path;
        e.location = file.container_key.empty() ? "inode " + std::to_string(file.meta_addr) : "archive member";
        e.message = read_status.message();
        e.advice = file.allocated ? "the sectors holding this file are unreadable or the image is truncated; the "
                                    "bytes read so far are kept"
                                  : "the deleted file's clusters are partly overwritten or out of the image";
        Report(std::move(e));
      }
    }
    // Artefacts before the content result: the writer commits in queue order, so a file whose content
    // state is recorded has its artefacts recorded too, and a resumed run that skips it loses nothing.
    if (read_status.ok() && !parsers.empty()) {
      RunParsers(file, parsers, whole, ReadCompanions(file, parsers, read, in_walk));
    }
    // Members before the archive's own content result, for the same reason.
    if (read_status.ok() && copy) {
      if (const Status st = copy->Close(); st.ok()) {
        ExpandArchive(
            file, copy->path(), archive_limits_,
            [&](FileRecord member, ByteStream* content) {
              ProcessMember(std::move(member), content, analyzer, depth, level);
            },
            [this](ErrorRecord e) { Report(std::move(e)); });
      } else {
        Report(ArchiveProblem(file, st.message(), "free space in the case folder and run again"));
      }
    }
    copy.reset();
    // Hits before the content result, like artefacts: a file whose content is recorded has its hits.
    if (read_status.ok() && hits) RecordHashHits(file, std::move(*hits));
    if (read_status.ok() && picture) {
      const bool in_whole = !parsers.empty() && static_cast<int64_t>(whole.size()) == got;
      AddThumbnail(file, got, in_whole ? whole : picture_bytes);
    }
    writer_.Add(result);
    ++progress_.counters().files_done;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++outcome_.files_read;
    }
  }

  // A file's slack (the bytes after its end, to the end of its last cluster), searched as a stream of its own
  // so that no hit runs from the file into it. Only slack that holds a hit gets a row: "<path>/$Slack", kind
  // "slack", its disk_offset where the slack starts on the media; its hits' offsets are from that start.
  void SearchSlack(const FileRecord& file, const ReadFn& read, ContentSearch& search) {
    FileRecord slack;
    slack.filesystem_id = file.filesystem_id;
    slack.container_key = file.file_key;
    slack.file_key = file.file_key + "!slack";
    slack.name = "$Slack";
    slack.path = file.path + "/$Slack";
    slack.kind = "slack";
    slack.meta_addr = file.meta_addr;
    slack.meta_seq = file.meta_seq;
    slack.attr_type = file.attr_type;
    slack.attr_id = file.attr_id;
    slack.allocated = file.allocated;
    slack.deleted = file.deleted;
    slack.orphan = file.orphan;
    slack.size = file.layout.slack.second;
    // Inside an unlocked volume the slack's offset is in the decrypted bytes, not on the media.
    const auto where = Locate(file.filesystem_id);
    slack.disk_offset = where && where->in_unlocked ? -1 : file.layout.slack.first;
    slack.priority = file.priority;
    slack.layout.known = true;
    slack.layout.extents = {file.layout.slack};
    bool listed = false;
    search.Begin([&](const SearchHit& hit) {
      if (!listed) {
        listed = true;
        FileRecord row = slack;
        row.layout = {};
        writer_.Add(std::move(row));
        ++progress_.counters().entries_walked;
      }
      writer_.Add(HitRecord(slack, hit));
    });
    int64_t got = 0;
    const Status st = read(
        slack, [&](const char* data, size_t len) { search.Feed(data, len); }, &got);
    search.Finish();
    if (!listed) return;
    ContentResult r;  // searched, not hashed: slack is not a file
    r.filesystem_id = slack.filesystem_id;
    r.file_key = slack.file_key;
    r.bytes_read = got;
    r.content_state = st.ok() ? "complete" : "partial";
    writer_.Add(std::move(r));
  }

  // NTFS's own metadata files: the MFT's records carry update-sequence fixups every 512 bytes, so anything
  // carved out of them comes back damaged; small files' data in them is read as those files anyway.
  static bool IsFileSystemMetadata(const FileRecord& file) {
    static const char* const kNames[] = {"/$MFT",    "/$MFTMirr", "/$LogFile", "/$Bitmap",  "/$Boot",   "/$Secure",
                                         "/$UpCase", "/$AttrDef", "/$Volume",  "/$BadClus", "/$Extend/"};
    for (const char* name : kNames) {
      if (file.path.rfind(name, 0) == 0) return true;
    }
    return false;
  }

  // This thread's search (Hyperscan scratch and streams), made on first use; null when nothing is searched.
  ContentSearch* SearchForThisThread(int level) {
    if (!options_.search) return nullptr;
    static thread_local std::unique_ptr<ContentSearch> searches[2];
    std::unique_ptr<ContentSearch>& search = searches[std::min(level, 1)];
    if (!search || search->patterns() != options_.search) {
      auto made = ContentSearch::Create(options_.search);
      if (!made.ok()) {
        ErrorRecord e;
        e.stage = "search";
        e.source = "content worker";
        e.message = made.status().message();
        e.advice = "free memory and run the same command again";
        Report(std::move(e));
        return nullptr;
      }
      search = std::move(*made);
    }
    return search.get();
  }

  // A hit as the store keeps it: in the file, or for unallocated space by volume and offset.
  KeywordHitRecord HitRecord(const FileRecord& file, const SearchHit& hit) {
    KeywordHitRecord r;
    r.filesystem_id = file.filesystem_id;
    r.term = hit.term;
    r.term_kind = TermKindName(hit.kind);
    r.encoding = hit.encoding;
    r.match = hit.match;
    r.context = hit.context;
    r.offset = hit.offset;
    if (!file.unallocated_space) {
      r.file_key = file.file_key;
      return r;
    }
    std::tie(r.volume_id, r.offset) = VolumeOffset(file, hit.offset);
    return r;
  }

  // For the unallocated space of a file system: its volume, and where a byte of the stream lies from the
  // volume's start (the stream is the free runs one after the other).
  std::pair<int64_t, int64_t> VolumeOffset(const FileRecord& unallocated, int64_t offset) {
    int64_t stream = 0, media = -1;
    for (const auto& [start, length] : unallocated.layout.extents) {
      if (offset < stream + length) {
        media = start + (offset - stream);
        break;
      }
      stream += length;
    }
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t volume = fs_volumes_[unallocated.filesystem_id];
    // Inside an unlocked volume the runs are offsets in its decrypted bytes: already from the volume's start.
    const auto where = locators_.find(unallocated.filesystem_id);
    if (where != locators_.end() && where->second.in_unlocked) return {volume, media};
    return {volume, media - volume_offsets_[volume]};
  }

  // A picture read whole: its thumbnail (or why there is none) for the gallery.
  void AddThumbnail(const FileRecord& file, int64_t size, const std::string& bytes) {
    ThumbnailRecord t;
    t.filesystem_id = file.filesystem_id;
    t.file_key = file.file_key;
    if (size > kMaxPictureBytes || static_cast<int64_t>(bytes.size()) != size) {
      t.error = "not made: the picture is larger than " + std::to_string(kMaxPictureBytes >> 20) + " MiB";
    } else {
      try {
        Thumbnail made = MakeThumbnail(bytes);
        t.width = made.width;
        t.height = made.height;
        t.jpeg = std::move(made.jpeg);
        t.error = std::move(made.error);
      } catch (const std::exception& e) {  // std::bad_alloc from a decoder: recorded, the run goes on
        t.error = std::string("thumbnail failed: ") + e.what();
      }
    }
    writer_.Add(std::move(t));
  }

  // Every hashed file (archive members too) is looked up in the run's hash sets (in ProcessFile, as soon as
  // its digests exist); the hits, or the failed lookup, are recorded here.
  void RecordHashHits(const FileRecord& file, Result<std::vector<HashSetHit>> hits) {
    if (!hits.ok()) {
      ErrorRecord e;
      e.filesystem_id = file.filesystem_id;
      e.stage = "hashset";
      e.source = file.path;
      e.message = "hash-set lookup failed: " + hits.status().message();
      e.advice = "check the hash-set library (`custos hashset list`), then run `custos hashset match` on this case";
      Report(std::move(e));
      return;
    }
    for (auto& h : *hits) {
      writer_.Add(HashHitRecord{file.filesystem_id, file.file_key, std::move(h.set_name), std::move(h.set_kind),
                                std::move(h.category), std::move(h.algorithm), std::move(h.hash)});
    }
  }

  // A scratch copy for an archive about to be read, or null when it is nested too deep or none can be made.
  std::unique_ptr<ScratchFile> ArchiveCopy(const FileRecord& file, int depth) {
    if (depth >= archive_limits_.max_depth) {
      Report(ArchiveProblem(file, "an archive nested " + std::to_string(depth) + " archives deep: not expanded further",
                            "examine it by hand; deep nesting is a way to hide files from tools"));
      return nullptr;
    }
    auto made = ScratchFile::Create(scratch_dir_);
    if (!made.ok()) {
      Report(ArchiveProblem(file, made.status().message(), "check the case folder is writable and has space"));
      return nullptr;
    }
    return std::move(*made);
  }

  static ErrorRecord ArchiveProblem(const FileRecord& file, const std::string& message, const std::string& advice) {
    ErrorRecord e;
    e.filesystem_id = file.filesystem_id;
    e.stage = "archive";
    e.source = file.path;
    e.message = message;
    e.advice = advice;
    return e;
  }

  // An archive member: its row, then its content through ProcessFile (which expands it in turn).
  void ProcessMember(FileRecord member, ByteStream* content, ContentAnalyzer& analyzer, int depth, int level) {
    member.priority = PriorityOf(member);
    ++progress_.counters().entries_walked;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++outcome_.entries;
    }
    writer_.Add(FileRecord(member));
    if (content == nullptr) {  // encrypted: the name and size are all there is
      ContentResult r;
      r.filesystem_id = member.filesystem_id;
      r.file_key = member.file_key;
      r.content_state = "encrypted";
      writer_.Add(std::move(r));
      return;
    }
    ++progress_.counters().files_queued;
    progress_.counters().bytes_queued += member.size;
    std::vector<char> buffer(1 << 20);
    const ReadFn read = [&](const FileRecord&, const ChunkFn& chunk, int64_t* got) -> Status {
      while (true) {
        auto n = content->Read(buffer.data(), buffer.size());
        if (!n.ok()) return n.status();
        if (*n == 0) return Status::Ok();
        chunk(buffer.data(), *n);
        *got += static_cast<int64_t>(*n);
      }
    };
    ProcessFile(member, read, analyzer, /*in_walk=*/true, depth + 1, level);
  }

  // An object carved out of a file or out of unallocated space: a child row of the file (or of the file
  // system's "/$Unallocated"), named by where it starts, then hashed, typed, parsed and expanded like any file.
  void ProcessCarved(const FileRecord& parent, CarvedObject object, int depth) {
    ContentAnalyzer* analyzer = CarvedAnalyzerForThisThread();
    if (analyzer == nullptr) return;
    FileRecord c;
    c.filesystem_id = parent.filesystem_id;
    c.container_key = parent.file_key;
    const int64_t at = parent.unallocated_space ? VolumeOffset(parent, object.offset).second : object.offset;
    c.name = "carved-" + std::to_string(at) + "." + object.extension;
    c.path = parent.path + "/" + c.name;
    c.extension = object.extension;
    c.file_key = parent.file_key + "!carved@" + std::to_string(object.offset);
    c.kind = "carved";
    c.allocated = parent.allocated && !parent.unallocated_space;
    c.deleted = parent.deleted || parent.unallocated_space;
    c.orphan = parent.orphan;
    c.size = static_cast<int64_t>(object.bytes.size());
    c.wants_content = true;
    c.priority = PriorityOf(c);
    ++progress_.counters().entries_walked;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++outcome_.entries;
    }
    writer_.Add(FileRecord(c));
    ++progress_.counters().files_queued;
    progress_.counters().bytes_queued += c.size;
    const ReadFn read = [&](const FileRecord&, const ChunkFn& chunk, int64_t* got) -> Status {
      chunk(object.bytes.data(), object.bytes.size());
      *got = static_cast<int64_t>(object.bytes.size());
      if (object.complete) return Status::Ok();
      return Status::Corruption("the " + object.type + "'s end was not found (overwritten, fragmented or over the " +
                                "size limit): carved as far as it went");
    };
    ProcessFile(c, read, *analyzer, /*in_walk=*/true, depth + 1, /*level=*/1);
  }

  ContentAnalyzer* CarvedAnalyzerForThisThread() {
    static thread_local std::unique_ptr<ContentAnalyzer> analyzer;
    if (!analyzer) {
      auto made = ContentAnalyzer::Create(options_.sha256);
      if (!made.ok()) return nullptr;
      analyzer = std::move(*made);
    }
    return analyzer.get();
  }

  bool IsCompanion(const std::string& name) const {
    for (const auto& suffix : companion_suffixes_) {
      if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return true;
      }
    }
    return false;
  }

  // The companion files (a database's "-wal", "-journal") the file's parsers ask for, read whole. They are
  // listed after the file itself, so a worker waits until its file system is walked (at most a minute:
  // a walk blocked on a full queue must not wait on the workers that would drain it).
  std::map<std::string, std::string> ReadCompanions(const FileRecord& file, const std::vector<const Parser*>& parsers,
                                                    const ReadFn& read, bool in_walk) {
    std::set<std::string> wanted;
    for (const Parser* p : parsers) {
      for (const auto& suffix : p->companion_suffixes()) wanted.insert(suffix);
    }
    std::map<std::string, std::string> out;
    if (wanted.empty()) return out;
    std::vector<std::pair<std::string, FileRecord>> found;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!in_walk) {
        walked_cv_.wait_for(lock, std::chrono::seconds(60),
                            [&] { return walk_over_ || walked_.count(file.filesystem_id) > 0 || cancelled(); });
      }
      for (const auto& suffix : wanted) {
        auto it = companions_.find(std::to_string(file.filesystem_id) + ":" + file.path + suffix);
        if (it != companions_.end()) found.emplace_back(suffix, it->second);
      }
    }
    for (const auto& [suffix, companion] : found) {
      std::string bytes;
      int64_t got = 0;
      const Status st = read(
          companion, [&](const char* data, size_t len) { bytes.append(data, len); }, &got);
      if (st.ok()) {
        out[suffix] = std::move(bytes);
      } else {
        Report(ParseError(file, "pipeline",
                          "its companion " + companion.path + " could not be read (" + st.message() +
                              "): recent changes it held are missing"));
      }
    }
    return out;
  }

  void RunParsers(const FileRecord& file, const std::vector<const Parser*>& parsers, const std::string& bytes,
                  const std::map<std::string, std::string>& companions) {
    // Each content thread has its own parser process, started on first use and again after a crash.
    static thread_local ParserProcess process;
    for (const Parser* parser : parsers) {
      const std::string name = parser->name();
      ParseOutput out;
      Status st;
      auto reply = process.Parse(name, file, bytes, companions, ParserProcess::TimeLimitFor(bytes.size()));
      if (reply.ok()) {
        out = std::move(reply->output);
        st = reply->status;
      } else {
        st = reply.status();
      }
      for (auto& row : out.rows) {
        auto it = field_counts_.find(name + "/" + row.kind);
        if (it == field_counts_.end() || it->second != row.values.size()) {
          out.problems.push_back("row of undeclared kind or wrong field count: " + row.kind);
          continue;
        }
        row.filesystem_id = file.filesystem_id;
        row.file_key = file.file_key;
        row.parser = name;
        row.parser_version = parser->version();
        writer_.Add(std::move(row));
      }
      if (static_cast<int64_t>(bytes.size()) < file.size) {
        out.problems.push_back("only the first " + std::to_string(bytes.size()) + " bytes were parsed (size limit)");
      }
      for (const auto& problem : out.problems) Report(ParseError(file, name, problem));
      if (!st.ok()) Report(ParseError(file, name, st.ToString()));
    }
  }

  static ErrorRecord ParseError(const FileRecord& file, const std::string& parser, const std::string& message) {
    ErrorRecord e;
    e.filesystem_id = file.filesystem_id;
    e.stage = "parse";
    e.source = file.path;
    e.location = "parser " + parser;
    e.message = message;
    e.advice = "the rows that could be read are kept; examine the file by hand if it matters";
    return e;
  }

  // Workers: each makes its own reader (its own image handle) with make_reader.
  void StartWorkers(int n, const std::function<ReadFn()>& make_reader) {
    for (int i = 0; i < n; ++i) {
      workers_.emplace_back([this, make_reader] {
        auto analyzer = ContentAnalyzer::Create(options_.sha256);
        if (!analyzer.ok()) {
          ErrorRecord e;
          e.stage = "read";
          e.source = "content worker";
          e.message = analyzer.status().message();
          e.advice = "reinstall with scripts/install-deps.sh";
          Report(std::move(e));
          queue_.Close();
          return;
        }
        ReadFn read = make_reader();
        while (true) {
          auto run = queue_.PopRun(kRunFiles, StoredNearby);
          if (run.empty() || cancelled()) break;
          for (const auto& file : run) {
            if (cancelled()) break;
            ProcessFile(file, read, **analyzer);
          }
        }
      });
    }
  }

  void FinishWorkers(bool drain) {
    if (drain)
      queue_.Finish();
    else
      queue_.Close();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  void StopQueue() { queue_.Close(); }

  std::function<void(const FileRecord&)> inline_read_;  // archives: content is read during the walk

 private:
  HashSetMatcher* matcher_;  // null: no hash sets to match
  const TriageOptions& options_;
  StoreWriter& writer_;
  ProgressReporter& progress_;
  ExhibitPlan plan_;
  int64_t exhibit_id_;
  TriageOutcome& outcome_;
  WorkQueue queue_;
  std::vector<std::thread> workers_;
  std::map<std::string, size_t> field_counts_;
  std::mutex mu_;
  std::map<int64_t, FsLocator> locators_;         // GUARDED_BY(mu_)
  std::map<int64_t, int64_t> volume_offsets_;     // GUARDED_BY(mu_) volume id -> offset on the media
  std::map<int64_t, int64_t> fs_volumes_;         // GUARDED_BY(mu_) file system id -> volume id
  std::unordered_set<std::string> done_keys_;     // for the file system being walked (walk thread only)
  std::set<std::string> companion_suffixes_;      // every suffix some parser asks for ("-wal")
  std::map<std::string, FileRecord> companions_;  // GUARDED_BY(mu_) "fs_id:path" -> files ending with one
  std::set<int64_t> walked_;                      // GUARDED_BY(mu_) file systems listed completely
  bool walk_over_ = false;                        // GUARDED_BY(mu_)
  std::condition_variable walked_cv_;
  const std::string scratch_dir_ = ScratchDirFor(options_.case_path);
  const ArchiveLimits archive_limits_;
};

int WorkerCount(const TriageOptions& options) {
  if (options.threads > 0) return options.threads;
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 2 : static_cast<int>(n);
}

std::string Actor(const TriageOptions& options) {
  if (!options.case_info.officer.empty()) return options.case_info.officer;
  const char* user = std::getenv("USER");
  return user ? user : "unknown";
}

// Whole-media hash beside the walk; its verdict lands in the exhibit row.
void VerifyMedia(const TriageOptions& options, StoreWriter& writer, ExhibitRun& run, ProgressReporter& progress,
                 const ExhibitPlan& plan, const AcquisitionInfo& stored, int64_t exhibit_id, std::string* verdict) {
  auto hashes = HashMedia(
      plan.probe,
      [&](int64_t done, int64_t total) {
        progress.counters().verify_done = done;
        progress.counters().verify_total = total;
      },
      options.cancel);
  if (options.cancel && options.cancel->load()) return;  // left "pending": the next run verifies
  if (!hashes.ok()) {
    ErrorRecord e;
    e.stage = "verify";
    e.source = plan.probe.segments.front();
    e.message = "the media could not be hashed: " + hashes.status().message();
    e.advice = "check the evidence files are complete and readable (`ewfverify` for E01)";
    run.Report(std::move(e));
    *verdict = "failed";
  } else {
    for (const auto& re : hashes->read_errors) {
      ErrorRecord e;
      e.stage = "verify";
      e.source = plan.probe.segments.front();
      e.location = re;
      e.message = "unreadable or corrupt data while verifying the image";
      e.advice = "the image is damaged here; ask for a fresh copy from the original acquisition";
      run.Report(std::move(e));
    }
    *verdict = VerificationVerdict(stored, *hashes);
  }
  const std::string md5 = hashes.ok() ? hashes->md5 : "", sha1 = hashes.ok() ? hashes->sha1 : "";
  json detail = {{"exhibit_id", exhibit_id}, {"verification", *verdict},        {"computed_md5", md5},
                 {"computed_sha1", sha1},    {"stored_md5", stored.stored_md5}, {"stored_sha1", stored.stored_sha1}};
  writer.Call([&](CaseStore& store) {
    CUSTOS_RETURN_IF_ERROR(store.UpdateExhibitHashes(exhibit_id, md5, sha1, *verdict));
    return store.AppendAudit(Actor(options), "exhibit.verify", detail.dump());
  });
}

// A folder or archive as evidence: one "logical" file system; folders are read by the workers, archives
// inline during the walk (their content only streams in archive order).
Status WalkLogical(const TriageOptions& options, ExhibitRun& run, LogicalSource& src, const EvidenceProbe& probe,
                   int64_t exhibit_id, int workers) {
  VolumeRecord v;
  v.exhibit_id = exhibit_id;
  v.kind = "whole-image";
  v.scheme = "none";
  v.length_bytes = probe.total_bytes;
  v.description =
      probe.format == EvidenceFormat::kFolder ? "logical collection (folder)" : "logical collection (archive)";
  auto vol = run.OnVolume(v);
  if (!vol.ok()) return vol.status();
  FileSystemRecord fsr;
  fsr.volume_id = *vol;
  fsr.type = "logical";
  fsr.note = v.description;
  auto fs_id = run.OnFileSystem(fsr, FsLocator{});
  if (!fs_id.ok()) return fs_id.status();

  const auto drain = [](ByteStream& stream, const ChunkFn& c, int64_t* n) -> Status {
    std::vector<char> buf(1 << 20);
    while (true) {
      auto got = stream.Read(buf.data(), buf.size());
      if (!got.ok()) return got.status();
      if (*got == 0) return Status::Ok();
      c(buf.data(), *got);
      *n += static_cast<int64_t>(*got);
    }
  };
  std::unique_ptr<ContentAnalyzer> inline_analyzer;
  ByteStream* current = nullptr;
  if (src.random_access()) {
    LogicalSource* folder = &src;
    run.StartWorkers(workers, [folder, drain] {
      return ReadFn([folder, drain](const FileRecord& f, const ChunkFn& c, int64_t* n) -> Status {
        *n = 0;
        auto stream = folder->OpenFile(f.path);
        if (!stream.ok()) return stream.status();
        return drain(**stream, c, n);
      });
    });
  } else {
    auto a = ContentAnalyzer::Create(options.sha256);
    if (!a.ok()) return a.status();
    inline_analyzer = std::move(*a);
    const ReadFn from_stream = [&current, drain](const FileRecord&, const ChunkFn& c, int64_t* n) -> Status {
      *n = 0;
      if (!current) return Status::NotFound("no content in the archive for this entry");
      return drain(*current, c, n);
    };
    run.inline_read_ = [&run, from_stream, &inline_analyzer](const FileRecord& f) {
      run.ProcessFile(f, from_stream, *inline_analyzer, /*in_walk=*/true);
    };
  }
  FileRecord root;
  root.filesystem_id = *fs_id;
  root.path = "/";
  root.kind = "dir";
  root.file_key = "/";
  run.OnFile(root);
  Status st = src.ForEach(
      [&](const FileRecord& entry, ByteStream* content) -> Status {
        FileRecord f = entry;
        f.filesystem_id = *fs_id;
        if (f.file_key.empty()) f.file_key = f.path;
        f.wants_content = f.kind == "file" && f.size > 0;
        current = content;
        const bool go_on = run.OnFile(std::move(f));
        current = nullptr;
        return go_on ? Status::Ok() : Status::Busy("stopped");
      },
      [&](const ErrorRecord& e) { run.Report(e); });
  run.inline_read_ = nullptr;
  if (st.ok()) run.OnFileSystemWalked(*fs_id, 0);
  return st;
}

// Evidence that exists but cannot be opened: the exhibit is recorded with the reason, so the case file
// says what was not examined and why.
Status RecordUnreadable(const TriageOptions& options, StoreWriter& writer, ProgressReporter& progress,
                        const ExhibitPlan& plan, ExhibitRecord rec, TriageOutcome& outcome) {
  rec.verification = "failed";
  ErrorRecord e;
  e.stage = "open";
  e.source = rec.sources.front();
  e.message = plan.problem.message();
  e.advice = plan.problem.code() == Status::Code::kNotSupported
                 ? "convert the image to raw or E01 (e.g. `qemu-img convert -O raw`), or check it is a disk image"
                 : "the evidence is incomplete or damaged: supply every segment/part, or a fresh copy of the "
                   "acquisition";
  e.when = NowUtcMicros();
  Status s = writer.Call([&](CaseStore& store) {
    auto id = store.UpsertExhibit(rec);
    if (!id.ok()) return id.status();
    e.exhibit_id = *id;
    CUSTOS_RETURN_IF_ERROR(store.SetExhibitState(*id, "unreadable"));
    CUSTOS_RETURN_IF_ERROR(store.InsertErrors({e}));
    json detail = {{"exhibit", rec.reference}, {"sources", rec.sources}, {"problem", plan.problem.ToString()}};
    return store.AppendAudit(Actor(options), "exhibit.unreadable", detail.dump());
  });
  progress.Error(e);
  ++outcome.exhibits;
  ++outcome.errors;
  outcome.verification.push_back(rec.reference + ": not examined (" + plan.problem.message() + ")");
  return s;
}

Status TriageExhibit(const TriageOptions& options, StoreWriter& writer, ProgressReporter& progress,
                     const ExhibitPlan& plan, TriageOutcome& outcome, HashSetMatcher* matcher) {
  const EvidenceProbe& probe = plan.probe;
  ExhibitRecord rec;
  rec.reference = plan.reference;
  rec.sources = probe.segments;
  rec.format = plan.problem.ok() ? EvidenceFormatName(probe.format) : "unreadable";
  rec.size_bytes = probe.total_bytes;
  if (!plan.problem.ok()) return RecordUnreadable(options, writer, progress, plan, rec, outcome);
  AcquisitionInfo acquisition;
  if (IsDiskImage(probe.format)) {
    auto info = ReadAcquisitionInfo(probe);
    if (!info.ok()) {  // e.g. a VMDK descriptor whose extent file is missing: recorded, the others go on
      ExhibitPlan unreadable = plan;
      unreadable.problem = info.status();
      rec.format = "unreadable";
      return RecordUnreadable(options, writer, progress, unreadable, rec, outcome);
    }
    acquisition = *info;
    rec.acquisition = acquisition.values;
    rec.stored_md5 = acquisition.stored_md5;
    rec.stored_sha1 = acquisition.stored_sha1;
    if (acquisition.media_size > 0) rec.size_bytes = acquisition.media_size;
    rec.sector_size = acquisition.bytes_per_sector;
  }
  int64_t exhibit_id = 0;
  std::string prior_verification, prior_state;
  CUSTOS_RETURN_IF_ERROR(writer.Call([&](CaseStore& store) {
    auto id = store.UpsertExhibit(rec);
    if (!id.ok()) return id.status();
    exhibit_id = *id;
    auto rows = store.Exhibits();
    if (!rows.ok()) return rows.status();
    for (const auto& row : *rows) {
      if (row.id == exhibit_id) {
        prior_verification = row.record.verification;
        prior_state = row.state;
      }
    }
    CUSTOS_RETURN_IF_ERROR(store.SetExhibitState(exhibit_id, "walking"));
    json detail = {{"exhibit", rec.reference},
                   {"sources", rec.sources},
                   {"format", rec.format},
                   {"resumed", !prior_state.empty() && prior_state != "new"}};
    return store.AppendAudit(Actor(options), "exhibit.triage", detail.dump());
  }));
  ++outcome.exhibits;
  progress.Start(plan.reference);
  progress.Event("exhibit", plan.reference + ": " + rec.format + ", " + std::to_string(probe.segments.size()) +
                                " file(s), " + std::to_string(rec.size_bytes) + " bytes" +
                                (prior_state == "complete" ? " (already triaged: checking for anything missing)"
                                 : prior_state.empty() || prior_state == "new" ? ""
                                                                               : " (resuming an interrupted run)"));

  ExhibitRun run(options, writer, progress, plan, exhibit_id, outcome, matcher);
  const int workers = WorkerCount(options);

  // Verification beside the walk, unless an earlier run already reached a verdict.
  std::string verdict = prior_verification;
  std::thread verifier;
  const bool verify = IsDiskImage(probe.format) || probe.format == EvidenceFormat::kArchive;
  const bool settled =
      prior_verification == "verified" || prior_verification == "mismatch" || prior_verification == "no stored hash";
  if (verify && options.verify_media && !settled) {
    verifier =
        std::thread([&] { VerifyMedia(options, writer, run, progress, plan, acquisition, exhibit_id, &verdict); });
  } else if (!verify || !options.verify_media) {
    verdict = !verify ? "not applicable (folder)" : "skipped";
    writer.Call([&](CaseStore& store) { return store.UpdateExhibitHashes(exhibit_id, "", "", verdict); });
  }

  Status walk_status;
  std::unique_ptr<LogicalSource> logical;  // outlives the workers that read from it
  if (IsDiskImage(probe.format)) {
    auto image = DiskImage::Open(probe, kWalkCacheBytes);
    if (!image.ok()) {
      ErrorRecord e;
      e.stage = "open";
      e.source = probe.segments.front();
      e.message = image.status().message();
      e.advice = "check the image with `img_stat`; for E01 run `custos verify`";
      run.Report(std::move(e));
      walk_status = image.status();
    } else {
      run.StartWorkers(workers, [&] {
        auto reader = std::make_shared<TskContentReader>(
            probe, [&run](int64_t id) { return run.Locate(id); }, options.unlock_keys);
        return ReadFn([reader](const FileRecord& f, const ChunkFn& c, int64_t* n) { return reader->Read(f, c, n); });
      });
      walk_status = WalkImage(**image, exhibit_id, run, options.unlock_keys.get());
    }
  } else {
    auto source = LogicalSource::Open(probe);
    if (!source.ok()) {
      ErrorRecord e;
      e.stage = "open";
      e.source = probe.segments.front();
      e.message = source.status().message();
      e.advice = "check the folder or archive can be read";
      run.Report(std::move(e));
      walk_status = source.status();
    } else {
      logical = std::move(*source);
      walk_status = WalkLogical(options, run, *logical, probe, exhibit_id, workers);
    }
  }
  progress.counters().walk_finished = true;
  run.OnWalkOver();
  const bool stopped = run.cancelled();
  run.FinishWorkers(!stopped);
  if (verifier.joinable()) verifier.join();
  // A folder's files may change on their own; an image, device or archive must not.
  const std::string changed = probe.format == EvidenceFormat::kFolder
                                  ? ""
                                  : DescribeSourceChanges(plan.sources_at_probe, ReadSourceStates(probe.segments));
  if (!changed.empty()) {
    ErrorRecord e;
    e.stage = "evidence";
    e.source = probe.segments.front();
    e.message = "the evidence changed or went away during triage: " + changed;
    e.advice =
        "check that the drive or share holding the evidence is connected and that nothing writes to it, then run "
        "the same command again on a stable copy; what this run read before the change is kept";
    // Said on its own line whatever the error cap: it explains every other error of this run.
    progress.Event("evidence_changed", "warning: " + plan.reference + ": " + e.message + " What to do: " + e.advice);
    run.Report(std::move(e));
  }
  progress.Stop();
  outcome.verification.push_back(plan.reference + ": " + verdict);

  const bool complete = !stopped && !run.cancelled() && walk_status.ok() && changed.empty();
  writer.Call([&](CaseStore& store) {
    return store.SetExhibitState(exhibit_id, complete ? "complete" : stopped ? "interrupted" : "damaged");
  });
  if (stopped) outcome.interrupted = true;
  return Status::Ok();
}

}  // namespace

Status CheckEvidence(const TriageOptions& options) { return PlanExhibits(options).status(); }

Result<TriageOutcome> RunTriage(const TriageOptions& options, ProgressReporter& progress) {
  auto plans = PlanExhibits(options);  // fail fast: nothing is created before the evidence checks out
  if (!plans.ok()) return plans.status();

  // The hash sets too, before anything is written: a set named but missing stops the run.
  std::unique_ptr<HashSetMatcher> matcher;
  json hashsets = json::array();
  if (options.match_hashsets) {
    auto m = HashSetLibrary(options.hashset_library.empty() ? HashSetLibrary::DefaultDir() : options.hashset_library)
                 .OpenMatcher(options.hashsets);
    if (!m.ok()) return m.status();
    matcher = std::move(*m);
    for (const auto& set : matcher ? matcher->sets() : std::vector<HashSetInfo>()) {
      hashsets.push_back({{"name", set.name},
                          {"kind", set.kind},
                          {"format", set.format},
                          {"source", set.source},
                          {"imported_us", set.imported},
                          {"md5", set.counts[0]},
                          {"sha1", set.counts[1]},
                          {"sha256", set.counts[2]}});
    }
  }

  auto store = CaseStore::Open(options.case_path, CaseStore::OpenMode::kCreateOrOpen);
  if (!store.ok()) return store.status();
  StoreWriter writer(std::move(*store));

  // Parsers' kinds become tables before any row can arrive.
  CUSTOS_RETURN_IF_ERROR(writer.Call([&](CaseStore& s) {
    for (const auto& p : ParserRegistry::Global().parsers()) {
      for (const auto& k : p->kinds()) CUSTOS_RETURN_IF_ERROR(s.EnsureArtefactKind(k, p->name(), p->version()));
    }
    CaseInfo info = options.case_info;
    info.tool_version = CUSTOS_VERSION;
    return s.UpdateCaseInfo(info);
  }));

  json params = {{"evidence", options.evidence},
                 {"exhibits", options.exhibit_refs},
                 {"threads", WorkerCount(options)},
                 {"sha256", options.sha256},
                 {"verify_media", options.verify_media},
                 {"parsers", ParserRegistry::Global().names()},
                 {"unallocated", options.unallocated},
                 {"carve", options.carve},
                 {"search", options.search ? options.search->Describe() : std::vector<std::string>()},
                 {"search_lists", json::array()},
                 {"entities", options.search && options.search_entities},
                 {"case_sensitive", options.search_case_sensitive},
                 {"hashsets", hashsets},
                 {"type_known_good", !options.skip_known_good_typing}};
  for (const auto& l : options.search_lists) {
    params["search_lists"].push_back({{"path", l.path}, {"kind", l.kind}, {"sha256", l.sha256}, {"terms", l.terms}});
  }
  if (options.unlock_keys && !options.unlock_keys->empty()) {
    json labels = json::array();  // which keys were supplied, never what they are
    for (const auto& k : options.unlock_keys->keys) labels.push_back(k.label);
    params["unlock_keys"] = labels;
  }
  int64_t run_id = 0;
  CUSTOS_RETURN_IF_ERROR(writer.Call([&](CaseStore& s) {
    auto id = s.BeginRun(options.command_line, params.dump());
    if (!id.ok()) return id.status();
    run_id = *id;
    return s.AppendAudit(Actor(options), "triage.start", params.dump());
  }));

  TriageOutcome outcome;
  Status failure;
  for (const auto& plan : *plans) {
    Status s = TriageExhibit(options, writer, progress, plan, outcome, matcher.get());
    if (!s.ok()) {
      failure = s;
      break;
    }
    if (outcome.interrupted || !writer.error().ok()) break;
  }
  const Status write_error = writer.error();
  if (failure.ok() && !write_error.ok()) failure = write_error;
  const std::string result = !failure.ok()         ? "failed: " + failure.ToString()
                             : outcome.interrupted ? "interrupted"
                                                   : "complete";
  json summary = {{"outcome", result},
                  {"entries", outcome.entries},
                  {"files_read", outcome.files_read},
                  {"errors", outcome.errors},
                  {"verification", outcome.verification}};
  writer.Call([&](CaseStore& s) {
    CUSTOS_RETURN_IF_ERROR(s.FinishRun(run_id, result));
    return s.AppendAudit(Actor(options), "triage.finish", summary.dump());
  });
  Status closed = writer.Close();
  std::error_code ignored;  // scratch copies of archives, including any a killed run left behind
  std::filesystem::remove_all(ScratchDirFor(options.case_path), ignored);
  if (!failure.ok()) return failure;
  if (!closed.ok()) return closed;
  return outcome;
}

}  // namespace custos
