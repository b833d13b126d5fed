//! `make bench`, native side.
//!
//! - `a2a-auth-bench fixtures OUT.json`: writes what every host measures on: two JWSs, a WIT
//!   and its trust store, the policy, and pools of distinct signed requests (each proof is
//!   single-use, so every measured request is a fresh one, as in production).
//! - `a2a-auth-bench native FIXTURES.json`: measures the native core on them and prints
//!   `{op: {ops_per_sec, p50_us, p99_us, n}}`.
//!
//! Every host measures the same way (`measure` here, and its twins in `host-tests`'s
//! `bench_component`, `bench/node.mjs`, `bench/python_bench.py`): after a warm-up, each
//! operation is timed on its own until the pool is used up or the time budget is spent;
//! throughput is operations over the summed time (one thread, so per core).
#![allow(
    clippy::print_stdout,
    clippy::disallowed_methods,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    clippy::panic,
    reason = "a benchmark host: it reads clocks and fixed fixture JSON"
)]

use a2a_auth::UnixTime;
use a2a_auth::crypto::{Algorithm, KeyPair};
use a2a_auth::encoding::base64url;
use a2a_auth::ffi;
use a2a_auth::gate::{OutgoingRequest, Signer, TokenType, WorkloadProof};
use a2a_auth::httpsig::WimseVersion;
use a2a_auth::identity::{WitClaims, WorkloadId, issue_workload_identity_token};
use a2a_auth::jose::sign_jws;
use a2a_auth::proof::WptWire;
use a2a_auth_bench::measure;
use serde_json::{Map, Value, json};

const NOW: u64 = 1_767_225_600;
const ORIGIN: &str = "https://svc.example.com";
const AS: &str = "https://as.example.com";
const AGENT: &str = "spiffe://example.org/agent";
/// Distinct signed requests per pooled operation.
const POOL: usize = 2000;

fn key(alg: Algorithm, n: u8, kid: &str) -> KeyPair {
    KeyPair::from_seed(alg, &[n; 32]).unwrap().with_kid(kid)
}

fn public(k: &KeyPair) -> Value {
    Value::Object(k.public_jwk().to_object())
}

fn wit(td: &KeyPair, holder: &KeyPair, jti: &str) -> String {
    issue_workload_identity_token(
        td,
        &WitClaims {
            subject: &WorkloadId::parse(AGENT).unwrap(),
            confirmation_key: holder.public_jwk(),
            issued_at: UnixTime(NOW - 10),
            lifetime: 3600,
            jti,
            issuer: None,
        },
    )
    .unwrap()
}

fn request(signer: &Signer, method: &str, path: &str, body: Option<&[u8]>, n: usize) -> Value {
    let uri = format!("{ORIGIN}{path}");
    let mut entropy = [0u8; 16];
    entropy[..8].copy_from_slice(&(n as u64).to_le_bytes());
    entropy[8] = 0xb7;
    let base = if body.is_some() {
        vec![("content-type".to_owned(), "application/json".to_owned())]
    } else {
        Vec::new()
    };
    let mut headers = base.clone();
    headers.extend(
        signer
            .sign(
                &OutgoingRequest {
                    method,
                    target_uri: &uri,
                    headers: &base,
                    body,
                },
                UnixTime(NOW),
                &entropy,
            )
            .unwrap(),
    );
    // The body is the fixtures' one `body` (the same for every request of a pool).
    json!({"method": method, "target_uri": uri, "headers": headers, "body": body.is_some()})
}

