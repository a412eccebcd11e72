// The page editor as a content editor uses it: every field of every block type typed
// into key by key, saved and read back after a reload; and unsaved edits kept on every
// way out of the editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchForErrors, signIn, ACME } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

// What a person would type into a field of each kind (`data-field` on the control);
// images are addresses from the media library, so the preview can show them.
function typed(kind, n, image) {
  switch (kind) {
    case 'link': return `/typed-${n}`;
    case 'image': return image;
    case 'number': return '3';
    case 'slugs': return `typed-${n}`;
    case 'words': return `tag${n}`;
    case 'markdown': return `Typed **text** ${n}`;
    case 'paragraph': return `Typed paragraph ${n}.`;
    default: return `Typed ${n}`;
  }
}

// Empties a field as a person does (select all, delete), then types key by key and checks
// after every key that the field shows what was typed so far.
async function typeInto(page, field, text) {
  await field.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  let sofar = '';
  for (const key of text) {
    await page.keyboard.type(key);
    sofar += key;
    const shown = await field.inputValue();
    assert.equal(shown, sofar, `a key press was dropped in ${await field.evaluate((el) => el.closest('label')?.innerText.split('\n')[0])}`);
  }
}

const blockFields = (page) => page.locator('[data-testid=block] [data-field]');

async function fieldValues(page) {
  return blockFields(page).evaluateAll((fields) => fields.map((f) => (f.type === 'checkbox' ? String(f.checked) : f.value)));
}

test('every field of every block type takes typing, saves and reads back after a reload', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  await page.fill('input[name=new_title]', 'Every block');
  await page.click('[data-testid=create]');
  await page.waitForURL(/\/cms\/pages\//);
  await page.waitForSelector('[data-testid=new-block-kind]');

  // One block of each type the editor offers: the list comes from the Block enum.
  const kinds = await page.$$eval('[data-testid=new-block-kind] option', (options) => options.map((o) => o.textContent));
  assert.ok(kinds.length >= 9, kinds.join(', '));
  for (const kind of kinds) {
    await page.selectOption('[data-testid=new-block-kind]', { label: kind });
    await page.click('[data-testid=add-block]');
  }
  const blocks = page.locator('[data-testid=block]');
  assert.equal(await blocks.count(), kinds.length);
  // Each list inside a block (features, questions, images, form fields) gets one more item.
  for (let b = 0; b < kinds.length; b++) {
    const adders = blocks.nth(b).locator('button', { hasText: /^Add / });
    for (let a = 0; a < await adders.count(); a++) await adders.nth(a).click();
  }

  const library = await page.evaluate(async () => (await fetch('/api/media/list', { method: 'POST' })).json());
  assert.ok(library.length > 0, 'the demo library has pictures');
  const image = `/media/${library[0].id}/original.png`;
  const count = await blockFields(page).count();
  assert.ok(count > 30, `${count} fields`);
  for (let n = 0; n < count; n++) {
    const field = blockFields(page).nth(n);
    const kind = await field.getAttribute('data-field');
    if (kind === 'check') {
      await field.click();
    } else if (kind !== 'field-kind' && kind !== 'currency') {
      await typeInto(page, field, typed(kind, n, image));
    }
  }
  const before = await fieldValues(page);
  assert.equal(await page.locator('[data-testid=problems]').count(), 0,
    await page.locator('[data-testid=problems]').innerText().catch(() => ''));
  await page.click('[data-testid=save-draft]');
  await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'All changes saved');

  await page.reload();
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=block]');
  assert.deepEqual(await fieldValues(page), before);
  // The hero's button came through whole.
  assert.equal(await blocks.first().locator('[data-field=link]').inputValue(), '/typed-3');
  assert.deepEqual(errors, []);
  await context.close();
});

// Opens the demo's welcome post in the editor from the CMS list, as a person would.
async function openWelcomePost(page) {
  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  await page.click('[role=tab]:has-text("Posts")');
  await page.click('text=Welcome to the Acme Corporation blog');
  await page.waitForSelector('[data-testid=text-block]');
  await page.waitForSelector('body[data-hydrated]');
}

// Adds words at the end of the welcome post's body.
async function typeInWelcomePost(page, words) {
  await openWelcomePost(page);
  await page.locator('[data-testid=text-block]').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(words);
}

async function welcomeBody(page) {
  await openWelcomePost(page);
  return page.inputValue('[data-testid=text-block]');
}

