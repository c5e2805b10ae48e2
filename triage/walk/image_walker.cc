// The metadata walk over partition tables, pools, file systems and files (see image_walker.h).
// Follows TskAuto's shape: filter volumes, open file systems, walk directories; errors are collected
// and never stop the walk. No content is read here.
#include "triage/walk/image_walker.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "triage/base/format.h"
#include "triage/walk/tsk_handles.h"
#include "triage/walk/unallocated_runs.h"
#include "triage/walk/unlocked_volume.h"
#include "triage/walk/volume_encryption.h"

namespace custos {
namespace {

ErrorRecord MakeError(int64_t exhibit_id, int64_t fs_id, std::string stage, std::string source, std::string location,
                      std::string message, std::string advice) {
  ErrorRecord e;
  e.exhibit_id = exhibit_id;
  e.filesystem_id = fs_id;
  e.stage = std::move(stage);
  e.source = std::move(source);
  e.location = std::move(location);
  e.message = std::move(message);
  e.advice = std::move(advice);
  e.when = NowUtcMicros();
  return e;
}

std::string KindOf(const TSK_FS_FILE* file) {
  switch (file->name->type) {
    case TSK_FS_NAME_TYPE_REG:
      return "file";
    case TSK_FS_NAME_TYPE_DIR:
      return "dir";
    case TSK_FS_NAME_TYPE_LNK:
      return "link";
    case TSK_FS_NAME_TYPE_VIRT:
    case TSK_FS_NAME_TYPE_VIRT_DIR:
      return "virtual";
    case TSK_FS_NAME_TYPE_UNDEF:
      if (file->meta) {
        if (file->meta->type == TSK_FS_META_TYPE_REG) return "file";
        if (file->meta->type == TSK_FS_META_TYPE_DIR) return "dir";
        if (file->meta->type == TSK_FS_META_TYPE_LNK) return "link";
      }
      return "other";
    default:
      return "other";
  }
}

std::string FileKey(uint64_t meta, uint32_t type, uint32_t id, const std::string& path) {
  return std::to_string(meta) + "-" + std::to_string(type) + "-" + std::to_string(id) + ":" + path;
}

// Byte offset of the first real data run, for reading in disk order; -1 for resident or empty data.
int64_t FirstRunOffset(const TSK_FS_INFO* fs, const TSK_FS_ATTR* attr) {
  if (!attr || !(attr->flags & TSK_FS_ATTR_NONRES)) return -1;
  for (const TSK_FS_ATTR_RUN* run = attr->nrd.run; run; run = run->next) {
    if (run->flags & (TSK_FS_ATTR_RUN_FLAG_SPARSE | TSK_FS_ATTR_RUN_FLAG_FILLER)) continue;
    if (run->len == 0) continue;
    return static_cast<int64_t>(fs->offset) + static_cast<int64_t>(run->addr) * fs->block_size;
  }
  return -1;
}

// The content layout of an attribute, when it can be read straight from the media (see FileRecord::Layout).
// Extents are offsets in the image the file system was opened on: the media, or an unlocked volume's
// decrypted bytes (the content reader reads them from the same view).
FileRecord::Layout LayoutOf(const TSK_FS_INFO* fs, const TSK_FS_ATTR* attr, int64_t size, bool allocated) {
  FileRecord::Layout layout;
  const bool plain_fs = TSK_FS_TYPE_ISNTFS(fs->ftype) || TSK_FS_TYPE_ISFAT(fs->ftype) || TSK_FS_TYPE_ISEXT(fs->ftype);
  if (!attr || !allocated || !plain_fs || size <= 0) return layout;
  if (attr->flags & (TSK_FS_ATTR_COMP | TSK_FS_ATTR_ENC | TSK_FS_ATTR_SPARSE)) return layout;
  if (attr->flags & TSK_FS_ATTR_RES) {
    if (!attr->rd.buf || static_cast<int64_t>(attr->rd.buf_size) < size) return layout;
    layout.resident.assign(reinterpret_cast<const char*>(attr->rd.buf), static_cast<size_t>(size));
    layout.known = true;
    return layout;
  }
  if (!(attr->flags & TSK_FS_ATTR_NONRES) || attr->nrd.initsize < size) return layout;
  int64_t covered = 0, run_end = 0;
  for (const TSK_FS_ATTR_RUN* run = attr->nrd.run; run && covered < size; run = run->next) {
    if (run->flags & (TSK_FS_ATTR_RUN_FLAG_SPARSE | TSK_FS_ATTR_RUN_FLAG_FILLER)) return layout;
    const int64_t offset = static_cast<int64_t>(fs->offset) + static_cast<int64_t>(run->addr) * fs->block_size;
    const int64_t run_bytes = static_cast<int64_t>(run->len) * fs->block_size;
    const int64_t length = std::min<int64_t>(run_bytes, size - covered);
    if (!layout.extents.empty() && layout.extents.back().first + layout.extents.back().second == offset) {
      layout.extents.back().second += length;
    } else {
      layout.extents.emplace_back(offset, length);
    }
    covered += length;
    run_end = offset + run_bytes;
  }
  if (covered < size) {
    layout.extents.clear();
    return layout;
  }
  layout.known = true;
  // The file slack, as TSK reads it with TSK_FS_FILE_READ_FLAG_SLACK (`icat -s`): from the file's end to the
  // end of its allocation. On NTFS and ext that lies in the run holding the last byte (NTFS may allocate
  // clusters ahead of the data: at most kMaxSlack bytes are taken). TSK's FAT runs stop at the last sector
  // with data, but the rest of the allocation is the rest of that cluster, which lies right after it.
  constexpr int64_t kMaxSlack = 1 << 20;
  const int64_t data_end = layout.extents.back().first + layout.extents.back().second;
  const int64_t allocated_end = data_end + std::max<int64_t>(0, static_cast<int64_t>(attr->nrd.allocsize) - size);
  const int64_t slack_end = std::min(TSK_FS_TYPE_ISFAT(fs->ftype) ? allocated_end : run_end, allocated_end);
  if (slack_end > data_end) layout.slack = {data_end, std::min(slack_end - data_end, kMaxSlack)};
  return layout;
}

bool IsDefaultStreamName(const char* name) {
  return name == nullptr || name[0] == '\0' || std::string(name) == "$Data";
}

constexpr uint64_t kNtfsBadClusEntry = 8;  // MFT entry of $BadClus

struct FsWalk {
  WalkSink* sink;
  TSK_FS_INFO* fs;
  int64_t exhibit_id;
  int64_t fs_id;
  int64_t entries = 0;
  bool stopped = false;
  // TSK's recursive walk skips a folder it cannot open without a word (an ext4 folder whose extent tree
  // TSK 4.12 cannot map, say): the allocated folders met, and the parents entries were met under, tell which
  // folders listed nothing, so that those can be opened again and their failure recorded.
  std::vector<std::pair<TSK_INUM_T, std::string>> folders = {};
  std::unordered_set<std::string> parents = {};
  std::string last_parent = {};
};

void FillTimes(const TSK_FS_INFO* fs, const TSK_FS_META* meta, FileRecord& r) {
  r.mtime = tsk::ToMicros(meta->mtime, meta->mtime_nano);
  r.atime = tsk::ToMicros(meta->atime, meta->atime_nano);
  r.ctime = tsk::ToMicros(meta->ctime, meta->ctime_nano);
  r.crtime = tsk::ToMicros(meta->crtime, meta->crtime_nano);
  if (TSK_FS_TYPE_ISNTFS(fs->ftype) && meta->time2.ntfs.fn_id != 0) {
    r.fn_mtime = tsk::ToMicros(meta->time2.ntfs.fn_mtime, meta->time2.ntfs.fn_mtime_nano);
    r.fn_atime = tsk::ToMicros(meta->time2.ntfs.fn_atime, meta->time2.ntfs.fn_atime_nano);
    r.fn_ctime = tsk::ToMicros(meta->time2.ntfs.fn_ctime, meta->time2.ntfs.fn_ctime_nano);
    r.fn_crtime = tsk::ToMicros(meta->time2.ntfs.fn_crtime, meta->time2.ntfs.fn_crtime_nano);
  }
}

// The owner and mode as fls -m writes them (tsk_fs_name_print_mac_md5): the name's type letter, '/', then
// TSK's own ls-style string of the metadata entry, or "----------" without one.
void FillOwnerAndMode(const TSK_FS_FILE* file, FileRecord& r) {
  const TSK_FS_NAME_TYPE_ENUM type = file->name->type;
  r.mode_text = std::string(type < TSK_FS_NAME_TYPE_STR_MAX ? tsk_fs_name_type_str[type] : "-") + "/";
  if (!file->meta) {
    r.mode_text += "----------";
    return;
  }
  char ls[16] = {};
  tsk_fs_meta_make_ls(file->meta, ls, sizeof(ls));
  r.mode_text += ls;
  r.mode = static_cast<int64_t>(file->meta->mode);
  r.uid = static_cast<int64_t>(file->meta->uid);
  r.gid = static_cast<int64_t>(file->meta->gid);
}

// A named stream beside the file's main data: NTFS alternate data stream or HFS+/APFS resource fork.
FileRecord StreamRecord(const FileRecord& base, const TSK_FS_INFO* fs, const TSK_FS_ATTR* attr,
                        const std::string& stream, bool readable) {
  FileRecord s = base;
  s.kind = "ads";
  s.stream_name = stream;
  s.name = base.name + ":" + stream;
  s.path = base.path + ":" + stream;
  s.extension = LowerExtension(base.name);
  s.attr_type = attr->type;
  s.attr_id = attr->id;
  s.size = attr->size;
  s.disk_offset = FirstRunOffset(fs, attr);
  s.wants_content = readable && s.size > 0;
  s.file_key = FileKey(s.meta_addr, s.attr_type, s.attr_id, s.path);
  s.layout = s.wants_content ? LayoutOf(fs, attr, s.size, s.allocated) : FileRecord::Layout();
  return s;
}

TSK_WALK_RET_ENUM OnDirEntry(TSK_FS_FILE* file, const char* parent, void* ptr) {
  auto* w = static_cast<FsWalk*>(ptr);
  if (!file || !file->name || !file->name->name) return TSK_WALK_CONT;
  std::string name = file->name->name;
  if (name == "." || name == "..") return TSK_WALK_CONT;
  if (parent && w->last_parent != parent) {
    w->last_parent = parent;
    w->parents.insert(w->last_parent);
  }

  FileRecord r;
  r.filesystem_id = w->fs_id;
  r.name = name;
  r.path = "/" + std::string(parent ? parent : "") + name;
  r.extension = LowerExtension(name);
  r.kind = KindOf(file);
  r.meta_addr = file->name->meta_addr;
  r.meta_seq = file->name->meta_seq;
  r.orphan = r.path.rfind("/$OrphanFiles/", 0) == 0;
  const bool name_alloc = (file->name->flags & TSK_FS_NAME_FLAG_ALLOC) != 0;
  const TSK_FS_META* meta = file->meta;
  const bool meta_alloc = meta && (meta->flags & TSK_FS_META_FLAG_ALLOC);
  r.allocated = name_alloc && (!meta || meta_alloc);
  r.deleted = !r.allocated;
  // A deleted name whose metadata entry now belongs to another file: its content is not this file's.
  const bool meta_reused = !name_alloc && meta_alloc && !r.orphan;
  if (meta) {
    FillTimes(w->fs, meta, r);
    r.size = meta->size;
    r.meta_seq = meta->seq;
  }
  FillOwnerAndMode(file, r);
  const bool content_kind = r.kind == "file";
  const bool readable = meta && !meta_reused;

  std::vector<FileRecord> streams;
  const TSK_FS_ATTR* data_attr = nullptr;
  if (meta && (content_kind || r.kind == "dir")) {
    if (TSK_FS_TYPE_ISNTFS(w->fs->ftype)) {
      const int n = tsk_fs_file_attr_getsize(file);
      for (int i = 0; i < n; ++i) {
        const TSK_FS_ATTR* attr = tsk_fs_file_attr_get_idx(file, i);
        if (!attr || attr->type != TSK_FS_ATTR_TYPE_NTFS_DATA) continue;
        if (IsDefaultStreamName(attr->name)) {
          r.attr_type = attr->type;
          r.attr_id = attr->id;
          r.size = attr->size;
          r.disk_offset = FirstRunOffset(w->fs, attr);
          data_attr = attr;
        } else {
          // $BadClus:$Bad is a sparse stream as long as the volume: reading it would hash the whole
          // volume's size in zeros (hours on a large disk) and tells nothing.
          const bool bad_cluster_map = r.meta_addr == kNtfsBadClusEntry && std::string(attr->name) == "$Bad";
          streams.push_back(StreamRecord(r, w->fs, attr, attr->name, readable && !bad_cluster_map));
        }
      }
    } else if (content_kind) {
      const TSK_FS_ATTR* attr = tsk_fs_file_attr_get(file);
      if (attr) {
        r.attr_type = attr->type;
        r.attr_id = attr->id;
        r.disk_offset = FirstRunOffset(w->fs, attr);
        data_attr = attr;
      }
      if (TSK_FS_TYPE_ISHFS(w->fs->ftype) || TSK_FS_TYPE_ISAPFS(w->fs->ftype)) {
        const TSK_FS_ATTR* rsrc = tsk_fs_file_attr_get_type(file, TSK_FS_ATTR_TYPE_HFS_RSRC, 0, 0);
        if (rsrc && rsrc->size > 0) streams.push_back(StreamRecord(r, w->fs, rsrc, "rsrc", readable));
      }
    }
    tsk_error_reset();  // a missing attribute is not an error worth a row
  }
  r.wants_content = content_kind && readable && r.size > 0;
  if (r.kind == "dir" && r.allocated && meta) w->folders.emplace_back(r.meta_addr, r.path.substr(1) + "/");
  r.file_key = FileKey(r.meta_addr, r.attr_type, r.attr_id, r.path);
  if (r.wants_content) r.layout = LayoutOf(w->fs, data_attr, r.size, r.allocated);

  ++w->entries;
  if (!w->sink->OnFile(std::move(r))) {
    w->stopped = true;
    return TSK_WALK_STOP;
  }
  for (auto& s : streams) {
    ++w->entries;
    if (!w->sink->OnFile(std::move(s))) {
      w->stopped = true;
      return TSK_WALK_STOP;
    }
  }
  return TSK_WALK_CONT;
}

std::string SerialOf(const TSK_FS_INFO* fs) {
  std::string out;
  char buf[3];
  // TSK keeps the serial bytes in on-disk (little-endian) order; print most significant first, as fsstat does.
  for (size_t i = fs->fs_id_used; i > 0; --i) {
    std::snprintf(buf, sizeof buf, "%02X", fs->fs_id[i - 1]);
    out += buf;
  }
  return out;
}

class Walker {
 public:
  Walker(const DiskImage& image, int64_t exhibit_id, WalkSink& sink, const UnlockKeys* keys)
      : image_(image), img_(image.tsk()), exhibit_id_(exhibit_id), sink_(sink), keys_(keys) {}

