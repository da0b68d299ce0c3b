#include "png_image.hpp"

#include <png.h>

#include <stdexcept>
#include <vector>

#include "palette.hpp"

namespace canvas {
namespace {

struct sink {
  std::string bytes;
  std::string error;
};

extern "C" void on_write(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<sink*>(png_get_io_ptr(png));
  out->bytes.append(reinterpret_cast<const char*>(data), length);
}

extern "C" void on_flush(png_structp) {}

extern "C" void on_error(png_structp png, png_const_charp message) {
  auto* out = static_cast<sink*>(png_get_error_ptr(png));
  out->error = message;
  png_longjmp(png, 1);
}

// libpng reports errors by longjmp: nothing with a destructor lives in this
// frame between setjmp and the last libpng call (rows are made by the caller).
bool write_png(sink& out, png_bytepp rows, const png_color* entries) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &out, on_error, nullptr);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, &out, on_write, on_flush);
  png_set_IHDR(png, info, width, height, 4, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_PLTE(png, info, entries, canvas::colours);
  png_set_rows(png, info, rows);
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

std::string encode_png(std::string_view canvas) {
  if (canvas.size() != pixels) throw std::runtime_error("encode_png: not 65,536 pixels");
  // Two 4-bit pixels per byte, the left one in the high nibble (PNG's order).
  std::vector<png_byte> packed(pixels / 2);
  for (std::size_t i = 0; i < pixels; i += 2) {
    packed[i / 2] = static_cast<png_byte>(((canvas[i] & 0x0f) << 4) | (canvas[i + 1] & 0x0f));
  }
  std::vector<png_bytep> rows(height);
  for (int y = 0; y < height; ++y) rows[y] = packed.data() + std::size_t(y) * (width / 2);
  png_color entries[canvas::colours];
  for (int i = 0; i < canvas::colours; ++i) {
    entries[i] = {palette[i].r, palette[i].g, palette[i].b};
  }
  sink out;
  if (!write_png(out, rows.data(), entries)) {
    throw std::runtime_error("encode_png: " + (out.error.empty() ? "libpng failed" : out.error));
  }
  return std::move(out.bytes);
}

}  // namespace canvas
