//! The WIMSE HTTP-signature profile: the http-sig-06 examples (specs §6.5), round trips in
//! both draft forms, and the §7.F refusals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use a2a_auth::crypto::{Algorithm, Jwk, KeyPair};
use a2a_auth::encoding::json;
use a2a_auth::httpsig::{
    Request, Response, WimseSignParams, WimseVerifyConfig, WimseVersion, sign_wimse_request,
    sign_wimse_response, verify_wimse_request, verify_wimse_request_with_wit,
    verify_wimse_response_with_wit,
};
use a2a_auth::identity::{
    TrustStore, VerifiedWorkloadIdentityToken, WitClaims, WorkloadId, issue_workload_identity_token,
};
use a2a_auth::proof::ReplayCache;
use a2a_auth::{Limits, UnixTime};

const WIT_A: &str = "eyJhbGciOiJFZERTQSIsImtpZCI6Imlzc3Vlci1rZXkiLCJ0eXAiOiJ3aXQrand0In0.eyJjbmYiOnsiandrIjp7ImFsZyI6IkVkRFNBIiwiY3J2IjoiRWQyNTUxOSIsImtpZCI6InN2Yy1hLWtleSIsImt0eSI6Ik9LUCIsIngiOiJaamxWVDRDT3NDa1FPOUhJbzZ0RFdBWGF5UTBNeW1vRlVLSlJJUTdTOFI4In19LCJleHAiOjE3ODUxNTYwOTcsImlhdCI6MTc4NTE1NTc5NywiaXNzIjoiaHR0cHM6Ly9leGFtcGxlLmNvbS9pc3N1ZXIiLCJqdGkiOiJ3aXQtMTc4NTE1NTc5NzIxNjU0NTcxOSIsInN1YiI6IndpbXNlOi8vZXhhbXBsZS5jb20vc3ZjQSJ9.BqJfcsbrYlS9GSQ7NpFBBVz4CeszShqleIyr2sSnd0Ic6l2HXX27giZcdAOGnXjtv_7h-9vV16GZbVcrQt6hCg";
const WIT_B: &str = "eyJhbGciOiJFZERTQSIsImtpZCI6Imlzc3Vlci1rZXkiLCJ0eXAiOiJ3aXQrand0In0.eyJjbmYiOnsiandrIjp7ImFsZyI6IkVkRFNBIiwiY3J2IjoiRWQyNTUxOSIsImtpZCI6InN2Yy1iLWtleSIsImt0eSI6Ik9LUCIsIngiOiJsQnRMUzhjTnRfN3BXc2RpMnhneDc2MGxXcHpFdnFZZTJEcFNrOUVMSDJ3In19LCJleHAiOjE3ODUxNTYwOTksImlhdCI6MTc4NTE1NTc5OSwiaXNzIjoiaHR0cHM6Ly9leGFtcGxlLmNvbS9pc3N1ZXIiLCJqdGkiOiJ3aXQtMTc4NTE1NTc5NzIxNjY3MDUxOCIsInN1YiI6IndpbXNlOi8vZXhhbXBsZS5jb20vc3ZjQiJ9.HIAU2288ryXoym1M9fnKZqd0p2Vl7spOh-FY2jCFY-05H74-WPUFWrg5lH5f2rHl47TfxEGri3fmMP4zhYzeAw";
const SVC_A: &str = r#"{"alg":"EdDSA","crv":"Ed25519","kid":"svc-a-key","kty":"OKP","d":"HQdG2ekHF4COyoHNYvCh2fMHhIaKvkrStjmyfndFyGI","x":"ZjlVT4COsCkQO9HIo6tDWAXayQ0MymoFUKJRIQ7S8R8"}"#;
const SVC_B: &str = r#"{"alg":"EdDSA","crv":"Ed25519","kid":"svc-b-key","kty":"OKP","d":"nn132WU82duEPtUbQtoQLqWoC1hKl8zeWavCDIR0VeI","x":"lBtLS8cNt_7pWsdi2xgx760lWpzEvqYe2DpSk9ELH2w"}"#;
const REQ_INPUT: &str = r#"wimse=("@method" "@request-target" "workload-identity-token");created=1785155797;expires=1785156097;nonce="abcd1111";tag="wimse-workload-to-workload";wimse-aud="https://svcb.example.com/gimme-ice-cream";wimse-sign-response"#;
const REQ_SIG: &str = "wimse=:zSK+kx5EnoZct9FZ6LMYzfx0mk32oI/hHpB7y4rgHxkRDcAA72yBW5xgzA03nKviXLjL7nphq840Uwznp6IKAw==:";
const RESP_INPUT: &str = r#"wimse=("@status" "workload-identity-token" "content-type" "content-digest" "@method";req "@request-target";req);created=1785155797;expires=1785156099;nonce="abcd2222";tag="wimse-workload-to-workload";wimse-req-nonce="abcd1111""#;
const RESP_SIG: &str = "wimse=:57ZChndLoz5toS+/0RGeQJG53gLrZD/bBterOWnHF1vb0cdceeUOKH/t4A+/bvquC/0VCb5DYFRdFNz4CW8yBQ==:";
const NOW: u64 = 1_785_155_800;
const TARGET: &str = "https://svcb.example.com/gimme-ice-cream?flavor=vanilla";
const AUD: &str = "https://svcb.example.com/gimme-ice-cream";

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// The issuer key of the §6.5 WITs was never published: inject the WIT as pre-validated (the
/// seam the digest recommends), built from its decoded claims.
fn prevalidated(wit: &str) -> VerifiedWorkloadIdentityToken {
    let payload = a2a_auth::encoding::base64url::decode(wit.split('.').nth(1).unwrap()).unwrap();
    let claims = json::parse_object(&payload, &Limits::DEFAULT).unwrap();
    let jwk = Jwk::from_object(claims["cnf"]["jwk"].as_object().unwrap()).unwrap();
    VerifiedWorkloadIdentityToken {
        subject: WorkloadId::parse(claims["sub"].as_str().unwrap()).unwrap(),
        confirmation_key: jwk,
        proof_alg: Algorithm::EdDsa,
        issuer_key_thumbprint: String::new(),
        claims,
    }
}

