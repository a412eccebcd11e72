// Every screen of the dashboard and CMS (and the demo sites), at desktop and phone width,
// as a person would first see it: no sideways scrolling, no console error, no text that
// looks like source code, and no serious accessibility problem (axe-core). A screenshot of
// each is written to end2end/test-results/ for a reviewer to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, watchForErrors, RESULTS } from '../server.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [1280, 390];
// Text that only a template leaking into the page would show.
const SOURCE_CODE = /=>|move \||\.update\(|\bon:click\b|\bprop:value\b/;
// Instructions for whoever runs the server, which a client can do nothing with.
const OPERATOR_TALK = /BIZOSAAS_[A-Z_]+|docs\/[a-z-]+\.md/;

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); mkdirSync(RESULTS, { recursive: true }); });
after(async () => { await chromium?.close(); await server?.stop(); });

// The signed-in screens, including one editor of each kind (their ids are read from the
// CMS's own server functions, as the list page does).
async function appScreens(page) {
  const list = async (endpoint) => page.evaluate(async (endpoint) => {
    const response = await fetch(`/api/cms/${endpoint}`, { method: 'POST' });
    return response.json();
  }, endpoint);
  const about = (await list('pages')).find((p) => p.slug === 'about');
  const post = (await list('posts'))[0];
  const product = (await list('products'))[0];
  return [
    ['dashboard', '/dashboard'],
    ['activity', '/dashboard/activity'],
    ['approvals', '/dashboard/approvals'],
    ['contacts', '/dashboard/contacts'],
    ['settings', '/dashboard/settings'],
    ['team', '/dashboard/team'],
    ['new-business', '/businesses/new'],
    ['account', '/account'],
    ['content', '/cms'],
    ['media', '/cms/media'],
    ['audit', '/cms/audit'],
    ['page-editor', `/cms/pages/${about.id}`],
    ['post-editor', `/cms/posts/${post.id}`],
    ['product-editor', `/cms/products/${product.id}`],
    ['agent-api', '/docs/agent-api'],
  ];
}

// What is wrong with the screen as shown now, in sentences.
async function inspect(page, name, width, errors) {
  const problems = [];
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}.${[...el.classList].slice(0, 3).join('.')}`)
      .slice(0, 5);
    return `${document.documentElement.scrollWidth}px wide (${wide.join(', ')})`;
  });
  if (overflow) problems.push(`scrolls sideways: ${overflow}`);
  const text = await page.evaluate(() => document.body.innerText);
  const leaked = text.match(SOURCE_CODE);
  if (leaked) problems.push(`shows source code: …${text.slice(Math.max(0, leaked.index - 40), leaked.index + 40)}…`);
  const operator = text.match(OPERATOR_TALK);
  if (operator) problems.push(`tells a client to configure the server: …${text.slice(Math.max(0, operator.index - 40), operator.index + 40)}…`);
  for (const error of errors.splice(0)) problems.push(`console error: ${error}`);
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => {
        const contrast = n.any?.[0]?.data?.contrastRatio;
        const detail = contrast ? ` ${contrast}:1 ${n.any[0].data.fgColor} on ${n.any[0].data.bgColor}` : '';
        return `${n.target.join(' ')} «${n.html.slice(0, 90)}»${detail}`;
      }).join(' | ')}`);
  });
  for (const v of violations) problems.push(`accessibility: ${v}`);
  await page.screenshot({ path: join(RESULTS, `${name}-${width}.png`), fullPage: true });
  return problems.map((p) => `${name} at ${width}px ${p}`);
}

// The page has drawn what it loads: hydrated, and no "Loading …" left.
async function settle(page, hydrated) {
  if (hydrated) await page.waitForSelector('body[data-hydrated]');
  await page.waitForFunction(() => !/Loading [^\n]*…/.test(document.body.innerText), null, { timeout: 15_000 }).catch(() => {});
  await page.waitForTimeout(300);
}

