//! The a2a-auth core as a WebAssembly component: `wit/` exported through wit-bindgen.
//!
//! A conversion layer only: every function calls [`a2a_auth::ffi`] and maps types and errors.
//! Built for `wasm32-unknown-unknown` and wrapped with `wasm-tools component new`, the component
//! imports nothing (`make component` checks it).

#[allow(unsafe_code, missing_docs, clippy::all, clippy::pedantic)]
mod bindings {
    wit_bindgen::generate!({ path: "../../wit", world: "auth" });

    use super::Component;
    export!(Component);
}

use a2a_auth::ffi;
use bindings::exports::a2a::auth::events;
use bindings::exports::a2a::auth::gate::{self, Denial, GateRequest, Principal};
use bindings::exports::a2a::auth::httpsig::{
    self, SignedMessage, VerifiedSignature, VerifiedWimse, WimseSignature,
};
use bindings::exports::a2a::auth::identity::{
    self, BundleInfo, IssuedWit, VerifiedJwtSvid, VerifiedWit, VerifiedX509Svid, WorkloadId,
};
use bindings::exports::a2a::auth::jose::{self, JwtRules, VerifiedJws, VerifiedJwt};
use bindings::exports::a2a::auth::keys::{self, JwkThumbprint, KeyPairBorrow};
use bindings::exports::a2a::auth::oauth::{self, AccessTokenInfo};
use bindings::exports::a2a::auth::proof::{
    self, Challenge, HttpRequest, ReplayCacheBorrow, VerifiedDpopProof, VerifiedWpt,
};
use bindings::exports::a2a::auth::types::{Error as WitError, ErrorCode};

/// The component's export implementation.
pub struct Component;

/// The WIT `error-code` cases in the order of `a2a_auth::Error::ALL_CODES` (a test checks that
/// each case's WIT name equals the core's code at the same position).
const CODES: [ErrorCode; 46] = [
    ErrorCode::AccessDenied,
    ErrorCode::AgentNotAllowed,
    ErrorCode::AlgNotAllowed,
    ErrorCode::AttestationRejected,
    ErrorCode::BindingMismatch,
    ErrorCode::CertificateRejected,
    ErrorCode::ClaimInvalid,
    ErrorCode::ClaimMismatch,
    ErrorCode::ClaimMissing,
    ErrorCode::ComponentNotCovered,
    ErrorCode::CredentialDuplicated,
    ErrorCode::CredentialMissing,
    ErrorCode::CredentialRevoked,
    ErrorCode::CritUnsupported,
    ErrorCode::DelegationNotAllowed,
    ErrorCode::DigestMismatch,
    ErrorCode::DuplicateJsonMember,
    ErrorCode::InsufficientScope,
    ErrorCode::InsufficientUserAuthentication,
    ErrorCode::InvalidArgument,
    ErrorCode::InvalidBundle,
    ErrorCode::InvalidComponent,
    ErrorCode::InvalidIdentifier,
    ErrorCode::InvalidKey,
    ErrorCode::InvalidSignature,
    ErrorCode::JweUnsupported,
    ErrorCode::KeyMismatch,
    ErrorCode::KeyNotFound,
    ErrorCode::LimitExceeded,
    ErrorCode::MalformedBase64,
    ErrorCode::MalformedCertificate,
    ErrorCode::MalformedHttpSignature,
    ErrorCode::MalformedJson,
    ErrorCode::MalformedToken,
    ErrorCode::MisdirectedRequest,
    ErrorCode::NoMatchingRoute,
    ErrorCode::Replayed,
    ErrorCode::TokenExpired,
    ErrorCode::TokenInactive,
    ErrorCode::TokenIssuedInFuture,
    ErrorCode::TokenNotYetValid,
    ErrorCode::TokenTooOld,
    ErrorCode::TypMismatch,
    ErrorCode::UnknownTrustDomain,
    ErrorCode::UntrustedChain,
    ErrorCode::UseDpopNonce,
];

fn error(e: a2a_auth::Error) -> WitError {
    let code = a2a_auth::Error::ALL_CODES
        .iter()
        .position(|c| *c == e.code())
        .and_then(|i| CODES.get(i).copied())
        // Unreachable while the test below holds; fail closed with a generic code regardless.
        .unwrap_or(ErrorCode::InvalidArgument);
    WitError {
        code,
        detail: e.to_string(),
    }
}

/// The `key-pair` resource.
pub struct KeyPair(a2a_auth::crypto::KeyPair);

impl keys::GuestKeyPair for KeyPair {
    fn from_seed(
        alg: String,
        seed: Vec<u8>,
        kid: Option<String>,
    ) -> Result<keys::KeyPair, WitError> {
        let pair = ffi::key_pair_from_seed(&alg, &seed, kid.as_deref()).map_err(error)?;
        Ok(keys::KeyPair::new(KeyPair(pair)))
    }

    fn from_jwk(jwk: String, alg: Option<String>) -> Result<keys::KeyPair, WitError> {
        let pair = ffi::key_pair_from_jwk(&jwk, alg.as_deref()).map_err(error)?;
        Ok(keys::KeyPair::new(KeyPair(pair)))
    }

