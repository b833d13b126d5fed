//! RFC 9068 access tokens at the resource server (specs/oauth.md §2.3): one refusal per step,
//! then the route requirements (scopes, RFC 9396 types, RFC 9470 step-up).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use a2a_auth::crypto::{Algorithm, AlgorithmSet, JwkSet, KeyPair};
use a2a_auth::encoding::base64url;
use a2a_auth::encoding::json::to_compact;
use a2a_auth::jose::sign_jws;
use a2a_auth::oauth::{
    AccessTokenValidation, RouteRequirements, TrustedIssuer, check_requirements,
    verify_access_token,
};
use a2a_auth::{Leeway, Limits, UnixTime};
use serde_json::{Value, json};

const NOW: u64 = 1_767_225_600;
const RESOURCE: &str = "https://tools.example.com/mcp";

fn key(label: u8) -> KeyPair {
    KeyPair::from_seed(Algorithm::Es256, &[label; 32])
        .unwrap()
        .with_kid(format!("as-{label}"))
}

fn claims() -> Value {
    json!({"iss": "https://as.example.com", "sub": "agent:planner", "client_id": "https://planner.example.com/client.json",
        "aud": RESOURCE, "iat": NOW, "exp": NOW + 600, "jti": "5f0c2b0e", "scope": "tools:read tools:call",
        "cnf": {"jkt": "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"}, "acr": "urn:example:mfa", "auth_time": NOW - 100,
        "authorization_details": [{"type": "payment_initiation", "amount": 10}]})
}

fn token(header: Value, claims: &Value, k: &KeyPair) -> String {
    sign_jws(
        header.as_object().unwrap(),
        to_compact(claims).as_bytes(),
        k,
    )
    .unwrap()
}

fn with(patch: Value) -> Value {
    let mut c = claims();
    for (k, v) in patch.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

fn validation() -> AccessTokenValidation {
    AccessTokenValidation {
        issuers: vec![
            TrustedIssuer {
                issuer: "https://as.example.com".into(),
                keys: JwkSet::from_keys(vec![key(1).public_jwk().clone()]),
                algorithms: AlgorithmSet::ASYMMETRIC,
            },
            TrustedIssuer {
                issuer: "https://other-as.example.com".into(),
                keys: JwkSet::from_keys(vec![key(2).public_jwk().clone()]),
                algorithms: AlgorithmSet::ASYMMETRIC,
            },
        ],
        resource: RESOURCE.into(),
        leeway: Leeway::DEFAULT,
        limits: Limits::DEFAULT,
    }
}

fn check(t: &str) -> Result<(), &'static str> {
    verify_access_token(t, &validation(), UnixTime(NOW + 10))
        .map(|_| ())
        .map_err(|e| e.code())
}

#[test]
fn a_good_token_and_its_fields() {
    let t = token(json!({"typ": "at+jwt"}), &claims(), &key(1));
    let v = verify_access_token(&t, &validation(), UnixTime(NOW + 10)).unwrap();
    assert_eq!(v.subject, "agent:planner");
    assert_eq!(v.scopes, ["tools:read", "tools:call"]);
    assert_eq!(
        v.cnf_jkt.as_deref(),
        Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    );
    assert_eq!(
        v.token_hash,
        base64url::encode(&a2a_auth::crypto::sha256(t.as_bytes()))
    );
    assert_eq!(
        check(&token(
            json!({"typ": "application/at+jwt"}),
            &claims(),
            &key(1)
        )),
        Ok(())
    );
    assert_eq!(
        check(&token(json!({"typ": "at+JWT"}), &claims(), &key(1))),
        Ok(())
    );
}

