//! The paved path natively: a Signer's requests through a Verifier, the bounded state the
//! verifier keeps (credential caches, replay cache, fetched keys), the audit record, and the DPoP
//! nonce handshake. Cross-host behaviour is in vectors/gate/.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use a2a_auth::crypto::{Algorithm, KeyPair};
use a2a_auth::gate::{
    IncomingRequest, OutgoingRequest, Signer, TokenType, Verifier, VerifierOptions, WorkloadProof,
};
use a2a_auth::jose::sign_jws;
use a2a_auth::policy::Policy;
use a2a_auth::proof::WptWire;
use a2a_auth::{Error, Limits, UnixTime};
use serde_json::{Value, json};

const NOW: u64 = 1_767_225_600;
const ORIGIN: &str = "https://tools.example.com";
const AGENT: &str = "spiffe://example.org/ns/prod/sa/api";

struct World {
    td: KeyPair,
    agent: KeyPair,
    issuer: KeyPair,
    dpop: KeyPair,
}

fn world() -> World {
    World {
        td: KeyPair::from_seed(Algorithm::Es256, &[1; 32])
            .unwrap()
            .with_kid("td-1"),
        agent: KeyPair::from_seed(Algorithm::Ed25519, &[2; 32]).unwrap(),
        issuer: KeyPair::from_seed(Algorithm::Es256, &[3; 32])
            .unwrap()
            .with_kid("as-1"),
        dpop: KeyPair::from_seed(Algorithm::Es256, &[4; 32]).unwrap(),
    }
}

fn jws(header: Value, claims: &Value, key: &KeyPair) -> String {
    let Value::Object(h) = header else { panic!() };
    sign_jws(&h, claims.to_string().as_bytes(), key).unwrap()
}

fn public(k: &KeyPair) -> Value {
    Value::Object(k.public_jwk().to_object())
}

fn policy(w: &World, jwks: Value) -> Policy {
    let mut anchor = public(&w.td);
    anchor["use"] = json!("wit-svid");
    anchor.as_object_mut().unwrap().remove("alg");
    let doc = json!({
        "resource": format!("{ORIGIN}/mcp"),
        "authorities": [ORIGIN],
        "trust_domains": {"example.org": {"keys": [anchor]}},
        "authorization_servers": [jwks],
        "credentials": {"wpt": {"wire": "wpt-01"}, "dpop": {"algorithms": ["ES256"], "nonce": true}},
        "routes": [{"path": "/mcp", "prefix": true}],
    });
    Policy::from_json(&doc.to_string(), &Limits::DEFAULT).unwrap()
}

fn wit(w: &World) -> String {
    let mut cnf = public(&w.agent);
    cnf.as_object_mut().unwrap().remove("kid");
    jws(
        json!({"typ": "wit+jwt"}),
        &json!({"sub": AGENT, "iat": NOW - 10, "exp": NOW + 3600, "jti": "w-1", "cnf": {"jwk": cnf}}),
        &w.td,
    )
}

fn access_token(w: &World) -> String {
    jws(
        json!({"typ": "at+jwt"}),
        &json!({"iss": "https://as.example.com", "sub": "user-1", "aud": format!("{ORIGIN}/mcp"),
                "client_id": "agent-a", "iat": NOW - 10, "exp": NOW + 300, "jti": "at-1",
                "scope": "tools:call", "cnf": {"jkt": w.dpop.public_jwk().thumbprint()}}),
        &w.issuer,
    )
}

fn send(
    v: &mut Verifier,
    s: &Signer,
    entropy: u8,
) -> Result<a2a_auth::gate::Principal, Box<a2a_auth::gate::Denial>> {
    let uri = format!("{ORIGIN}/mcp/tools");
    let headers = s
        .sign(
            &OutgoingRequest {
                method: "POST",
                target_uri: &uri,
                headers: &[],
                body: None,
            },
            UnixTime(NOW),
            &[entropy; 16],
        )
        .unwrap();
    v.authenticate(
        &IncomingRequest {
            method: "POST",
            target_uri: &uri,
            headers: &headers,
            body: None,
            mtls_peer: None,
        },
        UnixTime(NOW),
    )
}

fn inline(w: &World) -> Value {
    json!({"issuer": "https://as.example.com", "jwks": {"keys": [public(&w.issuer)]}})
}

