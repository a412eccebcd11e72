// Upload an image, watch its sizes being made in the activity feed, and use it on a
// page: the editor will not save the page until the image has alt text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchForErrors, signIn } from '../server.mjs';

let server, chromium;
before(async () => { server = await startServer(); chromium = await launchBrowser(); });
after(async () => { await chromium?.close(); await server?.stop(); });

test('upload an image, see its sizes job in the feed, alt text before publishing', async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1300, height: 900 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);

  // A real PNG to upload: a screenshot of the dashboard, 1300 pixels wide.
  const picture = await page.screenshot();
  await page.goto(`${server.platform}/cms/media`);
  await page.waitForSelector('body[data-hydrated]');
  // The demo shop's product pictures are there already.
  await page.waitForSelector('[data-testid=media-list]');
  await page.setInputFiles('[data-testid=file-input]', { name: 'dashboard.png', mimeType: 'image/png', buffer: picture });
  const card = page.locator('[data-testid=media-file]', { hasText: 'dashboard.png' });
  await card.waitFor();
  assert.match(await card.textContent(), /1300×900/);
  const address = await card.locator('code').textContent();
  // Its sizes appear on the card without a reload once the job has made them.
  await card.locator('[data-testid=media-sizes]:has-text("320px")').waitFor({ timeout: 60000 });
  await page.fill('[data-testid=media-search]', 'nothing-like-it');
  await page.waitForSelector('[data-testid=media-file]', { state: 'detached' });
  await page.fill('[data-testid=media-search]', 'dash');
  await card.waitFor();
  assert.equal(await page.locator('[data-testid=media-file]').count(), 1);

  // The sizes job shows in the live feed and finishes.
  await page.goto(`${server.platform}/dashboard`);
  await page.waitForSelector('body[data-hydrated]');
  await page.waitForSelector('[data-testid=activity-feed] li:has-text("Made 3 sizes of dashboard.png")', { timeout: 60000 });

  // Used in a gallery without alt text, the page cannot be saved.
  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  await page.click('text=About');
  await page.waitForSelector('[data-testid=text-block]');
  await page.waitForSelector('body[data-hydrated]');
  await page.selectOption('[data-testid=new-block-kind]', { label: 'Gallery' });
  await page.click('[data-testid=add-block]');
  const gallery = page.locator('[data-testid=block]').last();
  await gallery.locator('text=Add image').click();
  await gallery.locator('fieldset input[type=text]').first().fill(address);
  await page.waitForSelector('[data-testid=problems]:has-text("Image 1 alt text is empty.")');
  await page.click('[data-testid=save-draft]');
  await page.waitForSelector('[data-testid=editor-message]:has-text("alt text")');

  await gallery.locator('fieldset input[type=text]').nth(1).fill('The dashboard');
  await page.waitForSelector('[data-testid=problems]', { state: 'detached' });
  await page.click('[data-testid=save-draft]');
  await page.waitForSelector('[data-testid=save-state]:has-text("All changes saved")');
  await page.click('[data-testid=publish]');
  await page.waitForSelector('text=Published: the site shows this version now.');

  const visitor = await chromium.browser.newPage({ javaScriptEnabled: false });
  await visitor.goto(`${server.site('acme')}/about`);
  const img = visitor.locator('.gallery img');
  assert.equal(await img.getAttribute('alt'), 'The dashboard');
  assert.match(await img.getAttribute('srcset'), /w640\.webp 640w/);
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the image loads on the site');
  await visitor.close();

  // A small picture is served as it is: no sizes to wait for.
  const small = await page.screenshot({ clip: { x: 0, y: 0, width: 200, height: 100 } });
  await page.goto(`${server.platform}/cms/media`);
  await page.waitForSelector('body[data-hydrated]');
  await page.setInputFiles('[data-testid=file-input]', { name: 'small.png', mimeType: 'image/png', buffer: small });
  const smallCard = page.locator('[data-testid=media-file]', { hasText: 'small.png' });
  await smallCard.waitFor();
  assert.equal(await smallCard.locator('[data-testid=media-sizes]').textContent(), 'Small already: served as uploaded.');

  // One Delete: an unused picture goes after a confirmation...
  page.once('dialog', (dialog) => dialog.accept());
  await smallCard.locator('[data-testid=delete-media]').click();
  await smallCard.waitFor({ state: 'detached' });
  // ...one in use says where first, and only then offers "Delete anyway".
  const used = page.locator('[data-testid=media-file]', { hasText: 'dashboard.png' });
  assert.equal(await used.locator('[data-testid=delete-anyway]').count(), 0);
  page.once('dialog', (dialog) => dialog.accept());
  await used.locator('[data-testid=delete-media]').click();
  await used.locator('[data-testid=delete-refused]:has-text("About")').waitFor();
  await used.locator('text=Keep it').click();
  await used.locator('[data-testid=delete-refused]').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('choose a library image for a post cover: its address and alt text come with it', async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1300, height: 900 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, server);
  // The image uploaded by the test above gets alt text in the library.
  await page.goto(`${server.platform}/cms/media`);
  await page.waitForSelector('body[data-hydrated]');
  const address = await page.textContent('[data-testid=media-file] code');
  await page.fill('[data-testid=media-file] input[type=text]', 'Our dashboard at a glance');
  await page.press('[data-testid=media-file] input[type=text]', 'Tab');
  await page.waitForTimeout(500);

  await page.goto(`${server.platform}/cms`);
  await page.waitForSelector('body[data-hydrated]');
  await page.click('[role=tab]:has-text("Posts")');
  await page.click('[data-testid=page-list] a[href*="/cms/posts/"]');
  await page.waitForSelector('[data-testid=versions]');
  const chooser = page.getByRole('button', { name: 'Choose from library… (Choose an image: Cover image URL)' });

  // Escape closes the dialog and gives focus back to the button.
  await chooser.click();
  await page.waitForSelector('[data-testid=media-picker]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=media-picker]', { state: 'detached' });
  assert.equal(await chooser.evaluate((b) => b === document.activeElement), true);

  await chooser.click();
  await page.waitForSelector('[data-testid=media-picker]');
  await page.keyboard.type('no such picture');
  await page.waitForSelector('[data-testid=media-picker-empty]:has-text("No image matches")');
  await page.fill('[data-testid=media-picker] input[type=search]', 'glance');
  await page.click('[data-testid=media-choice]:has-text("dashboard.png")');
  await page.waitForSelector('[data-testid=media-picker]', { state: 'detached' });
  assert.equal(await page.getByLabel('Cover image URL', { exact: true }).inputValue(), address);
  assert.equal(await page.getByLabel('Cover image alt text', { exact: true }).inputValue(), 'Our dashboard at a glance');
  await page.waitForFunction(
    (src) => document.querySelector('[data-testid=preview]')?.srcdoc.includes(src), address.trim(),
  );
  assert.deepEqual(errors, []);
  await context.close();
});