#[test]
fn each_step_refuses_with_one_code() {
    let good = |patch: Value| token(json!({"typ": "at+jwt"}), &with(patch), &key(1));
    // Step 3: typ.
    assert_eq!(
        check(&token(json!({"typ": "JWT"}), &claims(), &key(1))),
        Err("typ-mismatch")
    );
    assert_eq!(
        check(&token(json!({}), &claims(), &key(1))),
        Err("typ-mismatch")
    );
    // Steps 4–6: the issuer picks keys; an unknown one is refused; keys of another issuer fail.
    assert_eq!(
        check(&good(json!({"iss": "https://evil.example"}))),
        Err("claim-mismatch")
    );
    assert_eq!(
        check(&token(
            json!({"typ": "at+jwt", "kid": "as-1"}),
            &with(json!({"iss": "https://other-as.example.com"})),
            &key(1)
        )),
        Err("key-not-found")
    );
    assert_eq!(
        check(&token(
            json!({"typ": "at+jwt"}),
            &claims(),
            &key(3).with_kid("as-1")
        )),
        Err("invalid-signature")
    );
    let hs = KeyPair::from_seed(Algorithm::Hs256, &[9; 32])
        .unwrap()
        .with_kid("as-1");
    assert_eq!(
        check(&token(json!({"typ": "at+jwt"}), &claims(), &hs)),
        Err("alg-not-allowed")
    );
    assert_eq!(check(&good(json!({"iss": 7}))), Err("claim-invalid"));
    // Step 7: aud contains this resource, no fallback.
    assert_eq!(
        check(&good(json!({"aud": "https://tools.example.com"}))),
        Err("claim-mismatch")
    );
    assert_eq!(
        check(&good(json!({"aud": ["https://a.example", RESOURCE]}))),
        Ok(())
    );
    // Step 8: times.
    assert_eq!(
        check(&good(json!({"exp": NOW - 100}))),
        Err("token-expired")
    );
    assert_eq!(
        check(&good(json!({"nbf": NOW + 1000}))),
        Err("token-not-yet-valid")
    );
    assert_eq!(
        check(&good(json!({"iat": NOW + 1000}))),
        Err("token-issued-in-future")
    );
    // Step 9: required claims and types.
    for missing in ["sub", "client_id", "jti", "iat"] {
        assert_eq!(
            check(&good(json!({missing: null}))),
            Err("claim-missing"),
            "{missing}"
        );
    }
    assert_eq!(check(&good(json!({"client_id": 5}))), Err("claim-invalid"));
    assert_eq!(check(&good(json!({"scope": ["a"]}))), Err("claim-invalid"));
    assert_eq!(
        check(&good(json!({"authorization_details": [{"amount": 1}]}))),
        Err("claim-invalid")
    );
    // Step 10: cnf with exactly one supported member.
    assert_eq!(
        check(&good(json!({"cnf": {"jkt": "a", "x5t#S256": "b"}}))),
        Err("claim-invalid")
    );
    assert_eq!(
        check(&good(json!({"cnf": {"x5t#S256": "b"}}))),
        Err("claim-invalid")
    );
    assert_eq!(check(&good(json!({"cnf": "jkt"}))), Err("claim-invalid"));
}

#[test]
fn route_requirements() {
    let t = token(json!({"typ": "at+jwt"}), &claims(), &key(1));
    let v = verify_access_token(&t, &validation(), UnixTime(NOW + 10)).unwrap();
    let at = UnixTime(NOW + 10);
    let ok = |r: RouteRequirements| check_requirements(&v, &r, at).map_err(|e| e.code());
    assert_eq!(
        ok(RouteRequirements {
            scopes: vec!["tools:call".into()],
            ..Default::default()
        }),
        Ok(())
    );
    assert_eq!(
        ok(RouteRequirements {
            scopes: vec!["tools:admin".into()],
            ..Default::default()
        }),
        Err("insufficient-scope")
    );
    assert_eq!(
        ok(RouteRequirements {
            authorization_details_types: vec!["payment_initiation".into()],
            ..Default::default()
        }),
        Ok(())
    );
    assert_eq!(
        ok(RouteRequirements {
            authorization_details_types: vec!["account_information".into()],
            ..Default::default()
        }),
        Err("insufficient-scope")
    );
    assert_eq!(
        ok(RouteRequirements {
            acr_values: vec!["urn:example:mfa".into()],
            ..Default::default()
        }),
        Ok(())
    );
    assert_eq!(
        ok(RouteRequirements {
            acr_values: vec!["urn:example:hwk".into()],
            ..Default::default()
        }),
        Err("insufficient-user-authentication")
    );
    assert_eq!(
        ok(RouteRequirements {
            max_auth_age: Some(300),
            ..Default::default()
        }),
        Ok(())
    );
    assert_eq!(
        ok(RouteRequirements {
            max_auth_age: Some(60),
            ..Default::default()
        }),
        Err("insufficient-user-authentication")
    );
}

mod introspection {
    use super::*;
    use a2a_auth::oauth::{
        IntrospectionValidation, check_introspection_response, verify_introspection_jwt,
    };

    fn v() -> IntrospectionValidation {
        IntrospectionValidation {
            issuer: "https://as.example.com".into(),
            resource: RESOURCE.into(),
            leeway: Leeway::DEFAULT,
        }
    }

