//! The policy document and the issuance policy document.
#![no_main]
use a2a_auth::Limits;
use a2a_auth::identity::IssuancePolicy;
use a2a_auth::policy::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Policy::from_json(text, &Limits::DEFAULT);
    let _ = IssuancePolicy::from_json(text, &Limits::DEFAULT);
});
