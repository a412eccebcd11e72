// Edit a page in the CMS: the draft stays off the site until it is published.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchForErrors, signIn } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

test('edit, save a draft, publish', async () => {
  const context = await chromium.browser.newContext();
  const editor = await context.newPage();
  const errors = watchForErrors(editor);
  await signIn(editor, server);
  await editor.goto(`${server.platform}/cms`);
  await editor.waitForSelector('body[data-hydrated]');
  await editor.click('text=About');
  await editor.waitForSelector('[data-testid=text-block]');
  await editor.waitForSelector('body[data-hydrated]');

  await editor.fill('input[name=title]', 'About the Acme family');
  await editor.fill('[data-testid=text-block]', 'Four generations of **anvil** makers.');
  await editor.click('[data-testid=save-draft]');
  await editor.waitForSelector('text=Draft saved.');
  assert.equal(await editor.textContent('[data-testid=page-status]'), 'Unpublished changes');

  const visitor = await chromium.browser.newPage({ javaScriptEnabled: false });
  await visitor.goto(`${server.site('acme')}/about`);
  assert.doesNotMatch(await visitor.content(), /anvil/, 'the draft is not on the site');

  await editor.click('[data-testid=publish]');
  await editor.waitForSelector('text=Published: the site shows this version now.');
  assert.equal(await editor.textContent('[data-testid=page-status]'), 'Published');

  await visitor.reload();
  assert.equal(await visitor.title(), 'About the Acme family · Acme Corporation');
  assert.match(await visitor.innerHTML('main'), /Four generations of <strong>anvil<\/strong> makers\./);
  assert.deepEqual(errors, []);
  await visitor.close();
  await context.close();
});
