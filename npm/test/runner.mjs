// The conformance runner for the npm package, shared by Node and the browser: no file or
// network access here. The caller supplies the parsed vector documents, the exceptions map,
// the Wycheproof manifest and suites, and the package's API (`lib`).

const b64url = {
  encode(bytes) {
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  decode(text) {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  },
};

export function hex(s) {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function outcome(lib, fn) {
  try {
    return { ok: fn() };
  } catch (e) {
    if (e instanceof lib.A2AAuthError) return { error: e.code };
    throw e;
  }
}

function run(lib, op, input) {
  switch (op) {
    case 'keys.thumbprint':
      return outcome(lib, () => {
        const t = lib.jwkThumbprint(input.jwk);
        return { canonical: t.canonical, thumbprint: t.thumbprint, thumbprint_uri: t.thumbprintUri };
      });
    case 'keys.from-seed':
      return outcome(lib, () => {
        const pair = lib.KeyPair.fromSeed(input.alg, hex(input.seed));
        const jwk = pair.publicJwk;
        pair.free();
        return { public_jwk: jwk };
      });
    case 'jose.sign-jws':
      return outcome(lib, () => {
        const pair = lib.KeyPair.fromJwk(input.key);
        const token = lib.signJws(input.header, b64url.decode(input.payload), pair);
        pair.free();
        return { token };
      });
    case 'jose.verify-jws':
      return outcome(lib, () => {
        const v = lib.verifyJws(input.token, input.keys, { algorithms: input.algorithms });
        return { alg: v.alg, header: v.header, payload: b64url.encode(v.payload), key_thumbprint: v.keyThumbprint };
      });
    case 'jose.verify-jwt':
      return outcome(lib, () => {
        const v = lib.verifyJwt(input.token, input.keys, {
          algorithms: input.algorithms,
          typ: input.typ,
          issuer: input.issuer,
          audience: input.audience,
          subject: input.subject,
          required: input.required,
          leeway: input.leeway,
          maxAge: input.max_age,
          now: input.now,
        });
        return { header: v.header, claims: v.claims, key_thumbprint: v.keyThumbprint };
      });
    case 'identity.parse-workload-id':
    case 'identity.parse-spiffe-id':
      return outcome(lib, () => {
        const p = op === 'identity.parse-spiffe-id' ? lib.parseSpiffeId(input.id) : lib.parseWorkloadId(input.id);
        return { id: p.id, scheme: p.scheme, trust_domain: p.trustDomain, path: p.path, origin: p.origin };
      });
    case 'identity.id-matches':
      return outcome(lib, () => ({ matches: lib.idMatches(input.pattern, input.id) }));
    case 'identity.parse-bundle':
      return outcome(lib, () => {
        const b = lib.parseBundle(input.trust_domain, input.bundle);
        return { trust_domain: b.trustDomain, sequence: b.sequence, refresh_hint: b.refreshHint, jwt_kids: b.jwtKids,
          wit_kids: b.witKids, x509_thumbprints: b.x509Thumbprints, skipped: b.skipped };
      });
    case 'identity.parse-bundle-map':
      return outcome(lib, () => ({ trust_domains: lib.parseBundleMap(input.map) }));
    case 'identity.verify-workload-identity-token':
      return outcome(lib, () => {
        const v = lib.verifyWorkloadIdentityToken(input.token, input.trust_store, { now: input.now, maxLifetime: input.max_lifetime, profile: input.profile });
        return { subject: v.subject, trust_domain: v.trustDomain, cnf_jwk: v.cnfJwk, proof_alg: v.proofAlg,
          issuer_key_thumbprint: v.issuerKeyThumbprint, claims: v.claims };
      });
    case 'identity.issue-workload-identity-token':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.issuer_key);
        const token = lib.issueWorkloadIdentityToken(key, { subject: input.subject, cnfJwk: input.cnf_jwk, lifetime: input.lifetime,
          jti: input.jti, issuer: input.issuer, now: input.now });
        key.free();
        return { token };
      });
    case 'identity.verify-jwt-svid':
      return outcome(lib, () => {
        const v = lib.verifyJwtSvid(input.token, input.trust_store, input.audience, { now: input.now });
        return { subject: v.subject, trust_domain: v.trustDomain, issuer_key_thumbprint: v.issuerKeyThumbprint, claims: v.claims };
      });
    case 'identity.issue-attested-wit':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.issuer_key);
        try {
          const w = lib.issueAttestedWit(key, input.policy, input.evidence, input.cnf_jwk, { jti: input.jti, now: input.now });
          return { token: w.token, subject: w.subject, issued_at: w.issuedAt, expires_at: w.expiresAt, renew_after: w.renewAfter };
        } finally {
          key.free();
        }
      });
    case 'identity.renewal-time':
      return outcome(lib, () => ({ renew_after: lib.renewalTime(input.issued_at, input.expires_at) }));
    case 'identity.verify-x509-svid':
      return outcome(lib, () => {
        const v = lib.verifyX509Svid(input.chain, input.trust_store, { now: input.now });
        return { subject: v.subject, trust_domain: v.trustDomain, not_after: v.notAfter, spki_sha256: v.spkiSha256,
          leaf_sha256: v.leafSha256, path_length: v.pathLength };
      });
    case 'proof.create-wpt':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.key);
        try {
          return { token: lib.createWpt(key, { wit: input.wit, audience: input.audience, lifetime: input.lifetime, jti: input.jti,
            accessToken: input.access_token ?? undefined, txnToken: input.txn_token ?? undefined, otherTokens: input.other_tokens ?? [], now: input.now }) };
        } finally {
          key.free();
        }
      });
    case 'proof.verify-wpt':
      return outcome(lib, () => {
        const cache = new lib.ReplayCache(16);
        try {
          for (const earlier of input.before ?? []) {
            lib.verifyWpt(earlier, input.trust_store, input.config, { now: input.now, replayCache: cache });
          }
          let v;
          for (let i = 0; i < (input.repeat ?? 1); i++) {
            v = lib.verifyWpt(input.request, input.trust_store, input.config, { now: input.now, replayCache: cache });
          }
          return { subject: v.subject, trust_domain: v.trustDomain, audience: v.audience, jti: v.jti, expires_at: v.expiresAt,
            proof_alg: v.proofAlg, cnf_thumbprint: v.cnfThumbprint, bound: v.bound };
        } finally {
          cache.free();
        }
      });
    case 'proof.create-dpop-proof':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.key);
        try {
          return { token: lib.createDpopProof(key, { method: input.method, uri: input.uri, accessToken: input.access_token ?? undefined,
            nonce: input.nonce ?? undefined, jti: input.jti, now: input.now }) };
        } finally {
          key.free();
        }
      });
    case 'proof.verify-dpop-proof':
      return outcome(lib, () => {
        const cache = new lib.ReplayCache(16);
        try {
          let v;
          for (let i = 0; i < (input.repeat ?? 1); i++) {
            v = lib.verifyDpopProof(input.request, input.config, { expectedJkt: input.expected_jkt ?? undefined, now: input.now, replayCache: cache });
          }
          return { jkt: v.jkt, jti: v.jti, issued_at: v.issuedAt, access_token_bound: v.accessTokenBound };
        } finally {
          cache.free();
        }
      });
    case 'proof.dpop-nonce':
      return outcome(lib, () => ({ nonce: lib.dpopNonce(input.config, { now: input.now }) }));
    case 'proof.wpt-challenge':
      return outcome(lib, () => {
        const c = lib.wptChallenge(input.code, input.wire);
        return { status: c.status, www_authenticate: c.wwwAuthenticate, dpop_nonce: c.dpopNonce };
      });
    case 'proof.dpop-challenge':
      return outcome(lib, () => {
        const c = lib.dpopChallenge(input.code, input.config, { now: input.now, description: input.description });
        return { status: c.status, www_authenticate: c.wwwAuthenticate, dpop_nonce: c.dpopNonce };
      });
    case 'proof.normalize-http-uri':
      return outcome(lib, () => ({ uri: lib.normalizeHttpUri(input.uri) }));
    case 'proof.replay-cache':
      return outcome(lib, () => {
        const secret = Uint8Array.from(atob(input.secret.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
        const cache = new lib.ReplayCache(input.capacity, secret);
        try {
          const results = input.inserts.map(([sender, jti, exp, now]) => {
            try {
              return cache.checkAndInsert(sender, jti, exp, now) ? 'evicted-live' : 'ok';
            } catch (e) {
              if (e instanceof lib.A2AAuthError) return e.code;
              throw e;
            }
          });
          return { results };
        } finally {
          cache.free();
        }
      });
    case 'httpsig.signature-base':
      return outcome(lib, () => ({ base: lib.httpSignatureBase(msg(input.message), input.signature_input) }));
    case 'httpsig.verify':
      return outcome(lib, () => {
        const cache = new lib.ReplayCache(16);
        try {
          let v;
          for (let i = 0; i < (input.repeat ?? 1); i++) {
            v = lib.httpVerify(msg(input.message), { body: input.body ?? undefined, policy: JSON.parse(input.policy), keys: input.keys, now: input.now, replayCache: cache });
          }
          return sigOut(v);
        } finally {
          cache.free();
        }
      });
    case 'httpsig.sign':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.key);
        try {
          const s = lib.httpSign(msg(input.message), { label: input.label, components: input.components, params: JSON.parse(input.params), key });
          return { signature_input: s.signatureInput, signature: s.signature, base: s.base };
        } finally {
          key.free();
        }
      });
    case 'httpsig.content-digest':
      return outcome(lib, () => ({ value: lib.contentDigest(input.body ?? '', input.algorithms) }));
    case 'httpsig.verify-content-digest':
      return outcome(lib, () => {
        lib.verifyContentDigest(input.field, input.body ?? '');
        return {};
      });
    case 'httpsig.sign-wimse-request':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.key);
        try {
          const s = lib.signWimseRequest(msg(input.message), key, { body: input.body ?? undefined, audience: input.audience, lifetime: input.lifetime,
            nonce: input.nonce, version: input.version, signResponse: input.sign_response, now: input.now });
          return { content_digest: s.contentDigest, signature_input: s.signatureInput, signature: s.signature };
        } finally {
          key.free();
        }
      });
    case 'httpsig.sign-wimse-response':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.key);
        try {
          const s = lib.signWimseResponse(msg(input.message), key, { body: input.body ?? undefined, requestNonce: input.request_nonce,
            lifetime: input.lifetime, nonce: input.nonce, version: input.version, now: input.now });
          return { content_digest: s.contentDigest, signature_input: s.signatureInput, signature: s.signature };
        } finally {
          key.free();
        }
      });
    case 'httpsig.verify-wimse-request':
      return outcome(lib, () => {
        const cache = new lib.ReplayCache(16);
        try {
          let v;
          for (let i = 0; i < (input.repeat ?? 1); i++) {
            v = lib.verifyWimseRequest(msg(input.message), input.trust_store, input.config, { body: input.body ?? undefined, now: input.now, replayCache: cache });
          }
          return wimseOut(v);
        } finally {
          cache.free();
        }
      });
    case 'httpsig.verify-wimse-response':
      return outcome(lib, () => wimseOut(lib.verifyWimseResponse(msg(input.message), input.trust_store, input.config,
        { body: input.body ?? undefined, requestNonce: input.request_nonce, now: input.now })));
    case 'gate.authenticate':
      return outcome(lib, () => {
        const verifier = new lib.Verifier(input.policy, { secret: b64url.decode(input.secret) });
        try {
          for (const earlier of input.before ?? []) {
            if (!verifier.authenticate(gateReq(earlier), { now: input.now }).allow) throw new Error('a `before` request is allowed');
          }
          for (const set of input.events ?? []) verifier.applyEvent(set, { now: input.now });
          let d;
          for (let i = 0; i < (input.repeat ?? 1); i++) d = verifier.authenticate(gateReq(input.request), { now: input.now });
          if (d.allow) {
            const p = d.principal;
            return { allow: true, agent: p.agent, trust_domain: p.trustDomain, method: p.method, credentials: p.credentials,
              client_id: p.clientId, subject: p.subject, issuer: p.issuer, act: p.act, actors: p.actors,
              transaction: p.transaction ? txnOut(p.transaction) : null, scopes: p.scopes,
              authorization_details: p.authorizationDetails, token_hashes: p.tokenHashes, expires_at: p.expiresAt, route: p.route };
          }
          const n = d.denial;
          return { allow: false, status: n.status, www_authenticate: n.wwwAuthenticate, dpop_nonce: n.dpopNonce, code: n.code, event: n.event };
        } finally {
          verifier.free();
        }
      });
    case 'events.verify-set':
      return outcome(lib, () => lib.verifySet(input.set, input.config, { now: input.now }));
    case 'events.receive-push':
      return outcome(lib, () => {
        const verifier = new lib.Verifier(input.policy, { secret: b64url.decode(input.secret) });
        try {
          for (const set of input.before ?? []) verifier.applyEvent(set, { now: input.now });
          const a = verifier.receivePush(input.body, { now: input.now });
          return { status: a.status, body: a.body === null ? null : JSON.parse(a.body), applied: a.applied };
        } finally {
          verifier.free();
        }
      });
    case 'events.receive-poll':
      return outcome(lib, () => {
        const verifier = new lib.Verifier(input.policy, { secret: b64url.decode(input.secret) });
        try {
          const o = verifier.receivePoll(input.body, { maxEvents: input.max_events, now: input.now });
          return { next_request: o.nextRequest, applied: o.applied, refused: o.refused, more_available: o.moreAvailable };
        } finally {
          verifier.free();
        }
      });
    case 'audit.check-records':
      return outcome(lib, () => lib.checkRecords(input.policy, input.records));
    case 'gate.enforce':
      return outcome(lib, () => {
        const verifier = new lib.Verifier(input.policy, { secret: b64url.decode(input.secret) });
        try {
          const d = verifier.authenticate(gateReq(input.request), { now: input.now });
          if (!d.allow) throw new Error('the request is allowed');
          const subject = lib.principalSubject(d.principal);
          const e = verifier.enforce(d.principal, input.decision);
          const out = e.allow ? { allow: true }
            : { allow: false, status: e.denial.status, www_authenticate: e.denial.wwwAuthenticate, code: e.denial.code };
          return { subject, outcome: out };
        } finally {
          verifier.free();
        }
      });
    case 'gate.sign':
      return outcome(lib, () => {
        const keys = {
          workloadKey: input.workload_key ? lib.KeyPair.fromJwk(input.workload_key) : undefined,
          dpopKey: input.dpop_key ? lib.KeyPair.fromJwk(input.dpop_key) : undefined,
        };
        const o = JSON.parse(input.options);
        const known = new Set(['wit', 'proof', 'access_token', 'token_type', 'lifetime']);
        // The JS API spells options in camelCase; an unknown member must still reach the core.
        const options = { wit: o.wit, proof: o.proof, accessToken: o.access_token, tokenType: o.token_type, lifetime: o.lifetime };
        for (const k of Object.keys(o)) if (!known.has(k)) options[k] = o[k];
        const signer = new lib.Signer(options, keys);
        try {
          return { headers: signer.sign(gateReq(input.request), { now: input.now, entropy: b64url.decode(input.entropy) }) };
        } finally {
          signer.free();
          keys.workloadKey?.free();
          keys.dpopKey?.free();
        }
      });
    case 'oauth.verify-access-token':
      return outcome(lib, () => tokenOut(lib.verifyAccessToken(input.token, input.config, { now: input.now })));
    case 'oauth.check-introspection-response':
      return outcome(lib, () => tokenOut(lib.checkIntrospectionResponse(input.response, input.token, input.config, { now: input.now })));
    case 'oauth.verify-introspection-jwt':
      return outcome(lib, () => tokenOut(lib.verifyIntrospectionJwt(input.jwt, input.token, input.config, { now: input.now })));
    case 'oauth.issue-txn-token':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.key);
        try {
          const p = JSON.parse(input.params);
          const { requesting_workload: requestingWorkload, ...rest } = p;
          return { token: lib.issueTxnToken(key, { ...rest, requestingWorkload, now: input.now }) };
        } finally {
          key.free();
        }
      });
    case 'oauth.verify-txn-token':
      return outcome(lib, () => txnOut(lib.verifyTxnToken(input.token, input.config, { now: input.now })));
    case 'oauth.create-client-assertion':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.key);
        try {
          return { token: lib.createClientAssertion(key, { clientId: input.client_id, issuer: input.issuer, jti: input.jti,
            lifetime: input.lifetime, now: input.now }) };
        } finally {
          key.free();
        }
      });
    case 'oauth.verify-client-assertion':
      return outcome(lib, () => {
        const cache = new lib.ReplayCache(16);
        try {
          let r;
          for (let i = 0; i < (input.repeat ?? 1); i++) r = lib.verifyClientAssertion(input.assertion, input.config, { now: input.now, replayCache: cache });
          return { client_id: r.clientId, jti: r.jti, expires_at: r.expiresAt };
        } finally {
          cache.free();
        }
      });
    case 'oauth.verify-spiffe-client-assertion':
      return outcome(lib, () => ({ subject: lib.verifySpiffeClientAssertion(input.assertion, input.trust_store, input.issuer, { now: input.now }) }));
    case 'oauth.create-client-attestation-pop':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.key);
        try {
          return { token: lib.createClientAttestationPop(key, { wit: input.wit, issuer: input.issuer, jti: input.jti,
            challenge: input.challenge ?? undefined, now: input.now }) };
        } finally {
          key.free();
        }
      });
    case 'oauth.verify-wit-client-attestation':
      return outcome(lib, () => {
        const cache = new lib.ReplayCache(16);
        try {
          let r;
          for (let i = 0; i < (input.repeat ?? 1); i++) {
            r = lib.verifyWitClientAttestation(input.wit, input.pop, input.trust_store, input.issuer,
              { challenge: input.challenge ?? undefined, now: input.now, replayCache: cache });
          }
          return { subject: r };
        } finally {
          cache.free();
        }
      });
    case 'oauth.client-metadata-document':
      return outcome(lib, () => ({ document: lib.clientMetadataDocument(input.description) }));
    case 'oauth.client-credentials-request':
      return outcome(lib, () => {
        const r = JSON.parse(input.request);
        const { client_id: clientId, client_assertion: clientAssertion, jwt_svid: jwtSvid, ...rest } = r;
        return { body: lib.clientCredentialsRequest({ clientId, clientAssertion, jwtSvid, ...rest }) };
      });
    case 'oauth.authzen-evaluation-request':
      return outcome(lib, () => ({ body: lib.authzenEvaluationRequest(input.request) }));
    case 'oauth.authzen-evaluations-request':
      return outcome(lib, () => ({ body: lib.authzenEvaluationsRequest(input.request) }));
    case 'oauth.authzen-parse-decision':
      return outcome(lib, () => lib.authzenParseDecision(input.text));
    case 'oauth.authzen-parse-evaluations':
      return outcome(lib, () => ({ evaluations: lib.authzenParseEvaluations(input.text, input.count, input.semantic) }));
    case 'oauth.authzen-metadata-url':
      return outcome(lib, () => ({ url: lib.authzenMetadataUrl(input.pdp) }));
    case 'oauth.authzen-parse-metadata':
      return outcome(lib, () => ({ metadata: JSON.stringify(lib.authzenParseMetadata(input.text, input.expected_pdp)) }));
    case 'oauth.sign-agent-card':
      return outcome(lib, () => {
        const key = lib.KeyPair.fromJwk(input.key);
        try {
          return { card: JSON.stringify(lib.signAgentCard(input.card, key)) };
        } finally {
          key.free();
        }
      });
    case 'oauth.verify-agent-card':
      return outcome(lib, () => lib.verifyAgentCard(input.card, input.keys, { algorithms: input.algorithms }));
    case 'oauth.plan-authorization':
      return outcome(lib, () => {
        const p = lib.planAuthorization({ resourceMetadata: input.resource_metadata, expectedResource: input.expected_resource,
          serverMetadata: input.server_metadata, issuer: input.issuer, challengeScope: input.challenge_scope ?? undefined,
          preregistered: input.preregistered });
        return { plan: { resource: p.resource, issuer: p.issuer, token_endpoint: p.tokenEndpoint, authorization_endpoint: p.authorizationEndpoint,
          scope: p.scope, registration: p.registration, dpop: p.dpop } };
      });
    case 'oauth.parse-www-authenticate':
      return outcome(lib, () => ({ challenges: lib.parseWwwAuthenticate(input.values).map((c) => ({ scheme: c.scheme, token68: c.token68,
        params: Object.entries(c.params) })) }));
    case 'oauth.resource-metadata-candidates':
      return outcome(lib, () => ({ urls: lib.resourceMetadataCandidates(input.server_url, { resourceMetadata: input.resource_metadata ?? undefined }) }));
    case 'oauth.authorization-server-metadata-candidates':
      return outcome(lib, () => ({ urls: lib.authorizationServerMetadataCandidates(input.issuer) }));
    case 'oauth.parse-authorization-server-metadata':
      return outcome(lib, () => ({ metadata: JSON.stringify(lib.parseAuthorizationServerMetadata(input.text, input.expected_issuer)) }));
    case 'oauth.agent-card-requirements':
      return outcome(lib, () => ({ alternatives: lib.agentCardRequirements(input.card, { skill: input.skill ?? undefined }) }));
    case 'oauth.check-client-metadata-document':
      return outcome(lib, () => ({ document: JSON.stringify(lib.checkClientMetadataDocument(input.text, input.url)) }));
    case 'oauth.token-exchange-request':
      return outcome(lib, () => {
        const r = JSON.parse(input.request);
        const known = { subject_token: 'subjectToken', subject_token_type: 'subjectTokenType', actor_token: 'actorToken',
          actor_token_type: 'actorTokenType', resource: 'resource', audience: 'audience', scope: 'scope', requested_token_type: 'requestedTokenType' };
        const req = {};
        for (const [k, v] of Object.entries(r)) req[known[k] ?? k] = v;
        return { body: lib.tokenExchangeRequest(req) };
      });
    case 'oauth.parse-token-exchange-response':
      return outcome(lib, () => {
        const r = lib.parseTokenExchangeResponse(input.text, { requestedTokenType: input.requested_token_type ?? undefined,
          expectedTokenType: input.expected_token_type ?? undefined });
        return { access_token: r.accessToken, issued_token_type: r.issuedTokenType, token_type: r.tokenType, expires_in: r.expiresIn,
          scopes: r.scopes, refresh_token: r.refreshToken };
      });
    case 'oauth.may-act':
      return outcome(lib, () => ({ allowed: lib.mayAct(input.claims, { subject: input.actor_subject, issuer: input.actor_issuer ?? undefined }) }));
    case 'oauth.metadata-url':
      return outcome(lib, () => ({ url: lib.metadataUrl(input.resource) }));
    case 'oauth.resource-metadata-document':
      return outcome(lib, () => ({ document: lib.resourceMetadataDocument(input.description) }));
    case 'oauth.parse-resource-metadata':
      return outcome(lib, () => ({ metadata: JSON.stringify(lib.parseResourceMetadata(input.text, input.expected_resource)) }));
    default:
      return { error: `unknown-op: the npm runner does not know ${op}` };
  }
}