fn config() -> WimseVerifyConfig {
    WimseVerifyConfig::new(vec![AUD.to_owned()])
}

#[test]
fn spec_6_5_request_and_response_verify() {
    let headers = h(&[
        ("Host", "svcb.example.com"),
        ("Signature", REQ_SIG),
        ("Signature-Input", REQ_INPUT),
        ("Workload-Identity-Token", WIT_A),
    ]);
    let request = Request {
        method: "GET",
        target_uri: TARGET,
        headers: &headers,
        trailers: &[],
    };
    let v = verify_wimse_request_with_wit(
        &request,
        None,
        prevalidated(WIT_A),
        &config(),
        UnixTime(NOW),
        None,
    )
    .unwrap();
    assert_eq!(v.wit.subject.as_str(), "wimse://example.com/svcA");
    assert!(v.sign_response);
    // N17: Host rewritten, still valid (@authority is not covered; binding comes from wimse-aud).
    let rewritten = h(&[
        ("Host", "other.example"),
        ("Signature", REQ_SIG),
        ("Signature-Input", REQ_INPUT),
        ("Workload-Identity-Token", WIT_A),
    ]);
    let r2 = Request {
        headers: &rewritten,
        ..request
    };
    verify_wimse_request_with_wit(
        &r2,
        None,
        prevalidated(WIT_A),
        &config(),
        UnixTime(NOW),
        None,
    )
    .unwrap();
    // N18: an audience set without this URI.
    let other = WimseVerifyConfig::new(vec!["https://svcb.example.com/other".to_owned()]);
    assert_eq!(
        verify_wimse_request_with_wit(
            &request,
            None,
            prevalidated(WIT_A),
            &other,
            UnixTime(NOW),
            None
        )
        .unwrap_err()
        .code(),
        "claim-mismatch"
    );
    // N16: method changed.
    let post = Request {
        method: "POST",
        ..request
    };
    assert_eq!(
        verify_wimse_request_with_wit(
            &post,
            None,
            prevalidated(WIT_A),
            &config(),
            UnixTime(NOW),
            None
        )
        .unwrap_err()
        .code(),
        "invalid-signature"
    );
    // N21: expired.
    assert_eq!(
        verify_wimse_request_with_wit(
            &request,
            None,
            prevalidated(WIT_A),
            &config(),
            UnixTime(1_785_156_097 + 60),
            None
        )
        .unwrap_err()
        .code(),
        "token-expired"
    );
    // N26 / F1: WIT-B's key does not verify A's request.
    assert_eq!(
        verify_wimse_request_with_wit(
            &request,
            None,
            prevalidated(WIT_B),
            &config(),
            UnixTime(NOW),
            None
        )
        .unwrap_err()
        .code(),
        "invalid-signature"
    );
    // F7: the same nonce twice from the same sub.
    let mut cache = ReplayCache::new(8, &[1; 32]).unwrap();
    verify_wimse_request_with_wit(
        &request,
        None,
        prevalidated(WIT_A),
        &config(),
        UnixTime(NOW),
        Some(&mut cache),
    )
    .unwrap();
    assert_eq!(
        verify_wimse_request_with_wit(
            &request,
            None,
            prevalidated(WIT_A),
            &config(),
            UnixTime(NOW),
            Some(&mut cache)
        )
        .unwrap_err()
        .code(),
        "replayed"
    );

    let resp_headers = h(&[
        ("Connection", "close"),
        (
            "Content-Digest",
            "sha-256=:UHKweBl9cpjdVqgTB65El8SexXlJYGG+XIslAYqC1mY=:",
        ),
        ("Content-Type", "text/plain"),
        ("Signature", RESP_SIG),
        ("Signature-Input", RESP_INPUT),
        ("Workload-Identity-Token", WIT_B),
    ]);
    let response = Response {
        status: 404,
        headers: &resp_headers,
        trailers: &[],
    };
    let body = b"No ice cream today.\n\n";
    verify_wimse_response_with_wit(
        &response,
        Some(body),
        &request,
        "abcd1111",
        prevalidated(WIT_B),
        &config(),
        UnixTime(NOW),
    )
    .unwrap();
    // N22: our nonce was another one.
    assert_eq!(
        verify_wimse_response_with_wit(
            &response,
            Some(body),
            &request,
            "abcd9999",
            prevalidated(WIT_B),
            &config(),
            UnixTime(NOW)
        )
        .unwrap_err()
        .code(),
        "claim-mismatch"
    );
    // N23: verified with the requester's key.
    assert_eq!(
        verify_wimse_response_with_wit(
            &response,
            Some(body),
            &request,
            "abcd1111",
            prevalidated(WIT_A),
            &config(),
            UnixTime(NOW)
        )
        .unwrap_err()
        .code(),
        "invalid-signature"
    );
    // N24 / F6: body changed behind the unchanged digest.
    assert_eq!(
        verify_wimse_response_with_wit(
            &response,
            Some(b"No ice cream today!\n\n"),
            &request,
            "abcd1111",
            prevalidated(WIT_B),
            &config(),
            UnixTime(NOW)
        )
        .unwrap_err()
        .code(),
        "digest-mismatch"
    );
}

