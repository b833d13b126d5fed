// The public API of the a2a-auth npm package, over the wasm-bindgen layer (`../wasm/`).
// Conversion only: JSON text <-> plain objects, strings <-> Uint8Array, thrown error JSON ->
// A2AAuthError. Time defaults to Date.now() and random bytes come from crypto.getRandomValues;
// the WebAssembly core itself never reads either.
import * as raw from '../wasm/a2a_auth.js';

/** An a2a-auth rejection. `code` is the stable code, identical in every host. */
export class A2AAuthError extends Error {
  constructor(code, detail) {
    super(`${code}: ${detail}`);
    this.name = 'A2AAuthError';
    this.code = code;
    this.detail = detail;
  }
}

function rethrow(e) {
  if (typeof e === 'string') {
    let parsed;
    try {
      parsed = JSON.parse(e);
    } catch {
      throw new Error(e);
    }
    throw new A2AAuthError(parsed.code, parsed.detail);
  }
  throw e;
}

function call(fn) {
  try {
    return fn();
  } catch (e) {
    return rethrow(e);
  }
}

const encoder = new TextEncoder();
const asText = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
const asBytes = (v) => (typeof v === 'string' ? encoder.encode(v) : v);
const opt = (v) => (v === undefined || v === null ? undefined : v);

/** The current time in Unix seconds (the default `now` of every time check). */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `n` random bytes from the platform's CSPRNG. */
export const randomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

/** Every stable error code, in order. */
export function errorCodes() {
  return raw.errorCodes();
}

/** A private key with its algorithm. Create with generateKeyPair, KeyPair.fromSeed or KeyPair.fromJwk. */
export class KeyPair {
  #inner;

  constructor(inner) {
    if (!(inner instanceof raw.KeyPair)) {
      throw new TypeError('use generateKeyPair(), KeyPair.fromSeed() or KeyPair.fromJwk()');
    }
    this.#inner = inner;
  }

  /** A key pair from seed bytes (32 for ES256/EdDSA/Ed25519, 48 for ES384, >= 32 for HS256). */
  static fromSeed(alg, seed, { kid } = {}) {
    return new KeyPair(call(() => raw.KeyPair.fromSeed(alg, seed, opt(kid))));
  }

  /** A key pair from a private JWK (object or JSON text). */
  static fromJwk(jwk, alg) {
    return new KeyPair(call(() => raw.KeyPair.fromJwk(asText(jwk), opt(alg))));
  }

  /** The algorithm's JWS name. */
  get alg() {
    return this.#inner.alg();
  }

