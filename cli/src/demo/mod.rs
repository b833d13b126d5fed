//! `a2a-auth demo` (`make demo`): the end-to-end scenario on 127.0.0.1.
//!
//! Parties (each a real HTTP server on loopback; logical https origins are configured, as
//! behind a TLS terminator, and every target URI is built from them, never from `Host`):
//! - the identity server: `a2a-auth serve-issuer`, a child process, trust domain
//!   `spiffe://demo.example`; a node attester (played here) signs the evidence;
//! - the authorization server (`auth_server`): sign-in, token exchange, Txn-Tokens, SSF pushes;
//! - agent A: this process, with the Rust library's `Signer`;
//! - agent B: a Python process on the `a2a_auth` package (the core as a component on wasmtime);
//! - the tool: a calendar behind the wasi:http guard (`wasmtime serve` running
//!   `dist/a2a_auth_guard.wasm`), or behind the same guard natively when that cannot run.
//!
//! Every outcome is checked: the demo exits 1 if any hop decides other than the scenario says.

// The demo is a host: it runs servers, waits for them, and reads their JSON answers, where a
// missing member reads as null (serde_json's `Value` index never panics on reads).
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::indexing_slicing,
    reason = "a host that runs loopback servers; Value reads yield null"
)]

mod auth_server;
mod procs;
mod tool;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use a2a_auth::crypto::{Algorithm, KeyPair};
use a2a_auth::gate::{
    OutgoingRequest, Signer, TokenType, Verifier, VerifierOptions, WorkloadProof,
};
use a2a_auth::httpsig::WimseVersion;
use a2a_auth::jose::sign_jws;
use a2a_auth::oauth::{
    JWT_TOKEN_TYPE, TokenExchangeRequest, parse_token_exchange_response, token_exchange_request,
};
use a2a_auth::policy::Policy;
use a2a_auth::proof::{DpopParams, WptWire, create_dpop_proof};
use a2a_auth::{Limits, UnixTime};
use serde_json::{Map, Value, json};

use crate::common::{Fallible, fresh_key, now, print_line, public_jwk, random, random_id};
use auth_server::{AuthServer, ISSUER, Resource};
use procs::{Proc, free_port};

/// Options of `a2a-auth demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// Python with the wasmtime and httpx packages, for agent B (default: the venv `make demo`
    /// makes, $A2A_AUTH_CACHE/venv or ~/.cache/a2a-auth/venv, else python3).
    #[arg(long)]
    python: Option<PathBuf>,
    /// The wasi:http guard component for the tool.
    #[arg(long, default_value = "dist/a2a_auth_guard.wasm")]
    guard: PathBuf,
    /// The wasmtime CLI that serves the guard.
    #[arg(long, default_value = "wasmtime")]
    wasmtime: String,
    /// Put the tool behind the native guard even when `wasmtime serve` is available.
    #[arg(long)]
    native_guard: bool,
    /// Also write every decision record (JSON Lines, with the hop) to this file.
    #[arg(long)]
    records: Option<PathBuf>,
    /// Show what the guard and the identity server log (stderr).
    #[arg(long)]
    verbose: bool,
    /// The repository root (agent B loads bindings/python/src from it).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

const TRUST_DOMAIN: &str = "demo.example";
const ATTESTER: &str = "https://node-attester.demo";
const A_ID: &str = "spiffe://demo.example/agent/a";
const B_ID: &str = "spiffe://demo.example/agent/b";
const B_ORIGIN: &str = "https://agent-b.demo";
const B_RESOURCE: &str = "https://agent-b.demo/a2a";
const TOOL_ORIGIN: &str = "https://tools.demo";
const TOOL_RESOURCE: &str = "https://tools.demo/mcp";
const USER: &str = "alice";

/// `act` of claims as text, current actor first: `B ← A`.
pub fn chain_text(claims: &Value) -> String {
    let mut names = Vec::new();
    let mut cur = claims.get("act");
    while let Some(a) = cur {
        names.push(short(a.get("sub").and_then(Value::as_str).unwrap_or("?")));
        cur = a.get("act");
    }
    if names.is_empty() {
        "none".into()
    } else {
        names.join(" ← ")
    }
}

