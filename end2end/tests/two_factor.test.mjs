// Two-factor sign-in as a person sets it up: from their account page, type the key into
// an authenticator app (computed here as the app would), save the recovery codes, then
// sign in on another browser with the password and a code; an owner requires it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { startServer, launchBrowser, watchForErrors, signIn, RESULTS, ACME } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

/// The authenticator app: RFC 6238 codes (HMAC-SHA1, six digits, 30 s) from a base32 key.
function code(key, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const secret = [];
  for (const c of key.replace(/\s/g, '').toUpperCase()) {
    value = ((value << 5) | alphabet.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) { secret.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const hash = createHmac('sha1', Buffer.from(secret)).update(counter).digest();
  const offset = hash[hash.length - 1] & 15;
  return String((hash.readUInt32BE(offset) & 0x7fffffff) % 1e6).padStart(6, '0');
}

test('a person turns on two-factor, saves the codes, and signs in with a code', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  await page.click('[data-testid=account-menu]');
  await page.click('text=Your account');
  await page.waitForURL('**/account');
  await page.waitForSelector('[data-testid=two-factor-summary]');
  assert.match(await page.textContent('[data-testid=two-factor-summary]'), /^Off/);
  await page.click('text=Set up two-factor sign-in');
  await page.waitForURL('**/account/two-factor');
  await page.waitForSelector('body[data-hydrated]');

  // A wrong password is a sentence on the form; the right one shows the QR code.
  const password = page.locator('input[name=password]');
  await password.pressSequentially('not my password', { delay: 5 });
  await page.click('button:has-text("Set up two-factor sign-in")');
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /current password is not that one/);
  await password.fill('');
  await password.pressSequentially(ACME.password, { delay: 5 });
  await page.click('button:has-text("Set up two-factor sign-in")');
  await page.waitForSelector('[data-testid=two-factor-qr] svg');
  const key = (await page.textContent('[data-testid=two-factor-key]')).trim();
  assert.match(key, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(RESULTS, 'two-factor-scan-390.png'), fullPage: true });

  // A mistyped code is refused with what to check; the app's code turns it on.
  const field = page.locator('input[name=code]');
  await field.pressSequentially('000000', { delay: 10 });
  await page.click('button:has-text("Turn on two-factor sign-in")');
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /not the code the app shows/);
  await field.fill('');
  const first = code(key);
  await field.pressSequentially(first, { delay: 10 });
  await page.click('button:has-text("Turn on two-factor sign-in")');
  await page.waitForSelector('[data-testid=recovery-codes]');
  const codes = await page.locator('[data-testid=recovery-codes] li').allTextContents();
  assert.equal(codes.length, 10);
  assert.ok(codes.every((c) => /^[a-z2-9]{5}-[a-z2-9]{5}$/.test(c)), codes.join(' '));
  await page.screenshot({ path: join(RESULTS, 'two-factor-codes-390.png'), fullPage: true });
  await page.click('text=I have saved them, continue');
  await page.waitForURL('**/account');
  await page.waitForSelector('[data-testid=two-factor-summary]');
  assert.match(await page.textContent('[data-testid=two-factor-summary]'), /^On: .* 10 recovery codes left/);
  await page.click('text=Manage two-factor sign-in');
  await page.waitForSelector('[data-testid=recovery-codes-left]');
  assert.equal(await page.textContent('[data-testid=recovery-codes-left]'), '10 of 10 recovery codes left.');
  await page.screenshot({ path: join(RESULTS, 'two-factor-on-390.png'), fullPage: true });
  // The browser logs each refused form as a failed request: those two, nothing else.
  assert.deepEqual(errors, Array(2).fill('Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)'));

  // Another browser: the password leads to the code, and the code to the dashboard.
  const other = await chromium.browser.newContext();
  const laptop = await other.newPage();
  const laptopErrors = watchForErrors(laptop);
  await laptop.goto(`${server.platform}/login`);
  await laptop.waitForSelector('body[data-hydrated]');
  await laptop.locator('input[name=email]').pressSequentially(ACME.email, { delay: 5 });
  await laptop.locator('input[name=password]').pressSequentially(ACME.password, { delay: 5 });
  await laptop.click('button[type=submit]');
  await laptop.waitForURL('**/login/code');
  await laptop.waitForSelector('body[data-hydrated]');
  // The code used to turn it on was spent; the next one (a phone a little ahead) works.
  await laptop.locator('input[name=code]').pressSequentially(first, { delay: 10 });
  await laptop.click('button[type=submit]');
  await laptop.waitForSelector('[role=alert]');
  assert.match(await laptop.textContent('[role=alert]'), /not right, or it was used already/);
  await laptop.locator('input[name=code]').fill('');
  await laptop.locator('input[name=code]').pressSequentially(code(key, Date.now() + 30000), { delay: 10 });
  await Promise.all([laptop.waitForURL('**/t/acme/dashboard'), laptop.click('button[type=submit]')]);
  await laptop.waitForSelector('main#main');

  // The owner requires it of every member, from the team page.
  await laptop.goto(`${server.platform}/t/acme/dashboard/team`);
  await laptop.waitForSelector('body[data-hydrated]');
  await laptop.waitForSelector('[data-testid=two-factor-rule]');
  assert.match(await laptop.textContent('[data-testid=two-factor-rule]'), /Members choose/);
  assert.equal(await laptop.textContent('[data-testid=member-two-factor]'), 'Two-factor on');
  await laptop.click('[data-testid=two-factor-rule-toggle]');
  await laptop.waitForFunction(() =>
    /Every member signs in with two-factor/.test(document.querySelector('[data-testid=two-factor-rule]')?.textContent));
  await laptop.setViewportSize({ width: 390, height: 844 });
  await laptop.screenshot({ path: join(RESULTS, 'team-two-factor-390.png'), fullPage: true });
  assert.deepEqual(laptopErrors, ['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
  await other.close();
  await context.close();
});
