//! The Envoy filter (`dist/a2a_auth_envoy.wasm`) driven through the proxy-wasm harness
//! (`src/proxy_wasm.rs`) — not a real Envoy, which cannot be installed here: the
//! `gate.authenticate` vectors as HTTP requests, header stripping and forwarding, observe mode,
//! key fetching through a cluster, the metadata document, pushed SETs and the shared replay
//! cache.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    clippy::type_complexity,
    missing_docs
)]

use std::collections::HashMap;
use std::rc::Rc;

use a2a_auth_host_tests::proxy_wasm::{Filter, Outcome, SharedData};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};
use wasmtime::{Engine, Module};

const EVENTS_PATH: &str = "/.well-known/a2a-auth/events";

fn module(engine: &Engine) -> Module {
    let path = a2a_auth_host_tests::repo_root().join("dist/a2a_auth_envoy.wasm");
    assert!(
        path.exists(),
        "{} is missing: run `make envoy`",
        path.display()
    );
    Module::from_file(engine, path).unwrap()
}

fn http_request(
    r: &Value,
) -> (
    Vec<(String, String)>,
    Option<Vec<u8>>,
    HashMap<String, Vec<u8>>,
) {
    let uri = r["target_uri"].as_str().unwrap();
    let (origin, path) = a2a_auth_host_tests::split_uri(uri);
    let mut headers = vec![
        (
            ":method".to_owned(),
            r["method"].as_str().unwrap().to_owned(),
        ),
        (":path".to_owned(), path),
        (
            ":authority".to_owned(),
            origin.split("://").nth(1).unwrap_or_default().to_owned(),
        ),
        (":scheme".to_owned(), "https".to_owned()),
    ];
    for h in r["headers"].as_array().unwrap() {
        headers.push((
            h[0].as_str().unwrap().to_owned(),
            h[1].as_str().unwrap().to_owned(),
        ));
    }
    let body = r["body"].as_str().map(|b| B64.decode(b).unwrap());
    let mut props = HashMap::new();
    if let Some(peer) = r["mtls_peer"].as_str() {
        props.insert(
            "connection\0uri_san_peer_certificate".to_owned(),
            peer.as_bytes().to_vec(),
        );
    }
    (headers, body, props)
}

