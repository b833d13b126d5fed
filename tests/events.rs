//! Continuous evaluation natively: a request allowed, a CAEP event applied, the same request
//! denied with the event named in its decision record; claims and assurance changes; agent
//! revocation through the WIT; de-duplication; and the compliance check over the records.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use a2a_auth::audit::check_records;
use a2a_auth::crypto::{Algorithm, KeyPair};
use a2a_auth::events::{CAEP, issue_set, ssf};
use a2a_auth::gate::{
    Denial, IncomingRequest, OutgoingRequest, Principal, Signer, TokenType, Verifier,
    VerifierOptions, WorkloadProof,
};
use a2a_auth::jose::sign_jws;
use a2a_auth::policy::Policy;
use a2a_auth::proof::WptWire;
use a2a_auth::{Error, Limits, UnixTime};
use serde_json::{Value, json};

const NOW: u64 = 1_767_225_600;
const ORIGIN: &str = "https://tools.example.com";
const AGENT: &str = "spiffe://example.org/ns/prod/sa/api";
const AS: &str = "https://as.example.com";
const SSF_ISS: &str = "https://ssf.example.com";

struct World {
    td: KeyPair,
    agent: KeyPair,
    issuer: KeyPair,
    dpop: KeyPair,
    transmitter: KeyPair,
}

fn world() -> World {
    let k = |alg, seed: u8| KeyPair::from_seed(alg, &[seed; 32]).unwrap();
    World {
        td: k(Algorithm::Es256, 1).with_kid("td-1"),
        agent: k(Algorithm::Ed25519, 2),
        issuer: k(Algorithm::Es256, 3).with_kid("as-1"),
        dpop: k(Algorithm::Es256, 4),
        transmitter: k(Algorithm::Es256, 5).with_kid("ssf-1"),
    }
}

fn public(k: &KeyPair) -> Value {
    Value::Object(k.public_jwk().to_object())
}

fn jws(typ: &str, claims: &Value, key: &KeyPair) -> String {
    let Value::Object(h) = json!({"typ": typ}) else {
        panic!()
    };
    sign_jws(&h, claims.to_string().as_bytes(), key).unwrap()
}

fn policy_json(w: &World, routes: &Value) -> String {
    let mut anchor = public(&w.td);
    anchor["use"] = json!("wit-svid");
    anchor.as_object_mut().unwrap().remove("alg");
    json!({
        "resource": format!("{ORIGIN}/mcp"),
        "authorities": [ORIGIN],
        "trust_domains": {"example.org": {"keys": [anchor]}},
        "authorization_servers": [{"issuer": AS, "jwks": {"keys": [public(&w.issuer)]}}],
        "events": {"transmitters": [{"issuer": SSF_ISS, "jwks": {"keys": [public(&w.transmitter)]}}]},
        "credentials": {"wpt": {"wire": "wpt-01"}, "dpop": {"algorithms": ["ES256"]}},
        "routes": routes,
    })
    .to_string()
}

fn verifier(w: &World) -> Verifier {
    let routes = json!([
        {"path": "/mcp/admin", "scopes": ["tools:admin"], "acr_values": ["mfa"]},
        {"path": "/mcp", "prefix": true, "scopes": ["tools:call"]},
    ]);
    let p = Policy::from_json(&policy_json(w, &routes), &Limits::DEFAULT).unwrap();
    Verifier::new(p, &[9; 32], VerifierOptions::default()).unwrap()
}

fn access_token(w: &World, jti: &str, iat: u64, extra: &Value) -> String {
    let mut c = json!({"iss": AS, "sub": "user-1", "aud": format!("{ORIGIN}/mcp"), "client_id": "agent-a",
        "iat": iat, "exp": NOW + 300, "jti": jti, "scope": "tools:call tools:admin", "acr": "mfa",
        "sid": "session-1", "cnf": {"jkt": w.dpop.public_jwk().thumbprint()}});
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    jws("at+jwt", &c, &w.issuer)
}

fn wit(w: &World) -> String {
    let mut cnf = public(&w.agent);
    cnf.as_object_mut().unwrap().remove("kid");
    jws(
        "wit+jwt",
        &json!({"sub": AGENT, "iat": NOW - 10, "exp": NOW + 3600, "jti": "w-1", "cnf": {"jwk": cnf}}),
        &w.td,
    )
}

