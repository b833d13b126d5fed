// DPoP interoperability with implementations written by others:
// - proofs made by panva's `dpop` package (ES256, Ed25519, PS256, RS256) verify with a2a-auth;
// - a2a-auth proofs pass the resource-server checks of panva's `oauth4webapi`
//   (`validateJwtAccessToken` with `requireDPoP`: RFC 9068 access token + RFC 9449 proof,
//   including ath, htm, htu, iat and the cnf.jkt binding), and its rejections agree with ours.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as dpop from 'dpop';
import * as oauth from 'oauth4webapi';
import * as lib from 'a2a-auth';

const ORIGIN = 'https://rs.example.com';
const URL_ = `${ORIGIN}/api/tools?verbose=1`;
const AT = 'opaque-access-token.for-dpop.interop';

for (const alg of ['ES256', 'Ed25519', 'PS256', 'RS256']) {
  test(`dpop package (${alg}) proof verifies with a2a-auth`, async () => {
    const keypair = await dpop.generateKeyPair(alg);
    const proof = await dpop.generateProof(keypair, URL_, 'POST', undefined, AT);
    const jkt = await dpop.calculateThumbprint(keypair.publicKey);
    const request = { method: 'POST', target: '/api/tools?verbose=1', headers: [['authorization', `DPoP ${AT}`], ['dpop', proof]] };
    const config = { origin: ORIGIN, algorithms: ['ES256', 'Ed25519', 'PS256', 'RS256'] };
    const v = lib.verifyDpopProof(request, config, { expectedJkt: jkt });
    assert.equal(v.jkt, jkt);
    assert.equal(v.accessTokenBound, true);
    // The same proof for another method, or with another access token, is refused.
    assert.throws(() => lib.verifyDpopProof({ ...request, method: 'GET' }, config), { code: 'claim-mismatch' });
    const other = { ...request, headers: [['authorization', 'DPoP other-token'], ['dpop', proof]] };
    assert.throws(() => lib.verifyDpopProof(other, config), { code: 'claim-mismatch' });
  });
}

test('dpop package proof with a server nonce verifies; a stale one asks for a new nonce', async () => {
  const secret = Buffer.from(lib.randomBytes(32)).toString('base64url');
  const config = { origin: ORIGIN, nonceSecret: secret };
  const nonce = lib.dpopNonce(config);
  const keypair = await dpop.generateKeyPair('ES256');
  const request = (p) => ({ method: 'GET', target: '/api/tools', headers: [['DPoP', p]] });
  const good = await dpop.generateProof(keypair, `${ORIGIN}/api/tools`, 'GET', nonce);
  assert.equal(lib.verifyDpopProof(request(good), config).claims.nonce, nonce);
  const none = await dpop.generateProof(keypair, `${ORIGIN}/api/tools`, 'GET');
  let error;
  assert.throws(() => lib.verifyDpopProof(request(none), config), (e) => {
    error = e;
    return e.code === 'use-dpop-nonce';
  });
  const challenge = lib.dpopChallenge(error, config);
  assert.equal(challenge.status, 401);
  assert.match(challenge.wwwAuthenticate, /^DPoP error="use_dpop_nonce", error_description="[^"]*", algs="[^"]+"$/);
  assert.equal(typeof challenge.dpopNonce, 'string');
});

// An RFC 9068 access token bound to the proof key, signed by a test authorization server.
function accessToken(asKey, jkt, now) {
  return lib.signJwt(
    { iss: 'https://as.example.com', sub: 'user-1', aud: ORIGIN, client_id: 'agent-a', iat: now, exp: now + 300, jti: `at-${now}`, cnf: { jkt } },
    asKey,
    { typ: 'at+jwt' },
  );
}

async function o4wValidate(asKey, at, proof, method = 'GET') {
  const as = { issuer: 'https://as.example.com', jwks_uri: 'https://as.example.com/jwks' };
  const jwks = { keys: [asKey.publicJwk] };
  const request = new Request(`${ORIGIN}/api/tools`, { method, headers: { authorization: `DPoP ${at}`, dpop: proof } });
  return oauth.validateJwtAccessToken(as, request, ORIGIN, {
    requireDPoP: true,
    [oauth.customFetch]: async () => new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } }),
  });
}

