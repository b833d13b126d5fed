//! Security Event Tokens (verified against a fixed transmitter), RFC 9493 subject identifiers,
//! and the SSF poll response and metadata parsers.
#![no_main]
use a2a_auth::crypto::{Algorithm, AlgorithmSet, JwkSet, KeyPair};
use a2a_auth::events::{SetValidation, SubjectId, ssf, verify_set};
use a2a_auth::{Leeway, Limits, UnixTime};
use libfuzzer_sys::fuzz_target;

static VALIDATION: std::sync::LazyLock<SetValidation> = std::sync::LazyLock::new(|| {
    let key = KeyPair::from_seed(Algorithm::Es256, &[9; 32]).expect("key");
    SetValidation {
        issuer: "https://ssf.example.com".into(),
        keys: JwkSet::from_keys(vec![key.public_jwk().clone()]),
        algorithms: AlgorithmSet::ASYMMETRIC,
        audience: "https://tools.example.com".into(),
        critical_subject_members: Vec::new(),
        leeway: Leeway::DEFAULT,
        limits: Limits::DEFAULT,
    }
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = verify_set(text, &VALIDATION, UnixTime(1_767_225_600));
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = SubjectId::parse(&value);
    }
    let _ = ssf::parse_poll_response(text, &Limits::DEFAULT);
});
