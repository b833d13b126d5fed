// The paved path in Node: a real http server on 127.0.0.1 guarded by Verifier, called through
// signedFetch (DPoP with a server nonce, so the first attempt is challenged and retried).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import * as lib from 'a2a-auth';

const ORIGIN = 'https://tools.example.com';
const now = lib.nowSeconds();

function world({ nonce = true } = {}) {
  const asKey = lib.generateKeyPair('ES256', { kid: 'as-1' });
  const dpopKey = lib.generateKeyPair('ES256');
  const policy = {
    resource: `${ORIGIN}/mcp`,
    authorities: [ORIGIN],
    authorization_servers: [{ issuer: 'https://as.example.com', jwks: { keys: [asKey.publicJwk] } }],
    credentials: { dpop: { algorithms: ['ES256'], nonce } },
    routes: [{ path: '/mcp', prefix: true, scopes: ['tools:call'] }],
  };
  const token = (claims = {}) => lib.signJwt({
    iss: 'https://as.example.com', sub: 'user-1', aud: `${ORIGIN}/mcp`, client_id: 'agent-a', iat: now - 5,
    exp: now + 300, jti: `at-${Math.random()}`, scope: 'tools:call', cnf: { jkt: lib.jwkThumbprint(dpopKey.publicJwk).thumbprint },
    ...claims,
  }, asKey, { typ: 'at+jwt' });
  return { asKey, dpopKey, policy, token };
}

async function serve(verifier, seen) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (lib.serveMetadata(verifier, req, res)) return;
      const request = lib.requestFromNode(req, { origin: ORIGIN, body: new Uint8Array(Buffer.concat(chunks)) });
      const d = verifier.authenticate(request);
      seen.push(d);
      if (!d.allow) return lib.writeDenial(res, d.denial);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ user: d.principal.subject, client: d.principal.clientId }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

// The client addresses the public origin; this fetch delivers it to the loopback server.
const loopback = (port) => (url, init) => fetch(url.replace(ORIGIN, `http://127.0.0.1:${port}`), init);

test('signedFetch retries once on use_dpop_nonce and the Verifier allows the retry', async () => {
  const w = world();
  const verifier = new lib.Verifier(w.policy);
  const seen = [];
  const server = await serve(verifier, seen);
  try {
    const signer = new lib.Signer({ accessToken: w.token() }, { dpopKey: w.dpopKey });
    const f = lib.signedFetch(signer, { fetch: loopback(server.address().port) });
    const r = await f(`${ORIGIN}/mcp/tools?x=1`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { user: 'user-1', client: 'agent-a' });
    assert.equal(seen.length, 2, 'one challenge, one retry');
    assert.equal(seen[0].denial.code, 'use-dpop-nonce');
    assert.equal(seen[0].denial.status, 401);
    assert.ok(seen[1].allow);
    assert.deepEqual(seen[1].principal.credentials, ['dpop']);
    // The next request reuses the nonce: no second challenge.
    const r2 = await f(`${ORIGIN}/mcp/tools`, { method: 'POST', body: '{}' });
    assert.equal(r2.status, 200);
    assert.equal(seen.length, 3);
    signer.free();
  } finally {
    server.close();
    verifier.free();
  }
});