  Status Run() {
    tsk_error_reset();
    tsk::VsPtr vs(tsk_vs_open(img_, 0, TSK_VS_TYPE_DETECT));
    if (!vs) {
      const uint32_t err_no = tsk_error_get_errno();
      std::string err = tsk::TakeError();
      VolumeRecord whole;
      whole.exhibit_id = exhibit_id_;
      whole.kind = "whole-image";
      whole.scheme = "none";
      whole.length_bytes = image_.size();
      whole.description = "no partition table";
      if (err_no != 0 && err_no != TSK_ERR_VS_UNKTYPE) {
        // A table was recognised but could not be read: say so, then look for a file system at offset 0.
        sink_.OnError(MakeError(exhibit_id_, 0, "volume", "partition table", "sector 0",
                                "the partition table could not be read: " + err,
                                "the disk may be damaged; Custos looks for a file system at the start of the image "
                                "instead. Check the partitions with `mmls` and report the damage."));
        whole.description = "partition table unreadable";
      }
      auto id = sink_.OnVolume(whole);
      if (!id.ok()) return id.status();
      WalkVolume(img_, FsLocator{}, *id, 0, image_.size(), "whole image", true);
      return stopped_ ? Status::Busy("walk stopped") : Status::Ok();
    }
    const std::string scheme = tsk_vs_type_toname(vs->vstype) ? tsk_vs_type_toname(vs->vstype) : "unknown";
    for (TSK_PNUM_T i = 0; i < vs->part_count && !stopped_; ++i) {
      const TSK_VS_PART_INFO* part = tsk_vs_part_get(vs.get(), i);
      if (!part) continue;
      VolumeRecord v;
      v.exhibit_id = exhibit_id_;
      v.index = static_cast<int>(part->addr);
      v.kind = (part->flags & TSK_VS_PART_FLAG_ALLOC)     ? "partition"
               : (part->flags & TSK_VS_PART_FLAG_UNALLOC) ? "unallocated"
                                                          : "meta";
      v.scheme = scheme;
      v.offset_bytes = static_cast<int64_t>(vs->offset) + static_cast<int64_t>(part->start) * vs->block_size;
      v.length_bytes = static_cast<int64_t>(part->len) * vs->block_size;
      v.description = part->desc ? part->desc : "";
      auto id = sink_.OnVolume(v);
      if (!id.ok()) return id.status();
      if (v.kind == "unallocated" && sink_.WantsUnallocated()) {
        ListRawRegion(*id, v.offset_bytes, v.length_bytes,
                      "a gap in the partition table (" + v.description + "): no file system");
        if (stopped_) break;
      }
      if (v.kind != "partition") continue;
      const std::string where = "partition " + std::to_string(part->addr) + " (" + v.description + ")";
      if (v.offset_bytes + v.length_bytes > image_.size()) {
        sink_.OnError(MakeError(
            exhibit_id_, 0, "volume", where, "offset " + std::to_string(v.offset_bytes),
            "the partition ends at byte " + std::to_string(v.offset_bytes + v.length_bytes) +
                " but the image has only " + std::to_string(image_.size()) + " bytes",
            "the image is truncated or a split part / E01 segment is missing: check the acquisition and supply "
            "every part. What lies inside the image is still triaged."));
      }
      WalkVolume(img_, FsLocator{}, *id, v.offset_bytes, v.length_bytes, where, false);
    }
    return stopped_ ? Status::Busy("walk stopped") : Status::Ok();
  }