fn send(f: &mut Filter, r: &Value) -> Outcome {
    let (headers, body, props) = http_request(r);
    f.request(headers, body.as_deref(), props).unwrap()
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn last_record(f: &Filter) -> Value {
    let line = f
        .logs()
        .iter()
        .rev()
        .find_map(|(_, m)| m.strip_prefix("a2a-auth decision "))
        .expect("a decision was logged");
    let json = line.split(" (observe").next().unwrap();
    serde_json::from_str(json).unwrap()
}

/// What the filter did, in the vectors' output shape as far as an edge can observe it.
fn observed(f: &Filter, o: &Outcome) -> Value {
    if let Some(h) = &o.forwarded {
        for c in [
            "authorization",
            "dpop",
            "workload-identity-token",
            "workload-proof-token",
            "signature",
        ] {
            assert!(header(h, c).is_none(), "{c} was stripped");
        }
        let get = |n: &str| header(h, &format!("x-a2a-{n}")).map(str::to_owned);
        return json!({"allow": true, "agent": get("agent"), "trust_domain": get("trust-domain"),
            "method": get("auth-method"), "subject": get("user"), "client_id": get("client-id"),
            "scopes": get("scopes"), "actors": get("actors")});
    }
    let reply = o.reply.as_ref().expect("a local reply");
    let problem: Value = serde_json::from_slice(&reply.body).unwrap();
    let values = |n: &str| -> Vec<&str> {
        reply
            .headers
            .iter()
            .filter(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    json!({"allow": false, "status": reply.status, "www_authenticate": values("www-authenticate"),
        "dpop_nonce": values("dpop-nonce").first().copied(), "code": problem["title"],
        "event": last_record(f)["event"]})
}

fn expected(out: &Value) -> Value {
    if out["allow"] == true {
        let scopes: Vec<&str> = out["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let actors: Vec<&str> = out["actors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["subject"].as_str().unwrap())
            .collect();
        json!({"allow": true, "agent": out["agent"], "trust_domain": out["trust_domain"], "method": out["method"],
            "subject": out["subject"], "client_id": out["client_id"],
            "scopes": (!scopes.is_empty()).then(|| scopes.join(" ")),
            "actors": (!actors.is_empty()).then(|| actors.join(","))})
    } else {
        json!({"allow": false, "status": out["status"], "www_authenticate": out["www_authenticate"],
            "dpop_nonce": out["dpop_nonce"], "code": out["code"], "event": out["event"]})
    }
}

fn config(input: &Value, extra: &Value) -> String {
    let (origin, _) =
        a2a_auth_host_tests::split_uri(input["request"]["target_uri"].as_str().unwrap());
    let mut c = json!({"policy": input["policy"], "secret": input["secret"], "origin": origin,
        "events_path": EVENTS_PATH});
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c.to_string()
}

fn push_event(f: &mut Filter, set: &str) -> Outcome {
    let headers = vec![
        (":method".to_owned(), "POST".to_owned()),
        (":path".to_owned(), EVENTS_PATH.to_owned()),
        (":authority".to_owned(), "tools.example.com".to_owned()),
        (
            "content-type".to_owned(),
            "application/secevent+jwt".to_owned(),
        ),
    ];
    f.request(headers, Some(set.as_bytes()), HashMap::new())
        .unwrap()
}

#[test]
fn gate_vectors_as_http_requests() {
    let engine = Engine::default();
    let module = module(&engine);
    let (mut passed, mut failures) = (0usize, Vec::new());
    for case in a2a_auth_host_tests::gate_cases() {
        let id = case["id"].as_str().unwrap();
        let input = &case["input"];
        let now = input["now"].as_u64().unwrap();
        let shared = SharedData::default();
        let mut f =
            Filter::load(&engine, &module, &config(input, &json!({})), now, shared).unwrap();
        if let Some(code) = case["expect"]["error"].as_str() {
            let logged = f.logs().iter().any(|(_, m)| m.contains(code));
            if !f.configured && logged {
                passed += 1;
            } else {
                failures.push(format!(
                    "{id}: expected the configuration to be refused with {code}"
                ));
            }
            continue;
        }
        assert!(f.configured, "{id}: {:?}", f.logs());
        for earlier in input["before"].as_array().into_iter().flatten() {
            assert!(
                send(&mut f, earlier).forwarded.is_some(),
                "{id}: a `before` request is allowed"
            );
        }
        for set in input["events"].as_array().into_iter().flatten() {
            let o = push_event(&mut f, set.as_str().unwrap());
            assert_eq!(
                o.reply.map(|r| r.status),
                Some(202),
                "{id}: the SET push is taken"
            );
        }
        let mut outcome = None;
        for _ in 0..input["repeat"].as_u64().unwrap_or(1) {
            outcome = Some(send(&mut f, &input["request"]));
        }
        let got = observed(&f, &outcome.unwrap());
        let want = expected(&case["expect"]["ok"]);
        if got == want {
            passed += 1;
        } else {
            failures.push(format!("{id}: expected {want} got {got}"));
        }
    }
    println!("vectors envoy: {passed} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(passed > 80);
}

#[test]
fn identity_headers_replace_spoofed_ones_and_credentials_are_stripped_unless_forwarded() {
    let engine = Engine::default();
    let module = module(&engine);
    let input = a2a_auth_host_tests::gate_case("authenticate/dpop");
    let now = input["now"].as_u64().unwrap();
    let mut request = input["request"].clone();
    request["headers"]
        .as_array_mut()
        .unwrap()
        .push(json!(["X-A2A-User", "admin"]));
    request["headers"]
        .as_array_mut()
        .unwrap()
        .push(json!(["x-a2a-agent", "spiffe://evil/x"]));
    let mut f = Filter::load(
        &engine,
        &module,
        &config(&input, &json!({})),
        now,
        SharedData::default(),
    )
    .unwrap();
    let h = send(&mut f, &request).forwarded.expect("allowed");
    assert_eq!(header(&h, "x-a2a-user"), Some("user-123"));
    assert_eq!(
        header(&h, "x-a2a-agent"),
        None,
        "the spoofed agent is gone, none authenticated"
    );
    assert_eq!(h.iter().filter(|(k, _)| k == "x-a2a-user").count(), 1);
    assert!(header(&h, "authorization").is_none() && header(&h, "dpop").is_none());
    // forward: true keeps the credentials (jwt_authn's `forward`).
    let mut f = Filter::load(
        &engine,
        &module,
        &config(&input, &json!({"forward": true})),
        now,
        SharedData::default(),
    )
    .unwrap();
    let h = send(&mut f, &input["request"]).forwarded.expect("allowed");
    assert!(header(&h, "authorization").is_some() && header(&h, "dpop").is_some());
}

#[test]
fn observe_mode_logs_the_denial_and_lets_the_request_through() {
    let engine = Engine::default();
    let module = module(&engine);
    let input = a2a_auth_host_tests::gate_case("authenticate/at-expired");
    let now = input["now"].as_u64().unwrap();
    let mut f = Filter::load(
        &engine,
        &module,
        &config(&input, &json!({"mode": "observe"})),
        now,
        SharedData::default(),
    )
    .unwrap();
    let o = send(&mut f, &input["request"]);
    assert!(o.reply.is_none() && o.forwarded.is_some(), "let through");
    let line = f
        .logs()
        .iter()
        .rev()
        .find(|(_, m)| m.starts_with("a2a-auth decision"))
        .unwrap();
    assert!(line.1.ends_with("(observe: let through)"));
    assert_eq!(last_record(&f)["error"], "token-expired");
    let mut f = Filter::load(
        &engine,
        &module,
        &config(&input, &json!({})),
        now,
        SharedData::default(),
    )
    .unwrap();
    assert_eq!(
        send(&mut f, &input["request"]).reply.unwrap().status,
        401,
        "enforce refuses it"
    );
}

#[test]
fn keys_are_fetched_through_the_cluster_and_the_metadata_document_is_served() {
    let engine = Engine::default();
    let module = module(&engine);
    let input = a2a_auth_host_tests::gate_case("authenticate/dpop");
    let now = input["now"].as_u64().unwrap();
    let mut policy: Value = serde_json::from_str(input["policy"].as_str().unwrap()).unwrap();
    let jwks = policy["authorization_servers"][0]["jwks"].take();
    let server = policy["authorization_servers"][0].as_object_mut().unwrap();
    server.remove("jwks");
    server.insert("jwks_uri".into(), json!("https://as.example.com/jwks?v=1"));
    let mut with_uri = input.clone();
    with_uri["policy"] = json!(policy.to_string());
    let cfg = config(
        &with_uri,
        &json!({"remote_jwks": {"cluster": "a2a_auth_keys", "timeout_ms": 3000}}),
    );
    let mut f = Filter::load(&engine, &module, &cfg, now, SharedData::default()).unwrap();
    assert!(f.configured);
    assert_eq!(f.tick_period(), 1000);
    let call = f
        .calls()
        .first()
        .cloned()
        .expect("a key fetch at configure");
    assert_eq!(call.cluster, "a2a_auth_keys");
    assert_eq!(call.timeout_ms, 3000);
    assert_eq!(header(&call.headers, ":path"), Some("/jwks?v=1"));
    assert_eq!(header(&call.headers, ":authority"), Some("as.example.com"));
    assert_eq!(header(&call.headers, ":method"), Some("GET"));
    // While the fetch is pending no second one is dispatched.
    f.tick().unwrap();
    assert_eq!(f.calls().len(), 1);
    // Before the keys arrive the token cannot be verified.
    let denied = send(&mut f, &input["request"]);
    assert_eq!(denied.reply.unwrap().status, 401);
    assert_eq!(last_record(&f)["error"], "key-not-found");
    f.answer_call(
        call.token,
        vec![
            (":status".into(), "200".into()),
            ("cache-control".into(), "max-age=600".into()),
        ],
        jwks.to_string().as_bytes(),
    )
    .unwrap();
    let mut again = input["request"].clone();
    // A new DPoP proof is not needed: the first attempt failed before its jti was recorded.
    again["headers"] = input["request"]["headers"].clone();
    assert!(
        send(&mut f, &again).forwarded.is_some(),
        "allowed with the fetched keys: {:?}",
        f.logs()
    );
    // The RFC 9728 document at its well-known path.
    let meta = f
        .request(
            vec![
                (":method".into(), "GET".into()),
                (
                    ":path".into(),
                    "/.well-known/oauth-protected-resource/mcp".into(),
                ),
                (":authority".into(), "tools.example.com".into()),
            ],
            None,
            HashMap::new(),
        )
        .unwrap();
    let reply = meta.reply.unwrap();
    assert_eq!(reply.status, 200);
    let doc: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(doc["resource"], "https://tools.example.com/mcp");
}

#[test]
fn instances_sharing_data_refuse_a_proof_replayed_across_them() {
    let engine = Engine::default();
    let module = module(&engine);
    let input = a2a_auth_host_tests::gate_case("authenticate/wpt-01");
    let now = input["now"].as_u64().unwrap();
    for (shared_replay, second) in [(true, 400), (false, 0)] {
        let shared: SharedData = Rc::default();
        let cfg = config(&input, &json!({"shared_replay": shared_replay}));
        let mut a = Filter::load(&engine, &module, &cfg, now, Rc::clone(&shared)).unwrap();
        let mut b = Filter::load(&engine, &module, &cfg, now, Rc::clone(&shared)).unwrap();
        assert!(send(&mut a, &input["request"]).forwarded.is_some());
        let o = send(&mut b, &input["request"]);
        if shared_replay {
            assert_eq!(
                o.reply.map(|r| r.status),
                Some(second),
                "replayed on another instance"
            );
            assert_eq!(last_record(&b)["error"], "replayed");
            assert!(!shared.borrow().is_empty());
        } else {
            assert!(
                o.forwarded.is_some(),
                "without shared data each instance only knows its own proofs"
            );
        }
    }
}

#[test]
fn a_set_pushed_to_one_instance_reaches_the_others_on_their_next_tick() {
    let engine = Engine::default();
    let module = module(&engine);
    let input = a2a_auth_host_tests::gate_case("authenticate/event-session-revoked");
    let now = input["now"].as_u64().unwrap();
    let shared: SharedData = Rc::default();
    let cfg = config(&input, &json!({}));
    let mut a = Filter::load(&engine, &module, &cfg, now, Rc::clone(&shared)).unwrap();
    let mut b = Filter::load(&engine, &module, &cfg, now, Rc::clone(&shared)).unwrap();
    assert!(
        send(&mut b, &input["before"][0]).forwarded.is_some(),
        "allowed before the event"
    );
    let set = input["events"][0].as_str().unwrap();
    assert_eq!(push_event(&mut a, set).reply.unwrap().status, 202);
    b.tick().unwrap();
    let o = send(&mut b, &input["request"]);
    assert_eq!(o.reply.map(|r| r.status), Some(401));
    assert_eq!(last_record(&b)["event"]["jti"], "evt-session");
    // A VM started later catches up from the ring at configure time.
    let mut c = Filter::load(&engine, &module, &cfg, now, Rc::clone(&shared)).unwrap();
    assert_eq!(
        send(&mut c, &input["before"][0]).reply.map(|r| r.status),
        Some(401)
    );
}