fn send(
    v: &mut Verifier,
    s: &Signer,
    path: &str,
    entropy: u8,
    now: u64,
) -> Result<Principal, Box<Denial>> {
    let uri = format!("{ORIGIN}{path}");
    let out = OutgoingRequest {
        method: "POST",
        target_uri: &uri,
        headers: &[],
        body: None,
    };
    let headers = s.sign(&out, UnixTime(now), &[entropy; 16]).unwrap();
    let req = IncomingRequest {
        method: "POST",
        target_uri: &uri,
        headers: &headers,
        body: None,
        mtls_peer: None,
    };
    v.authenticate(&req, UnixTime(now))
}

fn set(w: &World, jti: &str, sub_id: &Value, event: &str, payload: &Value) -> String {
    let claims = json!({"iss": SSF_ISS, "iat": NOW + 5, "jti": jti, "aud": format!("{ORIGIN}/mcp"),
        "sub_id": sub_id, "events": {format!("{CAEP}{event}"): payload}});
    issue_set(claims.as_object().unwrap(), &w.transmitter).unwrap()
}

fn user() -> Value {
    json!({"format": "iss_sub", "iss": AS, "sub": "user-1"})
}

fn signer(w: &World, at: String) -> Signer {
    Signer::new()
        .with_access_token(at, TokenType::Dpop, Some(w.dpop.clone()))
        .unwrap()
}

#[test]
fn a_revoked_session_stops_the_request_that_was_allowed_a_moment_ago() {
    let w = world();
    let mut v = verifier(&w);
    let s = signer(&w, access_token(&w, "at-1", NOW - 10, &json!({})));
    let mut records = Vec::new();
    let allowed = send(&mut v, &s, "/mcp/tools", 1, NOW).unwrap();
    records.push(allowed.audit.clone());
    assert_eq!(v.stats().cached_tokens, 1);

    let revoke = set(
        &w,
        "evt-1",
        &json!({"format": "complex", "user": user(),
        "session": {"format": "opaque", "id": "session-1"}}),
        "session-revoked",
        &json!({"event_timestamp": NOW + 1, "initiating_entity": "admin"}),
    );
    let applied = v.apply_event(&revoke, UnixTime(NOW + 5)).unwrap();
    assert_eq!(
        (
            applied.jti.as_str(),
            applied.events.as_slice(),
            applied.effects.as_slice()
        ),
        (
            "evt-1",
            &["session-revoked".to_owned()][..],
            &["revoke".to_owned()][..]
        )
    );
    assert_eq!(
        applied.dropped, 1,
        "the cached verification of the token is gone"
    );
    assert_eq!(v.stats().cached_tokens, 0);

    let d = send(&mut v, &s, "/mcp/tools", 2, NOW + 6).unwrap_err();
    assert_eq!((d.status, d.error), (401, Error::CredentialRevoked));
    assert_eq!(
        d.www_authenticate,
        [
            r#"DPoP error="invalid_token", error_description="a security event revoked this credential", resource_metadata="https://tools.example.com/.well-known/oauth-protected-resource/mcp", algs="ES256""#
        ]
    );
    let event = d.event.clone().expect("the denial names the event");
    assert_eq!(
        (event.event_type.as_str(), event.jti.as_str()),
        ("session-revoked", "evt-1")
    );
    let record: Value = serde_json::from_str(&d.audit).unwrap();
    // Schema v1 (docs/decision-records.md): every member, always.
    let mut members: Vec<&str> = record
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    members.sort_unstable();
    let mut documented = [
        "v",
        "time",
        "decision",
        "status",
        "error",
        "method",
        "origin",
        "path",
        "route",
        "credentials",
        "agent",
        "wit_issuer_key",
        "user",
        "client_id",
        "issuer",
        "token_issuer_key",
        "actors",
        "scopes",
        "authorization_details_types",
        "acr",
        "auth_time",
        "txn",
        "token_hashes",
        "event",
        "pdp_decision",
    ];
    documented.sort_unstable();
    assert_eq!(members, documented);
    assert!(
        d.audit.starts_with(r#"{"v":1,"time":"#),
        "members in the documented order"
    );
    assert_eq!(
        record["token_issuer_key"],
        json!(w.issuer.public_jwk().thumbprint())
    );
    assert_eq!(record["error"], "credential-revoked");
    assert_eq!(
        record["event"],
        json!({"type": "session-revoked", "jti": "evt-1", "iss": SSF_ISS})
    );
    records.push(d.audit.clone());

    // A token from another session, and one issued after the event, are not covered.
    let other = signer(
        &w,
        access_token(&w, "at-2", NOW - 10, &json!({"sid": "session-2"})),
    );
    assert!(send(&mut v, &other, "/mcp/tools", 3, NOW + 6).is_ok());
    let fresh = signer(&w, access_token(&w, "at-3", NOW + 2, &json!({})));
    assert!(send(&mut v, &fresh, "/mcp/tools", 4, NOW + 6).is_ok());

    // The transmitter retries: acknowledged, nothing applied twice.
    let again = v.apply_event(&revoke, UnixTime(NOW + 7)).unwrap();
    assert!(again.duplicate && again.effects.is_empty());
    assert_eq!(v.stats().event_rules, 1);

    // No token text in any record or error message.
    for text in records.iter().chain([&d.error.to_string()]) {
        for token in [
            access_token(&w, "at-1", NOW - 10, &json!({})),
            revoke.clone(),
        ] {
            for part in token.split('.') {
                assert!(!text.contains(part), "token text in {text}");
            }
        }
    }

    // The compliance check: both records agree with the policy; a stricter policy does not.
    let jsonl = records.join("\n");
    let p = Policy::from_json(
        &policy_json(
            &w,
            &json!([{"path": "/mcp", "prefix": true, "scopes": ["tools:call"]}]),
        ),
        &Limits::DEFAULT,
    )
    .unwrap();
    let report = check_records(&p, &jsonl);
    assert_eq!(
        (report.records, report.checked, report.not_reevaluated),
        (2, 1, 1)
    );
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    let stricter = Policy::from_json(
        &policy_json(
            &w,
            &json!([{"path": "/mcp", "prefix": true, "scopes": ["tools:write"]}]),
        ),
        &Limits::DEFAULT,
    )
    .unwrap();
    let report = check_records(&stricter, &jsonl);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].line, 1);
    assert_eq!(
        report.findings[0].error.as_deref(),
        Some("insufficient-scope")
    );
}

