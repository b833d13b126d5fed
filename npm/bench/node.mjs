// `make bench`, Node: the npm package (host `npm-node`) and the peers doing the same checks
// with `jose` and `http-message-signatures` (host `jose-node`), measured as the native harness
// does (bench/src/main.rs in the repository): warm-up, then each operation timed on its own until the pool is
// used up or the budget spent. Prints {"npm-node": {op: {...}}, "jose-node": {op: {...}}}.
//
// The peers do what the verifier does for the same request, without its policy engine: verify
// the WIT (typ, signature, exp) under the trust domain key, verify the proof under the WIT's
// cnf key with its claims (aud, wth / ath, exp, jti single-use), verify the access token and
// the DPoP proof (embedded jwk, its thumbprint = cnf.jkt, htm, htu, ath). No caching.
import { readFileSync } from 'node:fs';
import { createHash, createPublicKey } from 'node:crypto';
import * as jose from 'jose';
import { httpbis, createVerifier } from 'http-message-signatures';
import { Verifier, verifyJws, verifyWorkloadIdentityToken } from '../js/node.js';

const WARMUP = 30;
const BUDGET_MS = 1500;

async function measure(pool, f) {
  for (let i = 0; i < Math.min(WARMUP, pool); i++) await f(i);
  const samples = [];
  let total = 0;
  for (let i = Math.min(WARMUP, pool); i < Math.max(pool, WARMUP + 1) && total < BUDGET_MS; i++) {
    const t = process.hrtime.bigint();
    await f(i % Math.max(pool, 1));
    const d = Number(process.hrtime.bigint() - t) / 1e6;
    total += d;
    samples.push(d * 1000);
  }
  samples.sort((a, b) => a - b);
  const pct = (p) => samples[Math.round((samples.length - 1) * p)];
  return { ops_per_sec: samples.length / (total / 1000), p50_us: pct(0.5), p99_us: pct(0.99), n: samples.length };
}

const fx = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const body = Buffer.from(fx.body, 'base64url');
const INF = Number.MAX_SAFE_INTEGER;
const req = (r) => ({ method: r.method, targetUri: r.target_uri, headers: r.headers, body: r.body === true ? new Uint8Array(body) : undefined });
const header = (r, name) => r.headers.find(([n]) => n.toLowerCase() === name)?.[1];

// ---- a2a-auth (npm) ----
const ours = {};
for (const [op, name] of [['es256-verify', 'jws_es256'], ['eddsa-verify', 'jws_eddsa']]) {
  const j = fx[name];
  ours[op] = await measure(INF, () => verifyJws(j.token, j.keys, { algorithms: j.algorithms }));
}
ours['wit-verify'] = await measure(INF, () => verifyWorkloadIdentityToken(fx.wit.token, fx.wit.trust_store, { now: fx.now }));
for (const [op, name] of [['wimse-request-cold', 'wimse_cold'], ['wimse-request-warm', 'wimse_warm'], ['dpop-request', 'dpop'], ['httpsig-request-4k', 'httpsig']]) {
  const requests = fx[name].map(req);
  const v = new Verifier(fx.policy, { secret: new Uint8Array(32).fill(9) });
  ours[op] = await measure(requests.length, (i) => {
    const d = v.authenticate(requests[i], { now: fx.now });
    if (!d.allow) throw new Error(`${op}: ${d.denial.code}`);
  });
}
{
  const v = new Verifier(fx.policy, { secret: new Uint8Array(32).fill(9) });
  const hit = req(fx.cache_hit);
  ours['cache-hit'] = await measure(INF, () => v.authenticate(hit, { now: fx.now }));
}