test('denials reach the client with the exact status and challenge, and no token text', async () => {
  const w = world({ nonce: false });
  const verifier = new lib.Verifier(w.policy);
  const seen = [];
  const server = await serve(verifier, seen);
  try {
    const f = loopback(server.address().port);
    const meta = await f(`${ORIGIN}/.well-known/oauth-protected-resource/mcp`);
    assert.equal(meta.status, 200);
    assert.deepEqual(await meta.json(), { resource: `${ORIGIN}/mcp`, authorization_servers: ['https://as.example.com'],
      scopes_supported: ['tools:call'], bearer_methods_supported: [], dpop_signing_alg_values_supported: ['ES256'],
      dpop_bound_access_tokens_required: true });
    const none = await f(`${ORIGIN}/mcp`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'),
      `DPoP resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/mcp", algs="ES256"`);
    const narrow = w.token({ scope: 'openid' });
    const signer = new lib.Signer({ accessToken: narrow }, { dpopKey: w.dpopKey });
    const r = await lib.signedFetch(signer, { fetch: f })(`${ORIGIN}/mcp`, { method: 'POST' });
    assert.equal(r.status, 403);
    assert.match(r.headers.get('www-authenticate'), /error="insufficient_scope", scope="tools:call"/);
    const audit = JSON.stringify(seen.map((d) => d.denial.audit));
    assert.ok(!audit.includes(narrow) && !audit.includes(narrow.split('.')[1]), 'the audit record carries no token text');
    assert.equal(seen[1].denial.audit.token_hashes[0].kind, 'access_token');
    signer.free();
  } finally {
    server.close();
    verifier.free();
  }
});

test('requestFromFetch and a Fetch Request verify the same as the Node request', () => {
  const w = world({ nonce: false });
  const verifier = new lib.Verifier(w.policy);
  const signer = new lib.Signer({ accessToken: w.token() }, { dpopKey: w.dpopKey });
  const headers = signer.sign({ method: 'GET', targetUri: `${ORIGIN}/mcp/x` });
  return lib.requestFromFetch(new Request('http://127.0.0.1:1/mcp/x', { headers }), { origin: ORIGIN }).then((req) => {
    const d = verifier.authenticate(req);
    assert.ok(d.allow, JSON.stringify(d.denial));
    assert.equal(d.principal.route, '/mcp');
    // Without the configured origin the request is misdirected, whatever Host says.
    return lib.requestFromFetch(new Request('http://127.0.0.1:1/mcp/x', { headers })).then((bad) => {
      assert.equal(verifier.authenticate(bad).denial.code, 'misdirected-request');
    });
  });
});

test('Verifier.refreshKeys fetches a jwks_uri issuer through fetch and then accepts its tokens', async () => {
  const w = world({ nonce: false });
  w.policy.authorization_servers = [{ issuer: 'https://as.example.com', jwks_uri: 'https://as.example.com/jwks' }];
  const verifier = new lib.Verifier(w.policy);
  const signer = new lib.Signer({ accessToken: w.token() }, { dpopKey: w.dpopKey });
  const req = () => ({ method: 'GET', targetUri: `${ORIGIN}/mcp`, headers: signer.sign({ method: 'GET', targetUri: `${ORIGIN}/mcp` }) });
  assert.equal(verifier.authenticate(req()).denial.code, 'key-not-found');
  assert.deepEqual(verifier.due(), ['https://as.example.com/jwks']);
  const fetched = [];
  await verifier.refreshKeys({ fetch: async (url) => {
    fetched.push(url);
    return new Response(JSON.stringify({ keys: [w.asKey.publicJwk] }), { headers: { 'cache-control': 'max-age=600' } });
  } });
  assert.deepEqual(fetched, ['https://as.example.com/jwks']);
  assert.deepEqual(verifier.due(), []);
  assert.ok(verifier.authenticate(req()).allow);
});