    fn alg(&self) -> String {
        self.0.alg().jws_name().to_owned()
    }

    fn public_jwk(&self) -> String {
        self.0.public_jwk().to_json()
    }

    fn private_jwk(&self) -> String {
        self.0.to_private_jwk_json()
    }

    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, WitError> {
        self.0.sign(&message).map_err(error)
    }
}

impl keys::Guest for Component {
    type KeyPair = KeyPair;

    fn thumbprint(jwk: String) -> Result<JwkThumbprint, WitError> {
        let t = ffi::thumbprint(&jwk).map_err(error)?;
        Ok(JwkThumbprint {
            canonical: t.canonical,
            thumbprint: t.thumbprint,
            thumbprint_uri: t.thumbprint_uri,
        })
    }

    fn seed_length(alg: String) -> Result<u32, WitError> {
        ffi::seed_length(&alg).map_err(error)
    }

    fn import_jwk(jwk: String) -> Result<String, WitError> {
        ffi::import_jwk(&jwk).map_err(error)
    }

    fn verify_signature(
        alg: String,
        jwk: String,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> Result<(), WitError> {
        ffi::verify_signature(&alg, &jwk, &message, &signature).map_err(error)
    }
}

impl jose::Guest for Component {
    fn verify_jws(
        token: String,
        keys: String,
        algorithms: Vec<String>,
    ) -> Result<VerifiedJws, WitError> {
        let v = ffi::verify_jws(&token, &keys, &algorithms).map_err(error)?;
        Ok(VerifiedJws {
            alg: v.alg,
            header: v.header,
            payload: v.payload,
            key_thumbprint: v.key_thumbprint,
        })
    }

    fn verify_jwt(
        token: String,
        keys: String,
        rules: JwtRules,
        now: u64,
    ) -> Result<VerifiedJwt, WitError> {
        let rules = ffi::JwtRules {
            algorithms: rules.algorithms,
            typ: rules.typ,
            issuer: rules.issuer,
            audience: rules.audience,
            subject: rules.subject,
            required: rules.required,
            leeway: rules.leeway,
            max_age: rules.max_age,
        };
        let v = ffi::verify_jwt(&token, &keys, &rules, now).map_err(error)?;
        Ok(VerifiedJwt {
            header: v.header,
            claims: v.claims,
            key_thumbprint: v.key_thumbprint,
        })
    }

    fn sign_jws(
        header: String,
        payload: Vec<u8>,
        key: KeyPairBorrow<'_>,
    ) -> Result<String, WitError> {
        ffi::sign_jws(&header, &payload, &key.get::<KeyPair>().0).map_err(error)
    }
}

fn workload_id(p: ffi::ParsedId) -> WorkloadId {
    WorkloadId {
        id: p.id,
        scheme: p.scheme,
        trust_domain: p.trust_domain,
        path: p.path,
        origin: p.origin,
    }
}

impl identity::Guest for Component {
    fn verify_jwt_svid(
        token: String,
        trust_store: String,
        audience: String,
        now: u64,
    ) -> Result<VerifiedJwtSvid, WitError> {
        let v = ffi::verify_jwt_svid(&token, &trust_store, &audience, now).map_err(error)?;
        Ok(VerifiedJwtSvid {
            subject: v.subject,
            trust_domain: v.trust_domain,
            issuer_key_thumbprint: v.issuer_key_thumbprint,
            claims: v.claims,
        })
    }

    fn verify_x509_svid(
        chain: String,
        trust_store: String,
        now: u64,
    ) -> Result<VerifiedX509Svid, WitError> {
        let v = ffi::verify_x509_svid(&chain, &trust_store, now).map_err(error)?;
        Ok(VerifiedX509Svid {
            subject: v.subject,
            trust_domain: v.trust_domain,
            not_after: v.not_after,
            spki_sha256: v.spki_sha256,
            leaf_sha256: v.leaf_sha256,
            path_length: v.path_length,
        })
    }

    fn parse_workload_id(id: String) -> Result<WorkloadId, WitError> {
        ffi::parse_workload_id(&id).map(workload_id).map_err(error)
    }

    fn parse_spiffe_id(id: String) -> Result<WorkloadId, WitError> {
        ffi::parse_spiffe_id(&id).map(workload_id).map_err(error)
    }

    fn id_matches(pattern: String, id: String) -> Result<bool, WitError> {
        ffi::id_matches(&pattern, &id).map_err(error)
    }

    fn parse_bundle(trust_domain: String, bundle: String) -> Result<BundleInfo, WitError> {
        let b = ffi::parse_bundle(&trust_domain, &bundle).map_err(error)?;
        Ok(BundleInfo {
            trust_domain: b.trust_domain,
            sequence: b.sequence,
            refresh_hint: b.refresh_hint,
            jwt_kids: b.jwt_kids,
            wit_kids: b.wit_kids,
            x509_thumbprints: b.x509_thumbprints,
            skipped: b.skipped,
        })
    }

    fn parse_bundle_map(bundle_map: String) -> Result<Vec<String>, WitError> {
        ffi::parse_bundle_map(&bundle_map).map_err(error)
    }

