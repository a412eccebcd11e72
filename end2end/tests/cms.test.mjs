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

async function openAbout(page) {
  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  await page.click('text=About');
  await page.waitForSelector('[data-testid=text-block]');
  await page.waitForSelector('body[data-hydrated]');
}

const previewHtml = (page) => page.$eval('[data-testid=preview]', (frame) => frame.srcdoc);

test('build a page from blocks, reorder by keyboard, watch the preview, publish', async () => {
  const context = await chromium.browser.newContext();
  const editor = await context.newPage();
  const errors = watchForErrors(editor);
  await signIn(editor, server);
  await openAbout(editor);
  await editor.fill('[data-testid=text-block]', 'Plain words here.');
  await editor.waitForFunction(() => document.querySelector('[data-testid=preview]').srcdoc.includes('Plain words here.'));

  await editor.selectOption('[data-testid=new-block-kind]', { label: 'Features' });
  await editor.click('[data-testid=add-block]');
  const features = editor.locator('[data-testid=block]').last();
  await features.locator('input[type=text]').first().fill('Why Acme');
  await features.locator('text=Add feature').click();
  await features.locator('fieldset input[type=text]').first().fill('Anvils that last');
  await editor.waitForFunction(() => document.querySelector('[data-testid=preview]').srcdoc.includes('Anvils that last'));
  assert.match(await previewHtml(editor), /noindex/);

  // Keyboard only: focus the block's handle and press the up arrow.
  await features.locator('[data-testid=block-handle]').focus();
  await editor.keyboard.press('ArrowUp');
  assert.deepEqual(await editor.$$eval('[data-testid=block-title]', (hs) => hs.map((h) => h.textContent)),
    ['1 · Features', '2 · Text']);
  await editor.waitForFunction(() => {
    const html = document.querySelector('[data-testid=preview]').srcdoc;
    return html.indexOf('Why Acme') >= 0 && html.indexOf('Why Acme') < html.indexOf('Plain words here.');
  });

  await editor.click('[data-testid=save-draft]');
  await editor.waitForSelector('[data-testid=save-state]:has-text("All changes saved")');
  await editor.click('[data-testid=publish]');
  await editor.waitForSelector('text=Published: the site shows this version now.');

  const visitor = await chromium.browser.newPage({ javaScriptEnabled: false });
  await visitor.goto(`${server.site('acme')}/about`);
  const main = await visitor.innerHTML('main');
  assert.ok(main.indexOf('Why Acme') >= 0 && main.indexOf('Why Acme') < main.indexOf('Plain words here.'), main);
  assert.match(main, /Anvils that last/);
  await editor.waitForSelector('[data-testid=version]');
  assert.ok((await editor.locator('[data-testid=version]').count()) >= 3, 'created, saved and published versions are listed');
  assert.deepEqual(errors, []);
  await visitor.close();
  await context.close();
});

test('two editors on one page: the second save gets the conflict, not the overwrite', async () => {
  const first = await chromium.browser.newContext();
  const second = await chromium.browser.newContext();
  const a = await first.newPage();
  const b = await second.newPage();
  await signIn(a, server);
  await signIn(b, server);
  await openAbout(a);
  await openAbout(b);

  await a.fill('input[name=title]', 'Title from A');
  await a.click('[data-testid=save-draft]');
  await a.waitForSelector('text=Draft saved.');

  await b.fill('input[name=title]', 'Title from B');
  await b.click('[data-testid=save-draft]');
  await b.waitForSelector('[data-testid=conflict]');
  assert.match(await b.textContent('[data-testid=conflict]'), /after you opened it/);

  // B sees what differs, and takes A's version without reloading.
  await b.waitForSelector('[data-testid=conflict-changes]');
  assert.match(await b.textContent('[data-testid=conflict-changes]'), /Title changed/);
  await b.click('text=Use their version');
  await b.waitForSelector('[data-testid=conflict]', { state: 'detached' });
  await b.waitForFunction(() => document.querySelector('input[name=title]').value === 'Title from A');

  // Or keeps their own on top, knowingly.
  await b.fill('input[name=title]', 'Title from B');
  await a.fill('input[name=title]', 'Title from A again');
  await a.click('[data-testid=save-draft]');
  await a.waitForSelector('[data-testid=save-state]:has-text("All changes saved")');
  await b.click('[data-testid=save-draft]');
  await b.waitForSelector('[data-testid=conflict-changes]');
  await b.click('text=Keep mine (replace theirs)');
  await b.waitForSelector('[data-testid=save-state]:has-text("All changes saved")');
  await a.reload();
  await a.waitForSelector('body[data-hydrated]');
  await a.waitForFunction(() => document.querySelector('input[name=title]')?.value === 'Title from B');
  await first.close();
  await second.close();
});