  /** The public JWK as a plain object (with `alg`, and `kid` when set). */
  get publicJwk() {
    return JSON.parse(this.#inner.publicJwk());
  }

  /** The private JWK as a plain object. Handle as a secret. */
  privateJwk() {
    return JSON.parse(this.#inner.privateJwk());
  }

  /** Signs bytes (or a string, as UTF-8); returns the raw signature. */
  sign(message) {
    return call(() => this.#inner.sign(asBytes(message)));
  }

  /** @internal the wasm-bindgen object, for signJws. */
  get _inner() {
    return this.#inner;
  }

  /** Frees the key's memory now instead of at garbage collection. */
  free() {
    this.#inner.free();
  }
}

/** A new key pair for `alg`, from crypto.getRandomValues. */
export function generateKeyPair(alg, { kid } = {}) {
  const size = call(() => raw.seedLength(alg));
  // An ECDSA seed outside [1, n-1] (probability < 2^-32) is redrawn.
  for (let attempt = 0; ; attempt++) {
    try {
      return KeyPair.fromSeed(alg, randomBytes(size), { kid });
    } catch (e) {
      if (!(e instanceof A2AAuthError) || e.code !== 'invalid-key' || attempt >= 4) throw e;
    }
  }
}

/** RFC 7638 thumbprint of a JWK, base64url (the same as jose's calculateJwkThumbprint). */
export function calculateJwkThumbprint(jwk) {
  return jwkThumbprint(jwk).thumbprint;
}

/** RFC 7638 thumbprint with its canonical input and RFC 9278 URI. */
export function jwkThumbprint(jwk) {
  const [canonical, thumbprint, thumbprintUri] = call(() => raw.thumbprint(asText(jwk)));
  return { canonical, thumbprint, thumbprintUri };
}

/** Validates a JWK; returns its public form as a plain object. */
export function importJwk(jwk) {
  return JSON.parse(call(() => raw.importJwk(asText(jwk))));
}

/** Verifies a raw signature; returns true or throws A2AAuthError. */
export function verifySignature(alg, jwk, message, signature) {
  call(() => raw.verifySignature(alg, asText(jwk), asBytes(message), signature));
  return true;
}

function requireAlgorithms(options) {
  const algorithms = options?.algorithms;
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError('options.algorithms must list the accepted algorithms, e.g. ["ES256", "EdDSA"]');
  }
  return algorithms;
}

/**
 * Verifies a compact JWS. `keys` is a JWK Set or a single JWK (object or JSON text).
 * Returns { alg, header, payload: Uint8Array, keyThumbprint }.
 */
export function verifyJws(token, keys, options) {
  const algorithms = requireAlgorithms(options);
  const v = call(() => raw.verifyJws(token, asText(keys), algorithms));
  const out = { alg: v.alg, header: JSON.parse(v.header), payload: v.payload, keyThumbprint: v.keyThumbprint };
  v.free();
  return out;
}

/**
 * Verifies a JWT. Options: algorithms (required), typ, issuer, audience, subject, required,
 * leeway (seconds, default 60), maxAge (seconds), now (Unix seconds, default the current time).
 * Returns { header, claims, keyThumbprint }.
 */
export function verifyJwt(token, keys, options) {
  const algorithms = requireAlgorithms(options);
  const o = options;
  const [header, claims, keyThumbprint] = call(() =>
    raw.verifyJwt(
      token,
      asText(keys),
      algorithms,
      opt(o.typ),
      opt(o.issuer),
      opt(o.audience),
      opt(o.subject),
      o.required ?? [],
      opt(o.leeway),
      opt(o.maxAge),
      o.now ?? nowSeconds(),
    ),
  );
  return { header: JSON.parse(header), claims: JSON.parse(claims), keyThumbprint };
}

/** Signs `payload` (bytes or string) as a compact JWS; `header` holds extra protected members. */
export function signJws(header, payload, keyPair) {
  if (!(keyPair instanceof KeyPair)) throw new TypeError('keyPair must be a KeyPair');
  return call(() => raw.signJws(asText(header ?? {}), asBytes(payload), keyPair._inner));
}

/** Signs a claims object as a JWT (compact JSON payload). */
export function signJwt(claims, keyPair, header = {}) {
  return signJws(header, JSON.stringify(claims), keyPair);
}

function workloadId([id, scheme, trustDomain, path, origin]) {
  return { id, scheme, trustDomain, path, origin };
}

/** Parses a SPIFFE ID or WIMSE identifier (canonical form only); returns its parts. */
export function parseWorkloadId(id) {
  return workloadId(call(() => raw.parseWorkloadId(id, false)));
}

/** Parses a SPIFFE ID only. */
export function parseSpiffeId(id) {
  return workloadId(call(() => raw.parseWorkloadId(id, true)));
}

/**
 * Whether `id` matches `pattern`: an exact identifier, `<id>/*` (strictly below, whole
 * segments, same origin) or `<scheme>://<trust-domain>/**` (the whole trust domain).
 */
export function idMatches(pattern, id) {
  return call(() => raw.idMatches(pattern, id));
}

/**
 * Parses a SPIFFE trust bundle (object or JSON text) for `trustDomain`. Returns
 * { trustDomain, sequence, refreshHint, jwtKids, witKids, x509Thumbprints, skipped }.
 */
export function parseBundle(trustDomain, bundle) {
  const b = call(() => raw.parseBundle(trustDomain, asText(bundle)));
  const out = {
    trustDomain: b.trustDomain,
    sequence: b.sequence ?? null,
    refreshHint: b.refreshHint,
    jwtKids: b.jwtKids,
    witKids: b.witKids,
    x509Thumbprints: b.x509Thumbprints,
    skipped: b.skipped,
  };
  b.free();
  return out;
}

/** Parses a SPIFFE bundle map (JSON text; an object cannot express duplicate trust domains). */
export function parseBundleMap(map) {
  return call(() => raw.parseBundleMap(asText(map)));
}

/**
 * Verifies a Workload Identity Token against a trust store (SPIFFE bundle map, object or JSON
 * text). Options: now (default the current time), maxLifetime (seconds, default 24 h),
 * profile ('wimse' default, or 'wit-svid' for the SPIFFE WIT-SVID rules). Returns
 * { subject, trustDomain, cnfJwk, proofAlg, issuerKeyThumbprint, claims }. The identity is
 * authenticated only once a proof under cnfJwk verifies too.
 */
export function verifyWorkloadIdentityToken(token, trustStore, { now, maxLifetime, profile = 'wimse' } = {}) {
  if (profile !== 'wimse' && profile !== 'wit-svid') throw new TypeError("profile is 'wimse' or 'wit-svid'");
  const [subject, trustDomain, cnfJwk, proofAlg, issuerKeyThumbprint, claims] = call(() =>
    raw.verifyWorkloadIdentityToken(token, asText(trustStore), now ?? nowSeconds(), opt(maxLifetime), profile === 'wit-svid'),
  );
  return { subject, trustDomain, cnfJwk: JSON.parse(cnfJwk), proofAlg, issuerKeyThumbprint, claims: JSON.parse(claims) };
}

/**
 * Issues a Workload Identity Token (identity-server side). Options: subject, cnfJwk (the
 * workload's public JWK with alg), lifetime (seconds), jti (default random), issuer, now.
 */
export function issueWorkloadIdentityToken(issuerKey, { subject, cnfJwk, lifetime = 3600, jti, issuer, now } = {}) {
  if (!(issuerKey instanceof KeyPair)) throw new TypeError('issuerKey must be a KeyPair');
  const id = jti ?? Array.from(randomBytes(16), (b) => b.toString(16).padStart(2, '0')).join('');
  return call(() =>
    raw.issueWorkloadIdentityToken(issuerKey._inner, subject, asText(cnfJwk), now ?? nowSeconds(), lifetime, id, opt(issuer)),
  );
}

/**
 * Verifies a JWT-SVID (a SPIFFE bearer token) for `audience` against a trust store (SPIFFE
 * bundle map). Options: now. Returns { subject, trustDomain, issuerKeyThumbprint, claims }.
 */
export function verifyJwtSvid(token, trustStore, audience, { now } = {}) {
  const [subject, trustDomain, issuerKeyThumbprint, claims] = call(() =>
    raw.verifyJwtSvid(token, asText(trustStore), audience, now ?? nowSeconds()),
  );
  return { subject, trustDomain, issuerKeyThumbprint, claims: JSON.parse(claims) };
}

/**
 * Verifies an X.509-SVID: `chain` is PEM text (leaf first, then intermediates), checked against
 * the `x509-svid` authorities of the leaf's own trust domain in `trustStore` (a SPIFFE bundle
 * map). Options: now. Returns { subject, trustDomain, notAfter, spkiSha256, leafSha256, pathLength }.
 */
export function verifyX509Svid(chain, trustStore, { now } = {}) {
  const [subject, trustDomain, notAfter, spkiSha256, leafSha256, pathLength] = call(() =>
    raw.verifyX509Svid(chain, asText(trustStore), now ?? nowSeconds()),
  );
  return { subject, trustDomain, notAfter: Number(notAfter), spkiSha256, leafSha256, pathLength: Number(pathLength) };
}

/**
 * Identity-server side: checks attestation `evidence` (a signed JWT from an attester named in
 * `policy`, the issuance policy document) and issues a WIT binding `cnfJwk` (the workload's public
 * JWK with alg) to the identity of the first rule whose selectors match. Options: jti (default
 * random), now. Returns { token, subject, issuedAt, expiresAt, renewAfter }.
 */
export function issueAttestedWit(issuerKey, policy, evidence, cnfJwk, { jti, now } = {}) {
  if (!(issuerKey instanceof KeyPair)) throw new TypeError('issuerKey must be a KeyPair');
  const id = jti ?? Array.from(randomBytes(16), (b) => b.toString(16).padStart(2, '0')).join('');
  const [token, subject, issuedAt, expiresAt, renewAfter] = call(() =>
    raw.issueAttestedWit(issuerKey._inner, asText(policy), evidence, asText(cnfJwk), now ?? nowSeconds(), id),
  );
  return { token, subject, issuedAt: Number(issuedAt), expiresAt: Number(expiresAt), renewAfter: Number(renewAfter) };
}

/** When a credential valid from `issuedAt` to `expiresAt` should be renewed: its half-life. */
export function renewalTime(issuedAt, expiresAt) {
  return call(() => raw.renewalTime(issuedAt, expiresAt));
}

// ---- Proof of possession: WPT, DPoP, replay cache -------------------------------------------

/**
 * Header pairs from what a server framework gives: an array of [name, value] pairs (keeps
 * repeats: use it, e.g. from Node's `req.rawHeaders` via `pairsFromRaw`), a plain object whose
 * values are strings or arrays of strings, or a fetch `Headers` (which merges repeats into one
 * comma-joined value, so "exactly one" can only be judged on what it kept).
 */
function headerPairs(headers) {
  if (Array.isArray(headers)) return headers.map(([n, v]) => [String(n), String(v)]);
  if (headers && typeof headers.entries === 'function' && typeof headers.get === 'function') {
    return Array.from(headers.entries(), ([n, v]) => [n, v]);
  }
  const out = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (Array.isArray(value)) for (const v of value) out.push([name, String(v)]);
    else if (value !== undefined && value !== null) out.push([name, String(value)]);
  }
  return out;
}

/** Pairs from Node's flat `req.rawHeaders` ([name, value, name, value, ...]). */
export function pairsFromRaw(rawHeaders) {
  const out = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) out.push([rawHeaders[i], rawHeaders[i + 1]]);
  return out;
}