    fn verify_workload_identity_token(
        token: String,
        trust_store: String,
        now: u64,
        max_lifetime: Option<u64>,
        wit_svid: bool,
    ) -> Result<VerifiedWit, WitError> {
        let v =
            ffi::verify_workload_identity_token(&token, &trust_store, now, max_lifetime, wit_svid)
                .map_err(error)?;
        Ok(VerifiedWit {
            subject: v.subject,
            trust_domain: v.trust_domain,
            cnf_jwk: v.cnf_jwk,
            proof_alg: v.proof_alg,
            issuer_key_thumbprint: v.issuer_key_thumbprint,
            claims: v.claims,
        })
    }

    fn issue_workload_identity_token(
        issuer_key: KeyPairBorrow<'_>,
        subject: String,
        cnf_jwk: String,
        now: u64,
        lifetime: u64,
        jti: String,
        issuer: Option<String>,
    ) -> Result<String, WitError> {
        let key = &issuer_key.get::<KeyPair>().0;
        ffi::issue_workload_identity_token(
            key,
            &subject,
            &cnf_jwk,
            now,
            lifetime,
            &jti,
            issuer.as_deref(),
        )
        .map_err(error)
    }

    fn issue_attested_wit(
        issuer_key: KeyPairBorrow<'_>,
        policy: String,
        evidence: String,
        cnf_jwk: String,
        now: u64,
        jti: String,
    ) -> Result<IssuedWit, WitError> {
        let key = &issuer_key.get::<KeyPair>().0;
        let w =
            ffi::issue_attested_wit(key, &policy, &evidence, &cnf_jwk, now, &jti).map_err(error)?;
        Ok(IssuedWit {
            token: w.token,
            subject: w.subject,
            issued_at: w.issued_at,
            expires_at: w.expires_at,
            renew_after: w.renew_after,
        })
    }

    fn renewal_time(issued_at: u64, expires_at: u64) -> Result<u64, WitError> {
        ffi::renewal_time(issued_at, expires_at).map_err(error)
    }
}

/// The `replay-cache` resource (the component is single-threaded; the cell gives `&self`
/// methods their mutation).
pub struct ReplayCache(core::cell::RefCell<a2a_auth::proof::ReplayCache>);

impl proof::GuestReplayCache for ReplayCache {
    fn create(capacity: u32, secret: Vec<u8>) -> Result<proof::ReplayCache, WitError> {
        let cache = ffi::replay_cache(capacity, &secret).map_err(error)?;
        Ok(proof::ReplayCache::new(ReplayCache(
            core::cell::RefCell::new(cache),
        )))
    }

    fn check_and_insert(
        &self,
        sender: String,
        jti: String,
        expires_at: u64,
        now: u64,
    ) -> Result<bool, WitError> {
        self.0
            .borrow_mut()
            .check_and_insert(
                &sender,
                &jti,
                a2a_auth::UnixTime(expires_at),
                a2a_auth::UnixTime(now),
            )
            .map(|i| i.evicted_live)
            .map_err(error)
    }

    fn len(&self) -> u32 {
        u32::try_from(self.0.borrow().len()).unwrap_or(u32::MAX)
    }

    fn evicted_live(&self) -> u64 {
        self.0.borrow().evicted_live()
    }
}

fn challenge(c: a2a_auth::proof::Challenge) -> Challenge {
    Challenge {
        status: c.status,
        www_authenticate: c.www_authenticate,
        dpop_nonce: c.dpop_nonce,
    }
}

impl proof::Guest for Component {
    type ReplayCache = ReplayCache;

    fn create_wpt(
        key: KeyPairBorrow<'_>,
        wit: String,
        audience: String,
        now: u64,
        lifetime: u64,
        jti: String,
        access_token: Option<String>,
        txn_token: Option<String>,
        other_tokens: Vec<(String, String)>,
    ) -> Result<String, WitError> {
        ffi::create_wpt(
            &key.get::<KeyPair>().0,
            &wit,
            &audience,
            now,
            lifetime,
            &jti,
            access_token.as_deref(),
            txn_token.as_deref(),
            &other_tokens,
        )
        .map_err(error)
    }

    fn verify_wpt(
        request: HttpRequest,
        trust_store: String,
        config: String,
        now: u64,
        replay: Option<ReplayCacheBorrow<'_>>,
    ) -> Result<VerifiedWpt, WitError> {
        let cache = replay.as_ref().map(|r| r.get::<ReplayCache>());
        let mut guard = cache.map(|c| c.0.borrow_mut());
        let v = ffi::verify_wpt(
            &request.method,
            &request.target,
            &request.headers,
            &trust_store,
            &config,
            now,
            guard.as_deref_mut(),
        )
        .map_err(error)?;
        Ok(VerifiedWpt {
            subject: v.subject,
            trust_domain: v.trust_domain,
            audience: v.audience,
            jti: v.jti,
            expires_at: v.expires_at,
            proof_alg: v.proof_alg,
            cnf_thumbprint: v.cnf_thumbprint,
            bound: v.bound,
            replay_cache_evicted_live: v.replay_cache_evicted_live,
            claims: v.claims,
        })
    }

