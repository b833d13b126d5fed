//! The one way every Rust-side harness of `make bench` measures (the Node and Python harnesses
//! do the same, step for step): 30 warm-up operations, then each operation timed on its own
//! until the pool is used up or 1.5 s are spent; throughput = operations / summed time on one
//! thread (per core); p50/p99 over the timed operations.
#![allow(
    clippy::disallowed_methods,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a benchmark: it reads the clock; sample indexes are within the sorted samples"
)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Untimed operations before the timed ones.
pub const WARMUP: usize = 30;
/// Time spent on the timed operations of one measurement, at most.
pub const BUDGET: Duration = Duration::from_millis(1500);

/// Times `f(i)` for `i` over the pool (`usize::MAX`: no pool) after the warm-up:
/// `{ops_per_sec, p50_us, p99_us, n}`.
pub fn measure(pool: usize, mut f: impl FnMut(usize)) -> Value {
    for i in 0..WARMUP.min(pool) {
        f(i);
    }
    let mut samples = Vec::new();
    let mut total = Duration::ZERO;
    let mut i = WARMUP.min(pool);
    while i < pool.max(WARMUP + 1) && total < BUDGET {
        let t = Instant::now();
        f(i % pool.max(1));
        let d = t.elapsed();
        total += d;
        samples.push(d.as_secs_f64() * 1e6);
        i += 1;
    }
    samples.sort_by(f64::total_cmp);
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    json!({"ops_per_sec": samples.len() as f64 / total.as_secs_f64(), "p50_us": pct(0.5), "p99_us": pct(0.99), "n": samples.len()})
}

/// One pooled request of the fixtures (`{"method", "target_uri", "headers", "body": bool}`),
/// the body being the fixtures' shared `body` when `body` is true.
pub struct FixtureRequest {
    /// The method.
    pub method: String,
    /// The absolute target URI.
    pub target_uri: String,
    /// Header fields in order.
    pub headers: Vec<(String, String)>,
    /// The body, when the request has one.
    pub body: Option<Vec<u8>>,
}

/// Reads one pooled request of the fixtures.
///
/// # Panics
/// On a fixtures file this crate did not write.
#[expect(
    clippy::expect_used,
    reason = "fixtures are written by `a2a-auth-bench fixtures`"
)]
pub fn fixture_request(v: &Value, body: &[u8]) -> FixtureRequest {
    let text = |x: &Value| x.as_str().expect("fixture strings").to_owned();
    FixtureRequest {
        method: text(&v["method"]),
        target_uri: text(&v["target_uri"]),
        headers: v["headers"]
            .as_array()
            .expect("fixture headers")
            .iter()
            .map(|h| (text(&h[0]), text(&h[1])))
            .collect(),
        body: (v["body"] == true).then(|| body.to_vec()),
    }
}
