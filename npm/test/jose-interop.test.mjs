// Interoperability with panva/jose, both ways, for ES256, ES384 and EdDSA; thumbprints agree.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as lib from 'a2a-auth';

const NOW = 1_767_225_600;
const claims = { iss: 'https://as.example.com', aud: 'https://tools.example.com', sub: 'agent:planner', iat: NOW, exp: NOW + 600 };

for (const alg of ['ES256', 'ES384', 'EdDSA']) {
  test(`${alg}: jose signs, a2a-auth verifies`, async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
    const token = await new jose.SignJWT(claims).setProtectedHeader({ alg, typ: 'at+jwt', kid: 'j1' }).sign(privateKey);
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'j1' };
    const v = lib.verifyJwt(token, { keys: [jwk] }, { algorithms: [alg], typ: 'at+jwt', issuer: claims.iss, audience: claims.aud, now: NOW });
    assert.deepEqual(v.claims, claims);
    assert.equal(v.keyThumbprint, await jose.calculateJwkThumbprint(jwk));
    // jose's token tampered: a2a-auth rejects it.
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${s}`;
    assert.throws(() => lib.verifyJwt(forged, { keys: [jwk] }, { algorithms: [alg], now: NOW }), { code: 'invalid-signature' });
    assert.ok(p);
  });

  test(`${alg}: a2a-auth signs, jose verifies`, async () => {
    const pair = lib.generateKeyPair(alg, { kid: 'a1' });
    const token = lib.signJwt(claims, pair, { typ: 'at+jwt' });
    const key = await jose.importJWK(pair.publicJwk, alg);
    const { payload, protectedHeader } = await jose.jwtVerify(token, key, {
      algorithms: [alg], typ: 'at+jwt', issuer: claims.iss, audience: claims.aud, currentDate: new Date(NOW * 1000),
    });
    assert.deepEqual(payload, claims);
    assert.equal(protectedHeader.kid, 'a1');
    assert.equal(lib.calculateJwkThumbprint(pair.publicJwk), await jose.calculateJwkThumbprint(pair.publicJwk));
  });
}

test('RFC 7638 example thumbprint agrees with jose', async () => {
  const jwk = { kty: 'RSA', e: 'AQAB', n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw' };
  assert.equal(lib.calculateJwkThumbprint(jwk), await jose.calculateJwkThumbprint(jwk));
  assert.equal(lib.calculateJwkThumbprint(jwk), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
});
