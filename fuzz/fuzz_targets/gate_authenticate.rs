//! `Verifier::authenticate` on an arbitrary request under a policy that accepts every
//! credential kind (the gate vectors' first policy), one verifier across runs so the caches and
//! the replay state see the flood.
#![no_main]
use std::cell::RefCell;

use a2a_auth::gate::{IncomingRequest, Verifier, VerifierOptions};
use a2a_auth::policy::Policy;
use a2a_auth::{Limits, UnixTime};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    mtls_peer: Option<String>,
    now: u32,
}

fn verifier() -> Verifier {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../vectors/gate/authenticate.json"))
            .expect("vectors");
    let policy = doc["cases"][0]["input"]["policy"]
        .as_str()
        .expect("a policy");
    Verifier::new(
        Policy::from_json(policy, &Limits::DEFAULT).expect("policy"),
        &[7; 32],
        VerifierOptions::default(),
    )
    .expect("verifier")
}

thread_local! {
    static VERIFIER: RefCell<Verifier> = RefCell::new(verifier());
}

fuzz_target!(|r: Request| {
    let target = format!("https://tools.example.com{}", r.path);
    VERIFIER.with(|v| {
        let _ = v.borrow_mut().authenticate(
            &IncomingRequest {
                method: &r.method,
                target_uri: &target,
                headers: &r.headers,
                body: r.body.as_deref(),
                mtls_peer: r.mtls_peer.as_deref(),
            },
            UnixTime(1_767_225_600 + u64::from(r.now % 3600)),
        );
    });
});
