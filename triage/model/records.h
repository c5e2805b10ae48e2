// The records that flow from the evidence walk to the case store. Plain values, no behaviour.
// Times: integer microseconds since 1970-01-01T00:00:00Z (UTC) everywhere; std::nullopt when the
// source has no such time. Sizes and offsets are bytes. Hashes are lowercase hex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace custos {

using UtcMicros = int64_t;

// One seized item as imaged: E01 set, raw/split raw, VHD, VMDK, block device, folder, zip/tar.
struct ExhibitRecord {
  std::string reference;             // officer's exhibit reference, e.g. "JD/1"; unique in a case
  std::vector<std::string> sources;  // absolute paths of every evidence file (all segments)
  std::string format;                // EvidenceFormat name: "ewf", "raw", "split-raw", "vhd", "vmdk", "device",
                                     // "folder", "archive"
  int64_t size_bytes = 0;            // media size (logical size of the image)
  int64_t sector_size = 512;
  // Acquisition metadata stored in the image (E01 header values: case_number, description,
  // examiner_name, evidence_number, notes, acquiry_date, system_date, acquiry_operating_system,
  // acquiry_software_version, model, serial_number). Empty for raw images.
  std::map<std::string, std::string> acquisition;
  std::string stored_md5, stored_sha1;      // hashes the acquisition tool stored (E01); empty if none
  std::string computed_md5, computed_sha1;  // what Custos computed over the media; empty until done
  // "pending", "verified", "mismatch", "no stored hash", "failed" (read error; see the error table)
  std::string verification = "pending";
};

// A region of the media: a partition, a gap of unallocated space, partition-table metadata, an APFS
// pool volume, or the whole image when there is no partition table.
struct VolumeRecord {
  int64_t exhibit_id = 0;
  int64_t parent_volume_id = 0;  // 0 = top level; an APFS volume points at its container partition
  int index = 0;                 // TSK slot/address in its table (stable across runs: part of the key)
  std::string kind;              // "partition", "unallocated", "meta", "pool-volume", "whole-image"
  std::string scheme;            // "dos", "gpt", "mac", "bsd", "sun", "apfs", "none"
  int64_t offset_bytes = 0;      // from the start of the media
  int64_t length_bytes = 0;
  std::string description;  // TSK's description, e.g. "NTFS / exFAT (0x07)", or the APFS volume name
};

// A file system found inside a volume.
struct FileSystemRecord {
  int64_t volume_id = 0;
  int64_t offset_bytes = 0;  // from the start of the media (for pool volumes: of the container)
  std::string type;          // "ntfs", "fat12", "fat16", "fat32", "exfat", "ext2", "ext3", "ext4", "hfs+",
                             // "iso9660", "apfs", "ufs", "logical" (folder/zip/tar)
  std::string label;         // volume label / name where the file system has one
  std::string serial;        // volume serial / UUID where available
  int64_t block_size = 0;
  int64_t block_count = 0;
  int64_t root_inum = 0;
  std::string note;  // e.g. "partition also holds an ext2 file system"
};

// One file, directory, link, alternate data stream, orphan or deleted entry.
struct FileRecord {
  int64_t filesystem_id = 0;
  // Stable within its file system across runs; with filesystem_id it is the resume key.
  // For TSK: "<meta_addr>-<attr_type>-<attr_id>:<path>"; for logical sources: the relative path.
  std::string file_key;
  std::string path;        // full path from the file system root, '/'-separated, starting with '/'
  std::string name;        // last path element (for an ADS: "file.txt:stream")
  std::string extension;   // lowercase, without the dot; empty if none
  std::string kind;        // "file", "dir", "link", "ads", "virtual" (TSK's $OrphanFiles etc.), "other",
                           // "carved" (an object carved out of content), "slack" (a file's slack holding a hit)
  uint64_t meta_addr = 0;  // inode / MFT entry
  uint32_t meta_seq = 0;   // NTFS sequence number
  uint32_t attr_type = 0;  // TSK attribute type (NTFS: 128 = $DATA)
  uint32_t attr_id = 0;
  std::string stream_name;  // NTFS ADS name, empty for the default stream
  bool allocated = true;    // name and metadata allocated
  bool deleted = false;     // name or metadata unallocated
  bool orphan = false;      // found only through TSK's $OrphanFiles
  int64_t size = 0;
  // MACB: modified, accessed, changed (metadata), born (created). NTFS: from $STANDARD_INFORMATION.
  std::optional<UtcMicros> mtime, atime, ctime, crtime;
  // NTFS $FILE_NAME times (harder to forge; a difference from $SI hints at timestomping).
  std::optional<UtcMicros> fn_mtime, fn_atime, fn_ctime, fn_crtime;
  // Owner and permissions from the metadata entry (TSK's meta->mode, uid, gid; absent without one), and
  // the mode as `fls -m` writes it ("r/rrw-r--r--": the name's type, the entry's type and permission bits).
  std::optional<int64_t> mode, uid, gid;
  std::string mode_text;
  int priority = 0;            // scheduler class, 0 = most urgent (see triage/pipeline/priority.h)
  int64_t disk_offset = -1;    // byte offset of the first data run on the media, -1 if none (resident)
  bool wants_content = false;  // true when the content should be read, hashed and typed
  // For a member of an archive (or anything else found inside a file): the file_key of the file holding
  // it, in the same file system; the store records it as file.container_file_id. Empty otherwise.
  std::string container_key;
  // The unallocated blocks of a file system, as one virtual file whose layout lists them (in memory only):
  // searched and carved, not hashed or parsed; its hits are placed by volume and offset, not in a file.
  bool unallocated_space = false;