test('every dashboard and CMS screen fits, reads as words, and passes axe at 1280 and 390 px', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(err.message));
  const problems = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const name of ['login', 'signup', 'reset-password']) {
      await page.goto(`${server.platform}/${name}`);
      await settle(page, true);
      problems.push(...await inspect(page, name, width, errors));
    }
  }
  await signIn(page, server);
  for (const [name, path] of await appScreens(page)) {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.platform}${path}`);
      await settle(page, true);
      problems.push(...await inspect(page, name, width, errors));
    }
  }
  await context.close();
  assert.deepEqual(problems, []);
});

test('the demo sites fit, load no script, and pass axe at 1280 and 390 px', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  const problems = [];
  const screens = [
    ['marketing-home', server.platform],
    ['acme-home', server.site('acme')],
    ['acme-products', `${server.site('acme')}/products`],
    ['acme-product', `${server.site('acme')}/products/classic-anvil`],
    ['acme-blog', `${server.site('acme')}/blog`],
    ['globex-home', server.site('globex')],
    ['globex-products', `${server.site('globex')}/products`],
  ];
  for (const [name, url] of screens) {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(url);
      // Sites work without JavaScript: they bring none (axe is added by the test).
      const scripts = await page.evaluate(() => [...document.scripts].filter((s) => s.type !== 'application/ld+json').length);
      if (scripts) problems.push(`${name} loads ${scripts} script(s)`);
      problems.push(...await inspect(page, name, width, errors));
    }
  }
  await context.close();
  assert.deepEqual(problems, []);
});

test('the navigation fits at every width: groups side by side on desktop, a menu on phones', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  await signIn(page, server);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.platform}/dashboard/activity`);
  await settle(page, true);
  // One line: every link of the bar sits at the same height, inside the header.
  const tops = await page.$$eval('header nav[aria-label=Main] a', (links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
  assert.ok(tops.length >= 8, `${tops.length} links`);
  assert.equal(new Set(tops).size, 1, `links on one line: ${tops}`);
  assert.equal(await page.getAttribute('header nav a[href="/t/acme/dashboard/activity"]', 'aria-current'), 'page');

  await page.setViewportSize({ width: 390, height: 800 });
  await page.click('[data-testid=menu-button]');
  await page.waitForSelector('[data-testid=main-menu]');
  for (const label of ['Contacts', 'Settings', 'Sign out']) {
    assert.ok(await page.locator('[data-testid=main-menu]').getByText(label, { exact: true }).isVisible(), label);
  }
  await page.locator('[data-testid=main-menu]').getByText('Contacts', { exact: true }).click();
  await page.waitForURL(`${server.platform}/t/acme/dashboard/contacts`);
  assert.equal(await page.locator('[data-testid=main-menu]').count(), 0, 'the menu closes after choosing');
  await context.close();
});

test('long lists page with a working pager whose buttons read as words', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  await signIn(page, server);
  // 3 demo posts + 20 more: two pages of 20.
  await page.evaluate(async () => {
    for (let n = 1; n <= 20; n++) {
      const content = { title: `Note ${n}`, excerpt: '', body: 'Words.', tags: [], author: '' };
      const response = await fetch('/api/cms/create_post', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ slug: `note-${n}`, content }),
      });
      if (!response.ok) throw new Error(await response.text());
    }
  });
  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  await page.click('[role=tab]:has-text("Posts")');
  const pager = page.locator('[data-testid=pager]');
  await pager.waitFor();
  assert.deepEqual(await pager.locator('button').allTextContents(), ['← Previous', 'Next →']);
  assert.equal(await pager.locator('[data-testid=pager-position]').textContent(), 'Page 1 of 2');
  assert.equal(await page.locator('[data-testid=page-list] tbody tr').count(), 20);
  await pager.getByText('Next →').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=pager-position]')?.textContent === 'Page 2 of 2');
  assert.equal(await page.locator('[data-testid=page-list] tbody tr').count(), 3);
  assert.equal(await pager.getByText('Next →').isDisabled(), true);
  assert.doesNotMatch(await page.evaluate(() => document.body.innerText), SOURCE_CODE);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the dashboard reads as one product: Inter, a skip link first, visits on a dated chart', async () => {
  // A visit to acme's site, so the chart has something to show.
  const visitor = await chromium.browser.newPage({ javaScriptEnabled: false });
  await visitor.goto(server.site('acme'));
  await visitor.close();
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  await signIn(page, server);
  assert.match(await page.evaluate(() => getComputedStyle(document.body).fontFamily), /^"?Inter/);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');

  await page.waitForSelector('[data-testid=chart]');
  // Other tests of this file visited the sites too: the words must fit the numbers.
  const views = Number(await page.textContent('[data-testid=total-views]'));
  const visitors = Number(await page.textContent('[data-testid=total-visitors]'));
  assert.ok(views >= 1 && visitors >= 1, `${views} views, ${visitors} visitors`);
  const words = `${views} ${views === 1 ? 'page view' : 'page views'} · ${visitors} ${visitors === 1 ? 'visitor' : 'visitors'} (each counted once a day)`;
  assert.equal(await page.locator('[data-testid=total-views]').locator('..').innerText(), words);
  const axis = await page.locator('[data-testid=chart-axis] span').allTextContents();
  assert.equal(axis.length, 3);
  for (const day of axis) assert.match(day, /^\d{4}-\d\d-\d\d$/);
  assert.match(await page.locator('[data-testid=chart]').innerText(), /\d+ views?\b/);
  await context.close();
});