const randomJti = () => raw_b64url(randomBytes(16));
function raw_b64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * A bounded replay cache of (sender, jti) pairs: oldest evicted first when full, live
 * evictions counted. Pass one to verifyWpt / verifyDpopProof and keep it for the process.
 */
export class ReplayCache {
  constructor(capacity = 100000, secret = randomBytes(32)) {
    this._inner = call(() => new raw.ReplayCache(capacity, secret));
  }
  /** Records the pair until expiresAt or throws `replayed`; true when a live entry was evicted. */
  checkAndInsert(sender, jti, expiresAt, now = nowSeconds()) {
    return call(() => this._inner.checkAndInsert(sender, jti, expiresAt, now));
  }
  get size() {
    return this._inner.size;
  }
  get evictedLive() {
    return this._inner.evictedLive;
  }
  free() {
    this._inner.free();
  }
}

/**
 * Creates a Workload Proof Token with the private key of the WIT's cnf.jwk. Options: wit (as
 * sent), audience (target URI; query dropped), lifetime (seconds, default 60, at most 300), jti
 * (default 16 random bytes), accessToken (ath), txnToken (tth), otherTokens ({ name: value } or
 * pairs; oth), now.
 */
export function createWpt(key, { wit, audience, lifetime = 60, jti, accessToken, txnToken, otherTokens = [], now } = {}) {
  if (!(key instanceof KeyPair)) throw new TypeError('key must be a KeyPair');
  return call(() =>
    raw.createWpt(key._inner, wit, audience, now ?? nowSeconds(), lifetime, jti ?? randomJti(),
      opt(accessToken), opt(txnToken), JSON.stringify(headerPairs(otherTokens))),
  );
}

/**
 * Verifies the WIT and WPT of a request: { method, target, headers }. config: { wire:
 * 'wpt-01' | 'wpt-02', authorities: ['https://svc.example'], audienceAliases, understoodOth,
 * maxLifetime, leeway, maxWitLifetime, witProfile } (audiences come only from here). Options:
 * now, replayCache. Returns { subject, trustDomain, audience, jti, expiresAt, proofAlg,
 * cnfThumbprint, bound, replayCacheEvictedLive, claims }.
 */
export function verifyWpt(request, trustStore, config, { now, replayCache } = {}) {
  const cache = replayCache ?? new ReplayCache(1);
  try {
    return JSON.parse(call(() =>
      raw.verifyWpt(request.method, request.target, JSON.stringify(headerPairs(request.headers)), asText(trustStore),
        wptConfigText(config), now ?? nowSeconds(), cache._inner),
    ));
  } finally {
    if (!replayCache) cache.free();
  }
}

function snake(config, map) {
  if (typeof config === 'string') return config;
  const out = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[map[k] ?? k] = v;
  return JSON.stringify(out);
}
const wptConfigText = (c) => snake(c, { audienceAliases: 'audience_aliases', understoodOth: 'understood_oth',
  maxLifetime: 'max_lifetime', maxWitLifetime: 'max_wit_lifetime', witProfile: 'wit_profile' });
const dpopConfigText = (c) => snake(c, { maxAge: 'max_age', maxFuture: 'max_future', nonceSecret: 'nonce_secret', nonceStep: 'nonce_step' });

/**
 * Creates a DPoP proof. Options: method, uri (query dropped for htu), accessToken (ath), nonce
 * (the server's DPoP-Nonce), jti (default 16 random bytes), now.
 */
export function createDpopProof(key, { method, uri, accessToken, nonce, jti, now } = {}) {
  if (!(key instanceof KeyPair)) throw new TypeError('key must be a KeyPair');
  return call(() => raw.createDpopProof(key._inner, method, uri, now ?? nowSeconds(), jti ?? randomJti(), opt(accessToken), opt(nonce)));
}

/**
 * Verifies the DPoP proof of a request: { method, target, headers } (the access token comes from
 * `Authorization: DPoP`). config: { origin: 'https://api.example', algorithms, maxAge, maxFuture,
 * nonceSecret (base64url), nonceStep }. Options: expectedJkt (the token's cnf.jkt), now,
 * replayCache. Returns { jkt, jti, issuedAt, accessTokenBound, replayCacheEvictedLive, claims }.
 */
export function verifyDpopProof(request, config, { expectedJkt, now, replayCache } = {}) {
  const cache = replayCache ?? new ReplayCache(1);
  try {
    return JSON.parse(call(() =>
      raw.verifyDpopProof(request.method, request.target, JSON.stringify(headerPairs(request.headers)), opt(expectedJkt),
        dpopConfigText(config), now ?? nowSeconds(), cache._inner),
    ));
  } finally {
    if (!replayCache) cache.free();
  }
}

/** The DPoP-Nonce to hand out now (the configuration needs nonceSecret). */
export function dpopNonce(config, { now } = {}) {
  return call(() => raw.dpopNonce(dpopConfigText(config), now ?? nowSeconds()));
}

/** How to answer a WPT failure: { status, wwwAuthenticate, dpopNonce }. */
export function wptChallenge(errorOrCode, wire) {
  const code = typeof errorOrCode === 'string' ? errorOrCode : errorOrCode.code;
  return JSON.parse(call(() => raw.wptChallenge(code, wire)));
}

/** How to answer a DPoP failure: { status, wwwAuthenticate, dpopNonce }. Options: now, description. */
export function dpopChallenge(errorOrCode, config, { now, description } = {}) {
  const code = typeof errorOrCode === 'string' ? errorOrCode : errorOrCode.code;
  const text = description ?? (typeof errorOrCode === 'string' ? '' : errorOrCode.detail);
  return JSON.parse(call(() => raw.dpopChallenge(code, text, dpopConfigText(config), now ?? nowSeconds())));
}