    fn create_dpop_proof(
        key: KeyPairBorrow<'_>,
        method: String,
        uri: String,
        now: u64,
        jti: String,
        access_token: Option<String>,
        nonce: Option<String>,
    ) -> Result<String, WitError> {
        ffi::create_dpop_proof(
            &key.get::<KeyPair>().0,
            &method,
            &uri,
            now,
            &jti,
            access_token.as_deref(),
            nonce.as_deref(),
        )
        .map_err(error)
    }

    fn verify_dpop_proof(
        request: HttpRequest,
        expected_jkt: Option<String>,
        config: String,
        now: u64,
        replay: Option<ReplayCacheBorrow<'_>>,
    ) -> Result<VerifiedDpopProof, WitError> {
        let cache = replay.as_ref().map(|r| r.get::<ReplayCache>());
        let mut guard = cache.map(|c| c.0.borrow_mut());
        let v = ffi::verify_dpop_proof(
            &request.method,
            &request.target,
            &request.headers,
            expected_jkt.as_deref(),
            &config,
            now,
            guard.as_deref_mut(),
        )
        .map_err(error)?;
        Ok(VerifiedDpopProof {
            jkt: v.jkt,
            jti: v.jti,
            issued_at: v.issued_at,
            access_token_bound: v.access_token_bound,
            replay_cache_evicted_live: v.replay_cache_evicted_live,
            claims: v.claims,
        })
    }

    fn dpop_nonce(config: String, now: u64) -> Result<String, WitError> {
        ffi::dpop_nonce(&config, now).map_err(error)
    }

    fn wpt_challenge(code: String, wire: String) -> Result<Challenge, WitError> {
        ffi::wpt_challenge(&code, &wire)
            .map(challenge)
            .map_err(error)
    }

    fn dpop_challenge(
        code: String,
        description: String,
        config: String,
        now: u64,
    ) -> Result<Challenge, WitError> {
        ffi::dpop_challenge(&code, &description, &config, now)
            .map(challenge)
            .map_err(error)
    }

    fn normalize_http_uri(uri: String) -> Result<String, WitError> {
        ffi::normalize_http_uri(&uri).map_err(error)
    }
}

fn verified_signature(v: ffi::VerifiedHttpSignature) -> VerifiedSignature {
    VerifiedSignature {
        label: v.label,
        components: v.components,
        keyid: v.keyid,
        tag: v.tag,
        nonce: v.nonce,
        created: v.created,
        expires: v.expires,
        digest_checked: v.digest_checked,
    }
}

fn wimse_signature(s: ffi::WimseSignatureInfo) -> WimseSignature {
    WimseSignature {
        content_digest: s.content_digest,
        signature_input: s.signature_input,
        signature: s.signature,
    }
}

fn verified_wimse(v: ffi::VerifiedWimseInfo) -> VerifiedWimse {
    VerifiedWimse {
        subject: v.subject,
        trust_domain: v.trust_domain,
        signature: verified_signature(v.signature),
        sign_response: v.sign_response,
    }
}

impl httpsig::Guest for Component {
    fn sign(
        message: String,
        label: String,
        components: Vec<String>,
        params: String,
        key: KeyPairBorrow<'_>,
    ) -> Result<SignedMessage, WitError> {
        let s = ffi::http_sign(
            &message,
            &label,
            &components,
            &params,
            &key.get::<KeyPair>().0,
        )
        .map_err(error)?;
        Ok(SignedMessage {
            signature_input: s.signature_input,
            signature: s.signature,
            base: s.base,
        })
    }

    fn signature_base(message: String, signature_input: String) -> Result<String, WitError> {
        ffi::http_signature_base(&message, &signature_input).map_err(error)
    }

    fn verify(
        message: String,
        body: Option<Vec<u8>>,
        policy: String,
        keys: String,
        now: u64,
        replay: Option<ReplayCacheBorrow<'_>>,
    ) -> Result<VerifiedSignature, WitError> {
        let cache = replay.as_ref().map(|r| r.get::<ReplayCache>());
        let mut guard = cache.map(|c| c.0.borrow_mut());
        ffi::http_verify(
            &message,
            body.as_deref(),
            &policy,
            &keys,
            now,
            guard.as_deref_mut(),
        )
        .map(verified_signature)
        .map_err(error)
    }

    fn content_digest(body: Vec<u8>, algorithms: Vec<String>) -> Result<String, WitError> {
        ffi::http_content_digest(&body, &algorithms).map_err(error)
    }

    fn verify_content_digest(field: String, body: Vec<u8>) -> Result<(), WitError> {
        ffi::http_verify_content_digest(&field, &body).map_err(error)
    }

    fn sign_wimse_request(
        message: String,
        body: Option<Vec<u8>>,
        key: KeyPairBorrow<'_>,
        audience: String,
        now: u64,
        lifetime: u64,
        nonce: String,
        version: String,
        sign_response: bool,
    ) -> Result<WimseSignature, WitError> {
        ffi::wimse_sign_request(
            &message,
            body.as_deref(),
            &key.get::<KeyPair>().0,
            &audience,
            now,
            lifetime,
            &nonce,
            &version,
            sign_response,
        )
        .map(wimse_signature)
        .map_err(error)
    }

