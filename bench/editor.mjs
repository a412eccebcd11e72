// Measures the page editor with a 60-block page (`make bench-editor`): how long each
// keystroke takes to reach the screen (input event to the next frame), and how long a
// save takes (click to "Draft saved."). Uses the debug build the browser tests use.
import { startServer, launchBrowser, signIn, createLongPage } from '../end2end/server.mjs';

const server = await startServer();
const chromium = await launchBrowser();
try {
  const page = await chromium.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await signIn(page, server);
  const id = await createLongPage(page);

  const opened = Date.now();
  await page.goto(`${server.platform}/cms/pages/${id}`);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=block]').length === 60);
  const openMs = Date.now() - opened;

  // Typing lag: for each keystroke, from the input event to the next painted frame.
  await page.evaluate(() => {
    window.lags = [];
    document.addEventListener('input', (ev) => {
      const start = ev.timeStamp;
      requestAnimationFrame(() => requestAnimationFrame(() => window.lags.push(performance.now() - start)));
    }, true);
  });
  const field = page.locator('[data-testid=text-block]').nth(30);
  await field.click();
  await field.press('End');
  await page.keyboard.type(' and some more words typed one key at a time', { delay: 30 });
  await page.waitForTimeout(500);
  const lags = (await page.evaluate(() => window.lags)).sort((a, b) => a - b);
  const at = (q) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))].toFixed(1);

  // Save time: click to the confirmation.
  const saves = [];
  for (let i = 0; i < 5; i++) {
    await field.press('End');
    await page.keyboard.type('!');
    const started = Date.now();
    await page.click('[data-testid=save-draft]');
    await page.waitForSelector('[data-testid=save-state]:has-text("All changes saved")');
    saves.push(Date.now() - started);
  }
  saves.sort((a, b) => a - b);
  console.log(`60 blocks: editor open ${openMs} ms`);
  console.log(`typing, input to painted frame (${lags.length} keys): p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${lags[lags.length - 1].toFixed(1)} ms`);
  console.log(`save (click to saved, 5 saves): median ${saves[2]} ms, max ${saves[4]} ms`);
} finally {
  await chromium.close();
  await server.stop();
}
