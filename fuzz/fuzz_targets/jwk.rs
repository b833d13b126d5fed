//! JWK and JWKS parsing, private keys included (points, lengths, RSA sizes, members).
#![no_main]
use a2a_auth::Limits;
use a2a_auth::crypto::{Jwk, JwkSet, KeyPair};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(jwk) = Jwk::from_json(text, &Limits::DEFAULT) {
        let _ = jwk.thumbprint();
    }
    let _ = JwkSet::from_json(text, &Limits::DEFAULT);
    let _ = KeyPair::from_jwk(text, None, &Limits::DEFAULT);
});
