// permessage-deflate over zlib's raw DEFLATE (negative windowBits: no zlib
// header or checksum, RFC 7692 §7.2).
#include "httpcore/ws/deflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <new>

namespace httpcore::ws {
namespace {

// What a sync flush ends with and the receiver puts back (§7.2.1, §7.2.2).
constexpr unsigned char flush_tail[4] = {0x00, 0x00, 0xff, 0xff};

// Output is produced in steps of this size (and zlib's avail_in/avail_out
// are 32-bit, so inputs are fed in slices of at most 1 GiB).
constexpr std::size_t output_step = 16 * 1024;
constexpr std::size_t max_input_slice = std::size_t{1} << 30;

int clamp_bits(int bits) {
  return std::clamp(bits, 8, 15);
}

Bytef* as_bytef(const void* p) {
  return static_cast<Bytef*>(const_cast<void*>(p));
}

}  // namespace

std::string_view inflate_error_name(inflate_error e) noexcept {
  switch (e) {
    case inflate_error::none:
      return "none";
    case inflate_error::message_too_big:
      return "message_too_big";
    case inflate_error::corrupt_data:
      return "corrupt_data";
    case inflate_error::out_of_memory:
      return "out_of_memory";
  }
  return "unknown";
}

std::uint16_t inflate_error_close_code(inflate_error e) noexcept {
  switch (e) {
    case inflate_error::none:
      return 0;
    case inflate_error::message_too_big:
      return 1009;
    case inflate_error::corrupt_data:
      return 1007;
    case inflate_error::out_of_memory:
      return 1011;
  }
  return 1011;
}

// ------------------------------------------------------------- deflater ----

struct message_deflater::state {
  z_stream z{};
  int window_bits;
  bool no_context_takeover;

  state(int bits, bool no_context, int level) : no_context_takeover(no_context) {
    // zlib refuses 8 for raw deflate; 9 never reaches beyond 250 bytes back
    // (see deflate.hpp), so it is safe for an 8-bit receiver.
    window_bits = std::max(clamp_bits(bits), 9);
    const int rc =
        deflateInit2(&z, std::clamp(level, 0, 9), Z_DEFLATED, -window_bits, 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) throw std::bad_alloc();
  }
  ~state() { deflateEnd(&z); }
  state(const state&) = delete;
  state& operator=(const state&) = delete;
};

message_deflater::message_deflater(int window_bits, bool no_context_takeover, int level)
    : state_(std::make_unique<state>(window_bits, no_context_takeover, level)) {}
message_deflater::~message_deflater() = default;
message_deflater::message_deflater(message_deflater&&) noexcept = default;
message_deflater& message_deflater::operator=(message_deflater&&) noexcept = default;

int message_deflater::window_bits() const noexcept {
  return state_->window_bits;
}

void message_deflater::compress(std::span<const std::byte> piece, bool last, std::string& out) {
  z_stream& z = state_->z;
  const int flush = last ? Z_SYNC_FLUSH : Z_NO_FLUSH;
  const std::size_t start = out.size();
  do {
    const std::size_t slice = std::min(piece.size(), max_input_slice);
    z.next_in = as_bytef(piece.data());
    z.avail_in = static_cast<uInt>(slice);
    piece = piece.subspan(slice);
    const int slice_flush = piece.empty() ? flush : Z_NO_FLUSH;
    // Done when zlib consumed everything and had room to spare: with a
    // flush, only then is all of its output out (zlib's documented rule).
    for (;;) {
      const std::size_t old_size = out.size();
      out.resize(old_size + output_step);
      z.next_out = reinterpret_cast<Bytef*>(out.data() + old_size);
      z.avail_out = static_cast<uInt>(output_step);
      const int rc = deflate(&z, slice_flush);
      out.resize(old_size + output_step - z.avail_out);
      if (rc == Z_STREAM_ERROR) throw std::bad_alloc();  // a broken stream: unreachable
      if (z.avail_in == 0 && z.avail_out != 0) break;
    }
  } while (!piece.empty());
  if (!last) return;
  // A sync flush ends with an empty stored block, 00 00 ff ff, all of it
  // produced by this call: drop it (§7.2.1).
  const bool has_tail =
      out.size() - start >= 4 &&
      std::equal(out.end() - 4, out.end(), flush_tail,
                 [](char a, unsigned char b) { return static_cast<unsigned char>(a) == b; });
  if (has_tail) {
    out.resize(out.size() - 4);
  } else {
    // zlib emits nothing for a sync flush right after another one with no
    // input in between (an empty message after a message). An empty payload
    // would leave the receiver's appended 00 00 ff ff one byte short of a
    // stored block, so send that block's first byte, as §7.2.3.6 does.
    out += '\0';
  }
  if (state_->no_context_takeover) deflateReset(&z);
}

void message_deflater::compress(std::string_view piece, bool last, std::string& out) {
  compress(std::as_bytes(std::span(piece.data(), piece.size())), last, out);
}

std::string message_deflater::compress_message(std::string_view message) {
  std::string out;
  compress(message, true, out);
  return out;
}

// ------------------------------------------------------------- inflater ----

struct message_inflater::state {
  z_stream z{};
  int window_bits;
  bool no_context_takeover;
  std::uint64_t limit;
  std::uint64_t produced = 0;  // inflated bytes of the current message
  inflate_error failed = inflate_error::none;
  bool initialised = false;