 private:
  // A located file system in `img` (the media, or an unlocked volume's decrypted bytes, as `base` says).
  static FsLocator Locate(const FsLocator& base, int64_t offset, TSK_FS_TYPE_ENUM type) {
    FsLocator loc = base;
    loc.offset_bytes = offset;
    loc.type = type;
    return loc;
  }

  void WalkVolume(TSK_IMG_INFO* img, const FsLocator& base, int64_t volume_id, int64_t offset, int64_t length,
                  const std::string& where, bool whole) {
    tsk_error_reset();
    tsk::FsPtr fs(tsk_fs_open_img(img, offset, TSK_FS_TYPE_DETECT));
    if (fs) {
      const FsLocator loc = Locate(base, offset, fs->ftype);
      WalkFileSystem(std::move(fs), loc, volume_id, "");
      return;
    }
    const std::string detect_error = tsk::TakeError();

    // An APFS container (TSK's pool API).
    tsk::PoolPtr pool(tsk_pool_open_img_sing(img, offset, TSK_POOL_TYPE_DETECT));
    if (pool) {
      WalkPool(img, base, std::move(pool), volume_id, offset);
      return;
    }
    tsk_error_reset();

    // Detection failed; it also fails when two file systems are valid in one volume (DFTT test 10).
    // Try each type on its own and list every one that opens, with a warning.
    static constexpr TSK_FS_TYPE_ENUM kCandidates[] = {
        TSK_FS_TYPE_NTFS,       TSK_FS_TYPE_FAT_DETECT,     TSK_FS_TYPE_EXFAT,     TSK_FS_TYPE_EXT_DETECT,
        TSK_FS_TYPE_HFS_DETECT, TSK_FS_TYPE_ISO9660_DETECT, TSK_FS_TYPE_FFS_DETECT};
    std::vector<tsk::FsPtr> found;
    for (TSK_FS_TYPE_ENUM type : kCandidates) {
      tsk::FsPtr candidate(tsk_fs_open_img(img, offset, type));
      tsk_error_reset();
      if (candidate) found.push_back(std::move(candidate));
    }
    if (found.empty()) {
      const VolumeEncryption enc = DetectVolumeEncryption(img, offset);
      if (enc.evidence == VolumeEncryption::Evidence::kSignature) {
        const bool luks = enc.what.rfind("LUKS", 0) == 0;
        if (luks && keys_ != nullptr && !keys_->empty() && !base.in_unlocked) {
          Unlock(volume_id, offset, length, where);
          return;
        }
        sink_.OnError(MakeError(exhibit_id_, 0, "encryption", where, "offset " + std::to_string(offset),
                                "this volume is encrypted (" + enc.what +
                                    "): nothing in it can be listed without the key; it may hold the user's data",
                                luks ? "ask the suspect for the passphrase, then run the same command again with "
                                       "--unlock-file FILE (the passphrase in a file) or --luks-key-file FILE (the "
                                       "volume key); or send the exhibit for full examination"
                                     : "ask the suspect or the service provider for the password or recovery key, or "
                                       "send the exhibit for full examination (Custos unlocks LUKS volumes only); "
                                       "triage the decrypted volume when it is unlocked"));
        return;
      }
      if (enc.evidence == VolumeEncryption::Evidence::kEntropy) {
        sink_.OnError(MakeError(exhibit_id_, 0, "encryption", where, "offset " + std::to_string(offset),
                                "no file system recognised, and the content looks random (" + enc.what +
                                    "): probably encrypted by software without a known signature (VeraCrypt, a "
                                    "hidden volume), or wiped with random data",
                                "look for encryption software in the other volumes' programs and artefacts, and "
                                "send the exhibit for full examination"));
        return;
      }
      sink_.OnError(MakeError(
          exhibit_id_, 0, "filesystem", where, "offset " + std::to_string(offset),
          "no file system recognised: " + (detect_error.empty() ? "unknown content" : detect_error),
          whole ? "the image may hold an unsupported, encrypted or damaged file system; check it with `fsstat` "
                  "and `mmls`"
                : "the partition may be encrypted, damaged, swap or a type The Sleuth Kit does not read; check it "
                  "with `fsstat -o <sector>`"));
      // Its bytes are still searched and carved, as unallocated space (they lie in the media itself only
      // outside an unlocked volume; inside one they would need its decryption, which a "none" file system
      // does not carry).
      if (sink_.WantsUnallocated() && !base.in_unlocked) {
        ListRawRegion(volume_id, offset, length,
                      "no file system recognised in " + where + ": its bytes are searched as unallocated space");
      }
      return;
    }
    std::string names;
    for (const auto& f : found) names += (names.empty() ? "" : ", ") + tsk::FsTypeName(f->ftype);
    if (found.size() > 1) {
      sink_.OnError(MakeError(exhibit_id_, 0, "filesystem", where, "offset " + std::to_string(offset),
                              "this volume holds " + std::to_string(found.size()) + " valid file systems (" + names +
                                  "); each is listed separately",
                              "which one the owner's system used depends on its operating system; examine both "
                              "listings"));
    }
    for (auto& f : found) {
      const FsLocator loc = Locate(base, offset, f->ftype);
      std::string note = found.size() > 1
                             ? "one of " + std::to_string(found.size()) + " file systems in this volume (" + names + ")"
                             : "";
      WalkFileSystem(std::move(f), loc, volume_id, note);
      if (stopped_) return;
    }
  }

