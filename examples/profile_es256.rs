//! `make profile`: where one ES256 verification's time goes, step by step. Run natively and,
//! compiled for wasm32-wasip1 with the size-tuned `wasm` profile, under wasmtime (the code the
//! component runs). `make bench` runs it too (`--json`: nanoseconds per step), for the
//! before/after of the ES256
//! verification itself in one run: the `p256` crate against `a2a-auth-p256-verify`.
//!
//! ```text
//! cargo run --release --features profile --example profile_es256 [milliseconds per step] [--json]
//! ```
#![expect(clippy::print_stdout, reason = "a report on stdout")]

use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ms = args.iter().find_map(|a| a.parse().ok()).unwrap_or(300u64);
    let rows = a2a_auth::crypto::p256_profile::run(Duration::from_millis(ms));
    if args.iter().any(|a| a == "--json") {
        let fields: Vec<String> = rows
            .iter()
            .map(|r| format!("{:?}: {:.0}", r.step, r.ns))
            .collect();
        println!("{{{}}}", fields.join(", "));
        return;
    }
    println!("| step | ns per call | calls per cold verification | share of a cold verification |");
    println!("|---|---|---|---|");
    let total = rows
        .iter()
        .find(|r| r.step.starts_with("verify, cold"))
        .map_or(f64::NAN, |r| r.ns);
    for r in &rows {
        let (calls, share) = match r.per_verify {
            Some(n) => (
                n.to_string(),
                format!("{:.0}%", 100.0 * r.ns * n as f64 / total),
            ),
            None => (String::new(), String::new()),
        };
        println!("| {} | {:.0} | {calls} | {share} |", r.step, r.ns);
    }
}
