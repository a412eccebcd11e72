// acme and globex are served from one process, each in its own theme, with no script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchForErrors, signIn } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

async function visit(tenant) {
  const page = await chromium.browser.newPage({ javaScriptEnabled: false, viewport: { width: 1000, height: 700 } });
  const errors = watchForErrors(page);
  const requests = [];
  const fonts = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => { if (r.url().includes('/fonts/')) fonts.push([new URL(r.url()).host, r.status()]); });
  const response = await page.goto(server.site(tenant));
  assert.equal(response.status(), 200);
  const look = await page.evaluate(() => ({
    hero: getComputedStyle(document.querySelector('.hero')).backgroundColor,
    font: getComputedStyle(document.body).fontFamily,
    logo: document.querySelector('.site-logo').textContent,
  }));
  await page.evaluate(() => document.fonts.ready);
  const shot = await page.locator('.hero').screenshot();
  await page.close();
  assert.deepEqual(errors, []);
  assert.ok(!requests.some((u) => u.endsWith('.wasm') || u.endsWith('.js')), `no script loaded: ${requests}`);
  return { ...look, shot, fonts };
}

test('acme and globex render with different themes', async () => {
  const acme = await visit('acme');
  const globex = await visit('globex');
  assert.equal(acme.hero, 'rgb(225, 29, 72)');
  assert.equal(globex.hero, 'rgb(15, 118, 110)');
  assert.match(acme.font, /Georgia/);
  assert.match(globex.font, /monospace/);
  assert.equal(acme.logo, 'ACME');
  assert.equal(globex.logo, 'Globex');
  assert.ok(!acme.shot.equals(globex.shot), 'the themed regions look different');
  // Fonts come from the tenant's own host, not a third party.
  assert.ok(acme.fonts.length > 0, 'a font was loaded');
  for (const [host, status] of [...acme.fonts, ...globex.fonts]) {
    assert.match(host, /^(acme|globex)\.localhost:\d+$/);
    assert.equal(status, 200);
  }
});

test('the stylesheet and the dashboard\'s files are named by their content and cached for a year', async () => {
  const page = await chromium.browser.newPage({ javaScriptEnabled: false });
  await page.goto(server.site('acme'));
  const href = await page.locator('link[rel="stylesheet"]').getAttribute('href');
  assert.match(href, /^\/pkg\/bizosaas\.[A-Za-z0-9_-]{16,}\.css$/);
  const css = await page.goto(server.site('acme') + href);
  assert.equal(css.status(), 200);
  assert.equal(css.headers()['cache-control'], 'public, max-age=31536000, immutable');

  // The dashboard's sign-in page uses the same stylesheet, and hashed script and WASM.
  await page.goto(server.platform + '/login');
  assert.equal(await page.locator('link[rel="stylesheet"]').getAttribute('href'), href);
  // The app's script and the loader of the screens' chunks (`cargo leptos build --split`).
  const scripts = await page.locator('link[rel="modulepreload"]').evaluateAll((links) => links.map((l) => l.getAttribute('href')));
  const script = scripts.find((href) => href.startsWith('/pkg/bizosaas.'));
  const loader = scripts.find((href) => href.startsWith('/pkg/__wasm_split.'));
  // The app's WASM, and the chunks of this screen, asked for with the page.
  const preloads = await page.locator('link[rel="preload"][as="fetch"]').evaluateAll((links) => links.map((l) => l.getAttribute('href')));
  const wasm = preloads.find((href) => href.startsWith('/pkg/bizosaas.'));
  const chunk = preloads.find((href) => href.startsWith('/pkg/') && href !== wasm);
  assert.match(script, /^\/pkg\/bizosaas\.[A-Za-z0-9_-]{16,}\.js$/);
  assert.match(loader, /^\/pkg\/__wasm_split\.[A-Za-z0-9_-]{16,}\.js$/);
  assert.match(wasm, /^\/pkg\/bizosaas\.[A-Za-z0-9_-]{16,}\.wasm$/);
  assert.match(chunk, /^\/pkg\/[A-Za-z0-9_]+\.[A-Za-z0-9_-]{16,}\.wasm$/);
  for (const file of [script, loader, wasm, chunk]) {
    // Fetched as the page's own preload does (navigating to a .wasm starts a download).
    const response = await page.request.get(server.platform + file);
    assert.equal(response.status(), 200, file);
    assert.equal(response.headers()['cache-control'], 'public, max-age=31536000, immutable', file);
  }
  await page.close();
});

