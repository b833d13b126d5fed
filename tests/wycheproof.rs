//! Project Wycheproof signature and MAC suites through the core's crypto layer (`Jwk::verify`),
//! with the decisions of `vectors/wycheproof/manifest.json`.
#![allow(clippy::unwrap_used)]

use a2a_auth::crypto::Jwk;
use a2a_auth::{Error, Limits};

/// One case, verified four times with the same parsed key: a P-256 key answers its first three
/// uses on the cold path (Straus–Shamir wNAF) and later ones through its comb
/// (`a2a_auth_p256_verify`), so every ES256 case checks both paths and that they agree.
fn verify(alg: &str, jwk: &str, message: &[u8], signature: &[u8]) -> Result<(), Error> {
    let alg = a2a_auth::ffi::algorithm(alg)?;
    let key = Jwk::from_json(jwk, &Limits::DEFAULT)?;
    let first = key.verify(alg, message, signature);
    for _ in 0..3 {
        assert_eq!(
            key.verify(alg, message, signature),
            first,
            "the verification paths disagree ({alg:?})"
        );
    }
    first
}

#[test]
fn wycheproof_suites() {
    let failures = a2a_auth_conformance::run_wycheproof("core", |alg, jwk, msg, sig| {
        verify(alg, jwk, msg, sig).map_err(|e| e.code().to_owned())
    });
    assert!(
        failures.is_empty(),
        "wycheproof failures:\n{}",
        failures.join("\n")
    );
}
