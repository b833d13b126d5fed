//! Project Wycheproof signature and MAC suites through the core's crypto layer (`Jwk::verify`),
//! with the decisions of `vectors/wycheproof/manifest.json`.
#![allow(clippy::unwrap_used)]

use a2a_auth::crypto::Jwk;
use a2a_auth::{Error, Limits};

fn verify(alg: &str, jwk: &str, message: &[u8], signature: &[u8]) -> Result<(), Error> {
    let alg = a2a_auth::ffi::algorithm(alg)?;
    Jwk::from_json(jwk, &Limits::DEFAULT)?.verify(alg, message, signature)
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