test('an unknown subdomain gets a clear 404 page', async () => {
  const page = await chromium.browser.newPage();
  const response = await page.goto(server.site('initech'));
  assert.equal(response.status(), 404);
  assert.equal(await page.textContent('h1'), 'Site not found');
  await page.close();
});

test('a contact form sent with JavaScript turned off creates a contact', async () => {
  const visitor = await chromium.browser.newPage({ javaScriptEnabled: false });
  await visitor.goto(server.site('globex'));
  await visitor.fill('input[name=name]', 'Grace Hopper');
  await visitor.fill('input[name=email]', 'grace@navy.example');
  await visitor.fill('textarea[name=message]', 'Do you install solar roofs?');
  await Promise.all([visitor.waitForNavigation(), visitor.click('.contact-form button[type=submit]')]);
  assert.equal(await visitor.textContent('h1'), 'Thank you');
  await visitor.close();

  const owner = await chromium.browser.newPage();
  await owner.goto(`${server.platform}/login`);
  await owner.waitForSelector('body[data-hydrated]');
  await owner.fill('input[name=email]', 'owner@globex.test');
  await owner.fill('input[name=password]', 'globex-demo-2026');
  await Promise.all([owner.waitForURL(`${server.platform}/t/globex/dashboard`), owner.click('button[type=submit]')]);
  await owner.goto(`${server.platform}/dashboard/contacts`);
  const contact = owner.locator('[data-testid=contact]').first();
  assert.match(await contact.textContent(), /Grace Hopper/);
  await contact.locator('summary').click();
  assert.match(await owner.textContent('[data-testid=submission]'), /Do you install solar roofs\?/);
  await owner.close();
});

test('the theme editor previews a colour, warns about contrast, and saves', async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  await page.goto(`${server.platform}/dashboard/settings`);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=save-theme]');
  await page.fill('input[aria-label=Primary]', '#123456');
  await page.press('input[aria-label=Primary]', 'Tab');
  await page.waitForFunction(() => document.querySelector('[data-testid=theme-preview]').srcdoc.includes('--color-primary:#123456'));
  await page.fill('input[aria-label=Text]', '#fefefe');
  await page.press('input[aria-label=Text]', 'Tab');
  await page.waitForSelector('[data-testid=contrast-warnings]');
  await page.fill('input[aria-label=Text]', '#111111');
  await page.press('input[aria-label=Text]', 'Tab');
  await page.waitForSelector('[data-testid=contrast-warnings]', { state: 'detached' });
  await page.click('[data-testid=save-theme]');
  await page.waitForSelector('[data-testid=theme-message]:has-text("Theme saved")');

  const visitor = await chromium.browser.newPage({ javaScriptEnabled: false });
  await visitor.goto(server.site('acme'));
  assert.match(await visitor.content(), /--color-primary:#123456/);
  assert.deepEqual(errors, []);
  await visitor.close();
  await context.close();
});

test('owners edit the navigation and the footer', async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  await page.goto(`${server.platform}/dashboard/settings`);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=save-settings]');
  await page.click('text=Add navigation link');
  const link = page.locator('fieldset:has-text("Navigation link 5")');
  await link.locator('input').nth(0).fill('Our story');
  await link.locator('input').nth(1).fill('/about');
  await page.fill('label:has-text("Footer text") textarea', 'Acme, since 1949.');
  await page.click('[data-testid=save-settings]');
  await page.waitForSelector('[data-testid=settings-message]:has-text("Saved")');

  const visitor = await chromium.browser.newPage({ javaScriptEnabled: false });
  await visitor.goto(server.site('acme'));
  assert.match(await visitor.innerHTML('nav.site-nav'), /href="\/about">Our story<\/a>/);
  assert.match(await visitor.innerHTML('footer'), /Acme, since 1949\./);
  assert.deepEqual(errors, []);
  await visitor.close();
  await context.close();
});
