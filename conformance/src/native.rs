//! The native core as a conformance host: every op of VECTORS.md run through the Rust API,
//! with the token-free check over everything the library produced for a case (error messages
//! and their `Debug`, decision records, challenges, the `Debug` of principals and denials). Used by the
//! core's `tests/vectors.rs` and by `a2a-auth vectors`.
//!
//! Malformed case input (a member missing or of the wrong type) panics: this is test support,
//! and a host that runs user-supplied vectors catches the panic per case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    missing_docs
)]

use crate::hex;
use a2a_auth::crypto::{Algorithm, AlgorithmSet, Jwk, JwkSet, KeyPair};
use a2a_auth::encoding::base64url;
use a2a_auth::identity::{
    Bundle, IdPattern, IssuancePolicy, Issuer, TrustStore, WitClaims, WitProfile, WitValidation,
    WorkloadId, issue_workload_identity_token, renewal_time, verify_jwt_svid,
    verify_workload_identity_token,
};
use a2a_auth::jose::{JwtValidation, parse_jws, sign_jws, verify_jwt};
use a2a_auth::{Error, Leeway, Limits, UnixTime};
use serde_json::{Value, json};

const L: Limits = Limits::DEFAULT;

thread_local! {
    /// Text the library produced for the current case that must carry no token or key
    /// material: decision records, challenges, applied-event records.
    static PRODUCED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn produced(text: &str) {
    PRODUCED.with(|p| p.borrow_mut().push(text.to_owned()));
}

/// Every compact-JWS segment (16+ characters) and every private key member (`d`, `k`, ...)
/// found anywhere in a case's input.
pub fn secrets_of(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            if let Ok(inner) = serde_json::from_str::<Value>(s)
                && (inner.is_object() || inner.is_array())
            {
                secrets_of(&inner, out);
            }
            for word in s.split(|c: char| c.is_whitespace() || matches!(c, ',' | '"' | '=' | ':')) {
                let parts: Vec<&str> = word.split('.').collect();
                let b64 = |p: &str| {
                    p.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                };
                if parts.len() >= 3 && parts.iter().all(|p| b64(p)) && parts[0].starts_with("eyJ") {
                    out.extend(
                        parts
                            .iter()
                            .filter(|p| p.len() >= 16)
                            .map(|p| (*p).to_owned()),
                    );
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| secrets_of(i, out)),
        Value::Object(o) => {
            for (k, v) in o {
                if matches!(k.as_str(), "d" | "p" | "q" | "dp" | "dq" | "qi" | "k")
                    && let Some(s) = v.as_str()
                    && s.len() >= 16
                {
                    out.push(s.to_owned());
                }
                secrets_of(v, out);
            }
        }
        _ => {}
    }
}

fn str_field<'a>(input: &'a Value, name: &str) -> &'a str {
    input[name]
        .as_str()
        .unwrap_or_else(|| panic!("vector input lacks string `{name}`"))
}

