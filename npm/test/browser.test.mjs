// The same vectors and Wycheproof suites in headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core), loading the package's browser entry from a server on 127.0.0.1.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { loadVectors, loadWycheproof } from './files.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

test('vectors npm-browser (headless Chromium)', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(executablePath), `Chromium not found at ${executablePath} (make test installs Debian's chromium)`);
  const conformance = JSON.stringify({ ...loadVectors('npm-browser'), ...loadWycheproof() });
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    if (path === '/__conformance.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(conformance);
      return;
    }
    const file = normalize(join(repo, path));
    if (!file.startsWith(join(repo, 'npm'))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${port}/npm/test/browser.html`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
    const result = await page.evaluate(() => window.runConformance());
    console.log(result.vectors.line);
    console.log(result.wycheproof.line);
    assert.deepEqual(errors, []);
    assert.deepEqual(result.vectors.failures, []);
    assert.deepEqual(result.wycheproof.failures, []);
  } finally {
    await browser.close();
    server.close();
  }
});