/** RFC 3986 normalisation of an absolute http(s) URI without query and fragment (how htu compares). */
export function normalizeHttpUri(uri) {
  return call(() => raw.normalizeHttpUri(uri));
}

// ---- HTTP Message Signatures (RFC 9421), Content-Digest (RFC 9530), WIMSE profile ----------

/**
 * A message for signing/verifying: a request { method, targetUri, headers, trailers? } or a
 * response { status, headers, trailers?, request? } (request for ;req components). Headers as
 * in verifyWpt (pairs keep repeats).
 */
function messageText(m) {
  const out = { headers: headerPairs(m.headers ?? []) };
  if (m.trailers) out.trailers = headerPairs(m.trailers);
  if (m.status !== undefined && m.status !== null) {
    out.status = m.status;
    if (m.request) out.request = JSON.parse(messageText(m.request));
  } else {
    out.method = m.method;
    out.target_uri = m.targetUri ?? m.target_uri;
  }
  return JSON.stringify(out);
}

const bodyBytes = (b) => (b === undefined || b === null ? undefined : asBytes(b));

/**
 * Signs a message: components in order (`@method`, `content-digest`, `"@query-param";name="x"`),
 * params as an ordered array of [name, value] pairs (created/expires numbers, strings, true
 * flags). Returns { signatureInput, signature, base }: add `Signature-Input: <signatureInput>`
 * and `Signature: <signature>`.
 */
export function httpSign(message, { label = 'sig1', components, params = [], key }) {
  if (!(key instanceof KeyPair)) throw new TypeError('key must be a KeyPair');
  return JSON.parse(call(() => raw.httpSign(messageText(message), label, components, JSON.stringify(params), key._inner)));
}

/** The signature base of one Signature-Input member for a message (for debugging). */
export function httpSignatureBase(message, signatureInput) {
  return call(() => raw.httpSignatureBase(messageText(message), signatureInput));
}

function policyText(p = {}) {
  return snake(p, { requiredComponents: 'required_components', requiredParams: 'required_params',
    forbiddenParams: 'forbidden_params', maxAge: 'max_age', requireDigestForBody: 'require_digest_for_body', fieldTypes: 'field_types' });
}

/**
 * Verifies one signature of a message. Options: body (bytes or string, exactly as received),
 * policy ({ label, tag, requiredComponents, requiredParams, forbiddenParams, maxAge, leeway,
 * algorithms, requireDigestForBody, fieldTypes }), keys ([{ keyid, alg, jwk }]; the algorithm
 * is configuration), now, replayCache. A covered content-digest is always checked against the
 * body. Returns { label, components, keyid, tag, nonce, created, expires, digestChecked }.
 */
export function httpVerify(message, { body, policy, keys, now, replayCache } = {}) {
  const cache = replayCache ?? new ReplayCache(1);
  try {
    return JSON.parse(call(() => raw.httpVerify(messageText(message), bodyBytes(body), policyText(policy), asText(keys ?? []),
      now ?? nowSeconds(), cache._inner)));
  } finally {
    if (!replayCache) cache.free();
  }
}

/** The Content-Digest value for a body (algorithms: 'sha-256', 'sha-512'). */
export function contentDigest(body, algorithms = ['sha-256']) {
  return call(() => raw.contentDigest(asBytes(body), algorithms));
}

/** Checks a Content-Digest value against the body received; throws digest-mismatch. */
export function verifyContentDigest(field, body) {
  call(() => raw.verifyContentDigest(field, asBytes(body)));
}

/**
 * Signs a request in the WIMSE profile with the WIT's key; the request must carry its
 * Workload-Identity-Token. Options: body, audience (wimse-aud), lifetime (default 60), nonce
 * (default random), version ('draft-07' default or 'draft-06'), signResponse, now. Returns
 * { contentDigest, signatureInput, signature } to add as headers.
 */
export function signWimseRequest(request, key, { body, audience, lifetime = 60, nonce, version = 'draft-07', signResponse = false, now } = {}) {
  if (!(key instanceof KeyPair)) throw new TypeError('key must be a KeyPair');
  return JSON.parse(call(() => raw.signWimseRequest(messageText(request), bodyBytes(body), key._inner, audience, now ?? nowSeconds(),
    lifetime, nonce ?? randomJti(), version, signResponse)));
}

/** Signs a response (with its request) in the WIMSE profile, echoing the request's nonce. */
export function signWimseResponse(response, key, { body, requestNonce, lifetime = 60, nonce, version = 'draft-07', now } = {}) {
  if (!(key instanceof KeyPair)) throw new TypeError('key must be a KeyPair');
  return JSON.parse(call(() => raw.signWimseResponse(messageText(response), bodyBytes(body), requestNonce, key._inner,
    now ?? nowSeconds(), lifetime, nonce ?? randomJti(), version)));
}

const wimseConfigText = (c) => snake(c, { maxAge: 'max_age', maxLifetime: 'max_lifetime', maxWitLifetime: 'max_wit_lifetime', witProfile: 'wit_profile' });

/**
 * Verifies a WIMSE-signed request: its WIT first (against trustStore, a bundle map), then the
 * profile and the signature. config: { audiences, maxAge, maxLifetime, leeway, maxWitLifetime,
 * witProfile }. Options: body, now, replayCache. Returns { subject, trustDomain, signature,
 * signResponse }.
 */
export function verifyWimseRequest(request, trustStore, config, { body, now, replayCache } = {}) {
  const cache = replayCache ?? new ReplayCache(1);
  try {
    return JSON.parse(call(() => raw.verifyWimseRequest(messageText(request), bodyBytes(body), asText(trustStore),
      wimseConfigText(config), now ?? nowSeconds(), cache._inner)));
  } finally {
    if (!replayCache) cache.free();
  }
}

/** Verifies a WIMSE-signed response (with its request) against the responder's WIT and our nonce. */
export function verifyWimseResponse(response, trustStore, config, { body, requestNonce, now } = {}) {
  return JSON.parse(call(() => raw.verifyWimseResponse(messageText(response), bodyBytes(body), requestNonce, asText(trustStore),
    wimseConfigText(config), now ?? nowSeconds())));
}

// ---- The paved path: Verifier.authenticate and Signer.sign ----

function gateRequestText(request) {
  return JSON.stringify({
    method: request.method,
    target_uri: request.targetUri,
    headers: headerPairs(request.headers ?? []),
    mtls_peer: request.mtlsPeer ?? null,
  });
}

