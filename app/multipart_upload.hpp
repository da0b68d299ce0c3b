#pragma once
// One multipart/form-data upload as it arrives: the body is fed piece by
// piece to the core's parser (httpcore/multipart/parser.hpp); each part is
// measured and hashed (SHA-256) as its data passes, and a file part's data is
// written straight to a file under the upload folder. Memory stays bounded
// whatever the body's size: what is held between pieces is at most what the
// parser leaves unconsumed (a part's head, a possible delimiter's start).
//
// Files: a file part (one whose Content-Disposition has a filename) goes to
// "<dir>/upload-XXXXXX.part", a name made here (mkstemps, mode 0600), never
// from the client's filename. commit() renames every file of the upload to
// drop ".part" once the whole body was good; an upload that fails, or is
// destroyed before commit(), removes every file it made: a refused upload
// stores nothing. Without a folder nothing is written: parts are only
// measured and hashed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/multipart/parser.hpp"
#include "sha256.hpp"

namespace httpcore::app {

struct upload_part {
  std::string field;                    ///< the part's name
  std::optional<std::string> filename;  ///< as sent; absent for a plain field
  std::uint64_t size = 0;               ///< data bytes
  std::string sha256;                   ///< of the data, 64 hex digits
  std::string stored;                   ///< the file's name in the folder; empty when not stored
};

/// Why an upload failed: the status to answer, a stable name (the parser's
/// error name, or "storage_failed"), the offset in the body for parse errors,
/// and for storage errors what the system said.
struct upload_error {
  int status = 0;  ///< 0: no error
  std::string name;
  std::uint64_t offset = 0;
  std::string detail;
};

class multipart_upload {
 public:
  /// `boundary` from multipart::boundary_from_content_type(); `dir` empty: do
  /// not store files.
  multipart_upload(std::string_view boundary, std::string dir, multipart::limits limits = {});
  ~multipart_upload();  ///< removes the files of an upload not committed
  multipart_upload(const multipart_upload&) = delete;
  multipart_upload& operator=(const multipart_upload&) = delete;

  /// The next piece of the body. False once the upload failed (see error()).
  bool feed(std::string_view piece);
  /// The body ended. False when it was incomplete (or had failed before).
  bool finish();
  /// Keeps the stored files (drops ".part"). False when a rename failed (the
  /// files are then removed).
  bool commit();

  const std::vector<upload_part>& parts() const noexcept { return parts_; }
  const upload_error& error() const noexcept { return error_; }
  bool failed() const noexcept { return error_.status != 0; }
  /// Bytes held between pieces now (bounded by the parser's limits).
  std::size_t held_bytes() const noexcept { return pending_.size(); }

 private:
  bool handle(const multipart::event& ev);
  bool open_file();
  bool write_file(std::string_view bytes);
  void close_file() noexcept;
  bool fail_storage(const char* what, int errno_value);
  bool fail_parse(const multipart::error& e);
  void remove_files() noexcept;

  multipart::parser parser_;
  std::string dir_;
  std::string pending_;  // bytes given to the parser but not consumed
  std::vector<upload_part> parts_;
  std::optional<sha256> digest_;         // of the part in progress
  std::vector<std::string> temp_paths_;  // files made, not yet committed
  int fd_ = -1;                          // the file part in progress
  bool ended_ = false;                   // body_end seen
  bool committed_ = false;
  upload_error error_;
};

}  // namespace httpcore::app