fn algorithms(input: &Value) -> Result<AlgorithmSet, Error> {
    AlgorithmSet::from_jws_names(
        input["algorithms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap()),
    )
}

fn run_op(op: &str, input: &Value) -> Result<Value, Error> {
    match op {
        "keys.thumbprint" => {
            let jwk = Jwk::from_json(&input["jwk"].to_string(), &L)?;
            Ok(json!({
                "canonical": jwk.thumbprint_input(),
                "thumbprint": jwk.thumbprint(),
                "thumbprint_uri": jwk.thumbprint_uri().0,
            }))
        }
        "keys.from-seed" => {
            let alg = Algorithm::from_jws_name(str_field(input, "alg"))
                .ok_or(Error::AlgorithmNotAllowed)?;
            let pair = KeyPair::from_seed(alg, &hex(str_field(input, "seed")))?;
            Ok(json!({ "public_jwk": pair.public_jwk().to_object() }))
        }
        "jose.sign-jws" => {
            let pair = KeyPair::from_jwk(&input["key"].to_string(), None, &L)?;
            let payload = base64url::decode(str_field(input, "payload")).unwrap();
            let token = sign_jws(input["header"].as_object().unwrap(), &payload, &pair)?;
            Ok(json!({ "token": token }))
        }
        "jose.verify-jws" => {
            let keys = JwkSet::from_json(&input["keys"].to_string(), &L)?;
            let verified =
                parse_jws(str_field(input, "token"), &L)?.verify(&keys, algorithms(input)?, &L)?;
            Ok(json!({
                "alg": verified.alg().jws_name(),
                "header": verified.header().raw(),
                "payload": base64url::encode(verified.payload()),
                "key_thumbprint": verified.key().thumbprint(),
            }))
        }
        "jose.verify-jwt" => {
            let keys = JwkSet::from_json(&input["keys"].to_string(), &L)?;
            let mut rules = JwtValidation::new(algorithms(input)?, input["typ"].as_str());
            rules.issuer = input["issuer"].as_str().map(str::to_owned);
            rules.audience = input["audience"].as_str().map(str::to_owned);
            rules.subject = input["subject"].as_str().map(str::to_owned);
            if let Some(req) = input["required"].as_array() {
                rules = rules.with_required(req.iter().map(|r| r.as_str().unwrap()));
            }
            if let Some(leeway) = input["leeway"].as_u64() {
                rules.leeway = Leeway(leeway);
            }
            rules.max_age = input["max_age"].as_u64();
            let now = UnixTime(input["now"].as_u64().expect("verify-jwt input needs now"));
            let jwt = verify_jwt(str_field(input, "token"), &keys, &rules, now)?;
            Ok(json!({
                "header": jwt.header.raw(),
                "claims": jwt.claims,
                "key_thumbprint": jwt.key.thumbprint(),
            }))
        }
        "identity.parse-workload-id" | "identity.parse-spiffe-id" => {
            let text = str_field(input, "id");
            let id = if op == "identity.parse-spiffe-id" {
                WorkloadId::parse_spiffe(text)?
            } else {
                WorkloadId::parse(text)?
            };
            Ok(json!({
                "id": id.as_str(),
                "scheme": id.scheme().as_str(),
                "trust_domain": id.trust_domain(),
                "path": id.path(),
                "origin": id.origin(),
            }))
        }
        "identity.id-matches" => {
            let pattern = IdPattern::parse(str_field(input, "pattern"))?;
            let id = WorkloadId::parse(str_field(input, "id"))?;
            Ok(json!({ "matches": pattern.matches(&id) }))
        }
        "identity.parse-bundle" => {
            let b = Bundle::parse(
                str_field(input, "trust_domain"),
                str_field(input, "bundle"),
                &L,
            )?;
            let kids = |keys: &[Jwk]| {
                keys.iter()
                    .map(|k| k.kid().unwrap().to_owned())
                    .collect::<Vec<_>>()
            };
            Ok(json!({
                "trust_domain": b.key(),
                "sequence": b.sequence(),
                "refresh_hint": b.refresh_hint(),
                "jwt_kids": kids(b.jwt_authorities()),
                "wit_kids": kids(b.wit_authorities()),
                "x509_thumbprints": b.x509_thumbprints(),
                "skipped": b.skipped(),
            }))
        }
        "identity.parse-bundle-map" => {
            let store = TrustStore::from_bundle_map(str_field(input, "map"), &L)?;
            Ok(json!({ "trust_domains": store.trust_domains() }))
        }
        "identity.verify-workload-identity-token" => {
            let store = TrustStore::from_bundle_map(str_field(input, "trust_store"), &L)?;
            let mut validation = WitValidation::default();
            if let Some(max) = input["max_lifetime"].as_u64() {
                validation.max_lifetime = max;
            }
            if input["profile"] == "wit-svid" {
                validation.profile = WitProfile::WitSvid;
            }
            let now = UnixTime(input["now"].as_u64().expect("needs now"));
            let v = verify_workload_identity_token(
                str_field(input, "token"),
                &store,
                &validation,
                now,
            )?;
            Ok(json!({
                "subject": v.subject.as_str(),
                "trust_domain": v.subject.trust_domain(),
                "cnf_jwk": v.confirmation_key.to_object(),
                "proof_alg": v.proof_alg.jws_name(),
                "issuer_key_thumbprint": v.issuer_key_thumbprint,
                "claims": v.claims,
            }))
        }
        "identity.issue-workload-identity-token" => {
            let issuer = KeyPair::from_jwk(&input["issuer_key"].to_string(), None, &L)?;
            let subject = WorkloadId::parse(str_field(input, "subject"))?;
            let cnf = Jwk::from_json(&input["cnf_jwk"].to_string(), &L)?;
            let claims = WitClaims {
                subject: &subject,
                confirmation_key: &cnf,
                issued_at: UnixTime(input["now"].as_u64().expect("needs now")),
                lifetime: input["lifetime"].as_u64().expect("needs lifetime"),
                jti: str_field(input, "jti"),
                issuer: input["issuer"].as_str(),
            };
            Ok(json!({ "token": issue_workload_identity_token(&issuer, &claims)? }))
        }
        "identity.issue-attested-wit" => {
            let key = KeyPair::from_jwk(&input["issuer_key"].to_string(), None, &L)?;
            let policy = IssuancePolicy::from_json(&input["policy"].to_string(), &L)?;
            let holder = Jwk::from_json(&input["cnf_jwk"].to_string(), &L)?;
            let w = Issuer::new(key, policy)?.issue(
                str_field(input, "evidence"),
                &holder,
                UnixTime(input["now"].as_u64().expect("needs now")),
                str_field(input, "jti"),
            )?;
            Ok(json!({
                "token": w.token,
                "subject": w.subject.as_str(),
                "issued_at": w.issued_at.as_secs(),
                "expires_at": w.expires_at.as_secs(),
                "renew_after": w.renew_after.as_secs(),
            }))
        }
        "identity.renewal-time" => {
            let at = |name: &str| UnixTime(input[name].as_u64().expect("needs times"));
            let t = renewal_time(at("issued_at"), at("expires_at"))?;
            Ok(json!({ "renew_after": t.as_secs() }))
        }
        "identity.verify-jwt-svid" => {
            let store = TrustStore::from_bundle_map(str_field(input, "trust_store"), &L)?;
            let now = UnixTime(input["now"].as_u64().expect("needs now"));
            let v = verify_jwt_svid(
                str_field(input, "token"),
                &store,
                str_field(input, "audience"),
                Leeway::DEFAULT,
                now,
            )?;
            Ok(json!({
                "subject": v.subject.as_str(),
                "trust_domain": v.subject.trust_domain(),
                "issuer_key_thumbprint": v.issuer_key_thumbprint,
                "claims": v.claims,
            }))
        }
        "identity.verify-x509-svid" => {
            let store = TrustStore::from_bundle_map(str_field(input, "trust_store"), &L)?;
            let now = UnixTime(input["now"].as_u64().expect("needs now"));
            let chain = a2a_auth::identity::parse_pem_chain(str_field(input, "chain"), &L)?;
            let v = a2a_auth::identity::verify_x509_svid(&chain, &store, now, &L)?;
            Ok(json!({
                "subject": v.subject.as_str(),
                "trust_domain": v.subject.trust_domain(),
                "not_after": v.not_after.as_secs(),
                "spki_sha256": v.spki_sha256,
                "leaf_sha256": v.leaf_sha256,
                "path_length": v.path_length,
            }))
        }
        op if op.starts_with("proof.") => proof_op(op, input),
        op if op.starts_with("httpsig.") => httpsig_op(op, input),
        op if op.starts_with("gate.") => gate_op(op, input),
        op if op.starts_with("oauth.") => oauth_op(op, input),
        op if op.starts_with("events.") || op.starts_with("audit.") => events_op(op, input),
        other => panic!("unknown op `{other}`: the core runner must learn it"),
    }
}

fn token_info(t: &a2a_auth::ffi::AccessTokenInfo) -> Value {
    json!({
        "issuer": t.issuer, "subject": t.subject, "client_id": t.client_id, "scopes": t.scopes,
        "authorization_details": serde_json::from_str::<Value>(&t.authorization_details).unwrap(),
        "cnf_jkt": t.cnf_jkt, "acr": t.acr, "auth_time": t.auth_time, "expires_at": t.expires_at,
        "token_hash": t.token_hash,
    })
}

fn txn_json(t: &a2a_auth::ffi::TransactionInfo) -> Value {
    let parse = |x: &Option<String>| {
        x.as_ref()
            .map(|s| serde_json::from_str::<Value>(s).unwrap())
    };
    json!({"txn": t.txn, "subject": t.subject, "scope": t.scope, "requesting_workload": t.requesting_workload,
        "tctx": parse(&t.tctx), "rctx": parse(&t.rctx), "issuer": t.issuer, "expires_at": t.expires_at,
        "token_hash": t.token_hash})
}

fn oauth_op(op: &str, input: &Value) -> Result<Value, Error> {
    use a2a_auth::ffi;
    let now = || input["now"].as_u64().expect("needs now");
    match op {
        "oauth.verify-access-token" => Ok(token_info(&ffi::verify_access_token(
            str_field(input, "token"),
            str_field(input, "config"),
            now(),
        )?)),
        "oauth.check-introspection-response" => Ok(token_info(&ffi::check_introspection_response(
            str_field(input, "response"),
            str_field(input, "token"),
            str_field(input, "config"),
            now(),
        )?)),
        "oauth.verify-introspection-jwt" => Ok(token_info(&ffi::verify_introspection_jwt(
            str_field(input, "jwt"),
            str_field(input, "token"),
            str_field(input, "config"),
            now(),
        )?)),
        "oauth.issue-txn-token" => {
            let key = KeyPair::from_jwk(&input["key"].to_string(), None, &L)?;
            Ok(json!({"token": ffi::issue_txn_token(&key, str_field(input, "params"), now())?}))
        }
        "oauth.verify-txn-token" => Ok(txn_json(&ffi::verify_txn_token(
            str_field(input, "token"),
            str_field(input, "config"),
            now(),
        )?)),
        "oauth.create-client-assertion" => {
            let key = KeyPair::from_jwk(&input["key"].to_string(), None, &L)?;
            Ok(
                json!({"token": ffi::create_client_assertion(&key, str_field(input, "client_id"), str_field(input, "issuer"),
                str_field(input, "jti"), now(), input["lifetime"].as_u64().unwrap())?}),
            )
        }
        "oauth.verify-client-assertion" => {
            let mut cache = a2a_auth::proof::ReplayCache::new(16, &[1; 32])?;
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(ffi::verify_client_assertion(
                    str_field(input, "assertion"),
                    str_field(input, "config"),
                    now(),
                    Some(&mut cache),
                )?);
            }
            let r = last.unwrap();
            Ok(json!({"client_id": r.client_id, "jti": r.jti, "expires_at": r.expires_at}))
        }
        "oauth.verify-spiffe-client-assertion" => {
            Ok(json!({"subject": ffi::verify_spiffe_client_assertion(
            str_field(input, "assertion"), str_field(input, "trust_store"), str_field(input, "issuer"), now())?}))
        }
        "oauth.create-client-attestation-pop" => {
            let key = KeyPair::from_jwk(&input["key"].to_string(), None, &L)?;
            Ok(
                json!({"token": ffi::create_client_attestation_pop(&key, str_field(input, "wit"), str_field(input, "issuer"),
                str_field(input, "jti"), opt_str(input, "challenge"), now())?}),
            )
        }
        "oauth.verify-wit-client-attestation" => {
            let mut cache = a2a_auth::proof::ReplayCache::new(16, &[1; 32])?;
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(ffi::verify_wit_client_attestation(
                    str_field(input, "wit"),
                    str_field(input, "pop"),
                    str_field(input, "trust_store"),
                    str_field(input, "issuer"),
                    opt_str(input, "challenge"),
                    now(),
                    Some(&mut cache),
                )?);
            }
            Ok(json!({"subject": last.unwrap()}))
        }
        "oauth.client-metadata-document" => {
            Ok(json!({"document": ffi::client_metadata_document(str_field(input, "description"))?}))
        }
        "oauth.client-credentials-request" => {
            Ok(json!({"body": ffi::client_credentials_request(str_field(input, "request"))?}))
        }
        "oauth.authzen-evaluation-request" => {
            Ok(json!({"body": ffi::authzen_evaluation_request(str_field(input, "request"))?}))
        }
        "oauth.authzen-evaluations-request" => {
            Ok(json!({"body": ffi::authzen_evaluations_request(str_field(input, "request"))?}))
        }
        "oauth.authzen-parse-decision" => {
            let (decision, context) = ffi::authzen_parse_decision(str_field(input, "text"))?;
            Ok(
                json!({"decision": decision, "context": context.map(|c| serde_json::from_str::<Value>(&c).unwrap())}),
            )
        }
        "oauth.authzen-parse-evaluations" => {
            let v = ffi::authzen_parse_evaluations(
                str_field(input, "text"),
                u32::try_from(input["count"].as_u64().unwrap()).unwrap(),
                str_field(input, "semantic"),
            )?;
            Ok(
                json!({"evaluations": v.into_iter().map(|(d, c)| json!({"decision": d, "context": c.map(|c| serde_json::from_str::<Value>(&c).unwrap())})).collect::<Vec<_>>()}),
            )
        }
        "oauth.authzen-metadata-url" => {
            Ok(json!({"url": ffi::authzen_metadata_url(str_field(input, "pdp"))?}))
        }
        "oauth.authzen-parse-metadata" => Ok(
            json!({"metadata": ffi::authzen_parse_metadata(str_field(input, "text"), str_field(input, "expected_pdp"))?}),
        ),
        "oauth.sign-agent-card" => {
            let key = KeyPair::from_jwk(&input["key"].to_string(), None, &L)?;
            Ok(json!({"card": ffi::sign_agent_card(str_field(input, "card"), &key)?}))
        }
        "oauth.verify-agent-card" => {
            let algs: Vec<&str> = input["algorithms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            let (kid, alg) = ffi::verify_agent_card(
                str_field(input, "card"),
                &input["keys"].to_string(),
                &algs,
            )?;
            Ok(json!({"kid": kid, "alg": alg}))
        }
        "oauth.plan-authorization" => Ok(
            json!({"plan": serde_json::from_str::<Value>(&ffi::plan_authorization(
            str_field(input, "resource_metadata"), str_field(input, "expected_resource"), str_field(input, "server_metadata"),
            str_field(input, "issuer"), opt_str(input, "challenge_scope"), input["preregistered"].as_bool().unwrap())?).unwrap()}),
        ),
        "oauth.parse-www-authenticate" => {
            let values: Vec<&str> = input["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            Ok(
                json!({"challenges": serde_json::from_str::<Value>(&ffi::parse_www_authenticate(&values)?).unwrap()}),
            )
        }
        "oauth.resource-metadata-candidates" => {
            Ok(json!({"urls": ffi::resource_metadata_candidates(
            str_field(input, "server_url"), opt_str(input, "resource_metadata"))?}))
        }
        "oauth.authorization-server-metadata-candidates" => Ok(
            json!({"urls": ffi::authorization_server_metadata_candidates(
            str_field(input, "issuer"))?}),
        ),
        "oauth.parse-authorization-server-metadata" => {
            Ok(json!({"metadata": ffi::parse_authorization_server_metadata(
            str_field(input, "text"), str_field(input, "expected_issuer"))?}))
        }
        "oauth.agent-card-requirements" => {
            Ok(json!({"alternatives": serde_json::from_str::<Value>(
            &ffi::agent_card_requirements(str_field(input, "card"), opt_str(input, "skill"))?).unwrap()}))
        }
        "oauth.check-client-metadata-document" => {
            Ok(json!({"document": ffi::check_client_metadata_document(
            str_field(input, "text"), str_field(input, "url"))?}))
        }
        "oauth.token-exchange-request" => Ok(json!({
            "body": ffi::token_exchange_request(str_field(input, "request"))?
        })),
        "oauth.parse-token-exchange-response" => {
            let r = ffi::parse_token_exchange_response(
                str_field(input, "text"),
                opt_str(input, "requested_token_type"),
                opt_str(input, "expected_token_type"),
            )?;
            Ok(
                json!({"access_token": r.access_token, "issued_token_type": r.issued_token_type, "token_type": r.token_type,
                "expires_in": r.expires_in, "scopes": r.scopes, "refresh_token": r.refresh_token}),
            )
        }
        "oauth.may-act" => Ok(json!({"allowed": ffi::may_act(
            str_field(input, "claims"),
            str_field(input, "actor_subject"),
            opt_str(input, "actor_issuer"),
        )?})),
        "oauth.metadata-url" => {
            Ok(json!({"url": ffi::metadata_url(str_field(input, "resource"))?}))
        }
        "oauth.resource-metadata-document" => Ok(json!({
            "document": ffi::resource_metadata_document(str_field(input, "description"))?
        })),
        "oauth.parse-resource-metadata" => Ok(json!({
            "metadata": ffi::parse_resource_metadata(str_field(input, "text"), str_field(input, "expected_resource"))?
        })),
        other => panic!("unknown op `{other}`: the core runner must learn it"),
    }
}

