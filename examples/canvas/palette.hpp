#pragma once
// The canvas's size and its 16 colours: the one place both are defined (the
// page's JavaScript and the PNG encoder take them from here).

#include <array>
#include <cstddef>
#include <cstdint>

namespace canvas {

inline constexpr int width = 256;
inline constexpr int height = 256;
inline constexpr std::size_t pixels = std::size_t{width} * height;  // 65,536
inline constexpr int colours = 16;

struct rgb {
  std::uint8_t r, g, b;
};

// Index 0 is the colour of a pixel nobody set.
inline constexpr std::array<rgb, colours> palette{{
    {255, 255, 255},
    {228, 228, 228},
    {136, 136, 136},
    {34, 34, 34},
    {255, 167, 209},
    {229, 0, 0},
    {229, 149, 0},
    {160, 106, 66},
    {229, 217, 0},
    {148, 224, 68},
    {2, 190, 1},
    {0, 211, 221},
    {0, 131, 199},
    {0, 0, 234},
    {207, 110, 228},
    {130, 0, 128},
}};

// One pixel set: coordinates and palette index, all checked in range.
struct pixel {
  std::uint8_t x = 0, y = 0, c = 0;
  std::size_t index() const noexcept { return std::size_t{y} * width + x; }
};

}  // namespace canvas