test('the demo shop looks stocked: pictures load, two columns on phones, globex sells too', async () => {
  const page = await chromium.browser.newPage({ javaScriptEnabled: false, viewport: { width: 390, height: 800 } });
  await page.goto(`${server.site('acme')}/products`);
  const pictures = page.locator('.product-card img');
  assert.equal(await pictures.count(), 4);
  for (let n = 0; n < 4; n++) {
    assert.ok(await pictures.nth(n).evaluate((img) => img.complete && img.naturalWidth > 0), `picture ${n} loads`);
  }
  const tops = await page.$$eval('.product-card', (cards) => cards.map((c) => Math.round(c.getBoundingClientRect().top)));
  assert.equal(tops[0], tops[1], 'two cards side by side on a phone');
  await page.goto(`${server.site('acme')}/products/classic-anvil`);
  assert.equal((await page.innerText('main')).split('Classic anvil').length - 1, 1, 'the name once');
  await page.goto(`${server.site('globex')}/products`);
  assert.ok(await page.locator('.product-card').count() >= 3, 'globex has products');
  await page.close();
});

test('the dashboard opens without any other screen\'s code; a page opened from the CMS fetches the editors\' then', async () => {
  const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(page, server);
  const fetched = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) fetched.push(new URL(r.url()).pathname); });
  await page.goto(`${server.platform}/dashboard`);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=feed-connection]');
  // The main module alone: no other screen's chunk, nor a chunk of code they share.
  assert.deepEqual(fetched.filter((p) => !/\/pkg\/bizosaas\./.test(p)), [], 'the dashboard asked for another screen\'s code');

  // As a person gets there: Content in the navigation, then a page of the list.
  await page.click('nav a:has-text("Content")');
  await page.waitForSelector('a[href*="/cms/pages/"]');
  await page.locator('a[href*="/cms/pages/"]').first().click();
  await page.waitForSelector('[data-testid=block]');
  assert.ok(fetched.some((p) => /split_editor_screens_/.test(p)), fetched.join('\n'));
  // And it works: the title field takes typing.
  const title = page.locator('input[name=title]').first();
  await title.click();
  await title.press('End');
  await page.keyboard.type(' again');
  assert.match(await title.inputValue(), / again$/);
  await page.close();
});

test('clicking through the navigation faster than screens load shows the screen of the address', async () => {
  const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForErrors(page);
  await signIn(page, server);
  // A slow line for the code of Team and Activity (one chunk): Content is chosen before
  // it arrives. Three clicks: the first cancelled one used to keep the third from
  // cancelling the second, whose screen then replaced Content's.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/split_workspace_screens_/, async (route) => { await held; await route.continue(); });
  await page.click('header nav a:has-text("Team")');
  // While it is on its way, a bar says so and the screen before stays.
  await page.waitForSelector('[data-testid=screen-progress]');
  assert.equal(await page.title(), 'Dashboard · BizOSaaS');
  await page.click('header nav a:has-text("Activity")');
  await page.click('header nav a:has-text("Content")');
  await page.waitForURL('**/t/acme/cms');
  await page.waitForSelector('[data-testid=search]');
  // The Activity screen's code arrives after Content is shown; it must not replace it.
  const arrived = page.waitForResponse(/split_workspace_screens_/);
  assert.ok(await page.locator('[data-testid=screen-progress]').isHidden(), 'no progress bar once the screen is there');
  release();
  await arrived;
  await page.waitForTimeout(1000);
  assert.equal(new URL(page.url()).pathname, '/t/acme/cms');
  assert.equal(await page.title(), 'Content · BizOSaaS');
  assert.ok(await page.locator('[data-testid=search]').isVisible(), 'the Content screen is shown');
  assert.equal(await page.getAttribute('header nav a:has-text("Content")', 'aria-current'), 'page');
  assert.deepEqual(errors, []);
  await page.close();
});
