//! The strict JSON object parser (duplicate members, depth, size, UTF-8, lone surrogates).
#![no_main]
use a2a_auth::Limits;
use a2a_auth::encoding::json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = json::parse_object(data, &Limits::DEFAULT);
});
