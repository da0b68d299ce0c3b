#pragma once
// GET /: the page that draws the canvas, sets a pixel on a click and shows
// everyone's pixels live over /ws.

#include <string>

namespace canvas {

/// The page (HTML with its script and style), with the palette of palette.hpp.
std::string page_html();

}  // namespace canvas