/// The strings of a JSON array (none for anything else).
fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// `spiffe://demo.example/agent/a` → `agent/a`, for the transcript.
fn short(id: &str) -> String {
    id.strip_prefix("spiffe://demo.example/")
        .unwrap_or(id)
        .to_owned()
}

/// The transcript: `  who → whom   what`.
fn hop(who: &str, what: &str) {
    let _ = print_line(&format!("   {who:<26} {what}"));
}

fn more(what: &str) {
    hop("", what);
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, text: &str) -> Fallible<()> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn find_python(arg: Option<&PathBuf>) -> PathBuf {
    if let Some(p) = arg {
        return p.clone();
    }
    let cache = std::env::var_os("A2A_AUTH_CACHE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("a2a-auth"))
        });
    cache
        .map(|c| c.join("venv").join("bin").join("python"))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("python3"))
}

/// Attestation evidence from the node attester for `workload`, bound to `key`.
fn evidence(attester: &KeyPair, workload: &str, key: &KeyPair) -> Fallible<String> {
    let t = now();
    let claims = json!({"iss": ATTESTER, "aud": format!("spiffe://{TRUST_DOMAIN}"), "iat": t,
        "exp": t.saturating_add(300), "workload": workload, "node": "demo-node-1",
        "cnf": {"jkt": key.public_jwk().thumbprint()}});
    sign_jws(&Map::new(), claims.to_string().as_bytes(), attester).map_err(|e| e.code().to_owned())
}

/// POSTs evidence to the identity server; the WIT it answers.
fn attest(issuer_url: &str, attester: &KeyPair, workload: &str, key: &KeyPair) -> Fallible<Value> {
    let body = json!({"evidence": evidence(attester, workload, key)?, "key": public_jwk(key)});
    let a = procs::post(
        &format!("{issuer_url}/wit"),
        &[("content-type".into(), "application/json".into())],
        &body.to_string(),
    )?;
    if a.status != 200 {
        return Err(format!(
            "identity server refused {workload}: {} {}",
            a.status, a.body
        ));
    }
    serde_json::from_str(&a.body).map_err(|e| e.to_string())
}

/// Checks of the scenario; the demo fails (exit 1) when any does not hold.
#[derive(Default)]
struct Checks(Vec<String>);

impl Checks {
    fn expect(&mut self, ok: bool, what: &str) {
        if !ok {
            self.0.push(what.to_owned());
            hop("!! unexpected", what);
        }
    }
}

fn signed_call(signer: &Signer, b_url: &str, body: &str) -> Fallible<procs::Answer> {
    let uri = format!("{B_ORIGIN}/a2a/tasks");
    let base = vec![("content-type".to_owned(), "application/json".to_owned())];
    let mut headers = base.clone();
    let added = signer
        .sign(
            &OutgoingRequest {
                method: "POST",
                target_uri: &uri,
                headers: &base,
                body: Some(body.as_bytes()),
            },
            UnixTime(now()),
            &random::<16>()?,
        )
        .map_err(|e| format!("sign: {}", e.code()))?;
    headers.extend(added);
    procs::post(&format!("{b_url}/a2a/tasks"), &headers, body)
}