  // An encrypted volume a supplied key may open: a child volume row for its decrypted bytes, walked like
  // any other volume, or an error row that says which keys were tried (never the keys themselves).
  void Unlock(int64_t volume_id, int64_t offset, int64_t length, const std::string& where) {
    auto unlocked = UnlockedVolume::Open(img_, offset, length, *keys_);
    if (!unlocked.ok()) {
      const Status& st = unlocked.status();
      std::string advice =
          st.code() == Status::Code::kNotFound
              ? "check the passphrase (its file holds it exactly, one final line break is ignored; a keyboard "
                "layout or a trailing space changes it) or the volume key, and run the same command again with "
                "the right one; what else is in the exhibit is triaged already"
          : st.code() == Status::Code::kInvalidArgument
              ? "supply a key this volume can take, as said above, and run the same command again"
              : "decrypt the volume on a forensic workstation (`cryptsetup open --readonly` on a copy) and triage "
                "the decrypted image, or send the exhibit for full examination";
      sink_.OnError(MakeError(
          exhibit_id_, 0, "encryption", where, "offset " + std::to_string(offset),
          st.code() == Status::Code::kNotFound ? st.message() : "this LUKS volume cannot be unlocked: " + st.message(),
          advice));
      return;
    }
    const UnlockedVolume& u = **unlocked;
    VolumeRecord v;
    v.exhibit_id = exhibit_id_;
    v.parent_volume_id = volume_id;
    v.kind = "unlocked";
    v.scheme = "luks";
    v.offset_bytes = offset + u.payload_offset();
    v.length_bytes = u.size();
    v.description = u.description();
    auto id = sink_.OnVolume(v);
    if (!id.ok()) return;
    FsLocator base;
    base.in_unlocked = true;
    base.unlocked_offset = offset;
    base.unlocked_length = length;
    base.unlock_key = u.key_index();
    WalkVolume(u.tsk(), base, *id, 0, u.size(), "the unlocked " + where, false);
  }

