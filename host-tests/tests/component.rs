//! The conformance vectors and the Wycheproof suites through the component under wasmtime.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use a2a_auth_conformance::{Outcome, hex};
use a2a_auth_host_tests::exports::a2a::auth::gate::GateRequest;
use a2a_auth_host_tests::exports::a2a::auth::httpsig::{VerifiedSignature, VerifiedWimse};
use a2a_auth_host_tests::exports::a2a::auth::jose::JwtRules;
use a2a_auth_host_tests::exports::a2a::auth::proof::{Challenge, HttpRequest};
use a2a_auth_host_tests::exports::a2a::auth::types::Error as WitError;
use a2a_auth_host_tests::{Auth, code, instantiate};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};
use wasmtime::Store;

fn wit(result: Result<Value, WitError>) -> Outcome {
    result.map_err(|e| code(e.code))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("the component returned invalid JSON")
}

fn run(store: &mut Store<()>, auth: &Auth, op: &str, input: &Value) -> Outcome {
    let keys = auth.a2a_auth_keys();
    let jose = auth.a2a_auth_jose();
    let s = |name: &str| {
        input[name]
            .as_str()
            .unwrap_or_else(|| panic!("input lacks `{name}`"))
            .to_owned()
    };
    match op {
        "keys.thumbprint" => wit(keys.call_thumbprint(&mut *store, &input["jwk"].to_string()).unwrap().map(|t| {
            json!({"canonical": t.canonical, "thumbprint": t.thumbprint, "thumbprint_uri": t.thumbprint_uri})
        })),
        "keys.from-seed" => {
            let pair = keys.key_pair().call_from_seed(&mut *store, &s("alg"), &hex(&s("seed")), None).unwrap();
            let pair = match pair {
                Ok(p) => p,
                Err(e) => return Err(code(e.code)),
            };
            let jwk = keys.key_pair().call_public_jwk(&mut *store, pair).unwrap();
            pair.resource_drop(&mut *store).unwrap();
            Ok(json!({ "public_jwk": parse(&jwk) }))
        }
        "jose.sign-jws" => {
            let pair = match keys.key_pair().call_from_jwk(&mut *store, &input["key"].to_string(), None).unwrap() {
                Ok(p) => p,
                Err(e) => return Err(code(e.code)),
            };
            let payload = B64.decode(s("payload")).unwrap();
            let token = jose.call_sign_jws(&mut *store, &input["header"].to_string(), &payload, pair).unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(token.map(|t| json!({ "token": t })))
        }
        "jose.verify-jws" => {
            let algs = strings(&input["algorithms"]);
            let r = jose.call_verify_jws(&mut *store, &s("token"), &input["keys"].to_string(), &algs).unwrap();
            wit(r.map(|v| {
                json!({"alg": v.alg, "header": parse(&v.header), "payload": B64.encode(&v.payload), "key_thumbprint": v.key_thumbprint})
            }))
        }
        "jose.verify-jwt" => {
            let rules = JwtRules {
                algorithms: strings(&input["algorithms"]),
                typ: input["typ"].as_str().map(str::to_owned),
                issuer: input["issuer"].as_str().map(str::to_owned),
                audience: input["audience"].as_str().map(str::to_owned),
                subject: input["subject"].as_str().map(str::to_owned),
                required: strings(&input["required"]),
                leeway: input["leeway"].as_u64(),
                max_age: input["max_age"].as_u64(),
            };
            let now = input["now"].as_u64().expect("verify-jwt needs now");
            let r = jose.call_verify_jwt(&mut *store, &s("token"), &input["keys"].to_string(), &rules, now).unwrap();
            wit(r.map(|v| json!({"header": parse(&v.header), "claims": parse(&v.claims), "key_thumbprint": v.key_thumbprint})))
        }
        "identity.parse-workload-id" | "identity.parse-spiffe-id" => {
            let ident = auth.a2a_auth_identity();
            let r = if op == "identity.parse-spiffe-id" {
                ident.call_parse_spiffe_id(&mut *store, &s("id")).unwrap()
            } else {
                ident.call_parse_workload_id(&mut *store, &s("id")).unwrap()
            };
            wit(r.map(|p| {
                json!({"id": p.id, "scheme": p.scheme, "trust_domain": p.trust_domain, "path": p.path, "origin": p.origin})
            }))
        }
        "identity.id-matches" => {
            let r = auth.a2a_auth_identity().call_id_matches(&mut *store, &s("pattern"), &s("id")).unwrap();
            wit(r.map(|m| json!({ "matches": m })))
        }
        "identity.parse-bundle" => {
            let r = auth.a2a_auth_identity().call_parse_bundle(&mut *store, &s("trust_domain"), &s("bundle")).unwrap();
            wit(r.map(|b| {
                json!({"trust_domain": b.trust_domain, "sequence": b.sequence, "refresh_hint": b.refresh_hint,
                    "jwt_kids": b.jwt_kids, "wit_kids": b.wit_kids, "x509_thumbprints": b.x509_thumbprints, "skipped": b.skipped})
            }))
        }
        "identity.parse-bundle-map" => {
            let r = auth.a2a_auth_identity().call_parse_bundle_map(&mut *store, &s("map")).unwrap();
            wit(r.map(|tds| json!({ "trust_domains": tds })))
        }
        "identity.verify-workload-identity-token" => {
            let now = input["now"].as_u64().expect("needs now");
            let r = auth
                .a2a_auth_identity()
                .call_verify_workload_identity_token(
                    &mut *store,
                    &s("token"),
                    &s("trust_store"),
                    now,
                    input["max_lifetime"].as_u64(),
                    input["profile"] == "wit-svid",
                )
                .unwrap();
            wit(r.map(|v| {
                json!({"subject": v.subject, "trust_domain": v.trust_domain, "cnf_jwk": parse(&v.cnf_jwk), "proof_alg": v.proof_alg,
                    "issuer_key_thumbprint": v.issuer_key_thumbprint, "claims": parse(&v.claims)})
            }))
        }
        "identity.issue-workload-identity-token" => {
            let pair = match keys.key_pair().call_from_jwk(&mut *store, &input["issuer_key"].to_string(), None).unwrap() {
                Ok(p) => p,
                Err(e) => return Err(code(e.code)),
            };
            let r = auth
                .a2a_auth_identity()
                .call_issue_workload_identity_token(
                    &mut *store,
                    pair,
                    &s("subject"),
                    &input["cnf_jwk"].to_string(),
                    input["now"].as_u64().expect("needs now"),
                    input["lifetime"].as_u64().expect("needs lifetime"),
                    &s("jti"),
                    input["issuer"].as_str(),
                )
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|t| json!({ "token": t })))
        }
        "identity.issue-attested-wit" => {
            let pair = match keys.key_pair().call_from_jwk(&mut *store, &input["issuer_key"].to_string(), None).unwrap() {
                Ok(p) => p,
                Err(e) => return Err(code(e.code)),
            };
            let r = auth
                .a2a_auth_identity()
                .call_issue_attested_wit(
                    &mut *store,
                    pair,
                    &input["policy"].to_string(),
                    &s("evidence"),
                    &input["cnf_jwk"].to_string(),
                    input["now"].as_u64().expect("needs now"),
                    &s("jti"),
                )
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|w| {
                json!({"token": w.token, "subject": w.subject, "issued_at": w.issued_at, "expires_at": w.expires_at, "renew_after": w.renew_after})
            }))
        }
        "identity.renewal-time" => {
            let at = |name: &str| input[name].as_u64().expect("needs times");
            let r = auth
                .a2a_auth_identity()
                .call_renewal_time(&mut *store, at("issued_at"), at("expires_at"))
                .unwrap();
            wit(r.map(|t| json!({ "renew_after": t })))
        }
        "identity.verify-jwt-svid" => {
            let now = input["now"].as_u64().expect("needs now");
            let r = auth
                .a2a_auth_identity()
                .call_verify_jwt_svid(&mut *store, &s("token"), &s("trust_store"), &s("audience"), now)
                .unwrap();
            wit(r.map(|v| {
                json!({"subject": v.subject, "trust_domain": v.trust_domain, "issuer_key_thumbprint": v.issuer_key_thumbprint, "claims": parse(&v.claims)})
            }))
        }
        "identity.verify-x509-svid" => {
            let now = input["now"].as_u64().expect("needs now");
            let r = auth
                .a2a_auth_identity()
                .call_verify_x509_svid(&mut *store, &s("chain"), &s("trust_store"), now)
                .unwrap();
            wit(r.map(|v| {
                json!({"subject": v.subject, "trust_domain": v.trust_domain, "not_after": v.not_after,
                    "spki_sha256": v.spki_sha256, "leaf_sha256": v.leaf_sha256, "path_length": v.path_length})
            }))
        }
        op if op.starts_with("proof.") => proof_op(store, auth, op, input),
        op if op.starts_with("httpsig.") => httpsig_op(store, auth, op, input),
        op if op.starts_with("gate.") => gate_op(store, auth, op, input),
        op if op.starts_with("oauth.") => oauth_op(store, auth, op, input),
        op if op.starts_with("events.") || op.starts_with("audit.") => events_op(store, auth, op, input),
        other => Err(format!("unknown-op: the component runner does not know `{other}`")),
    }
}