#[test]
fn a_warm_wimse_request_reuses_the_verified_wit() {
    let w = world();
    let mut v =
        Verifier::new(policy(&w, inline(&w)), &[9; 32], VerifierOptions::default()).unwrap();
    let s = Signer::new()
        .with_workload(
            wit(&w),
            w.agent.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    for i in 0..5u8 {
        let p = send(&mut v, &s, i).unwrap();
        assert_eq!(p.agent.as_deref(), Some(AGENT));
    }
    let stats = v.stats();
    assert_eq!(
        stats.cached_wits, 1,
        "one WIT verification for five requests"
    );
    assert_eq!(stats.replay_entries, 5, "one WPT jti per request");
}

#[test]
fn the_dpop_nonce_handshake_and_the_audit_record() {
    let w = world();
    let mut v =
        Verifier::new(policy(&w, inline(&w)), &[9; 32], VerifierOptions::default()).unwrap();
    let at = access_token(&w);
    let mut s = Signer::new()
        .with_access_token(at.clone(), TokenType::Dpop, Some(w.dpop.clone()))
        .unwrap();
    let uri = format!("{ORIGIN}/mcp/tools");
    let d = send(&mut v, &s, 1).unwrap_err();
    assert_eq!((d.status, d.error), (401, Error::UseDpopNonce));
    let nonce = d.dpop_nonce.clone().expect("a fresh nonce");
    let mut response = vec![("DPoP-Nonce".to_owned(), nonce.clone())];
    response.extend(
        d.www_authenticate
            .iter()
            .map(|c| ("WWW-Authenticate".to_owned(), c.clone())),
    );
    assert!(s.observe_response(&uri, d.status, &response), "retry");
    assert!(
        !s.observe_response(&uri, d.status, &response),
        "the same nonce again is no reason to retry (no loops)"
    );
    let p = send(&mut v, &s, 2).unwrap();
    assert_eq!(p.subject.as_deref(), Some("user-1"));
    // The audit records name what happened and carry no token text.
    let record: Value = serde_json::from_str(&p.audit).unwrap();
    assert_eq!(record["decision"], "allow");
    assert_eq!(record["client_id"], "agent-a");
    assert_eq!(record["route"], "/mcp");
    assert_eq!(record["token_hashes"][0]["kind"], "access_token");
    for text in [&p.audit, &d.audit] {
        for part in at.split('.') {
            assert!(!text.contains(part), "no token segment in the audit record");
        }
        assert!(!text.contains(&nonce));
    }
    let denied: Value = serde_json::from_str(&d.audit).unwrap();
    assert_eq!(
        (
            denied["decision"].as_str(),
            denied["error"].as_str(),
            denied["status"].as_u64()
        ),
        (Some("deny"), Some("use-dpop-nonce"), Some(401))
    );
    // A 200 with a new nonce is remembered but is no reason to retry.
    assert!(!s.observe_response(&uri, 200, &[("DPoP-Nonce".into(), "next".into())]));
    assert_eq!(s.dpop_nonce(&uri), Some("next"));
}

#[test]
fn fetched_keys_are_used_and_a_rotation_drops_cached_tokens() {
    let w = world();
    let uri_source =
        json!({"issuer": "https://as.example.com", "jwks_uri": "https://as.example.com/jwks"});
    let mut v =
        Verifier::new(policy(&w, uri_source), &[9; 32], VerifierOptions::default()).unwrap();
    let s = Signer::new()
        .with_access_token(access_token(&w), TokenType::Dpop, Some(w.dpop.clone()))
        .unwrap();
    let mut s = s;
    s.observe_response(
        &format!("{ORIGIN}/mcp"),
        200,
        &[(
            "DPoP-Nonce".into(),
            a2a_auth::proof::DpopNonces::new(&[9; 32], 60)
                .unwrap()
                .issue(UnixTime(NOW))
                .unwrap(),
        )],
    );
    assert_eq!(v.due(UnixTime(NOW)), ["https://as.example.com/jwks"]);
    assert_eq!(send(&mut v, &s, 1).unwrap_err().error, Error::KeyNotFound);
    let jwks = json!({"keys": [public(&w.issuer)]}).to_string();
    v.ingest(
        "https://as.example.com/jwks",
        Some(&jwks),
        Some(600),
        UnixTime(NOW),
    )
    .unwrap();
    assert!(v.due(UnixTime(NOW)).is_empty());
    send(&mut v, &s, 2).unwrap();
    assert_eq!(v.stats().cached_tokens, 1);
    // The AS rotates to a key set without our key: the cached token goes with it.
    let other = KeyPair::from_seed(Algorithm::Es256, &[5; 32])
        .unwrap()
        .with_kid("as-2");
    let rotated = json!({"keys": [public(&other)]}).to_string();
    v.ingest(
        "https://as.example.com/jwks",
        Some(&rotated),
        None,
        UnixTime(NOW),
    )
    .unwrap();
    assert_eq!(v.stats().cached_tokens, 0);
    assert_eq!(send(&mut v, &s, 3).unwrap_err().error, Error::KeyNotFound);
    // A failed fetch keeps the keys it had.
    v.ingest("https://as.example.com/jwks", None, None, UnixTime(NOW))
        .unwrap();
    assert_eq!(send(&mut v, &s, 4).unwrap_err().error, Error::KeyNotFound);
}

#[test]
fn the_verifier_needs_a_real_secret_and_the_signer_randomness() {
    let w = world();
    assert_eq!(
        Verifier::new(policy(&w, inline(&w)), &[9; 16], VerifierOptions::default()).unwrap_err(),
        Error::InvalidArgument("secret")
    );
    let s = Signer::new()
        .with_access_token("t", TokenType::Bearer, None)
        .unwrap();
    let r = OutgoingRequest {
        method: "GET",
        target_uri: "https://tools.example.com/mcp",
        headers: &[],
        body: None,
    };
    assert_eq!(
        s.sign(&r, UnixTime(NOW), &[1; 8]).unwrap_err(),
        Error::InvalidArgument("entropy")
    );
    let preset = [("Authorization".to_owned(), "Bearer x".to_owned())];
    assert_eq!(
        s.sign(
            &OutgoingRequest {
                headers: &preset,
                ..r
            },
            UnixTime(NOW),
            &[1; 16]
        )
        .unwrap_err(),
        Error::InvalidArgument("headers")
    );
}

#[test]
fn the_resource_metadata_document_follows_the_policy() {
    let w = world();
    let v = Verifier::new(policy(&w, inline(&w)), &[9; 32], VerifierOptions::default()).unwrap();
    let (url, doc) = v.resource_metadata().unwrap();
    assert_eq!(
        url,
        "https://tools.example.com/.well-known/oauth-protected-resource/mcp"
    );
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(
        doc,
        json!({"resource": "https://tools.example.com/mcp", "authorization_servers": ["https://as.example.com"],
               "bearer_methods_supported": [], "dpop_signing_alg_values_supported": ["ES256"],
               "dpop_bound_access_tokens_required": true})
    );
}

#[test]
fn trust_bundles_from_an_endpoint() {
    let w = world();
    let mut anchor = public(&w.td);
    anchor["use"] = json!("wit-svid");
    anchor.as_object_mut().unwrap().remove("alg");
    let doc = json!({
        "resource": format!("{ORIGIN}/mcp"), "authorities": [ORIGIN],
        "bundle_endpoints": {"example.org": "https://example.org/bundle"},
        "credentials": {"wpt": {"wire": "wpt-01"}}, "routes": [{"path": "/mcp", "prefix": true}],
    });
    let p = Policy::from_json(&doc.to_string(), &Limits::DEFAULT).unwrap();
    let mut v = Verifier::new(p, &[9; 32], VerifierOptions::default()).unwrap();
    let s = Signer::new()
        .with_workload(
            wit(&w),
            w.agent.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    assert_eq!(v.due(UnixTime(NOW)), ["https://example.org/bundle"]);
    // A failed fetch backs off; an unknown trust domain then asks for an early refetch.
    v.ingest("https://example.org/bundle", None, None, UnixTime(NOW))
        .unwrap();
    assert!(v.due(UnixTime(NOW)).is_empty());
    assert_eq!(
        send(&mut v, &s, 1).unwrap_err().error,
        Error::UnknownTrustDomain
    );
    assert_eq!(v.due(UnixTime(NOW)), ["https://example.org/bundle"]);
    let bundle = json!({"keys": [anchor], "spiffe_sequence": 2}).to_string();
    v.ingest(
        "https://example.org/bundle",
        Some(&bundle),
        None,
        UnixTime(NOW),
    )
    .unwrap();
    assert_eq!(send(&mut v, &s, 2).unwrap().agent.as_deref(), Some(AGENT));
    // An older sequence does not replace the anchors.
    let old = json!({"keys": [], "spiffe_sequence": 1}).to_string();
    v.ingest(
        "https://example.org/bundle",
        Some(&old),
        None,
        UnixTime(NOW + 4000),
    )
    .unwrap();
    assert!(send(&mut v, &s, 3).is_ok());
    // A newer bundle without the key revokes it, cached WITs included.
    let rotated = json!({"keys": [], "spiffe_sequence": 3}).to_string();
    v.ingest(
        "https://example.org/bundle",
        Some(&rotated),
        None,
        UnixTime(NOW + 8000),
    )
    .unwrap();
    assert_eq!(v.stats().cached_wits, 0);
    assert!(send(&mut v, &s, 4).is_err());
}
