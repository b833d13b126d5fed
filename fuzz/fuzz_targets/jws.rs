//! JWS compact parsing and verification against a fixed key set (any input, any header).
#![no_main]
use a2a_auth::Limits;
use a2a_auth::crypto::{Algorithm, AlgorithmSet, JwkSet, KeyPair};
use a2a_auth::jose;
use libfuzzer_sys::fuzz_target;

static KEYS: std::sync::LazyLock<JwkSet> = std::sync::LazyLock::new(|| {
    let keys = [Algorithm::Es256, Algorithm::EdDsa]
        .iter()
        .filter_map(|a| KeyPair::from_seed(*a, &[7; 32]).ok())
        .map(|k| k.public_jwk().clone())
        .collect();
    JwkSet::from_keys(keys)
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(jws) = jose::parse_jws(text, &Limits::DEFAULT) else {
        return;
    };
    let _ = jws.verify(&KEYS, AlgorithmSet::ASYMMETRIC, &Limits::DEFAULT);
});
