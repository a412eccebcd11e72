// A team grows: the owner invites a teammate from the team page; the teammate opens the
// emailed link (read from the server's log, as without a mail server), chooses a name and
// a password, lands in the business and edits a page; the owner sees them on the team.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, watchForErrors, signIn, RESULTS } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

async function linkFor(email) {
  for (let i = 0; i < 50; i++) {
    const lines = server.log().split('\n').filter((l) => l.includes(email) && l.includes('/invite?token='));
    const link = lines.at(-1)?.match(/https?:\/\/[^\s"]+\/invite\?token=[0-9a-f]+/)?.[0];
    if (link) return link;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no invitation link for ${email} in the log`);
}

test('an owner invites a teammate who accepts from the emailed link and edits a page', async () => {
  const ownerContext = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const owner = await ownerContext.newPage();
  const ownerErrors = watchForErrors(owner);
  await signIn(owner, server);
  await owner.click('header nav >> text=Team');
  await owner.waitForURL('**/t/acme/dashboard/team');
  await owner.waitForSelector('[data-testid=members]');
  assert.equal(await owner.locator('[data-testid=member]').count(), 1);
  await owner.waitForSelector('[data-testid=no-invitations]');

  const form = owner.locator('[data-testid=invite-form]');
  await form.locator('input[name=email]').pressSequentially('jo@example.test', { delay: 5 });
  await form.locator('select[name=role]').selectOption('editor');
  await form.locator('button[type=submit]').click();
  await owner.waitForSelector('[data-testid=invite-message]:has-text("Invitation sent to jo@example.test.")');
  await owner.waitForSelector('[data-testid=invitation]:has-text("jo@example.test")');
  await owner.screenshot({ path: join(RESULTS, 'team-invited.png'), fullPage: true });

  // The teammate, in a browser of their own.
  const link = new URL(await linkFor('jo@example.test'));
  const joContext = await chromium.browser.newContext({ viewport: { width: 390, height: 844 } });
  const jo = await joContext.newPage();
  const joErrors = watchForErrors(jo);
  await jo.goto(`${server.platform}${link.pathname}${link.search}`);
  await jo.waitForSelector('body[data-hydrated]');
  assert.match(await jo.textContent('h1'), /Join Acme Corporation/);
  assert.match(await jo.textContent('[data-testid=invitation-page]'), /invited jo@example\.test to work on Acme Corporation as editor/);
  await jo.locator('input[name=name]').pressSequentially('Jo Jones', { delay: 5 });
  await jo.locator('input[name=password]').pressSequentially('saffron kettle meadow drum', { delay: 5 });
  await jo.screenshot({ path: join(RESULTS, 'invitation-390.png'), fullPage: true });
  await jo.click('button[type=submit]');
  await jo.waitForURL('**/t/acme/dashboard');
  await jo.waitForSelector('[data-testid=dashboard-tenant]');
  assert.equal(await jo.textContent('[data-testid=dashboard-tenant]'), 'Acme Corporation');

  // Jo edits the About page's draft.
  await jo.goto(`${server.platform}/t/acme/cms`);
  await jo.waitForSelector('body[data-hydrated]');
  await jo.click('[data-testid=page-list] a:has-text("About")');
  await jo.waitForURL(/\/t\/acme\/cms\/pages\//);
  await jo.waitForSelector('input[name=title]');
  const title = jo.locator('input[name=title]');
  await title.click();
  await title.press('End');
  await title.pressSequentially(' us', { delay: 5 });
  await jo.click('[data-testid=save-draft]');
  await jo.waitForSelector('[data-testid=save-state]:has-text("All changes saved")');

  // The link was used; the owner sees Jo on the team, and in the audit log.
  const reused = await joContext.newPage();
  await reused.goto(`${server.platform}${link.pathname}${link.search}`);
  await reused.waitForSelector('text=This link was used already');
  await owner.reload();
  await owner.waitForSelector('[data-testid=member]:has-text("Jo Jones")');
  assert.match(await owner.locator('[data-testid=member]:has-text("Jo Jones")').textContent(), /editor/);
  await owner.waitForSelector('[data-testid=no-invitations]');
  await owner.goto(`${server.platform}/t/acme/cms/audit`);
  await owner.waitForSelector('[data-testid=audit-log]');
  const log = await owner.textContent('[data-testid=audit-log]');
  assert.match(log, /Jo Jones\s*joined\s*team: jo@example\.test as editor/);
  assert.match(log, /Jo Jones\s*edited/);

  // The owner makes Jo an admin from the list.
  await owner.goto(`${server.platform}/t/acme/dashboard/team`);
  await owner.waitForSelector('body[data-hydrated]');
  await owner.locator('[data-testid=member]:has-text("Jo Jones") select').selectOption('admin');
  await owner.waitForSelector('[data-testid=team-message]:has-text("Role changed.")');
  assert.equal(await owner.locator('[data-testid=member]:has-text("Jo Jones") select').inputValue(), 'admin');

  assert.deepEqual(ownerErrors, []);
  assert.deepEqual(joErrors, []);
  await ownerContext.close();
  await joContext.close();
});