function txnOut(t) {
  return { txn: t.txn, subject: t.subject, scope: t.scope, requesting_workload: t.requestingWorkload, tctx: t.tctx, rctx: t.rctx,
    issuer: t.issuer, expires_at: t.expiresAt, token_hash: t.tokenHash };
}

function tokenOut(t) {
  return { issuer: t.issuer, subject: t.subject, client_id: t.clientId, scopes: t.scopes, authorization_details: t.authorizationDetails,
    cnf_jkt: t.cnfJkt, acr: t.acr, auth_time: t.authTime, expires_at: t.expiresAt, token_hash: t.tokenHash };
}

function gateReq(r) {
  return { method: r.method, targetUri: r.target_uri, headers: r.headers, body: r.body === null ? undefined : b64url.decode(r.body),
    mtlsPeer: r.mtls_peer ?? undefined };
}

// Vector messages use snake_case JSON; the API takes { method, targetUri, ... }.
function msg(text) {
  const m = JSON.parse(text);
  const conv = (x) => ({ ...x, targetUri: x.target_uri, target_uri: undefined, request: x.request ? conv(x.request) : undefined });
  return conv(m);
}

const sigOut = (v) => ({ label: v.label, components: v.components, keyid: v.keyid, tag: v.tag, nonce: v.nonce, created: v.created,
  expires: v.expires, digest_checked: v.digestChecked });