function maxAgeOf(cacheControl) {
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Decides about incoming requests under one policy document (JSON text or object). Keeps
 * bounded state: verified WITs and access tokens until they expire, the proof replay cache, and
 * the `jwks_uri` documents it fetched. `secret` (>= 32 bytes) keys the replay cache and DPoP
 * nonces; verifiers that must accept each other's nonces share it.
 */
export class Verifier {
  constructor(policy, { secret = randomBytes(32) } = {}) {
    this._inner = call(() => new raw.Verifier(asText(policy), secret));
  }

  /**
   * Decides about { method, targetUri, headers, body, mtlsPeer } (targetUri is the absolute URI
   * built from your own origin, never from Host). Returns { allow: true, principal } or
   * { allow: false, denial: { status, wwwAuthenticate, dpopNonce, code, detail, audit } }.
   */
  authenticate(request, { now } = {}) {
    const d = JSON.parse(call(() => this._inner.authenticate(gateRequestText(request), bodyBytes(request.body), now ?? nowSeconds())));
    if (d.allow) {
      d.principal.authorizationDetails = JSON.parse(d.principal.authorizationDetails);
      d.principal.act = d.principal.act === null ? null : JSON.parse(d.principal.act);
      if (d.principal.transaction) d.principal.transaction = txnContext(d.principal.transaction);
      d.principal.audit = JSON.parse(d.principal.audit);
    } else {
      d.denial.audit = JSON.parse(d.denial.audit);
      d.denial.event = d.denial.event === null ? null : JSON.parse(d.denial.event);
    }
    return d;
  }

  /**
   * Verifies a Security Event Token from one of the policy's `events.transmitters` and applies
   * it (CAEP session-revoked, credential-change, …): covered credentials issued before the
   * event are refused from now on. Returns the applied event { issuer, jti, events, effects,
   * subject, state, duplicate, dropped, token_hash }; throws AuthError for a SET it refuses.
   */
  applyEvent(set, { now } = {}) {
    return JSON.parse(call(() => this._inner.applyEvent(set, now ?? nowSeconds())));
  }

  /**
   * Receives an RFC 8935 push (the POSTed SET text): { status, body, applied }. Answer with
   * `status` (202, or 400 with `body` as application/json).
   */
  receivePush(body, { now } = {}) {
    const a = JSON.parse(call(() => this._inner.receivePush(body, now ?? nowSeconds())));
    return { status: a.status, body: a.body, applied: a.applied === null ? null : JSON.parse(a.applied) };
  }

  /**
   * Receives an RFC 8936 poll response (text or object): applies its SETs and returns
   * { nextRequest, applied, refused, moreAvailable } (nextRequest: the JSON body to POST next,
   * acknowledging what was taken and reporting what was refused).
   */
  receivePoll(body, { maxEvents = 100, now } = {}) {
    const o = JSON.parse(call(() => this._inner.receivePoll(asText(body), maxEvents, now ?? nowSeconds())));
    return { nextRequest: o.next_request, applied: o.applied, refused: o.refused, moreAvailable: o.more_available };
  }

  /**
   * Polls an SSF poll endpoint with `fetch` until the transmitter has nothing more (at most
   * `rounds` requests), applying every SET; returns the applied events. `authorization` is the
   * Authorization header value the stream requires.
   */
  async pollEvents(endpoint, { authorization, fetch = globalThis.fetch, maxEvents = 100, rounds = 10, now } = {}) {
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (authorization) headers.authorization = authorization;
    const post = async (body) => {
      const r = await fetch(endpoint, { method: 'POST', headers, body });
      if (!r.ok) throw new Error(`poll endpoint answered ${r.status}`);
      return r.text();
    };
    const applied = [];
    let body = JSON.stringify({ maxEvents, returnImmediately: true });
    for (let i = 0; i < rounds; i++) {
      const o = this.receivePoll(await post(body), { maxEvents, now });
      applied.push(...o.applied);
      const next = JSON.parse(o.nextRequest);
      next.returnImmediately = true;
      if (!o.moreAvailable) {
        // Acknowledge (and report) what was just received, asking for nothing more.
        if (next.ack || next.setErrs) await post(JSON.stringify({ ...next, maxEvents: 0 }));
        break;
      }
      body = JSON.stringify(next);
    }
    return applied;
  }

  /** The RFC 9728 metadata this resource serves: { url, path, document } (document is JSON text). */
  resourceMetadata() {
    const [url, document] = call(() => this._inner.resourceMetadata());
    return { url, path: new URL(url).pathname, document };
  }

  /**
   * Combines a PDP decision (the AuthZEN response, object or JSON text) with an allowed
   * principal: { allow: true } only for { decision: true }; otherwise { allow: false, denial }
   * (403 access-denied, or the RFC 9470 step-up challenge when the PDP's context asks for it).
   */
  enforce(principal, decision) {
    const d = JSON.parse(call(() => this._inner.enforce(JSON.stringify(principal.credentials), JSON.stringify(principal.audit), asText(decision))));
    if (!d.allow) {
      d.denial.audit = JSON.parse(d.denial.audit);
      d.denial.event = d.denial.event === null ? null : JSON.parse(d.denial.event);
    }
    return d;
  }

  /** The jwks_uri documents due for fetching. */
  due(now = nowSeconds()) {
    return call(() => this._inner.due(now));
  }

  /** Hands over a fetched document (body undefined when the fetch failed). */
  ingest(url, body, { maxAge, now } = {}) {
    call(() => this._inner.ingest(url, opt(body), opt(maxAge), now ?? nowSeconds()));
  }

  /** Fetches every due key document with `fetch` and ingests it (failures keep the old keys). */
  async refreshKeys({ fetch = globalThis.fetch, now } = {}) {
    for (const url of this.due(now ?? nowSeconds())) {
      let body;
      let maxAge;
      try {
        const r = await fetch(url, { headers: { accept: 'application/json' } });
        if (r.ok) {
          body = await r.text();
          maxAge = maxAgeOf(r.headers.get('cache-control'));
        }
      } catch {
        body = undefined;
      }
      try {
        this.ingest(url, body, { maxAge, now: now ?? nowSeconds() });
      } catch (e) {
        if (!(e instanceof A2AAuthError)) throw e;
      }
    }
  }

  free() {
    this._inner.free();
  }
}

const rawKey = (k) => (k === undefined || k === null ? undefined : raw.KeyPair.fromJwk(JSON.stringify(k.privateJwk()), k.alg));

/**
 * Adds credentials to outgoing requests. options: { wit, proof: 'wpt-01' | 'wpt-02' |
 * 'http-signature-06' | 'http-signature-07', accessToken, tokenType: 'DPoP' | 'Bearer',
 * lifetime }; keys: { workloadKey (the WIT's cnf key), dpopKey }.
 */
export class Signer {
  constructor({ wit, proof, accessToken, tokenType, lifetime, ...rest } = {}, { workloadKey, dpopKey } = {}) {
    // Unknown options go through so that the core refuses them (a typo is an error, not a no-op).
    const options = JSON.stringify({ wit, proof, access_token: accessToken, token_type: tokenType, lifetime, ...rest });
    this._inner = call(() => new raw.Signer(options, rawKey(workloadKey), rawKey(dpopKey)));
  }

  /** The header pairs to add to { method, targetUri, headers, body }. */
  sign(request, { now, entropy } = {}) {
    return JSON.parse(call(() => this._inner.sign(gateRequestText(request), bodyBytes(request.body), now ?? nowSeconds(), entropy ?? randomBytes(16))));
  }

  /** Reads a response's headers (Headers, pairs or object); true: sign again and retry once. */
  observeResponse(targetUri, status, headers) {
    return call(() => this._inner.observeResponse(targetUri, status, JSON.stringify(headerPairs(headers))));
  }

  setAccessToken(token) {
    this._inner.setAccessToken(token);
  }

  setWorkloadIdentityToken(wit) {
    this._inner.setWorkloadIdentityToken(wit);
  }

  free() {
    this._inner.free();
  }
}

/**
 * A fetch that signs every request with `signer` and retries once on a DPoP use_dpop_nonce
 * challenge. Bodies are read once (string, Uint8Array or ArrayBuffer; streams are not signable).
 */
export function signedFetch(signer, { fetch = globalThis.fetch } = {}) {
  return async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')).toUpperCase();
    const base = headerPairs(new Headers(init.headers ?? (typeof input === 'object' && 'headers' in input ? input.headers : undefined)));
    let body = init.body ?? undefined;
    if (body instanceof ArrayBuffer) body = new Uint8Array(body);
    if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      throw new TypeError('signedFetch signs string, Uint8Array or ArrayBuffer bodies');
    }
    const send = () => {
      const added = signer.sign({ method, targetUri: url, headers: base, body });
      const headers = new Headers();
      for (const [n, v] of base) headers.append(n, v);
      for (const [n, v] of added) headers.append(n, v);
      return fetch(url, { ...init, method, headers, body });
    };
    let response = await send();
    if (signer.observeResponse(url, response.status, response.headers)) {
      response = await send();
      signer.observeResponse(url, response.status, response.headers);
    }
    return response;
  };
}