fn names(headers: &[(String, String)]) -> String {
    headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn credential_names(signer: &Signer) -> Fallible<String> {
    let probe = signer
        .sign(
            &OutgoingRequest {
                method: "POST",
                target_uri: &format!("{B_ORIGIN}/a2a/tasks"),
                headers: &[],
                body: Some(b"{}"),
            },
            UnixTime(now()),
            &random::<16>()?,
        )
        .map_err(|e| e.code().to_owned())?;
    Ok(names(&probe))
}

/// What B answered, for the transcript and the checks.
fn b_outcome(checks: &mut Checks, answer: &procs::Answer, expect_tool: bool) -> Value {
    let v: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
    if answer.status == 200 {
        let b = &v["agent_b"];
        let actors: Vec<String> = b["actors"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).map(short).collect())
            .unwrap_or_default();
        hop(
            "agent B decides",
            &format!(
                "allow: agent {} for {}, act [{}], credentials {}",
                b["agent"].as_str().map(short).unwrap_or_default(),
                b["user"].as_str().unwrap_or("-"),
                actors.join(", "),
                strs(&b["credentials"]).join(" + ")
            ),
        );
        if expect_tool {
            hop(
                "agent B → auth server",
                &format!(
                    "token exchange, B as actor → {} token for the tool, scope \"{}\"",
                    v["exchange"]["token_type"].as_str().unwrap_or("?"),
                    strs(&v["exchange"]["scopes"]).join(" ")
                ),
            );
            hop(
                "agent B → auth server",
                "Txn-Token for the transaction (audience demo.example)",
            );
            hop(
                "agent B → tool",
                &format!(
                    "GET /mcp/tools/calendar with {}",
                    v["tool_sent"]
                        .as_array()
                        .map(|a| a
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(", "))
                        .unwrap_or_default()
                ),
            );
            let t = &v["tool"];
            let tool_actors: Vec<String> = t["actors"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).map(short).collect())
                .unwrap_or_default();
            if let Some(n) = v["tool_resets"].as_u64().filter(|n| *n > 0) {
                more(&format!(
                    "(wasmtime serve reset the guard's upstream connection; B tried again {n}×)"
                ));
            }
            if v["tool_status"] == 200 {
                hop(
                    "tool guard decides",
                    &format!(
                        "allow: agent {} for {}, act [{}], txn {}",
                        t["agent"].as_str().map(short).unwrap_or_default(),
                        t["ran_for"].as_str().unwrap_or("-"),
                        tool_actors.join(" ← "),
                        t["txn"].as_str().unwrap_or("-")
                    ),
                );
                hop(
                    "tool → agent B → agent A",
                    &format!("200: free slots {}", strs(&t["free_slots"]).join(", ")),
                );
            } else {
                hop("tool guard decides", &format!("{} {}", v["tool_status"], t));
            }
            checks.expect(v["tool_status"] == 200, "the tool's guard allows B's call");
            checks.expect(
                tool_actors == ["agent/b", "agent/a"],
                "the tool sees the act chain agent/b ← agent/a",
            );
            checks.expect(t["ran_for"] == USER, "the tool runs for alice");
            checks.expect(
                t["txn"].as_str().is_some_and(|x| x.starts_with("txn-")),
                "the tool sees the Txn-Token's txn",
            );
        }
    } else {
        hop(
            "agent B decides",
            &format!(
                "deny: {} {}",
                answer.status,
                v["error"].as_str().unwrap_or("?")
            ),
        );
        for w in answer.header_values("www-authenticate") {
            more(&format!("WWW-Authenticate: {w}"));
        }
        if let Some(ev) = v["record"]["event"].as_object() {
            more(&format!(
                "caused by {} (jti {}) from {}",
                ev["type"].as_str().unwrap_or("?"),
                ev["jti"].as_str().unwrap_or("?"),
                ev["iss"].as_str().unwrap_or("?")
            ));
        }
    }
    v
}

