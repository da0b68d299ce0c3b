// compression(): gzip (zlib) or br (libbrotli) chosen by Accept-Encoding,
// applied through the reply's body transform, piece by piece.

#include <brotli/encode.h>
#include <zlib.h>

#include <stdexcept>

#include "accept_encoding.hpp"
#include "httpcore/app/middleware.hpp"
#include "httpcore/ascii.hpp"
#include "httpcore/ws/extensions.hpp"  // ascii_iequals

namespace httpcore::app {
namespace {

enum class coding { none, gzip, br };

// The coding with the highest q among br and gzip (br on a tie); none when
// neither is acceptable (src/accept_encoding.hpp reads the field).
coding choose_coding(std::string_view accept) {
  detail::encoding_weights w = detail::accept_encoding_weights(accept);
  if (w.br <= 0 && w.gzip <= 0) return coding::none;
  return w.br >= w.gzip ? coding::br : coding::gzip;
}

bool compressible(std::string_view type) {
  std::string_view t = trim_ows(type.substr(0, type.find(';')));
  auto starts = [&](std::string_view p) {
    return t.size() >= p.size() && ws::ascii_iequals(t.substr(0, p.size()), p);
  };
  auto ends = [&](std::string_view p) {
    return t.size() >= p.size() && ws::ascii_iequals(t.substr(t.size() - p.size()), p);
  };
  return starts("text/") || ends("/json") || ends("+json") || ends("/javascript") || ends("/xml") ||
         ends("+xml") || starts("image/svg+xml");
}

class gzip_transform final : public body_transform {
 public:
  explicit gzip_transform(int level) {
    if (deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("deflateInit2 failed");
  }
  ~gzip_transform() override { deflateEnd(&z_); }
  // Each piece is flushed (Z_SYNC_FLUSH): a streamed body reaches the client
  // as it is written, at a small cost in ratio.
  std::string write(std::string_view piece) override { return run(piece, Z_SYNC_FLUSH); }
  std::string finish() override { return run({}, Z_FINISH); }

 private:
  std::string run(std::string_view in, int flush) {
    std::string out;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    char buf[16384];
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = sizeof buf;
      int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) throw std::runtime_error("deflate failed");
      out.append(buf, sizeof buf - z_.avail_out);
    } while (z_.avail_out == 0 || z_.avail_in > 0);
    return out;
  }
  z_stream z_{};
};

class brotli_transform final : public body_transform {
 public:
  explicit brotli_transform(int quality)
      : s_(BrotliEncoderCreateInstance(nullptr, nullptr, nullptr)) {
    if (s_ == nullptr) throw std::runtime_error("BrotliEncoderCreateInstance failed");
    BrotliEncoderSetParameter(s_, BROTLI_PARAM_QUALITY, static_cast<std::uint32_t>(quality));
    BrotliEncoderSetParameter(s_, BROTLI_PARAM_LGWIN, 18);  // a 256 KiB window bounds memory
  }
  ~brotli_transform() override { BrotliEncoderDestroyInstance(s_); }
  std::string write(std::string_view piece) override { return run(piece, BROTLI_OPERATION_FLUSH); }
  std::string finish() override { return run({}, BROTLI_OPERATION_FINISH); }

 private:
  std::string run(std::string_view in, BrotliEncoderOperation op) {
    std::string out;
    std::size_t avail_in = in.size();
    const auto* next_in = reinterpret_cast<const std::uint8_t*>(in.data());
    for (;;) {
      std::size_t avail_out = 0;
      if (!BrotliEncoderCompressStream(s_, op, &avail_in, &next_in, &avail_out, nullptr, nullptr))
        throw std::runtime_error("brotli compression failed");
      std::size_t size = 0;
      const std::uint8_t* bytes = BrotliEncoderTakeOutput(s_, &size);
      out.append(reinterpret_cast<const char*>(bytes), size);
      bool done = op == BROTLI_OPERATION_FINISH ? BrotliEncoderIsFinished(s_)
                                                : avail_in == 0 && !BrotliEncoderHasMoreOutput(s_);
      if (done) break;
    }
    return out;
  }
  BrotliEncoderState* s_;
};

}  // namespace

middleware compression(compression_options o) {
  return [o](context& c, const next_step& next) {
    coding chosen = choose_coding(c.header("Accept-Encoding"));
    if (chosen != coding::none) {
      c.res.on_head([o, chosen](reply_head& h) {
        if (h.status < 200 || h.status == 204 || h.status == 206 || h.status == 304) return;
        if (h.find("Content-Encoding") != nullptr) return;
        const std::string* type = h.find("Content-Type");
        if (type == nullptr || !compressible(*type)) return;
        if (h.length && *h.length < o.min_bytes) return;
        if (chosen == coding::br) {
          h.transform = std::make_unique<brotli_transform>(o.brotli_quality);
          h.set("Content-Encoding", "br");
        } else {
          h.transform = std::make_unique<gzip_transform>(o.gzip_level);
          h.set("Content-Encoding", "gzip");
        }
        if (std::string* vary = h.find("Vary")) {
          *vary += ", Accept-Encoding";
        } else {
          h.set("Vary", "Accept-Encoding");
        }
      });
    }
    next();
  };
}

}  // namespace httpcore::app