/**
 * The request record for a Fetch API Request (Deno, Bun, workers, Node's fetch servers):
 * `origin` is your configured public origin; the body is read when `withBody`.
 */
export async function requestFromFetch(request, { origin, withBody = false, mtlsPeer } = {}) {
  const u = new URL(request.url);
  const targetUri = (origin ?? u.origin) + u.pathname + u.search;
  const body = withBody ? new Uint8Array(await request.clone().arrayBuffer()) : undefined;
  return { method: request.method, targetUri, headers: request.headers, body, mtlsPeer };
}

/**
 * The request record for Node's http.IncomingMessage: `origin` is your configured public
 * origin (never taken from Host); `body` when you have read it; `mtlsPeer` from the verified
 * client certificate if you terminate mTLS.
 */
export function requestFromNode(req, { origin, body, mtlsPeer } = {}) {
  // (see serveMetadata for the RFC 9728 document)
  if (!origin) throw new TypeError('requestFromNode needs your configured origin');
  return { method: req.method, targetUri: origin + req.url, headers: pairsFromRaw(req.rawHeaders), body, mtlsPeer };
}

/**
 * Writes a denial to Node's http.ServerResponse: status, each WWW-Authenticate, DPoP-Nonce, and
 * an RFC 9457 problem body naming the code (never token text).
 */
export function writeDenial(res, denial) {
  const headers = { 'content-type': 'application/problem+json', 'cache-control': 'no-store' };
  if (denial.wwwAuthenticate.length) headers['www-authenticate'] = denial.wwwAuthenticate;
  if (denial.dpopNonce) headers['dpop-nonce'] = denial.dpopNonce;
  res.writeHead(denial.status, headers);
  res.end(JSON.stringify({ type: 'about:blank', status: denial.status, title: denial.code }));
}

// ---- OAuth resource-server parts ----

function tokenInfo(text) {
  const t = JSON.parse(text);
  t.authorizationDetails = JSON.parse(t.authorizationDetails);
  t.claims = JSON.parse(t.claims);
  return t;
}

function issuersText({ issuers, resource, leeway }) {
  return JSON.stringify({ issuers, resource, leeway });
}

/**
 * Verifies an RFC 9068 access token. config: { issuers: [{ issuer, jwks, algorithms }], resource,
 * leeway } (or JSON text). Returns { issuer, subject, clientId, scopes, authorizationDetails,
 * cnfJkt, acr, authTime, expiresAt, tokenHash, claims }.
 */
export function verifyAccessToken(token, config, { now } = {}) {
  return tokenInfo(call(() => raw.verifyAccessToken(token, typeof config === 'string' ? config : issuersText(config), now ?? nowSeconds())));
}

/** Checks an RFC 7662 introspection response (object or JSON text). config: { issuer, resource, leeway }. */
export function checkIntrospectionResponse(response, token, config, { now } = {}) {
  return tokenInfo(call(() => raw.checkIntrospectionResponse(asText(response), token, asText(config), now ?? nowSeconds())));
}

/** Verifies an RFC 9701 JWT introspection response. config: { issuer, jwks, algorithms, client_id, resource, leeway }. */
export function verifyIntrospectionJwt(jwt, token, config, { now } = {}) {
  return tokenInfo(call(() => raw.verifyIntrospectionJwt(jwt, token, asText(config), now ?? nowSeconds())));
}

/** The RFC 9728 well-known metadata URL for a resource identifier. */
export function metadataUrl(resource) {
  return call(() => raw.metadataUrl(resource));
}

/** The RFC 9728 document (JSON text) for { resource, authorization_servers, scopes_supported, ... }. */
export function resourceMetadataDocument(description) {
  return call(() => raw.resourceMetadataDocument(asText(description)));
}

/** Parses a fetched RFC 9728 document; its resource must be identical to `expectedResource`. */
export function parseResourceMetadata(text, expectedResource) {
  return JSON.parse(call(() => raw.parseResourceMetadata(asText(text), expectedResource)));
}

/**
 * Answers GET requests for the verifier's RFC 9728 metadata document on Node's http; returns
 * true when it answered (call it before authenticate).
 */
export function serveMetadata(verifier, req, res) {
  const m = verifier.resourceMetadata();
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'GET' || path !== m.path) return false;
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' });
  res.end(m.document);
  return true;
}

// ---- RFC 8693 token exchange ----