fn http_request(request: &Value) -> HttpRequest {
    HttpRequest {
        method: request["method"].as_str().unwrap().to_owned(),
        target: request["target"].as_str().unwrap().to_owned(),
        headers: request["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h[0].as_str().unwrap().to_owned(),
                    h[1].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
    }
}

fn challenge_json(c: Challenge) -> Value {
    json!({"status": c.status, "www_authenticate": c.www_authenticate, "dpop_nonce": c.dpop_nonce})
}

fn proof_op(store: &mut Store<()>, auth: &Auth, op: &str, input: &Value) -> Outcome {
    let keys = auth.a2a_auth_keys();
    let proof = auth.a2a_auth_proof();
    let s = |name: &str| {
        input[name]
            .as_str()
            .unwrap_or_else(|| panic!("input lacks `{name}`"))
            .to_owned()
    };
    let opt = |name: &str| input[name].as_str().map(str::to_owned);
    let now = || input["now"].as_u64().expect("needs now");
    let key = |store: &mut Store<()>| match keys
        .key_pair()
        .call_from_jwk(&mut *store, &input["key"].to_string(), None)
        .unwrap()
    {
        Ok(p) => Ok(p),
        Err(e) => Err(code(e.code)),
    };
    let cache = |store: &mut Store<()>| {
        proof
            .replay_cache()
            .call_create(&mut *store, 16, &[1; 32])
            .unwrap()
            .unwrap()
    };
    match op {
        "proof.create-wpt" => {
            let pair = key(store)?;
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
            let r = proof
                .call_create_wpt(
                    &mut *store,
                    pair,
                    &s("wit"),
                    &s("audience"),
                    now(),
                    input["lifetime"].as_u64().unwrap(),
                    &s("jti"),
                    opt("access_token").as_deref(),
                    opt("txn_token").as_deref(),
                    &others,
                )
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|t| json!({ "token": t })))
        }
        "proof.verify-wpt" => {
            let request = http_request(&input["request"]);
            let c = cache(store);
            for earlier in input["before"].as_array().into_iter().flatten() {
                let r = proof
                    .call_verify_wpt(
                        &mut *store,
                        &http_request(earlier),
                        &s("trust_store"),
                        &s("config"),
                        now(),
                        Some(c),
                    )
                    .unwrap();
                assert!(r.is_ok(), "a `before` request verifies");
            }
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(
                    proof
                        .call_verify_wpt(
                            &mut *store,
                            &request,
                            &s("trust_store"),
                            &s("config"),
                            now(),
                            Some(c),
                        )
                        .unwrap(),
                );
            }
            c.resource_drop(&mut *store).unwrap();
            wit(last.unwrap().map(|v| {
                json!({"subject": v.subject, "trust_domain": v.trust_domain, "audience": v.audience, "jti": v.jti, "expires_at": v.expires_at,
                    "proof_alg": v.proof_alg, "cnf_thumbprint": v.cnf_thumbprint, "bound": v.bound})
            }))
        }
        "proof.create-dpop-proof" => {
            let pair = key(store)?;
            let r = proof
                .call_create_dpop_proof(
                    &mut *store,
                    pair,
                    &s("method"),
                    &s("uri"),
                    now(),
                    &s("jti"),
                    opt("access_token").as_deref(),
                    opt("nonce").as_deref(),
                )
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|t| json!({ "token": t })))
        }
        "proof.verify-dpop-proof" => {
            let request = http_request(&input["request"]);
            let c = cache(store);
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(
                    proof
                        .call_verify_dpop_proof(
                            &mut *store,
                            &request,
                            opt("expected_jkt").as_deref(),
                            &s("config"),
                            now(),
                            Some(c),
                        )
                        .unwrap(),
                );
            }
            c.resource_drop(&mut *store).unwrap();
            wit(last.unwrap().map(|v| json!({"jkt": v.jkt, "jti": v.jti, "issued_at": v.issued_at, "access_token_bound": v.access_token_bound})))
        }
        "proof.dpop-nonce" => wit(proof
            .call_dpop_nonce(&mut *store, &s("config"), now())
            .unwrap()
            .map(|n| json!({ "nonce": n }))),
        "proof.wpt-challenge" => wit(proof
            .call_wpt_challenge(&mut *store, &s("code"), &s("wire"))
            .unwrap()
            .map(challenge_json)),
        "proof.dpop-challenge" => wit(proof
            .call_dpop_challenge(
                &mut *store,
                &s("code"),
                &s("description"),
                &s("config"),
                now(),
            )
            .unwrap()
            .map(challenge_json)),
        "proof.normalize-http-uri" => wit(proof
            .call_normalize_http_uri(&mut *store, &s("uri"))
            .unwrap()
            .map(|u| json!({ "uri": u }))),
        "proof.replay-cache" => {
            let secret = B64.decode(s("secret")).unwrap();
            let capacity = u32::try_from(input["capacity"].as_u64().unwrap()).unwrap();
            let c = match proof
                .replay_cache()
                .call_create(&mut *store, capacity, &secret)
                .unwrap()
            {
                Ok(c) => c,
                Err(e) => return Err(code(e.code)),
            };
            let mut results = Vec::new();
            for i in input["inserts"].as_array().unwrap() {
                let r = proof
                    .replay_cache()
                    .call_check_and_insert(
                        &mut *store,
                        c,
                        i[0].as_str().unwrap(),
                        i[1].as_str().unwrap(),
                        i[2].as_u64().unwrap(),
                        i[3].as_u64().unwrap(),
                    )
                    .unwrap();
                results.push(match r {
                    Ok(true) => "evicted-live".to_owned(),
                    Ok(false) => "ok".to_owned(),
                    Err(e) => code(e.code),
                });
            }
            c.resource_drop(&mut *store).unwrap();
            Ok(json!({ "results": results }))
        }
        other => Err(format!(
            "unknown-op: the component runner does not know `{other}`"
        )),
    }
}