    fn sign_wimse_response(
        message: String,
        body: Option<Vec<u8>>,
        request_nonce: String,
        key: KeyPairBorrow<'_>,
        now: u64,
        lifetime: u64,
        nonce: String,
        version: String,
    ) -> Result<WimseSignature, WitError> {
        ffi::wimse_sign_response(
            &message,
            body.as_deref(),
            &request_nonce,
            &key.get::<KeyPair>().0,
            now,
            lifetime,
            &nonce,
            &version,
        )
        .map(wimse_signature)
        .map_err(error)
    }

    fn verify_wimse_request(
        message: String,
        body: Option<Vec<u8>>,
        trust_store: String,
        config: String,
        now: u64,
        replay: Option<ReplayCacheBorrow<'_>>,
    ) -> Result<VerifiedWimse, WitError> {
        let cache = replay.as_ref().map(|r| r.get::<ReplayCache>());
        let mut guard = cache.map(|c| c.0.borrow_mut());
        ffi::wimse_verify_request(
            &message,
            body.as_deref(),
            &trust_store,
            &config,
            now,
            guard.as_deref_mut(),
        )
        .map(verified_wimse)
        .map_err(error)
    }

    fn verify_wimse_response(
        message: String,
        body: Option<Vec<u8>>,
        request_nonce: String,
        trust_store: String,
        config: String,
        now: u64,
    ) -> Result<VerifiedWimse, WitError> {
        ffi::wimse_verify_response(
            &message,
            body.as_deref(),
            &request_nonce,
            &trust_store,
            &config,
            now,
        )
        .map(verified_wimse)
        .map_err(error)
    }
}

fn gate_request(r: GateRequest) -> ffi::GateRequest {
    ffi::GateRequest {
        method: r.method,
        target_uri: r.target_uri,
        headers: r.headers,
        body: r.body,
        mtls_peer: r.mtls_peer,
    }
}

fn denial(d: ffi::DenialInfo) -> Denial {
    Denial {
        status: d.status,
        www_authenticate: d.www_authenticate,
        dpop_nonce: d.dpop_nonce,
        error: error(d.error),
        event: d.event,
        audit: d.audit,
    }
}

fn principal_info(p: Principal) -> ffi::PrincipalInfo {
    ffi::PrincipalInfo {
        agent: p.agent,
        trust_domain: p.trust_domain,
        method: p.method,
        credentials: p.credentials,
        client_id: p.client_id,
        subject: p.subject,
        issuer: p.issuer,
        act: p.act,
        actors: p
            .actors
            .into_iter()
            .map(|a| (a.subject, a.issuer))
            .collect(),
        scopes: p.scopes,
        transaction: p.transaction.map(|t| ffi::TransactionInfo {
            txn: t.txn,
            subject: t.subject,
            scope: t.scope,
            requesting_workload: t.requesting_workload,
            tctx: t.tctx,
            rctx: t.rctx,
            issuer: t.issuer,
            expires_at: t.expires_at,
            token_hash: t.token_hash,
        }),
        authorization_details: p.authorization_details,
        token_hashes: p.token_hashes,
        expires_at: p.expires_at,
        route: p.route,
        audit: p.audit,
    }
}

/// The `verifier` resource.
pub struct Verifier(core::cell::RefCell<a2a_auth::gate::Verifier>);

impl gate::GuestVerifier for Verifier {
    fn create(policy: String, secret: Vec<u8>) -> Result<gate::Verifier, WitError> {
        let v = ffi::verifier_new(&policy, &secret).map_err(error)?;
        Ok(gate::Verifier::new(Verifier(core::cell::RefCell::new(v))))
    }

    fn authenticate(&self, request: GateRequest, now: u64) -> Result<Principal, Denial> {
        match ffi::authenticate(&mut self.0.borrow_mut(), &gate_request(request), now) {
            Ok(p) => Ok(Principal {
                agent: p.agent,
                trust_domain: p.trust_domain,
                method: p.method,
                credentials: p.credentials,
                client_id: p.client_id,
                subject: p.subject,
                issuer: p.issuer,
                act: p.act,
                actors: p
                    .actors
                    .into_iter()
                    .map(|(subject, issuer)| gate::Actor { subject, issuer })
                    .collect(),
                scopes: p.scopes,
                transaction: p.transaction.map(transaction),
                authorization_details: p.authorization_details,
                token_hashes: p.token_hashes,
                expires_at: p.expires_at,
                route: p.route,
                audit: p.audit,
            }),
            Err(d) => Err(denial(*d)),
        }
    }

    fn enforce(&self, principal: Principal, decision: String) -> Result<(), Denial> {
        ffi::enforce(&self.0.borrow(), &principal_info(principal), &decision)
            .map_err(|d| denial(*d))
    }

    fn due(&self, now: u64) -> Vec<String> {
        self.0.borrow().due(a2a_auth::UnixTime(now))
    }

