// One person, several businesses: they start another from the header's menu, then work in
// two tabs at once, one per business, and each tab's work lands in its own business.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, watchForErrors, signIn, RESULTS } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

// Opens the content list's Posts tab and creates a post by typing its title.
async function createPost(page, title) {
  await page.click('role=tab[name="Posts"]');
  await page.locator('input[name=new_title]').pressSequentially(title, { delay: 5 });
  await page.click('[data-testid=create]');
  await page.waitForURL(/\/cms\/posts\//);
  await page.waitForSelector('[data-testid=text-block]');
}

// The titles in the Posts tab after a reload, once `expected` is among them.
async function postTitles(page, expected) {
  await page.reload();
  await page.waitForSelector('body[data-hydrated]');
  await page.click('role=tab[name="Posts"]');
  await page.waitForSelector(`[data-testid=page-list] tbody tr >> text=${expected}`);
  return page.locator('[data-testid=page-list] tbody tr').allTextContents();
}

test('a person starts a second business and works in both, in two tabs at once', async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const acme = await context.newPage();
  const errors = watchForErrors(acme);
  await signIn(acme, server);
  assert.match(new URL(acme.url()).pathname, /^\/t\/acme\/dashboard$/);

  // The header's menu lists the businesses and offers another.
  await acme.click('[data-testid=account-menu]');
  const businesses = acme.locator('[data-testid=businesses]').first();
  assert.deepEqual(await businesses.locator('[data-testid=business-link] span.truncate').allTextContents(), ['Acme Corporation']);
  await businesses.getByText('Create another business').click();
  await acme.waitForURL('**/businesses/new');
  await acme.waitForSelector('body[data-hydrated]');
  await acme.locator('input[name=business]').pressSequentially('Roadrunner Rockets', { delay: 10 });
  assert.equal(await acme.inputValue('input[name=address]'), 'roadrunner-rockets');
  await acme.waitForFunction(() => document.querySelector('#address-note')?.textContent.includes('is free'));
  await acme.screenshot({ path: join(RESULTS, 'new-business.png') });
  await acme.click('button[type=submit]');
  // The same welcome wizard as after sign-up; this time it is skipped.
  await acme.waitForURL('**/t/roadrunner-rockets/dashboard/welcome');
  await acme.waitForSelector('body[data-hydrated]');
  await acme.click('[data-testid=skip]');
  await acme.waitForURL('**/t/roadrunner-rockets/dashboard');
  await acme.waitForSelector('[data-testid=dashboard-tenant]');
  assert.equal(await acme.textContent('[data-testid=dashboard-tenant]'), 'Roadrunner Rockets');
  assert.equal(await acme.textContent('[data-testid=tenant-name]'), 'Roadrunner Rockets');
  const rockets = acme; // this tab now works for the new business

  // A second tab on the first business; both stay open.
  const second = await context.newPage();
  const secondErrors = watchForErrors(second);
  await second.goto(`${server.platform}/t/acme/cms`);
  await second.waitForSelector('body[data-hydrated]');
  assert.equal(await second.textContent('[data-testid=tenant-name]'), 'Acme Corporation');

  await rockets.click('header nav >> text=Content');
  await rockets.waitForURL('**/t/roadrunner-rockets/cms');
  await createPost(rockets, 'Rockets for sale');
  await createPost(second, 'Anvils on offer');
  assert.match(new URL(rockets.url()).pathname, /^\/t\/roadrunner-rockets\/cms\/posts\//);
  assert.match(new URL(second.url()).pathname, /^\/t\/acme\/cms\/posts\//);

  await rockets.click('text=← All content');
  await second.click('text=← All content');
  const rocketPosts = (await postTitles(rockets, 'Rockets for sale')).join('\n');
  const acmePosts = (await postTitles(second, 'Anvils on offer')).join('\n');
  assert.match(rocketPosts, /Rockets for sale/);
  assert.doesNotMatch(rocketPosts, /Anvils on offer|Spring sale/);
  assert.match(acmePosts, /Anvils on offer/);
  assert.doesNotMatch(acmePosts, /Rockets for sale/);

  // The switcher opens the other business in place, marking the current one.
  await second.click('[data-testid=account-menu]');
  const switcher = second.locator('[data-testid=businesses]').first();
  assert.equal(await switcher.locator('[aria-current=page]').textContent(), 'Acme Corporationowner');
  await switcher.getByText('Roadrunner Rockets').click();
  await second.waitForURL('**/t/roadrunner-rockets/dashboard');
  await second.waitForSelector('[data-testid=dashboard-tenant]');
  assert.equal(await second.textContent('[data-testid=dashboard-tenant]'), 'Roadrunner Rockets');
  await second.screenshot({ path: join(RESULTS, 'switched-business.png') });

  // A business one is not part of answers like one that does not exist.
  const response = await second.goto(`${server.platform}/t/globex/dashboard`);
  assert.equal(response.status(), 404);
  assert.match(await second.textContent('h1'), /Business not found/);

  assert.deepEqual(errors.filter((e) => !e.includes('404')), []);
  assert.deepEqual(secondErrors.filter((e) => !e.includes('404')), []);
  await context.close();
});