test('leaving the editor before autosave keeps the edits: a link, a reload, closing the tab, signing out', async () => {
  const context = await chromium.browser.newContext();
  let page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);

  // An in-app link, at once (autosave waits two seconds).
  await typeInWelcomePost(page, ' Left by a link.');
  await page.click('text=← All content');
  await page.waitForURL(`${server.platform}/t/acme/cms`);
  assert.match(await welcomeBody(page), /Left by a link\.$/);

  // A reload.
  await typeInWelcomePost(page, ' Left by a reload.');
  await page.reload();
  assert.match(await welcomeBody(page), /Left by a reload\.$/);
  assert.deepEqual(errors, []);

  // Closing the tab.
  await typeInWelcomePost(page, ' Left by closing.');
  await page.close({ runBeforeUnload: true });
  page = await context.newPage();
  const moreErrors = watchForErrors(page);
  assert.match(await welcomeBody(page), /Left by closing\.$/);

  // Signing out (the desktop account menu).
  await page.setViewportSize({ width: 1280, height: 900 });
  await typeInWelcomePost(page, ' Left by signing out.');
  assert.deepEqual(moreErrors.splice(0), []);
  await page.click('[data-testid=account-menu]');
  await Promise.all([page.waitForURL(/\/login/), page.click('[data-testid=sign-out]')]);
  // As the session ends, the editor's live presence stream may try once more before the
  // page goes and be told 401; that is the browser's own log, nothing a person sees.
  assert.deepEqual(moreErrors.splice(0).filter((e) => !/status of 401/.test(e)), []);
  await signIn(page, server, ACME);
  assert.match(await welcomeBody(page), /Left by signing out\.$/);
  assert.deepEqual(moreErrors, []);
  await context.close();
});

test('a draft that cannot be saved yet is not left without asking', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  await typeInWelcomePost(page, ' Not saved.');
  // An empty title cannot be saved.
  await page.click('[data-field=line] >> nth=0');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.waitForSelector('[data-testid=problems]');

  const asked = [];
  page.on('dialog', async (dialog) => { asked.push(dialog.type()); await dialog.dismiss(); });
  await page.click('text=← All content');
  await page.waitForTimeout(300);
  assert.deepEqual(asked, ['confirm']);
  assert.match(page.url(), /\/cms\/posts\//, 'stayed in the editor');
  assert.match(await page.inputValue('[data-testid=text-block]'), /Not saved\.$/);

  // Closing the tab asks too.
  await page.close({ runBeforeUnload: true });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(asked, ['confirm', 'beforeunload']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('editor details: drafts have no live link, empty posts are not published, prices say what is wrong, focus follows a moved block, new pages are offered to the navigation', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  const create = async (tab, title) => {
    await page.goto(`${server.platform}/cms`);
    await page.waitForSelector('body[data-hydrated]');
    await page.click(`[role=tab]:has-text("${tab}")`);
    await page.fill('input[name=new_title]', title);
    await page.click('[data-testid=create]');
    await page.waitForSelector('[data-testid=save-draft]');
    await page.waitForSelector('body[data-hydrated]');
  };

  // A new post: nothing to view live yet, and nothing to publish.
  await create('Posts', 'An empty thought');
  assert.equal(await page.locator('text=View live').count(), 0);
  await page.click('[data-testid=publish]');
  await page.waitForSelector('[data-testid=editor-message]:has-text("The post has no text yet")');
  assert.equal(await page.textContent('[data-testid=page-status]'), 'Draft');

  // A price that is not a number says so under the field.
  await create('Products', 'Spare horn');
  const price = page.locator('[data-field=price]');
  await price.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('twelve');
  await page.keyboard.press('Tab');
  await page.waitForSelector('[data-testid=field-error]:has-text("Write the price as a number")');

  // A new page: the description counter sits under its own field.
  await create('Pages', 'Team');
  const hint = await page.evaluate(() => {
    const input = document.querySelector('input[name=meta_description]');
    return input.closest('div').querySelector('[data-testid=meta_description-hint]')?.textContent;
  });
  assert.match(hint, /0 characters/);
  for (const kind of ['Text', 'Features']) {
    await page.selectOption('[data-testid=new-block-kind]', { label: kind });
    await page.click('[data-testid=add-block]');
  }
  // Moved by keyboard, the block keeps the focus on its handle at its new place.
  await page.locator('[data-testid=block-handle]').nth(1).focus();
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'block-handle'
    && document.activeElement.getAttribute('aria-label').startsWith('Block 1 of 2, Features'));
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label')?.startsWith('Block 2 of 2, Features'));

  const text = page.locator('[data-testid=text-block]');
  await text.click();
  await page.keyboard.type('The people behind the anvils.');
  await page.click('[data-testid=save-draft]');
  await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'All changes saved');
  await page.click('[data-testid=publish]');
  await page.waitForSelector('text=Published: the site shows this version now.');
  await page.waitForSelector('text=View live page');
  await page.click('[data-testid=add-to-navigation]');
  await page.waitForSelector('[data-testid=offer-navigation]:has-text("Added to your site")');
  const visitor = await chromium.browser.newPage({ javaScriptEnabled: false });
  await visitor.goto(server.site('acme'));
  assert.deepEqual(await visitor.locator('.site-nav a').allTextContents(), ['Home', 'About', 'Blog', 'Products', 'Team']);
  await visitor.close();
  assert.deepEqual(errors, []);
  await context.close();
});