#[test]
fn claims_and_assurance_changes_are_answered_as_step_up() {
    let w = world();
    let mut v = verifier(&w);
    let s = signer(&w, access_token(&w, "at-1", NOW - 10, &json!({})));
    assert!(send(&mut v, &s, "/mcp/admin", 1, NOW).is_ok());
    let lower = set(
        &w,
        "evt-acr",
        &user(),
        "assurance-level-change",
        &json!({"namespace": "RFC8176", "current_level": "pwd", "change_direction": "decrease"}),
    );
    assert_eq!(
        v.apply_event(&lower, UnixTime(NOW + 5)).unwrap().effects,
        ["acr"]
    );
    let d = send(&mut v, &s, "/mcp/admin", 2, NOW + 6).unwrap_err();
    assert_eq!(
        (d.status, d.error),
        (401, Error::InsufficientUserAuthentication("acr"))
    );
    assert!(d.www_authenticate[0].contains(r#"error="insufficient_user_authentication""#));
    assert_eq!(d.event.as_ref().unwrap().jti, "evt-acr");
    // Scope removed by a token-claims-change.
    let claims = set(
        &w,
        "evt-claims",
        &user(),
        "token-claims-change",
        &json!({"claims": {"scope": "tools:read"}}),
    );
    v.apply_event(&claims, UnixTime(NOW + 5)).unwrap();
    let d = send(&mut v, &s, "/mcp/tools", 3, NOW + 6).unwrap_err();
    assert_eq!((d.status, d.error), (403, Error::InsufficientScope));
    let record: Value = serde_json::from_str(&d.audit).unwrap();
    assert_eq!(record["event"]["type"], "token-claims-change");
    assert_eq!(record["scopes"], json!(["tools:read"]));
}

#[test]
fn a_revoked_agent_is_refused_through_its_wit_and_its_delegations() {
    let w = world();
    let mut v = verifier(&w);
    let s = Signer::new()
        .with_workload(
            wit(&w),
            w.agent.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    let routes = json!([{"path": "/mcp", "prefix": true}]);
    let mut open = Verifier::new(
        Policy::from_json(&policy_json(&w, &routes), &Limits::DEFAULT).unwrap(),
        &[9; 32],
        VerifierOptions::default(),
    )
    .unwrap();
    assert!(send(&mut open, &s, "/mcp/tools", 1, NOW).is_ok());
    let agent = json!({"format": "uri", "uri": AGENT});
    let e = set(
        &w,
        "evt-agent",
        &agent,
        "credential-change",
        &json!({"credential_type": "x509", "change_type": "revoke"}),
    );
    let applied = open.apply_event(&e, UnixTime(NOW + 5)).unwrap();
    assert_eq!(applied.dropped, 1, "the cached WIT is dropped");
    let d = send(&mut open, &s, "/mcp/tools", 2, NOW + 6).unwrap_err();
    assert_eq!((d.status, d.error), (400, Error::CredentialRevoked));
    // A token delegated to that agent (act.sub) is covered too.
    v.apply_event(&e, UnixTime(NOW + 5)).unwrap();
    let delegated = signer(
        &w,
        access_token(&w, "at-d", NOW - 10, &json!({"act": {"sub": AGENT}})),
    );
    let d = send(&mut v, &delegated, "/mcp/tools", 3, NOW + 6).unwrap_err();
    assert_eq!(d.error, Error::CredentialRevoked);
}

#[test]
fn sets_from_elsewhere_are_refused_with_the_ssf_error_codes() {
    let w = world();
    let mut v = verifier(&w);
    let forged = {
        let stranger = KeyPair::from_seed(Algorithm::Es256, &[6; 32])
            .unwrap()
            .with_kid("ssf-1");
        let claims = json!({"iss": SSF_ISS, "iat": NOW, "jti": "x", "aud": format!("{ORIGIN}/mcp"),
            "sub_id": user(), "events": {format!("{CAEP}session-revoked"): {}}});
        issue_set(claims.as_object().unwrap(), &stranger).unwrap()
    };
    let e = v.apply_event(&forged, UnixTime(NOW)).unwrap_err();
    assert_eq!(e, Error::InvalidSignature);
    assert_eq!(ssf::push_response(&Err(e)).0, 400);
    assert_eq!(ssf::set_error_code(&e), "invalid_key");
    let other_iss = {
        let claims = json!({"iss": "https://other.example", "iat": NOW, "jti": "x", "aud": format!("{ORIGIN}/mcp"),
            "sub_id": user(), "events": {format!("{CAEP}session-revoked"): {}}});
        issue_set(claims.as_object().unwrap(), &w.transmitter).unwrap()
    };
    let e = v.apply_event(&other_iss, UnixTime(NOW)).unwrap_err();
    assert_eq!(ssf::set_error_code(&e), "invalid_issuer");
    let wrong_aud = {
        let claims = json!({"iss": SSF_ISS, "iat": NOW, "jti": "x", "aud": "https://elsewhere",
            "sub_id": user(), "events": {format!("{CAEP}session-revoked"): {}}});
        issue_set(claims.as_object().unwrap(), &w.transmitter).unwrap()
    };
    let e = v.apply_event(&wrong_aud, UnixTime(NOW)).unwrap_err();
    assert_eq!(ssf::set_error_code(&e), "invalid_audience");
    assert_eq!(v.stats().event_rules, 0, "nothing was applied");
    // A verification event is taken and reported, with no effect.
    let verification = {
        let claims = json!({"iss": SSF_ISS, "iat": NOW, "jti": "v1", "aud": format!("{ORIGIN}/mcp"),
            "sub_id": {"format": "opaque", "id": "stream-1"},
            "events": {"https://schemas.openid.net/secevent/ssf/event-type/verification": {"state": "abc"}}});
        issue_set(claims.as_object().unwrap(), &w.transmitter).unwrap()
    };
    let applied = v.apply_event(&verification, UnixTime(NOW)).unwrap();
    assert_eq!(
        (applied.state.as_deref(), applied.effects.len()),
        (Some("abc"), 0)
    );
}
