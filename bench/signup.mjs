// From the sign-up form to a live, built site (`make bench-signup`): for each of RUNS new
// businesses, over plain HTTP against the release build, it times
//   1. the sign-up form sent -> the site answers 200 with the business's name,
//   2. "Build my site" sent -> the site's home page shows the built pages,
//   3. the sign-up form sent -> the built site is live (1 and 2 back to back, the wizard's
//      answers sent at once, as a script would).
// Without BIZOSAAS_LLM_URL the site is written from templates; with it (and
// BIZOSAAS_LLM_MODEL, BIZOSAAS_LLM_API_KEY) by that language model.
import http from 'node:http';
import { join, resolve } from 'node:path';
import { startServer } from '../end2end/server.mjs';

const RUNS = Number(process.env.RUNS ?? 10);
process.env.BIZOSAAS_BIN ??= join(resolve(import.meta.dirname, '..'), 'target/release/bizosaas');

// A GET or POST with the Host and Cookie headers this script chooses (fetch refuses Host).
function request(port, { method = 'GET', path, host, cookie, type, body }) {
  return new Promise((done, fail) => {
    const headers = { host };
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) {
      headers['content-type'] = type;
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', fail);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function until(check) {
  for (;;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

const server = await startServer();
const platform = `localhost:${server.port}`;
const results = { answering: [], building: [], total: [] };
try {
  for (let run = 0; run < RUNS; run++) {
    const slug = `bench-bakery-${run}-${Date.now() % 100000}`;
    const name = `Bench Bakery ${run}`;
    const started = performance.now();
    const form = new URLSearchParams({
      name: 'Bench Baker', email: `${slug}@bench.test`, password: 'violet anvil harbour lantern',
      business: name, address: slug,
    }).toString();
    const signedUp = await request(server.port, {
      method: 'POST', path: '/api/accounts/sign_up', host: platform,
      type: 'application/x-www-form-urlencoded', body: form,
    });
    if (signedUp.status >= 400) throw new Error(`sign-up: ${signedUp.status} ${signedUp.text}`);
    const cookie = [signedUp.headers['set-cookie']].flat()[0].split(';')[0];
    const site = `${slug}.localhost:${server.port}`;
    await until(async () => {
      const home = await request(server.port, { path: '/', host: site });
      return home.status === 200 && home.text.includes(name);
    });
    const answered = performance.now();
    results.answering.push(answered - started);

    const answers = { offer: 'Sourdough bread', audience: 'early risers', kind: 'local', tone: 'friendly' };
    const build = await request(server.port, {
      method: 'POST', path: `/t/${slug}/api/onboarding/build`, host: platform, cookie,
      type: 'application/json', body: JSON.stringify({ answers }),
    });
    if (build.status !== 200) throw new Error(`build: ${build.status} ${build.text}`);
    await until(async () => {
      const home = await request(server.port, { path: '/', host: site });
      const about = await request(server.port, { path: '/about', host: site });
      return home.status === 200 && home.text.includes('Get in touch') && about.status === 200;
    });
    const built = performance.now();
    results.building.push(built - answered);
    results.total.push(built - started);
  }
} finally {
  await server.stop();
}

const row = (label, values) =>
  `| ${label} | ${percentile(values, 0.5).toFixed(0)} ms | ${percentile(values, 0.9).toFixed(0)} ms | ${Math.max(...values).toFixed(0)} ms |`;
const writer = process.env.BIZOSAAS_LLM_URL ? `language model ${process.env.BIZOSAAS_LLM_MODEL ?? ''}` : 'templates';
console.log(`\n${RUNS} sign-ups, site written from ${writer}\n`);
console.log('| from → to | median | p90 | max |');
console.log('| --- | --- | --- | --- |');
console.log(row('sign-up sent → site answers with the name', results.answering));
console.log(row('"Build my site" → built pages live', results.building));
console.log(row('sign-up sent → built site live', results.total));
