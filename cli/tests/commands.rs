//! Every subcommand through the built binary: what it does with good input, and the one-line
//! error (exit 2) or negative answer (exit 1) for bad input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use a2a_auth::crypto::KeyPair;
use a2a_auth::gate::{OutgoingRequest, Signer, WorkloadProof};
use a2a_auth::proof::WptWire;
use a2a_auth::{Limits, UnixTime};
use serde_json::{Value, json};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_a2a-auth"))
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin().args(args).current_dir(dir).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json_of(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// A user error: exit 2 and exactly one line on stderr, no panic or backtrace.
fn assert_user_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("a2a-auth: "), "{err}");
    assert!(err.contains(needle), "`{needle}` in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("a2a-auth-cmd-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn keygen(dir: &Path, name: &str, alg: &str) -> KeyPair {
    let o = run(
        &[
            "keygen",
            "--alg",
            alg,
            "--public-out",
            &format!("{name}.pub.jwk"),
        ],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(dir.join(format!("{name}.jwk")), stdout(&o)).unwrap();
    KeyPair::from_jwk(stdout(&o).trim(), None, &Limits::DEFAULT).unwrap()
}

fn now() -> u64 {
    #[expect(clippy::disallowed_methods, reason = "the test is a host")]
    let t = std::time::SystemTime::now();
    t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// A policy trusting `bundle` for the trust domain `example.org`, WPT accepted on /api.
fn policy_with(bundle: &Value) -> Value {
    json!({"resource": "https://svc.example.com/api", "authorities": ["https://svc.example.com"],
           "trust_domains": {"example.org": bundle},
           "credentials": {"wpt": {"wire": "wpt-01"}},
           "routes": [{"path": "/api", "prefix": true}]})
}

#[test]
fn issue_for_development_verify_the_token_and_renew() {
    let dir = scratch("issue");
    let td = keygen(&dir, "td", "ES256");
    let _agent = keygen(&dir, "agent", "EdDSA");
    let o = run(
        &[
            "issue",
            "--key",
            "td.jwk",
            "--trust-domain",
            "example.org",
            "--id",
            "spiffe://example.org/agent",
            "--holder-key",
            "agent.pub.jwk",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no attestation evidence"),
        "dev issuance says so"
    );
    let issued = json_of(&o);
    assert_eq!(issued["subject"], "spiffe://example.org/agent");
    assert_eq!(issued["trust_domain"], "spiffe://example.org");
    assert_eq!(
        issued["bundle"]["keys"][0]["kid"],
        td.public_jwk().thumbprint().as_str()
    );
    let wit = issued["wit"].as_str().unwrap().to_owned();
    std::fs::write(dir.join("wit.txt"), &wit).unwrap();
    std::fs::write(
        dir.join("policy.json"),
        policy_with(&issued["bundle"]).to_string(),
    )
    .unwrap();

    // verify --token: accepted under the bundle, refused when altered or of another kind.
    let o = run(
        &["verify", "--policy", "policy.json", "--token", "@wit.txt"],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json_of(&o);
    assert_eq!(
        (v["valid"].clone(), v["kind"].clone()),
        (json!(true), json!("wit"))
    );
    assert_eq!(v["subject"], "spiffe://example.org/agent");
    let mut parts: Vec<&str> = wit.split('.').collect();
    // Another signature of the right length: the first character changed.
    let first = if parts[2].starts_with('A') { "B" } else { "A" };
    let sig: String = first.chars().chain(parts[2].chars().skip(1)).collect();
    parts[2] = &sig;
    let o = run(
        &[
            "verify",
            "--policy",
            "policy.json",
            "--token",
            &parts.join("."),
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json_of(&o)["error"], "invalid-signature");
    let o = run(
        &[
            "verify",
            "--policy",
            "policy.json",
            "--token",
            "not-a-token",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json_of(&o)["error"], "malformed-token");

    // Renewal: not due on a fresh WIT; --force renews for the same identity and key.
    let o = run(
        &[
            "issue",
            "--key",
            "td.jwk",
            "--trust-domain",
            "example.org",
            "--renew",
            "@wit.txt",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("not due"), "{}", stderr(&o));
    let later = (now() + 1900).to_string();
    let o = run(
        &[
            "issue",
            "--key",
            "td.jwk",
            "--trust-domain",
            "example.org",
            "--renew",
            "@wit.txt",
            "--now",
            &later,
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let renewed = json_of(&o);
    assert_eq!(renewed["subject"], "spiffe://example.org/agent");
    assert_ne!(renewed["wit"], issued["wit"]);
    // Another trust domain's key refuses to renew it.
    let _other = keygen(&dir, "other", "ES256");
    let o = run(
        &[
            "issue",
            "--key",
            "other.jwk",
            "--trust-domain",
            "example.org",
            "--renew",
            "@wit.txt",
            "--force",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("invalid-signature") || stderr(&o).contains("key-not-found"),
        "{}",
        stderr(&o)
    );

    // Bad input: one line, exit 2.
    assert_user_error(
        &run(&["issue", "--trust-domain", "example.org"], &dir),
        "give one of --evidence",
    );
    assert_user_error(
        &run(
            &[
                "issue",
                "--key",
                "missing.jwk",
                "--trust-domain",
                "example.org",
                "--bundle",
            ],
            &dir,
        ),
        "missing.jwk",
    );
    assert_user_error(
        &run(
            &[
                "issue",
                "--key",
                "agent.pub.jwk",
                "--trust-domain",
                "example.org",
                "--bundle",
            ],
            &dir,
        ),
        "keygen",
    );
    assert_user_error(
        &run(
            &[
                "issue",
                "--trust-domain",
                "example.org",
                "--id",
                "spiffe://other.org/x",
                "--holder-key",
                "agent.pub.jwk",
            ],
            &dir,
        ),
        "trust domain",
    );
    assert_user_error(
        &run(
            &[
                "issue",
                "--trust-domain",
                "example.org",
                "--id",
                "spiffe://example.org/x",
                "--holder-key",
                "agent.jwk",
            ],
            &dir,
        ),
        "private JWK",
    );
}

fn issuance_policy(attester: &KeyPair) -> Value {
    json!({"trust_domain": "spiffe://example.org", "require_key_binding": true,
           "attesters": [{"name": "node", "issuer": "https://attester.example", "audience": "spiffe://example.org",
                          "keys": {"keys": [Value::Object(attester.public_jwk().to_object())]}}],
           "rules": [{"attester": "node", "selectors": {"/workload": "billing"}, "identity": "spiffe://example.org/billing"}]})
}

fn evidence_claims(workload: &str, key: &KeyPair) -> Value {
    json!({"iss": "https://attester.example", "aud": "spiffe://example.org", "workload": workload,
           "cnf": {"jkt": key.public_jwk().thumbprint()}})
}

/// Keys for an attester and an agent, the issuance policy trusting the attester
/// (`issuance.json`) and evidence claims for the agent (`claims.json`), in `dir`; both keys.
fn attestation_files(dir: &Path) -> (KeyPair, KeyPair) {
    let attester = keygen(dir, "attester", "ES256");
    let agent = keygen(dir, "agent", "ES256");
    std::fs::write(
        dir.join("issuance.json"),
        issuance_policy(&attester).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("claims.json"),
        evidence_claims("billing", &agent).to_string(),
    )
    .unwrap();
    (attester, agent)
}

#[test]
fn attested_issuance_with_sign_jwt_evidence() {
    let dir = scratch("attest");
    let (_attester, agent) = attestation_files(&dir);
    let _td = keygen(&dir, "td", "ES256");
    let o = run(
        &[
            "sign",
            "jwt",
            "--key",
            "attester.jwk",
            "--claims",
            "claims.json",
            "--lifetime",
            "300",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(dir.join("evidence.jwt"), stdout(&o)).unwrap();
    let o = run(
        &[
            "issue",
            "--key",
            "td.jwk",
            "--policy",
            "issuance.json",
            "--evidence",
            "@evidence.jwt",
            "--holder-key",
            "agent.pub.jwk",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_of(&o)["subject"], "spiffe://example.org/billing");
    // Evidence for a workload no rule names, or bound to another key: refused, exit 1.
    std::fs::write(
        dir.join("claims2.json"),
        evidence_claims("payroll", &agent).to_string(),
    )
    .unwrap();
    let ev = stdout(&run(
        &[
            "sign",
            "jwt",
            "--key",
            "attester.jwk",
            "--claims",
            "claims2.json",
            "--lifetime",
            "300",
        ],
        &dir,
    ));
    let o = run(
        &[
            "issue",
            "--key",
            "td.jwk",
            "--policy",
            "issuance.json",
            "--evidence",
            ev.trim(),
            "--holder-key",
            "agent.pub.jwk",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("attestation-rejected"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &[
            "issue",
            "--key",
            "td.jwk",
            "--policy",
            "issuance.json",
            "--evidence",
            "@evidence.jwt",
            "--holder-key",
            "attester.pub.jwk",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bound to another key"),
        "{}",
        stderr(&o)
    );
    // sign jwt bad input.
    std::fs::write(dir.join("list.json"), "[1]").unwrap();
    assert_user_error(
        &run(
            &[
                "sign",
                "jwt",
                "--key",
                "attester.jwk",
                "--claims",
                "list.json",
            ],
            &dir,
        ),
        "JSON object",
    );
}

#[test]
fn serve_issuer_publishes_issues_refuses_and_renews() {
    let dir = scratch("serve");
    let (attester, agent) = attestation_files(&dir);
    let evidence = stdout(&run(
        &[
            "sign",
            "jwt",
            "--key",
            "attester.jwk",
            "--claims",
            "claims.json",
            "--lifetime",
            "300",
        ],
        &dir,
    ));
    let mut child = bin()
        .args([
            "serve-issuer",
            "--policy",
            "issuance.json",
            "--max-requests",
            "6",
            "--origin",
            "https://issuer.example.org",
        ])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap()
        .to_owned();
    let agent_http: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = |path: &str, headers: &[(String, String)], body: String| {
        let mut r = agent_http.post(format!("{url}{path}"));
        for (n, v) in headers {
            r = r.header(n.as_str(), v.as_str());
        }
        let mut resp = r.send(body).unwrap();
        let status = resp.status().as_u16();
        (
            status,
            serde_json::from_str::<Value>(&resp.body_mut().read_to_string().unwrap()).unwrap(),
        )
    };
    // 1. The bundle.
    let mut resp = agent_http.get(format!("{url}/bundle")).call().unwrap();
    let bundle: Value = serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(bundle["keys"][0]["use"], "wit-svid");
    // 2. A WIT for good evidence.
    let public = Value::Object(agent.public_jwk().to_object());
    let (status, issued) = post(
        "/wit",
        &[],
        json!({"evidence": evidence.trim(), "key": public}).to_string(),
    );
    assert_eq!(status, 200, "{issued}");
    assert_eq!(issued["subject"], "spiffe://example.org/billing");
    // 3. Evidence bound to another key: 403 with the code.
    let other = Value::Object(attester.public_jwk().to_object());
    let (status, refused) = post(
        "/wit",
        &[],
        json!({"evidence": evidence.trim(), "key": other}).to_string(),
    );
    assert_eq!(
        (status, refused["error"].clone()),
        (403, json!("attestation-rejected"))
    );
    // 4. Not JSON: 400.
    let (status, bad) = post("/wit", &[], "{".into());
    assert_eq!(
        (status, bad["error"].clone()),
        (400, json!("malformed-json"))
    );
    // 5. Renewal with the WIT and a WPT for the issuer's origin.
    let wit = issued["wit"].as_str().unwrap();
    let signer = Signer::new()
        .with_workload(wit, agent.clone(), WorkloadProof::Wpt(WptWire::Header))
        .unwrap();
    let target = "https://issuer.example.org/renew";
    let headers = signer
        .sign(
            &OutgoingRequest {
                method: "POST",
                target_uri: target,
                headers: &[],
                body: Some(b""),
            },
            UnixTime(now()),
            &[7; 16],
        )
        .unwrap();
    let (status, renewed) = post("/renew", &headers, String::new());
    assert_eq!(status, 200, "{renewed}");
    assert_eq!(renewed["subject"], "spiffe://example.org/billing");
    assert_ne!(renewed["wit"], issued["wit"]);
    // 6. The same WPT again is a replay: 401.
    let (status, replay) = post("/renew", &headers, String::new());
    assert_eq!((status, replay["error"].clone()), (401, json!("replayed")));
    assert!(
        child.wait().unwrap().success(),
        "serve-issuer stops after --max-requests"
    );
    // Bad input.
    assert_user_error(
        &run(&["serve-issuer", "--policy", "missing.json"], &dir),
        "missing.json",
    );
    std::fs::write(dir.join("empty.json"), "{}").unwrap();
    assert_user_error(
        &run(&["serve-issuer", "--policy", "empty.json"], &dir),
        "invalid-argument",
    );
}

#[test]
fn sign_request_then_verify_it() {
    let dir = scratch("sign");
    let _agent = keygen(&dir, "agent", "ES256");
    let o = run(
        &[
            "issue",
            "--trust-domain",
            "example.org",
            "--id",
            "spiffe://example.org/caller",
            "--holder-key",
            "agent.pub.jwk",
        ],
        &dir,
    );
    let issued = json_of(&o);
    std::fs::write(dir.join("wit.txt"), issued["wit"].as_str().unwrap()).unwrap();
    std::fs::write(
        dir.join("policy.json"),
        policy_with(&issued["bundle"]).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("call.json"),
        json!({"method": "POST", "target_uri": "https://svc.example.com/api/run",
        "headers": [["content-type", "application/json"]], "body": "e30"})
        .to_string(),
    )
    .unwrap();
    let o = run(
        &[
            "sign",
            "request",
            "--request",
            "call.json",
            "--wit",
            "@wit.txt",
            "--workload-key",
            "agent.jwk",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = stdout(&o);
    assert!(
        lines
            .lines()
            .any(|l| l.starts_with("Workload-Identity-Token: ")),
        "{lines}"
    );
    assert!(
        lines
            .lines()
            .any(|l| l.starts_with("Workload-Proof-Token: ")),
        "{lines}"
    );
    let o = run(
        &[
            "sign",
            "request",
            "--request",
            "call.json",
            "--wit",
            "@wit.txt",
            "--workload-key",
            "agent.jwk",
            "--format",
            "json",
        ],
        &dir,
    );
    std::fs::write(dir.join("signed.jsonl"), stdout(&o)).unwrap();
    let o = run(&["verify", "--policy", "policy.json", "signed.jsonl"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let record: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(record["decision"], "allow", "{record}");
    assert_eq!(record["agent"], "spiffe://example.org/caller");
    assert!(stderr(&o).contains("1 requests: 1 allowed, 0 denied"));
    // The same signed request twice: the second is a replay.
    let twice = format!(
        "{0}{0}",
        std::fs::read_to_string(dir.join("signed.jsonl")).unwrap()
    );
    std::fs::write(dir.join("twice.jsonl"), twice).unwrap();
    let o = run(&["verify", "--policy", "policy.json", "twice.jsonl"], &dir);
    let second: Value = serde_json::from_str(stdout(&o).lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["error"], "replayed");
    // Bad input.
    assert_user_error(
        &run(&["sign", "request", "--request", "call.json"], &dir),
        "nothing to sign with",
    );
    assert_user_error(
        &run(
            &[
                "sign",
                "request",
                "--request",
                "call.json",
                "--wit",
                "@wit.txt",
            ],
            &dir,
        ),
        "--workload-key",
    );
    assert_user_error(
        &run(
            &[
                "sign",
                "request",
                "--request",
                "call.json",
                "--wit",
                "@wit.txt",
                "--workload-key",
                "agent.jwk",
                "--proof",
                "wpt-9",
            ],
            &dir,
        ),
        "--proof",
    );
    std::fs::write(
        dir.join("nomethod.json"),
        json!({"target_uri": "https://svc.example.com/x"}).to_string(),
    )
    .unwrap();
    assert_user_error(
        &run(
            &[
                "sign",
                "request",
                "--request",
                "nomethod.json",
                "--wit",
                "@wit.txt",
                "--workload-key",
                "agent.jwk",
            ],
            &dir,
        ),
        "method is required",
    );
    std::fs::write(dir.join("bad.jsonl"), "{\"method\": \"GET\"}\n").unwrap();
    assert_user_error(
        &run(&["verify", "--policy", "policy.json", "bad.jsonl"], &dir),
        "requests line 1",
    );
    assert_user_error(
        &run(&["verify", "--policy", "call.json", "bad.jsonl"], &dir),
        "call.json",
    );
    assert_user_error(
        &run(
            &["check-records", "--policy", "missing.json", "bad.jsonl"],
            &dir,
        ),
        "missing.json",
    );
    // Requests from stdin (`-`).
    let mut child = bin()
        .args(["verify", "--policy", "policy.json", "-"])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(&std::fs::read(dir.join("bad.jsonl")).unwrap())
            .unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert_user_error(&o, "target_uri is required");
}

#[test]
fn inspect_explains_denials() {
    let dir = scratch("explain");
    let o = run(&["inspect", "--explain", "credential-revoked"], &dir);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("denied: credential-revoked")
            && text.contains("CAEP")
            && text.contains("what to change"),
        "{text}"
    );
    let record = json!({"v": 1, "decision": "deny", "status": 403, "error": "delegation-not-allowed", "method": "POST",
        "path": "/a2a/tasks", "route": "/a2a", "agent": "spiffe://example.org/a", "user": "alice",
        "actors": ["spiffe://example.org/b", "spiffe://example.org/a"], "event": null});
    let o = run(&["inspect", "--explain", &record.to_string()], &dir);
    let text = stdout(&o);
    assert!(
        text.contains("denied: 403 delegation-not-allowed"),
        "{text}"
    );
    assert!(
        text.contains("RFC 8693") && text.contains("max_delegation_depth"),
        "{text}"
    );
    assert!(
        text.contains("act chain spiffe://example.org/b ← spiffe://example.org/a"),
        "{text}"
    );
    // Several records: each explained.
    let two = format!(
        "{record}\n{}\n",
        json!({"decision": "deny", "error": "token-expired"})
    );
    std::fs::write(dir.join("records.jsonl"), two).unwrap();
    let o = run(&["inspect", "--explain", "@records.jsonl"], &dir);
    assert!(
        stdout(&o).contains("line 2:") && stdout(&o).contains("RFC 7519 §4.1.4"),
        "{}",
        stdout(&o)
    );
    // A problem body from an edge host.
    let o = run(
        &[
            "inspect",
            "--explain",
            r#"{"type":"about:blank","status":401,"title":"replayed"}"#,
        ],
        &dir,
    );
    assert!(
        stdout(&o).contains("denied: 401 replayed"),
        "{}",
        stdout(&o)
    );
    assert_user_error(
        &run(&["inspect", "--explain", "no-such-code"], &dir),
        "not an a2a-auth error code",
    );
    assert_user_error(
        &run(&["inspect", "not.a.token"], &dir),
        "not a token we can decode",
    );
}

#[test]
fn vectors_runs_a_directory_and_fails_on_a_wrong_case() {
    let dir = scratch("vectors");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let good = dir.join("good");
    std::fs::create_dir_all(good.join("identity")).unwrap();
    std::fs::copy(
        root.join("vectors/identity/parse-spiffe-id.json"),
        good.join("identity/parse-spiffe-id.json"),
    )
    .unwrap();
    let o = run(&["vectors", good.to_str().unwrap()], &dir);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("vectors core: ") && stdout(&o).contains(" 0 failed"),
        "{}",
        stdout(&o)
    );
    // One case with a wrong expectation and one whose input does not fit its op.
    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("ids.json"), json!({"op": "identity.parse-spiffe-id", "cases": [
        {"id": "wrong", "title": "expects an error that does not happen", "input": {"id": "spiffe://example.org/a"}, "expect": {"error": "invalid-identifier"}},
        {"id": "unfit", "title": "input without the member the op needs", "input": {}, "expect": {"error": "x"}}]}).to_string()).unwrap();
    let o = run(&["vectors", bad.to_str().unwrap()], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("2 failed"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("wrong:") && stderr(&o).contains("malformed-case"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert_user_error(&run(&["vectors", "no-such-dir"], &dir), "not a directory");
}

#[test]
fn keygen_and_demo_bad_input() {
    let dir = scratch("bad");
    assert_user_error(&run(&["keygen", "--alg", "RS1"], &dir), "--alg RS1");
    let o = run(
        &[
            "demo",
            "--root",
            "/nonexistent",
            "--native-guard",
            "--python",
            "/nonexistent/python",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not built") || stderr(&o).contains("agent B"),
        "{}",
        stderr(&o)
    );
    // --help teaches: every subcommand is listed with its line.
    let help = stdout(&run(&["--help"], &dir));
    for sub in [
        "keygen",
        "issue",
        "serve-issuer",
        "sign",
        "verify",
        "inspect",
        "check-records",
        "vectors",
        "demo",
    ] {
        assert!(help.contains(sub), "{sub} in --help");
    }
}
