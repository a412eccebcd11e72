// Starts the real `bizosaas` binary (the debug build `cargo leptos build --split` made) on a free
// port with a fresh, demo-seeded SQLite database, and a headless Chromium to drive it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = process.env.BIZOSAAS_BIN ?? join(ROOT, 'target/debug/bizosaas');

export const ACME = { email: 'owner@acme.test', password: 'acme-demo-2026' };
// Screenshots for reviewers, written on every run (not committed).
export const RESULTS = join(ROOT, 'end2end/test-results');

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'bizosaas-e2e-'));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${dir}/bizosaas.db`,
    BIZOSAAS_MEDIA_DIR: join(dir, 'media'),
    LEPTOS_SITE_ROOT: join(ROOT, 'target/site'),
    RUST_LOG: 'info,sqlx=warn',
  };
  execFileSync(BIN, ['seed', '--demo'], { env, cwd: ROOT, stdio: 'pipe' });
  let log = '';
  let { child, port } = await launch(env, '127.0.0.1:0', (chunk) => { log += chunk; });
  return {
    port,
    platform: `http://localhost:${port}`,
    site: (tenant) => `http://${tenant}.localhost:${port}`,
    log: () => log,
    // Adds a member to a tenant with the binary's own `create-user` command.
    createUser({ email, name, tenant, role, password }) {
      execFileSync(BIN, ['create-user', '--email', email, '--name', name, '--tenant', tenant, '--role', role], {
        env: { ...env, BIZOSAAS_PASSWORD: password }, cwd: ROOT, stdio: 'pipe',
      });
      return { email, password };
    },
    // Stops the server as SIGTERM would; while it is down, `meanwhile` gets the address
    // of another process on the same database; then the server starts again on its port.
    async restart(meanwhile = async () => {}) {
      await halt(child);
      const other = await launch(env, '127.0.0.1:0', (chunk) => { log += chunk; });
      try {
        await meanwhile(`http://localhost:${other.port}`);
      } finally {
        await halt(other.child);
      }
      ({ child } = await launch(env, `127.0.0.1:${port}`, (chunk) => { log += chunk; }));
    },
    async stop() {
      await halt(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function halt(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

// Runs `bizosaas serve` on `addr` and waits until it answers.
async function launch(env, addr, onLog) {
  const child = spawn(BIN, ['serve'], { env: { ...env, BIZOSAAS_ADDR: addr }, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    const onData = (chunk) => {
      log += chunk;
      onLog(chunk);
      const match = log.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  // The port answers only once the listener runs; poll until it does.
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port };
}

// Playwright gives each launch a fresh, empty profile of its own.
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/// Collects console errors and failed requests, so a test can assert there were none.
export function watchForErrors(page) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

export async function signIn(page, server, who = ACME) {
  await page.goto(`${server.platform}/login`);
  await page.waitForSelector('body[data-hydrated]');
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await Promise.all([
    page.waitForURL('**/dashboard'),
    page.click('button[type=submit]'),
  ]);
  await page.waitForSelector('body[data-hydrated]');
  // The dashboard is there once the workspace has loaded, as a person would wait for it
  // (the sign-in page was hydrated already, so the mark above can come first).
  await page.waitForSelector('main#main');
}

// A long page for the benchmarks: 60 blocks, every third a features block, the others
// paragraphs of text; made through the CMS's own server function. Returns its id.
export async function createLongPage(page) {
  const blocks = Array.from({ length: 60 }, (_, n) => n % 3 === 0
    ? { type: 'features', heading: `Section ${n}`, items: [{ title: 'One', text: 'First' }, { title: 'Two', text: 'Second' }] }
    : { type: 'text', markdown: `## Part ${n}\n\n` + 'Words of a long page. '.repeat(40) });
  return page.evaluate(async (blocks) => {
    const response = await fetch('/api/cms/create_page', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'long-page', content: { title: 'A long page', meta_description: '', blocks } }),
    });
    return (await response.json()).id;
  }, blocks);
}