#[test]
fn spec_6_5_re_signs_byte_exact() {
    // Ed25519 is deterministic: our signer reproduces the draft's request and response.
    let a = KeyPair::from_jwk(SVC_A, None, &Limits::DEFAULT).unwrap();
    let headers = h(&[
        ("Host", "svcb.example.com"),
        ("Workload-Identity-Token", WIT_A),
    ]);
    let request = Request {
        method: "GET",
        target_uri: TARGET,
        headers: &headers,
        trailers: &[],
    };
    let params = WimseSignParams {
        created: UnixTime(1_785_155_797),
        lifetime: 300,
        nonce: "abcd1111",
        version: WimseVersion::Draft06,
    };
    let s = sign_wimse_request(&request, None, &a, AUD, &params, true).unwrap();
    assert_eq!(s.signature_input, REQ_INPUT);
    assert_eq!(s.signature, REQ_SIG);
    assert_eq!(s.content_digest, None);
    let b = KeyPair::from_jwk(SVC_B, None, &Limits::DEFAULT).unwrap();
    let resp_headers = h(&[
        ("Connection", "close"),
        ("Content-Type", "text/plain"),
        ("Workload-Identity-Token", WIT_B),
    ]);
    let response = Response {
        status: 404,
        headers: &resp_headers,
        trailers: &[],
    };
    let params = WimseSignParams {
        created: UnixTime(1_785_155_797),
        lifetime: 302,
        nonce: "abcd2222",
        version: WimseVersion::Draft06,
    };
    let s = sign_wimse_response(
        &response,
        Some(b"No ice cream today.\n\n"),
        &request,
        "abcd1111",
        &b,
        &params,
    )
    .unwrap();
    assert_eq!(
        s.content_digest.as_deref(),
        Some("sha-256=:UHKweBl9cpjdVqgTB65El8SexXlJYGG+XIslAYqC1mY=:")
    );
    assert_eq!(s.signature_input, RESP_INPUT);
    assert_eq!(s.signature, RESP_SIG);
}