fn gate_request(r: &Value) -> a2a_auth::ffi::GateRequest {
    a2a_auth::ffi::GateRequest {
        method: str_field(r, "method").to_owned(),
        target_uri: str_field(r, "target_uri").to_owned(),
        headers: headers_of(r),
        body: r["body"].as_str().map(|b| base64url::decode(b).unwrap()),
        mtls_peer: r["mtls_peer"].as_str().map(str::to_owned),
    }
}

fn gate_op(op: &str, input: &Value) -> Result<Value, Error> {
    use a2a_auth::ffi;
    let now = input["now"].as_u64().expect("needs now");
    match op {
        "gate.authenticate" => {
            let secret = base64url::decode(str_field(input, "secret")).unwrap();
            let mut verifier = ffi::verifier_new(str_field(input, "policy"), &secret)?;
            for earlier in input["before"].as_array().into_iter().flatten() {
                assert!(
                    ffi::authenticate(&mut verifier, &gate_request(earlier), now).is_ok(),
                    "a `before` request is allowed"
                );
            }
            for set in input["events"].as_array().into_iter().flatten() {
                ffi::apply_event(&mut verifier, set.as_str().unwrap(), now)
                    .expect("an `events` SET is applied");
            }
            let request = gate_request(&input["request"]);
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                let r = ffi::authenticate(&mut verifier, &request, now);
                match &r {
                    Ok(p) => {
                        produced(&p.audit);
                        produced(&format!("{p:?}"));
                    }
                    Err(d) => {
                        produced(&d.audit);
                        d.www_authenticate.iter().for_each(|w| produced(w));
                        produced(&format!("{d:?}"));
                    }
                }
                last = Some(r);
            }
            Ok(match last.expect("repeat >= 1") {
                Ok(p) => json!({
                    "allow": true, "agent": p.agent, "trust_domain": p.trust_domain, "method": p.method,
                    "credentials": p.credentials, "client_id": p.client_id, "subject": p.subject, "issuer": p.issuer,
                    "act": p.act.map(|a| serde_json::from_str::<Value>(&a).unwrap()), "scopes": p.scopes,
                    "transaction": p.transaction.as_ref().map(txn_json),
                    "actors": p.actors.iter().map(|(s, i)| json!({"subject": s, "issuer": i})).collect::<Vec<_>>(),
                    "authorization_details": serde_json::from_str::<Value>(&p.authorization_details).unwrap(),
                    "token_hashes": p.token_hashes, "expires_at": p.expires_at, "route": p.route,
                }),
                Err(d) => json!({
                    "allow": false, "status": d.status, "www_authenticate": d.www_authenticate,
                    "dpop_nonce": d.dpop_nonce, "code": d.error.code(),
                    "event": d.event.map(|e| serde_json::from_str::<Value>(&e).unwrap()),
                }),
            })
        }
        "gate.enforce" => {
            let secret = base64url::decode(str_field(input, "secret")).unwrap();
            let mut verifier = ffi::verifier_new(str_field(input, "policy"), &secret)?;
            let p = ffi::authenticate(&mut verifier, &gate_request(&input["request"]), now)
                .expect("the request is allowed");
            let subject: Value = serde_json::from_str(&ffi::principal_subject(&p)?).unwrap();
            let outcome = match ffi::enforce(&verifier, &p, str_field(input, "decision")) {
                Ok(()) => json!({"allow": true}),
                Err(d) => {
                    json!({"allow": false, "status": d.status, "www_authenticate": d.www_authenticate, "code": d.error.code()})
                }
            };
            Ok(json!({"subject": subject, "outcome": outcome}))
        }
        "gate.sign" => {
            let pair = |name: &str| {
                input[name]
                    .as_object()
                    .map(|j| KeyPair::from_jwk(&Value::Object(j.clone()).to_string(), None, &L))
                    .transpose()
            };
            let (workload, dpop) = (pair("workload_key")?, pair("dpop_key")?);
            let signer = ffi::signer_new(
                str_field(input, "options"),
                workload.as_ref(),
                dpop.as_ref(),
            )?;
            let entropy = base64url::decode(str_field(input, "entropy")).unwrap();
            let headers =
                ffi::sign_request(&signer, &gate_request(&input["request"]), now, &entropy)?;
            Ok(json!({ "headers": headers }))
        }
        other => panic!("unknown op `{other}`: the core runner must learn it"),
    }
}

