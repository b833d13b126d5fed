//! Writes the conformance vectors under `vectors/` (format: VECTORS.md in the project docs).
//!
//! `cargo run --example gen_vectors -- <dir>` writes to `<dir>` (default `vectors`). CI writes
//! to a temporary directory and fails on any difference from the committed files.
//!
//! Keys come from fixed seeds; ES256/ES384 (RFC 6979) and Ed25519 signing are deterministic, so
//! every token is byte-exact. Spec examples are literals with their source in the title.
//! Expected outputs of positive generated cases are written from what this generator built,
//! never by running the verifier under test; negative cases name the one check they break.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::string_slice,
    clippy::arithmetic_side_effects
)]

use std::fs;
use std::path::{Path, PathBuf};

use a2a_auth::crypto::{Algorithm, KeyPair, sha256};
use a2a_auth::encoding::base64url as b64;
use a2a_auth::encoding::json::to_compact;
use serde_json::{Map, Value, json};

mod attacks;
mod events;
mod gate;
mod httpsig;
mod oauth;
mod proof;
mod x509;

const NOW: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const ISS: &str = "https://as.example.com";
const AUD: &str = "https://tools.example.com/mcp";

fn seed(label: &str, len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut counter = 0u8;
    while out.len() < len {
        out.extend(sha256(
            format!("a2a-auth vectors {label} {counter}").as_bytes(),
        ));
        counter += 1;
    }
    out.truncate(len);
    out
}

struct Keys {
    es256: KeyPair,
    es256_other: KeyPair,
    es384: KeyPair,
    ed25519: KeyPair,
    hs256: KeyPair,
    rfc8037: KeyPair,
}

fn keys() -> Keys {
    let rfc8037 = KeyPair::from_jwk(
        r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
        None,
        &a2a_auth::Limits::DEFAULT,
    )
    .unwrap();
    Keys {
        es256: KeyPair::from_seed(Algorithm::Es256, &seed("es256-1", 32))
            .unwrap()
            .with_kid("es256-1"),
        es256_other: KeyPair::from_seed(Algorithm::Es256, &seed("es256-2", 32))
            .unwrap()
            .with_kid("es256-2"),
        es384: KeyPair::from_seed(Algorithm::Es384, &seed("es384-1", 48))
            .unwrap()
            .with_kid("es384-1"),
        ed25519: KeyPair::from_seed(Algorithm::Ed25519, &seed("ed25519-1", 32))
            .unwrap()
            .with_kid("ed25519-1"),
        hs256: KeyPair::from_seed(Algorithm::Hs256, &seed("hs256-1", 32))
            .unwrap()
            .with_kid("hs256-1"),
        rfc8037,
    }
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

fn public(k: &KeyPair) -> Value {
    Value::Object(k.public_jwk().to_object())
}

fn jwks(keys: &[&KeyPair]) -> Value {
    json!({ "keys": keys.iter().map(|k| public(k)).collect::<Vec<_>>() })
}

/// Signs raw header and payload bytes (for tokens the library's signer would refuse to make).
fn sign_raw(header: &[u8], payload: &[u8], key: &KeyPair) -> String {
    let input = format!("{}.{}", b64::encode(header), b64::encode(payload));
    let sig = key.sign(input.as_bytes()).unwrap();
    format!("{input}.{}", b64::encode(&sig))
}

/// A compact token with the header the library would write (sorted members, `alg`, `kid`).
fn sign(header: Value, payload: &Value, key: &KeyPair) -> String {
    a2a_auth::jose::sign_jws(&obj(header), to_compact(payload).as_bytes(), key).unwrap()
}

fn full_header(header: Value, key: &KeyPair) -> Value {
    let mut h = obj(header);
    h.insert("alg".into(), key.alg().jws_name().into());
    if let Some(kid) = key.public_jwk().kid() {
        h.entry("kid").or_insert(kid.into());
    }
    Value::Object(h)
}

/// `base` with `patch` applied: members set, or removed where the patch says `null`.
fn patched(base: &Value, patch: Value) -> Value {
    let mut c = obj(base.clone());
    for (key, v) in obj(patch) {
        if v.is_null() {
            c.remove(&key);
        } else {
            c.insert(key, v);
        }
    }
    Value::Object(c)
}

fn segment(token: &str, i: usize) -> &str {
    token.split('.').nth(i).unwrap()
}

fn replace_segment(token: &str, i: usize, new: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[i] = new;
    parts.join(".")
}

/// Flips one bit of the decoded signature.
fn tamper_signature(token: &str) -> String {
    let mut sig = b64::decode(segment(token, 2)).unwrap();
    sig[5] ^= 0x01;
    replace_segment(token, 2, &b64::encode(&sig))
}

/// Changes a canonical base64url segment's last character so that its unused trailing bits are
/// non-zero (same decoded bytes for a lenient decoder).
fn non_canonical(seg: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let unused_bits = match seg.len() % 4 {
        2 => 4,
        3 => 2,
        _ => panic!("segment length has no trailing bits"),
    };
    let last = *seg.as_bytes().last().unwrap();
    let idx = ALPHABET.iter().position(|c| *c == last).unwrap();
    assert_eq!(idx & ((1 << unused_bits) - 1), 0);
    let mut s = seg[..seg.len() - 1].to_owned();
    s.push(ALPHABET[idx | 1] as char);
    s
}

struct Case {
    id: String,
    title: String,
    input: Value,
    expect: Value,
}

fn ok(id: &str, title: &str, input: Value, out: Value) -> Case {
    Case {
        id: id.into(),
        title: title.into(),
        input,
        expect: json!({ "ok": out }),
    }
}

fn err(id: &str, title: &str, input: Value, code: &str) -> Case {
    Case {
        id: id.into(),
        title: title.into(),
        input,
        expect: json!({ "error": code }),
    }
}

/// Splits cases into those whose id starts with `prefix` and the rest.
fn split(cases: Vec<Case>, prefix: &str) -> (Vec<Case>, Vec<Case>) {
    cases.into_iter().partition(|c| c.id.starts_with(prefix))
}

fn write(dir: &Path, module: &str, op: &str, cases: &[Case]) {
    let mut ids = std::collections::BTreeSet::new();
    let mut text = format!("{{\n  \"op\": \"{module}.{op}\",\n  \"cases\": [\n");
    for (i, c) in cases.iter().enumerate() {
        assert!(ids.insert(c.id.clone()), "duplicate case id {}", c.id);
        text.push_str(&format!(
            "    {{\n      \"id\": {},\n      \"title\": {},\n      \"input\": {},\n      \"expect\": {}\n    }}{}\n",
            Value::String(c.id.clone()),
            Value::String(c.title.clone()),
            to_compact(&c.input),
            to_compact(&c.expect),
            if i + 1 < cases.len() { "," } else { "" }
        ));
    }
    text.push_str("  ]\n}\n");
    let path = dir.join(module).join(format!("{op}.json"));
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    let negative = cases
        .iter()
        .filter(|c| c.expect.get("error").is_some() || c.expect["ok"]["allow"] == json!(false))
        .count();
    println!(
        "{}: {} cases ({} negative)",
        path.display(),
        cases.len(),
        negative
    );
}

/// `cases` followed by the attack suite's forgeries of its valid case `base`.
fn with_attacks(
    mut cases: Vec<Case>,
    prefix: &'static str,
    base: &'static str,
    kind: &'static str,
    token: fn(&Value) -> String,
    none_variant: usize,
) -> Vec<Case> {
    let target = attacks::Target {
        prefix,
        base,
        kind,
        token,
    };
    let more = attacks::token_attacks(&cases, &target, none_variant);
    cases.extend(more);
    cases
}

fn main() {
    let dir: PathBuf = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "vectors".into())
        .into();
    let k = keys();
    write_fixed_keys(&dir, &k);
    write(&dir, "keys", "thumbprint", &thumbprint_cases(&k));
    write(&dir, "keys", "from-seed", &from_seed_cases());
    write(&dir, "jose", "sign-jws", &sign_cases(&k));
    write(&dir, "jose", "verify-jws", &verify_jws_cases(&k));
    write(&dir, "jose", "verify-jwt", &verify_jwt_cases(&k));
    write(&dir, "identity", "parse-workload-id", &parse_id_cases());
    write(&dir, "identity", "parse-spiffe-id", &parse_spiffe_cases());
    write(&dir, "identity", "id-matches", &id_matches_cases());
    write(&dir, "identity", "parse-bundle", &bundle_cases(&k));
    write(&dir, "identity", "parse-bundle-map", &bundle_map_cases(&k));
    write(
        &dir,
        "identity",
        "verify-workload-identity-token",
        &with_attacks(
            verify_wit_cases(&k),
            "verify-wit",
            "verify-wit/generated-spiffe-subject",
            "wit",
            |i| attacks::member(i, "token"),
            1,
        ),
    );
    write(
        &dir,
        "identity",
        "issue-workload-identity-token",
        &issue_wit_cases(&k),
    );
    write(
        &dir,
        "identity",
        "verify-jwt-svid",
        &with_attacks(
            jwt_svid_cases(&k),
            "verify-jwt-svid",
            "verify-jwt-svid/typ-jwt",
            "jwt-svid",
            |i| attacks::member(i, "token"),
            2,
        ),
    );
    write(&dir, "identity", "verify-x509-svid", &x509_svid_cases(&k));
    write(
        &dir,
        "identity",
        "issue-attested-wit",
        &attested_wit_cases(&k),
    );
    write(&dir, "identity", "renewal-time", &renewal_cases());
    write(&dir, "proof", "create-wpt", &proof::create_wpt_cases());
    write(
        &dir,
        "proof",
        "verify-wpt",
        &with_attacks(
            proof::verify_wpt_cases(&k),
            "verify-wpt",
            "verify-wpt/spec-6.3",
            "wpt",
            |i| attacks::header(i, "workload-proof-token"),
            3,
        ),
    );
    write(
        &dir,
        "proof",
        "create-dpop-proof",
        &proof::create_dpop_cases(&k),
    );
    write(
        &dir,
        "proof",
        "verify-dpop-proof",
        &with_attacks(
            proof::verify_dpop_cases(&k),
            "verify-dpop-proof",
            "verify-dpop-proof/valid-nonce",
            "dpop",
            |i| attacks::header(i, "dpop"),
            4,
        ),
    );
    write(&dir, "proof", "dpop-nonce", &proof::dpop_nonce_cases());
    write(&dir, "proof", "wpt-challenge", &proof::challenge_cases());
    write(
        &dir,
        "proof",
        "dpop-challenge",
        &proof::dpop_challenge_cases(),
    );
    write(
        &dir,
        "proof",
        "normalize-http-uri",
        &proof::normalize_cases(),
    );
    write(&dir, "proof", "replay-cache", &proof::replay_cases());
    let (more_bases, more_verifies) = httpsig::more_rfc_cases();
    let (p384_sign, p384_verify) = httpsig::p384_cases(&k);
    let mut bases = httpsig::signature_base_cases();
    bases.extend(more_bases);
    write(&dir, "httpsig", "signature-base", &bases);
    let mut verifies = httpsig::verify_cases();
    verifies.extend(more_verifies);
    verifies.extend(p384_verify);
    write(&dir, "httpsig", "verify", &verifies);
    let mut signs = httpsig::sign_cases();
    signs.extend(p384_sign);
    write(&dir, "httpsig", "sign", &signs);
    let (digest, verify_digest) = split(httpsig::digest_cases(), "content-digest/");
    write(&dir, "httpsig", "content-digest", &digest);
    write(&dir, "httpsig", "verify-content-digest", &verify_digest);
    let mut wimse = httpsig::wimse_cases(&k);
    for op in [
        "sign-wimse-request",
        "verify-wimse-request",
        "sign-wimse-response",
        "verify-wimse-response",
    ] {
        let (mine, rest) = split(wimse, &format!("{op}/"));
        write(&dir, "httpsig", op, &mine);
        wimse = rest;
    }
    assert!(wimse.is_empty());
    let mut authenticate = gate::authenticate_cases(&k);
    authenticate.extend(gate::event_cases(&k));
    authenticate.extend(gate::attack_cases(&k));
    write(&dir, "gate", "authenticate", &authenticate);
    write(&dir, "gate", "sign", &gate::sign_cases(&k));
    write(
        &dir,
        "oauth",
        "verify-access-token",
        &with_attacks(
            oauth::access_token_cases(&k),
            "verify-access-token",
            "verify-access-token/es256",
            "access-token",
            |i| attacks::member(i, "token"),
            5,
        ),
    );
    let (introspection, introspection_jwt) = oauth::introspection_cases(&k);
    write(
        &dir,
        "oauth",
        "check-introspection-response",
        &introspection,
    );
    write(
        &dir,
        "oauth",
        "verify-introspection-jwt",
        &with_attacks(
            introspection_jwt,
            "verify-introspection-jwt",
            "verify-introspection-jwt/ok",
            "introspection",
            |i| attacks::member(i, "jwt"),
            6,
        ),
    );
    write(&dir, "oauth", "plan-authorization", &oauth::plan_cases());
    for (op, cases) in oauth::discovery_cases() {
        write(&dir, "oauth", op, &cases);
    }
    let (card_signs, card_verifies) = oauth::agent_card_signature_cases(&k);
    write(&dir, "oauth", "sign-agent-card", &card_signs);
    write(&dir, "oauth", "verify-agent-card", &card_verifies);
    let (cards, cimd) = oauth::agent_card_cases();
    write(&dir, "oauth", "agent-card-requirements", &cards);
    write(&dir, "oauth", "check-client-metadata-document", &cimd);
    for (op, cases) in oauth::authzen_cases() {
        write(&dir, "oauth", op, &cases);
    }
    write(&dir, "gate", "enforce", &gate::enforce_cases(&k));
    write(
        &dir,
        "events",
        "verify-set",
        &with_attacks(
            events::verify_set_cases(),
            "verify-set",
            "verify-set/session-revoked",
            "set",
            |i| attacks::member(i, "set"),
            7,
        ),
    );
    let (push, poll) = events::receive_cases();
    write(&dir, "events", "receive-push", &push);
    write(&dir, "events", "receive-poll", &poll);
    write(
        &dir,
        "audit",
        "check-records",
        &events::check_records_cases(),
    );
    write(
        &dir,
        "oauth",
        "client-metadata-document",
        &oauth::cimd_generation_cases(),
    );
    let (pop_creates, pop_verifies) = oauth::wit_attestation_cases(&k);
    write(&dir, "oauth", "create-client-attestation-pop", &pop_creates);
    write(
        &dir,
        "oauth",
        "verify-wit-client-attestation",
        &with_attacks(
            pop_verifies,
            "verify-wit-client-attestation",
            "verify-wit-client-attestation/ok",
            "attestation-pop",
            |i| attacks::member(i, "pop"),
            8,
        ),
    );
    let (creates, verifies, spiffe, cc) = oauth::client_auth_cases(&k);
    write(&dir, "oauth", "create-client-assertion", &creates);
    write(&dir, "oauth", "verify-client-assertion", &verifies);
    write(&dir, "oauth", "verify-spiffe-client-assertion", &spiffe);
    write(&dir, "oauth", "client-credentials-request", &cc);
    let (txn_issue, txn_verify) = oauth::txn_cases();
    write(&dir, "oauth", "issue-txn-token", &txn_issue);
    write(
        &dir,
        "oauth",
        "verify-txn-token",
        &with_attacks(
            txn_verify,
            "verify-txn-token",
            "verify-txn-token/minimal-with-issuer",
            "txn-token",
            |i| attacks::member(i, "token"),
            9,
        ),
    );
    let (requests, responses, mays) = oauth::exchange_cases();
    write(&dir, "oauth", "token-exchange-request", &requests);
    write(&dir, "oauth", "parse-token-exchange-response", &responses);
    write(&dir, "oauth", "may-act", &mays);
    let (urls, docs, parses) = oauth::metadata_cases();
    write(&dir, "oauth", "metadata-url", &urls);
    write(&dir, "oauth", "resource-metadata-document", &docs);
    write(&dir, "oauth", "parse-resource-metadata", &parses);
}

const SPEC_WIT: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6Ikp1bmUgNSIsInR5cCI6IndpdCtqd3QifQ.eyJjbmYiOnsiandrIjp7ImFsZyI6IkVkRFNBIiwiY3J2IjoiRWQyNTUxOSIsImt0eSI6Ik9LUCIsIngiOiIxQ1hYdmZsTl9MVlZzSXNZWHNVdkIwM0ptbEdXZUNIcVFWdW91Q0Y5MmJnIn19LCJleHAiOjE3NDU1MTI1MTAsImlhdCI6MTc0NTUwODkxMCwianRpIjoieC1fMUNUTDJjY2EzQ1NFNGN3Yl9sIiwic3ViIjoid2ltc2U6Ly9leGFtcGxlLmNvbS9zcGVjaWZpYy13b3JrbG9hZCJ9.6KraSQUxWdl9dxFQ3Fj6dPY0Vi88OkwFwZpAIOhLeq6AbXAnLLQgOp8U9UDGcBuYF3KiNv6oKQD1ZWAzrMZOJw";
const SUBJECT: &str = "spiffe://example.org/ns/prod/sa/api";

fn cnf_jwk(k: &KeyPair) -> Value {
    let mut jwk = public(k);
    jwk.as_object_mut().unwrap().remove("kid");
    jwk
}

fn wit_claims(k: &Keys) -> Value {
    json!({"sub": SUBJECT, "iat": NOW, "exp": NOW + 3600, "jti": "wit-1", "cnf": {"jwk": cnf_jwk(&k.ed25519)}})
}

fn trust_store(k: &Keys) -> String {
    to_compact(&json!({"trust_domains": {
        "example.org": {"keys": [bundle_entry(&k.es256, "wit-svid")]},
        "other.org": {"keys": [bundle_entry(&k.es256_other, "wit-svid")]},
    }}))
}