for (const alg of ['ES256', 'Ed25519']) {
  test(`a2a-auth proof (${alg}) passes oauth4webapi's resource-server DPoP checks`, async () => {
    const asKey = lib.generateKeyPair('ES256', { kid: 'as-1' });
    const client = lib.generateKeyPair(alg);
    const now = lib.nowSeconds();
    const jkt = lib.calculateJwkThumbprint(client.publicJwk);
    const at = accessToken(asKey, jkt, now);
    const proof = lib.createDpopProof(client, { method: 'GET', uri: `${ORIGIN}/api/tools?x=1`, accessToken: at });
    const claims = await o4wValidate(asKey, at, proof);
    assert.equal(claims.cnf.jkt, jkt);
    // Ours agrees on the same request.
    const ours = lib.verifyDpopProof({ method: 'GET', target: '/api/tools', headers: [['authorization', `DPoP ${at}`], ['dpop', proof]] },
      { origin: ORIGIN }, { expectedJkt: jkt });
    assert.equal(ours.jkt, jkt);
  });
}

test('oauth4webapi rejects what a2a-auth rejects: wrong method, wrong key binding', async () => {
  const asKey = lib.generateKeyPair('ES256', { kid: 'as-1' });
  const client = lib.generateKeyPair('ES256');
  const other = lib.generateKeyPair('ES256');
  const now = lib.nowSeconds();
  const at = accessToken(asKey, lib.calculateJwkThumbprint(client.publicJwk), now);
  const postProof = lib.createDpopProof(client, { method: 'POST', uri: `${ORIGIN}/api/tools`, accessToken: at });
  await assert.rejects(o4wValidate(asKey, at, postProof, 'GET'));
  assert.throws(() => lib.verifyDpopProof({ method: 'GET', target: '/api/tools', headers: [['authorization', `DPoP ${at}`], ['dpop', postProof]] },
    { origin: ORIGIN }), { code: 'claim-mismatch' });
  const otherProof = lib.createDpopProof(other, { method: 'GET', uri: `${ORIGIN}/api/tools`, accessToken: at });
  await assert.rejects(o4wValidate(asKey, at, otherProof));
  assert.throws(() => lib.verifyDpopProof({ method: 'GET', target: '/api/tools', headers: [['authorization', `DPoP ${at}`], ['dpop', otherProof]] },
    { origin: ORIGIN }, { expectedJkt: lib.calculateJwkThumbprint(client.publicJwk) }), { code: 'binding-mismatch' });
});

test('WPT round trip through the npm package, with the replay cache', () => {
  const server = lib.generateKeyPair('ES256', { kid: 'wit-1' });
  const workload = lib.generateKeyPair('EdDSA');
  const now = lib.nowSeconds();
  const wit = lib.issueWorkloadIdentityToken(server, { subject: 'spiffe://example.org/agent-a', cnfJwk: workload.publicJwk, lifetime: 600, now });
  const wpt = lib.createWpt(workload, { wit, audience: 'https://agent-b.example.org/a2a?x=1', now });
  const bundles = { trust_domains: { 'example.org': { keys: [{ ...server.publicJwk, use: 'wit-svid' }] } } };
  const request = { method: 'POST', target: '/a2a', headers: { 'Workload-Identity-Token': wit, 'Workload-Proof-Token': wpt } };
  const cache = new lib.ReplayCache(100);
  const v = lib.verifyWpt(request, bundles, { wire: 'wpt-01', authorities: ['https://agent-b.example.org'] }, { now, replayCache: cache });
  assert.equal(v.subject, 'spiffe://example.org/agent-a');
  assert.equal(cache.size, 1);
  assert.throws(() => lib.verifyWpt(request, bundles, { wire: 'wpt-01', authorities: ['https://agent-b.example.org'] }, { now, replayCache: cache }),
    (e) => e.code === 'replayed' && lib.wptChallenge(e, 'wpt-01').status === 400);
  cache.free();
});