const wimseOut = (v) => ({ subject: v.subject, trust_domain: v.trustDomain, label: v.signature.label, components: v.signature.components,
  nonce: v.signature.nonce, created: v.signature.created, expires: v.signature.expires, digest_checked: v.signature.digestChecked,
  sign_response: v.signResponse });

// Deep equality of JSON values (object member order does not matter).
function same(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
}

/** Runs vector documents; returns { line, failures }. */
export function runVectors(host, lib, docs, exceptions = {}) {
  let passed = 0;
  let divergent = 0;
  const failures = [];
  const seen = new Set();
  for (const doc of docs) {
    if (typeof doc.op !== 'string' || !Array.isArray(doc.cases)) {
      failures.push(`${doc.file ?? '?'}: not a vector file`);
      continue;
    }
    for (const c of doc.cases) {
      if (seen.has(c.id)) failures.push(`${c.id}: duplicate case id`);
      seen.add(c.id);
      if (!c.title) failures.push(`${c.id}: no title`);
      const got = run(lib, doc.op, c.input);
      const ok = same(got, c.expect);
      const listed = Object.hasOwn(exceptions, c.id);
      if (ok && !listed) passed++;
      else if (!ok && listed) divergent++;
      else if (ok) failures.push(`${c.id}: unexpected success (listed: ${exceptions[c.id]})`);
      else failures.push(`${c.id}: expected ${JSON.stringify(c.expect)} got ${JSON.stringify(got)}`);
    }
  }
  for (const id of Object.keys(exceptions)) if (!seen.has(id)) failures.push(`exceptions/${host}.json lists unknown case ${id}`);
  if (docs.length === 0) failures.push('no vector files');
  return { line: `vectors ${host}: ${passed} passed, ${failures.length} failed, ${divergent} known-divergence`, failures };
}