fn verify_wit_cases(k: &Keys) -> Vec<Case> {
    let spec_anchor = json!({"keys": [
        {"use": "wit-svid", "kty": "EC", "kid": "June 5", "crv": "P-256", "x": "kXqnA2Op7hgd4zRMbw0iFcc_hDxUxhojxOFVGjE2gks", "y": "n__VndPMR021-59UAs0b9qDTFT-EZtT6xSNs_xFskLo"}]});
    let spec_store_spiffe_key = to_compact(&json!({"trust_domains": {"example.com": spec_anchor}}));
    let spec_store = to_compact(&json!({"trust_domains": {"wimse://example.com": {"keys": [
        {"use": "wit-svid", "kty": "EC", "kid": "June 5", "crv": "P-256", "x": "kXqnA2Op7hgd4zRMbw0iFcc_hDxUxhojxOFVGjE2gks", "y": "n__VndPMR021-59UAs0b9qDTFT-EZtT6xSNs_xFskLo"}]}}}));
    let store = trust_store(k);
    let input = |token: &str, store: &str, now: u64| json!({"token": token, "trust_store": store, "now": now});
    let claims = wit_claims(k);
    let header = json!({"typ": "wit+jwt"});
    let good = sign(header.clone(), &claims, &k.es256);
    let mut cases = vec![
        ok(
            "verify-wit/workload-creds-example",
            "draft-ietf-wimse-workload-creds example (specs/wimse-spiffe.md §6.2), ES256 identity server key June 5",
            input(SPEC_WIT, &spec_store, 1_745_509_800),
            json!({"subject": "wimse://example.com/specific-workload", "trust_domain": "example.com",
                "cnf_jwk": {"alg": "EdDSA", "crv": "Ed25519", "kty": "OKP", "x": "1CXXvflN_LVVsIsYXsUvB03JmlGWeCHqQVuouCF92bg"},
                "proof_alg": "EdDSA", "issuer_key_thumbprint": "-PTiuiMwpW_0dv_Y5tpXxsmMU-XmSZwUNdKRS79oyYk",
                "claims": {"cnf": {"jwk": {"alg": "EdDSA", "crv": "Ed25519", "kty": "OKP", "x": "1CXXvflN_LVVsIsYXsUvB03JmlGWeCHqQVuouCF92bg"}}, "exp": 1_745_512_510, "iat": 1_745_508_910, "jti": "x-_1CTL2cca3CSE4cwb_l", "sub": "wimse://example.com/specific-workload"}}),
        ),
        ok(
            "verify-wit/generated-spiffe-subject",
            "generated: ES256 identity server, Ed25519 workload key, SPIFFE subject",
            input(&good, &store, NOW + 10),
            json!({"subject": SUBJECT, "trust_domain": "example.org", "cnf_jwk": cnf_jwk(&k.ed25519), "proof_alg": "Ed25519",
                "issuer_key_thumbprint": thumb(&k.es256), "claims": claims}),
        ),
    ];
    let with = |patch: Value| patched(&claims, patch);
    let s = |c: &Value| sign(header.clone(), c, &k.es256);
    let mut cnf_private = cnf_jwk(&k.ed25519);
    cnf_private["d"] =
        json!(obj(serde_json::from_str(&k.ed25519.to_private_jwk_json()).unwrap())["d"].clone());
    let mut cnf_no_alg = cnf_jwk(&k.ed25519);
    cnf_no_alg.as_object_mut().unwrap().remove("alg");
    let mut cnf_none = cnf_jwk(&k.ed25519);
    cnf_none["alg"] = json!("none");
    let mut cnf_enc = cnf_jwk(&k.ed25519);
    cnf_enc["alg"] = json!("ECDH-ES");
    let mut cnf_wrong_alg = cnf_jwk(&k.ed25519);
    cnf_wrong_alg["alg"] = json!("ES256");
    let cnf_oct = json!({"kty": "oct", "alg": "HS256", "k": b64::encode(&[7u8; 32])});
    let mut cnf_off_curve = cnf_jwk(&k.es256);
    cnf_off_curve["y"] = cnf_off_curve["x"].clone();
    let no_kid_key = KeyPair::from_seed(Algorithm::Es256, &seed("es256-1", 32)).unwrap();
    let two_keys = to_compact(
        &json!({"trust_domains": {"example.org": {"keys": [bundle_entry(&k.es256, "wit-svid"), bundle_entry(&k.es256_other, "wit-svid")]}}}),
    );
    let jwt_only = to_compact(
        &json!({"trust_domains": {"example.org": {"keys": [bundle_entry(&k.es256, "jwt-svid")]}}}),
    );
    let revoked = to_compact(&json!({"trust_domains": {"example.org": {"keys": []}}}));
    let impostor = KeyPair::from_seed(Algorithm::Es256, &seed("es256-2", 32))
        .unwrap()
        .with_kid("es256-1");
    let hs = KeyPair::from_seed(Algorithm::Hs256, &seed("hs256-1", 32))
        .unwrap()
        .with_kid("es256-1");
    let t_bad = |id: &str, title: &str, token: String, store: &str, code: &str| {
        err(
            &format!("verify-wit/{id}"),
            title,
            json!({"token": token, "trust_store": store, "now": NOW + 10}),
            code,
        )
    };
    let header_raw = |h: Value| to_compact(&h).into_bytes();
    let body = to_compact(&claims).into_bytes();
    cases.extend([
        t_bad("typ-missing", "§2.4 step 3: typ wit+jwt is required", sign(json!({}), &claims, &k.es256), &store, "typ-mismatch"),
        t_bad("typ-jwt", "§2.4 step 3: typ JWT is not wit+jwt", sign(json!({"typ": "JWT"}), &claims, &k.es256), &store, "typ-mismatch"),
        t_bad("typ-wpt", "attack: a WPT presented as a WIT (typ confusion)", sign(json!({"typ": "wpt+jwt"}), &claims, &k.es256), &store, "typ-mismatch"),
        t_bad("alg-hs256", "§2.4 step 4: symmetric algorithms are never accepted for WITs", sign_raw(&header_raw(json!({"alg": "HS256", "kid": "es256-1", "typ": "wit+jwt"})), &body, &hs), &store, "alg-not-allowed"),
        t_bad("alg-none", "§2.4 step 4: alg none", format!("{}.{}.AA", b64::encode(&header_raw(json!({"alg": "none", "typ": "wit+jwt"}))), b64::encode(&body)), &store, "alg-not-allowed"),
        t_bad("crit", "§2.4 step 2: crit is not understood", sign_raw(&header_raw(json!({"alg": "ES256", "crit": ["exp"], "exp": 1, "kid": "es256-1", "typ": "wit+jwt"})), &body, &k.es256), &store, "crit-unsupported"),
        t_bad("sub-missing", "§2.1: sub is required", s(&with(json!({"sub": null}))), &store, "claim-missing"),
        t_bad("sub-number", "§2.1: sub is a string", s(&with(json!({"sub": 7}))), &store, "claim-invalid"),
        t_bad("sub-non-canonical", "§2.4 step 5 / attack A3: sub is parsed strictly", s(&with(json!({"sub": "spiffe://example.org/ns/prod/../admin"}))), &store, "invalid-identifier"),
        t_bad("sub-untrusted-trust-domain", "§2.3: the trust domain in sub must have trust anchors", s(&with(json!({"sub": "spiffe://unknown.org/x"}))), &store, "unknown-trust-domain"),
        t_bad("issuer-of-other-trust-domain", "§2.3 issuer/origin binding: example.org's key cannot assert an other.org identity", s(&with(json!({"sub": "spiffe://other.org/x"}))), &store, "key-not-found"),
        t_bad("kid-unknown", "§2.4 step 6: the kid names no anchor key", sign(json!({"typ": "wit+jwt", "kid": "nope"}), &claims, &k.es256), &store, "key-not-found"),
        t_bad("no-kid-two-keys", "§2.4 step 6: without kid, policy must leave exactly one candidate", sign(header.clone(), &claims, &no_kid_key), &two_keys, "key-not-found"),
        t_bad("jwt-svid-key-only", "WIT-SVID §6.1: only wit-svid authorities sign WITs (a jwt-svid key does not)", good.clone(), &jwt_only, "key-not-found"),
        t_bad("bundle-revoked", "SPIFFE bundle §4.2: keys [] invalidates every SVID of the trust domain", good.clone(), &revoked, "key-not-found"),
        t_bad("wrong-key-same-kid", "§2.4 step 7: signed by another key claiming the anchor's kid", sign(header.clone(), &claims, &impostor), &store, "invalid-signature"),
        t_bad("tampered-sub", "§2.4 step 7: sub changed after signing", replace_segment(&good, 1, &b64::encode(to_compact(&with(json!({"sub": "spiffe://example.org/ns/prod/sa/admin"}))).as_bytes())), &store, "invalid-signature"),
        t_bad("header-jwk-injection", "§2.3: keys never come from the token (embedded jwk)", a2a_auth::jose::sign_jws(&obj(json!({"typ": "wit+jwt", "kid": "es256-1", "jwk": public(&k.es256_other)})), &body, &k.es256_other).unwrap(), &store, "invalid-signature"),
        t_bad("header-x5u-injection", "§7.B2: keys never come from the token (x5u)", a2a_auth::jose::sign_jws(&obj(json!({"typ": "wit+jwt", "kid": "es256-1", "x5u": "https://attacker.example/cert.pem"})), &body, &k.es256_other).unwrap(), &store, "invalid-signature"),
        t_bad("header-x5c-injection", "§7.B2: keys never come from the token (x5c)", a2a_auth::jose::sign_jws(&obj(json!({"typ": "wit+jwt", "kid": "es256-1", "x5c": ["MIIBAA=="]})), &body, &k.es256_other).unwrap(), &store, "invalid-signature"),
        t_bad("cnf-alg-encryption", "§7.D3: cnf.jwk.alg is a signature algorithm, not an encryption one", s(&with(json!({"cnf": {"jwk": cnf_enc}}))), &store, "alg-not-allowed"),
        t_bad("header-jku-injection", "§2.3: keys never come from the token (jku)", a2a_auth::jose::sign_jws(&obj(json!({"typ": "wit+jwt", "kid": "es256-1", "jku": "https://attacker.example/jwks"})), &body, &k.es256_other).unwrap(), &store, "invalid-signature"),
        err("verify-wit/expired", "§2.4 step 8: exp passed (plus 60 s leeway)", json!({"token": good.clone(), "trust_store": store.clone(), "now": NOW + 3600 + 60}), "token-expired"),
        t_bad("exp-missing", "§2.1: exp is required", s(&with(json!({"exp": null}))), &store, "claim-missing"),
        t_bad("nbf-future", "§2.1 / WIT-SVID: nbf is honoured", s(&with(json!({"nbf": NOW + 1000}))), &store, "token-not-yet-valid"),
        t_bad("lifetime-too-long", "§2.4 step 9: exp - iat above the 24 h maximum", s(&with(json!({"exp": NOW + 25 * 3600}))), &store, "claim-invalid"),
        t_bad("cnf-missing", "§2.1: cnf is required", s(&with(json!({"cnf": null}))), &store, "claim-missing"),
        t_bad("cnf-not-object", "RFC 7800 §3.1: cnf is an object", s(&with(json!({"cnf": "key"}))), &store, "claim-invalid"),
        t_bad("cnf-without-jwk", "§2.1: cnf.jwk is required", s(&with(json!({"cnf": {"jkt": thumb(&k.ed25519)}}))), &store, "claim-invalid"),
        t_bad("cnf-private-key", "§2.4 step 10: cnf.jwk must be public (d present)", s(&with(json!({"cnf": {"jwk": cnf_private}}))), &store, "claim-invalid"),
        t_bad("cnf-no-alg", "§2.1: cnf.jwk.alg is required", s(&with(json!({"cnf": {"jwk": cnf_no_alg}}))), &store, "claim-invalid"),
        t_bad("cnf-alg-none", "§2.1: cnf.jwk.alg must not be none", s(&with(json!({"cnf": {"jwk": cnf_none}}))), &store, "alg-not-allowed"),
        t_bad("cnf-symmetric", "§2.1 / §2.4 step 10: cnf.jwk must be a public asymmetric key (an oct key carries its secret k)", s(&with(json!({"cnf": {"jwk": cnf_oct}}))), &store, "claim-invalid"),
        t_bad("cnf-alg-key-mismatch", "§2.4 step 10: cnf.jwk kty/crv must fit its alg (Ed25519 key, ES256)", s(&with(json!({"cnf": {"jwk": cnf_wrong_alg}}))), &store, "key-mismatch"),
        t_bad("cnf-off-curve", "RFC 8725 §3.4: the confirmation key must be a valid point", s(&with(json!({"cnf": {"jwk": cnf_off_curve}}))), &store, "claim-invalid"),
        err("verify-wit/workload-creds-example-spiffe-anchor", "§7.B1 cross-scheme: the §6.2 key held for the SPIFFE trust domain example.com cannot vouch for wimse://example.com/...",
            input(SPEC_WIT, &spec_store_spiffe_key, 1_745_509_800), "unknown-trust-domain"),
        t_bad("cross-scheme-spiffe-anchor-wimse-sub", "§7.B1 cross-scheme: an issuer trusted for spiffe://example.org signs wimse://example.org/...",
            s(&with(json!({"sub": "wimse://example.org/ns/prod/sa/api"}))), &store, "unknown-trust-domain"),
        t_bad("cross-scheme-wimse-anchor-spiffe-sub", "§7.B1 cross-scheme: an issuer trusted for wimse://example.org signs spiffe://example.org/...",
            good.clone(), &to_compact(&json!({"trust_domains": {"wimse://example.org": {"keys": [bundle_entry(&k.es256, "wit-svid")]}}})), "unknown-trust-domain"),
        t_bad("cross-authority", "§7.B1 cross-authority: an issuer trusted for wimse://dev.example signs wimse://prod.example/...",
            s(&with(json!({"sub": "wimse://prod.example/service/pay"}))), &to_compact(&json!({"trust_domains": {"wimse://dev.example": {"keys": [bundle_entry(&k.es256, "wit-svid")]}, "wimse://prod.example": {"keys": [bundle_entry(&k.es256_other, "wit-svid")]}}})), "key-not-found"),
        t_bad("jwe", "§2.4 step 1: an encrypted token is not a WIT", format!("{}.AA.AA.AA.AA", segment(&good, 0)), &store, "jwe-unsupported"),
    ]);
    // WIMSE mode accepts what the WIT-SVID profile refuses below (contrast cases).
    let single = to_compact(
        &json!({"trust_domains": {"example.org": {"keys": [bundle_entry(&k.es256, "wit-svid")]}}}),
    );
    let no_kid = sign(header.clone(), &claims, &no_kid_key);
    let wimse_ok = json!({"subject": SUBJECT, "trust_domain": "example.org", "cnf_jwk": cnf_jwk(&k.ed25519), "proof_alg": "Ed25519",
        "issuer_key_thumbprint": thumb(&k.es256), "claims": claims});
    cases.push(ok(
        "verify-wit/no-kid-single-key",
        "§2.4 step 6: without kid, a single candidate key is unambiguous (WIMSE)",
        input(&no_kid, &single, NOW + 10),
        wimse_ok.clone(),
    ));
    let app_typ = sign(json!({"typ": "application/wit+jwt"}), &claims, &k.es256);
    cases.push(ok(
        "verify-wit/typ-media-type",
        "RFC 7515 §4.1.9: application/wit+jwt names wit+jwt (WIMSE)",
        input(&app_typ, &store, NOW + 10),
        wimse_ok,
    ));
    // The SPIFFE WIT-SVID profile (specs §2.6).
    let svid = |token: &str, store: &str, now: u64| json!({"token": token, "trust_store": store, "now": now, "profile": "wit-svid"});
    let svid_claims = json!({"sub": SUBJECT, "iat": NOW, "exp": NOW + 3600, "jti": "svid-1", "cnf": {"jwk": cnf_jwk(&k.es256_other)}});
    let svid_token = sign(header.clone(), &svid_claims, &k.es256);
    cases.push(ok("verify-wit-svid/valid", "WIT-SVID.md §3: kid, typ wit+jwt, SPIFFE sub, ES256 header and cnf algorithms, no aud",
        svid(&svid_token, &store, NOW + 10),
        json!({"subject": SUBJECT, "trust_domain": "example.org", "cnf_jwk": cnf_jwk(&k.es256_other), "proof_alg": "ES256",
            "issuer_key_thumbprint": thumb(&k.es256), "claims": svid_claims})));
    let appendix_store = to_compact(&json!({"trust_domains": {"example.com": {"keys": [
        {"use": "wit-svid", "kty": "EC", "crv": "P-256", "kid": "lQSi3hZFnda2D-XJkj1zl7foJouiwI4nrAyhy4jZiJg", "x": public(&k.es256)["x"], "y": public(&k.es256)["y"]}]}}}));
    let appendix = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImxRU2kzaFpGbmRhMkQtWEprajF6bDdmb0pvdWl3STRuckF5aHk0alppSmciLCJ0eXAiOiJ3aXQrand0In0.eyJjbmYiOnsiandrIjp7ImFsZyI6IkVTMjU2IiwiY3J2IjoiUC0yNTYiLCJrdHkiOiJFQyIsIngiOiJyelA3bUxDS0FIV21zTTZYMEV3VklTQ19oSTN1amN1OTVmZlVreWVER0dvIiwieSI6InVPcmZEbGp0WDltM2pZLWhzeWhMSllheHRHa3pEdjVlNWttQ2U1OFo5N2cifX0sImV4cCI6MTc2NTQ1NjUwMywiaWF0IjoxNzY1NDUyOTAzLCJqdGkiOiIxeWoxOVY0TWNPQXpNY0ZpN3F2c2dfQWdDeGxyWTVFX3g1MDl3bEtLUXRjIiwic3ViIjoic3BpZmZlOi8vZXhhbXBsZS5jb20vbXktd29ya2xvYWQifQ.sfhEvZNdY_kWrICF08lX0u__rn39YnTavnW-VPBS20zgowDh6-X43v5eOUKZbjZf06yLBQM-Mry5w1g1QFsCkg";
    let svid_bad = |id: &str, title: &str, i: Value, code: &str| {
        err(&format!("verify-wit-svid/{id}"), title, i, code)
    };
    let ed_issuer = KeyPair::from_seed(Algorithm::Ed25519, &seed("ed25519-1", 32))
        .unwrap()
        .with_kid("ed25519-1");
    let ed_store = to_compact(
        &json!({"trust_domains": {"example.org": {"keys": [bundle_entry(&ed_issuer, "wit-svid")]}}}),
    );
    cases.extend([
        svid_bad("appendix-a-unpublished-key", "WIT-SVID.md Appendix A: every profile check passes; the issuer key was never published, so the signature cannot verify",
            svid(appendix, &appendix_store, 1_765_453_000), "invalid-signature"),
        svid_bad("wimse-wit-is-not-a-wit-svid", "specs §6.7 cross-check: the §6.2 WIMSE WIT has a wimse:// sub (and an EdDSA cnf)",
            svid(SPEC_WIT, &spec_store, 1_745_509_800), "invalid-identifier"),
        svid_bad("typ-media-type", "WIT-SVID.md §3: typ is exactly wit+jwt", svid(&sign(json!({"typ": "application/wit+jwt"}), &svid_claims, &k.es256), &store, NOW + 10), "typ-mismatch"),
        svid_bad("kid-missing", "WIT-SVID.md §3: kid is required, even with one key", svid(&sign(header.clone(), &svid_claims, &no_kid_key), &single, NOW + 10), "key-not-found"),
        svid_bad("header-alg-eddsa", "WIT-SVID.md §3: EdDSA/Ed25519 are not on the WIT-SVID algorithm list", svid(&sign(header.clone(), &svid_claims, &ed_issuer), &ed_store, NOW + 10), "alg-not-allowed"),
        svid_bad("cnf-alg-ed25519", "WIT-SVID.md §3: cnf.jwk.alg from the same list", svid(&sign(header.clone(), &claims, &k.es256), &store, NOW + 10), "alg-not-allowed"),
        svid_bad("aud-present", "WIT-SVID.md §3: aud must not be included", svid(&sign(header.clone(), &patched(&svid_claims, json!({"aud": "https://tools.example.com"})), &k.es256), &store, NOW + 10), "claim-invalid"),
    ]);
    cases
}

