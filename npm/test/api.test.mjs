// The JavaScript surface: errors, defaults, randomness, argument checking.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as lib from 'a2a-auth';

test('errors are A2AAuthError with the stable code', () => {
  assert.throws(
    () => lib.verifyJws('a.b', { keys: [] }, { algorithms: ['ES256'] }),
    (e) => e instanceof lib.A2AAuthError && e instanceof Error && e.code === 'malformed-token',
  );
  assert.equal(lib.errorCodes().length, 46);
  assert.ok(lib.errorCodes().includes('alg-not-allowed'));
});

test('now defaults to the current time', () => {
  const key = lib.generateKeyPair('ES256', { kid: 'k' });
  const now = lib.nowSeconds();
  const past = lib.signJwt({ exp: now - 120 }, key);
  const future = lib.signJwt({ exp: now + 120 }, key);
  const opts = { algorithms: ['ES256'] };
  assert.throws(() => lib.verifyJwt(past, key.publicJwk, opts), { code: 'token-expired' });
  assert.equal(lib.verifyJwt(future, key.publicJwk, opts).claims.exp, now + 120);
  // An explicit now overrides the clock.
  assert.equal(lib.verifyJwt(past, key.publicJwk, { ...opts, now: now - 200 }).claims.exp, now - 120);
});

test('generated keys come from crypto.getRandomValues and carry kid and alg', () => {
  const a = lib.generateKeyPair('EdDSA', { kid: 'a' });
  const b = lib.generateKeyPair('EdDSA');
  assert.notEqual(lib.calculateJwkThumbprint(a.publicJwk), lib.calculateJwkThumbprint(b.publicJwk));
  assert.equal(a.publicJwk.kid, 'a');
  assert.equal(a.publicJwk.alg, 'EdDSA');
  assert.equal(a.privateJwk().d.length, 43);
  for (const alg of ['ES256', 'ES384', 'Ed25519', 'HS256']) assert.equal(lib.generateKeyPair(alg).alg, alg);
});

test('algorithms must be pinned by the caller', () => {
  const key = lib.generateKeyPair('ES256');
  const token = lib.signJwt({ exp: lib.nowSeconds() + 60 }, key);
  assert.throws(() => lib.verifyJwt(token, key.publicJwk, {}), TypeError);
  assert.throws(() => lib.verifyJws(token, key.publicJwk, { algorithms: [] }), TypeError);
  assert.throws(() => lib.verifyJws(token, key.publicJwk, { algorithms: ['none'] }), { code: 'alg-not-allowed' });
});

test('payloads are Uint8Array; strings are UTF-8', () => {
  const key = lib.generateKeyPair('ES256');
  const token = lib.signJws({}, 'héllo', key);
  const v = lib.verifyJws(token, { keys: [key.publicJwk] }, { algorithms: ['ES256'] });
  assert.ok(v.payload instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(v.payload), 'héllo');
  assert.equal(v.keyThumbprint, lib.calculateJwkThumbprint(key.publicJwk));
  assert.equal(lib.verifySignature('ES256', key.publicJwk, 'm', key.sign('m')), true);
  assert.throws(() => lib.verifySignature('ES256', key.publicJwk, 'n', key.sign('m')), { code: 'invalid-signature' });
});

test('a bad time is refused, not wrapped', () => {
  const key = lib.generateKeyPair('ES256');
  const token = lib.signJwt({ exp: 10 }, key);
  assert.throws(() => lib.verifyJwt(token, key.publicJwk, { algorithms: ['ES256'], now: -1 }), { code: 'invalid-argument' });
  assert.throws(() => lib.verifyJwt(token, key.publicJwk, { algorithms: ['ES256'], now: 1.5 }), { code: 'invalid-argument' });
});

test('the TypeScript ErrorCode union lists exactly the core codes', async () => {
  const { readFile } = await import('node:fs/promises');
  const dts = await readFile(new URL('../js/index.d.ts', import.meta.url), 'utf8');
  const union = dts.split('export type ErrorCode =')[1].split(';')[0];
  const listed = [...union.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]);
  assert.deepEqual(listed, lib.errorCodes());
});
