// `npm pack` produces a tarball that installs into a fresh project and imports as a user would.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));

test('npm pack → npm install → import', { timeout: 120_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'a2a-auth-pack-'));
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: pkgDir, encoding: 'utf8' }));
    const files = packed[0].files.map((f) => f.path);
    assert.ok(files.includes('wasm/a2a_auth_bg.wasm'), 'the wasm is in the tarball');
    assert.ok(files.includes('js/index.d.ts'), 'types are in the tarball');
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('src/')), 'no tests or Rust sources');
    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(tmp, packed[0].filename)], { cwd: tmp, stdio: 'pipe' });
    writeFileSync(
      join(tmp, 'main.mjs'),
      `import { generateKeyPair, signJwt, verifyJwt, A2AAuthError } from 'a2a-auth';
       const key = generateKeyPair('EdDSA', { kid: 'k' });
       const token = signJwt({ sub: 'agent', exp: Math.floor(Date.now() / 1000) + 60 }, key, { typ: 'at+jwt' });
       const { claims } = verifyJwt(token, { keys: [key.publicJwk] }, { algorithms: ['EdDSA'], typ: 'at+jwt' });
       let code;
       try { verifyJwt(token, key.publicJwk, { algorithms: ['ES256'] }); } catch (e) { code = e instanceof A2AAuthError && e.code; }
       console.log(JSON.stringify({ sub: claims.sub, code }));`,
    );
    const out = execFileSync(process.execPath, ['main.mjs'], { cwd: tmp, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { sub: 'agent', code: 'alg-not-allowed' });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
