// Sign in, run the site check, and watch the feed row go to completed without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchForErrors, signIn } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

test('signed-out visitors are sent to sign in', async () => {
  const page = await chromium.browser.newPage();
  await page.goto(`${server.platform}/dashboard`);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.close();
});

test('a wrong password shows a message', async () => {
  const page = await chromium.browser.newPage();
  await page.goto(`${server.platform}/login`);
  await page.waitForSelector('body[data-hydrated]');
  await page.fill('input[name=email]', 'owner@acme.test');
  await page.fill('input[name=password]', 'not the password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /Wrong email or password/);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.close();
});

test('run the site check and watch the feed update live', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  assert.equal(await page.textContent('[data-testid=dashboard-tenant]'), 'Acme Corporation');
  await page.waitForSelector('[data-testid=feed-empty]');
  await page.waitForFunction(() => document.querySelector('[data-testid=feed-connection]')?.textContent.includes('Live'));

  // A marker that a reload would wipe.
  await page.evaluate(() => { window.__noReload = true; });
  await page.click('[data-testid=run-site-check]');
  const row = page.locator('[data-testid=activity-feed] li').first();
  await row.waitFor();
  // Generous: the job runs on a shared machine; the point is that no reload is needed.
  await page.waitForSelector('[data-task-status=completed]', { timeout: 45_000 });
  assert.match(await page.textContent('[data-task-status=completed] [data-testid=task-summary]'), /Checked \d+ pages: (all good|\d+ problems? found)\./);
  // Done is done: a finished task shows how long it took, not a full progress bar.
  assert.equal(await page.locator('[data-task-status=completed] [role=progressbar]').count(), 0);
  assert.match(await page.textContent('[data-task-status=completed] [data-testid=task-time]'), /^(took \d|\d{4}-\d\d-\d\d )/);
  await page.click('[data-task-status=completed] [data-testid=task-report] summary');
  assert.match(await page.textContent('[data-task-status=completed] [data-testid=task-report]'), /\/about[\s\S]*8 characters/);
  assert.equal(await page.evaluate(() => window.__noReload), true, 'the page was not reloaded');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an agent with an API key made in Settings reports a task that progresses live on the dashboard', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  await page.goto(`${server.platform}/dashboard/settings`);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=no-api-keys]');
  const key = await createKey(page, 'Backlink bot');
  assert.match(key, /^bzk_[0-9a-f]{64}$/);
  await page.waitForSelector('[data-testid=api-key]:has-text("Backlink bot")');

  await page.goto(`${server.platform}/dashboard`);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForFunction(() => document.querySelector('[data-testid=feed-connection]')?.textContent.includes('Live'));
  const api = (method, path, body) => fetch(`${server.platform}/api/v1/agent-tasks${path}`, {
    method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const started = await api('POST', '', { task_type: 'backlink_check', worker_name: 'Backlink bot', status: 'running', summary: 'Looking for new backlinks', campaign_id: 'spring' });
  assert.equal(started.status, 201);
  const { id } = await started.json();
  const row = page.locator('[data-testid=campaign]', { hasText: 'Looking for new backlinks' });
  await row.waitFor();
  assert.match(await row.textContent(), /Campaign: spring/);
  assert.equal((await api('PATCH', `/${id}`, { progress: 60 })).status, 200);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=task-progress]')].some((p) => p.textContent === '60%'));
  assert.equal((await api('PATCH', `/${id}`, { status: 'completed', progress: 100, summary: '12 new backlinks' })).status, 200);
  await page.waitForSelector('[data-task-status=completed]:has-text("12 new backlinks")');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the activity history filters tasks and shows what went wrong', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  const key = await createKey(page, 'History bot');
  const report = (body) => fetch(`${server.platform}/api/v1/agent-tasks`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal((await report({ task_type: 'price_watch', status: 'failed', summary: 'Price watch stopped' })).status, 201);
  const failed = await report({ task_type: 'price_watch', status: 'running' });
  const { id } = await failed.json();
  await fetch(`${server.platform}/api/v1/agent-tasks/${id}`, {
    method: 'PATCH', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'failed', error: 'The shop answered 503 three times.' }),
  });

  await page.goto(`${server.platform}/dashboard/activity`);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=history]');
  await page.selectOption('[data-testid=filter-status]', 'failed');
  await page.waitForFunction(() => document.querySelector('[data-testid=history-count]')?.textContent === '2 tasks');
  await page.selectOption('[data-testid=filter-type]', 'price_watch');
  const details = page.locator('[data-testid=task-error]');
  await details.locator('summary').click();
  assert.match(await details.textContent(), /answered 503 three times/);
  await page.fill('[data-testid=filter-until]', '2020-01-01');
  await page.dispatchEvent('[data-testid=filter-until]', 'change');
  await page.waitForSelector('[data-testid=history-empty]:has-text("No task matches these filters.")');
  assert.deepEqual(errors, []);
  await context.close();
});

test('after a server restart the feed reconnects and shows what happened while it was down', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  await signIn(page, server);
  const key = await createKey(page, 'Night shift');
  await page.goto(`${server.platform}/dashboard`);
  await page.waitForSelector('body[data-hydrated]');
  const connection = (text) => page.waitForFunction(
    (t) => document.querySelector('[data-testid=feed-connection]')?.textContent.includes(t), text, { timeout: 30_000 },
  );
  await connection('Live');
  await page.evaluate(() => { window.__noReload = true; });

  await server.restart(async (other) => {
    await connection('Reconnecting');
    // Another process on the same database writes while the browser's server is down.
    const api = (method, path, body) => fetch(`${other}/api/v1/agent-tasks${path}`, {
      method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const { id } = await (await api('POST', '', { task_type: 'night_shift', status: 'running', summary: 'Working through the night' })).json();
    assert.equal((await api('PATCH', `/${id}`, { status: 'completed', progress: 100, summary: 'Done while you were away' })).status, 200);
  });

  await connection('Live');
  await page.waitForSelector('[data-task-status=completed]:has-text("Done while you were away")', { timeout: 30_000 });
  assert.equal(await page.evaluate(() => window.__noReload), true, 'the page was not reloaded');
  await context.close();
});

// A new API key made in Settings, as its owner would copy it.
async function createKey(page, name) {
  await page.goto(`${server.platform}/dashboard/settings`);
  await page.waitForSelector('body[data-hydrated]');
  await page.fill('input[name=key_name]', name);
  await page.click('button:has-text("Create key")');
  await page.waitForSelector('[data-testid=new-api-key]');
  return page.inputValue('[data-testid=new-api-key] input');
}