/** Token type URIs (RFC 8693 §3 and profiles). */
export const TokenTypes = Object.freeze({
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
  txnToken: 'urn:ietf:params:oauth:token-type:txn_token',
  idJag: 'urn:ietf:params:oauth:token-type:id-jag',
});

/**
 * The form body of a token-exchange request: { subjectToken, subjectTokenType, actorToken,
 * actorTokenType, resource: [], audience: [], scope: [], requestedTokenType }. POST it with
 * content-type application/x-www-form-urlencoded and your client authentication.
 */
export function tokenExchangeRequest({ subjectToken, subjectTokenType, actorToken, actorTokenType, resource, audience, scope,
  requestedTokenType, ...rest } = {}) {
  const req = { subject_token: subjectToken, subject_token_type: subjectTokenType, actor_token: actorToken,
    actor_token_type: actorTokenType, resource, audience, scope, requested_token_type: requestedTokenType, ...rest };
  return call(() => raw.tokenExchangeRequest(JSON.stringify(req)));
}

/** Parses a 200 token-exchange response (object or JSON text); { expectedTokenType: 'DPoP' } for DPoP requests. */
export function parseTokenExchangeResponse(text, { requestedTokenType, expectedTokenType } = {}) {
  return JSON.parse(call(() => raw.parseTokenExchangeResponse(asText(text), opt(requestedTokenType), opt(expectedTokenType))));
}

/** Whether { subject, issuer } may act for the subject of a token with these claims (may_act). */
export function mayAct(subjectClaims, { subject, issuer } = {}) {
  return call(() => raw.mayAct(asText(subjectClaims), subject, opt(issuer)));
}

// ---- Transaction tokens ----

function txnContext(t) {
  return { ...t, tctx: t.tctx === null ? null : JSON.parse(t.tctx), rctx: t.rctx === null ? null : JSON.parse(t.rctx) };
}

/**
 * Issues a transaction token (a transaction token service's job): { audience (trust domain),
 * txn, subject, scope, requestingWorkload, tctx, rctx, issuer, lifetime (<= 300) }.
 */
export function issueTxnToken(key, { audience, txn, subject, scope, requestingWorkload, tctx, rctx, issuer, lifetime, now, ...rest } = {}) {
  if (!(key instanceof KeyPair)) throw new TypeError('key must be a KeyPair');
  const params = { audience, txn, subject, scope, requesting_workload: requestingWorkload, tctx, rctx, issuer, lifetime, ...rest };
  return call(() => raw.issueTxnToken(key._inner, JSON.stringify(params), now ?? nowSeconds()));
}

/** Verifies a Txn-Token. config: { trust_domain, jwks, algorithms, issuer, leeway, max_lifetime }. */
export function verifyTxnToken(token, config, { now } = {}) {
  return txnContext(JSON.parse(call(() => raw.verifyTxnToken(token, asText(config), now ?? nowSeconds()))));
}

// ---- Client authentication ----

/** A private_key_jwt client assertion: iss = sub = clientId, aud = the AS issuer (sole value). */
export function createClientAssertion(key, { clientId, issuer, jti, lifetime = 60, now } = {}) {
  if (!(key instanceof KeyPair)) throw new TypeError('key must be a KeyPair');
  return call(() => raw.createClientAssertion(key._inner, clientId, issuer, jti ?? randomJti(), now ?? nowSeconds(), lifetime));
}

/**
 * Verifies a private_key_jwt assertion (authorization-server side). config: { client_id, issuer,
 * jwks, algorithms, leeway, max_lifetime }. Pass a replayCache to refuse a reused jti.
 */
export function verifyClientAssertion(assertion, config, { now, replayCache } = {}) {
  const cache = replayCache ?? new ReplayCache(1);
  try {
    return JSON.parse(call(() => raw.verifyClientAssertion(assertion, asText(config), now ?? nowSeconds(), cache._inner)));
  } finally {
    if (!replayCache) cache.free();
  }
}

/** Verifies a JWT-SVID client assertion for this AS's issuer; returns the SPIFFE ID. */
export function verifySpiffeClientAssertion(assertion, trustStore, issuer, { now } = {}) {
  return call(() => raw.verifySpiffeClientAssertion(assertion, asText(trustStore), issuer, now ?? nowSeconds()));
}

/** The form body of a client-credentials request: { clientId, scope: [], resource: [], clientAssertion | jwtSvid }. */
export function clientCredentialsRequest({ clientId, scope, resource, clientAssertion, jwtSvid, ...rest } = {}) {
  const req = { client_id: clientId, scope, resource, client_assertion: clientAssertion, jwt_svid: jwtSvid, ...rest };
  return call(() => raw.clientCredentialsRequest(JSON.stringify(req)));
}

// ---- AuthZEN policy enforcement point ----

/** The AuthZEN subject for a principal: { type: 'agent' | 'user', id, properties }. */
export function principalSubject(p) {
  return JSON.parse(call(() => raw.principalSubject(JSON.stringify({ agent: p.agent, trust_domain: p.trustDomain, user: p.subject,
    client_id: p.clientId, scopes: p.scopes, method: p.method, actor: p.actors?.[0]?.subject ?? null, txn: p.transaction?.txn ?? null }))));
}

/** The body of an Access Evaluation request: { subject, action, resource, context }. */
export function authzenEvaluationRequest(request) {
  return call(() => raw.authzenEvaluationRequest(asText(request)));
}

/** The body of an Access Evaluations (batch) request: defaults, evaluations, options. */
export function authzenEvaluationsRequest(request) {
  return call(() => raw.authzenEvaluationsRequest(asText(request)));
}

function decisionOut(d) {
  return { decision: d.decision, context: d.context === null ? null : JSON.parse(d.context) };
}

/** Parses an Access Evaluation response (fail closed). */
export function authzenParseDecision(text) {
  return decisionOut(JSON.parse(call(() => raw.authzenParseDecision(asText(text)))));
}

/** Parses an Access Evaluations response for `count` items; missing items are denials. */
export function authzenParseEvaluations(text, count, semantic = 'execute_all') {
  return JSON.parse(call(() => raw.authzenParseEvaluations(asText(text), count, semantic))).map(decisionOut);
}

/** The AuthZEN metadata URL of a PDP identifier. */
export function authzenMetadataUrl(pdp) {
  return call(() => raw.authzenMetadataUrl(pdp));
}

/** Parses PDP metadata whose policy_decision_point must equal `expectedPdp`. */
export function authzenParseMetadata(text, expectedPdp) {
  return JSON.parse(call(() => raw.authzenParseMetadata(asText(text), expectedPdp)));
}

// ---- A2A Agent Cards and client metadata ----

/**
 * What an A2A Agent Card (v1.0 or v0.3; object or JSON text) or one of its skills requires:
 * alternatives, each a list of { name, kind, scopes, details } to present together.
 */
