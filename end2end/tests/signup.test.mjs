// A visitor becomes a customer: from the marketing site to "Start free", typing the form
// key by key, told as they type whether the site address is free, then the dashboard of
// their new business and its live site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, watchForErrors, RESULTS } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

// Typed key by key at the end of what the field holds, as a person who clicks into it.
const type = async (page, selector, text) => {
  const field = page.locator(selector);
  await field.click();
  await field.press('End');
  await field.pressSequentially(text, { delay: 10 });
};

test('a visitor signs up, answers the welcome wizard, builds the site and opens it', async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  // From the marketing site's home page, as a visitor finds it.
  await page.goto(server.platform);
  await page.locator('main a[href="/signup"]').first().click();
  await page.waitForURL('**/signup');
  await page.waitForSelector('body[data-hydrated]');

  await type(page, 'input[name=name]', 'Joe Baker');
  await type(page, 'input[name=email]', 'joe@bakery.test');
  await type(page, 'input[name=password]', 'short');
  assert.match(await page.textContent('#password-note'), /5 more characters/);
  await type(page, 'input[name=password]', ' violet anvil harbour');
  // The address follows the business name, and is checked once typing pauses.
  await type(page, 'input[name=business]', 'Acme');
  assert.equal(await page.inputValue('input[name=address]'), 'acme');
  await page.waitForFunction(() => document.querySelector('#address-note')?.textContent.includes('taken'));
  await type(page, 'input[name=business]', "'s Bakery");
  assert.equal(await page.inputValue('input[name=address]'), 'acmes-bakery');
  await page.waitForFunction(() => /acmes-bakery\.localhost is free/.test(document.querySelector('#address-note')?.textContent));
  // An address of one's own stops following the name.
  await page.fill('input[name=address]', '');
  await type(page, 'input[name=address]', 'www');
  await page.waitForFunction(() => document.querySelector('#address-note')?.textContent.includes('reserved'));
  await page.fill('input[name=address]', '');
  await type(page, 'input[name=address]', 'joes-bakery');
  await page.waitForFunction(() => document.querySelector('#address-note')?.textContent.includes('is free'));
  await type(page, 'input[name=business]', ' & Co');
  assert.equal(await page.inputValue('input[name=address]'), 'joes-bakery');
  // Nothing on the page scrolls sideways on a phone.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await page.screenshot({ path: join(RESULTS, 'signup-390.png'), fullPage: true });

  await page.click('button[type=submit]');
  await page.waitForURL('**/t/joes-bakery/dashboard/welcome', { timeout: 30_000 });
  await page.waitForSelector('[data-testid=business-step]');
  // The wizard's code comes in a chunk of its own: wait for it before clicking.
  await page.waitForSelector('body[data-hydrated]');
  assert.match(await page.textContent('h1'), /Let's set up Acme's Bakery & Co/);
  // The address is not verified yet: the page says what to do, and sends the link again.
  const banner = page.locator('[data-testid=verify-email]');
  assert.match(await banner.textContent(), /open the link we sent to joe@bakery\.test/);
  await banner.locator('button').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=verify-email]')?.textContent.includes('A new link is on its way'));

  // The wizard: an empty answer is refused, then the business in the owner's words.
  await page.click('text=Next: your look');
  await page.waitForSelector('[role=alert]:has-text("Tell us what your business sells")');
  await type(page, 'textarea[name=offer]', 'Sourdough bread and cardamom buns');
  await type(page, 'input[name=audience]', 'early risers in Leith');
  await page.check('input[name=kind][value=local]');
  await page.check('input[name=tone][value=playful]');
  await page.screenshot({ path: join(RESULTS, 'welcome-390.png'), fullPage: true });
  await page.click('text=Next: your look');
  await page.waitForSelector('[data-testid=to-build]');
  // Left mid-way and come back: the answers are kept.
  await page.reload();
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=to-build]');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  assert.equal(await page.inputValue('textarea[name=offer]'), 'Sourdough bread and cardamom buns');
  await page.click('text=Next: your look');
  await page.click('[data-testid=to-build]');
  await page.click('[data-testid=build]');
  await page.waitForSelector('[data-testid=site-live]', { timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=build-step]').count(), 6);
  assert.match(await page.textContent('[data-testid=build-steps]'), /From templates/);
  await page.screenshot({ path: join(RESULTS, 'site-built-390.png'), fullPage: true });

  const [site] = await Promise.all([context.waitForEvent('page'), page.click('[data-testid=site-link]')]);
  await site.waitForLoadState();
  assert.match(new URL(site.url()).host, /^joes-bakery\.localhost:/);
  assert.match(await site.textContent('h1'), /Sourdough bread and cardamom buns, but make it fun/);
  assert.match(await site.textContent('body'), /Acme's Bakery & Co/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a refused sign-up says why on the form', async () => {
  const page = await chromium.browser.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${server.platform}/signup`);
  await page.waitForSelector('body[data-hydrated]');
  await type(page, 'input[name=name]', 'Wile E.');
  await type(page, 'input[name=email]', 'owner@acme.test');
  await type(page, 'input[name=password]', 'password123');
  await type(page, 'input[name=business]', 'Coyote Supplies');
  await page.click('button[type=submit]');
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /too easy to guess/);
  await page.fill('input[name=password]', '');
  await type(page, 'input[name=password]', 'canyon rocket umbrella spring');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[role=alert]')?.textContent.includes('already exists'));
  assert.equal(new URL(page.url()).pathname, '/signup');
  // The two refusals are the answers the form shows; nothing else went wrong.
  assert.deepEqual(errors.filter((e) => !/status of (422|409)/.test(e)), []);
  await page.close();
});

test('without JavaScript the form still signs up, and a refusal comes back to the form', async () => {
  const context = await chromium.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const fill = async (values) => {
    for (const [name, value] of Object.entries(values)) await page.fill(`input[name=${name}]`, value);
  };
  const form = { name: 'Plain Shopper', email: 'plain@shop.test', business: 'Plain Shop', address: 'plain-shop' };
  await page.goto(`${server.platform}/signup`);
  await fill({ ...form, password: 'password123' });
  await page.click('button[type=submit]');
  await page.waitForSelector('[role=alert]');
  assert.equal(new URL(page.url()).pathname, '/signup');
  assert.match(await page.textContent('[role=alert]'), /too easy to guess/);
  await fill({ ...form, password: 'canyon rocket umbrella spring' });
  await page.click('button[type=submit]');
  await page.waitForURL('**/t/plain-shop/dashboard/welcome');
  const site = await context.newPage();
  assert.equal((await site.goto(server.site('plain-shop'))).status(), 200);
  await context.close();
});

test('from the sign-in page a new visitor finds the way to start free', async () => {
  const page = await chromium.browser.newPage();
  await page.goto(`${server.platform}/login`);
  await page.waitForSelector('body[data-hydrated]');
  await page.click('text=Start free');
  await page.waitForURL('**/signup');
  await page.close();
});