    fn resource_metadata(&self) -> Result<(String, String), WitError> {
        ffi::resource_metadata(&self.0.borrow()).map_err(error)
    }

    fn apply_event(&self, set: String, now: u64) -> Result<String, WitError> {
        ffi::apply_event(&mut self.0.borrow_mut(), &set, now).map_err(error)
    }

    fn receive_push(&self, body: String, now: u64) -> gate::PushAnswer {
        let a = ffi::receive_push(&mut self.0.borrow_mut(), &body, now);
        gate::PushAnswer {
            status: a.status,
            body: a.body,
            applied: a.applied,
        }
    }

    fn receive_poll(&self, body: String, max_events: u64, now: u64) -> Result<String, WitError> {
        ffi::receive_poll(&mut self.0.borrow_mut(), &body, max_events, now).map_err(error)
    }

    fn ingest(
        &self,
        url: String,
        body: Option<String>,
        max_age: Option<u64>,
        now: u64,
    ) -> Result<(), WitError> {
        self.0
            .borrow_mut()
            .ingest(&url, body.as_deref(), max_age, a2a_auth::UnixTime(now))
            .map_err(error)
    }
}

/// The `signer` resource.
pub struct Signer(core::cell::RefCell<a2a_auth::gate::Signer>);

impl gate::GuestSigner for Signer {
    fn create(
        options: String,
        workload_key: Option<KeyPairBorrow<'_>>,
        dpop_key: Option<KeyPairBorrow<'_>>,
    ) -> Result<gate::Signer, WitError> {
        let w = workload_key.as_ref().map(|k| &k.get::<KeyPair>().0);
        let d = dpop_key.as_ref().map(|k| &k.get::<KeyPair>().0);
        let s = ffi::signer_new(&options, w, d).map_err(error)?;
        Ok(gate::Signer::new(Signer(core::cell::RefCell::new(s))))
    }

    fn sign(
        &self,
        request: GateRequest,
        now: u64,
        entropy: Vec<u8>,
    ) -> Result<Vec<(String, String)>, WitError> {
        ffi::sign_request(&self.0.borrow(), &gate_request(request), now, &entropy).map_err(error)
    }

    fn observe_response(
        &self,
        target_uri: String,
        status: u16,
        headers: Vec<(String, String)>,
    ) -> bool {
        self.0
            .borrow_mut()
            .observe_response(&target_uri, status, &headers)
    }

    fn set_access_token(&self, token: String) {
        self.0.borrow_mut().set_access_token(token);
    }

    fn set_workload_identity_token(&self, wit: String) {
        self.0.borrow_mut().set_workload_identity_token(wit);
    }
}

impl gate::Guest for Component {
    type Verifier = Verifier;
    type Signer = Signer;

    fn principal_subject(principal: Principal) -> Result<String, WitError> {
        ffi::principal_subject(&principal_info(principal)).map_err(error)
    }

    fn check_records(policy: String, records: String) -> Result<String, WitError> {
        ffi::check_records(&policy, &records).map_err(error)
    }
}

impl events::Guest for Component {
    fn verify_set(set: String, config: String, now: u64) -> Result<String, WitError> {
        ffi::verify_set(&set, &config, now).map_err(error)
    }

    fn issue_set(claims: String, key: KeyPairBorrow<'_>) -> Result<String, WitError> {
        ffi::issue_set(&claims, &key.get::<KeyPair>().0).map_err(error)
    }

    fn configuration_url(issuer: String) -> Result<String, WitError> {
        ffi::ssf_configuration_url(&issuer).map_err(error)
    }

    fn parse_transmitter_metadata(
        text: String,
        expected_issuer: String,
    ) -> Result<String, WitError> {
        ffi::parse_transmitter_metadata(&text, &expected_issuer).map_err(error)
    }

    fn parse_stream_config(
        text: String,
        expected_iss: String,
        expected_aud: String,
    ) -> Result<String, WitError> {
        ffi::parse_stream_config(&text, &expected_iss, &expected_aud).map_err(error)
    }

    fn create_stream_request(
        events_requested: Vec<String>,
        push_endpoint: Option<String>,
        authorization_header: Option<String>,
        description: Option<String>,
    ) -> String {
        ffi::create_stream_request(
            &events_requested,
            push_endpoint.as_deref(),
            authorization_header.as_deref(),
            description.as_deref(),
        )
    }

    fn verification_request(stream_id: String, state: Option<String>) -> String {
        ffi::verification_request(&stream_id, state.as_deref())
    }
}

fn transaction(t: ffi::TransactionInfo) -> oauth::TransactionContext {
    oauth::TransactionContext {
        txn: t.txn,
        subject: t.subject,
        scope: t.scope,
        requesting_workload: t.requesting_workload,
        tctx: t.tctx,
        rctx: t.rctx,
        issuer: t.issuer,
        expires_at: t.expires_at,
        token_hash: t.token_hash,
    }
}

fn token_info(t: ffi::AccessTokenInfo) -> AccessTokenInfo {
    AccessTokenInfo {
        issuer: t.issuer,
        subject: t.subject,
        client_id: t.client_id,
        scopes: t.scopes,
        authorization_details: t.authorization_details,
        cnf_jkt: t.cnf_jkt,
        acr: t.acr,
        auth_time: t.auth_time,
        expires_at: t.expires_at,
        token_hash: t.token_hash,
        claims: t.claims,
    }
}

impl oauth::Guest for Component {
    fn verify_access_token(
        token: String,
        config: String,
        now: u64,
    ) -> Result<AccessTokenInfo, WitError> {
        ffi::verify_access_token(&token, &config, now)
            .map(token_info)
            .map_err(error)
    }