// ---- the peers: jose (+ http-message-signatures) ----
const peer = {};
const currentDate = new Date(fx.now * 1000);
const asKey = await jose.importJWK(fx.keys.as, 'ES256');
const tdKey = await jose.importJWK(fx.keys.td, 'ES256');
for (const [op, name] of [['es256-verify', 'jws_es256'], ['eddsa-verify', 'jws_eddsa']]) {
  const j = fx[name];
  const jwk = JSON.parse(j.keys).keys[0];
  const key = await jose.importJWK(jwk, j.algorithms[0]);
  peer[op] = await measure(INF, () => jose.compactVerify(j.token, key, { algorithms: j.algorithms }));
}
const verifyWit = async (token) => {
  const { payload } = await jose.jwtVerify(token, tdKey, { typ: 'wit+jwt', algorithms: ['ES256'], currentDate, requiredClaims: ['sub', 'exp', 'cnf'] });
  return payload;
};
peer['wit-verify'] = await measure(INF, () => verifyWit(fx.wit.token));
const seen = new Set();
const b64sha = (s) => createHash('sha256').update(s).digest('base64url');
const wimse = async (r) => {
  const wit = header(r, 'workload-identity-token');
  const claims = await verifyWit(wit);
  const cnf = await jose.importJWK(claims.cnf.jwk, claims.cnf.jwk.alg);
  const { payload: p } = await jose.jwtVerify(header(r, 'workload-proof-token'), cnf, { typ: 'wpt+jwt', algorithms: [claims.cnf.jwk.alg], currentDate, audience: r.target_uri.split('?')[0], requiredClaims: ['exp', 'jti', 'wth'] });
  if (p.wth !== b64sha(wit)) throw new Error('wth');
  if (seen.has(p.jti)) throw new Error('replay');
  seen.add(p.jti);
};
for (const [op, name] of [['wimse-request-cold', 'wimse_cold'], ['wimse-request-warm', 'wimse_warm']]) {
  seen.clear();
  peer[op] = await measure(fx[name].length, (i) => wimse(fx[name][i]));
}
seen.clear();
peer['dpop-request'] = await measure(fx.dpop.length, async (i) => {
  const r = fx.dpop[i];
  const at = header(r, 'authorization').replace(/^DPoP /, '');
  const { payload: t } = await jose.jwtVerify(at, asKey, { typ: 'at+jwt', algorithms: ['ES256'], currentDate, issuer: 'https://as.example.com', audience: 'https://svc.example.com/api' });
  const { payload: p, protectedHeader } = await jose.jwtVerify(header(r, 'dpop'), jose.EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'], currentDate });
  if (await jose.calculateJwkThumbprint(protectedHeader.jwk) !== t.cnf.jkt) throw new Error('jkt');
  if (p.htm !== r.method || p.htu !== r.target_uri.split('?')[0] || p.ath !== b64sha(at)) throw new Error('claims');
  if (seen.has(p.jti)) throw new Error('replay');
  seen.add(p.jti);
});
try {
  peer['httpsig-request-4k'] = await measure(fx.httpsig.length, async (i) => {
    const r = fx.httpsig[i];
    const claims = await verifyWit(header(r, 'workload-identity-token'));
    if (header(r, 'content-digest') !== `sha-256=:${createHash('sha256').update(body).digest('base64')}:`) throw new Error('digest');
    const pub = createPublicKey({ key: claims.cnf.jwk, format: 'jwk' });
    const headers = Object.fromEntries(r.headers.map(([n, v]) => [n.toLowerCase(), v]));
    const ok = await httpbis.verifyMessage({
      keyLookup: async () => ({ id: 'wit', algs: ['ecdsa-p256-sha256'], verify: createVerifier(pub, 'ecdsa-p256-sha256') }),
      notAfter: fx.now + 60,
      // The fixtures are signed at a fixed time: shift the library's clock window to it.
      tolerance: Math.floor(Date.now() / 1000) - fx.now + 300,
    }, { method: r.method, url: r.target_uri, headers });
    if (ok !== true) throw new Error('signature');
  });
} catch (e) {
  peer['httpsig-request-4k'] = { skipped: `http-message-signatures: ${e.message}` };
}
console.log(JSON.stringify({ 'npm-node': ours, 'jose-node': peer }));