  void WalkPool(TSK_IMG_INFO* img, const FsLocator& base, tsk::PoolPtr pool, int64_t parent_volume_id, int64_t offset) {
    const std::string scheme = tsk_pool_type_toname(pool->ctype) ? tsk_pool_type_toname(pool->ctype) : "pool";
    bool container_listed = false;
    for (const TSK_POOL_VOLUME_INFO* pv = pool->vol_list; pv && !stopped_; pv = pv->next) {
      VolumeRecord v;
      v.exhibit_id = exhibit_id_;
      v.parent_volume_id = parent_volume_id;
      v.index = pv->index;
      v.kind = "pool-volume";
      v.scheme = scheme;
      v.offset_bytes = offset + static_cast<int64_t>(pv->block) * pool->block_size;
      v.length_bytes = static_cast<int64_t>(pv->num_blocks) * pool->block_size;
      v.description = pv->desc ? pv->desc : "";
      auto id = sink_.OnVolume(v);
      if (!id.ok()) return;
      const std::string where = "pool volume " + std::to_string(pv->index) + " (" + v.description + ")";
      if (pv->flags & TSK_POOL_VOLUME_FLAG_ENCRYPTED) {
        sink_.OnError(MakeError(exhibit_id_, 0, "filesystem", where, "block " + std::to_string(pv->block),
                                "the volume is encrypted",
                                "it needs the user's password or recovery key; it was "
                                "not triaged"));
        continue;
      }
      FsLocator loc = Locate(base, offset, TSK_FS_TYPE_APFS);
      loc.in_pool = true;
      loc.pool_offset = offset;
      loc.pool_block = pv->block;
      FsLocator here = loc;
      here.in_unlocked = false;  // `img` is already the decrypted view; the locator still says how to get it
      auto opened = OpenFileSystem(img, here);
      if (!opened.ok()) {
        sink_.OnError(MakeError(exhibit_id_, 0, "filesystem", where, "block " + std::to_string(pv->block),
                                opened.status().message(), "check the volume with `fsstat -P apfs -B <block>`"));
        continue;
      }
      // The walk needs the handle only while it runs; keep the opened pool alive alongside.
      WalkTsk((*opened)->fs(), loc, *id, "");
      if (!container_listed && !stopped_ && sink_.WantsUnallocated() && !base.in_unlocked) {
        container_listed = true;
        ListContainerFree((*opened)->fs(), parent_volume_id, offset);
      }
    }
  }