fn headers_of(request: &Value) -> Vec<(String, String)> {
    request["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .map(|h| {
            (
                h[0].as_str().unwrap().to_owned(),
                h[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn opt_str<'a>(input: &'a Value, name: &str) -> Option<&'a str> {
    input[name].as_str()
}

fn proof_op(op: &str, input: &Value) -> Result<Value, Error> {
    use a2a_auth::ffi;
    let now = || input["now"].as_u64().expect("needs now");
    let key = || KeyPair::from_jwk(&input["key"].to_string(), None, &L);
    match op {
        "proof.create-wpt" => {
            let others: Vec<(String, String)> = input["other_tokens"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|p| {
                            (
                                p[0].as_str().unwrap().to_owned(),
                                p[1].as_str().unwrap().to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let token = ffi::create_wpt(
                &key()?,
                str_field(input, "wit"),
                str_field(input, "audience"),
                now(),
                input["lifetime"].as_u64().expect("lifetime"),
                str_field(input, "jti"),
                opt_str(input, "access_token"),
                opt_str(input, "txn_token"),
                &others,
            )?;
            Ok(json!({ "token": token }))
        }
        "proof.verify-wpt" => {
            let request = &input["request"];
            let headers = headers_of(request);
            let mut cache = a2a_auth::proof::ReplayCache::new(16, &[1; 32])?;
            // Requests verified first through the same cache (they must pass).
            for earlier in input["before"].as_array().into_iter().flatten() {
                ffi::verify_wpt(
                    str_field(earlier, "method"),
                    str_field(earlier, "target"),
                    &headers_of(earlier),
                    str_field(input, "trust_store"),
                    str_field(input, "config"),
                    now(),
                    Some(&mut cache),
                )
                .expect("a `before` request verifies");
            }
            let repeat = input["repeat"].as_u64().unwrap_or(1);
            let mut last = None;
            for _ in 0..repeat {
                last = Some(ffi::verify_wpt(
                    str_field(request, "method"),
                    str_field(request, "target"),
                    &headers,
                    str_field(input, "trust_store"),
                    str_field(input, "config"),
                    now(),
                    Some(&mut cache),
                )?);
            }
            let v = last.expect("repeat >= 1");
            Ok(json!({
                "subject": v.subject, "trust_domain": v.trust_domain, "audience": v.audience, "jti": v.jti,
                "expires_at": v.expires_at, "proof_alg": v.proof_alg, "cnf_thumbprint": v.cnf_thumbprint, "bound": v.bound,
            }))
        }
        "proof.create-dpop-proof" => Ok(json!({ "token": ffi::create_dpop_proof(
            &key()?,
            str_field(input, "method"),
            str_field(input, "uri"),
            now(),
            str_field(input, "jti"),
            opt_str(input, "access_token"),
            opt_str(input, "nonce"),
        )? })),
        "proof.verify-dpop-proof" => {
            let request = &input["request"];
            let headers = headers_of(request);
            let mut cache = a2a_auth::proof::ReplayCache::new(16, &[1; 32])?;
            let repeat = input["repeat"].as_u64().unwrap_or(1);
            let mut last = None;
            for _ in 0..repeat {
                last = Some(ffi::verify_dpop_proof(
                    str_field(request, "method"),
                    str_field(request, "target"),
                    &headers,
                    opt_str(input, "expected_jkt"),
                    str_field(input, "config"),
                    now(),
                    Some(&mut cache),
                )?);
            }
            let v = last.expect("repeat >= 1");
            Ok(
                json!({ "jkt": v.jkt, "jti": v.jti, "issued_at": v.issued_at, "access_token_bound": v.access_token_bound }),
            )
        }
        "proof.dpop-nonce" => {
            Ok(json!({ "nonce": ffi::dpop_nonce(str_field(input, "config"), now())? }))
        }
        "proof.wpt-challenge" => {
            let c = ffi::wpt_challenge(str_field(input, "code"), str_field(input, "wire"))?;
            Ok(
                json!({ "status": c.status, "www_authenticate": c.www_authenticate, "dpop_nonce": c.dpop_nonce }),
            )
        }
        "proof.dpop-challenge" => {
            let c = ffi::dpop_challenge(
                str_field(input, "code"),
                str_field(input, "description"),
                str_field(input, "config"),
                now(),
            )?;
            Ok(
                json!({ "status": c.status, "www_authenticate": c.www_authenticate, "dpop_nonce": c.dpop_nonce }),
            )
        }
        "proof.normalize-http-uri" => {
            Ok(json!({ "uri": ffi::normalize_http_uri(str_field(input, "uri"))? }))
        }
        "proof.replay-cache" => {
            let secret = base64url::decode(str_field(input, "secret"))?;
            let capacity = u32::try_from(input["capacity"].as_u64().expect("capacity")).unwrap();
            let mut cache = ffi::replay_cache(capacity, &secret)?;
            let mut results = Vec::new();
            for i in input["inserts"].as_array().expect("inserts") {
                let r = cache.check_and_insert(
                    i[0].as_str().unwrap(),
                    i[1].as_str().unwrap(),
                    UnixTime(i[2].as_u64().unwrap()),
                    UnixTime(i[3].as_u64().unwrap()),
                );
                results.push(match r {
                    Ok(ins) if ins.evicted_live => "evicted-live".to_owned(),
                    Ok(_) => "ok".to_owned(),
                    Err(e) => e.code().to_owned(),
                });
            }
            Ok(json!({ "results": results }))
        }
        other => panic!("unknown op `{other}`: the core runner must learn it"),
    }
}

fn body_of(input: &Value) -> Option<Vec<u8>> {
    input["body"].as_str().map(|b| b.as_bytes().to_vec())
}

fn verified_sig_json(v: &a2a_auth::ffi::VerifiedHttpSignature) -> Value {
    json!({
        "label": v.label, "components": v.components, "keyid": v.keyid, "tag": v.tag, "nonce": v.nonce,
        "created": v.created, "expires": v.expires, "digest_checked": v.digest_checked,
    })
}

fn wimse_json(v: &a2a_auth::ffi::VerifiedWimseInfo) -> Value {
    let s = &v.signature;
    json!({
        "subject": v.subject, "trust_domain": v.trust_domain, "label": s.label, "components": s.components,
        "nonce": s.nonce, "created": s.created, "expires": s.expires, "digest_checked": s.digest_checked,
        "sign_response": v.sign_response,
    })
}

fn httpsig_op(op: &str, input: &Value) -> Result<Value, Error> {
    use a2a_auth::ffi;
    let now = || input["now"].as_u64().expect("needs now");
    let key = || KeyPair::from_jwk(&input["key"].to_string(), None, &L);
    let strings = |name: &str| -> Vec<String> {
        input[name]
            .as_array()
            .expect("array")
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let body = body_of(input);
    match op {
        "httpsig.signature-base" => Ok(json!({
            "base": ffi::http_signature_base(str_field(input, "message"), str_field(input, "signature_input"))?
        })),
        "httpsig.verify" => {
            let mut cache = a2a_auth::proof::ReplayCache::new(16, &[1; 32])?;
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(ffi::http_verify(
                    str_field(input, "message"),
                    body.as_deref(),
                    str_field(input, "policy"),
                    str_field(input, "keys"),
                    now(),
                    Some(&mut cache),
                )?);
            }
            Ok(verified_sig_json(&last.expect("repeat >= 1")))
        }
        "httpsig.sign" => {
            let s = ffi::http_sign(
                str_field(input, "message"),
                str_field(input, "label"),
                &strings("components"),
                str_field(input, "params"),
                &key()?,
            )?;
            Ok(
                json!({ "signature_input": s.signature_input, "signature": s.signature, "base": s.base }),
            )
        }
        "httpsig.content-digest" => Ok(json!({
            "value": ffi::http_content_digest(body.as_deref().unwrap_or_default(), &strings("algorithms"))?
        })),
        "httpsig.verify-content-digest" => {
            ffi::http_verify_content_digest(
                str_field(input, "field"),
                body.as_deref().unwrap_or_default(),
            )?;
            Ok(json!({}))
        }
        "httpsig.sign-wimse-request" => {
            let s = ffi::wimse_sign_request(
                str_field(input, "message"),
                body.as_deref(),
                &key()?,
                str_field(input, "audience"),
                now(),
                input["lifetime"].as_u64().expect("lifetime"),
                str_field(input, "nonce"),
                str_field(input, "version"),
                input["sign_response"].as_bool().expect("sign_response"),
            )?;
            Ok(
                json!({ "content_digest": s.content_digest, "signature_input": s.signature_input, "signature": s.signature }),
            )
        }
        "httpsig.sign-wimse-response" => {
            let s = ffi::wimse_sign_response(
                str_field(input, "message"),
                body.as_deref(),
                str_field(input, "request_nonce"),
                &key()?,
                now(),
                input["lifetime"].as_u64().expect("lifetime"),
                str_field(input, "nonce"),
                str_field(input, "version"),
            )?;
            Ok(
                json!({ "content_digest": s.content_digest, "signature_input": s.signature_input, "signature": s.signature }),
            )
        }
        "httpsig.verify-wimse-request" => {
            let mut cache = a2a_auth::proof::ReplayCache::new(16, &[1; 32])?;
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(ffi::wimse_verify_request(
                    str_field(input, "message"),
                    body.as_deref(),
                    str_field(input, "trust_store"),
                    str_field(input, "config"),
                    now(),
                    Some(&mut cache),
                )?);
            }
            Ok(wimse_json(&last.expect("repeat >= 1")))
        }
        "httpsig.verify-wimse-response" => Ok(wimse_json(&ffi::wimse_verify_response(
            str_field(input, "message"),
            body.as_deref(),
            str_field(input, "request_nonce"),
            str_field(input, "trust_store"),
            str_field(input, "config"),
            now(),
        )?)),
        other => panic!("unknown op `{other}`: the core runner must learn it"),
    }
}

fn events_op(op: &str, input: &Value) -> Result<Value, Error> {
    use a2a_auth::ffi;
    let now = || input["now"].as_u64().expect("needs now");
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap();
    let verifier = || {
        let secret = base64url::decode(str_field(input, "secret")).unwrap();
        ffi::verifier_new(str_field(input, "policy"), &secret)
    };
    match op {
        "events.verify-set" => {
            let out =
                ffi::verify_set(str_field(input, "set"), &input["config"].to_string(), now())?;
            Ok(parse(&out))
        }
        "events.receive-push" => {
            let mut v = verifier()?;
            for set in input["before"].as_array().into_iter().flatten() {
                ffi::apply_event(&mut v, set.as_str().unwrap(), now())
                    .expect("a `before` SET is applied");
            }
            let a = ffi::receive_push(&mut v, str_field(input, "body"), now());
            a.body
                .iter()
                .chain(a.applied.iter())
                .for_each(|t| produced(t));
            Ok(
                json!({"status": a.status, "body": a.body.as_deref().map(parse), "applied": a.applied.as_deref().map(parse)}),
            )
        }
        "events.receive-poll" => {
            let mut v = verifier()?;
            let out = ffi::receive_poll(
                &mut v,
                str_field(input, "body"),
                input["max_events"].as_u64().unwrap(),
                now(),
            )?;
            produced(&out);
            Ok(parse(&out))
        }
        "audit.check-records" => {
            let out = ffi::check_records(str_field(input, "policy"), str_field(input, "records"))?;
            produced(&out);
            Ok(parse(&out))
        }
        other => panic!("unknown op `{other}`: the core runner must learn it"),
    }
}

/// What the token-free check saw over a run.
#[derive(Debug, Default)]
pub struct LeakCheck {
    /// Error messages and records checked.
    pub checked: usize,
    /// Each leak found: the op and where (the secret itself shortened to 8 characters).
    pub leaks: Vec<String>,
}

/// Runs one case through the core; checks every error message and record it produced against
/// the token segments and private key members of `input`.
pub fn run(op: &str, input: &Value, check: &mut LeakCheck) -> crate::Outcome {
    PRODUCED.with(|p| p.borrow_mut().clear());
    let result = run_op(op, input);
    let mut texts = PRODUCED.with(|p| std::mem::take(&mut *p.borrow_mut()));
    if let Err(e) = &result {
        texts.push(e.to_string());
        texts.push(format!("{e:?}"));
    }
    let mut secrets = Vec::new();
    secrets_of(input, &mut secrets);
    for t in &texts {
        check.checked += 1;
        if let Some(s) = secrets.iter().find(|s| t.contains(s.as_str())) {
            check
                .leaks
                .push(format!("{op}: `{}…` appears in `{t}`", &s[..8]));
        }
    }
    result.map_err(|e| e.code().to_owned())
}
