#include "page.hpp"

#include <cstdio>

#include "palette.hpp"

namespace canvas {
namespace {

// The script keeps the canvas as an ImageData: a binary message replaces all
// of it (the snapshot on connect, and after a Redis outage), a text message
// {"x","y","c"} sets one pixel, {"error"} is shown under the canvas. It
// reconnects a second after the connection drops.
constexpr const char* head = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>httpcore canvas</title>
<style>
body { font-family: sans-serif; margin: 1em; background: #f4f4f4; }
#board { width: 768px; height: 768px; image-rendering: pixelated; cursor: crosshair;
         border: 1px solid #888; background: #fff; }
#colours button { width: 28px; height: 28px; border: 2px solid #fff; margin: 1px; }
#colours button.chosen { border-color: #000; }
#status { min-height: 1.3em; color: #444; }
</style></head><body>
<h1>httpcore canvas</h1>
<div id="colours"></div>
<p id="status">connecting...</p>
<canvas id="board" width="256" height="256"></canvas>
<script>
)HTML";

constexpr const char* script = R"JS(
const board = document.getElementById("board");
const g = board.getContext("2d");
const image = g.createImageData(256, 256);
const status = document.getElementById("status");
let chosen = 5, ws = null, pixels = 0;
function paint(i, c) {
  const [r, gr, b] = palette[c];
  image.data.set([r, gr, b, 255], i * 4);
}
for (let i = 0; i < palette.length; ++i) {
  const button = document.createElement("button");
  button.style.background = "rgb(" + palette[i].join(",") + ")";
  button.title = "colour " + i;
  button.onclick = () => {
    document.querySelectorAll("#colours button").forEach(b => b.classList.remove("chosen"));
    button.classList.add("chosen");
    chosen = i;
  };
  if (i === chosen) button.classList.add("chosen");
  document.getElementById("colours").appendChild(button);
}
board.addEventListener("click", e => {
  const box = board.getBoundingClientRect();
  const x = Math.floor((e.clientX - box.left) * 256 / box.width);
  const y = Math.floor((e.clientY - box.top) * 256 / box.height);
  if (ws && ws.readyState === 1 && x >= 0 && x < 256 && y >= 0 && y < 256)
    ws.send(JSON.stringify({x: x, y: y, c: chosen}));
});
function connect() {
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
  ws.binaryType = "arraybuffer";
  ws.onmessage = e => {
    if (typeof e.data !== "string") {
      const all = new Uint8Array(e.data);
      for (let i = 0; i < all.length; ++i) paint(i, all[i] & 15);
      status.textContent = "connected";
    } else {
      const m = JSON.parse(e.data);
      if (m.error !== undefined) {
        status.textContent = m.error + (m.retry_ms !== undefined ? " (" + m.retry_ms + " ms)" : "");
        return;
      }
      paint(m.y * 256 + m.x, m.c);
      ++pixels;
    }
    g.putImageData(image, 0, 0);
    document.body.dataset.updates = pixels;
  };
  ws.onclose = () => { status.textContent = "disconnected; reconnecting"; setTimeout(connect, 1000); };
}
connect();
</script></body></html>
)JS";

}  // namespace

std::string page_html() {
  std::string html = head;
  html += "const palette = [";
  for (const rgb& c : palette) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "[%d,%d,%d],", c.r, c.g, c.b);
    html += entry;
  }
  html += "];";
  html += script;
  return html;
}

}  // namespace canvas