  void WalkFileSystem(tsk::FsPtr fs, const FsLocator& loc, int64_t volume_id, const std::string& note) {
    WalkTsk(fs.get(), loc, volume_id, note);
  }

  void WalkTsk(TSK_FS_INFO* fs, const FsLocator& loc, int64_t volume_id, const std::string& note) {
    FileSystemRecord rec;
    rec.volume_id = volume_id;
    rec.offset_bytes =
        loc.in_pool ? loc.pool_offset + static_cast<int64_t>(loc.pool_block) * fs->block_size : loc.offset_bytes;
    rec.type = tsk::FsTypeName(fs->ftype);
    rec.serial = SerialOf(fs);
    rec.block_size = fs->block_size;
    rec.block_count = static_cast<int64_t>(fs->block_count);
    rec.root_inum = static_cast<int64_t>(fs->root_inum);
    rec.note = note;
    if (TSK_FS_TYPE_ISFAT(fs->ftype)) {
      rec.note +=
          std::string(rec.note.empty() ? "" : "; ") + "FAT stores local time without a zone: times are shown as if UTC";
    }
    auto fs_id = sink_.OnFileSystem(rec, loc);
    if (!fs_id.ok()) return;

    // The root itself: dir_walk reports only its children.
    FileRecord root;
    root.filesystem_id = *fs_id;
    root.path = "/";
    root.kind = "dir";
    root.meta_addr = fs->root_inum;
    root.file_key = FileKey(root.meta_addr, 0, 0, "/");
    {
      tsk::FilePtr root_file(tsk_fs_file_open_meta(fs, nullptr, fs->root_inum));
      if (root_file && root_file->meta) FillTimes(fs, root_file->meta, root);
      tsk_error_reset();
    }
    if (!sink_.OnFile(std::move(root))) {
      stopped_ = true;
      return;
    }

    FsWalk w{&sink_, fs, exhibit_id_, *fs_id};
    tsk_error_reset();
    const auto flags = static_cast<TSK_FS_DIR_WALK_FLAG_ENUM>(
        TSK_FS_DIR_WALK_FLAG_ALLOC | TSK_FS_DIR_WALK_FLAG_UNALLOC | TSK_FS_DIR_WALK_FLAG_RECURSE);
    const uint8_t failed = tsk_fs_dir_walk(fs, fs->root_inum, flags, OnDirEntry, &w);
    std::string err = tsk::TakeError();
    if (w.stopped) {
      stopped_ = true;
      return;
    }
    if (failed || !err.empty()) {
      sink_.OnError(MakeError(exhibit_id_, *fs_id, "walk", rec.type + " file system",
                              "offset " + std::to_string(rec.offset_bytes),
                              "the directory walk stopped early or skipped damaged entries: " + err,
                              "the file system is damaged here; files listed so far are kept. Examine the damaged "
                              "structures with `fls`/`istat`"));
    }
    ReportUnreadFolders(fs, *fs_id, w);
    if (sink_.WantsUnallocated() && !ListUnallocated(fs, *fs_id)) {
      stopped_ = true;
      return;
    }
    sink_.OnFileSystemWalked(*fs_id, w.entries + 1);
  }