fn issue_wit_cases(k: &Keys) -> Vec<Case> {
    let private = |kp: &KeyPair| serde_json::from_str::<Value>(&kp.to_private_jwk_json()).unwrap();
    let input = |subject: &str, cnf: Value, lifetime: u64, issuer_key: Value| json!({"issuer_key": issuer_key, "subject": subject, "cnf_jwk": cnf, "now": NOW, "lifetime": lifetime, "jti": "wit-1"});
    // The expected token is what the identity server must produce: the claims of wit_claims(),
    // sorted, signed deterministically (RFC 6979) with the es256-1 key.
    let token = sign(json!({"typ": "wit+jwt"}), &wit_claims(k), &k.es256);
    let mut no_alg = cnf_jwk(&k.ed25519);
    no_alg.as_object_mut().unwrap().remove("alg");
    let bad = |id: &str, title: &str, i: Value, code: &str| {
        err(&format!("issue-wit/{id}"), title, i, code)
    };
    vec![
        ok(
            "issue-wit/es256-issuer-ed25519-workload",
            "draft-ietf-wimse-workload-creds §3: typ wit+jwt, sub, iat, exp, jti, cnf.jwk with alg; deterministic ES256",
            input(SUBJECT, cnf_jwk(&k.ed25519), 3600, private(&k.es256)),
            json!({"token": token}),
        ),
        bad(
            "cnf-without-alg",
            "§2.1: cnf.jwk.alg is required",
            input(SUBJECT, no_alg, 3600, private(&k.es256)),
            "invalid-argument",
        ),
        bad(
            "cnf-symmetric",
            "§2.1: the confirmation key is asymmetric",
            input(
                SUBJECT,
                json!({"kty": "oct", "alg": "HS256", "k": b64::encode(&[7u8; 32])}),
                3600,
                private(&k.es256),
            ),
            "invalid-argument",
        ),
        bad(
            "subject-non-canonical",
            "§1: identity servers emit canonical identifiers only",
            input(
                "spiffe://Example.org/x",
                cnf_jwk(&k.ed25519),
                3600,
                private(&k.es256),
            ),
            "invalid-identifier",
        ),
        bad(
            "lifetime-zero",
            "generated: a WIT needs a positive lifetime",
            input(SUBJECT, cnf_jwk(&k.ed25519), 0, private(&k.es256)),
            "invalid-argument",
        ),
        bad(
            "hmac-issuer-key",
            "§2.1: WITs are signed with an asymmetric algorithm",
            input(SUBJECT, cnf_jwk(&k.ed25519), 3600, private(&k.hs256)),
            "alg-not-allowed",
        ),
    ]
}

/// specs/wimse-spiffe.md §6.8 (go-spiffe spiffebundle_valid_with_wit.json): one X.509 authority,
/// two JWT and two WIT authorities, refresh 60, sequence 1.
const GO_SPIFFE_BUNDLE: &str = r#"{"keys":[
 {"use":"x509-svid","kty":"EC","crv":"P-384","x":"WjB-nSGSxIYiznb84xu5WGDZj80nL7W1c3zf48Why0ma7Y7mCBKzfQkrgDguI4j0","y":"Z-0_tDH_r8gtOtLLrIpuMwWHoe4vbVBFte1vj6Xt6WeE8lXwcCvLs_mcmvPqVK9j","x5c":["MIIBzDCCAVOgAwIBAgIJAJM4DhRH0vmuMAoGCCqGSM49BAMEMB4xCzAJBgNVBAYTAlVTMQ8wDQYDVQQKDAZTUElGRkUwHhcNMTgwNTEzMTkzMzQ3WhcNMjMwNTEyMTkzMzQ3WjAeMQswCQYDVQQGEwJVUzEPMA0GA1UECgwGU1BJRkZFMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEWjB+nSGSxIYiznb84xu5WGDZj80nL7W1c3zf48Why0ma7Y7mCBKzfQkrgDguI4j0Z+0/tDH/r8gtOtLLrIpuMwWHoe4vbVBFte1vj6Xt6WeE8lXwcCvLs/mcmvPqVK9jo10wWzAdBgNVHQ4EFgQUh6XzV6LwNazA+GTEVOdu07o5yOgwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwGQYDVR0RBBIwEIYOc3BpZmZlOi8vbG9jYWwwCgYIKoZIzj0EAwQDZwAwZAIwE4Me13qMC9i6Fkx0h26y09QZIbuRqA9puLg9AeeAAyo5tBzRl1YL0KNEp02VKSYJAjBdeJvqjJ9wW55OGj1JQwDFD7kWeEB6oMlwPbI/5hEY3azJi16I0uN1JSYTSWGSqWc="]},
 {"use":"jwt-svid","kty":"EC","kid":"IRsID4VIM3T11TsK43Ny1DgCD5UNWhva","crv":"P-256","x":"64Mm92hnvqSdLxl6XQVu32-3rydodal1S8JgGYg5AGk","y":"x5hVyA9Z4OgQxpvkhTXwNsZACk1jz1xyuTDr6JdH3R0"},
 {"use":"jwt-svid","kty":"EC","kid":"qjwWkiMpkHzIxsSrAsLxSZ2WZ8AyMESx","crv":"P-256","x":"mLo0vBg7xWrcSOEhWpSmrcoVpZRBGoDDxwNJQugFzR4","y":"7Kb3afZVERcOBWHOTWwTJLTwWX4913TSxeoTU9A0hYQ"},
 {"use":"wit-svid","kty":"EC","kid":"uNhqAaPI7NDn7IHOsa2ac1BF4O5qGxjZ","crv":"P-256","x":"pm3pJKQjBVx7x1h_dbNVCoHoXZuTwD5EAS2DjcUNsTY","y":"jAe4nHFq0Jtr4ugIz500GfjjMfCfupIoWcPnwVWnpJc"},
 {"use":"wit-svid","kty":"EC","kid":"y3UHKFp0WqPpG7gVr3FKieiEzwH8fTMm","crv":"P-256","x":"SttM6EWWCPBRYDqGKIAqVbCcelCIJE9VBqj-uX4sgwE","y":"4jVOkUVM-lA9GYNU8_GX5Us5fjNR_f9Hcaj7PGkgZDo"}],
 "spiffe_refresh_hint":60,"spiffe_sequence":1}"#;

fn bundle_entry(k: &KeyPair, use_: &str) -> Value {
    let mut jwk = public(k);
    jwk["use"] = json!(use_);
    jwk.as_object_mut().unwrap().remove("alg");
    jwk
}

