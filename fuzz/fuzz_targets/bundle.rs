//! SPIFFE trust bundles and bundle maps.
#![no_main]
use a2a_auth::Limits;
use a2a_auth::identity::{Bundle, TrustStore};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Bundle::parse("example.org", text, &Limits::DEFAULT);
    let _ = TrustStore::from_bundle_map(text, &Limits::DEFAULT);
});