    fn check(response: Value) -> Result<(), &'static str> {
        check_introspection_response(
            &to_compact(&response),
            "opaque-token",
            &v(),
            UnixTime(NOW + 10),
        )
        .map(|_| ())
        .map_err(|e| e.code())
    }

    fn active() -> Value {
        json!({"active": true, "iss": "https://as.example.com", "client_id": "agent-planner", "sub": "user:alice",
            "aud": RESOURCE, "scope": "tools:call", "exp": NOW + 600, "token_type": "DPoP",
            "cnf": {"jkt": "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"}})
    }

    fn patched(patch: Value) -> Value {
        let mut r = active();
        for (k, val) in patch.as_object().unwrap() {
            if val.is_null() {
                r.as_object_mut().unwrap().remove(k);
            } else {
                r[k] = val.clone();
            }
        }
        r
    }

    #[test]
    fn rfc_7662_responses() {
        let ok = check_introspection_response(
            &to_compact(&active()),
            "opaque-token",
            &v(),
            UnixTime(NOW + 10),
        )
        .unwrap();
        assert_eq!(ok.scopes, ["tools:call"]);
        assert_eq!(
            ok.cnf_jkt.as_deref(),
            Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        );
        assert_eq!(check(json!({"active": false})), Err("token-inactive"));
        assert_eq!(
            check(patched(json!({"active": "true"}))),
            Err("claim-invalid")
        );
        assert_eq!(
            check(patched(json!({"active": null}))),
            Err("claim-missing")
        );
        assert_eq!(
            check(patched(json!({"iss": "https://evil.example"}))),
            Err("claim-mismatch")
        );
        assert_eq!(
            check(patched(json!({"aud": "https://other.example"}))),
            Err("claim-mismatch")
        );
        assert_eq!(check(patched(json!({"aud": null}))), Err("claim-missing"));
        assert_eq!(
            check(patched(json!({"exp": NOW - 100}))),
            Err("token-expired")
        );
        assert_eq!(
            check(patched(json!({"token_type": "mac"}))),
            Err("claim-invalid")
        );
        assert_eq!(check(patched(json!({"cnf": null}))), Err("claim-missing"));
        assert_eq!(
            check(patched(json!({"cnf": null, "token_type": "Bearer"}))),
            Ok(())
        );
    }

    #[test]
    fn rfc_9701_jwt_responses() {
        let server = TrustedIssuer {
            issuer: "https://as.example.com".into(),
            keys: JwkSet::from_keys(vec![key(1).public_jwk().clone()]),
            algorithms: AlgorithmSet::ASYMMETRIC,
        };
        let body = json!({"iss": "https://as.example.com", "aud": "rs-client", "iat": NOW, "token_introspection": active()});
        let jwt = token(json!({"typ": "token-introspection+jwt"}), &body, &key(1));
        let run = |jwt: &str, client: &str| {
            verify_introspection_jwt(
                jwt,
                &server,
                client,
                "opaque-token",
                &v(),
                UnixTime(NOW + 10),
            )
            .map(|_| ())
            .map_err(|e| e.code())
        };
        assert_eq!(run(&jwt, "rs-client"), Ok(()));
        assert_eq!(run(&jwt, "another-rs"), Err("claim-mismatch"));
        // An access token is not an introspection response, and the reverse.
        assert_eq!(
            run(
                &token(json!({"typ": "at+jwt"}), &body, &key(1)),
                "rs-client"
            ),
            Err("typ-mismatch")
        );
        assert_eq!(
            run(
                &token(
                    json!({"typ": "token-introspection+jwt"}),
                    &body,
                    &key(2).with_kid("as-1")
                ),
                "rs-client"
            ),
            Err("invalid-signature")
        );
        let inactive = json!({"iss": "https://as.example.com", "aud": "rs-client", "iat": NOW, "token_introspection": {"active": false}});
        assert_eq!(
            run(
                &token(
                    json!({"typ": "token-introspection+jwt"}),
                    &inactive,
                    &key(1)
                ),
                "rs-client"
            ),
            Err("token-inactive")
        );
        let no_iat = json!({"iss": "https://as.example.com", "aud": "rs-client", "token_introspection": active()});
        assert_eq!(
            run(
                &token(json!({"typ": "token-introspection+jwt"}), &no_iat, &key(1)),
                "rs-client"
            ),
            Err("claim-missing")
        );
    }
}