test('an editor sees, live, who else has the page open and when they leave', async () => {
  const jo = server.createUser({
    email: 'jo@acme.test', name: 'Jo Editor', tenant: 'acme', role: 'editor', password: 'jo-editor-2026',
  });
  const owners = await chromium.browser.newContext();
  const editors = await chromium.browser.newContext();
  const owner = await owners.newPage();
  const editor = await editors.newPage();
  const errors = watchForErrors(owner);
  await signIn(owner, server);
  await signIn(editor, server, jo);
  const pageId = await idOfPage(owner, 'Pricing');

  await owner.goto(`${server.platform}/cms/pages/${pageId}`);
  await owner.waitForSelector('body[data-hydrated]');
  assert.equal(await owner.$('[data-testid=also-editing]'), null, 'nobody else yet');

  await editor.goto(`${server.platform}/cms/pages/${pageId}`);
  await editor.waitForSelector('body[data-hydrated]');
  await editor.waitForSelector('[data-testid=also-editing]');
  assert.match(await editor.textContent('[data-testid=also-editing]'), /Acme Corporation Owner also has this open/);
  // Pushed to the owner, who did nothing.
  await owner.waitForSelector('[data-testid=also-editing]');
  assert.match(await owner.textContent('[data-testid=also-editing]'), /Jo Editor also has this open/);

  // Jo leaves the editor for the page list: the owner's notice goes away.
  await editor.goto(`${server.platform}/cms`);
  await owner.waitForSelector('[data-testid=also-editing]', { state: 'detached', timeout: 30_000 });
  assert.deepEqual(errors, []);
  await owners.close();
  await editors.close();
});

test('every CMS and dashboard screen works when loaded directly, as after a reload', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  const paths = ['/cms', '/cms/media', '/cms/audit', '/dashboard', '/dashboard/settings', '/dashboard/team', '/dashboard/activity', '/dashboard/approvals', '/businesses/new'];
  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  for (const tab of ['Pages', 'Posts', 'Products']) {
    await page.click(`[role=tab]:has-text("${tab}")`);
    await page.waitForSelector(`[data-testid=page-list] a[href*="/cms/${tab.toLowerCase()}/"]`);
    paths.push(await page.getAttribute(`[data-testid=page-list] a[href*="/cms/${tab.toLowerCase()}/"]`, 'href'));
  }
  for (const path of paths) {
    await page.goto(`${server.platform}${path}`);
    await page.waitForSelector('body[data-hydrated]');
    // The editors' version lists load after hydration; wait for them where there is one.
    if (/\/cms\/(pages|posts|products)\//.test(path)) await page.waitForSelector('[data-testid=versions]');
    assert.deepEqual(errors, [], `no errors on ${path}`);
  }
  await context.close();
});

// The id of a page, from its link in the CMS list.
async function idOfPage(page, title) {
  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  const href = await page.getAttribute(`a:has-text("${title}")`, 'href');
  return href.split('/').pop();
}

test('write a blog post: create it from the list, edit, preview, publish', async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  await page.click('role=tab[name="Posts"]');
  await page.waitForSelector('[data-testid=page-list] >> text=Spring sale starts Monday');
  await page.fill('[data-testid=search]', 'anvil');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=page-list] tbody tr').length === 1);

  await page.fill('input[name=new_title]', 'Crème brûlée for blacksmiths');
  assert.equal(await page.inputValue('input[name=new_slug]'), 'creme-brulee-for-blacksmiths');
  await page.click('[data-testid=create]');
  await page.waitForURL(/\/cms\/posts\//);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=text-block]');
  await page.fill('[data-testid=text-block]', 'Heat the **sugar** like steel.');
  const tags = page.locator('label:has-text("Tags") input');
  await tags.fill('Recipes, Fun');
  await page.waitForFunction(() => document.querySelector('[data-testid=preview]').srcdoc.includes('<strong>sugar</strong>'));
  await page.click('[data-testid=save-draft]');
  await page.waitForSelector('[data-testid=save-state]:has-text("All changes saved")');
  await page.click('[data-testid=publish]');
  await page.waitForSelector('text=Published: the site shows this version now.');

  const visitor = await chromium.browser.newPage({ javaScriptEnabled: false });
  await visitor.goto(`${server.site('acme')}/blog/creme-brulee-for-blacksmiths`);
  assert.match(await visitor.innerHTML('main'), /Heat the <strong>sugar<\/strong> like steel\./);
  await visitor.goto(`${server.site('acme')}/blog/tag/recipes`);
  assert.match(await visitor.innerHTML('main'), /Crème brûlée for blacksmiths/);

  // A new address; the old one keeps working.
  await page.fill('input[name=slug]', 'creme-brulee');
  await page.click('[data-testid=change-address]');
  await page.waitForSelector('text=Address changed.');
  const moved = await visitor.goto(`${server.site('acme')}/blog/creme-brulee-for-blacksmiths`);
  assert.equal(new URL(moved.url()).pathname, '/blog/creme-brulee');
  assert.match(await visitor.innerHTML('main'), /sugar/);
  assert.deepEqual(errors, []);
  await visitor.close();
  await context.close();
});