  // The allocated folders under which the walk met no entry: opened again, and those TSK cannot open are
  // recorded, since their files are missing from the case (an empty folder opens and is not an error).
  void ReportUnreadFolders(TSK_FS_INFO* fs, int64_t fs_id, const FsWalk& w) {
    for (const auto& [inum, path] : w.folders) {
      if (w.parents.count(path)) continue;
      tsk_error_reset();
      tsk::DirPtr dir(tsk_fs_dir_open_meta(fs, inum));
      const std::string err = tsk::TakeError();
      if (dir) continue;
      sink_.OnError(MakeError(exhibit_id_, fs_id, "walk", "/" + path.substr(0, path.size() - 1),
                              "metadata entry " + std::to_string(inum),
                              "The Sleuth Kit could not read this folder, so none of its files are listed: " + err,
                              "list it with another tool (`debugfs -R 'ls -l PATH'` on ext4, or mount a copy of the "
                              "image read-only) and request a full examination of this folder"));
    }
  }

  // A region of the media no file system claims (a gap in the partition table, or a volume holding no file
  // system TSK reads): a file system row of type "none" whose only content is the whole region, as the
  // virtual file "/$Unallocated", searched and carved like a file system's unallocated blocks (its hits and
  // carved objects are placed by volume and offset from the volume's start).
  void ListRawRegion(int64_t volume_id, int64_t offset, int64_t length, const std::string& note) {
    const int64_t end = std::min(offset + length, image_.size());
    if (end <= offset) return;
    ListFreeRegion(volume_id, offset, {{offset, end - offset}}, note);
  }