fn bundle_cases(k: &Keys) -> Vec<Case> {
    use base64::Engine as _;
    let doc: Value = serde_json::from_str(GO_SPIFFE_BUNDLE).unwrap();
    let cert = doc["keys"][0]["x5c"][0].as_str().unwrap();
    let der = base64::engine::general_purpose::STANDARD
        .decode(cert)
        .unwrap();
    let x509_tp = b64::encode(&sha256(&der));
    let info = |td: &str,
                seq: Value,
                hint: u64,
                jwt: Value,
                wit: Value,
                x509: Value,
                skipped: u64| {
        json!({"trust_domain": td, "sequence": seq, "refresh_hint": hint, "jwt_kids": jwt, "wit_kids": wit, "x509_thumbprints": x509, "skipped": skipped})
    };
    let input =
        |td: &str, bundle: &Value| json!({"trust_domain": td, "bundle": to_compact(bundle)});
    let jwt_entry = bundle_entry(&k.es256, "jwt-svid");
    let wit_entry = bundle_entry(&k.ed25519, "wit-svid");
    let mut cases = vec![
        ok(
            "parse-bundle/go-spiffe-all-three-uses",
            "specs/wimse-spiffe.md §6.8 (go-spiffe testdata): 1 X.509, 2 JWT, 2 WIT authorities, refresh 60, sequence 1",
            json!({"trust_domain": "local", "bundle": GO_SPIFFE_BUNDLE}),
            info(
                "local",
                json!(1),
                60,
                json!([
                    "IRsID4VIM3T11TsK43Ny1DgCD5UNWhva",
                    "qjwWkiMpkHzIxsSrAsLxSZ2WZ8AyMESx"
                ]),
                json!([
                    "uNhqAaPI7NDn7IHOsa2ac1BF4O5qGxjZ",
                    "y3UHKFp0WqPpG7gVr3FKieiEzwH8fTMm"
                ]),
                json!([x509_tp]),
                0,
            ),
        ),
        ok(
            "parse-bundle/empty-keys-revokes-all",
            "SPIFFE bundle §4.2: keys [] is valid and means every SVID of the trust domain is invalid",
            input("example.org", &json!({"keys": []})),
            info(
                "example.org",
                json!(null),
                300,
                json!([]),
                json!([]),
                json!([]),
                0,
            ),
        ),
        ok(
            "parse-bundle/no-use-skipped",
            "SPIFFE bundle §4.2: an entry without use is ignored",
            input(
                "example.org",
                &json!({"keys": [public(&k.es256), jwt_entry]}),
            ),
            info(
                "example.org",
                json!(null),
                300,
                json!(["es256-1"]),
                json!([]),
                json!([]),
                1,
            ),
        ),
        ok(
            "parse-bundle/unknown-use-skipped",
            "SPIFFE bundle §4.2: an unknown use is ignored",
            input(
                "example.org",
                &json!({"keys": [bundle_entry(&k.es256_other, "sig"), wit_entry]}),
            ),
            info(
                "example.org",
                json!(null),
                300,
                json!([]),
                json!(["ed25519-1"]),
                json!([]),
                1,
            ),
        ),
        ok(
            "parse-bundle/unknown-kty-skipped",
            "SPIFFE bundle §4.2: an unknown kty is ignored",
            input(
                "example.org",
                &json!({"keys": [{"use": "jwt-svid", "kty": "XYZ", "kid": "k9"}], "spiffe_sequence": 7, "spiffe_refresh_hint": 30}),
            ),
            info(
                "example.org",
                json!(7),
                30,
                json!([]),
                json!([]),
                json!([]),
                1,
            ),
        ),
        ok(
            "parse-bundle/x509-without-x5c-skipped",
            "SPIFFE bundle §4.2.1: an x509-svid entry without x5c is ignored",
            input(
                "example.org",
                &json!({"keys": [{"use": "x509-svid", "kty": "EC", "crv": "P-256", "x": public(&k.es256)["x"], "y": public(&k.es256)["y"]}]}),
            ),
            info(
                "example.org",
                json!(null),
                300,
                json!([]),
                json!([]),
                json!([]),
                1,
            ),
        ),
    ];
    let mut no_kid = bundle_entry(&k.es256, "jwt-svid");
    no_kid.as_object_mut().unwrap().remove("kid");
    let mut wit_same_kid = bundle_entry(&k.ed25519, "wit-svid");
    wit_same_kid["kid"] = json!("es256-1");
    let bad = |id: &str, title: &str, inp: Value, code: &str| {
        err(&format!("parse-bundle/{id}"), title, inp, code)
    };
    cases.extend([
        bad("keys-missing", "SPIFFE bundle §4.1: keys must be present", input("example.org", &json!({"spiffe_sequence": 1})), "invalid-bundle"),
        bad("keys-not-array", "SPIFFE bundle §4.1: keys is an array", input("example.org", &json!({"keys": {}})), "invalid-bundle"),
        bad("jwt-svid-without-kid", "SPIFFE bundle §4.2.2: jwt-svid entries need a kid", input("example.org", &json!({"keys": [no_kid]})), "invalid-bundle"),
        bad("kid-shared-by-jwt-and-wit", "WIT-SVID §6.1: a kid is unique across the bundle", input("example.org", &json!({"keys": [bundle_entry(&k.es256, "jwt-svid"), wit_same_kid]})), "invalid-bundle"),
        bad("x509-with-kid", "SPIFFE bundle §4.2.1: x509-svid entries must not carry kid", input("example.org", &json!({"keys": [{"use": "x509-svid", "kty": "EC", "kid": "k", "x5c": [cert]}]})), "invalid-bundle"),
        bad("x5c-not-base64", "SPIFFE bundle §4.2.1: x5c is base64 DER", input("example.org", &json!({"keys": [{"use": "x509-svid", "kty": "EC", "x5c": ["not base64!"]}]})), "invalid-bundle"),
        bad("sequence-string", "SPIFFE bundle §4.1: spiffe_sequence is an integer", input("example.org", &json!({"keys": [], "spiffe_sequence": "1"})), "invalid-bundle"),
        bad("refresh-hint-negative", "SPIFFE bundle §4.1: spiffe_refresh_hint is a non-negative integer", input("example.org", &json!({"keys": [], "spiffe_refresh_hint": -5})), "invalid-bundle"),
        bad("trust-domain-uppercase", "attack A2: bundles are stored under canonical trust domain names", input("Example.org", &json!({"keys": []})), "invalid-identifier"),
        bad("trust-domain-with-path", "SPIFFE bundle §4: a bundle is for a trust domain, not an identifier", input("example.org/ns", &json!({"keys": []})), "invalid-identifier"),
        err("parse-bundle/duplicate-keys-member", "RFC 7517 §5 + strict JSON: duplicate keys members", json!({"trust_domain": "example.org", "bundle": r#"{"keys":[],"keys":[{"kty":"EC"}]}"#}), "duplicate-json-member"),
    ]);
    cases
}

fn bundle_map_cases(k: &Keys) -> Vec<Case> {
    let one = to_compact(&json!({"keys": [bundle_entry(&k.es256, "jwt-svid")]}));
    let bad = |id: &str, title: &str, map: String, code: &str| {
        err(
            &format!("parse-bundle-map/{id}"),
            title,
            json!({"map": map}),
            code,
        )
    };
    vec![
        ok(
            "parse-bundle-map/two-trust-domains",
            "SPIFFE bundle §4.5: a bundle map holds one bundle per trust domain",
            json!({"map": format!(r#"{{"trust_domains":{{"prod.example":{one},"dev.example":{{"keys":[]}}}}}}"#)}),
            json!({"trust_domains": ["dev.example", "prod.example"]}),
        ),
        ok(
            "parse-bundle-map/spiffe-and-wimse-origins",
            "§7.B1: anchors are keyed by (scheme, trust domain); example.org and wimse://example.org are distinct",
            json!({"map": format!(r#"{{"trust_domains":{{"example.org":{one},"wimse://example.org":{{"keys":[]}}}}}}"#)}),
            json!({"trust_domains": ["example.org", "wimse://example.org"]}),
        ),
        ok(
            "parse-bundle-map/empty",
            "SPIFFE bundle §4.5: trust_domains may be empty",
            json!({"map": r#"{"trust_domains":{}}"#}),
            json!({"trust_domains": []}),
        ),
        bad(
            "duplicate-trust-domain",
            "SPIFFE bundle §4.5: duplicate trust domains are rejected",
            format!(r#"{{"trust_domains":{{"example.org":{one},"example.org":{{"keys":[]}}}}}}"#),
            "duplicate-json-member",
        ),
        bad(
            "trust-domains-missing",
            "SPIFFE bundle §4.5: trust_domains must be present",
            r#"{"bundles":{}}"#.into(),
            "invalid-bundle",
        ),
        bad(
            "bundle-invalid",
            "SPIFFE bundle §4.5: the map is loaded whole; one invalid bundle fails it",
            r#"{"trust_domains":{"a.example":{"keys":[]},"b.example":{"spiffe_sequence":1}}}"#
                .into(),
            "invalid-bundle",
        ),
        bad(
            "trust-domain-not-canonical",
            "attack A2: trust domain names are canonical",
            r#"{"trust_domains":{"A.example":{"keys":[]}}}"#.into(),
            "invalid-identifier",
        ),
        bad(
            "wimse-trust-domain-not-canonical",
            "attack A2/A10: a WIMSE trust domain key is canonical too (no uppercase, no port)",
            r#"{"trust_domains":{"wimse://example.com:443":{"keys":[]}}}"#.into(),
            "invalid-identifier",
        ),
        bad(
            "spiffe-scheme-prefix",
            "SPIFFE bundle §4.5: SPIFFE trust domains are bare names, never spiffe://...",
            r#"{"trust_domains":{"spiffe://example.org":{"keys":[]}}}"#.into(),
            "invalid-identifier",
        ),
    ]
}

fn parsed(scheme: &str, td: &str, path: &str) -> Value {
    let origin = format!("{scheme}://{td}");
    json!({"id": format!("{origin}{path}"), "scheme": scheme, "trust_domain": td, "path": path, "origin": origin})
}

/// specs/wimse-spiffe.md §1.4 identifier test table (strict canonical mode) and §7.A.
fn parse_id_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (id, scheme, td, path, title) in [
        (
            "spiffe-workload",
            "spiffe",
            "example.org",
            "/workload/api",
            "SPIFFE-ID.md §2: trust domain and path",
        ),
        (
            "spiffe-k8s",
            "spiffe",
            "prod.trust.domain",
            "/ns/prod-01/sa/foo-service",
            "SPIFFE-ID.md §2: a Kubernetes-style path",
        ),
        (
            "spiffe-uppercase-path",
            "spiffe",
            "example.org",
            "/Foo_Bar-1.2",
            "SPIFFE-ID.md §2.2: uppercase is allowed in the path",
        ),
        (
            "spiffe-trust-domain-id",
            "spiffe",
            "example.org",
            "",
            "SPIFFE-ID.md §2.2: the path may be empty (the trust domain's own ID)",
        ),
        (
            "spiffe-ipv4-trust-domain",
            "spiffe",
            "127.0.0.1",
            "/x",
            "SPIFFE-ID.md §2.1: a dotted quad passes the character rules (policy decides)",
        ),
        (
            "wimse-service",
            "wimse",
            "trust.example.com",
            "/service/payment",
            "draft-ietf-wimse-identifier §4: wimse identifier",
        ),
        (
            "wimse-uuid",
            "wimse",
            "prod.corp.example",
            "/workload/89a6ec51-f877-44c0-9501-b213597f2d1d",
            "draft-ietf-wimse-identifier §4: uuid path",
        ),
        (
            "wimse-tilde",
            "wimse",
            "trust.example",
            "/A~b",
            "draft-ietf-wimse-identifier editor's copy: ~ is unreserved in wimse paths",
        ),
    ] {
        cases.push(ok(
            &format!("parse-workload-id/{id}"),
            title,
            json!({"id": format!("{scheme}://{td}{path}")}),
            parsed(scheme, td, path),
        ));
    }
    let long_path = format!("/{}", "a".repeat(2048 - "spiffe://example.org/".len() + 1));
    let max_path = format!("/{}", "a".repeat(2048 - "spiffe://example.org/".len()));
    cases.push(ok(
        "parse-workload-id/spiffe-2048-bytes",
        "SPIFFE-ID.md §2.3: 2048 bytes are supported",
        json!({"id": format!("spiffe://example.org{max_path}")}),
        parsed("spiffe", "example.org", &max_path),
    ));
    let long_td = format!("{}.org", "a".repeat(252));
    for (id, input, title) in [
        (
            "uppercase-scheme",
            "SPIFFE://example.org/x".to_owned(),
            "SPIFFE-ID.md §2 / go-spiffe: the prefix is exactly spiffe://",
        ),
        (
            "uppercase-trust-domain",
            "spiffe://Example.org/x".into(),
            "attack A2: uppercase trust domain (case collision)",
        ),
        (
            "empty-trust-domain",
            "spiffe:///x".into(),
            "SPIFFE-ID.md §2.1: the trust domain must not be empty",
        ),
        (
            "no-authority",
            "spiffe:example.org/x".into(),
            "SPIFFE-ID.md §2: spiffe:// with an authority",
        ),
        (
            "userinfo",
            "spiffe://user@example.org/x".into(),
            "SPIFFE-ID.md §2.1: no userinfo",
        ),
        (
            "port",
            "spiffe://example.org:8443/x".into(),
            "SPIFFE-ID.md §2.1: no port",
        ),
        (
            "ipv6",
            "spiffe://[::1]/x".into(),
            "SPIFFE-ID.md §2.1: IPv6 literals fail the character rules",
        ),
        (
            "query",
            "spiffe://example.org/x?y=1".into(),
            "SPIFFE-ID.md §2: no query",
        ),
        (
            "fragment",
            "spiffe://example.org/x#f".into(),
            "SPIFFE-ID.md §2: no fragment",
        ),
        (
            "root-trailing-slash",
            "spiffe://example.org/".into(),
            "attack A4: trailing slash",
        ),
        (
            "trailing-slash",
            "spiffe://example.org/x/".into(),
            "attack A4: trailing slash",
        ),
        (
            "empty-segment",
            "spiffe://example.org//x".into(),
            "attack A4: empty segment",
        ),
        (
            "dot-dot-segment",
            "spiffe://example.org/a/../b".into(),
            "attack A3: dot segment escape",
        ),
        (
            "dot-segment",
            "spiffe://example.org/./a".into(),
            "attack A3: dot segment",
        ),
        (
            "percent-path",
            "spiffe://example.org/%41".into(),
            "attack A1: percent-encoding in the path",
        ),
        (
            "percent-trust-domain",
            "spiffe://exa%6Dple.org/x".into(),
            "attack A1: percent-encoding in the trust domain",
        ),
        (
            "spiffe-tilde",
            "spiffe://example.org/a~b".into(),
            "SPIFFE-ID.md §2.2: ~ is not in the SPIFFE path charset",
        ),
        (
            "space",
            "spiffe://example.org/a b".into(),
            "SPIFFE-ID.md §2.2: no spaces",
        ),
        (
            "non-ascii",
            "spiffe://example.org/\u{e9}".to_owned(),
            "draft-ietf-wimse-identifier §4.1: ASCII only",
        ),
        (
            "too-long",
            format!("spiffe://example.org{long_path}"),
            "SPIFFE-ID.md §2.3: longer than 2048 bytes",
        ),
        (
            "trust-domain-too-long",
            format!("spiffe://{long_td}/x"),
            "SPIFFE-ID.md §2.1: trust domain longer than 255 bytes",
        ),
        (
            "wimse-no-path",
            "wimse://trust.example.com".into(),
            "identifier editor's copy §4.2: wimse needs a path",
        ),
        (
            "wimse-trailing-dot",
            "wimse://trust.example.com./x".into(),
            "identifier editor's copy §4.2: trust domain must not end with a dot",
        ),
        (
            "wimse-percent",
            "wimse://trust.example/service/%70ayment".into(),
            "attack A1: a second spelling of /service/payment",
        ),
        (
            "wimse-encoded-slash",
            "wimse://example.org/a%2Fb".into(),
            "identifier editor's copy §4.2: percent-encoded / (accepted by -03, rejected now)",
        ),
        (
            "wimse-encoded-dots",
            "wimse://trust.example/service/pay/%2e%2e/admin".into(),
            "attack A3: encoded dot segment",
        ),
        (
            "wimse-sub-delim",
            "wimse://example.org/a!b".into(),
            "identifier editor's copy §4.2: sub-delims are not unreserved",
        ),
        (
            "wimse-uppercase-scheme",
            "WIMSE://trust.example/x".into(),
            "identifier editor's copy §4.2: the prefix is lowercase",
        ),
        (
            "unknown-scheme",
            "https://example.org/x".into(),
            "draft-ietf-wimse-identifier §4: only spiffe and wimse are known",
        ),
        ("empty", String::new(), "generated: empty input"),
    ] {
        cases.push(err(
            &format!("parse-workload-id/{id}"),
            title,
            json!({"id": input}),
            "invalid-identifier",
        ));
    }
    cases
}

fn parse_spiffe_cases() -> Vec<Case> {
    vec![
        ok(
            "parse-spiffe-id/workload",
            "SPIFFE-ID.md §2",
            json!({"id": "spiffe://example.org/workload/api"}),
            parsed("spiffe", "example.org", "/workload/api"),
        ),
        err(
            "parse-spiffe-id/wimse-refused",
            "SPIFFE-ID.md §2: the scheme must be spiffe",
            json!({"id": "wimse://trust.example.com/service/payment"}),
            "invalid-identifier",
        ),
        err(
            "parse-spiffe-id/uppercase-trust-domain",
            "attack A2: uppercase trust domain",
            json!({"id": "spiffe://EXAMPLE.org/x"}),
            "invalid-identifier",
        ),
    ]
}

fn id_matches_cases() -> Vec<Case> {
    let m = |id: &str, title: &str, pattern: &str, candidate: &str, expect: bool| {
        ok(
            &format!("id-matches/{id}"),
            title,
            json!({"pattern": pattern, "id": candidate}),
            json!({"matches": expect}),
        )
    };
    let e = |id: &str, title: &str, pattern: &str, candidate: &str| {
        err(
            &format!("id-matches/{id}"),
            title,
            json!({"pattern": pattern, "id": candidate}),
            "invalid-identifier",
        )
    };
    vec![
        m(
            "exact",
            "identifier §4.1: compare the complete URI",
            "spiffe://example.org/ns/a/sa/api",
            "spiffe://example.org/ns/a/sa/api",
            true,
        ),
        m(
            "exact-other-path",
            "identifier §4.1: a different path is a different workload",
            "spiffe://example.org/ns/a/sa/api",
            "spiffe://example.org/ns/a/sa/web",
            false,
        ),
        m(
            "exact-other-trust-domain",
            "identifier §4.1: equal paths under different trust domains differ",
            "spiffe://example.org/ns/a/sa/api",
            "spiffe://other.org/ns/a/sa/api",
            false,
        ),
        m(
            "exact-other-scheme",
            "identifier §4.1: spiffe and wimse identifiers never compare equal",
            "spiffe://example.org/x",
            "wimse://example.org/x",
            false,
        ),
        m(
            "below-descendant",
            "attack list A8 (explicit opt-in): a descendant by whole segments",
            "wimse://trust.example/service/pay/*",
            "wimse://trust.example/service/pay/worker",
            true,
        ),
        m(
            "below-deep-descendant",
            "generated: descendants at any depth",
            "wimse://trust.example/service/pay/*",
            "wimse://trust.example/service/pay/eu/worker-1",
            true,
        ),
        m(
            "below-sibling-suffix",
            "attack A5: /service/payroll-attacker is not below /service/pay",
            "wimse://trust.example/service/pay/*",
            "wimse://trust.example/service/payroll-attacker",
            false,
        ),
        m(
            "below-origin-substitution",
            "attack A6: same path under the attacker's trust domain",
            "wimse://trust.example/service/pay/*",
            "wimse://attacker.example/service/pay/worker",
            false,
        ),
        m(
            "below-not-itself",
            "generated: /* matches strictly below, not the base itself",
            "wimse://trust.example/service/pay/*",
            "wimse://trust.example/service/pay",
            false,
        ),
        m(
            "trust-domain-grant",
            "attack A7: an origin-wide grant written out explicitly",
            "spiffe://example.org/**",
            "spiffe://example.org/anything/here",
            true,
        ),
        m(
            "trust-domain-grant-other-origin",
            "attack A6: the grant is bound to its origin",
            "spiffe://example.org/**",
            "spiffe://example.org.attacker.com/x",
            false,
        ),
        e(
            "root-subtree-refused",
            "attack A7: a root subtree fails closed",
            "wimse://trust.example/*",
            "wimse://trust.example/service/pay",
        ),
        e(
            "pattern-non-canonical",
            "attack A1: patterns are canonical too",
            "wimse://trust.example/service/%70ay/*",
            "wimse://trust.example/service/pay/x",
        ),
        e(
            "id-dot-segment",
            "attack A3: a non-canonical identifier is rejected before matching",
            "wimse://trust.example/service/pay/*",
            "wimse://trust.example/service/pay/../admin",
        ),
        e(
            "id-percent-encoded",
            "attack A1: a non-canonical identifier is rejected before matching",
            "spiffe://example.org/ns/a/*",
            "spiffe://example.org/ns/a/%61pi",
        ),
    ]
}

fn write_fixed_keys(dir: &Path, k: &Keys) {
    let fixed = dir.join("keys").join("fixed");
    fs::create_dir_all(&fixed).unwrap();
    for (name, key) in [
        ("es256-1", &k.es256),
        ("es256-2", &k.es256_other),
        ("es384-1", &k.es384),
        ("ed25519-1", &k.ed25519),
        ("hs256-1", &k.hs256),
        ("ed25519-rfc8037", &k.rfc8037),
    ] {
        fs::write(
            fixed.join(format!("{name}.json")),
            format!("{}\n", key.to_private_jwk_json()),
        )
        .unwrap();
    }
}

const RFC7638_RSA_N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

fn thumbprint_ok(id: &str, title: &str, jwk: Value, canonical: &str, tp: &str) -> Case {
    ok(
        id,
        title,
        json!({ "jwk": jwk }),
        json!({
            "canonical": canonical,
            "thumbprint": tp,
            "thumbprint_uri": format!("urn:ietf:params:oauth:jwk-thumbprint:sha-256:{tp}"),
        }),
    )
}

fn thumbprint_cases(k: &Keys) -> Vec<Case> {
    let ec9449 = json!({"kty":"EC","crv":"P-256","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"});
    let p256 = public(&k.es256);
    let zero32 = b64::encode(&[0u8; 32]);
    let mut cases = vec![
        thumbprint_ok(
            "thumbprint/rfc7638-rsa",
            "RFC 7638 §3.1 example (alg and kid must not change the result)",
            json!({"kty":"RSA","n":RFC7638_RSA_N,"e":"AQAB","alg":"RS256","kid":"2011-04-29"}),
            &format!(r#"{{"e":"AQAB","kty":"RSA","n":"{RFC7638_RSA_N}"}}"#),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        ),
        thumbprint_ok(
            "thumbprint/rfc9449-ec",
            "RFC 9449 §A.1 example EC key",
            ec9449.clone(),
            r#"{"crv":"P-256","kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}"#,
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
        ),
        thumbprint_ok(
            "thumbprint/jose-docs-ec",
            "panva/jose documentation EC key (specs/oauth.md §1.5)",
            json!({"kty":"EC","crv":"P-256","x":"jJ6Flys3zK9jUhnOHf6G49Dyp5hah6CNP84-gY-n9eo","y":"nhI6iD5eFXgBTLt_1p3aip-5VbZeMhxeFSpjfEAf7Ww"}),
            r#"{"crv":"P-256","kty":"EC","x":"jJ6Flys3zK9jUhnOHf6G49Dyp5hah6CNP84-gY-n9eo","y":"nhI6iD5eFXgBTLt_1p3aip-5VbZeMhxeFSpjfEAf7Ww"}"#,
            "w9eYdC6_s_tLQ8lH6PUpc0mddazaqtPgeC2IgWDiqY8",
        ),
        thumbprint_ok(
            "thumbprint/rfc8037-ed25519",
            "RFC 8037 §A.3 Ed25519 thumbprint (private member d is ignored)",
            json!({"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}),
            r#"{"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
        ),
    ];
    let mut bad = |id: &str, title: &str, jwk: Value, code: &str| {
        cases.push(err(
            &format!("thumbprint/{id}"),
            title,
            json!({ "jwk": jwk }),
            code,
        ));
    };
    let mut off_curve = p256.clone();
    off_curve["y"] = json!(p256["x"]);
    bad(
        "ec-off-curve",
        "RFC 8725 §3.4: EC points must be on the curve (y replaced by x)",
        off_curve,
        "invalid-key",
    );
    bad(
        "ec-zero-point",
        "RFC 8725 §3.4: (0,0) is not a P-256 point",
        json!({"kty":"EC","crv":"P-256","x":zero32,"y":zero32}),
        "invalid-key",
    );
    let mut short = p256.clone();
    short["x"] = json!(b64::encode(
        &b64::decode(p256["x"].as_str().unwrap()).unwrap()[1..]
    ));
    bad(
        "ec-short-coordinate",
        "RFC 7518 §6.2.1.2: x must be the full 32 bytes",
        short,
        "invalid-key",
    );
    let mut unsupported = p256.clone();
    unsupported["crv"] = json!("P-521");
    bad(
        "ec-p521",
        "generated: P-521 is not supported",
        unsupported,
        "invalid-key",
    );
    bad(
        "okp-x25519",
        "generated: X25519 is a key-agreement curve, not a signature curve",
        json!({"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}),
        "invalid-key",
    );
    let mut identity = [0u8; 32];
    identity[0] = 1;
    bad(
        "okp-small-order",
        "RFC 8032 §5.1.7 / RFC 8725 §3.4: small-order Ed25519 public key (the identity)",
        json!({"kty":"OKP","crv":"Ed25519","x":b64::encode(&identity)}),
        "invalid-key",
    );
    bad(
        "missing-kty",
        "RFC 7517 §4.1: kty is required",
        json!({"crv":"P-256","x":p256["x"],"y":p256["y"]}),
        "invalid-key",
    );
    bad(
        "unknown-kty",
        "RFC 7517 §4.1: unknown kty",
        json!({"kty":"XYZ"}),
        "invalid-key",
    );
    let mut numeric = p256.clone();
    numeric["x"] = json!(1);
    bad(
        "ec-x-number",
        "RFC 7518 §6.2.1.2: x is a base64url string",
        numeric,
        "invalid-key",
    );
    let mut padded = p256.clone();
    padded["x"] = json!(format!("{}=", p256["x"].as_str().unwrap()));
    bad(
        "ec-x-padded",
        "RFC 7515 §2: base64url without padding",
        padded,
        "malformed-base64",
    );
    bad(
        "oct-short",
        "RFC 7518 §3.2: an HS256 key must be at least 256 bits",
        json!({"kty":"oct","k":b64::encode(&[7u8; 16])}),
        "invalid-key",
    );
    bad(
        "rsa-1024",
        "RFC 7518 §3.3: RSA keys of 2048 bits or more",
        json!({"kty":"RSA","n":b64::encode(&[0xc5u8; 128]),"e":"AQAB"}),
        "invalid-key",
    );
    cases
}

fn from_seed_cases() -> Vec<Case> {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let mut cases = Vec::new();
    // Outputs for the RFC key are spec facts; the others are deterministic derivations.
    let rfc_seed = b64::decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A").unwrap();
    cases.push(ok(
        "from-seed/ed25519-rfc8037",
        "RFC 8037 §A.1/A.2: the public key of the example private key",
        json!({"alg":"EdDSA","seed":hex(&rfc_seed)}),
        json!({"public_jwk":{"alg":"EdDSA","crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}),
    ));
    // RFC 7515 §A.3: the P-256 private scalar d and its public point.
    let d = b64::decode("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI").unwrap();
    cases.push(ok(
        "from-seed/es256-rfc7515",
        "RFC 7515 §A.3: public point of the example P-256 private key",
        json!({"alg":"ES256","seed":hex(&d)}),
        json!({"public_jwk":{"alg":"ES256","crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}}),
    ));
    cases.push(err(
        "from-seed/es256-short",
        "generated: ES256 seeds are 32 bytes",
        json!({"alg":"ES256","seed":hex(&[1u8; 31])}),
        "invalid-argument",
    ));
    cases.push(err(
        "from-seed/es384-short",
        "generated: ES384 seeds are 48 bytes",
        json!({"alg":"ES384","seed":hex(&[1u8; 32])}),
        "invalid-argument",
    ));
    cases.push(err(
        "from-seed/ed25519-long",
        "generated: Ed25519 seeds are 32 bytes",
        json!({"alg":"Ed25519","seed":hex(&[1u8; 33])}),
        "invalid-argument",
    ));
    cases.push(err(
        "from-seed/es256-zero",
        "SEC 1 §3.2.1: the private scalar must be in [1, n-1] (zero)",
        json!({"alg":"ES256","seed":hex(&[0u8; 32])}),
        "invalid-key",
    ));
    cases.push(err(
        "from-seed/es256-overflow",
        "SEC 1 §3.2.1: the private scalar must be in [1, n-1] (>= n)",
        json!({"alg":"ES256","seed":hex(&[0xffu8; 32])}),
        "invalid-key",
    ));
    cases.push(err(
        "from-seed/rs256",
        "generated: RSA is verify-only here",
        json!({"alg":"RS256","seed":hex(&[1u8; 32])}),
        "alg-not-allowed",
    ));
    cases.push(err(
        "from-seed/none",
        "RFC 8725 §3.2: alg none cannot sign",
        json!({"alg":"none","seed":hex(&[1u8; 32])}),
        "alg-not-allowed",
    ));
    cases.push(err(
        "from-seed/hs256-short",
        "RFC 7518 §3.2: HS256 keys of at least 256 bits",
        json!({"alg":"HS256","seed":hex(&[1u8; 31])}),
        "invalid-argument",
    ));
    cases
}

fn sign_cases(k: &Keys) -> Vec<Case> {
    let private = |kp: &KeyPair| serde_json::from_str::<Value>(&kp.to_private_jwk_json()).unwrap();
    let payload = to_compact(&json!({"iss": ISS, "sub": "agent:planner", "exp": NOW + 600}));
    let mut cases = vec![ok(
        "sign-jws/rfc8037-a4",
        "RFC 8037 §A.4: Ed25519 signing is deterministic; reproduced byte for byte",
        json!({"key": private(&k.rfc8037), "header": {}, "payload": b64::encode(b"Example of Ed25519 signing")}),
        json!({"token": "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"}),
    )];
    for (name, kp) in [
        ("es256", &k.es256),
        ("es384", &k.es384),
        ("ed25519", &k.ed25519),
        ("hs256", &k.hs256),
    ] {
        let header = json!({"typ": "at+jwt"});
        let token = sign(header.clone(), &serde_json::from_str(&payload).unwrap(), kp);
        cases.push(ok(
            &format!("sign-jws/{name}-deterministic"),
            &format!("generated: {} signing is deterministic (RFC 6979 for ECDSA); header members sorted", kp.alg().jws_name()),
            json!({"key": private(kp), "header": header, "payload": b64::encode(payload.as_bytes())}),
            json!({"token": token}),
        ));
    }
    cases.push(err(
        "sign-jws/header-alg-conflict",
        "generated: the header's alg must be the key's algorithm",
        json!({"key": private(&k.es256), "header": {"alg": "ES384"}, "payload": b64::encode(b"x")}),
        "invalid-argument",
    ));
    cases.push(err(
        "sign-jws/header-crit",
        "RFC 7515 §4.1.11: no extension is implemented, so none may be marked critical",
        json!({"key": private(&k.es256), "header": {"crit": ["exp"], "exp": 1}, "payload": b64::encode(b"x")}),
        "invalid-argument",
    ));
    cases.push(err(
        "sign-jws/public-key-only",
        "generated: a public JWK cannot sign",
        json!({"key": public(&k.es256), "header": {}, "payload": b64::encode(b"x")}),
        "invalid-key",
    ));
    let mut mismatched = private(&k.es256);
    mismatched["d"] = private(&k.es256_other)["d"].clone();
    cases.push(err(
        "sign-jws/private-public-mismatch",
        "generated: d does not belong to x, y",
        json!({"key": mismatched, "header": {}, "payload": b64::encode(b"x")}),
        "invalid-key",
    ));
    cases
}

const RFC7515_A3: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
const RFC7515_A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC7520_44: &str = "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0";
const RFC7520_41: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg";
const RFC7520_41_N: &str = "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw";

fn thumb(kp: &KeyPair) -> String {
    kp.public_jwk().thumbprint()
}

fn verify_jws_cases(k: &Keys) -> Vec<Case> {
    let asym = json!([
        "ES256", "ES384", "EdDSA", "Ed25519", "RS256", "PS256", "PS512"
    ]);
    let a3_key = json!({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
    let a3_tp = a2a_auth::crypto::Jwk::from_json(&a3_key.to_string(), &a2a_auth::Limits::DEFAULT)
        .unwrap()
        .thumbprint();
    let a1_key = json!({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"});
    let a1_tp = a2a_auth::crypto::Jwk::from_json(&a1_key.to_string(), &a2a_auth::Limits::DEFAULT)
        .unwrap()
        .thumbprint();
    let c44_key = json!({"kty":"oct","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037","use":"sig","alg":"HS256","k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"});
    let c41_key = json!({"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig","n":RFC7520_41_N,"e":"AQAB"});
    let tolkien = segment(RFC7520_44, 1);
    let mut cases = vec![
        ok(
            "verify-jws/rfc7515-a3-es256",
            "RFC 7515 §A.3: ES256 example (randomized signature, verify only)",
            json!({"token": RFC7515_A3, "keys": {"keys": [a3_key]}, "algorithms": asym}),
            json!({"alg": "ES256", "header": {"alg": "ES256"}, "payload": segment(RFC7515_A3, 1), "key_thumbprint": a3_tp}),
        ),
        ok(
            "verify-jws/rfc8037-a4-eddsa",
            "RFC 8037 §A.4: Ed25519 example",
            json!({"token": "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg", "keys": {"keys": [{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}, "algorithms": asym}),
            json!({"alg": "EdDSA", "header": {"alg": "EdDSA"}, "payload": "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc", "key_thumbprint": "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"}),
        ),
        ok(
            "verify-jws/rfc7515-a1-hs256-opt-in",
            "RFC 7515 §A.1: HS256 verifies only because the caller listed HS256 explicitly",
            json!({"token": RFC7515_A1, "keys": {"keys": [a1_key.clone()]}, "algorithms": ["HS256"]}),
            json!({"alg": "HS256", "header": {"typ": "JWT", "alg": "HS256"}, "payload": segment(RFC7515_A1, 1), "key_thumbprint": a1_tp}),
        ),
        ok(
            "verify-jws/rfc7520-4.4-hs256",
            "RFC 7520 §4.4: HMAC-SHA2 integrity protection (HS256 listed explicitly)",
            json!({"token": RFC7520_44, "keys": {"keys": [c44_key.clone()]}, "algorithms": ["HS256"]}),
            json!({"alg": "HS256", "header": {"alg": "HS256", "kid": "018c0ae5-4d9b-471b-bfd6-eef314bc7037"}, "payload": tolkien, "key_thumbprint": a2a_auth::crypto::Jwk::from_json(&c44_key.to_string(), &a2a_auth::Limits::DEFAULT).unwrap().thumbprint()}),
        ),
        ok(
            "verify-jws/rfc7520-4.1-rs256",
            "RFC 7520 §4.1: RSA v1.5 signature (RS256)",
            json!({"token": RFC7520_41, "keys": {"keys": [c41_key.clone()]}, "algorithms": asym}),
            json!({"alg": "RS256", "header": {"alg": "RS256", "kid": "bilbo.baggins@hobbiton.example"}, "payload": tolkien, "key_thumbprint": a2a_auth::crypto::Jwk::from_json(&c41_key.to_string(), &a2a_auth::Limits::DEFAULT).unwrap().thumbprint()}),
        ),
    ];

    // Generated positives.
    let payload = json!({"msg": "hello"});
    let payload_b64 = b64::encode(to_compact(&payload).as_bytes());
    let all = jwks(&[&k.es256, &k.es256_other, &k.es384, &k.ed25519]);
    for (name, kp) in [
        ("es256", &k.es256),
        ("es384", &k.es384),
        ("ed25519", &k.ed25519),
    ] {
        let token = sign(json!({}), &payload, kp);
        cases.push(ok(
            &format!("verify-jws/{name}-by-kid"),
            &format!("generated: {} token, key chosen by kid from a set of four", kp.alg().jws_name()),
            json!({"token": token, "keys": all, "algorithms": asym}),
            json!({"alg": kp.alg().jws_name(), "header": full_header(json!({}), kp), "payload": payload_b64, "key_thumbprint": thumb(kp)}),
        ));
    }
    let no_kid_key = KeyPair::from_seed(Algorithm::Es256, &seed("es256-1", 32)).unwrap();
    let no_kid = sign(json!({}), &payload, &no_kid_key);
    cases.push(ok(
        "verify-jws/no-kid-tries-fitting-keys",
        "generated: without kid, each key that fits the algorithm is tried (wrong one first)",
        json!({"token": no_kid, "keys": jwks(&[&k.es256_other, &k.es384, &k.es256]), "algorithms": ["ES256"]}),
        json!({"alg": "ES256", "header": {"alg": "ES256"}, "payload": payload_b64, "key_thumbprint": thumb(&k.es256)}),
    ));
    // High-S: the same signature with s replaced by n - s still verifies (documented choice).
    let token = sign(json!({}), &payload, &k.es256);
    let sig = b64::decode(segment(&token, 2)).unwrap();
    let parsed = p256::ecdsa::Signature::from_slice(&sig).unwrap();
    let (r, s) = parsed.split_scalars();
    let flipped = p256::ecdsa::Signature::from_scalars(r.to_bytes(), (-*s).to_bytes()).unwrap();
    let high_s = replace_segment(&token, 2, &b64::encode(&flipped.to_bytes()));
    assert_ne!(high_s, token);
    cases.push(ok(
        "verify-jws/es256-malleated-s-accepted",
        "RFC 7518 §3.4 sets no low-S rule (Wycheproof marks high-S valid): (r, n-s) verifies, so never key caches on signature bytes",
        json!({"token": high_s, "keys": jwks(&[&k.es256]), "algorithms": asym}),
        json!({"alg": "ES256", "header": full_header(json!({}), &k.es256), "payload": payload_b64, "key_thumbprint": thumb(&k.es256)}),
    ));
    let ed_fully = KeyPair::from_seed(Algorithm::Ed25519, &seed("ed25519-1", 32))
        .unwrap()
        .with_kid("ed25519-1");
    let t = sign(json!({}), &payload, &ed_fully);
    cases.push(ok(
        "verify-jws/ed25519-fully-specified",
        "RFC 9864: the fully specified name Ed25519 is accepted beside EdDSA",
        json!({"token": t, "keys": jwks(&[&k.ed25519]), "algorithms": ["Ed25519"]}),
        json!({"alg": "Ed25519", "header": full_header(json!({}), &ed_fully), "payload": payload_b64, "key_thumbprint": thumb(&k.ed25519)}),
    ));

    // Negative cases, each failing one check.
    let es = sign(json!({}), &payload, &k.es256);
    let one = jwks(&[&k.es256]);
    let mut bad = |id: &str, title: &str, token: String, keys: Value, algs: Value, code: &str| {
        cases.push(err(
            &format!("verify-jws/{id}"),
            title,
            json!({"token": token, "keys": keys, "algorithms": algs}),
            code,
        ));
    };
    // The four casings first (their ids predate the rest), then the other twelve.
    let mut casings: Vec<String> = ["none", "None", "NONE", "nOnE"].map(String::from).to_vec();
    for i in 0..16 {
        let c = attacks::none_casing(i);
        if !casings.contains(&c) {
            casings.push(c);
        }
    }
    for (i, none) in casings.iter().enumerate() {
        let h = to_compact(&json!({"alg": none, "kid": "es256-1"}));
        let t = format!(
            "{}.{}.{}",
            b64::encode(h.as_bytes()),
            payload_b64,
            segment(&es, 2)
        );
        bad(
            &format!("alg-none-{i}"),
            &format!("RFC 8725 §3.2: alg \"{none}\" is never accepted, in any casing"),
            t,
            one.clone(),
            asym.clone(),
            "alg-not-allowed",
        );
    }
    let h = to_compact(&json!({"alg": "none"}));
    bad(
        "alg-none-unsigned",
        "RFC 7515 §A.5: an unsecured JWS (empty signature) is not a signed token",
        format!("{}.{}.", b64::encode(h.as_bytes()), payload_b64),
        one.clone(),
        asym.clone(),
        "malformed-token",
    );
    bad(
        "alg-not-in-allow-list",
        "RFC 8725 §3.1: ES256 token, caller allows only EdDSA",
        es.clone(),
        one.clone(),
        json!(["EdDSA"]),
        "alg-not-allowed",
    );
    bad(
        "alg-unknown-es512",
        "RFC 8725 §3.1: ES512 is not implemented",
        sign_raw(br#"{"alg":"ES512","kid":"es256-1"}"#, b"{}", &k.es256),
        one.clone(),
        asym.clone(),
        "alg-not-allowed",
    );
    bad(
        "alg-missing",
        "RFC 7515 §4.1.1: alg is required",
        sign_raw(br#"{"kid":"es256-1"}"#, b"{}", &k.es256),
        one.clone(),
        asym.clone(),
        "alg-not-allowed",
    );
    bad(
        "alg-lowercase",
        "rfc8725bis §3.1: alg compared case-sensitively (es256)",
        sign_raw(br#"{"alg":"es256","kid":"es256-1"}"#, b"{}", &k.es256),
        one.clone(),
        asym.clone(),
        "alg-not-allowed",
    );
    // HS256 signed with the public key's JSON as the secret (the classic key-confusion attack).
    let confusion_secret = to_compact(&public(&k.es256));
    let attacker = KeyPair::from_seed(Algorithm::Hs256, confusion_secret.as_bytes()).unwrap();
    let hs = sign_raw(
        br#"{"alg":"HS256","kid":"es256-1"}"#,
        to_compact(&payload).as_bytes(),
        &attacker,
    );
    bad(
        "hs256-with-public-key-default-algs",
        "RFC 8725 §2.1: HS256 with the public key as secret, default allow-list",
        hs.clone(),
        one.clone(),
        asym.clone(),
        "alg-not-allowed",
    );
    bad(
        "hs256-with-public-key-opted-in",
        "RFC 8725 §3.1: even with HS256 allowed, an EC key never serves as an HMAC secret",
        hs,
        one.clone(),
        json!(["ES256", "HS256"]),
        "key-mismatch",
    );
    let es384_with_kid = KeyPair::from_seed(Algorithm::Es384, &seed("es384-1", 48))
        .unwrap()
        .with_kid("es256-1");
    bad(
        "key-type-mismatch",
        "RFC 8725 §3.1: the key named by kid is P-384 but the token says ES256",
        es.clone(),
        jwks(&[&es384_with_kid]),
        asym.clone(),
        "key-mismatch",
    );
    let mut alg_member = public(&k.es256);
    alg_member["alg"] = json!("ES384");
    bad(
        "jwk-alg-member-differs",
        "RFC 7517 §4.4: the JWK's alg must equal the token's",
        es.clone(),
        json!({"keys": [alg_member]}),
        asym.clone(),
        "key-mismatch",
    );
    let mut enc_use = public(&k.es256);
    enc_use["use"] = json!("enc");
    bad(
        "jwk-use-enc",
        "RFC 7517 §4.2: a key for encryption is not used to verify",
        es.clone(),
        json!({"keys": [enc_use]}),
        asym.clone(),
        "key-mismatch",
    );
    let mut ops = public(&k.es256);
    ops["key_ops"] = json!(["sign"]);
    bad(
        "jwk-key-ops-no-verify",
        "RFC 7517 §4.3: key_ops without verify",
        es.clone(),
        json!({"keys": [ops]}),
        asym.clone(),
        "key-mismatch",
    );
    bad(
        "kid-unknown",
        "RFC 7515 §4.1.4: no key has the token's kid",
        es.clone(),
        jwks(&[&k.es256_other]),
        asym.clone(),
        "key-not-found",
    );
    bad(
        "empty-key-set",
        "generated: an empty key set verifies nothing",
        es.clone(),
        json!({"keys": []}),
        asym.clone(),
        "key-not-found",
    );
    let impostor = KeyPair::from_seed(Algorithm::Es256, &seed("es256-2", 32))
        .unwrap()
        .with_kid("es256-1");
    bad(
        "wrong-key-same-kid",
        "RFC 7515 §5.2: signed by a different key that claims the same kid",
        sign(json!({}), &payload, &impostor),
        one.clone(),
        asym.clone(),
        "invalid-signature",
    );
    bad(
        "tampered-payload",
        "RFC 7515 §5.2: payload changed after signing",
        replace_segment(&es, 1, &b64::encode(br#"{"msg":"hellO"}"#)),
        one.clone(),
        asym.clone(),
        "invalid-signature",
    );
    bad(
        "tampered-header",
        "RFC 7515 §5.2: protected header changed after signing (typ added)",
        replace_segment(
            &es,
            0,
            &b64::encode(br#"{"alg":"ES256","kid":"es256-1","typ":"x"}"#),
        ),
        one.clone(),
        asym.clone(),
        "invalid-signature",
    );
    bad(
        "tampered-signature",
        "RFC 7515 §5.2: one bit of the signature flipped",
        tamper_signature(&es),
        one.clone(),
        asym.clone(),
        "invalid-signature",
    );
    let sig = b64::decode(segment(&es, 2)).unwrap();
    bad(
        "signature-truncated",
        "RFC 7518 §3.4: an ES256 signature is exactly 64 bytes",
        replace_segment(&es, 2, &b64::encode(&sig[..63])),
        one.clone(),
        asym.clone(),
        "invalid-signature",
    );
    let der = p256::ecdsa::Signature::from_slice(&sig).unwrap().to_der();
    bad(
        "signature-der",
        "RFC 7518 §3.4: DER-encoded ECDSA signatures are not JWS signatures",
        replace_segment(&es, 2, &b64::encode(der.as_bytes())),
        one.clone(),
        asym.clone(),
        "invalid-signature",
    );
    let zero_sig = b64::encode(&[0u8; 64]);
    bad(
        "signature-zero",
        "CVE-2022-21449: r = s = 0 never verifies",
        replace_segment(&es, 2, &zero_sig),
        one.clone(),
        asym.clone(),
        "invalid-signature",
    );
    // Header injection: the attacker signs with their own key and names it in the header.
    let attacker = &k.es256_other;
    let attacker_jwk = public(attacker);
    for (name, extra, title) in [
        (
            "jwk",
            json!({"jwk": attacker_jwk}),
            "RFC 8725 §3.10: an embedded jwk is never trusted",
        ),
        (
            "jku",
            json!({"jku": "https://attacker.example/jwks.json"}),
            "RFC 8725 §3.10: jku is never followed",
        ),
        (
            "x5u",
            json!({"x5u": "https://attacker.example/cert.pem"}),
            "RFC 8725 §3.10: x5u is never followed",
        ),
    ] {
        let mut h = obj(extra);
        h.insert("kid".into(), "es256-1".into());
        let t = a2a_auth::jose::sign_jws(&h, to_compact(&payload).as_bytes(), attacker).unwrap();
        bad(
            &format!("header-{name}-injection"),
            title,
            t,
            one.clone(),
            asym.clone(),
            "invalid-signature",
        );
    }
    bad(
        "kid-path-traversal",
        "RFC 8725 §3.10: kid is only compared, never used as a path",
        sign(json!({"kid": "../../dev/null"}), &payload, &k.es256),
        one.clone(),
        asym.clone(),
        "key-not-found",
    );
    bad(
        "crit-exp",
        "RFC 7515 §4.1.11: crit names an extension this verifier does not understand",
        sign_raw(
            br#"{"alg":"ES256","crit":["exp"],"exp":1,"kid":"es256-1"}"#,
            b"{}",
            &k.es256,
        ),
        one.clone(),
        asym.clone(),
        "crit-unsupported",
    );
    bad(
        "crit-b64",
        "RFC 7797 §6: b64=false is not supported, so crit b64 is rejected",
        sign_raw(
            br#"{"alg":"ES256","b64":false,"crit":["b64"],"kid":"es256-1"}"#,
            b"{}",
            &k.es256,
        ),
        one.clone(),
        asym.clone(),
        "crit-unsupported",
    );
    bad(
        "crit-empty",
        "RFC 7515 §4.1.11: crit must not be an empty list",
        sign_raw(
            br#"{"alg":"ES256","crit":[],"kid":"es256-1"}"#,
            b"{}",
            &k.es256,
        ),
        one.clone(),
        asym.clone(),
        "crit-unsupported",
    );
    bad(
        "header-duplicate-alg",
        "RFC 7515 §5.2 / RFC 8725: duplicate header member alg",
        sign_raw(
            br#"{"alg":"ES256","alg":"none","kid":"es256-1"}"#,
            b"{}",
            &k.es256,
        ),
        one.clone(),
        asym.clone(),
        "duplicate-json-member",
    );
    bad(
        "header-not-object",
        "RFC 7515 §5.2 step 4: the header must be a JSON object",
        sign_raw(br#"["ES256"]"#, b"{}", &k.es256),
        one.clone(),
        asym.clone(),
        "malformed-json",
    );
    bad(
        "header-not-json",
        "RFC 7515 §5.2 step 3: the header must be JSON",
        sign_raw(br#"{alg:ES256}"#, b"{}", &k.es256),
        one.clone(),
        asym.clone(),
        "malformed-json",
    );
    bad(
        "header-invalid-utf8",
        "RFC 7515 §5.2 / RFC 8725 §3.7: UTF-8 only",
        sign_raw(b"{\"alg\":\"ES256\",\"x\":\"\xff\"}", b"{}", &k.es256),
        one.clone(),
        asym.clone(),
        "malformed-json",
    );
    bad(
        "header-bom",
        "RFC 8259 §8.1: no byte-order mark",
        sign_raw(b"\xef\xbb\xbf{\"alg\":\"ES256\"}", b"{}", &k.es256),
        one.clone(),
        asym.clone(),
        "malformed-json",
    );
    let deep = format!(
        "{{\"alg\":\"ES256\",\"x\":{}1{}}}",
        "[".repeat(20),
        "]".repeat(20)
    );
    bad(
        "header-too-deep",
        "generated: JSON nesting beyond max_json_depth (16)",
        sign_raw(deep.as_bytes(), b"{}", &k.es256),
        one.clone(),
        asym.clone(),
        "limit-exceeded",
    );
    bad(
        "header-non-canonical-base64",
        "RFC 4648 §3.5 / RFC 7515 §2: non-zero trailing bits in the header segment",
        replace_segment(&es, 0, &non_canonical(segment(&es, 0))),
        one.clone(),
        asym.clone(),
        "malformed-base64",
    );
    bad(
        "signature-non-canonical-base64",
        "RFC 4648 §3.5: non-zero trailing bits in the signature segment (ECDSA: 86 chars)",
        replace_segment(&es, 2, &non_canonical(segment(&es, 2))),
        one.clone(),
        asym.clone(),
        "malformed-base64",
    );
    bad(
        "segment-padded",
        "RFC 7515 §2: base64url padding is not allowed",
        format!("{es}=="),
        one.clone(),
        asym.clone(),
        "malformed-token",
    );
    bad(
        "segment-standard-alphabet",
        "RFC 7515 §2: + and / are not base64url",
        replace_segment(&es, 2, &segment(&es, 2).replace(['-', '_'], "+")),
        one.clone(),
        asym.clone(),
        "malformed-token",
    );
    bad(
        "whitespace",
        "RFC 7515 §7.1: no whitespace in the compact form",
        format!(" {es}"),
        one.clone(),
        asym.clone(),
        "malformed-token",
    );
    bad(
        "two-segments",
        "RFC 7515 §7.1: three segments",
        es.rsplit_once('.').unwrap().0.to_owned(),
        one.clone(),
        asym.clone(),
        "malformed-token",
    );
    bad(
        "four-segments",
        "RFC 7515 §7.1: three segments",
        format!("{es}.AA"),
        one.clone(),
        asym.clone(),
        "malformed-token",
    );
    bad(
        "jwe-five-segments",
        "RFC 7516 §9: five segments is a JWE, not accepted here",
        format!("{}.AA.AA.AA.AA", segment(&es, 0)),
        one.clone(),
        asym.clone(),
        "jwe-unsupported",
    );
    bad(
        "json-serialization",
        "rfc8725bis §3.12: the JSON serialization is not a compact JWT",
        to_compact(
            &json!({"payload": payload_b64, "protected": segment(&es, 0), "signature": segment(&es, 2)}),
        ),
        one.clone(),
        asym.clone(),
        "malformed-token",
    );
    bad(
        "detached-payload",
        "RFC 7515 App. F / specs §7.C2: a detached payload (empty segment; the signature is over the real one)",
        format!("{}..{}", segment(&es, 0), segment(&es, 2)),
        one.clone(),
        asym.clone(),
        "invalid-signature",
    );
    bad(
        "empty-token",
        "RFC 7515 §7.1: empty input",
        String::new(),
        one.clone(),
        asym.clone(),
        "malformed-token",
    );
    bad(
        "oversized-token",
        "generated: tokens beyond max_token_bytes (16384)",
        format!(
            "{}.{}.{}",
            segment(&es, 0),
            "A".repeat(16_384),
            segment(&es, 2)
        ),
        one.clone(),
        asym.clone(),
        "limit-exceeded",
    );
    cases
}

fn verify_jwt_cases(k: &Keys) -> Vec<Case> {
    let algs = json!(["ES256", "ES384", "EdDSA", "Ed25519"]);
    let keys = jwks(&[&k.es256, &k.es384, &k.ed25519]);
    let claims = json!({
        "iss": ISS, "sub": "agent:planner", "aud": AUD, "client_id": "planner",
        "iat": NOW - 10, "nbf": NOW - 10, "exp": NOW + 600, "jti": "jti-0001", "scope": "tools:read"
    });
    let header = json!({"typ": "at+jwt"});
    let rules = json!({"typ": "at+jwt", "issuer": ISS, "audience": AUD, "required": ["sub", "client_id", "iat", "jti"]});
    let input = |token: &str, rules: &Value, now: u64| {
        let mut i = obj(rules.clone());
        i.insert("token".into(), token.into());
        i.insert("keys".into(), keys.clone());
        i.insert("algorithms".into(), algs.clone());
        i.insert("now".into(), now.into());
        Value::Object(i)
    };
    let with = |patch: Value| patched(&claims, patch);
    let rules_with = |patch: Value| {
        let mut r = obj(rules.clone());
        r.extend(obj(patch));
        Value::Object(r)
    };
    let mut cases = Vec::new();
    let good = |h: &Value, kp: &KeyPair| sign(h.clone(), &claims, kp);
    for (name, kp) in [
        ("es256", &k.es256),
        ("es384", &k.es384),
        ("ed25519", &k.ed25519),
    ] {
        cases.push(ok(
            &format!("verify-jwt/{name}-access-token"),
            &format!("RFC 9068 §2 shaped token, {}: typ, iss, aud, times and required claims all hold", kp.alg().jws_name()),
            input(&good(&header, kp), &rules, NOW),
            json!({"header": full_header(header.clone(), kp), "claims": claims, "key_thumbprint": thumb(kp)}),
        ));
    }
    for (i, typ) in ["application/at+jwt", "AT+JWT"].iter().enumerate() {
        let h = json!({"typ": typ});
        cases.push(ok(
            &format!("verify-jwt/typ-variant-{i}"),
            &format!("RFC 8725 §3.11 / RFC 9068 §4: typ \"{typ}\" names at+jwt"),
            input(&good(&h, &k.es256), &rules, NOW),
            json!({"header": full_header(h, &k.es256), "claims": claims, "key_thumbprint": thumb(&k.es256)}),
        ));
    }
    let aud_array = with(json!({"aud": ["https://other.example", AUD]}));
    cases.push(ok(
        "verify-jwt/aud-array-contains",
        "RFC 7519 §4.1.3: aud may be an array; it contains the expected value",
        input(&sign(header.clone(), &aud_array, &k.es256), &rules, NOW),
        json!({"header": full_header(header.clone(), &k.es256), "claims": aud_array, "key_thumbprint": thumb(&k.es256)}),
    ));
    let t = good(&header, &k.es256);
    cases.push(ok(
        "verify-jwt/exp-within-leeway",
        "RFC 7519 §4.1.4 with 60 s leeway: 59 s after exp is still accepted",
        input(&t, &rules, NOW + 600 + 59),
        json!({"header": full_header(header.clone(), &k.es256), "claims": claims, "key_thumbprint": thumb(&k.es256)}),
    ));
    let fractional = with(json!({"exp": (NOW + 600) as f64 + 0.5}));
    cases.push(ok(
        "verify-jwt/exp-fractional",
        "RFC 7519 §2: NumericDate may be non-integer",
        input(&sign(header.clone(), &fractional, &k.es256), &rules, NOW),
        json!({"header": full_header(header.clone(), &k.es256), "claims": fractional, "key_thumbprint": thumb(&k.es256)}),
    ));

    let mut bad = |id: &str, title: &str, inp: Value, code: &str| {
        cases.push(err(&format!("verify-jwt/{id}"), title, inp, code));
    };
    let s = |c: &Value| sign(header.clone(), c, &k.es256);
    bad(
        "typ-missing",
        "RFC 8725 §3.11: explicit typing required; typ absent",
        input(&sign(json!({}), &claims, &k.es256), &rules, NOW),
        "typ-mismatch",
    );
    bad(
        "typ-jwt",
        "RFC 9068 §4: typ JWT is not at+jwt",
        input(&good(&json!({"typ": "JWT"}), &k.es256), &rules, NOW),
        "typ-mismatch",
    );
    bad(
        "typ-with-parameter",
        "specs/oauth.md §10 #12: at+jwt; x=y is rejected",
        input(&good(&json!({"typ": "at+jwt; x=y"}), &k.es256), &rules, NOW),
        "typ-mismatch",
    );
    bad(
        "typ-confusion-dpop",
        "RFC 8725 §3.12: a DPoP proof type is not an access token type",
        input(&good(&json!({"typ": "dpop+jwt"}), &k.es256), &rules, NOW),
        "typ-mismatch",
    );
    bad(
        "typ-confusion-wit",
        "RFC 8725 §3.12: a WIMSE WIT type is not an access token type",
        input(&good(&json!({"typ": "wit+jwt"}), &k.es256), &rules, NOW),
        "typ-mismatch",
    );
    bad(
        "typ-number",
        "RFC 7515 §4.1.9: typ is a string",
        input(&good(&json!({"typ": 1}), &k.es256), &rules, NOW),
        "typ-mismatch",
    );
    bad(
        "expired",
        "RFC 7519 §4.1.4: 60 s after exp (leeway 60) is rejected",
        input(&t, &rules, NOW + 600 + 60),
        "token-expired",
    );
    bad(
        "expired-zero-leeway",
        "RFC 7519 §4.1.4: at exp exactly, with no leeway",
        input(&t, &rules_with(json!({"leeway": 0})), NOW + 600),
        "token-expired",
    );
    bad(
        "exp-missing",
        "RFC 9068 §2.2: exp is required",
        input(&s(&with(json!({"exp": null}))), &rules, NOW),
        "claim-missing",
    );
    bad(
        "exp-string",
        "RFC 7519 §2: NumericDate is a number, not a string",
        input(
            &s(&with(json!({"exp": (NOW + 600).to_string()}))),
            &rules,
            NOW,
        ),
        "claim-invalid",
    );
    bad(
        "exp-negative",
        "RFC 7519 §2: NumericDate before the epoch is refused",
        input(&s(&with(json!({"exp": -1}))), &rules, NOW),
        "claim-invalid",
    );
    bad(
        "exp-overflow",
        "specs §7.C8: a NumericDate past 2^64 does not wrap into the past or future",
        input(
            &sign_raw(
                to_compact(&full_header(header.clone(), &k.es256)).as_bytes(),
                to_compact(&with(json!({"exp": 0})))
                    .replace("\"exp\":0", "\"exp\":100000000000000000000")
                    .as_bytes(),
                &k.es256,
            ),
            &rules,
            NOW,
        ),
        "claim-invalid",
    );
    bad(
        "nbf-future",
        "RFC 7519 §4.1.5: not before nbf (61 s ahead, leeway 60)",
        input(&s(&with(json!({"nbf": NOW + 61}))), &rules, NOW),
        "token-not-yet-valid",
    );
    bad(
        "nbf-string",
        "RFC 7519 §2: nbf is a NumericDate",
        input(&s(&with(json!({"nbf": "soon"}))), &rules, NOW),
        "claim-invalid",
    );
    bad(
        "iat-future",
        "RFC 7519 §4.1.6: issued 61 s in the future (leeway 60)",
        input(
            &s(&with(json!({"iat": NOW + 61, "nbf": null}))),
            &rules,
            NOW,
        ),
        "token-issued-in-future",
    );
    bad(
        "iat-bool",
        "RFC 7519 §2: iat is a NumericDate",
        input(&s(&with(json!({"iat": true}))), &rules, NOW),
        "claim-invalid",
    );
    bad(
        "too-old",
        "generated: max_age 300 s from iat, plus 60 s leeway, exceeded",
        input(&t, &rules_with(json!({"max_age": 300})), NOW - 10 + 361),
        "token-too-old",
    );
    bad(
        "max-age-without-iat",
        "generated: a maximum age needs iat",
        input(
            &s(&with(json!({"iat": null}))),
            &rules_with(json!({"max_age": 300, "required": []})),
            NOW,
        ),
        "claim-missing",
    );
    bad(
        "iss-mismatch",
        "RFC 9068 §4 step 5: iss must equal the expected issuer exactly",
        input(
            &s(&with(json!({"iss": "https://as.example.com/"}))),
            &rules,
            NOW,
        ),
        "claim-mismatch",
    );
    bad(
        "iss-case",
        "RFC 8725 §3.8: simple string comparison (no case folding)",
        input(
            &s(&with(json!({"iss": "https://AS.example.com"}))),
            &rules,
            NOW,
        ),
        "claim-mismatch",
    );
    bad(
        "iss-missing",
        "RFC 9068 §2.2: iss is required",
        input(&s(&with(json!({"iss": null}))), &rules, NOW),
        "claim-missing",
    );
    bad(
        "iss-array",
        "RFC 7519 §4.1.1: iss is a string",
        input(&s(&with(json!({"iss": [ISS]}))), &rules, NOW),
        "claim-invalid",
    );
    bad(
        "aud-mismatch",
        "RFC 8725 §3.9: aud must contain this resource",
        input(
            &s(&with(json!({"aud": "https://tools.example.com/other"}))),
            &rules,
            NOW,
        ),
        "claim-mismatch",
    );
    bad(
        "aud-array-mismatch",
        "RFC 7519 §4.1.3: no element equals the expected audience",
        input(
            &s(&with(
                json!({"aud": ["https://a.example", "https://b.example"]}),
            )),
            &rules,
            NOW,
        ),
        "claim-mismatch",
    );
    bad(
        "aud-empty-array",
        "RFC 7519 §4.1.3: an empty array contains nothing",
        input(&s(&with(json!({"aud": []}))), &rules, NOW),
        "claim-mismatch",
    );
    bad(
        "aud-prefix",
        "RFC 8707 §2: no prefix matching of audiences",
        input(
            &s(&with(json!({"aud": "https://tools.example.com"}))),
            &rules,
            NOW,
        ),
        "claim-mismatch",
    );
    bad(
        "aud-missing",
        "RFC 9068 §2.2: aud is required",
        input(&s(&with(json!({"aud": null}))), &rules, NOW),
        "claim-missing",
    );
    bad(
        "aud-number",
        "RFC 7519 §4.1.3: aud is a string or array of strings",
        input(&s(&with(json!({"aud": 7}))), &rules, NOW),
        "claim-invalid",
    );
    bad(
        "aud-array-with-number",
        "RFC 7519 §4.1.3: every element is a string",
        input(&s(&with(json!({"aud": [AUD, 7]}))), &rules, NOW),
        "claim-invalid",
    );
    bad(
        "sub-mismatch",
        "RFC 8725 §3.8: sub must be the expected subject",
        input(&t, &rules_with(json!({"subject": "agent:other"})), NOW),
        "claim-mismatch",
    );
    bad(
        "jti-missing",
        "RFC 9068 §2.2: jti is required",
        input(&s(&with(json!({"jti": null}))), &rules, NOW),
        "claim-missing",
    );
    bad(
        "client-id-missing",
        "RFC 9068 §2.2: client_id is required",
        input(&s(&with(json!({"client_id": null}))), &rules, NOW),
        "claim-missing",
    );
    let dup = sign_raw(
        to_compact(&full_header(header.clone(), &k.es256)).as_bytes(),
        format!(
            r#"{{"iss":"{ISS}","iss":"https://evil.example","aud":"{AUD}","exp":{}}}"#,
            NOW + 600
        )
        .as_bytes(),
        &k.es256,
    );
    bad(
        "claims-duplicate-iss",
        "RFC 7519 §4: duplicate claim names are rejected, not last-wins",
        input(&dup, &rules, NOW),
        "duplicate-json-member",
    );
    let arr = sign_raw(
        to_compact(&full_header(header.clone(), &k.es256)).as_bytes(),
        b"[1,2]",
        &k.es256,
    );
    bad(
        "claims-not-object",
        "RFC 7519 §7.2 step 10: the claims set is a JSON object",
        input(&arr, &rules, NOW),
        "malformed-json",
    );
    let sur = sign_raw(
        to_compact(&full_header(header.clone(), &k.es256)).as_bytes(),
        br#"{"iss":"\ud800"}"#,
        &k.es256,
    );
    bad(
        "claims-lone-surrogate",
        "RFC 8259 §8.2 / RFC 7493 §2.1: lone surrogates are refused",
        input(&sur, &rules, NOW),
        "malformed-json",
    );
    let bomb = format!(
        r#"{{"exp":{},"x":{}0{}}}"#,
        NOW + 600,
        "{\"a\":".repeat(40),
        "}".repeat(40)
    );
    let bomb = sign_raw(
        to_compact(&full_header(header.clone(), &k.es256)).as_bytes(),
        bomb.as_bytes(),
        &k.es256,
    );
    bad(
        "claims-nesting-bomb",
        "generated: nesting beyond max_json_depth fails fast",
        input(&bomb, &rules, NOW),
        "limit-exceeded",
    );
    bad(
        "signature-checked-before-claims",
        "RFC 7519 §7.2: an expired token with a bad signature reports the signature",
        input(&tamper_signature(&t), &rules, NOW + 10_000),
        "invalid-signature",
    );
    cases
}

/// SPIFFE JWT-SVID.md (specs/wimse-spiffe.md §5.1), generated with the es256-1 key as the
/// jwt-svid authority of example.org.
fn jwt_svid_cases(k: &Keys) -> Vec<Case> {
    const AUDIENCE: &str = "https://tools.example.com";
    let store = to_compact(&json!({"trust_domains": {
        "example.org": {"keys": [bundle_entry(&k.es256, "jwt-svid")]},
        "other.org": {"keys": [bundle_entry(&k.es256_other, "jwt-svid")]},
    }}));
    let wit_only = to_compact(
        &json!({"trust_domains": {"example.org": {"keys": [bundle_entry(&k.es256, "wit-svid")]}}}),
    );
    let claims = json!({"sub": SUBJECT, "aud": [AUDIENCE], "exp": NOW + 300, "iat": NOW});
    let input = |token: &str, store: &str, now: u64| json!({"token": token, "trust_store": store, "audience": AUDIENCE, "now": now});
    let verified = |c: &Value| json!({"subject": SUBJECT, "trust_domain": "example.org", "issuer_key_thumbprint": thumb(&k.es256), "claims": c});
    let with = |patch: Value| patched(&claims, patch);
    let no_kid_key = KeyPair::from_seed(Algorithm::Es256, &seed("es256-1", 32)).unwrap();
    let ed = KeyPair::from_seed(Algorithm::EdDsa, &seed("ed25519-1", 32))
        .unwrap()
        .with_kid("es256-1");
    let impostor = KeyPair::from_seed(Algorithm::Es256, &seed("es256-2", 32))
        .unwrap()
        .with_kid("es256-1");
    let good = sign(json!({"typ": "JWT"}), &claims, &k.es256);
    let single_aud = with(json!({"aud": AUDIENCE}));
    let bad = |id: &str, title: &str, token: String, store: &str, now: u64, code: &str| {
        err(
            &format!("verify-jwt-svid/{id}"),
            title,
            input(&token, store, now),
            code,
        )
    };
    vec![
        ok(
            "verify-jwt-svid/typ-jwt",
            "JWT-SVID.md §2-3: typ JWT, kid, SPIFFE sub, aud contains the audience, exp",
            input(&good, &store, NOW + 10),
            verified(&claims),
        ),
        ok(
            "verify-jwt-svid/typ-jose-single-aud",
            "JWT-SVID.md §2.3: typ JOSE; aud as a single string",
            input(
                &sign(json!({"typ": "JOSE"}), &single_aud, &k.es256),
                &store,
                NOW + 10,
            ),
            verified(&single_aud),
        ),
        ok(
            "verify-jwt-svid/no-typ",
            "JWT-SVID.md §2.3: typ is optional",
            input(&sign(json!({}), &claims, &k.es256), &store, NOW + 10),
            verified(&claims),
        ),
        bad(
            "typ-wit",
            "specs §5.1: a wit+jwt token is not a JWT-SVID",
            sign(json!({"typ": "wit+jwt"}), &claims, &k.es256),
            &store,
            NOW + 10,
            "typ-mismatch",
        ),
        bad(
            "typ-at-jwt",
            "JWT-SVID.md §2.3: typ is JWT or JOSE only",
            sign(json!({"typ": "at+jwt"}), &claims, &k.es256),
            &store,
            NOW + 10,
            "typ-mismatch",
        ),
        bad(
            "extra-header-jwk",
            "JWT-SVID.md §2: only alg, kid and typ are allowed in the header",
            sign(
                json!({"typ": "JWT", "jwk": public(&k.es256)}),
                &claims,
                &k.es256,
            ),
            &store,
            NOW + 10,
            "malformed-token",
        ),
        bad(
            "alg-eddsa",
            "JWT-SVID.md §2.1: EdDSA is not on the JWT-SVID list",
            sign(json!({"typ": "JWT"}), &claims, &ed),
            &store,
            NOW + 10,
            "alg-not-allowed",
        ),
        bad(
            "kid-missing",
            "specs §5.1 (go-spiffe, SPIRE): kid is required",
            sign(json!({"typ": "JWT"}), &claims, &no_kid_key),
            &store,
            NOW + 10,
            "key-not-found",
        ),
        bad(
            "sub-missing",
            "JWT-SVID.md §3.1: sub is required",
            sign(json!({"typ": "JWT"}), &with(json!({"sub": null})), &k.es256),
            &store,
            NOW + 10,
            "claim-missing",
        ),
        bad(
            "sub-wimse",
            "JWT-SVID.md §3.1: sub is a SPIFFE ID",
            sign(
                json!({"typ": "JWT"}),
                &with(json!({"sub": "wimse://example.org/x"})),
                &k.es256,
            ),
            &store,
            NOW + 10,
            "invalid-identifier",
        ),
        bad(
            "sub-unknown-trust-domain",
            "JWT-SVID.md §4: the key comes from the bundle of sub's trust domain",
            sign(
                json!({"typ": "JWT"}),
                &with(json!({"sub": "spiffe://unknown.org/x"})),
                &k.es256,
            ),
            &store,
            NOW + 10,
            "unknown-trust-domain",
        ),
        bad(
            "key-of-other-trust-domain",
            "JWT-SVID.md §4: example.org's key cannot assert an other.org identity",
            sign(
                json!({"typ": "JWT"}),
                &with(json!({"sub": "spiffe://other.org/x"})),
                &k.es256,
            ),
            &store,
            NOW + 10,
            "key-not-found",
        ),
        bad(
            "wit-svid-key-only",
            "WIT-SVID §6.1: only jwt-svid authorities sign JWT-SVIDs",
            good.clone(),
            &wit_only,
            NOW + 10,
            "key-not-found",
        ),
        bad(
            "wrong-key-same-kid",
            "RFC 7519 §7.2: signature by another key claiming the kid",
            sign(json!({"typ": "JWT"}), &claims, &impostor),
            &store,
            NOW + 10,
            "invalid-signature",
        ),
        bad(
            "aud-missing",
            "JWT-SVID.md §3.2: aud is required",
            sign(json!({"typ": "JWT"}), &with(json!({"aud": null})), &k.es256),
            &store,
            NOW + 10,
            "claim-missing",
        ),
        bad(
            "aud-other",
            "JWT-SVID.md §3.2: aud must contain this verifier's audience",
            sign(
                json!({"typ": "JWT"}),
                &with(json!({"aud": ["https://billing.example.com"]})),
                &k.es256,
            ),
            &store,
            NOW + 10,
            "claim-mismatch",
        ),
        bad(
            "exp-missing",
            "JWT-SVID.md §3.3: exp is required",
            sign(json!({"typ": "JWT"}), &with(json!({"exp": null})), &k.es256),
            &store,
            NOW + 10,
            "claim-missing",
        ),
        bad(
            "expired",
            "JWT-SVID.md §3.3: exp passed (60 s leeway)",
            good,
            &store,
            NOW + 300 + 60,
            "token-expired",
        ),
    ]
}

fn x509_svid_cases(k: &Keys) -> Vec<Case> {
    use x509::{Spec, basic, build, ca_usage, leaf_usage, pem, san, usage, x5c};
    let key = |label: &str, alg: Algorithm| {
        KeyPair::from_seed(alg, &seed(label, alg.seed_len().unwrap())).unwrap()
    };
    let root_key = key("x509-root", Algorithm::Es256);
    let impostor_key = key("x509-impostor", Algorithm::Es256);
    let other_root_key = key("x509-other-root", Algorithm::Es256);
    let p384_root_key = key("x509-root-p384", Algorithm::Es384);
    let inter_key = key("x509-intermediate", Algorithm::Ed25519);
    let leaf_key = &k.es256;
    const ROOT_DN: &str = "CN=example.org root,O=Example";
    const INTER_DN: &str = "CN=example.org intermediate,O=Example";
    const OTHER_DN: &str = "CN=other.org root,O=Other";
    const LEAF_DN: &str = "CN=api,O=Example";
    const LEAF_ID: &str = "spiffe://example.org/ns/prod/sa/api";
    let (nb, na) = (NOW - 86_400, NOW + 365 * 86_400);
    let ca = |serial: u8, dn: &str, key: &KeyPair, exts: Vec<_>| {
        build(&Spec {
            serial,
            subject: dn,
            issuer: dn,
            not_before: nb,
            not_after: na,
            key,
            signer: key,
            extensions: exts,
        })
    };
    let root = ca(
        1,
        ROOT_DN,
        &root_key,
        vec![
            basic(true, None),
            ca_usage(),
            san(&["spiffe://example.org"], &[], false),
        ],
    );
    let root_pathlen0 = ca(
        2,
        ROOT_DN,
        &root_key,
        vec![basic(true, Some(0)), ca_usage()],
    );
    let impostor_root = ca(
        3,
        ROOT_DN,
        &impostor_key,
        vec![basic(true, None), ca_usage()],
    );
    let other_root = ca(
        4,
        OTHER_DN,
        &other_root_key,
        vec![basic(true, None), ca_usage()],
    );
    let p384_root = ca(
        5,
        ROOT_DN,
        &p384_root_key,
        vec![basic(true, None), ca_usage()],
    );
    let constrained_root = ca(
        6,
        ROOT_DN,
        &root_key,
        vec![
            basic(true, None),
            ca_usage(),
            x509::uri_constraints(&["example.org"], &[]),
        ],
    );
    let excluding_root = ca(
        7,
        ROOT_DN,
        &root_key,
        vec![
            basic(true, None),
            ca_usage(),
            x509::uri_constraints(&[], &["example.org"]),
        ],
    );
    let dir_constrained_root = ca(
        8,
        ROOT_DN,
        &root_key,
        vec![basic(true, None), ca_usage(), x509::directory_constraint()],
    );
    let inter = |serial: u8, exts: Vec<_>, not_after: u64| {
        build(&Spec {
            serial,
            subject: INTER_DN,
            issuer: ROOT_DN,
            not_before: nb,
            not_after,
            key: &inter_key,
            signer: &root_key,
            extensions: exts,
        })
    };
    let intermediate = inter(
        20,
        vec![
            basic(true, Some(0)),
            ca_usage(),
            san(&["spiffe://example.org"], &[], false),
        ],
        na,
    );
    let inter_not_ca = inter(21, vec![basic(false, None), ca_usage()], na);
    let inter_no_certsign = inter(
        22,
        vec![
            basic(true, None),
            usage(x509_cert::ext::pkix::KeyUsages::CRLSign),
        ],
        na,
    );
    let inter_expired = inter(23, vec![basic(true, None), ca_usage()], NOW - 10);
    let inter_with_path = inter(
        24,
        vec![
            basic(true, None),
            ca_usage(),
            san(&["spiffe://example.org/ca"], &[], false),
        ],
        na,
    );
    let leaf_with = |serial: u8,
                     subject: &str,
                     issuer: &str,
                     signer: &KeyPair,
                     exts: Vec<_>,
                     validity: (u64, u64)| {
        build(&Spec {
            serial,
            subject,
            issuer,
            not_before: validity.0,
            not_after: validity.1,
            key: leaf_key,
            signer,
            extensions: exts,
        })
    };
    let leaf_validity = (NOW - 60, NOW + 3600);
    let std_exts = |uris: &[&str]| {
        vec![
            basic(false, None),
            leaf_usage(true),
            san(uris, &["api.example.org"], false),
        ]
    };
    let leaf = |serial: u8, exts: Vec<_>| {
        leaf_with(serial, LEAF_DN, ROOT_DN, &root_key, exts, leaf_validity)
    };
    let good = leaf(40, std_exts(&[LEAF_ID]));
    let via_inter = leaf_with(
        41,
        LEAF_DN,
        INTER_DN,
        &inter_key,
        std_exts(&[LEAF_ID]),
        leaf_validity,
    );
    let by_other = leaf_with(
        42,
        LEAF_DN,
        OTHER_DN,
        &other_root_key,
        std_exts(&[LEAF_ID]),
        leaf_validity,
    );
    let by_p384 = leaf(43, std_exts(&[LEAF_ID]));
    let by_p384 = {
        let _ = by_p384;
        leaf_with(
            43,
            LEAF_DN,
            ROOT_DN,
            &p384_root_key,
            std_exts(&[LEAF_ID]),
            leaf_validity,
        )
    };
    let store_with = |roots: &[&[u8]]| {
        to_compact(&json!({"trust_domains": {
            "example.org": {"keys": roots.iter().map(|r| json!({"use": "x509-svid", "kty": "EC", "x5c": [x5c(r)]})).collect::<Vec<_>>()},
            "other.org": {"keys": [{"use": "x509-svid", "kty": "EC", "x5c": [x5c(&other_root)]}]},
        }}))
    };
    let store = store_with(&[&root]);
    let input = |chain: &[&[u8]], store: &str, now: u64| json!({"chain": pem(chain), "trust_store": store, "now": now});
    // Computed from the generator's own encoding of the leaf key, not by the code under test.
    let leaf_spki = b64::encode(&sha256(&x509::spki_der(leaf_key)));
    let expect = |leaf: &[u8], path_length: usize| {
        json!({
            "subject": LEAF_ID, "trust_domain": "example.org", "not_after": NOW + 3600,
            "spki_sha256": leaf_spki, "leaf_sha256": b64::encode(&sha256(leaf)), "path_length": path_length,
        })
    };
    let bad = |id: &str, title: &str, i: Value, code: &str| {
        err(&format!("verify-x509-svid/{id}"), title, i, code)
    };
    let t = NOW + 10;
    let mut cases = vec![
        ok(
            "verify-x509-svid/leaf-signed-by-root",
            "X509-SVID §5: leaf with one SPIFFE URI SAN, issued by the trust domain's root (ecdsa-with-SHA256)",
            input(&[&good], &store, t),
            expect(&good, 2),
        ),
        ok(
            "verify-x509-svid/via-intermediate",
            "X509-SVID §5: leaf, Ed25519 intermediate (SPIFFE ID without path, pathLen 0), root",
            input(&[&via_inter, &intermediate], &store, t),
            expect(&via_inter, 3),
        ),
        ok(
            "verify-x509-svid/unrelated-extra-certificate",
            "RFC 5280 §6: a presented certificate that is not on the path is ignored",
            input(&[&good, &other_root], &store, t),
            expect(&good, 2),
        ),
        ok(
            "verify-x509-svid/second-anchor",
            "SPIFFE bundle §4: any x509-svid authority of the trust domain may anchor the path",
            input(&[&by_p384], &store_with(&[&root, &p384_root]), t),
            expect(&by_p384, 2),
        ),
        ok(
            "verify-x509-svid/uri-name-constraint-permits",
            "RFC 5280 §4.2.1.10: a URI constraint example.org permits spiffe://example.org/...",
            input(&[&good], &store_with(&[&constrained_root]), t),
            expect(&good, 2),
        ),
        ok(
            "verify-x509-svid/at-not-after",
            "RFC 5280 §4.1.2.5: the validity period includes notAfter",
            input(&[&good], &store, NOW + 3600),
            expect(&good, 2),
        ),
    ];
    let leaf_bad = |serial: u8, exts: Vec<_>| leaf(serial, exts);
    cases.extend([
        bad("no-uri-san", "§7.G1: an X509-SVID has exactly one URI SAN (none, only a DNS SAN)",
            input(&[&leaf_bad(50, vec![basic(false, None), leaf_usage(true), san(&[], &["api.example.org"], false)])], &store, t), "certificate-rejected"),
        bad("no-san-extension", "§7.G1: no subjectAltName at all",
            input(&[&leaf_bad(51, vec![basic(false, None), leaf_usage(true)])], &store, t), "certificate-rejected"),
        bad("two-uri-sans", "§7.G1: more than one URI SAN is rejected",
            input(&[&leaf_bad(52, std_exts(&[LEAF_ID, "spiffe://example.org/ns/prod/sa/admin"]))], &store, t), "certificate-rejected"),
        bad("wimse-scheme", "§7.G3: an X509-SVID's URI is a spiffe:// ID",
            input(&[&leaf_bad(53, std_exts(&["wimse://example.org/ns/prod/sa/api"]))], &store, t), "invalid-identifier"),
        bad("non-canonical-id", "§7.A3: the URI SAN is parsed strictly (dot segment)",
            input(&[&leaf_bad(54, std_exts(&["spiffe://example.org/ns/../admin"]))], &store, t), "invalid-identifier"),
        bad("root-path", "§7.G3: the leaf's SPIFFE ID has a non-root path (X509-SVID #381)",
            input(&[&leaf_bad(55, std_exts(&["spiffe://example.org"]))], &store, t), "certificate-rejected"),
        bad("leaf-is-ca", "§7.G2: a leaf with cA=true",
            input(&[&leaf_bad(56, vec![basic(true, None), leaf_usage(true), san(&[LEAF_ID], &[], false)])], &store, t), "certificate-rejected"),
        bad("leaf-key-cert-sign", "§7.G2: a leaf whose key usage includes keyCertSign",
            input(&[&leaf_bad(57, vec![basic(false, None), usage(x509_cert::ext::pkix::KeyUsages::DigitalSignature | x509_cert::ext::pkix::KeyUsages::KeyCertSign), san(&[LEAF_ID], &[], false)])], &store, t), "certificate-rejected"),
        bad("leaf-crl-sign", "§7.G2: a leaf whose key usage includes cRLSign",
            input(&[&leaf_bad(58, vec![basic(false, None), usage(x509_cert::ext::pkix::KeyUsages::DigitalSignature | x509_cert::ext::pkix::KeyUsages::CRLSign), san(&[LEAF_ID], &[], false)])], &store, t), "certificate-rejected"),
        bad("ca-certificate-as-peer", "§7.G2 (wimsey): the root's own, validly self-signed certificate presented as the peer",
            input(&[&root], &store, t), "certificate-rejected"),
        bad("key-usage-missing", "§7.G6: keyUsage must be present",
            input(&[&leaf_bad(59, vec![basic(false, None), san(&[LEAF_ID], &[], false)])], &store, t), "certificate-rejected"),
        bad("key-usage-not-critical", "§7.G6: keyUsage must be critical",
            input(&[&leaf_bad(60, vec![basic(false, None), leaf_usage(false), san(&[LEAF_ID], &[], false)])], &store, t), "certificate-rejected"),
        bad("key-usage-without-digital-signature", "X509-SVID §4.3: a leaf's key usage includes digitalSignature",
            input(&[&leaf_bad(61, vec![basic(false, None), usage(x509_cert::ext::pkix::KeyUsages::KeyEncipherment), san(&[LEAF_ID], &[], false)])], &store, t), "certificate-rejected"),
        bad("unknown-critical-extension", "RFC 5280 §4.2: a critical extension the verifier does not process",
            input(&[&leaf_bad(62, vec![basic(false, None), leaf_usage(true), san(&[LEAF_ID], &[], false), x509::unknown_critical()])], &store, t), "certificate-rejected"),
        bad("empty-subject-non-critical-san", "RFC 5280 §4.1.2.6: with an empty subject the SAN is critical",
            input(&[&leaf_with(63, "", ROOT_DN, &root_key, std_exts(&[LEAF_ID]), leaf_validity)], &store, t), "certificate-rejected"),
        bad("expired", "§7.G4: the leaf is outside its validity window (after notAfter)",
            input(&[&good], &store, NOW + 3601), "token-expired"),
        bad("not-yet-valid", "§7.G4: the leaf is outside its validity window (before notBefore)",
            input(&[&good], &store, NOW - 61), "token-not-yet-valid"),
        bad("intermediate-expired", "§7.G4: every certificate on the path is within its validity window",
            input(&[&via_inter, &inter_expired], &store, t), "token-expired"),
        bad("unknown-trust-domain", "§7.G4: no bundle for the leaf's trust domain",
            input(&[&leaf_bad(64, std_exts(&["spiffe://unknown.org/x"]))], &store, t), "unknown-trust-domain"),
        bad("other-trust-domain-root", "§7.B4/G4: roots are never pooled; other.org's root cannot anchor an example.org SVID",
            input(&[&by_other], &store, t), "untrusted-chain"),
        bad("same-name-untrusted-root", "§7.G4: an issuer with the anchor's name but another key",
            input(&[&leaf_with(65, LEAF_DN, ROOT_DN, &impostor_key, std_exts(&[LEAF_ID]), leaf_validity), &impostor_root], &store, t), "untrusted-chain"),
        bad("tampered-signature", "RFC 5280 §6.1.3: the certificate signature verifies",
            input(&[&{ let mut c = good.clone(); let n = c.len(); c[n - 3] ^= 0x01; c }], &store, t), "untrusted-chain"),
        bad("missing-intermediate", "RFC 5280 §6: the intermediate was not presented",
            input(&[&via_inter], &store, t), "untrusted-chain"),
        bad("intermediate-not-ca", "RFC 5280 §6.1.4 (k): an issuer has cA=true",
            input(&[&via_inter, &inter_not_ca], &store, t), "untrusted-chain"),
        bad("intermediate-without-key-cert-sign", "RFC 5280 §6.1.4 (n): an issuer's key usage includes keyCertSign",
            input(&[&via_inter, &inter_no_certsign], &store, t), "untrusted-chain"),
        bad("path-length-exceeded", "RFC 5280 §6.1.4 (m): the root allows no intermediate (pathLen 0)",
            input(&[&via_inter, &intermediate], &store_with(&[&root_pathlen0]), t), "untrusted-chain"),
        bad("intermediate-id-with-path", "X509-SVID §3: a signing certificate's SPIFFE ID has no path",
            input(&[&via_inter, &inter_with_path], &store, t), "untrusted-chain"),
        bad("uri-name-constraint-excludes", "RFC 5280 §4.2.1.10: an excluded URI subtree",
            input(&[&good], &store_with(&[&excluding_root]), t), "certificate-rejected"),
        bad("uri-name-constraint-other-domain", "RFC 5280 §4.2.1.10: permitted other.org does not permit example.org",
            input(&[&good], &store_with(&[&ca(9, ROOT_DN, &root_key, vec![basic(true, None), ca_usage(), x509::uri_constraints(&["other.org"], &[])])]), t), "certificate-rejected"),
        bad("directory-name-constraint", "fail closed: name constraint forms this verifier does not apply are refused, not ignored",
            input(&[&good], &store_with(&[&dir_constrained_root]), t), "untrusted-chain"),
        bad("bundle-without-x509-authorities", "SPIFFE bundle §4.2: a trust domain with only JWT authorities has no X.509 anchors",
            input(&[&good], &to_compact(&json!({"trust_domains": {"example.org": {"keys": [bundle_entry(&k.es256, "jwt-svid")]}}})), t), "untrusted-chain"),
        bad("not-pem", "RFC 7468: the chain is PEM CERTIFICATE blocks",
            json!({"chain": format!("junk\n{}", pem(&[&good])), "trust_store": store, "now": t}), "malformed-certificate"),
        bad("private-key-block", "RFC 7468: only CERTIFICATE blocks",
            json!({"chain": pem(&[&good]).replace("CERTIFICATE", "PRIVATE KEY"), "trust_store": store, "now": t}), "malformed-certificate"),
        bad("not-der", "X.509: the block is not a DER certificate",
            json!({"chain": pem(&[b"not a certificate"]), "trust_store": store, "now": t}), "malformed-certificate"),
        bad("truncated", "X.509: a truncated certificate",
            json!({"chain": pem(&[&good[..good.len() - 1]]), "trust_store": store, "now": t}), "malformed-certificate"),
        bad("empty-chain", "at least one certificate",
            json!({"chain": "", "trust_store": store, "now": t}), "malformed-certificate"),
        bad("chain-too-long", "limits: at most 8 certificates per chain",
            input(&[&good, &intermediate, &intermediate, &intermediate, &intermediate, &intermediate, &intermediate, &intermediate, &intermediate], &store, t), "limit-exceeded"),
    ]);
    cases
}

fn attested_wit_cases(k: &Keys) -> Vec<Case> {
    let private = |kp: &KeyPair| serde_json::from_str::<Value>(&kp.to_private_jwk_json()).unwrap();
    let attester = KeyPair::from_seed(Algorithm::EdDsa, &seed("attester-k8s", 32))
        .unwrap()
        .with_kid("k8s-1");
    let impostor = KeyPair::from_seed(Algorithm::EdDsa, &seed("attester-impostor", 32))
        .unwrap()
        .with_kid("k8s-1");
    const K8S: &str = "https://kubernetes.default.svc";
    const API_ID: &str = "spiffe://example.org/ns/payments/sa/api";
    const DEFAULT_ID: &str = "spiffe://example.org/ns/payments/default";
    const DIGEST: &str = "sha256:5e6f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7";
    let evidence_claims = json!({
        "iss": K8S, "aud": ["spiffe://example.org"], "sub": "system:serviceaccount:payments:api",
        "iat": NOW, "exp": NOW + 600,
        "kubernetes.io": {"namespace": "payments", "serviceaccount": {"name": "api"}, "pod": {"name": "api-7f9c"}},
        "image_digest": DIGEST,
    });
    let attester_entry = json!({"name": "k8s", "issuer": K8S, "audience": "spiffe://example.org",
        "keys": jwks(&[&attester]), "algorithms": ["EdDSA"], "typ": "JWT", "max_age": 600});
    let policy = json!({
        "trust_domain": "spiffe://example.org",
        "issuer": "https://issuer.example.org",
        "wit_lifetime": 3600,
        "attesters": [attester_entry],
        "rules": [
            {"attester": "k8s", "selectors": {"/kubernetes.io/namespace": "payments", "/kubernetes.io/serviceaccount/name": "api", "/image_digest": DIGEST}, "identity": API_ID},
            {"attester": "k8s", "selectors": {"/kubernetes.io/namespace": "payments"}, "identity": DEFAULT_ID},
        ],
    });
    let policy_with = |patch: Value| patched(&policy, patch);
    let evidence = |claims: &Value| sign(json!({"typ": "JWT"}), claims, &attester);
    let ev_with = |patch: Value| evidence(&patched(&evidence_claims, patch));
    let good = evidence(&evidence_claims);
    let holder = cnf_jwk(&k.ed25519);
    let input = |policy: &Value, evidence: &str, cnf: &Value, issuer_key: Value| json!({"issuer_key": issuer_key, "policy": policy, "evidence": evidence, "cnf_jwk": cnf, "now": NOW + 5, "jti": "att-1"});
    let std_input = |evidence: &str| input(&policy, evidence, &holder, private(&k.es256));
    // The expected WIT, assembled here from the claims the issuer must write and signed with the
    // identity server key (deterministic ES256).
    let expected = |sub: &str, iss: Option<&str>| {
        let mut claims = json!({"sub": sub, "iat": NOW + 5, "exp": NOW + 5 + 3600, "jti": "att-1", "cnf": {"jwk": holder.clone()}});
        if let Some(iss) = iss {
            claims["iss"] = json!(iss);
        }
        json!({"token": sign(json!({"typ": "wit+jwt"}), &claims, &k.es256), "subject": sub,
            "issued_at": NOW + 5, "expires_at": NOW + 5 + 3600, "renew_after": NOW + 5 + 1800})
    };
    let bound = ev_with(json!({"cnf": {"jkt": thumb(&k.ed25519)}}));
    let bad = |id: &str, title: &str, i: Value, code: &str| {
        err(&format!("issue-attested-wit/{id}"), title, i, code)
    };
    let policy_bad = |id: &str, title: &str, p: Value| {
        bad(
            id,
            title,
            input(&p, &good, &holder, private(&k.es256)),
            "invalid-argument",
        )
    };
    let wimse_policy = policy_with(
        json!({"trust_domain": "wimse://example.com", "issuer": null, "rules": [
        {"attester": "k8s", "selectors": {"/kubernetes.io/namespace": "payments"}, "identity": "wimse://example.com/payments/api"}]}),
    );
    let mut attester_hs = attester_entry_clone(&policy);
    attester_hs["algorithms"] = json!(["HS256"]);
    let mut attester_twice = attester_entry_clone(&policy);
    attester_twice["name"] = json!("k8s-copy");
    vec![
        ok(
            "issue-attested-wit/first-matching-rule",
            "issue 6 item 5: evidence from the configured attester matching every selector of the first rule",
            std_input(&good),
            expected(API_ID, Some("https://issuer.example.org")),
        ),
        ok(
            "issue-attested-wit/second-rule",
            "rules are tried in order: another image digest fails rule 1 and matches rule 2",
            std_input(&ev_with(json!({"image_digest": "sha256:00"}))),
            expected(DEFAULT_ID, Some("https://issuer.example.org")),
        ),
        ok(
            "issue-attested-wit/key-bound-evidence",
            "evidence cnf.jkt equals the RFC 7638 thumbprint of the presented key (required by policy)",
            input(
                &policy_with(json!({"require_key_binding": true})),
                &bound,
                &holder,
                private(&k.es256),
            ),
            expected(API_ID, Some("https://issuer.example.org")),
        ),
        ok(
            "issue-attested-wit/wimse-trust-domain",
            "a WIMSE trust domain; no issuer configured, so no iss in the WIT",
            input(&wimse_policy, &good, &holder, private(&k.es256)),
            expected("wimse://example.com/payments/api", None),
        ),
        bad(
            "unknown-attester",
            "evidence from an issuer the policy does not name",
            std_input(&ev_with(json!({"iss": "https://attacker.example"}))),
            "attestation-rejected",
        ),
        bad(
            "evidence-iss-missing",
            "the attester is chosen by iss; evidence without one is refused",
            std_input(&ev_with(json!({"iss": null}))),
            "claim-missing",
        ),
        bad(
            "evidence-wrong-key",
            "keys come only from the attester's configuration: another key claiming its kid",
            std_input(&sign(json!({"typ": "JWT"}), &evidence_claims, &impostor)),
            "invalid-signature",
        ),
        bad(
            "evidence-tampered",
            "a selector value changed after signing",
            std_input(&replace_segment(
                &good,
                1,
                &b64::encode(
                    to_compact(&patched(
                        &evidence_claims,
                        json!({"image_digest": "sha256:ff"}),
                    ))
                    .as_bytes(),
                ),
            )),
            "invalid-signature",
        ),
        bad(
            "evidence-expired",
            "evidence exp passed (plus leeway)",
            std_input(&ev_with(json!({"iat": NOW - 700, "exp": NOW - 100}))),
            "token-expired",
        ),
        bad(
            "evidence-too-old",
            "evidence iat older than the attester's max_age",
            std_input(&ev_with(json!({"iat": NOW - 900, "exp": NOW + 600}))),
            "token-too-old",
        ),
        bad(
            "evidence-iat-missing",
            "max_age needs iat",
            std_input(&ev_with(json!({"iat": null}))),
            "claim-missing",
        ),
        bad(
            "evidence-aud-other",
            "evidence for another audience",
            std_input(&ev_with(json!({"aud": "spiffe://other.org"}))),
            "claim-mismatch",
        ),
        bad(
            "evidence-typ-wit",
            "typ confusion: a WIT is not attestation evidence",
            std_input(&sign(
                json!({"typ": "wit+jwt"}),
                &evidence_claims,
                &attester,
            )),
            "typ-mismatch",
        ),
        bad(
            "evidence-alg-none",
            "alg none",
            std_input(&format!(
                "{}.{}.AA",
                b64::encode(br#"{"alg":"none","typ":"JWT"}"#),
                b64::encode(to_compact(&evidence_claims).as_bytes())
            )),
            "alg-not-allowed",
        ),
        bad(
            "no-rule-matches",
            "no rule's selectors match (namespace billing)",
            std_input(&ev_with(
                json!({"kubernetes.io": {"namespace": "billing", "serviceaccount": {"name": "api"}}}),
            )),
            "attestation-rejected",
        ),
        bad(
            "selector-claim-missing",
            "a selector whose claim is absent does not match",
            std_input(&ev_with(json!({"kubernetes.io": null}))),
            "attestation-rejected",
        ),
        bad(
            "selector-type-confusion",
            "selectors compare JSON values exactly: [\"payments\"] is not \"payments\"",
            std_input(&ev_with(
                json!({"kubernetes.io": {"namespace": ["payments"], "serviceaccount": {"name": "api"}}}),
            )),
            "attestation-rejected",
        ),
        bad(
            "bound-to-other-key",
            "evidence cnf.jkt names another key: stolen evidence cannot bind the thief's key",
            input(&policy, &bound, &cnf_jwk(&k.es256_other), private(&k.es256)),
            "attestation-rejected",
        ),
        bad(
            "binding-required",
            "require_key_binding: evidence without cnf.jkt is refused",
            input(
                &policy_with(json!({"require_key_binding": true})),
                &good,
                &holder,
                private(&k.es256),
            ),
            "attestation-rejected",
        ),
        bad(
            "holder-key-symmetric",
            "the bound key is asymmetric",
            input(
                &policy,
                &good,
                &json!({"kty": "oct", "alg": "HS256", "k": b64::encode(&[7u8; 32])}),
                private(&k.es256),
            ),
            "invalid-argument",
        ),
        bad(
            "holder-key-without-alg",
            "the bound key carries its alg",
            input(
                &policy,
                &good,
                &{
                    let mut j = holder.clone();
                    j.as_object_mut().unwrap().remove("alg");
                    j
                },
                private(&k.es256),
            ),
            "invalid-argument",
        ),
        bad(
            "hmac-issuer-key",
            "identity servers sign with asymmetric keys",
            input(&policy, &good, &holder, private(&k.hs256)),
            "alg-not-allowed",
        ),
        policy_bad(
            "policy-identity-other-trust-domain",
            "§7.B1: every rule identity is in the policy's trust domain",
            policy_with(
                json!({"rules": [{"attester": "k8s", "selectors": {"/a": 1}, "identity": "spiffe://other.org/x"}]}),
            ),
        ),
        policy_bad(
            "policy-identity-cross-scheme",
            "§7.B1: wimse://example.org is not spiffe://example.org",
            policy_with(
                json!({"rules": [{"attester": "k8s", "selectors": {"/a": 1}, "identity": "wimse://example.org/x"}]}),
            ),
        ),
        policy_bad(
            "policy-identity-root",
            "a rule identity has a path",
            policy_with(
                json!({"rules": [{"attester": "k8s", "selectors": {"/a": 1}, "identity": "spiffe://example.org"}]}),
            ),
        ),
        policy_bad(
            "policy-unknown-member",
            "unknown members are refused",
            policy_with(json!({"lifetime": 60})),
        ),
        policy_bad(
            "policy-unknown-attester",
            "a rule names a configured attester",
            policy_with(
                json!({"rules": [{"attester": "tpm", "selectors": {"/a": 1}, "identity": API_ID}]}),
            ),
        ),
        policy_bad(
            "policy-empty-selectors",
            "a rule has at least one selector",
            policy_with(
                json!({"rules": [{"attester": "k8s", "selectors": {}, "identity": API_ID}]}),
            ),
        ),
        policy_bad(
            "policy-selector-not-pointer",
            "selectors are RFC 6901 JSON Pointers",
            policy_with(
                json!({"rules": [{"attester": "k8s", "selectors": {"namespace": "payments"}, "identity": API_ID}]}),
            ),
        ),
        policy_bad(
            "policy-hmac-attester",
            "attester algorithms are asymmetric",
            policy_with(json!({"attesters": [attester_hs]})),
        ),
        policy_bad(
            "policy-attester-issuer-twice",
            "the evidence iss selects one attester: issuers are unique",
            policy_with(json!({"attesters": [attester_entry_clone(&policy), attester_twice]})),
        ),
        policy_bad(
            "policy-lifetime-too-long",
            "wit_lifetime at most 24 h",
            policy_with(json!({"wit_lifetime": 90_000})),
        ),
        policy_bad(
            "policy-trust-domain-not-canonical",
            "the trust domain is canonical",
            policy_with(json!({"trust_domain": "spiffe://Example.org"})),
        ),
    ]
}

fn attester_entry_clone(policy: &Value) -> Value {
    policy["attesters"][0].clone()
}

fn renewal_cases() -> Vec<Case> {
    let i = |iat: u64, exp: u64| json!({"issued_at": iat, "expires_at": exp});
    vec![
        ok(
            "renewal-time/half-life",
            "SPIRE's rule: renew at half the lifetime",
            i(1000, 4600),
            json!({"renew_after": 2800}),
        ),
        ok(
            "renewal-time/odd-lifetime",
            "half of an odd lifetime rounds down",
            i(0, 3601),
            json!({"renew_after": 1800}),
        ),
        err(
            "renewal-time/zero-lifetime",
            "expires_at must be after issued_at",
            i(5, 5),
            "invalid-argument",
        ),
        err(
            "renewal-time/reversed",
            "expires_at before issued_at",
            i(6, 5),
            "invalid-argument",
        ),
    ]
}
