#pragma once
// The canvas as a PNG image (libpng): 256 x 256, 4-bit palette.

#include <string>
#include <string_view>

namespace canvas {

/// Encodes `canvas` (65,536 palette indices, each below 16) as a PNG file's
/// bytes. Throws std::runtime_error with libpng's message if encoding fails.
std::string encode_png(std::string_view canvas);

}  // namespace canvas