    fn check_introspection_response(
        response: String,
        token: String,
        config: String,
        now: u64,
    ) -> Result<AccessTokenInfo, WitError> {
        ffi::check_introspection_response(&response, &token, &config, now)
            .map(token_info)
            .map_err(error)
    }

    fn verify_introspection_jwt(
        jwt: String,
        token: String,
        config: String,
        now: u64,
    ) -> Result<AccessTokenInfo, WitError> {
        ffi::verify_introspection_jwt(&jwt, &token, &config, now)
            .map(token_info)
            .map_err(error)
    }

    fn issue_txn_token(
        key: KeyPairBorrow<'_>,
        params: String,
        now: u64,
    ) -> Result<String, WitError> {
        ffi::issue_txn_token(&key.get::<KeyPair>().0, &params, now).map_err(error)
    }

    fn verify_txn_token(
        token: String,
        config: String,
        now: u64,
    ) -> Result<oauth::TransactionContext, WitError> {
        ffi::verify_txn_token(&token, &config, now)
            .map(transaction)
            .map_err(error)
    }

    fn create_client_assertion(
        key: KeyPairBorrow<'_>,
        client_id: String,
        issuer: String,
        jti: String,
        now: u64,
        lifetime: u64,
    ) -> Result<String, WitError> {
        ffi::create_client_assertion(
            &key.get::<KeyPair>().0,
            &client_id,
            &issuer,
            &jti,
            now,
            lifetime,
        )
        .map_err(error)
    }

    fn verify_client_assertion(
        assertion: String,
        config: String,
        now: u64,
        replay: Option<ReplayCacheBorrow<'_>>,
    ) -> Result<oauth::ClientAssertion, WitError> {
        let cache = replay.as_ref().map(|r| r.get::<ReplayCache>());
        let mut guard = cache.map(|c| c.0.borrow_mut());
        let r = ffi::verify_client_assertion(&assertion, &config, now, guard.as_deref_mut())
            .map_err(error)?;
        Ok(oauth::ClientAssertion {
            client_id: r.client_id,
            jti: r.jti,
            expires_at: r.expires_at,
        })
    }

    fn verify_spiffe_client_assertion(
        assertion: String,
        trust_store: String,
        issuer: String,
        now: u64,
    ) -> Result<String, WitError> {
        ffi::verify_spiffe_client_assertion(&assertion, &trust_store, &issuer, now).map_err(error)
    }

    fn create_client_attestation_pop(
        key: KeyPairBorrow<'_>,
        wit: String,
        issuer: String,
        jti: String,
        challenge: Option<String>,
        now: u64,
    ) -> Result<String, WitError> {
        ffi::create_client_attestation_pop(
            &key.get::<KeyPair>().0,
            &wit,
            &issuer,
            &jti,
            challenge.as_deref(),
            now,
        )
        .map_err(error)
    }

    fn verify_wit_client_attestation(
        wit: String,
        pop: String,
        trust_store: String,
        issuer: String,
        challenge: Option<String>,
        now: u64,
        replay: Option<ReplayCacheBorrow<'_>>,
    ) -> Result<String, WitError> {
        let cache = replay.as_ref().map(|r| r.get::<ReplayCache>());
        let mut guard = cache.map(|c| c.0.borrow_mut());
        ffi::verify_wit_client_attestation(
            &wit,
            &pop,
            &trust_store,
            &issuer,
            challenge.as_deref(),
            now,
            guard.as_deref_mut(),
        )
        .map_err(error)
    }

    fn client_credentials_request(request: String) -> Result<String, WitError> {
        ffi::client_credentials_request(&request).map_err(error)
    }

    fn token_exchange_request(request: String) -> Result<String, WitError> {
        ffi::token_exchange_request(&request).map_err(error)
    }

    fn parse_token_exchange_response(
        text: String,
        requested_token_type: Option<String>,
        expected_token_type: Option<String>,
    ) -> Result<oauth::TokenExchangeResponse, WitError> {
        let r = ffi::parse_token_exchange_response(
            &text,
            requested_token_type.as_deref(),
            expected_token_type.as_deref(),
        )
        .map_err(error)?;
        Ok(oauth::TokenExchangeResponse {
            access_token: r.access_token,
            issued_token_type: r.issued_token_type,
            token_type: r.token_type,
            expires_in: r.expires_in,
            scopes: r.scopes,
            refresh_token: r.refresh_token,
        })
    }

    fn may_act(
        subject_claims: String,
        actor_subject: String,
        actor_issuer: Option<String>,
    ) -> Result<bool, WitError> {
        ffi::may_act(&subject_claims, &actor_subject, actor_issuer.as_deref()).map_err(error)
    }