  // Where the content lies, as the walk found it (in memory only, never stored). A content worker reads
  // these bytes straight from the image instead of parsing the file's metadata entry again: on an E01
  // that re-parse decompresses a whole chunk for every file. Not known (read through TSK) for deleted,
  // compressed, encrypted, sparse or partly initialised content and for pool (APFS) volumes.
  struct Layout {
    bool known = false;
    std::string resident;  // the content itself, when the metadata entry holds it (NTFS resident data)
    std::vector<std::pair<int64_t, int64_t>> extents;  // (media byte offset, length) in file order
    // The file slack, when the extents are known: (media byte offset, length) of the bytes between the
    // file's end and the end of the cluster or block holding it; length 0 when there are none.
    std::pair<int64_t, int64_t> slack{0, 0};
  };
  Layout layout;
};

// What a content worker learned about one file.
struct ContentResult {
  int64_t filesystem_id = 0;
  std::string file_key;
  std::string md5, sha1, sha256;  // empty when not computed
  std::string mime;               // libmagic MIME type of the content, e.g. "image/jpeg"
  std::string type_description;   // libmagic's description, e.g. "JPEG image data, JFIF standard 1.01"; only
                                  // where the extension disagrees (it doubles the cost of typing)
  bool extension_mismatch = false;
  // "complete" (all bytes read), "recovered" (deleted, content read back), "partial" (read errors;
  // hashes are of what was read), "unrecoverable" (deleted and no content left), "error".
  std::string content_state;
  int64_t bytes_read = 0;
};

// A keyword, expression or entity found in content: in a file (filesystem_id + file_key, offset from the
// file's first byte) or in unallocated space (file_key empty, volume_id set, offset from the volume start).
struct KeywordHitRecord {
  int64_t filesystem_id = 0;
  std::string file_key;
  int64_t volume_id = 0;  // 0 for a file: the store takes its file system's volume
  int64_t offset = 0;
  std::string term;       // the keyword or expression as given, or the entity's name ("iban")
  std::string term_kind;  // "keyword", "regex", "entity"
  std::string encoding;   // "utf-8", "utf-16le"
  std::string match;      // printable
  std::string context;    // printable, about 64 characters each side
};

// A file whose digest is in an imported hash set (one row per set and algorithm that matched).
struct HashHitRecord {
  int64_t filesystem_id = 0;
  std::string file_key;   // with filesystem_id, names the file row (as ContentResult does)
  std::string set_name;   // the set's name in the hash-set library
  std::string set_kind;   // "known_bad" or "known_good"
  std::string category;   // the entry's category (CAID: "A", "B", "C"), or the set's default; may be empty
  std::string algorithm;  // "md5", "sha1", "sha256"
  std::string hash;       // lowercase hex
};

// A picture's thumbnail for the gallery (see triage/picture/thumbnail.h), or why there is none.
struct ThumbnailRecord {
  int64_t filesystem_id = 0;
  std::string file_key;
  int width = 0, height = 0;  // the picture's own size; 0 when its header could not be read
  std::string jpeg;           // empty when error is set
  std::string error;
};

// Something went wrong with a source; the run goes on. Shown to the officer and kept in the case file.
struct ErrorRecord {
  int64_t exhibit_id = 0;     // 0 when not tied to an exhibit
  int64_t filesystem_id = 0;  // 0 when not tied to a file system
  std::string stage;          // "open", "verify", "volume", "filesystem", "walk", "read", "hash", "parse"
  std::string source;         // what: the evidence file or the path in the file system
  std::string location;       // where: "offset 1048576", "inode 42", "sector 63"
  std::string message;        // why, in plain words
  std::string advice;         // what to do about it
  UtcMicros when = 0;
};

}  // namespace custos