test('a CAEP session-revoked pushed over HTTP stops the token that was allowed a moment ago', async () => {
  const w = world({ nonce: false });
  const ssfKey = lib.generateKeyPair('ES256', { kid: 'ssf-1' });
  w.policy.events = { transmitters: [{ issuer: 'https://ssf.example.com', jwks: { keys: [ssfKey.publicJwk] } }] };
  const verifier = new lib.Verifier(w.policy);
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url === '/ssf/push') {
        const a = verifier.receivePush(body.toString());
        res.writeHead(a.status, a.body ? { 'content-type': 'application/json' } : {});
        return res.end(a.body ?? undefined);
      }
      const d = verifier.authenticate(lib.requestFromNode(req, { origin: ORIGIN, body: new Uint8Array(body) }));
      seen.push(d);
      if (!d.allow) return lib.writeDenial(res, d.denial);
      res.writeHead(200);
      res.end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  try {
    const token = w.token({ iat: now - 60 });
    const f = lib.signedFetch(new lib.Signer({ accessToken: token }, { dpopKey: w.dpopKey }), { fetch: loopback(port) });
    assert.equal((await f(`${ORIGIN}/mcp/tools`, { method: 'POST' })).status, 200);
    const set = lib.issueSet({
      iss: 'https://ssf.example.com', iat: now, jti: 'evt-1', aud: `${ORIGIN}/mcp`,
      sub_id: { format: 'iss_sub', iss: 'https://as.example.com', sub: 'user-1' },
      events: { 'https://schemas.openid.net/secevent/caep/event-type/session-revoked': { event_timestamp: now - 1 } },
    }, ssfKey);
    const push = (body) => fetch(`http://127.0.0.1:${port}/ssf/push`, { method: 'POST', body, headers: { 'content-type': 'application/secevent+jwt' } });
    assert.equal((await push(set)).status, 202);
    assert.equal((await push(set)).status, 202, 'a retransmission is acknowledged');
    // A signature changed in its first character (the last one carries padding bits).
    const [h, p, sig] = set.split('.');
    const refused = await push(`${h}.${p}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).err, 'invalid_key');
    const r = await f(`${ORIGIN}/mcp/tools`, { method: 'POST' });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate'), /error="invalid_token", error_description="a security event revoked this credential"/);
    const d = seen.at(-1).denial;
    assert.equal(d.code, 'credential-revoked');
    assert.deepEqual(d.event, { type: 'session-revoked', jti: 'evt-1', iss: 'https://ssf.example.com' });
    assert.deepEqual(d.audit.event, d.event);
    const report = lib.checkRecords(w.policy, seen.map((x) => (x.allow ? x.principal.audit : x.denial.audit)));
    assert.deepEqual([report.records, report.findings.length, report.not_reevaluated], [2, 0, 1]);
  } finally {
    server.close();
  }
});

test('pollEvents applies what an RFC 8936 poll endpoint returns and acknowledges it', async () => {
  const w = world({ nonce: false });
  const ssfKey = lib.generateKeyPair('ES256', { kid: 'ssf-1' });
  w.policy.events = { transmitters: [{ issuer: 'https://ssf.example.com', jwks: { keys: [ssfKey.publicJwk] } }] };
  const verifier = new lib.Verifier(w.policy);
  const set = lib.issueSet({
    iss: 'https://ssf.example.com', iat: now, jti: 'evt-poll', aud: `${ORIGIN}/mcp`,
    sub_id: { format: 'opaque', id: 'user-1' },
    events: { 'https://schemas.openid.net/secevent/caep/event-type/credential-change': { credential_type: 'password', change_type: 'update' } },
  }, ssfKey);
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      requests.push({ auth: req.headers.authorization, body });
      const pending = requests.length === 1 ? { 'evt-poll': set } : {};
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sets: pending, moreAvailable: false }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const applied = await verifier.pollEvents(`http://127.0.0.1:${server.address().port}/poll`, { authorization: 'Bearer t' });
    assert.deepEqual(applied.map((a) => [a.jti, a.effects]), [['evt-poll', ['revoke']]]);
    assert.equal(requests.length, 2);
    assert.equal(requests[0].auth, 'Bearer t');
    assert.deepEqual(requests[1].body, { ack: ['evt-poll'], maxEvents: 0, returnImmediately: true });
    const request = { method: 'POST', targetUri: `${ORIGIN}/mcp/tools`, headers: [] };
    const signer = new lib.Signer({ accessToken: w.token() }, { dpopKey: w.dpopKey });
    const d = verifier.authenticate({ ...request, headers: signer.sign(request) });
    assert.equal(d.allow, false);
    assert.equal(d.denial.code, 'credential-revoked');
    assert.equal(d.denial.event.type, 'credential-change');
  } finally {
    server.close();
  }
});