    fn agent_card_requirements(card: String, skill: Option<String>) -> Result<String, WitError> {
        ffi::agent_card_requirements(&card, skill.as_deref()).map_err(error)
    }

    fn sign_agent_card(card: String, key: KeyPairBorrow<'_>) -> Result<String, WitError> {
        ffi::sign_agent_card(&card, &key.get::<KeyPair>().0).map_err(error)
    }

    fn verify_agent_card(
        card: String,
        keys: String,
        algorithms: Vec<String>,
    ) -> Result<(String, String), WitError> {
        ffi::verify_agent_card(&card, &keys, &algorithms).map_err(error)
    }

    fn plan_authorization(
        resource_metadata: String,
        expected_resource: String,
        server_metadata: String,
        issuer: String,
        challenge_scope: Option<String>,
        preregistered: bool,
    ) -> Result<String, WitError> {
        ffi::plan_authorization(
            &resource_metadata,
            &expected_resource,
            &server_metadata,
            &issuer,
            challenge_scope.as_deref(),
            preregistered,
        )
        .map_err(error)
    }

    fn parse_www_authenticate(values: Vec<String>) -> Result<String, WitError> {
        ffi::parse_www_authenticate(&values).map_err(error)
    }

    fn resource_metadata_candidates(
        server_url: String,
        resource_metadata: Option<String>,
    ) -> Result<Vec<String>, WitError> {
        ffi::resource_metadata_candidates(&server_url, resource_metadata.as_deref()).map_err(error)
    }

    fn authorization_server_metadata_candidates(issuer: String) -> Result<Vec<String>, WitError> {
        ffi::authorization_server_metadata_candidates(&issuer).map_err(error)
    }

    fn parse_authorization_server_metadata(
        text: String,
        expected_issuer: String,
    ) -> Result<String, WitError> {
        ffi::parse_authorization_server_metadata(&text, &expected_issuer).map_err(error)
    }

    fn client_metadata_document(description: String) -> Result<String, WitError> {
        ffi::client_metadata_document(&description).map_err(error)
    }

    fn check_client_metadata_document(text: String, url: String) -> Result<String, WitError> {
        ffi::check_client_metadata_document(&text, &url).map_err(error)
    }

    fn authzen_evaluation_request(request: String) -> Result<String, WitError> {
        ffi::authzen_evaluation_request(&request).map_err(error)
    }

    fn authzen_evaluations_request(request: String) -> Result<String, WitError> {
        ffi::authzen_evaluations_request(&request).map_err(error)
    }

    fn authzen_parse_decision(text: String) -> Result<oauth::AuthzenDecision, WitError> {
        ffi::authzen_parse_decision(&text)
            .map(|(decision, context)| oauth::AuthzenDecision { decision, context })
            .map_err(error)
    }

    fn authzen_parse_evaluations(
        text: String,
        count: u32,
        semantic: String,
    ) -> Result<Vec<oauth::AuthzenDecision>, WitError> {
        ffi::authzen_parse_evaluations(&text, count, &semantic)
            .map(|v| {
                v.into_iter()
                    .map(|(decision, context)| oauth::AuthzenDecision { decision, context })
                    .collect()
            })
            .map_err(error)
    }

    fn authzen_metadata_url(pdp: String) -> Result<String, WitError> {
        ffi::authzen_metadata_url(&pdp).map_err(error)
    }

    fn authzen_parse_metadata(text: String, expected_pdp: String) -> Result<String, WitError> {
        ffi::authzen_parse_metadata(&text, &expected_pdp).map_err(error)
    }

    fn metadata_url(resource_id: String) -> Result<String, WitError> {
        ffi::metadata_url(&resource_id).map_err(error)
    }

    fn resource_metadata_document(description: String) -> Result<String, WitError> {
        ffi::resource_metadata_document(&description).map_err(error)
    }

    fn parse_resource_metadata(
        text: String,
        expected_resource: String,
    ) -> Result<String, WitError> {
        ffi::parse_resource_metadata(&text, &expected_resource).map_err(error)
    }
}

#[cfg(test)]
#[allow(clippy::string_slice, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_line_up_with_the_core() {
        // wit-bindgen derives `Debug` as `ErrorCode::<UpperCamelCase case name>`.
        let camel = |code: &str| -> String {
            let camel: String = code
                .split('-')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            format!("ErrorCode::{camel}")
        };
        let names: Vec<String> = CODES.iter().map(|c| format!("{c:?}")).collect();
        let expected: Vec<String> = a2a_auth::Error::ALL_CODES
            .iter()
            .map(|c| camel(c))
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn wit_error_code_enum_equals_the_core_codes() {
        // Parse `enum error-code { ... }` from wit/types.wit.
        let text = include_str!("../../../wit/types.wit");
        let body = text
            .split("enum error-code {")
            .nth(1)
            .and_then(|b| b.split('}').next())
            .unwrap_or_default();
        let cases: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .map(|l| l.trim_end_matches(','))
            .collect();
        assert_eq!(cases, a2a_auth::Error::ALL_CODES);
    }
}
