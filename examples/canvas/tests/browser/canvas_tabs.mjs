// Two headless Chromium tabs on two canvas instances (playwright-core driving
// Debian's chromium): a click in tab 1 must colour the same pixel in tab 2
// within one second. Prints one JSON line with what it saw; exits 1 on failure.
//
//   node canvas_tabs.mjs URL_A URL_B SCREENSHOT_DIR
import { chromium } from "playwright-core";

const [urlA, urlB, shots] = process.argv.slice(2);
const X = 100, Y = 50, COLOUR = 13;
const result = { ok: false };

// The pixel (X, Y) as the page's <canvas> draws it: [r, g, b].
const pixelAt = (page) =>
  page.evaluate(([x, y]) => Array.from(
      document.getElementById("board").getContext("2d").getImageData(x, y, 1, 1).data.slice(0, 3)),
    [X, Y]);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/lib/chromium/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
  timeout: 20000,
});
try {
  const context = await browser.newContext({ viewport: { width: 900, height: 950 } });
  const [tab1, tab2] = [await context.newPage(), await context.newPage()];
  await tab1.goto(urlA);
  await tab2.goto(urlB);
  for (const tab of [tab1, tab2]) {
    await tab.waitForFunction(() => document.getElementById("status").textContent === "connected",
                              null, { timeout: 5000 });
  }
  const palette = await tab1.evaluate(() => palette);
  const want = palette[COLOUR];
  result.before = await pixelAt(tab2);
  // Choose the colour, then click the pixel's centre (the canvas is scaled 3x).
  await tab1.click(`#colours button:nth-child(${COLOUR + 1})`);
  const box = await tab1.locator("#board").boundingBox();
  const clicked = Date.now();
  await tab1.mouse.click(box.x + (X + 0.5) * box.width / 256, box.y + (Y + 0.5) * box.height / 256);
  await tab2.waitForFunction(([x, y, w]) => {
    const d = document.getElementById("board").getContext("2d").getImageData(x, y, 1, 1).data;
    return d[0] === w[0] && d[1] === w[1] && d[2] === w[2];
  }, [X, Y, want], { timeout: 1000, polling: 10 }).catch(() => {});
  result.ms = Date.now() - clicked;
  result.tab2 = await pixelAt(tab2);
  result.tab1 = await pixelAt(tab1);
  result.want = want;
  await tab1.screenshot({ path: `${shots}/canvas_tab1.png` });
  await tab2.screenshot({ path: `${shots}/canvas_tab2.png` });
  result.ok = JSON.stringify(result.tab2) === JSON.stringify(want) &&
              JSON.stringify(result.tab1) === JSON.stringify(want) &&
              JSON.stringify(result.before) !== JSON.stringify(want) && result.ms <= 1000;
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