fn sig_json(v: &VerifiedSignature) -> Value {
    json!({"label": v.label, "components": v.components, "keyid": v.keyid, "tag": v.tag, "nonce": v.nonce,
        "created": v.created, "expires": v.expires, "digest_checked": v.digest_checked})
}

fn wimse_json(v: &VerifiedWimse) -> Value {
    let s = &v.signature;
    json!({"subject": v.subject, "trust_domain": v.trust_domain, "label": s.label, "components": s.components, "nonce": s.nonce,
        "created": s.created, "expires": s.expires, "digest_checked": s.digest_checked, "sign_response": v.sign_response})
}

fn httpsig_op(store: &mut Store<()>, auth: &Auth, op: &str, input: &Value) -> Outcome {
    let keys = auth.a2a_auth_keys();
    let hs = auth.a2a_auth_httpsig();
    let proof = auth.a2a_auth_proof();
    let s = |name: &str| {
        input[name]
            .as_str()
            .unwrap_or_else(|| panic!("input lacks `{name}`"))
            .to_owned()
    };
    let now = || input["now"].as_u64().expect("needs now");
    let body: Option<Vec<u8>> = input["body"].as_str().map(|b| b.as_bytes().to_vec());
    let key = |store: &mut Store<()>| match keys
        .key_pair()
        .call_from_jwk(&mut *store, &input["key"].to_string(), None)
        .unwrap()
    {
        Ok(p) => Ok(p),
        Err(e) => Err(code(e.code)),
    };
    match op {
        "httpsig.signature-base" => wit(hs
            .call_signature_base(&mut *store, &s("message"), &s("signature_input"))
            .unwrap()
            .map(|b| json!({ "base": b }))),
        "httpsig.verify" => {
            let c = proof
                .replay_cache()
                .call_create(&mut *store, 16, &[1; 32])
                .unwrap()
                .unwrap();
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(
                    hs.call_verify(
                        &mut *store,
                        &s("message"),
                        body.as_deref(),
                        &s("policy"),
                        &s("keys"),
                        now(),
                        Some(c),
                    )
                    .unwrap(),
                );
            }
            c.resource_drop(&mut *store).unwrap();
            wit(last.unwrap().map(|v| sig_json(&v)))
        }
        "httpsig.sign" => {
            let pair = key(store)?;
            let r = hs
                .call_sign(
                    &mut *store,
                    &s("message"),
                    &s("label"),
                    &strings(&input["components"]),
                    &s("params"),
                    pair,
                )
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|v| json!({"signature_input": v.signature_input, "signature": v.signature, "base": v.base})))
        }
        "httpsig.content-digest" => wit(hs
            .call_content_digest(
                &mut *store,
                body.as_deref().unwrap_or_default(),
                &strings(&input["algorithms"]),
            )
            .unwrap()
            .map(|v| json!({ "value": v }))),
        "httpsig.verify-content-digest" => wit(hs
            .call_verify_content_digest(
                &mut *store,
                &s("field"),
                body.as_deref().unwrap_or_default(),
            )
            .unwrap()
            .map(|()| json!({}))),
        "httpsig.sign-wimse-request" => {
            let pair = key(store)?;
            let r = hs
                .call_sign_wimse_request(
                    &mut *store,
                    &s("message"),
                    body.as_deref(),
                    pair,
                    &s("audience"),
                    now(),
                    input["lifetime"].as_u64().unwrap(),
                    &s("nonce"),
                    &s("version"),
                    input["sign_response"].as_bool().unwrap(),
                )
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|v| json!({"content_digest": v.content_digest, "signature_input": v.signature_input, "signature": v.signature})))
        }
        "httpsig.sign-wimse-response" => {
            let pair = key(store)?;
            let r = hs
                .call_sign_wimse_response(
                    &mut *store,
                    &s("message"),
                    body.as_deref(),
                    &s("request_nonce"),
                    pair,
                    now(),
                    input["lifetime"].as_u64().unwrap(),
                    &s("nonce"),
                    &s("version"),
                )
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|v| json!({"content_digest": v.content_digest, "signature_input": v.signature_input, "signature": v.signature})))
        }
        "httpsig.verify-wimse-request" => {
            let c = proof
                .replay_cache()
                .call_create(&mut *store, 16, &[1; 32])
                .unwrap()
                .unwrap();
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(
                    hs.call_verify_wimse_request(
                        &mut *store,
                        &s("message"),
                        body.as_deref(),
                        &s("trust_store"),
                        &s("config"),
                        now(),
                        Some(c),
                    )
                    .unwrap(),
                );
            }
            c.resource_drop(&mut *store).unwrap();
            wit(last.unwrap().map(|v| wimse_json(&v)))
        }
        "httpsig.verify-wimse-response" => wit(hs
            .call_verify_wimse_response(
                &mut *store,
                &s("message"),
                body.as_deref(),
                &s("request_nonce"),
                &s("trust_store"),
                &s("config"),
                now(),
            )
            .unwrap()
            .map(|v| wimse_json(&v))),
        other => Err(format!(
            "unknown-op: the component runner does not know `{other}`"
        )),
    }
}

