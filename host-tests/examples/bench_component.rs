//! `make bench`, the component under wasmtime: the same operations and the same measuring as
//! `bench/src/main.rs` (native), through the component's WIT exports, compiled once ahead of
//! the runs. Also the time to instantiate the compiled component (what a host pays per fresh
//! instance). Prints `{"ops": {op: {...}}, "instantiate_us": {...}, "compile_ms": N}`.
//!
//! Built in the dev profile so that it reuses the wasmtime the host tests compile (dependencies
//! at opt-level 2); the guest code is Cranelift's either way.
#![allow(
    clippy::print_stdout,
    clippy::disallowed_methods,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    missing_docs,
    reason = "a benchmark host: it reads clocks and fixed fixture JSON"
)]

use std::time::Instant;

use a2a_auth_bench::measure;
use a2a_auth_host_tests::exports::a2a::auth::gate::GateRequest;
use a2a_auth_host_tests::{AuthPre, component_path};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Map, Value, json};
use wasmtime::component::{Component, Linker};
use wasmtime::{Engine, Store};

fn gate_request(v: &Value, body: &[u8]) -> GateRequest {
    let r = a2a_auth_bench::fixture_request(v, body);
    GateRequest {
        method: r.method,
        target_uri: r.target_uri,
        headers: r.headers,
        body: r.body,
        mtls_peer: None,
    }
}

fn main() {
    let fixtures = std::env::args()
        .nth(1)
        .expect("usage: bench_component FIXTURES.json");
    let fx: Value = serde_json::from_str(&std::fs::read_to_string(fixtures).unwrap()).unwrap();
    let engine = Engine::default();
    let bytes = std::fs::read(component_path()).expect("dist/a2a_auth.wasm (make component)");
    let t = Instant::now();
    let component = Component::new(&engine, &bytes).unwrap();
    let compile_ms = t.elapsed().as_secs_f64() * 1e3;
    let linker: Linker<()> = Linker::new(&engine);
    let pre = AuthPre::new(linker.instantiate_pre(&component).unwrap()).unwrap();
    // Instantiating the compiled component in a fresh store, as a host does per instance.
    let mut inst = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let mut store = Store::new(&engine, ());
        let _ = pre.instantiate(&mut store).unwrap();
        inst.push(t.elapsed().as_secs_f64() * 1e6);
    }
    inst.sort_by(f64::total_cmp);
    let mut store = Store::new(&engine, ());
    let auth = pre.instantiate(&mut store).unwrap();
    let now = fx["now"].as_u64().unwrap();
    let body = B64.decode(fx["body"].as_str().unwrap()).unwrap();
    let mut out = Map::new();
    let jose = auth.a2a_auth_jose();
    for (op, name) in [("es256-verify", "jws_es256"), ("eddsa-verify", "jws_eddsa")] {
        let j = &fx[name];
        let (token, keys) = (j["token"].as_str().unwrap(), j["keys"].as_str().unwrap());
        let algs: Vec<String> = j["algorithms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
        out.insert(
            op.into(),
            measure(usize::MAX, |_| {
                jose.call_verify_jws(&mut store, token, keys, &algs)
                    .unwrap()
                    .unwrap();
            }),
        );
    }
    let identity = auth.a2a_auth_identity();
    let (token, trust) = (
        fx["wit"]["token"].as_str().unwrap(),
        fx["wit"]["trust_store"].as_str().unwrap(),
    );
    out.insert(
        "wit-verify".into(),
        measure(usize::MAX, |_| {
            identity
                .call_verify_workload_identity_token(&mut store, token, trust, now, None, false)
                .unwrap()
                .unwrap();
        }),
    );
    let gate = auth.a2a_auth_gate();
    let policy = fx["policy"].as_str().unwrap();
    let secret = [9u8; 32];
    // A fresh verifier (empty caches) from the fixtures' policy.
    let create = |store: &mut _| {
        gate.verifier()
            .call_create(store, policy, &secret)
            .unwrap()
            .unwrap()
    };
    for (op, name) in [
        ("wimse-request-cold", "wimse_cold"),
        ("wimse-request-warm", "wimse_warm"),
        ("dpop-request", "dpop"),
        ("httpsig-request-4k", "httpsig"),
    ] {
        let requests: Vec<GateRequest> = fx[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| gate_request(r, &body))
            .collect();
        let v = create(&mut store);
        out.insert(
            op.into(),
            measure(requests.len(), |i| {
                if let Err(d) = gate
                    .verifier()
                    .call_authenticate(&mut store, v, &requests[i], now)
                    .unwrap()
                {
                    panic!("{op}: request {i} denied: {}", d.audit);
                }
            }),
        );
    }
    let hit = gate_request(&fx["cache_hit"], &body);
    let v = create(&mut store);
    out.insert(
        "cache-hit".into(),
        measure(usize::MAX, |_| {
            gate.verifier()
                .call_authenticate(&mut store, v, &hit, now)
                .unwrap()
                .unwrap();
        }),
    );
    let pct = |p: f64| inst[((inst.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{}",
        json!({"ops": out, "instantiate_us": {"p50": pct(0.5), "p99": pct(0.99)}, "compile_ms": compile_ms})
    );
}
