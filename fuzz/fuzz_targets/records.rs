//! The compliance check over arbitrary decision-record lines.
#![no_main]
use a2a_auth::Limits;
use a2a_auth::policy::Policy;
use libfuzzer_sys::fuzz_target;

static POLICY: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(|| {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../vectors/gate/authenticate.json"))
            .expect("vectors");
    Policy::from_json(
        doc["cases"][0]["input"]["policy"].as_str().expect("policy"),
        &Limits::DEFAULT,
    )
    .expect("policy")
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = a2a_auth::audit::check_records(&POLICY, text);
});