struct World {
    store: TrustStore,
    wit: String,
    workload: KeyPair,
}

fn world(now: u64) -> World {
    let server = KeyPair::from_seed(Algorithm::Es256, &[7; 32])
        .unwrap()
        .with_kid("is-1");
    let workload = KeyPair::from_seed(Algorithm::Ed25519, &[9; 32]).unwrap();
    let subject = WorkloadId::parse("spiffe://example.org/agent-a").unwrap();
    let wit = issue_workload_identity_token(
        &server,
        &WitClaims {
            subject: &subject,
            confirmation_key: workload.public_jwk(),
            issued_at: UnixTime(now),
            lifetime: 600,
            jti: "w1",
            issuer: None,
        },
    )
    .unwrap();
    let mut entry = server.public_jwk().to_object();
    entry.insert("use".into(), "wit-svid".into());
    let map = format!(
        r#"{{"trust_domains":{{"example.org":{{"keys":[{}]}}}}}}"#,
        json::to_compact(&serde_json::Value::Object(entry))
    );
    World {
        store: TrustStore::from_bundle_map(&map, &Limits::DEFAULT).unwrap(),
        wit,
        workload,
    }
}

#[test]
fn round_trips_in_both_draft_forms_with_body() {
    let now = 1_800_000_000;
    let w = world(now);
    for version in [WimseVersion::Draft06, WimseVersion::Draft07] {
        let headers = h(&[
            ("Content-Type", "application/json"),
            ("Workload-Identity-Token", &w.wit),
            ("Txn-Token", "txn.abc"),
        ]);
        let body = br#"{"task":"summarise"}"#;
        let request = Request {
            method: "POST",
            target_uri: "https://agent-b.example/a2a/tasks?x=1",
            headers: &headers,
            trailers: &[],
        };
        let params = WimseSignParams {
            created: UnixTime(now),
            lifetime: 60,
            nonce: "n-1",
            version,
        };
        let signed = sign_wimse_request(
            &request,
            Some(body),
            &w.workload,
            "https://agent-b.example/a2a/tasks?x=1",
            &params,
            true,
        )
        .unwrap();
        let mut sent = headers.clone();
        sent.push((
            "Content-Digest".into(),
            signed.content_digest.clone().unwrap(),
        ));
        sent.push(("Signature-Input".into(), signed.signature_input.clone()));
        sent.push(("Signature".into(), signed.signature.clone()));
        let request = Request {
            headers: &sent,
            ..request
        };
        let cfg = WimseVerifyConfig::new(vec!["https://agent-b.example/a2a/tasks".into()]);
        let v = verify_wimse_request(
            &request,
            Some(body),
            &w.store,
            &cfg,
            UnixTime(now + 5),
            None,
        )
        .unwrap();
        assert_eq!(v.wit.subject.as_str(), "spiffe://example.org/agent-a");
        assert!(v.sign_response);
        assert!(v.signature.digest_checked);
        assert!(v.signature.components.contains(&"\"txn-token\"".to_owned()));
        // F6: the body swapped, headers untouched.
        assert_eq!(
            verify_wimse_request(
                &request,
                Some(b"{}"),
                &w.store,
                &cfg,
                UnixTime(now + 5),
                None
            )
            .unwrap_err()
            .code(),
            "digest-mismatch"
        );
        // F5: another audience configured.
        let cfg2 = WimseVerifyConfig::new(vec!["https://agent-c.example/a2a/tasks".into()]);
        assert_eq!(
            verify_wimse_request(
                &request,
                Some(body),
                &w.store,
                &cfg2,
                UnixTime(now + 5),
                None
            )
            .unwrap_err()
            .code(),
            "claim-mismatch"
        );
        // The response, signed by the responder (here the same test world) and bound to our nonce.
        let resp_headers = h(&[
            ("Content-Type", "application/json"),
            ("Workload-Identity-Token", &w.wit),
        ]);
        let resp_body = br#"{"ok":true}"#;
        let response = Response {
            status: 200,
            headers: &resp_headers,
            trailers: &[],
        };
        let rs = sign_wimse_response(
            &response,
            Some(resp_body),
            &request,
            "n-1",
            &w.workload,
            &WimseSignParams {
                created: UnixTime(now),
                lifetime: 60,
                nonce: "r-1",
                version,
            },
        )
        .unwrap();
        let mut resp_sent = resp_headers.clone();
        resp_sent.push(("Content-Digest".into(), rs.content_digest.unwrap()));
        resp_sent.push(("Signature-Input".into(), rs.signature_input));
        resp_sent.push(("Signature".into(), rs.signature));
        let response = Response {
            headers: &resp_sent,
            ..response
        };
        a2a_auth::httpsig::verify_wimse_response(
            &response,
            Some(resp_body),
            &request,
            "n-1",
            &w.store,
            &cfg,
            UnixTime(now + 5),
        )
        .unwrap();
    }
}