  // Runs of the media (offset, length) that belong to no file system, as a file system row of type "none"
  // at `offset` whose "/$Unallocated" is those runs one after the other.
  void ListFreeRegion(int64_t volume_id, int64_t offset, std::vector<std::pair<int64_t, int64_t>> extents,
                      const std::string& note) {
    FileSystemRecord rec;
    rec.volume_id = volume_id;
    rec.offset_bytes = offset;
    rec.type = "none";
    rec.note = note;
    auto fs_id = sink_.OnFileSystem(rec, FsLocator{});
    if (!fs_id.ok()) return;
    FileRecord root;
    root.filesystem_id = *fs_id;
    root.path = "/";
    root.kind = "dir";
    root.file_key = FileKey(0, 0, 0, "/");
    if (!sink_.OnFile(std::move(root)) || !SendUnallocated(*fs_id, std::move(extents))) {
      stopped_ = true;
      return;
    }
    sink_.OnFileSystemWalked(*fs_id, 2);
  }

  // The free runs (media offset, length) of a file system or a raw region as one virtual file "/$Unallocated".
  bool SendUnallocated(int64_t fs_id, std::vector<std::pair<int64_t, int64_t>> extents) {
    int64_t size = 0;
    for (const auto& e : extents) size += e.second;
    if (size == 0) return true;
    FileRecord u;
    u.filesystem_id = fs_id;
    u.path = "/$Unallocated";
    u.name = "$Unallocated";
    u.kind = "virtual";
    u.file_key = "unallocated";
    u.allocated = false;
    u.size = size;
    u.disk_offset = extents.front().first;
    u.wants_content = true;
    u.unallocated_space = true;
    u.layout.known = true;
    u.layout.extents = std::move(extents);
    return sink_.OnFile(std::move(u));
  }

  // An APFS container's free blocks (TSK's block walk over a volume of it lists the container's, as
  // `blkls -P apfs -B <block> -A` does), once per container: a "none" file system row under the container's
  // volume whose "/$Unallocated" is those blocks. Not inside an unlocked volume (see ListRawRegion).
  void ListContainerFree(TSK_FS_INFO* fs, int64_t volume_id, int64_t container_offset) {
    auto runs = UnallocatedRuns(fs, container_offset, image_.size());
    if (!runs.ok()) {
      ReportUnlistedBlocks(fs, 0, runs.status());
      return;
    }
    if (runs->empty()) return;
    ListFreeRegion(volume_id, container_offset, std::move(*runs),
                   "the free blocks of the APFS container, which its volumes share");
  }

  void ReportUnlistedBlocks(const TSK_FS_INFO* fs, int64_t fs_id, const Status& status) {
    sink_.OnError(MakeError(exhibit_id_, fs_id, "walk", tsk::FsTypeName(fs->ftype) + " file system", "block map",
                            "the unallocated blocks could not be listed: " + status.message(),
                            "unallocated space is not searched on this file system; the files are"));
  }

  // The file system's unallocated blocks, as runs on the media, sent as one virtual file "/$Unallocated".
  // APFS blocks are the container's, shared by its volumes: listed once per container (ListContainerFree).
  bool ListUnallocated(TSK_FS_INFO* fs, int64_t fs_id) {
    if (!HasUnallocatedBlockMap(fs)) return true;
    // Blocks past the end of the image (a truncated image) cannot be read: UnallocatedRuns keeps what is there.
    auto runs = UnallocatedRuns(fs, static_cast<int64_t>(fs->offset), image_.size());
    if (!runs.ok()) {
      ReportUnlistedBlocks(fs, fs_id, runs.status());
      return true;
    }
    return SendUnallocated(fs_id, std::move(*runs));
  }

  const DiskImage& image_;
  TSK_IMG_INFO* img_;
  int64_t exhibit_id_;
  WalkSink& sink_;
  const UnlockKeys* keys_;
  bool stopped_ = false;
};

}  // namespace

Status WalkImage(const DiskImage& image, int64_t exhibit_id, WalkSink& sink, const UnlockKeys* keys) {
  Walker walker(image, exhibit_id, sink, keys);
  return walker.Run();
}

}  // namespace custos