function fixed(hexText, size) {
  let b = hex(hexText);
  while (b.length > size && b[0] === 0) b = b.slice(1);
  if (b.length > size) return new Uint8Array(0);
  const out = new Uint8Array(size);
  out.set(b, size - b.length);
  return out;
}

function groupJwk(group, test) {
  if (group.publicKeyJwk) return group.publicKeyJwk;
  if (group.keyJwk) return group.keyJwk;
  if (group.type === 'MacTest') return { kty: 'oct', k: b64url.encode(hex(test.key)) };
  const pk = group.publicKey;
  const [size, crv] = pk.curve === 'secp384r1' ? [48, 'P-384'] : [32, 'P-256'];
  return { kty: 'EC', crv, x: b64url.encode(fixed(pk.wx, size)), y: b64url.encode(fixed(pk.wy, size)) };
}

function decision(manifest, file, group, tcId) {
  return manifest.decisions.find(
    (d) =>
      d.file === file &&
      (!d.tc_ids || d.tc_ids.includes(tcId)) &&
      (!d.group || Object.entries(d.group).every(([k, v]) => group[k] === v)),
  );
}

/** Runs the Wycheproof suites of the manifest; `suites` maps file name to parsed JSON. */
export function runWycheproof(host, lib, manifest, suites) {
  let passed = 0;
  let decided = 0;
  const failures = [];
  for (const { file, alg } of manifest.files) {
    const data = suites[file];
    if (!data) {
      failures.push(`${file}: missing suite`);
      continue;
    }
    let count = 0;
    for (const group of data.testGroups) {
      for (const t of group.tests) {
        count++;
        const sig = hex(group.type === 'MacTest' ? t.tag : t.sig);
        const got = outcome(lib, () => lib.verifySignature(alg, groupJwk(group, t), hex(t.msg), sig));
        const d = decision(manifest, file, group, t.tcId);
        let ok;
        if (d) {
          decided++;
          ok = got.error === d.expect;
        } else if (t.result === 'valid') ok = 'ok' in got;
        else if (t.result === 'invalid') ok = 'error' in got;
        else {
          failures.push(`${file} #${t.tcId}: undecided ${t.result} case`);
          continue;
        }
        if (ok) passed++;
        else failures.push(`${file} #${t.tcId} (${t.result}): got ${JSON.stringify(got)}`);
      }
    }
    if (count !== data.numberOfTests) failures.push(`${file}: ran ${count}, declared ${data.numberOfTests}`);
  }
  if (passed < 1000) failures.push(`suspiciously few Wycheproof cases: ${passed}`);
  return { line: `wycheproof ${host}: ${passed} passed, ${failures.length} failed (${decided} by documented decision)`, failures };
}