#[test]
fn vectors_through_the_component() {
    let (mut store, auth) = instantiate().unwrap();
    let dir = a2a_auth_conformance::vectors_dir();
    let failures = a2a_auth_conformance::run_vectors("component", &dir, |op, input| {
        run(&mut store, &auth, op, input)
    });
    assert!(
        failures.is_empty(),
        "vector failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn wycheproof_through_the_component() {
    let (mut store, auth) = instantiate().unwrap();
    let keys = auth.a2a_auth_keys();
    let failures = a2a_auth_conformance::run_wycheproof("component", |alg, jwk, msg, sig| {
        keys.call_verify_signature(&mut store, alg, jwk, msg, sig)
            .unwrap()
            .map_err(|e| code(e.code))
    });
    assert!(
        failures.is_empty(),
        "wycheproof failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn errors_carry_no_token_text() {
    let (mut store, auth) = instantiate().unwrap();
    let token = "eyJhbGciOiJub25lIn0.eyJzZWNyZXQiOiJodW50ZXIyIn0.c2lnbmF0dXJl";
    let err = auth
        .a2a_auth_jose()
        .call_verify_jws(&mut store, token, r#"{"keys":[]}"#, &["ES256".to_owned()])
        .unwrap()
        .unwrap_err();
    assert_eq!(code(err.code), "alg-not-allowed");
    for fragment in ["eyJ", "hunter2", "c2lnbmF0dXJl", "none"] {
        assert!(
            !err.detail.contains(fragment),
            "detail leaks `{fragment}`: {}",
            err.detail
        );
    }
}

fn gate_request(r: &Value) -> GateRequest {
    GateRequest {
        method: r["method"].as_str().unwrap().to_owned(),
        target_uri: r["target_uri"].as_str().unwrap().to_owned(),
        headers: r["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h[0].as_str().unwrap().to_owned(),
                    h[1].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
        body: r["body"].as_str().map(|b| B64.decode(b).unwrap()),
        mtls_peer: r["mtls_peer"].as_str().map(str::to_owned),
    }
}

fn gate_op(store: &mut Store<()>, auth: &Auth, op: &str, input: &Value) -> Outcome {
    let gate = auth.a2a_auth_gate();
    let keys = auth.a2a_auth_keys();
    let now = input["now"].as_u64().expect("needs now");
    match op {
        "gate.authenticate" => {
            let secret = B64.decode(input["secret"].as_str().unwrap()).unwrap();
            let v = match gate
                .verifier()
                .call_create(&mut *store, input["policy"].as_str().unwrap(), &secret)
                .unwrap()
            {
                Ok(v) => v,
                Err(e) => return Err(code(e.code)),
            };
            for earlier in input["before"].as_array().into_iter().flatten() {
                let r = gate
                    .verifier()
                    .call_authenticate(&mut *store, v, &gate_request(earlier), now)
                    .unwrap();
                assert!(r.is_ok(), "a `before` request is allowed");
            }
            for set in input["events"].as_array().into_iter().flatten() {
                let r = gate
                    .verifier()
                    .call_apply_event(&mut *store, v, set.as_str().unwrap(), now)
                    .unwrap();
                assert!(r.is_ok(), "an `events` SET is applied");
            }
            let request = gate_request(&input["request"]);
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(
                    gate.verifier()
                        .call_authenticate(&mut *store, v, &request, now)
                        .unwrap(),
                );
            }
            v.resource_drop(&mut *store).unwrap();
            Ok(match last.unwrap() {
                Ok(p) => json!({
                    "allow": true, "agent": p.agent, "trust_domain": p.trust_domain, "method": p.method,
                    "credentials": p.credentials, "client_id": p.client_id, "subject": p.subject, "issuer": p.issuer,
                    "act": p.act.map(|a| parse(&a)), "scopes": p.scopes,
                    "transaction": p.transaction.as_ref().map(txn_json),
                    "actors": p.actors.iter().map(|a| json!({"subject": a.subject, "issuer": a.issuer})).collect::<Vec<_>>(),
                    "authorization_details": parse(&p.authorization_details),
                    "token_hashes": p.token_hashes, "expires_at": p.expires_at, "route": p.route,
                }),
                Err(d) => json!({
                    "allow": false, "status": d.status, "www_authenticate": d.www_authenticate,
                    "dpop_nonce": d.dpop_nonce, "code": code(d.error.code),
                    "event": d.event.as_deref().map(parse),
                }),
            })
        }
        "gate.enforce" => {
            let secret = B64.decode(input["secret"].as_str().unwrap()).unwrap();
            let v = match gate
                .verifier()
                .call_create(&mut *store, input["policy"].as_str().unwrap(), &secret)
                .unwrap()
            {
                Ok(v) => v,
                Err(e) => return Err(code(e.code)),
            };
            let p = gate
                .verifier()
                .call_authenticate(&mut *store, v, &gate_request(&input["request"]), now)
                .unwrap()
                .expect("the request is allowed");
            let subject = gate
                .call_principal_subject(&mut *store, &p)
                .unwrap()
                .map_err(|e| code(e.code))?;
            let r = gate
                .verifier()
                .call_enforce(&mut *store, v, &p, input["decision"].as_str().unwrap())
                .unwrap();
            v.resource_drop(&mut *store).unwrap();
            let outcome = match r {
                Ok(()) => json!({"allow": true}),
                Err(d) => {
                    json!({"allow": false, "status": d.status, "www_authenticate": d.www_authenticate, "code": code(d.error.code)})
                }
            };
            Ok(json!({"subject": parse(&subject), "outcome": outcome}))
        }
        "gate.sign" => {
            let mut pairs = Vec::new();
            for name in ["workload_key", "dpop_key"] {
                pairs.push(if input[name].is_object() {
                    match keys
                        .key_pair()
                        .call_from_jwk(&mut *store, &input[name].to_string(), None)
                        .unwrap()
                    {
                        Ok(p) => Some(p),
                        Err(e) => return Err(code(e.code)),
                    }
                } else {
                    None
                });
            }
            let created = gate
                .signer()
                .call_create(
                    &mut *store,
                    input["options"].as_str().unwrap(),
                    pairs[0],
                    pairs[1],
                )
                .unwrap();
            for p in pairs.into_iter().flatten() {
                p.resource_drop(&mut *store).unwrap();
            }
            let signer = match created {
                Ok(s) => s,
                Err(e) => return Err(code(e.code)),
            };
            let entropy = B64.decode(input["entropy"].as_str().unwrap()).unwrap();
            let r = gate
                .signer()
                .call_sign(
                    &mut *store,
                    signer,
                    &gate_request(&input["request"]),
                    now,
                    &entropy,
                )
                .unwrap();
            signer.resource_drop(&mut *store).unwrap();
            wit(r.map(|h| json!({ "headers": h })))
        }
        other => Err(format!(
            "unknown-op: the component runner does not know `{other}`"
        )),
    }
}

fn txn_json(t: &a2a_auth_host_tests::exports::a2a::auth::oauth::TransactionContext) -> Value {
    json!({"txn": t.txn, "subject": t.subject, "scope": t.scope, "requesting_workload": t.requesting_workload,
        "tctx": t.tctx.as_deref().map(parse), "rctx": t.rctx.as_deref().map(parse), "issuer": t.issuer,
        "expires_at": t.expires_at, "token_hash": t.token_hash})
}

fn oauth_op(store: &mut Store<()>, auth: &Auth, op: &str, input: &Value) -> Outcome {
    let oauth = auth.a2a_auth_oauth();
    let s = |name: &str| {
        input[name]
            .as_str()
            .unwrap_or_else(|| panic!("input lacks `{name}`"))
            .to_owned()
    };
    let now = || input["now"].as_u64().expect("needs now");
    let info = |t: a2a_auth_host_tests::exports::a2a::auth::oauth::AccessTokenInfo| {
        json!({"issuer": t.issuer, "subject": t.subject, "client_id": t.client_id, "scopes": t.scopes,
            "authorization_details": parse(&t.authorization_details), "cnf_jkt": t.cnf_jkt, "acr": t.acr,
            "auth_time": t.auth_time, "expires_at": t.expires_at, "token_hash": t.token_hash})
    };
    match op {
        "oauth.verify-access-token" => wit(oauth
            .call_verify_access_token(&mut *store, &s("token"), &s("config"), now())
            .unwrap()
            .map(info)),
        "oauth.check-introspection-response" => wit(oauth
            .call_check_introspection_response(
                &mut *store,
                &s("response"),
                &s("token"),
                &s("config"),
                now(),
            )
            .unwrap()
            .map(info)),
        "oauth.verify-introspection-jwt" => wit(oauth
            .call_verify_introspection_jwt(&mut *store, &s("jwt"), &s("token"), &s("config"), now())
            .unwrap()
            .map(info)),
        "oauth.issue-txn-token" => {
            let keys = auth.a2a_auth_keys();
            let pair = match keys
                .key_pair()
                .call_from_jwk(&mut *store, &input["key"].to_string(), None)
                .unwrap()
            {
                Ok(p) => p,
                Err(e) => return Err(code(e.code)),
            };
            let r = oauth
                .call_issue_txn_token(&mut *store, pair, &s("params"), now())
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|t| json!({"token": t})))
        }
        "oauth.verify-txn-token" => wit(oauth
            .call_verify_txn_token(&mut *store, &s("token"), &s("config"), now())
            .unwrap()
            .map(|t| txn_json(&t))),
        "oauth.create-client-assertion" => {
            let keys = auth.a2a_auth_keys();
            let pair = match keys
                .key_pair()
                .call_from_jwk(&mut *store, &input["key"].to_string(), None)
                .unwrap()
            {
                Ok(p) => p,
                Err(e) => return Err(code(e.code)),
            };
            let r = oauth
                .call_create_client_assertion(
                    &mut *store,
                    pair,
                    &s("client_id"),
                    &s("issuer"),
                    &s("jti"),
                    now(),
                    input["lifetime"].as_u64().unwrap(),
                )
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|t| json!({"token": t})))
        }
        "oauth.verify-client-assertion" => {
            let proof = auth.a2a_auth_proof();
            let cache = proof
                .replay_cache()
                .call_create(&mut *store, 16, &[1; 32])
                .unwrap()
                .unwrap();
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(
                    oauth
                        .call_verify_client_assertion(
                            &mut *store,
                            &s("assertion"),
                            &s("config"),
                            now(),
                            Some(cache),
                        )
                        .unwrap(),
                );
            }
            cache.resource_drop(&mut *store).unwrap();
            wit(last.unwrap().map(
                |r| json!({"client_id": r.client_id, "jti": r.jti, "expires_at": r.expires_at}),
            ))
        }
        "oauth.verify-spiffe-client-assertion" => wit(oauth
            .call_verify_spiffe_client_assertion(
                &mut *store,
                &s("assertion"),
                &s("trust_store"),
                &s("issuer"),
                now(),
            )
            .unwrap()
            .map(|x| json!({"subject": x}))),
        "oauth.create-client-attestation-pop" => {
            let keys = auth.a2a_auth_keys();
            let pair = match keys.key_pair().call_from_jwk(&mut *store, &input["key"].to_string(), None).unwrap() {
                Ok(p) => p,
                Err(e) => return Err(code(e.code)),
            };
            let r = oauth
                .call_create_client_attestation_pop(&mut *store, pair, &s("wit"), &s("issuer"), &s("jti"), input["challenge"].as_str(), now())
                .unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|t| json!({"token": t})))
        }
        "oauth.verify-wit-client-attestation" => {
            let proof = auth.a2a_auth_proof();
            let cache = proof.replay_cache().call_create(&mut *store, 16, &[1; 32]).unwrap().unwrap();
            let mut last = None;
            for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
                last = Some(oauth
                    .call_verify_wit_client_attestation(&mut *store, &s("wit"), &s("pop"), &s("trust_store"), &s("issuer"),
                        input["challenge"].as_str(), now(), Some(cache))
                    .unwrap());
            }
            cache.resource_drop(&mut *store).unwrap();
            wit(last.unwrap().map(|x| json!({"subject": x})))
        }
        "oauth.client-metadata-document" => wit(oauth
            .call_client_metadata_document(&mut *store, &s("description"))
            .unwrap()
            .map(|d| json!({"document": d}))),
        "oauth.client-credentials-request" => wit(oauth
            .call_client_credentials_request(&mut *store, &s("request"))
            .unwrap()
            .map(|b| json!({"body": b}))),
        "oauth.authzen-evaluation-request" => wit(oauth.call_authzen_evaluation_request(&mut *store, &s("request")).unwrap().map(|b| json!({"body": b}))),
        "oauth.authzen-evaluations-request" => wit(oauth.call_authzen_evaluations_request(&mut *store, &s("request")).unwrap().map(|b| json!({"body": b}))),
        "oauth.authzen-parse-decision" => wit(oauth.call_authzen_parse_decision(&mut *store, &s("text")).unwrap().map(|d| {
            json!({"decision": d.decision, "context": d.context.as_deref().map(parse)})
        })),
        "oauth.authzen-parse-evaluations" => wit(oauth
            .call_authzen_parse_evaluations(&mut *store, &s("text"), u32::try_from(input["count"].as_u64().unwrap()).unwrap(), &s("semantic"))
            .unwrap()
            .map(|v| json!({"evaluations": v.iter().map(|d| json!({"decision": d.decision, "context": d.context.as_deref().map(parse)})).collect::<Vec<_>>()}))),
        "oauth.authzen-metadata-url" => wit(oauth.call_authzen_metadata_url(&mut *store, &s("pdp")).unwrap().map(|u| json!({"url": u}))),
        "oauth.authzen-parse-metadata" => wit(oauth
            .call_authzen_parse_metadata(&mut *store, &s("text"), &s("expected_pdp"))
            .unwrap()
            .map(|m| json!({"metadata": m}))),
        "oauth.sign-agent-card" => {
            let keys = auth.a2a_auth_keys();
            let pair = match keys.key_pair().call_from_jwk(&mut *store, &input["key"].to_string(), None).unwrap() {
                Ok(p) => p,
                Err(e) => return Err(code(e.code)),
            };
            let r = oauth.call_sign_agent_card(&mut *store, &s("card"), pair).unwrap();
            pair.resource_drop(&mut *store).unwrap();
            wit(r.map(|c| json!({"card": c})))
        }
        "oauth.verify-agent-card" => wit(oauth
            .call_verify_agent_card(&mut *store, &s("card"), &input["keys"].to_string(), &strings(&input["algorithms"]))
            .unwrap()
            .map(|(kid, alg)| json!({"kid": kid, "alg": alg}))),
        "oauth.plan-authorization" => wit(oauth
            .call_plan_authorization(&mut *store, &s("resource_metadata"), &s("expected_resource"), &s("server_metadata"), &s("issuer"),
                input["challenge_scope"].as_str(), input["preregistered"].as_bool().unwrap())
            .unwrap()
            .map(|p| json!({"plan": parse(&p)}))),
        "oauth.parse-www-authenticate" => wit(oauth
            .call_parse_www_authenticate(&mut *store, &strings(&input["values"]))
            .unwrap()
            .map(|c| json!({"challenges": parse(&c)}))),
        "oauth.resource-metadata-candidates" => wit(oauth
            .call_resource_metadata_candidates(&mut *store, &s("server_url"), input["resource_metadata"].as_str())
            .unwrap()
            .map(|u| json!({"urls": u}))),
        "oauth.authorization-server-metadata-candidates" => wit(oauth
            .call_authorization_server_metadata_candidates(&mut *store, &s("issuer"))
            .unwrap()
            .map(|u| json!({"urls": u}))),
        "oauth.parse-authorization-server-metadata" => wit(oauth
            .call_parse_authorization_server_metadata(&mut *store, &s("text"), &s("expected_issuer"))
            .unwrap()
            .map(|m| json!({"metadata": m}))),
        "oauth.agent-card-requirements" => wit(oauth
            .call_agent_card_requirements(&mut *store, &s("card"), input["skill"].as_str())
            .unwrap()
            .map(|a| json!({"alternatives": parse(&a)}))),
        "oauth.check-client-metadata-document" => wit(oauth
            .call_check_client_metadata_document(&mut *store, &s("text"), &s("url"))
            .unwrap()
            .map(|d| json!({"document": d}))),
        "oauth.token-exchange-request" => wit(oauth
            .call_token_exchange_request(&mut *store, &s("request"))
            .unwrap()
            .map(|b| json!({"body": b}))),
        "oauth.parse-token-exchange-response" => {
            let opt = |n: &str| input[n].as_str().map(str::to_owned);
            wit(oauth
                .call_parse_token_exchange_response(&mut *store, &s("text"), opt("requested_token_type").as_deref(), opt("expected_token_type").as_deref())
                .unwrap()
                .map(|r| json!({"access_token": r.access_token, "issued_token_type": r.issued_token_type, "token_type": r.token_type,
                    "expires_in": r.expires_in, "scopes": r.scopes, "refresh_token": r.refresh_token})))
        }
        "oauth.may-act" => wit(oauth
            .call_may_act(
                &mut *store,
                &s("claims"),
                &s("actor_subject"),
                input["actor_issuer"].as_str(),
            )
            .unwrap()
            .map(|b| json!({"allowed": b}))),
        "oauth.metadata-url" => wit(oauth
            .call_metadata_url(&mut *store, &s("resource"))
            .unwrap()
            .map(|u| json!({"url": u}))),
        "oauth.resource-metadata-document" => wit(oauth
            .call_resource_metadata_document(&mut *store, &s("description"))
            .unwrap()
            .map(|d| json!({"document": d}))),
        "oauth.parse-resource-metadata" => wit(oauth
            .call_parse_resource_metadata(&mut *store, &s("text"), &s("expected_resource"))
            .unwrap()
            .map(|m| json!({"metadata": m}))),
        other => Err(format!(
            "unknown-op: the component runner does not know `{other}`"
        )),
    }
}

