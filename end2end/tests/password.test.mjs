// A forgotten password: from the sign-in page to a link (read from the server's log, as a
// person running it without a mail server would), a new password, and the dashboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, watchForErrors, RESULTS } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

test('a forgotten password is replaced through the emailed link, and the old one stops working', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${server.platform}/login`);
  await page.waitForSelector('body[data-hydrated]');
  await page.click('text=Forgot your password?');
  await page.waitForURL('**/reset-password');
  await page.waitForSelector('body[data-hydrated]');
  await page.locator('input[name=email]').pressSequentially('owner@acme.test', { delay: 10 });
  await page.click('button[type=submit]');
  await page.waitForSelector('[role=status]');
  assert.match(await page.textContent('[role=status]'), /If owner@acme\.test has an account, a link .* is on its way/);

  let link;
  for (let i = 0; i < 50 && !link; i++) {
    link = server.log().match(/https?:\/\/[^\s"]+\/reset-password\?token=[0-9a-f]+/)?.[0];
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(link, 'the link is in the log');
  await page.goto(`${server.platform}${new URL(link).pathname}${new URL(link).search}`);
  await page.waitForSelector('body[data-hydrated]');
  assert.match(await page.textContent('h1'), /Choose a new password/);
  await page.locator('input[name=password]').pressSequentially('saffron kettle meadow drum', { delay: 5 });
  await page.click('button[type=submit]');
  await page.waitForURL('**/dashboard');
  await page.waitForSelector('[data-testid=dashboard-tenant]');
  assert.equal(await page.textContent('[data-testid=dashboard-tenant]'), 'Acme Corporation');
  assert.deepEqual(errors, []);

  // The old password no longer signs in.
  const other = await chromium.browser.newPage();
  await other.goto(`${server.platform}/login`);
  await other.waitForSelector('body[data-hydrated]');
  await other.fill('input[name=email]', 'owner@acme.test');
  await other.fill('input[name=password]', 'acme-demo-2026');
  await other.click('button[type=submit]');
  await other.waitForSelector('[role=alert]');
  assert.match(await other.textContent('[role=alert]'), /Wrong email or password/);
  await other.close();
  await context.close();
});

test('a person changes their password on their account page and other devices are signed out', async () => {
  const laptop = await chromium.browser.newContext();
  const laptopPage = await laptop.newPage();
  await signInAs(laptopPage, 'owner@globex.test', 'globex-demo-2026');

  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signInAs(page, 'owner@globex.test', 'globex-demo-2026');
  await page.click('[data-testid=account-menu]');
  await page.click('text=Your account');
  await page.waitForURL('**/account');
  // Both browsers are listed where the account is signed in, this one marked.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=sign-in]').length === 2);
  assert.match(await page.textContent('[data-testid=sign-ins]'), /this browser/);
  const form = page.locator('[data-testid=change-password]');
  await form.locator('input[name=current]').pressSequentially('globex-demo-2026', { delay: 5 });
  await form.locator('input[name=password]').pressSequentially('copper lantern orchard wave', { delay: 5 });
  await page.click('button:has-text("Change password")');
  await page.waitForSelector('[role=status]');
  assert.match(await page.textContent('[role=status]'), /Your password is changed/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=sign-in]').length === 1);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(RESULTS, 'account-390.png'), fullPage: true });
  // This device stays signed in; the laptop is sent to sign in again.
  await page.reload();
  await page.waitForSelector('body[data-hydrated]');
  assert.match(await page.textContent('h1'), /Your account/);
  await laptopPage.goto(`${server.platform}/t/globex/dashboard`);
  await laptopPage.waitForURL('**/login?next=%2Ft%2Fglobex%2Fdashboard');
  await laptopPage.waitForSelector('input[name=password]');
  assert.deepEqual(errors, []);
  await laptop.close();
  await context.close();
});

async function signInAs(page, email, password) {
  await page.goto(`${server.platform}/login`);
  await page.waitForSelector('body[data-hydrated]');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL('**/dashboard'), page.click('button[type=submit]')]);
  await page.waitForSelector('body[data-hydrated]');
}