fn fixtures() -> Value {
    let td = key(Algorithm::Es256, 1, "td-1");
    let as_key = key(Algorithm::Es256, 2, "as-1");
    let holder = key(Algorithm::Es256, 3, "agent-1");
    let dpop = key(Algorithm::Es256, 4, "dpop-1");
    let ed = key(Algorithm::EdDsa, 5, "ed-1");
    let payload = json!({"iss": AS, "sub": "alice", "iat": NOW, "exp": NOW + 600}).to_string();
    let mut header = Map::new();
    header.insert("typ".into(), "JWT".into());
    let es256 = sign_jws(&header, payload.as_bytes(), &as_key).unwrap();
    let eddsa = sign_jws(&header, payload.as_bytes(), &ed).unwrap();
    let mut anchor = public(&td);
    anchor["use"] = json!("wit-svid");
    let bundle = json!({"keys": [anchor]});
    let trust_store = json!({"trust_domains": {"example.org": bundle}}).to_string();
    let policy = json!({
        "resource": format!("{ORIGIN}/api"), "authorities": [ORIGIN],
        "trust_domains": {"example.org": bundle},
        "authorization_servers": [{"issuer": AS, "jwks": {"keys": [public(&as_key)]}}],
        "credentials": {"wpt": {"wire": "wpt-01"}, "http_signature": {"version": "draft-07"},
                        "dpop": {"algorithms": ["ES256"]}, "bearer": true},
        "routes": [{"path": "/api", "prefix": true}],
    });
    let warm_wit = wit(&td, &holder, "wit-warm");
    let at_claims = |cnf: bool| {
        let mut c = json!({"iss": AS, "sub": "alice", "aud": format!("{ORIGIN}/api"), "client_id": "agent",
                           "iat": NOW - 10, "exp": NOW + 600, "jti": if cnf { "at-dpop" } else { "at-bearer" },
                           "scope": "api"});
        if cnf {
            c["cnf"] = json!({"jkt": dpop.public_jwk().thumbprint()});
        }
        c
    };
    let mut at_header = Map::new();
    at_header.insert("typ".into(), "at+jwt".into());
    let dpop_at = sign_jws(&at_header, at_claims(true).to_string().as_bytes(), &as_key).unwrap();
    let bearer_at = sign_jws(&at_header, at_claims(false).to_string().as_bytes(), &as_key).unwrap();
    let body = vec![b'x'; 4096];
    let warm = Signer::new()
        .with_workload(
            warm_wit.clone(),
            holder.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    let sig = Signer::new()
        .with_workload(
            warm_wit.clone(),
            holder.clone(),
            WorkloadProof::HttpSignature(WimseVersion::Draft07),
        )
        .unwrap();
    let dp = Signer::new()
        .with_access_token(dpop_at.clone(), TokenType::Dpop, Some(dpop.clone()))
        .unwrap();
    let bearer = Signer::new()
        .with_access_token(bearer_at, TokenType::Bearer, None)
        .unwrap();
    let cold: Vec<Value> = (0..POOL)
        .map(|n| {
            let s = Signer::new()
                .with_workload(
                    wit(&td, &holder, &format!("wit-{n}")),
                    holder.clone(),
                    WorkloadProof::Wpt(WptWire::Header),
                )
                .unwrap();
            request(&s, "GET", "/api/items", None, n)
        })
        .collect();
    json!({
        "now": NOW,
        "jws_es256": {"token": es256, "keys": json!({"keys": [public(&as_key)]}).to_string(), "algorithms": ["ES256"]},
        "jws_eddsa": {"token": eddsa, "keys": json!({"keys": [public(&ed)]}).to_string(), "algorithms": [ed.alg().jws_name()]},
        "wit": {"token": warm_wit, "trust_store": trust_store},
        "keys": {"td": public(&td), "as": public(&as_key)},
        "policy": policy.to_string(),
        "wimse_cold": cold,
        "wimse_warm": (0..POOL).map(|n| request(&warm, "GET", "/api/items", None, n)).collect::<Vec<_>>(),
        "dpop": (0..POOL).map(|n| request(&dp, "GET", "/api/items", None, n)).collect::<Vec<_>>(),
        "httpsig": (0..POOL).map(|n| request(&sig, "POST", "/api/items", Some(&body), n)).collect::<Vec<_>>(),
        "cache_hit": request(&bearer, "GET", "/api/items", None, 0),
        "body": base64url::encode(&body),
    })
}

fn gate_request(v: &Value, body: &[u8]) -> ffi::GateRequest {
    let r = a2a_auth_bench::fixture_request(v, body);
    ffi::GateRequest {
        method: r.method,
        target_uri: r.target_uri,
        headers: r.headers,
        body: r.body,
        mtls_peer: None,
    }
}

fn native(fx: &Value) -> Value {
    let now = fx["now"].as_u64().unwrap();
    let secret = [9u8; 32];
    let policy = fx["policy"].as_str().unwrap();
    let body = base64url::decode(fx["body"].as_str().unwrap()).unwrap();
    let mut out = Map::new();
    // `A2A_AUTH_BENCH_ONLY=cache-hit` (for `perf record`): measure that op alone.
    let only = std::env::var("A2A_AUTH_BENCH_ONLY").ok();
    let skip = |op: &str| only.as_deref().is_some_and(|o| o != op);
    for (op, name) in [("es256-verify", "jws_es256"), ("eddsa-verify", "jws_eddsa")] {
        if skip(op) {
            continue;
        }
        let j = &fx[name];
        let (token, keys) = (j["token"].as_str().unwrap(), j["keys"].as_str().unwrap());
        let algs: Vec<&str> = j["algorithms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        out.insert(
            op.into(),
            measure(usize::MAX, |_| {
                ffi::verify_jws(token, keys, &algs).unwrap();
            }),
        );
    }
    // ES256 side by side in one run: the key set parsed once (so the key's own comb is built
    // after its first uses, as for an identity server's or AS's key), and the `p256` crate's
    // constant-time verifier (the path before issue 16) on the same token.
    let j = &fx["jws_es256"];
    let (token, keys) = (j["token"].as_str().unwrap(), j["keys"].as_str().unwrap());
    if !skip("es256-verify-warm-key") {
        let set = a2a_auth::crypto::JwkSet::from_json(keys, &a2a_auth::Limits::DEFAULT).unwrap();
        let algs = a2a_auth::crypto::AlgorithmSet::from_jws_names(["ES256"]).unwrap();
        out.insert(
            "es256-verify-warm-key".into(),
            measure(usize::MAX, |_| {
                a2a_auth::jose::parse_jws(token, &a2a_auth::Limits::DEFAULT)
                    .unwrap()
                    .verify(&set, algs, &a2a_auth::Limits::DEFAULT)
                    .unwrap();
            }),
        );
    }
    if !skip("es256-verify-p256-crate") {
        use p256::ecdsa::signature::Verifier as _;
        let jwk: Value = serde_json::from_str(keys).unwrap();
        let jwk = if jwk.get("keys").is_some() {
            jwk["keys"][0].clone()
        } else {
            jwk
        };
        let mut sec1 = vec![4u8];
        sec1.extend(base64url::decode(jwk["x"].as_str().unwrap()).unwrap());
        sec1.extend(base64url::decode(jwk["y"].as_str().unwrap()).unwrap());
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).unwrap();
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = p256::ecdsa::Signature::from_slice(&base64url::decode(sig).unwrap()).unwrap();
        out.insert(
            "es256-verify-p256-crate".into(),
            measure(usize::MAX, |_| {
                vk.verify(input.as_bytes(), &sig).unwrap();
            }),
        );
    }
    let (token, store) = (
        fx["wit"]["token"].as_str().unwrap(),
        fx["wit"]["trust_store"].as_str().unwrap(),
    );
    let trust =
        a2a_auth::identity::TrustStore::from_bundle_map(store, &a2a_auth::Limits::DEFAULT).unwrap();
    if !skip("wit-verify") {
        out.insert(
            "wit-verify".into(),
            measure(usize::MAX, |_| {
                a2a_auth::identity::verify_workload_identity_token(
                    token,
                    &trust,
                    &a2a_auth::identity::WitValidation::default(),
                    UnixTime(now),
                )
                .unwrap();
            }),
        );
    }
    for (op, name) in [
        ("wimse-request-cold", "wimse_cold"),
        ("wimse-request-warm", "wimse_warm"),
        ("dpop-request", "dpop"),
        ("httpsig-request-4k", "httpsig"),
    ] {
        if skip(op) {
            continue;
        }
        let requests: Vec<ffi::GateRequest> = fx[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| gate_request(r, &body))
            .collect();
        let mut v = ffi::verifier_new(policy, &secret).unwrap();
        out.insert(
            op.into(),
            measure(requests.len(), |i| {
                if let Err(d) = ffi::authenticate(&mut v, &requests[i], now) {
                    panic!("{op}: request {i} denied: {}", d.audit);
                }
            }),
        );
    }
    if !skip("cache-hit") {
        let hit = gate_request(&fx["cache_hit"], &body);
        let mut v = ffi::verifier_new(policy, &secret).unwrap();
        out.insert(
            "cache-hit".into(),
            measure(usize::MAX, |_| {
                ffi::authenticate(&mut v, &hit, now).unwrap();
            }),
        );
    }
    Value::Object(out)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("fixtures"), Some(path)) => std::fs::write(path, fixtures().to_string()).unwrap(),
        (Some("native"), Some(path)) => {
            let fx: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            println!("{}", native(&fx));
        }
        _ => {
            println!("usage: a2a-auth-bench fixtures OUT.json | native FIXTURES.json");
            std::process::exit(2);
        }
    }
}