export function agentCardRequirements(card, { skill } = {}) {
  return JSON.parse(call(() => raw.agentCardRequirements(asText(card), opt(skill))));
}

/** Checks a Client ID Metadata Document fetched from `url`; returns it parsed. */
export function checkClientMetadataDocument(text, url) {
  return JSON.parse(call(() => raw.checkClientMetadataDocument(asText(text), url)));
}

/** Signs an A2A Agent Card (object or JSON text) with a KeyPair that has a kid; returns the card object. */
export function signAgentCard(card, key) {
  if (!(key instanceof KeyPair)) throw new TypeError('key must be a KeyPair');
  return JSON.parse(call(() => raw.signAgentCard(asText(card), key._inner)));
}

/** Verifies an A2A Agent Card against pinned keys (JWK Set or JWK); returns { kid, alg }. */
export function verifyAgentCard(card, keys, { algorithms }) {
  const [kid, alg] = call(() => raw.verifyAgentCard(asText(card), asText(keys), algorithms));
  return { kid, alg };
}

// ---- MCP / OAuth discovery (the host does the HTTP) ----

/** Parses WWW-Authenticate values (a string, an array, or a Headers object). */
export function parseWwwAuthenticate(values) {
  const list = typeof values === 'string' ? [values]
    : values && typeof values.get === 'function' ? (values.get('www-authenticate') ? [values.get('www-authenticate')] : [])
    : Array.from(values ?? []);
  return JSON.parse(call(() => raw.parseWwwAuthenticate(list))).map((c) => ({ ...c, params: Object.fromEntries(c.params) }));
}

/** The protected-resource metadata URLs to try, in order. */
export function resourceMetadataCandidates(serverUrl, { resourceMetadata } = {}) {
  return call(() => raw.resourceMetadataCandidates(serverUrl, opt(resourceMetadata)));
}

/** The authorization-server metadata URLs to try for an issuer, in order. */
export function authorizationServerMetadataCandidates(issuer) {
  return call(() => raw.authorizationServerMetadataCandidates(issuer));
}

/** Parses authorization-server metadata whose issuer must equal `expectedIssuer`. */
export function parseAuthorizationServerMetadata(text, expectedIssuer) {
  return JSON.parse(call(() => raw.parseAuthorizationServerMetadata(asText(text), expectedIssuer)));
}

/**
 * The OAuth-Client-Attestation-PoP for the SPIFFE WIT client-authentication mode: send
 * { 'OAuth-Client-Attestation': wit, 'OAuth-Client-Attestation-PoP': pop } to the token endpoint.
 */
export function createClientAttestationPop(key, { wit, issuer, jti, challenge, now } = {}) {
  if (!(key instanceof KeyPair)) throw new TypeError('key must be a KeyPair');
  return call(() => raw.createClientAttestationPop(key._inner, wit, issuer, jti ?? randomJti(), opt(challenge), now ?? nowSeconds()));
}

/** Verifies the WIT mode at an authorization server; returns the client's SPIFFE ID. */
export function verifyWitClientAttestation(wit, pop, trustStore, issuer, { challenge, now, replayCache } = {}) {
  const cache = replayCache ?? new ReplayCache(1);
  try {
    return call(() => raw.verifyWitClientAttestation(wit, pop, asText(trustStore), issuer, opt(challenge), now ?? nowSeconds(), cache._inner));
  } finally {
    if (!replayCache) cache.free();
  }
}

/** Writes a Client ID Metadata Document (JSON text) from its description, checked as an AS would. */
export function clientMetadataDocument(description) {
  return call(() => raw.clientMetadataDocument(asText(description)));
}

/**
 * Plans an MCP authorization: { resource, issuer, tokenEndpoint, authorizationEndpoint, scope,
 * registration, dpop } from the fetched metadata documents and the challenge's scope.
 */
export function planAuthorization({ resourceMetadata, expectedResource, serverMetadata, issuer, challengeScope, preregistered = false }) {
  const p = JSON.parse(call(() => raw.planAuthorization(asText(resourceMetadata), expectedResource, asText(serverMetadata), issuer,
    opt(challengeScope), preregistered)));
  return { resource: p.resource, issuer: p.issuer, tokenEndpoint: p.token_endpoint, authorizationEndpoint: p.authorization_endpoint,
    scope: p.scope, registration: p.registration, dpop: p.dpop };
}

// ---- Security events (RFC 8417 SETs, CAEP, SSF) and decision records ----

/**
 * Verifies a SET against { issuer, jwks, audience, algorithms?, critical_subject_members?,
 * leeway? }; returns { issuer, jti, issued_at, time_of_event, txn, subject, events,
 * event_types, token_hash, key_thumbprint }.
 */
export function verifySet(set, config, { now } = {}) {
  return JSON.parse(call(() => raw.verifySet(set, asText(config), now ?? nowSeconds())));
}

/** Issues a SET (typ secevent+jwt) from claims { iss, iat, jti, aud, sub_id, events }. */
export function issueSet(claims, key) {
  return call(() => raw.issueSet(asText(claims), key._inner));
}

/** The SSF transmitter configuration URL of an issuer. */
export function ssfConfigurationUrl(issuer) {
  return call(() => raw.ssfConfigurationUrl(issuer));
}

/** Parses SSF transmitter metadata fetched for `expectedIssuer`. */
export function parseTransmitterMetadata(text, expectedIssuer) {
  return JSON.parse(call(() => raw.parseTransmitterMetadata(asText(text), expectedIssuer)));
}

/** Parses an SSF stream configuration of `expectedIss` that names `expectedAud`. */
export function parseStreamConfig(text, expectedIss, expectedAud) {
  return JSON.parse(call(() => raw.parseStreamConfig(asText(text), expectedIss, expectedAud)));
}

/** The JSON body of an SSF create-stream request (poll delivery without pushEndpoint). */
export function createStreamRequest({ eventsRequested, pushEndpoint, authorizationHeader, description } = {}) {
  return raw.createStreamRequest(eventsRequested ?? [], opt(pushEndpoint), opt(authorizationHeader), opt(description));
}

/** The JSON body of an SSF verification request. */
export function verificationRequest(streamId, state) {
  return raw.verificationRequest(streamId, opt(state));
}

/**
 * Replays decision records (JSON Lines text, or an array of records) against a policy and
 * reports the decisions it would not produce today: { records, checked, not_reevaluated,
 * malformed, findings }.
 */
export function checkRecords(policy, records) {
  const text = Array.isArray(records) ? records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') : records;
  return JSON.parse(call(() => raw.checkRecords(asText(policy), text)));
}
