// Ask the writer agent for a post, watch it work in the feed, approve the draft, and
// find it in the CMS as a draft (not on the site).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchForErrors, signIn } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

test('a drafted post waits for approval, then becomes a CMS draft', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  await page.goto(`${server.platform}/dashboard/approvals`);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=no-proposals]');
  assert.match(await page.textContent('[data-testid=drafting-status]'), /template drafter/);

  await page.fill('textarea[name=brief]', 'Three ways to keep an anvil from rusting');
  await page.click('button:has-text("Draft a post")');
  const card = page.locator('[data-testid=proposal]', { hasText: 'Three ways to keep an anvil from rusting' });
  await card.waitFor({ timeout: 30_000 });
  assert.match(await card.textContent(), /Drafted from a template/);
  await card.locator('summary').click();
  assert.match(await card.textContent(), /## Why it matters/);

  await card.locator('[data-testid=approve]').click();
  const decided = page.locator('[data-testid=decided] li', { hasText: 'Three ways to keep an anvil from rusting' });
  await decided.waitFor();
  assert.match(await decided.textContent(), /approved \(by Acme Corporation Owner\)/);
  await page.waitForSelector('[data-testid=no-proposals]');

  // Straight from the decision to the draft it made.
  await decided.locator('[data-testid=open-result]').click();
  await page.waitForURL(/\/cms\/posts\//);
  await page.waitForSelector('input[name=slug]');
  assert.equal(await page.inputValue('input[name=slug]'), 'three-ways-to-keep-an-anvil-from-rusting');

  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  await page.click('[role=tab]:has-text("Posts")');
  const row = page.locator('[data-testid=page-list] tr', { hasText: 'Three ways to keep an anvil from rusting' });
  await row.waitFor();
  assert.match(await row.textContent(), /Draft/);
  assert.deepEqual(errors, []);
  await context.close();
});