#[expect(clippy::too_many_lines, reason = "the scenario, step by step")]
pub fn run(args: &DemoArgs) -> Fallible<ExitCode> {
    let dir = std::env::temp_dir().join(format!("a2a-auth-demo-{}", random_id()?));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = TempDir(dir.clone());
    let mut checks = Checks::default();
    let guard_records: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));

    print_line(
        "a2a-auth demo: a user, two agents and a tool on 127.0.0.1 (fresh keys, real clock)\n",
    )?;

    // Keys, drawn fresh: the node attester, A's workload and DPoP keys, B's.
    let attester = fresh_key(Algorithm::Es256)?;
    let a_key = fresh_key(Algorithm::Ed25519)?;
    let a_dpop = fresh_key(Algorithm::Es256)?;
    let b_key = fresh_key(Algorithm::Es256)?;
    let b_dpop = fresh_key(Algorithm::Es256)?;

    // The identity server: `a2a-auth serve-issuer` with an issuance policy naming the attester.
    let issuance = json!({
        "trust_domain": format!("spiffe://{TRUST_DOMAIN}"), "wit_lifetime": 3600, "require_key_binding": true,
        "attesters": [{"name": "node", "issuer": ATTESTER, "audience": format!("spiffe://{TRUST_DOMAIN}"),
                       "keys": {"keys": [public_jwk(&attester)]}, "algorithms": ["ES256"], "max_age": 300}],
        "rules": [{"attester": "node", "selectors": {"/workload": "agent-a"}, "identity": A_ID},
                  {"attester": "node", "selectors": {"/workload": "agent-b"}, "identity": B_ID}],
    });
    let issuance_path = dir.join("issuance.json");
    write(&issuance_path, &issuance.to_string())?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(&exe);
    cmd.arg("serve-issuer").arg("--policy").arg(&issuance_path);
    let (_issuer_proc, line, _) = Proc::start("identity server", cmd, Duration::from_secs(20))?;
    let issuer_url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .ok_or("serve-issuer printed no URL")?
        .to_owned();
    let bundle: Value = serde_json::from_str(&procs::get(&format!("{issuer_url}/bundle"))?.body)
        .map_err(|e| e.to_string())?;
    let bundle_map = json!({ TRUST_DOMAIN: bundle });

    // Agent B's WIT, delivered by the node agent after attestation (as a SPIFFE workload API does).
    let b_wit = attest(&issuer_url, &attester, "agent-b", &b_key)?;

    // The authorization server.
    let mut auth = AuthServer::new(
        &json!({"trust_domains": bundle_map}).to_string(),
        TRUST_DOMAIN,
        vec![
            Resource {
                uri: B_RESOURCE.into(),
                may_act: Some(B_ID.into()),
            },
            Resource {
                uri: TOOL_RESOURCE.into(),
                may_act: None,
            },
        ],
    )?;
    auth.log.clear();
    let jwks = |k: &KeyPair| json!({"keys": [public_jwk(k)]});
    let (token_jwks, txn_jwks, ssf_jwks) = (
        jwks(&auth.token_key),
        jwks(&auth.txn_key),
        jwks(&auth.ssf_key),
    );
    let auth = Arc::new(Mutex::new(auth));
    let as_server = Arc::new(tiny_http::Server::http("127.0.0.1:0").map_err(|e| e.to_string())?);
    let as_port = as_server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or("no port")?;
    let as_url = format!("http://127.0.0.1:{as_port}");
    {
        let (s, st) = (Arc::clone(&as_server), Arc::clone(&auth));
        std::thread::spawn(move || auth_server::serve_arc(&s, &st));
    }

    // The tool and its guard.
    let tool_policy = json!({
        "resource": TOOL_RESOURCE, "authorities": [TOOL_ORIGIN],
        "trust_domains": bundle_map,
        "authorization_servers": [{"issuer": ISSUER, "jwks": token_jwks}],
        "transaction_tokens": {"trust_domain": TRUST_DOMAIN, "jwks": txn_jwks, "required": true},
        "credentials": {"wpt": {"wire": "wpt-01"}, "dpop": {}},
        "routes": [{"path": "/mcp/tools", "prefix": true, "methods": ["GET"], "agents": [B_ID],
                    "scopes": ["calendar.read"], "actors": [B_ID], "max_delegation_depth": 2}],
    });
    let upstream = tiny_http::Server::http("127.0.0.1:0").map_err(|e| e.to_string())?;
    let upstream_port = upstream
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or("no port")?;
    std::thread::spawn(move || tool::serve_upstream(upstream));
    let wasmtime_ok = !args.native_guard
        && args.guard.is_file()
        && Command::new(&args.wasmtime)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    let mut _guard_proc = None;
    let (tool_url, tool_host) = if wasmtime_ok {
        let port = free_port()?;
        let mut cmd = Command::new(&args.wasmtime);
        cmd.args(["serve", "-Scli", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--env")
            .arg(format!("A2A_AUTH_POLICY={tool_policy}"))
            .arg("--env")
            .arg(format!(
                "A2A_AUTH_UPSTREAM=http://127.0.0.1:{upstream_port}"
            ))
            .arg("--env")
            .arg(format!("A2A_AUTH_ORIGIN={TOOL_ORIGIN}"))
            .arg(&args.guard);
        let (proc, stderr) =
            Proc::start_listening("wasmtime serve", cmd, port, Duration::from_secs(120))?;
        _guard_proc = Some(proc);
        if let Some(stderr) = stderr {
            let records = Arc::clone(&guard_records);
            let verbose = args.verbose;
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(stderr)
                    .lines()
                    .map_while(Result::ok)
                {
                    if verbose {
                        crate::common::note(&format!("guard: {line}"));
                    }
                    // `wasmtime serve` prefixes guest output (`stderr [0] :: `).
                    let text = line
                        .find("a2a-auth decision ")
                        .and_then(|i| line.get(i..))
                        .unwrap_or_default();
                    if let Some(r) = text.strip_prefix("a2a-auth decision ")
                        && let Ok(mut v) = records.lock()
                    {
                        v.push(r.to_owned());
                    }
                }
            });
        }
        (
            format!("http://127.0.0.1:{port}"),
            format!(
                "the wasi:http guard under `wasmtime serve` ({})",
                args.guard.display()
            ),
        )
    } else {
        let server = tiny_http::Server::http("127.0.0.1:0").map_err(|e| e.to_string())?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .ok_or("no port")?;
        let verifier = Verifier::new(
            Policy::from_json(&tool_policy.to_string(), &Limits::DEFAULT)
                .map_err(|e| e.code().to_owned())?,
            &random::<32>()?,
            VerifierOptions::default(),
        )
        .map_err(|e| e.code().to_owned())?;
        let records = Arc::clone(&guard_records);
        std::thread::spawn(move || {
            tool::serve_guarded(server, TOOL_ORIGIN.into(), verifier, records)
        });
        let why = if args.native_guard {
            "--native-guard"
        } else {
            "wasmtime CLI or dist/a2a_auth_guard.wasm not found; `make test` installs and builds them"
        };
        (
            format!("http://127.0.0.1:{port}"),
            format!("the native guard ({why})"),
        )
    };

    // Agent B, in Python.
    let b_policy = json!({
        "trust_domains": bundle_map,
        "authorization_servers": [{"issuer": ISSUER, "jwks": token_jwks}],
        "events": {"transmitters": [{"issuer": ISSUER, "jwks": ssf_jwks}]},
        "credentials": {"wpt": {"wire": "wpt-01"}, "http_signature": {"version": "draft-07"}, "dpop": {}},
        "routes": [{"path": "/a2a/", "prefix": true, "methods": ["POST"], "agents": [A_ID],
                    "scopes": ["tasks:run"], "actors": [A_ID], "max_delegation_depth": 1}],
    });
    let records_path = dir.join("records.jsonl");
    let b_config = json!({
        "origin": B_ORIGIN, "policy": b_policy, "wit": b_wit["wit"], "trust_domain": TRUST_DOMAIN,
        "workload_key": serde_json::from_str::<Value>(&b_key.to_private_jwk_json()).map_err(|e| e.to_string())?,
        "dpop_key": serde_json::from_str::<Value>(&b_dpop.to_private_jwk_json()).map_err(|e| e.to_string())?,
        "token_endpoint": format!("{as_url}/token"), "token_endpoint_uri": format!("{ISSUER}/token"),
        "tool_url": tool_url, "tool_origin": TOOL_ORIGIN, "tool_resource": TOOL_RESOURCE, "records": records_path,
    });
    let config_path = dir.join("agent_b.json");
    write(&config_path, &b_config.to_string())?;
    let script = dir.join("agent_b.py");
    write(&script, include_str!("../../demo/agent_b.py"))?;
    let python = find_python(args.python.as_ref());
    let package = args.root.join("bindings/python/src");
    if !package.join("a2a_auth/a2a_auth.wasm").is_file() {
        return Err(format!(
            "agent B runs on the Python package: {} is not built (run `make demo`, which builds it, or `make python`)",
            package.join("a2a_auth/a2a_auth.wasm").display()
        ));
    }
    let mut cmd = Command::new(&python);
    cmd.arg(&script)
        .arg(&config_path)
        .env("PYTHONPATH", &package);
    let (_b_proc, b_line, b_err) = Proc::start("agent B (Python)", cmd, Duration::from_secs(120)).map_err(|e| {
        format!("{e}\n(agent B needs Python with the wasmtime and httpx packages: `make demo` makes that venv, or pass --python)")
    })?;
    if let Some(stderr) = b_err {
        // Agent B logs nothing on success; anything it writes (a traceback) is shown.
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                crate::common::note(&format!("agent B: {line}"));
            }
        });
    }
    let mut words = b_line.split_whitespace().skip(1);
    let b_url = words.next().ok_or("agent B printed no URL")?.to_owned();
    let b_runtime = words.collect::<Vec<_>>().join(" ");

    hop(
        "identity server",
        &format!("{issuer_url}  trust domain spiffe://{TRUST_DOMAIN} (a2a-auth serve-issuer)"),
    );
    hop(
        "authorization server",
        &format!("{as_url}  as {ISSUER}: token exchange, Txn-Tokens, SSF transmitter (native)"),
    );
    hop("agent A", "this process: the Rust library's Signer");
    hop(
        "agent B",
        &format!("{b_url}  as {B_ORIGIN}: {b_runtime} (the a2a_auth Python package)"),
    );
    hop(
        "tool (calendar)",
        &format!("{tool_url}  as {TOOL_ORIGIN}: behind {tool_host}"),
    );
    print_line("")?;

    // 1. alice signs in and delegates to agent A.
    let user_token = auth.lock().map_err(|_| "state")?.sign_in(
        USER,
        A_ID,
        "https://agent-a.demo",
        "tasks:run calendar.read",
        &a_dpop.public_jwk().thumbprint(),
    )?;
    print_line("1. alice delegates to agent A")?;
    hop(
        "alice → auth server → A",
        "access token (at+jwt) sub=alice, client agent/a, scope \"tasks:run calendar.read\",",
    );
    more("may_act agent/a, DPoP-bound to A's key");

    // 2. A gets its WIT after attestation.
    print_line("2. agent A gets its workload identity")?;
    hop(
        "node attester",
        &format!(
            "evidence for workload agent-a, bound to A's key (cnf.jkt {}…)",
            a_key.public_jwk().thumbprint().get(..8).unwrap_or_default()
        ),
    );
    let a_wit = attest(&issuer_url, &attester, "agent-a", &a_key)?;
    hop(
        "agent A → identity server",
        "POST /wit with the evidence and A's public key",
    );
    hop(
        "identity server → A",
        &format!(
            "WIT sub={}, expires in {} s, renew after {} s",
            a_wit["subject"].as_str().unwrap_or("?"),
            a_wit["expires_at"]
                .as_u64()
                .unwrap_or(0)
                .saturating_sub(now()),
            a_wit["renew_after"]
                .as_u64()
                .unwrap_or(0)
                .saturating_sub(now())
        ),
    );
    more(&format!("(B got its WIT the same way: {B_ID})"));
    let a_wit = a_wit["wit"].as_str().ok_or("no WIT")?.to_owned();

    // 3. A exchanges alice's token for one naming B, A as the actor.
    print_line("3. agent A exchanges alice's token for one aimed at agent B (RFC 8693)")?;
    let form = token_exchange_request(&TokenExchangeRequest {
        subject_token: user_token,
        subject_token_type: a2a_auth::oauth::ACCESS_TOKEN_TYPE.into(),
        actor_token: Some(a_wit.clone()),
        actor_token_type: Some(JWT_TOKEN_TYPE.into()),
        resources: vec![B_RESOURCE.into()],
        scopes: vec!["tasks:run".into(), "calendar.read".into()],
        ..TokenExchangeRequest::default()
    })
    .map_err(|e| e.code().to_owned())?;
    let proof = create_dpop_proof(
        &a_dpop,
        &DpopParams {
            method: "POST",
            uri: &format!("{ISSUER}/token"),
            issued_at: UnixTime(now()),
            jti: &random_id()?,
            access_token: None,
            nonce: None,
        },
    )
    .map_err(|e| e.code().to_owned())?;
    let answer = procs::post(
        &format!("{as_url}/token"),
        &[
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
            ("dpop".into(), proof),
        ],
        &form,
    )?;
    if answer.status != 200 {
        return Err(format!(
            "the authorization server refused A's exchange: {} {}",
            answer.status, answer.body
        ));
    }
    let exchanged =
        parse_token_exchange_response(&answer.body, None, Some("DPoP"), &Limits::DEFAULT)
            .map_err(|e| e.code().to_owned())?;
    hop(
        "agent A → auth server",
        "subject_token = alice's token, actor_token = A's WIT, resource = B, DPoP proof",
    );
    let log = auth
        .lock()
        .map(|a| a.log.last().cloned().unwrap_or_default())
        .unwrap_or_default();
    hop(
        "auth server → A",
        &format!("{} {log}", exchanged.token_type),
    );

    // 4. A calls B with a WPT.
    let task = json!({"task": "find a slot for alice's dentist appointment", "day": "2026-11-24"})
        .to_string();
    // A's signer: its WIT and key with `proof`, and the exchanged token with DPoP.
    let a_signer = |proof: WorkloadProof| {
        Signer::new()
            .with_workload(a_wit.clone(), a_key.clone(), proof)
            .and_then(|s| {
                s.with_access_token(
                    exchanged.access_token.clone(),
                    TokenType::Dpop,
                    Some(a_dpop.clone()),
                )
            })
            .map_err(|e| e.code().to_owned())
    };
    let with_wpt = a_signer(WorkloadProof::Wpt(WptWire::Header))?;
    print_line("4. agent A calls agent B with a Workload Proof Token")?;
    hop(
        "agent A → agent B",
        &format!("POST /a2a/tasks with {}", credential_names(&with_wpt)?),
    );
    let first = signed_call(&with_wpt, &b_url, &task)?;
    b_outcome(&mut checks, &first, true);
    checks.expect(first.status == 200, "B allows A's call with a WPT");

    // 5. The same, with an HTTP Message Signature instead of the WPT.
    let with_sig = a_signer(WorkloadProof::HttpSignature(WimseVersion::Draft07))?;
    print_line(
        "5. agent A calls agent B with an HTTP Message Signature (RFC 9421, WIMSE profile)",
    )?;
    hop(
        "agent A → agent B",
        &format!("POST /a2a/tasks with {}", credential_names(&with_sig)?),
    );
    let second = signed_call(&with_sig, &b_url, &task)?;
    b_outcome(&mut checks, &second, true);
    checks.expect(second.status == 200, "B allows A's HTTP-signed call");

    // 6. alice signs out everywhere: a CAEP session-revoked event, pushed to B.
    print_line("6. alice signs out everywhere: the authorization server pushes a CAEP event")?;
    let (set, jti) = auth
        .lock()
        .map_err(|_| "state")?
        .session_revoked(USER, B_RESOURCE)?;
    let pushed = procs::post(
        &format!("{b_url}/events"),
        &[
            ("content-type".into(), "application/secevent+jwt".into()),
            ("accept".into(), "application/json".into()),
        ],
        &set,
    )?;
    let pv: Value = serde_json::from_str(&pushed.body).unwrap_or(Value::Null);
    hop(
        "auth server → agent B",
        &format!("SSF push (RFC 8935): session-revoked for alice (iss_sub), jti {jti}"),
    );
    hop(
        "agent B",
        &format!("{} applied: {}", pushed.status, pv["applied"]),
    );
    checks.expect(pushed.status == 202, "B takes the pushed SET (202)");

    // 7. The same call again (fresh proofs): refused.
    print_line("7. agent A makes the same call again")?;
    hop(
        "agent A → agent B",
        &format!(
            "POST /a2a/tasks with {} (fresh proofs)",
            credential_names(&with_wpt)?
        ),
    );
    let third = signed_call(&with_wpt, &b_url, &task)?;
    let denied = b_outcome(&mut checks, &third, false);
    checks.expect(
        third.status == 401 && denied["error"] == "credential-revoked",
        "B refuses the revoked session: 401 credential-revoked",
    );
    checks.expect(
        third
            .header_values("www-authenticate")
            .iter()
            .any(|w| w.starts_with("DPoP") && w.contains("invalid_token")),
        "the refusal carries the DPoP invalid_token challenge",
    );

    // Give the guard's stderr reader a moment, then collect every record.
    std::thread::sleep(Duration::from_millis(200));
    let mut records: Vec<(String, Value)> = Vec::new();
    if let Ok(text) = std::fs::read_to_string(&records_path) {
        for line in text.lines() {
            if let Ok(v) = serde_json::from_str::<Value>(line) {
                records.push(("agent B".into(), v["record"].clone()));
            }
        }
    }
    if let Ok(g) = guard_records.lock() {
        for r in g.iter() {
            if let Ok(v) = serde_json::from_str::<Value>(r) {
                records.push(("tool guard".into(), v));
            }
        }
    }
    records.sort_by_key(|(_, r)| r["time"].as_u64().unwrap_or(0));
    print_line("\nDecision records (token-free; schema docs/decision-records.md)")?;
    for (who, r) in &records {
        let list = |name: &str| {
            r[name]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(short)
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default()
        };
        let s = |name: &str| r[name].as_str().map(short).unwrap_or_else(|| "-".into());
        hop(
            who,
            &format!(
                "{} {} {}{} agent={} user={} act=[{}] credentials=[{}]{}",
                s("decision"),
                s("method"),
                s("path"),
                r["error"]
                    .as_str()
                    .map(|e| format!(" {} {e}", r["status"]))
                    .unwrap_or_default(),
                s("agent"),
                s("user"),
                list("actors"),
                list("credentials"),
                r["event"]["type"]
                    .as_str()
                    .map(|t| format!(" event={t}"))
                    .unwrap_or_default()
            ),
        );
    }
    checks.expect(
        records.iter().filter(|(w, _)| w == "agent B").count() == 3,
        "agent B wrote three decision records",
    );
    checks.expect(
        records.iter().filter(|(w, _)| w == "tool guard").count() >= 2,
        "the tool's guard wrote its decision records",
    );
    if let Some(path) = &args.records {
        let text: String = records
            .iter()
            .map(|(w, r)| format!("{}\n", json!({"hop": w, "record": r})))
            .collect();
        write(path, &text)?;
        hop("", &format!("(written to {})", path.display()));
    }
    if let Some((_, last)) = records.iter().rev().find(|(_, r)| r["decision"] == "deny") {
        print_line("\n`a2a-auth inspect --explain` on the denial:")?;
        let text = crate::explain::explain_input(&last.to_string())?;
        for line in text.lines() {
            print_line(&format!("   {line}"))?;
        }
    }
    drop(tmp);
    as_server.unblock();
    if checks.0.is_empty() {
        print_line("\ndemo: every hop decided as the scenario expects")?;
        Ok(ExitCode::SUCCESS)
    } else {
        print_line(&format!(
            "\ndemo: {} unexpected outcomes:\n  {}",
            checks.0.len(),
            checks.0.join("\n  ")
        ))?;
        Ok(ExitCode::from(1))
    }
}