fn events_op(store: &mut Store<()>, auth: &Auth, op: &str, input: &Value) -> Outcome {
    let events = auth.a2a_auth_events();
    let gate = auth.a2a_auth_gate();
    let now = || input["now"].as_u64().expect("needs now");
    let s = |name: &str| input[name].as_str().unwrap().to_owned();
    let verifier = |store: &mut Store<()>| {
        let secret = B64.decode(input["secret"].as_str().unwrap()).unwrap();
        gate.verifier()
            .call_create(&mut *store, input["policy"].as_str().unwrap(), &secret)
            .unwrap()
    };
    match op {
        "events.verify-set" => wit(events
            .call_verify_set(&mut *store, &s("set"), &input["config"].to_string(), now())
            .unwrap()
            .map(|t| parse(&t))),
        "events.receive-push" => {
            let v = match verifier(store) {
                Ok(v) => v,
                Err(e) => return Err(code(e.code)),
            };
            for set in input["before"].as_array().into_iter().flatten() {
                let r = gate
                    .verifier()
                    .call_apply_event(&mut *store, v, set.as_str().unwrap(), now())
                    .unwrap();
                assert!(r.is_ok(), "a `before` SET is applied");
            }
            let a = gate
                .verifier()
                .call_receive_push(&mut *store, v, &s("body"), now())
                .unwrap();
            v.resource_drop(&mut *store).unwrap();
            Ok(
                json!({"status": a.status, "body": a.body.as_deref().map(parse), "applied": a.applied.as_deref().map(parse)}),
            )
        }
        "events.receive-poll" => {
            let v = match verifier(store) {
                Ok(v) => v,
                Err(e) => return Err(code(e.code)),
            };
            let r = gate
                .verifier()
                .call_receive_poll(
                    &mut *store,
                    v,
                    &s("body"),
                    input["max_events"].as_u64().unwrap(),
                    now(),
                )
                .unwrap();
            v.resource_drop(&mut *store).unwrap();
            wit(r.map(|t| parse(&t)))
        }
        "audit.check-records" => wit(gate
            .call_check_records(&mut *store, &s("policy"), &s("records"))
            .unwrap()
            .map(|t| parse(&t))),
        other => panic!("unknown op `{other}`: the component runner must learn it"),
    }
}
