//! The wasi:http guard (`dist/a2a_auth_guard.wasm`) under a real `wasmtime serve` on
//! 127.0.0.1, with a tiny upstream on another port: the `gate.authenticate` vectors as HTTP
//! requests, identity headers upstream, denials with their challenges, the metadata document.
//!
//! `wasmtime serve` gives every request a fresh instance, so vector cases that need state
//! across requests (a replayed proof, events applied before, repeated requests) and cases with
//! an mTLS peer (no client certificates here) are reported as skipped, with the reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    clippy::disallowed_types,
    clippy::disallowed_methods,
    missing_docs
)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};

type Headers = Vec<(String, String)>;

/// A parsed HTTP/1.1 message: status (0 for a request), headers (lower-case names), body.
struct Message {
    status: u16,
    headers: Headers,
    body: Vec<u8>,
}

impl Message {
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

fn read_message(stream: &mut TcpStream) -> Option<Message> {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let first = lines.next()?;
    let status = if first.starts_with("HTTP/") {
        first.split(' ').nth(1)?.parse().ok()?
    } else {
        0
    };
    let headers: Headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = buf[head_end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok());
    if chunked {
        // Read to the end (the peer closes), then de-chunk.
        while !body.ends_with(b"0\r\n\r\n") {
            match stream.read(&mut chunk) {
                Ok(n) if n > 0 => body.extend_from_slice(&chunk[..n]),
                _ => break,
            }
        }
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..i]).trim(), 16).ok()?;
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[i + 2..i + 2 + size]);
            rest = &rest[i + 2 + size + 2..];
        }
        body = out;
    } else if let Some(len) = length {
        while body.len() < len {
            let n = stream.read(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    Some(Message {
        status,
        headers,
        body,
    })
}

/// The upstream: answers every request 200 with the headers it received as JSON.
struct Upstream {
    port: u16,
    seen: Arc<Mutex<Vec<Headers>>>,
    stop: Arc<AtomicBool>,
}

impl Upstream {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (Arc::clone(&seen), Arc::clone(&stop));
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(600);
            while !st.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        // One thread per connection: a slow peer never holds up the next one.
                        let s = Arc::clone(&s);
                        std::thread::spawn(move || {
                            stream.set_nonblocking(false).unwrap();
                            // Keep-alive: answer every request on the connection until the
                            // peer closes it (a client that pools connections finds them open).
                            while let Some(m) = read_message(&mut stream) {
                                let body = json!(m.headers).to_string();
                                s.lock().unwrap().push(m.headers);
                                let sent = write!(
                                    stream,
                                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                                    body.len()
                                );
                                if sent.is_err() {
                                    break;
                                }
                            }
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self { port, seen, stop }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// `wasmtime serve` running the guard; killed on drop.
struct Guard {
    child: Child,
    port: u16,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(env: &[(&str, String)]) -> Guard {
    let wasm = a2a_auth_host_tests::repo_root().join("dist/a2a_auth_guard.wasm");
    assert!(
        wasm.exists(),
        "{} is missing: run `make http-guard`",
        wasm.display()
    );
    let port = free_port();
    let mut cmd = Command::new("wasmtime");
    cmd.args(["serve", "-Scli", "--addr", &format!("127.0.0.1:{port}")]);
    for (k, v) in env {
        cmd.arg("--env").arg(format!("{k}={v}"));
    }
    let log = std::env::temp_dir().join(format!("a2a-auth-guard-{port}.log"));
    let child = cmd
        .arg(&wasm)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("`wasmtime` (wasmtime-cli 48.0.8, installed by `make test`) is on PATH");
    let guard = Guard { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "wasmtime serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    guard
}

fn call_once(
    port: u16,
    method: &str,
    path: &str,
    headers: &Headers,
    body: Option<&[u8]>,
) -> Message {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or_default();
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    read_message(&mut stream).unwrap_or_else(|| {
        let log = std::env::temp_dir().join(format!("a2a-auth-guard-{port}.log"));
        std::thread::sleep(Duration::from_secs(1));
        panic!(
            "no response from the guard; its log ({}):\n{}",
            log.display(),
            std::fs::read_to_string(&log).unwrap_or_default()
        )
    })
}

/// Upstream connections `wasmtime serve` 48 reset (the guard answers 502 `upstream`): seen
/// here intermittently with every upstream tried (this test's, Python's http.server), never a
/// decision of the guard. Such a request is sent again (each request is a fresh instance, so
/// nothing changes state) and the retries are counted and reported.
static RESETS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn call(port: u16, method: &str, path: &str, headers: &Headers, body: Option<&[u8]>) -> Message {
    let mut m = call_once(port, method, path, headers, body);
    for _ in 0..20 {
        let reset = m.status == 502
            && serde_json::from_slice::<Value>(&m.body).is_ok_and(|p| p["title"] == "upstream");
        if !reset {
            break;
        }
        RESETS.fetch_add(1, Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(20));
        m = call_once(port, method, path, headers, body);
    }
    m
}

fn send(port: u16, r: &Value) -> Message {
    let (_, path) = a2a_auth_host_tests::split_uri(r["target_uri"].as_str().unwrap());
    let headers: Headers = r["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h[0].as_str().unwrap().to_owned(),
                h[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let body = r["body"].as_str().map(|b| B64.decode(b).unwrap());
    call(
        port,
        r["method"].as_str().unwrap(),
        &path,
        &headers,
        body.as_deref(),
    )
}

fn header<'a>(h: &'a Headers, name: &str) -> Option<&'a str> {
    h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Why a case cannot run against a fresh instance per request, if it cannot.
fn skip_reason(input: &Value, expect: &Value) -> Option<&'static str> {
    if input["request"]["mtls_peer"].is_string() {
        return Some("mTLS peer: wasmtime serve terminates no client certificates here");
    }
    if input["events"].is_array() {
        return Some("events applied before the request: a fresh instance per request keeps none");
    }
    if input["repeat"].as_u64().unwrap_or(1) > 1 || expect["ok"]["code"] == "replayed" {
        return Some("replay across requests: a fresh instance per request keeps no replay cache");
    }
    None
}

#[test]
fn gate_vectors_through_wasmtime_serve() {
    let upstream = Upstream::start();
    // One server per (policy, secret, origin): cases sharing them share it.
    let mut groups: BTreeMap<(String, String, String), Vec<Value>> = BTreeMap::new();
    for case in &a2a_auth_host_tests::gate_cases() {
        let i = &case["input"];
        let (origin, _) =
            a2a_auth_host_tests::split_uri(i["request"]["target_uri"].as_str().unwrap());
        groups
            .entry((
                i["policy"].as_str().unwrap().to_owned(),
                i["secret"].as_str().unwrap().to_owned(),
                origin,
            ))
            .or_default()
            .push(case.clone());
    }
    let (mut passed, mut skipped, mut failures) =
        (0usize, BTreeMap::<&str, usize>::new(), Vec::new());
    for ((policy, secret, origin), cases) in groups {
        let now = cases[0]["input"]["now"].as_u64().unwrap().to_string();
        let guard = serve(&[
            ("A2A_AUTH_POLICY", policy),
            ("A2A_AUTH_SECRET", secret),
            ("A2A_AUTH_ORIGIN", origin),
            (
                "A2A_AUTH_UPSTREAM",
                format!("http://127.0.0.1:{}", upstream.port),
            ),
            ("A2A_AUTH_NOW", now),
        ]);
        // wasmtime serve 48's first outgoing request of a process is sometimes reset (seen
        // here with any upstream, also Python's http.server): warm the process up with one
        // forwarded request first. Each request is a fresh instance, so this changes no state.
        if let Some(first) = cases
            .iter()
            .find(|c| skip_reason(&c["input"], &c["expect"]).is_none())
        {
            let _ = send(guard.port, &first["input"]["request"]);
        }
        for case in cases {
            let id = case["id"].as_str().unwrap().to_owned();
            let (input, expect) = (&case["input"], &case["expect"]);
            if let Some(reason) = skip_reason(input, expect) {
                *skipped.entry(reason).or_default() += 1;
                continue;
            }
            for earlier in input["before"].as_array().into_iter().flatten() {
                assert_eq!(
                    send(guard.port, earlier).status,
                    200,
                    "{id}: a `before` request is allowed"
                );
            }
            // Each case's request carries its id in a header no check reads, so that a request
            // the upstream receives late (after a reset and retry of an earlier case) is not
            // counted as this case's.
            let mut request = input["request"].clone();
            request["headers"]
                .as_array_mut()
                .unwrap()
                .push(json!(["x-test-case", id]));
            let m = send(guard.port, &request);
            let forwarded = upstream
                .seen
                .lock()
                .unwrap()
                .iter()
                .any(|h| header(h, "x-test-case") == Some(id.as_str()));
            let problem: Value = serde_json::from_slice(&m.body).unwrap_or(Value::Null);
            let ok = if let Some(code) = expect["error"].as_str() {
                m.status == 500 && problem["title"] == code && !forwarded
            } else if expect["ok"]["allow"] == true {
                let e = &expect["ok"];
                let up: Headers = serde_json::from_slice(&m.body).unwrap_or_default();
                let scopes: Vec<&str> = e["scopes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap())
                    .collect();
                m.status == 200
                    && forwarded
                    && header(&up, "x-a2a-agent") == e["agent"].as_str()
                    && header(&up, "x-a2a-user") == e["subject"].as_str()
                    && header(&up, "x-a2a-client-id") == e["client_id"].as_str()
                    && header(&up, "x-a2a-auth-method") == e["method"].as_str()
                    && header(&up, "x-a2a-scopes")
                        == (!scopes.is_empty()).then(|| scopes.join(" ")).as_deref()
                    && header(&up, "authorization").is_none()
                    && header(&up, "dpop").is_none()
            } else {
                let e = &expect["ok"];
                let www: Vec<&str> = e["www_authenticate"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w.as_str().unwrap())
                    .collect();
                u64::from(m.status) == e["status"].as_u64().unwrap()
                    && m.all("www-authenticate") == www
                    && m.all("dpop-nonce").first().copied() == e["dpop_nonce"].as_str()
                    && problem["title"] == e["code"]
                    && !forwarded
            };
            if ok {
                passed += 1;
            } else {
                failures.push(format!(
                    "{id}: status {} headers {:?} body {}",
                    m.status,
                    m.headers,
                    String::from_utf8_lossy(&m.body)
                ));
            }
        }
    }
    let skipped_total: usize = skipped.values().sum();
    println!(
        "vectors http-guard: {passed} passed, {} failed, {skipped_total} skipped ({} upstream resets by wasmtime serve retried)",
        failures.len(),
        RESETS.load(Ordering::Relaxed)
    );
    for (reason, n) in &skipped {
        println!("  skipped {n}: {reason}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(passed > 60);
}

#[test]
fn identity_upstream_spoofing_removed_and_metadata_served() {
    let input = &a2a_auth_host_tests::gate_case("authenticate/dpop");
    let upstream = Upstream::start();
    let env = |extra: &[(&'static str, &str)]| {
        let mut e = vec![
            (
                "A2A_AUTH_POLICY",
                input["policy"].as_str().unwrap().to_owned(),
            ),
            (
                "A2A_AUTH_SECRET",
                input["secret"].as_str().unwrap().to_owned(),
            ),
            (
                "A2A_AUTH_UPSTREAM",
                format!("http://127.0.0.1:{}/base", upstream.port),
            ),
            ("A2A_AUTH_NOW", input["now"].to_string()),
        ];
        e.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        e
    };
    let guard = serve(&env(&[]));
    let _ = send(guard.port, &input["request"]); // warm-up, as above
    let mut request = input["request"].clone();
    request["headers"]
        .as_array_mut()
        .unwrap()
        .push(json!(["X-A2A-User", "admin"]));
    let m = send(guard.port, &request);
    assert_eq!(m.status, 200);
    let up: Headers = serde_json::from_slice(&m.body).unwrap();
    assert_eq!(
        up.iter()
            .filter(|(k, _)| k == "x-a2a-user")
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>(),
        ["user-123"]
    );
    assert!(header(&up, "authorization").is_none() && header(&up, "dpop").is_none());
    // Denied: the challenge reaches the client, nothing reaches the upstream.
    let marker = vec![("x-test-case".to_owned(), "denied".to_owned())];
    let m = call(guard.port, "POST", "/mcp/tools/call", &marker, None);
    assert_eq!(m.status, 401);
    assert!(
        m.all("www-authenticate")
            .iter()
            .any(|w| w.starts_with("DPoP"))
    );
    assert_eq!(
        header(&m.headers, "content-type"),
        Some("application/problem+json")
    );
    assert!(
        !upstream
            .seen
            .lock()
            .unwrap()
            .iter()
            .any(|h| header(h, "x-test-case") == Some("denied"))
    );
    // The RFC 9728 document.
    let m = call(
        guard.port,
        "GET",
        "/.well-known/oauth-protected-resource/mcp",
        &vec![],
        None,
    );
    assert_eq!(m.status, 200);
    let doc: Value = serde_json::from_slice(&m.body).unwrap();
    assert_eq!(doc["resource"], "https://tools.example.com/mcp");
    drop(guard);
    // Observe mode lets the denied request through, without identity headers.
    let guard = serve(&env(&[("A2A_AUTH_MODE", "observe")]));
    let _ = send(guard.port, &input["request"]); // warm-up, as above
    let m = call(
        guard.port,
        "POST",
        "/mcp/tools/call",
        &vec![("x-a2a-agent".into(), "spoof".into())],
        None,
    );
    assert_eq!(m.status, 200);
    let up: Headers = serde_json::from_slice(&m.body).unwrap();
    assert!(
        header(&up, "x-a2a-agent").is_none(),
        "spoofed identity removed even in observe mode"
    );
}
