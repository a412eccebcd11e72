// The dashboard's first load as a new visitor on a slow line gets it (`make bench-dashboard`):
// release build, Chromium's network throttled to 10 Mbps down / 40 ms latency, nothing
// cached. Prints the WASM and JS bytes sent (as compressed on the wire) and the time until
// the feed is live and interactive; then the same for the page editor with 60 blocks.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
// The release build; server.mjs reads this when it is loaded.
process.env.BIZOSAAS_BIN ??= join(ROOT, 'target/release/bizosaas');
const { startServer, launchBrowser, signIn, createLongPage } = await import('../end2end/server.mjs');
const PKG = join(ROOT, 'target/site/pkg');
const THROTTLE = {
  offline: false,
  latency: 40,
  downloadThroughput: (10 * 1000 * 1000) / 8,
  uploadThroughput: (5 * 1000 * 1000) / 8,
};

// A release server writes brotli copies at start-up; measure what it serves once they exist.
async function precompressed() {
  const built = readdirSync(PKG).filter((f) => /\.(wasm|js)$/.test(f));
  for (let i = 0; i < 600 && !built.every((f) => existsSync(join(PKG, `${f}.br`))); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Opens `url` in a fresh context (empty cache) with `cookies`, throttled; resolves when
// `ready` holds in the page. Returns the time taken and the bytes of WASM and JS received.
async function coldLoad(browser, cookies, url, ready) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addCookies(cookies);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  const urls = new Map();
  const bytes = { wasm: 0, js: 0, files: 0 };
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const kind = (urls.get(e.requestId) ?? '').match(/\.(wasm|js)$/)?.[1];
    if (kind) {
      bytes[kind] += e.encodedDataLength;
      bytes.files += 1;
    }
  });
  const started = Date.now();
  await page.goto(url);
  await page.waitForFunction(ready, null, { timeout: 120_000, polling: 20 });
  const ms = Date.now() - started;
  await context.close();
  return { ms, ...bytes };
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const report = (what, r) =>
  console.log(`${what}: ${r.ms} ms; WASM ${kb(r.wasm)} + JS ${kb(r.js)} = ${kb(r.wasm + r.js)} on the wire in ${r.files} files`);

const server = await startServer();
const chromium = await launchBrowser();
try {
  await precompressed();
  const page = await chromium.browser.newPage();
  await signIn(page, server);
  const id = await createLongPage(page);
  const cookies = await page.context().cookies();
  await page.close();

  const feedLive = () => document.body.hasAttribute('data-hydrated')
    && document.querySelector('[data-testid=feed-connection]')?.textContent.includes('Live');
  const editorReady = () => document.body.hasAttribute('data-hydrated')
    && document.querySelectorAll('[data-testid=block]').length === 60;
  for (let run = 1; run <= 3; run++) {
    report(`run ${run}, dashboard until the feed is live`, await coldLoad(chromium.browser, cookies, `${server.platform}/t/acme/dashboard`, feedLive));
    report(`run ${run}, page editor (60 blocks) until interactive`, await coldLoad(chromium.browser, cookies, `${server.platform}/t/acme/cms/pages/${id}`, editorReady));
  }
} finally {
  await chromium.close();
  await server.stop();
}
