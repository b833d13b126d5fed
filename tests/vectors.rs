//! Runs every conformance vector file through the native core's Rust API (the shared runner in
//! `conformance/` walks `vectors/` or `A2A_AUTH_VECTORS`, applies `exceptions/core.json`, and
//! compares results; `a2a_auth_conformance::native` runs each op and checks that nothing the
//! library produced carries token text or key material).
#![allow(clippy::print_stdout)]

use a2a_auth_conformance::native::{self, LeakCheck};
use serde_json::json;

#[test]
fn conformance_vectors() {
    let dir = a2a_auth_conformance::vectors_dir();
    let mut check = LeakCheck::default();
    let failures = a2a_auth_conformance::run_vectors("core", &dir, |op, input| {
        native::run(op, input, &mut check)
    });
    println!(
        "token-free: {} error messages and records checked, {} leaks",
        check.checked,
        check.leaks.len()
    );
    assert!(
        check.leaks.is_empty(),
        "token text in output:\n{}",
        check.leaks.join("\n")
    );
    assert!(
        check.checked > 500,
        "the leak check saw too little ({})",
        check.checked
    );
    assert!(
        failures.is_empty(),
        "vector failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_leak_check_sees_tokens_and_keys() {
    let token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";
    let input = json!({"request": {"headers": [["Authorization", format!("DPoP {token}")]]},
                       "policy": json!({"keys": [{"kty": "EC", "d": "c2VjcmV0LXNjYWxhci1ieXRlcw"}]}).to_string()});
    let mut secrets = Vec::new();
    native::secrets_of(&input, &mut secrets);
    secrets.sort();
    let mut expected = [
        "eyJhbGciOiJFUzI1NiJ9",
        "eyJzdWIiOiJ1c2VyLTEyMyJ9",
        "c2lnbmF0dXJlLWJ5dGVzLWhlcmU",
        "c2VjcmV0LXNjYWxhci1ieXRlcw",
    ];
    expected.sort_unstable();
    assert_eq!(secrets, expected);
}