  state(int bits, bool no_context, std::uint64_t max_bytes)
      : window_bits(clamp_bits(bits)), no_context_takeover(no_context), limit(max_bytes) {
    initialised = inflateInit2(&z, -window_bits) == Z_OK;
    if (!initialised) failed = inflate_error::out_of_memory;
  }
  ~state() {
    if (initialised) inflateEnd(&z);
  }
  state(const state&) = delete;
  state& operator=(const state&) = delete;

  // Inflates `size` bytes at `data` into `out`, within the message limit.
  inflate_error run(const unsigned char* data, std::size_t size, std::string& out) {
    while (true) {
      const std::size_t slice = std::min(size, max_input_slice);
      z.next_in = as_bytef(data);
      z.avail_in = static_cast<uInt>(slice);
      data += slice;
      size -= slice;
      if (inflate_error e = drain(out); e != inflate_error::none) return e;
      if (size == 0) return inflate_error::none;
    }
  }

  inflate_error drain(std::string& out) {
    for (;;) {
      // Room for at most one byte beyond the limit: enough to tell that the
      // message is too big without inflating (or allocating) any further.
      const std::uint64_t allowed = limit - produced;
      const std::size_t step =
          allowed >= output_step ? output_step : static_cast<std::size_t>(allowed) + 1;
      const std::size_t old_size = out.size();
      out.resize(old_size + step);
      z.next_out = reinterpret_cast<Bytef*>(out.data() + old_size);
      z.avail_out = static_cast<uInt>(step);
      const int rc = ::inflate(&z, Z_SYNC_FLUSH);
      const std::size_t got = step - z.avail_out;
      produced += got;
      if (produced > limit) {
        out.resize(old_size + got - static_cast<std::size_t>(produced - limit));
        return inflate_error::message_too_big;
      }
      out.resize(old_size + got);
      switch (rc) {
        case Z_STREAM_END:
          // A BFINAL block ended the stream (§7.2.3.4); anything after it,
          // such as the tail we append, starts a new one.
          inflateReset(&z);
          if (z.avail_in == 0) return inflate_error::none;
          continue;
        case Z_BUF_ERROR:  // no progress possible: all input used, nothing pending
          return inflate_error::none;
        case Z_OK:
          if (z.avail_in == 0 && z.avail_out != 0) return inflate_error::none;
          continue;
        case Z_MEM_ERROR:
          return inflate_error::out_of_memory;
        default:  // Z_DATA_ERROR, Z_NEED_DICT (no dictionary in raw deflate)
          return inflate_error::corrupt_data;
      }
    }
  }
};

message_inflater::message_inflater(int window_bits, bool no_context_takeover,
                                   std::uint64_t max_message_bytes)
    : state_(std::make_unique<state>(window_bits, no_context_takeover, max_message_bytes)) {}
message_inflater::~message_inflater() = default;
message_inflater::message_inflater(message_inflater&&) noexcept = default;
message_inflater& message_inflater::operator=(message_inflater&&) noexcept = default;

std::uint64_t message_inflater::max_message_bytes() const noexcept {
  return state_->limit;
}

void message_inflater::reset() {
  state& s = *state_;
  s.produced = 0;
  if (!s.initialised) {
    s.initialised = inflateInit2(&s.z, -s.window_bits) == Z_OK;
    s.failed = s.initialised ? inflate_error::none : inflate_error::out_of_memory;
    return;
  }
  inflateReset(&s.z);
  s.failed = inflate_error::none;
}

inflate_error message_inflater::inflate(std::span<const std::byte> piece, bool last,
                                        std::string& out) {
  state& s = *state_;
  if (s.failed != inflate_error::none) return s.failed;
  inflate_error e = s.run(reinterpret_cast<const unsigned char*>(piece.data()), piece.size(), out);
  if (e == inflate_error::none && last) e = s.run(flush_tail, sizeof flush_tail, out);
  if (e != inflate_error::none) {
    s.failed = e;
    return e;
  }
  if (last) {
    s.produced = 0;
    if (s.no_context_takeover) inflateReset(&s.z);
  }
  return inflate_error::none;
}

inflate_error message_inflater::inflate(std::string_view piece, bool last, std::string& out) {
  return inflate(std::as_bytes(std::span(piece.data(), piece.size())), last, out);
}

inflate_error message_inflater::inflate_message(std::string_view payload, std::string& out) {
  return inflate(payload, true, out);
}

// --------------------------------------------------------------- stream ----

deflate_stream deflate_stream::for_server(const deflate_params& p, std::uint64_t max_message_bytes,
                                          int level) {
  return deflate_stream(
      message_deflater(p.server_max_window_bits, p.server_no_context_takeover, level),
      message_inflater(p.client_max_window_bits, p.client_no_context_takeover, max_message_bytes));
}

deflate_stream deflate_stream::for_client(const deflate_params& p, std::uint64_t max_message_bytes,
                                          int level) {
  return deflate_stream(
      message_deflater(p.client_max_window_bits, p.client_no_context_takeover, level),
      message_inflater(p.server_max_window_bits, p.server_no_context_takeover, max_message_bytes));
}

}  // namespace httpcore::ws
