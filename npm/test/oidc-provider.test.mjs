// A real authorization server: oidc-provider on 127.0.0.1 issues DPoP-bound JWT access tokens
// (client_credentials, RFC 8707 resource indicators, RFC 9068 format); a2a-auth's Signer makes
// the proofs and its Verifier (keys fetched from the provider's jwks_uri) decides. Started and
// stopped here; the AS's public identity is https://as.example.com, reached on the loopback
// address with Host and X-Forwarded-Proto (the provider runs behind a "proxy").
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import Provider from 'oidc-provider';
import * as lib from 'a2a-auth';

const ISSUER = 'https://as.example.com';
const RESOURCE = 'https://tools.example.com/mcp';
const ORIGIN = 'https://tools.example.com';
const SECRET = 'a2a-auth-test-client-secret-0123456789abcdef';

function loopback(port, url, { method = 'GET', headers = {}, body } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: u.pathname + u.search,
      headers: { host: u.host, 'x-forwarded-proto': 'https', ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

async function startAs() {
  const asKey = lib.generateKeyPair('ES256', { kid: 'as-1' });
  const provider = new Provider(ISSUER, {
    clients: [{ client_id: 'agent-a', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [],
      response_types: [], token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256' }],
    scopes: ['tools:call'],
    jwks: { keys: [asKey.privateJwk()] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      dPoP: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'tools:call', audience: RESOURCE, accessTokenFormat: 'jwt', accessTokenTTL: 300,
          jwt: { sign: { alg: 'ES256' } } }),
      },
    },
  });
  provider.proxy = true;
  const server = createServer(provider.callback());
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: server.address().port };
}

async function token(port, dpopKey) {
  const proof = lib.createDpopProof(dpopKey, { method: 'POST', uri: `${ISSUER}/token` });
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'tools:call', resource: RESOURCE }).toString();
  const r = await loopback(port, `${ISSUER}/token`, { method: 'POST', body, headers: {
    authorization: `Basic ${Buffer.from(`agent-a:${SECRET}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded', dpop: proof } });
  assert.equal(r.status, 200, r.text);
  const t = JSON.parse(r.text);
  assert.equal(t.token_type, 'DPoP');
  return t.access_token;
}

const policy = {
  resource: RESOURCE,
  authorities: [ORIGIN],
  authorization_servers: [{ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` }],
  credentials: { dpop: { algorithms: ['ES256', 'EdDSA'] } },
  routes: [{ path: '/mcp', prefix: true, scopes: ['tools:call'] }],
};

async function verifierFor(port) {
  const verifier = new lib.Verifier(policy);
  await verifier.refreshKeys({ fetch: async (url) => {
    const r = await loopback(port, url);
    return new Response(r.text, { status: r.status, headers: { 'cache-control': r.headers['cache-control'] ?? '' } });
  } });
  assert.deepEqual(verifier.due(), [], 'the jwks_uri document was fetched');
  return verifier;
}

test('oidc-provider DPoP-bound access tokens: accepted with a2a-auth proofs, rejected when tampered, expired, replayed or bound elsewhere', async () => {
  const { server, port } = await startAs();
  try {
    const dpopKey = lib.generateKeyPair('ES256');
    const at = await token(port, dpopKey);
    const claims = JSON.parse(Buffer.from(at.split('.')[1], 'base64url').toString());
    assert.equal(JSON.parse(Buffer.from(at.split('.')[0], 'base64url').toString()).typ, 'at+jwt');
    assert.equal(claims.cnf.jkt, lib.jwkThumbprint(dpopKey.publicJwk).thumbprint);
    const verifier = await verifierFor(port);
    const signer = new lib.Signer({ accessToken: at }, { dpopKey });
    const call = (s = signer, now) => {
      const headers = s.sign({ method: 'POST', targetUri: `${ORIGIN}/mcp/tools` }, { now });
      return { method: 'POST', targetUri: `${ORIGIN}/mcp/tools`, headers };
    };

    const good = call();
    const allowed = verifier.authenticate(good);
    assert.ok(allowed.allow, JSON.stringify(allowed.denial));
    assert.equal(allowed.principal.issuer, ISSUER);
    assert.equal(allowed.principal.clientId, 'agent-a');
    assert.deepEqual(allowed.principal.scopes, ['tools:call']);
    assert.deepEqual(allowed.principal.credentials, ['dpop']);

    const replayed = verifier.authenticate(good);
    assert.equal(replayed.denial.code, 'replayed');
    assert.equal(replayed.denial.status, 401);

    const tamperedAt = at.slice(0, -4) + (at.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const tampered = verifier.authenticate(call(new lib.Signer({ accessToken: tamperedAt }, { dpopKey })));
    assert.equal(tampered.denial.code, 'invalid-signature');
    assert.match(tampered.denial.wwwAuthenticate[0], /^DPoP error="invalid_token"/);

    const later = claims.exp + 600;
    const expired = new lib.Verifier(policy);
    await expired.refreshKeys({ fetch: async (url) => new Response((await loopback(port, url)).text), now: later });
    const e = expired.authenticate(call(signer, later), { now: later });
    assert.equal(e.denial.code, 'token-expired');

    const otherKey = lib.generateKeyPair('ES256');
    const elsewhere = verifier.authenticate(call(new lib.Signer({ accessToken: at }, { dpopKey: otherKey })));
    assert.equal(elsewhere.denial.code, 'binding-mismatch');
    assert.match(elsewhere.denial.wwwAuthenticate[0], /^DPoP error="invalid_token"/);

    const asBearer = verifier.authenticate({ method: 'POST', targetUri: `${ORIGIN}/mcp/tools`, headers: [['authorization', `Bearer ${at}`]] });
    assert.equal(asBearer.denial.code, 'binding-mismatch');
  } finally {
    server.close();
  }
});
