// RFC 9421 interoperability with the npm package `http-message-signatures` (dhensby), both
// ways, for ed25519, ecdsa-p256-sha256 and hmac-sha256, over a request with a body whose
// Content-Digest is covered; and the RFC 9421 B.2.6 vector verified by both.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, createSecretKey } from 'node:crypto';
import { httpbis, createSigner, createVerifier } from 'http-message-signatures';
import * as lib from 'a2a-auth';

const BODY = '{"task":"summarise","doc":42}';
const URL_ = 'https://agent-b.example/a2a/tasks?tenant=7';

function keyMaterial(alg) {
  switch (alg) {
    case 'ed25519': {
      const k = lib.generateKeyPair('Ed25519', { kid: 'k-ed' });
      return { ours: k, jwk: k.publicJwk, priv: createPrivateKey({ key: k.privateJwk(), format: 'jwk' }),
        pub: createPublicKey({ key: k.publicJwk, format: 'jwk' }) };
    }
    case 'ecdsa-p256-sha256': {
      const k = lib.generateKeyPair('ES256', { kid: 'k-ec' });
      return { ours: k, jwk: k.publicJwk, priv: createPrivateKey({ key: k.privateJwk(), format: 'jwk' }),
        pub: createPublicKey({ key: k.publicJwk, format: 'jwk' }) };
    }
    default: {
      const k = lib.generateKeyPair('HS256', { kid: 'k-mac' });
      const secret = createSecretKey(Buffer.from(k.privateJwk().k, 'base64url'));
      return { ours: k, jwk: k.privateJwk(), priv: secret, pub: secret };
    }
  }
}

function baseRequest() {
  return {
    method: 'POST',
    url: URL_,
    headers: {
      host: 'agent-b.example',
      'content-type': 'application/json',
      'content-digest': lib.contentDigest(BODY, ['sha-256']),
    },
  };
}

const toOurs = (req) => ({ method: req.method, targetUri: req.url, headers: req.headers });

for (const alg of ['ed25519', 'ecdsa-p256-sha256', 'hmac-sha256']) {
  test(`${alg}: http-message-signatures signs, a2a-auth verifies (digest checked)`, async () => {
    const km = keyMaterial(alg);
    const created = new Date(Math.floor(Date.now() / 1000) * 1000);
    const signed = await httpbis.signMessage({
      key: createSigner(km.priv, alg, 'peer-key'),
      fields: ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest'],
      params: ['created', 'keyid', 'alg'],
      paramValues: { created },
      name: 'sig1',
    }, baseRequest());
    const v = lib.httpVerify(toOurs(signed), {
      body: BODY,
      keys: [{ keyid: 'peer-key', alg, jwk: km.jwk }],
      policy: { requiredComponents: ['@method', '@authority', '@path', 'content-digest'], algorithms: [alg] },
    });
    assert.equal(v.label, 'sig1');
    assert.equal(v.digestChecked, true);
    // Their signature over an unchanged header with a swapped body: we refuse it.
    assert.throws(() => lib.httpVerify(toOurs(signed), { body: '{"task":"delete"}', keys: [{ keyid: 'peer-key', alg, jwk: km.jwk }] }),
      { code: 'digest-mismatch' });
  });

  test(`${alg}: a2a-auth signs, http-message-signatures verifies`, async () => {
    const km = keyMaterial(alg);
    const req = baseRequest();
    const created = lib.nowSeconds();
    const s = lib.httpSign(toOurs(req), {
      label: 'sig1',
      components: ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest'],
      params: [['created', created], ['keyid', 'our-key'], ['alg', alg]],
      key: km.ours,
    });
    const sent = { ...req, headers: { ...req.headers, 'signature-input': s.signatureInput, signature: s.signature } };
    const ok = await httpbis.verifyMessage({
      keyLookup: async (params) => (params.keyid === 'our-key' ? { id: 'our-key', algs: [alg], verify: createVerifier(km.pub, alg) } : null),
    }, sent);
    assert.equal(ok, true);
    // A changed method breaks it for them too.
    const tampered = await httpbis
      .verifyMessage({ keyLookup: async () => ({ id: 'our-key', algs: [alg], verify: createVerifier(km.pub, alg) }) }, { ...sent, method: 'PUT' })
      .catch(() => false);
    assert.equal(tampered, false);
  });
}

test('RFC 9421 B.2.6 verifies in both implementations', async () => {
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs' };
  const headers = {
    host: 'example.com',
    date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'content-type': 'application/json',
    'content-length': '18',
    'signature-input': 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    signature: 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
  };
  const req = { method: 'POST', url: 'https://example.com/foo?param=Value&Pet=dog', headers };
  const ours = lib.httpVerify(toOurs(req), { keys: [{ keyid: 'test-key-ed25519', alg: 'ed25519', jwk }], now: 1618884473 + 5 });
  assert.equal(ours.keyid, 'test-key-ed25519');
  const theirs = await httpbis.verifyMessage({
    keyLookup: async () => ({ id: 'test-key-ed25519', algs: ['ed25519'], verify: createVerifier(createPublicKey({ key: jwk, format: 'jwk' }), 'ed25519') }),
    maxAge: 10 ** 10,
  }, req);
  assert.equal(theirs, true);
});