#[test]
fn section_7f_refusals() {
    let now = 1_800_000_000;
    let w = world(now);
    let cfg = WimseVerifyConfig::new(vec!["https://b.example/x".into()]);
    let base_headers = h(&[
        ("Workload-Identity-Token", &w.wit),
        ("Authorization", "Bearer at-1"),
    ]);
    let signed = |input: &str| {
        // Sign an arbitrary Signature-Input with the workload key (to break one rule at a time).
        let list: sfv::Dictionary = sfv::Parser::new(input).parse().unwrap();
        let sfv::ListEntry::InnerList(il) = list.values().next().unwrap().clone() else {
            panic!()
        };
        let req = Request {
            method: "GET",
            target_uri: "https://b.example/x?q=1",
            headers: &base_headers,
            trailers: &[],
        };
        let base =
            a2a_auth::httpsig::signature_base(&a2a_auth::httpsig::Message::Request(req), &il, &[])
                .unwrap();
        let sig = w.workload.sign(base.as_bytes()).unwrap();
        let b64 = sfv::FieldType::serialize(&sfv::Item::new(sfv::BareItem::ByteSequence(sig)));
        let mut headers = base_headers.clone();
        headers.push(("Signature-Input".into(), input.to_owned()));
        headers.push(("Signature".into(), format!("wimse={b64}")));
        headers
    };
    let check = |input: &str| {
        let headers = signed(input);
        let req = Request {
            method: "GET",
            target_uri: "https://b.example/x?q=1",
            headers: &headers,
            trailers: &[],
        };
        verify_wimse_request(&req, None, &w.store, &cfg, UnixTime(now + 5), None)
            .map(|_| ())
            .map_err(|e| e.code())
    };
    let c = format!("created={now};expires={}", now + 60);
    let good = format!(
        r#"wimse=("@method" "@path" "@query" "authorization" "workload-identity-token");{c};nonce="n";tag="wimse-workload-to-workload";wimse-aud="https://b.example/x""#
    );
    assert_eq!(check(&good), Ok(()));
    // F2: a mandatory component missing; a present header (authorization) not covered.
    assert_eq!(
        check(&good.replace(r#" "@query""#, "")),
        Err("component-not-covered")
    );
    assert_eq!(
        check(&good.replace(r#" "authorization""#, "")),
        Err("component-not-covered")
    );
    // F3: missing nonce / expires / wimse-aud; wrong tag; keyid or alg present.
    assert_eq!(
        check(&good.replace(r#";nonce="n""#, "")),
        Err("claim-missing")
    );
    assert_eq!(
        check(&good.replace(&format!(";expires={}", now + 60), "")),
        Err("claim-missing")
    );
    assert_eq!(
        check(&good.replace(r#";wimse-aud="https://b.example/x""#, "")),
        Err("claim-missing")
    );
    assert_eq!(
        check(&good.replace("wimse-workload-to-workload", "other")),
        Err("credential-missing")
    );
    assert_eq!(
        check(&format!(r#"{good};keyid="svc-a-key""#)),
        Err("claim-invalid")
    );
    assert_eq!(
        check(&format!(r#"{good};alg="ed25519""#)),
        Err("claim-invalid")
    );
    // F4: expires before created; created in the future; a lifetime of hours.
    assert_eq!(
        check(&good.replace(
            &format!("expires={}", now + 60),
            &format!("expires={}", now - 1)
        )),
        Err("claim-invalid")
    );
    assert_eq!(
        check(
            &good
                .replace(&format!("created={now}"), &format!("created={}", now + 600))
                .replace(
                    &format!("expires={}", now + 60),
                    &format!("expires={}", now + 660)
                )
        ),
        Err("token-issued-in-future")
    );
    assert_eq!(
        check(&good.replace(
            &format!("expires={}", now + 60),
            &format!("expires={}", now + 7200)
        )),
        Err("claim-invalid")
    );
    // F8: two signatures tagged for WIMSE.
    let mut two = signed(&good);
    two.push(("Signature-Input".into(), good.replace("wimse=", "wimse2=")));
    let sig = two
        .iter()
        .find(|(n, _)| n == "Signature")
        .unwrap()
        .1
        .replace("wimse=", "wimse2=");
    two.push(("Signature".into(), sig));
    let req = Request {
        method: "GET",
        target_uri: "https://b.example/x?q=1",
        headers: &two,
        trailers: &[],
    };
    assert_eq!(
        verify_wimse_request(&req, None, &w.store, &cfg, UnixTime(now + 5), None)
            .unwrap_err()
            .code(),
        "malformed-http-signature"
    );
    // F1: a WIT from an untrusted issuer is refused before the signature is looked at.
    let empty = TrustStore::from_bundle_map(r#"{"trust_domains":{}}"#, &Limits::DEFAULT).unwrap();
    let headers = signed(&good);
    let req = Request {
        method: "GET",
        target_uri: "https://b.example/x?q=1",
        headers: &headers,
        trailers: &[],
    };
    assert_eq!(
        verify_wimse_request(&req, None, &empty, &cfg, UnixTime(now + 5), None)
            .unwrap_err()
            .code(),
        "unknown-trust-domain"
    );
    // A body without a covered digest.
    assert_eq!(
        verify_wimse_request(&req, Some(b"x"), &w.store, &cfg, UnixTime(now + 5), None)
            .unwrap_err()
            .code(),
        "component-not-covered"
    );
}
