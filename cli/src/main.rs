//! `a2a-auth`: the command line of the a2a-auth core.
//!
//! Subcommands so far (the rest of the command grows with its issue):
//! - `verify`: decides about requests (JSON Lines) under a policy, after applying security
//!   events, and writes one token-free decision record per request (JSON Lines).
//! - `check-records`: replays decision records against a policy and reports the decisions the
//!   policy would not produce today (exit status 1 when there are any).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use a2a_auth::ffi;
use clap::{Parser, Subcommand};
use serde_json::Value;

/// Authentication and authorization for agents calling agents, tools and services.
#[derive(Parser)]
#[command(name = "a2a-auth", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decide about requests under a policy and write one decision record per request.
    ///
    /// Requests are JSON Lines, one object per line: {"method", "target_uri", "headers":
    /// [[name, value], ...], "body": <base64url>?, "mtls_peer"?, "now"?}. `target_uri` is the
    /// absolute URI the request was addressed to (your configured origin + request target).
    /// Security Event Tokens in --events (one per line) are applied first, in order. Records go
    /// to stdout as JSON Lines (schema: docs/decision-records.md); a summary goes to stderr.
    ///
    /// Example:
    ///   a2a-auth verify --policy policy.json --events sets.txt requests.jsonl > decisions.jsonl
    Verify {
        /// The policy document (JSON).
        #[arg(long)]
        policy: PathBuf,
        /// Security Event Tokens to apply before the requests, one per line.
        #[arg(long)]
        events: Option<PathBuf>,
        /// Unix seconds to decide at (default: now); a request's own "now" wins.
        #[arg(long)]
        now: Option<u64>,
        /// The requests (JSON Lines); `-` or absent for stdin.
        requests: Option<PathBuf>,
    },
    /// Generate a signing key pair and print the private JWK (keep it secret).
    ///
    /// The `kid` defaults to the RFC 7638 thumbprint. With --public-out the public JWK (what a
    /// verifier, a trust bundle or a JWKS needs) is written to that file too.
    ///
    /// Example:
    ///   a2a-auth keygen --alg EdDSA --public-out agent.pub.jwk > agent.jwk
    Keygen {
        /// ES256, ES384 or EdDSA.
        #[arg(long, default_value = "ES256")]
        alg: String,
        /// The key id (default: the thumbprint).
        #[arg(long)]
        kid: Option<String>,
        /// Also write the public JWK to this file.
        #[arg(long)]
        public_out: Option<PathBuf>,
    },
    /// Decode a token (WIT, WPT, DPoP proof, access token, Txn-Token, SET, JWT-SVID) WITHOUT
    /// verifying it: its kind (from `typ`), header, claims and times relative to now.
    ///
    /// For looking at what a client sent; never a reason to trust it. Verification is `verify`.
    ///
    /// Example:
    ///   a2a-auth inspect eyJhbGciOi...   (or `-` to read it from stdin)
    Inspect {
        /// The token, or `-` for stdin.
        token: String,
        /// Unix seconds to describe times against (default: now).
        #[arg(long)]
        now: Option<u64>,
    },
    /// Replay decision records against a policy; report decisions it would not produce today.
    ///
    /// Prints the report (JSON) and exits with status 1 when it has findings or malformed
    /// lines, so it can gate a policy change in CI:
    ///   a2a-auth check-records --policy new-policy.json decisions.jsonl
    CheckRecords {
        /// The policy document (JSON).
        #[arg(long)]
        policy: PathBuf,
        /// The records (JSON Lines); `-` or absent for stdin.
        records: Option<PathBuf>,
    },
}

fn read_input(path: Option<&PathBuf>) -> Result<String, String> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
        }
        _ => {
            let mut s = String::new();
            std::io::stdin()
                .lock()
                .read_to_string(&mut s)
                .map_err(|e| format!("stdin: {e}"))?;
            Ok(s)
        }
    }
}

#[expect(
    clippy::disallowed_methods,
    reason = "the command is a host: it supplies the time the core takes as input"
)]
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn request_of(v: &Value) -> Result<ffi::GateRequest, String> {
    let text = |name: &str| v.get(name).and_then(Value::as_str).map(str::to_owned);
    let headers = match v.get("headers") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|h| match h.as_array().map(Vec::as_slice) {
                Some([Value::String(n), Value::String(v)]) => Ok((n.clone(), v.clone())),
                _ => Err("headers: each entry is [name, value]".to_owned()),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(Value::Object(map)) => map
            .iter()
            .map(|(n, v)| {
                v.as_str()
                    .map(|v| (n.clone(), v.to_owned()))
                    .ok_or_else(|| "headers: values are strings".to_owned())
            })
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
        Some(_) => return Err("headers: an array of [name, value] or an object".into()),
    };
    let body = match v.get("body") {
        None | Some(Value::Null) => None,
        Some(Value::String(b)) => Some(
            a2a_auth::encoding::base64url::decode(b)
                .map_err(|_| "body: not base64url".to_owned())?,
        ),
        Some(_) => return Err("body: base64url text".into()),
    };
    Ok(ffi::GateRequest {
        method: text("method").ok_or("method is required")?,
        target_uri: text("target_uri").ok_or("target_uri is required")?,
        headers,
        body,
        mtls_peer: text("mtls_peer"),
    })
}

#[expect(
    clippy::disallowed_methods,
    reason = "the command is a host: it supplies the randomness the core takes as input"
)]
fn secret() -> Result<[u8; 32], String> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| format!("randomness: {e}"))?;
    Ok(secret)
}

fn verify(
    policy: &PathBuf,
    events: Option<&PathBuf>,
    at: Option<u64>,
    requests: Option<&PathBuf>,
) -> Result<ExitCode, String> {
    let policy = read_input(Some(policy))?;
    let secret = secret()?;
    let mut verifier =
        ffi::verifier_new(&policy, &secret).map_err(|e| format!("policy: {} ({e})", e.code()))?;
    let default_now = at.unwrap_or_else(now);
    let mut err = std::io::stderr().lock();
    if let Some(path) = events {
        for (n, line) in (1u64..).zip(read_input(Some(path))?.lines()) {
            let set = line.trim();
            if set.is_empty() {
                continue;
            }
            match ffi::apply_event(&mut verifier, set, default_now) {
                Ok(applied) => writeln!(err, "event line {n}: applied {applied}"),
                Err(e) => writeln!(err, "event line {n}: refused: {} ({e})", e.code()),
            }
            .map_err(|e| e.to_string())?;
        }
    }
    let input = read_input(requests)?;
    let mut out = std::io::stdout().lock();
    let (mut allowed, mut denied) = (0u64, 0u64);
    for (n, line) in (1u64..).zip(input.lines()) {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| format!("requests line {n}: {e}"))?;
        let request = request_of(&v).map_err(|e| format!("requests line {n}: {e}"))?;
        let when = v.get("now").and_then(Value::as_u64).unwrap_or(default_now);
        let record = match ffi::authenticate(&mut verifier, &request, when) {
            Ok(p) => {
                allowed = allowed.saturating_add(1);
                p.audit
            }
            Err(d) => {
                denied = denied.saturating_add(1);
                d.audit
            }
        };
        writeln!(out, "{record}").map_err(|e| e.to_string())?;
    }
    let total = allowed.saturating_add(denied);
    writeln!(err, "{total} requests: {allowed} allowed, {denied} denied")
        .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

fn keygen(alg: &str, kid: Option<&str>, public_out: Option<&PathBuf>) -> Result<ExitCode, String> {
    use a2a_auth::crypto::{Algorithm, KeyPair};
    let algorithm = match alg {
        "ES256" => Algorithm::Es256,
        "ES384" => Algorithm::Es384,
        "EdDSA" | "Ed25519" => Algorithm::Ed25519,
        other => return Err(format!("--alg {other}: use ES256, ES384 or EdDSA")),
    };
    let len: usize = if algorithm == Algorithm::Es384 {
        48
    } else {
        32
    };
    // A seed is below the group order with overwhelming probability; draw again if not.
    let mut pair = None;
    for _ in 0..8 {
        let seed = secret()?;
        let mut bytes = seed.to_vec();
        if len > 32 {
            bytes.extend_from_slice(secret()?.get(..len.saturating_sub(32)).unwrap_or_default());
        }
        if let Ok(p) = KeyPair::from_seed(algorithm, &bytes) {
            pair = Some(p);
            break;
        }
    }
    let pair = pair.ok_or("could not draw a key")?;
    let kid = kid.map_or_else(|| pair.public_jwk().thumbprint(), str::to_owned);
    let pair = pair.with_kid(kid);
    if let Some(path) = public_out {
        let public = serde_json::to_string_pretty(&Value::Object(pair.public_jwk().to_object()))
            .map_err(|e| e.to_string())?;
        std::fs::write(path, public + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    writeln!(std::io::stdout().lock(), "{}", pair.to_private_jwk_json())
        .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// The kind of token an explicit `typ` names.
fn kind_of(typ: Option<&str>) -> &'static str {
    let t = typ.unwrap_or_default().to_ascii_lowercase();
    match t.strip_prefix("application/").unwrap_or(&t) {
        "wit+jwt" => "workload identity token (WIT)",
        "wpt+jwt" => "workload proof token (WPT)",
        "dpop+jwt" => "DPoP proof",
        "at+jwt" => "access token (RFC 9068)",
        "txntoken+jwt" | "txn_token+jwt" => "transaction token",
        "secevent+jwt" => "security event token (SET)",
        "oauth-client-attestation-pop+jwt" => "client attestation PoP",
        "jwt" | "" => "JWT (no explicit type: a JWT-SVID or a generic JWT)",
        _ => "JWT of another type",
    }
}

fn inspect(token: &str, at: Option<u64>) -> Result<ExitCode, String> {
    use a2a_auth::Limits;
    let text = if token == "-" {
        read_input(None)?
    } else {
        token.to_owned()
    };
    let text = text.trim();
    let jws = a2a_auth::jose::parse_jws(text, &Limits::DEFAULT)
        .map_err(|e| format!("not a token we can decode: {} ({e})", e.code()))?;
    let claims = a2a_auth::encoding::json::parse_object(jws.unverified_payload(), &Limits::DEFAULT)
        .map_err(|e| format!("the payload is not a JSON object: {} ({e})", e.code()))?;
    let header = jws.header().raw().clone();
    let now = at.unwrap_or_else(now);
    let mut times = serde_json::Map::new();
    for name in ["iat", "nbf", "exp", "auth_time", "toe"] {
        if let Some(t) = claims.get(name).and_then(Value::as_u64) {
            let when = if t >= now {
                format!("in {} s", t.saturating_sub(now))
            } else {
                format!("{} s ago", now.saturating_sub(t))
            };
            times.insert(name.into(), Value::String(when));
        }
    }
    let out = serde_json::json!({
        "verified": false,
        "kind": kind_of(jws.header().typ()),
        "header": header,
        "claims": claims,
        "times": times,
        "sha256": a2a_auth::encoding::base64url::encode(&a2a_auth::crypto::sha256(text.as_bytes())),
    });
    let pretty = serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?;
    writeln!(std::io::stdout().lock(), "{pretty}").map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

fn check_records(policy: &PathBuf, records: Option<&PathBuf>) -> Result<ExitCode, String> {
    let policy = read_input(Some(policy))?;
    let records = read_input(records)?;
    let report =
        ffi::check_records(&policy, &records).map_err(|e| format!("policy: {} ({e})", e.code()))?;
    let v: Value = serde_json::from_str(&report).map_err(|e| e.to_string())?;
    let pretty = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?;
    writeln!(std::io::stdout().lock(), "{pretty}").map_err(|e| e.to_string())?;
    let empty = |name: &str| {
        v.get(name)
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
    };
    let clean = empty("findings") && empty("malformed");
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Verify {
            policy,
            events,
            now,
            requests,
        } => verify(policy, events.as_ref(), *now, requests.as_ref()),
        Command::CheckRecords { policy, records } => check_records(policy, records.as_ref()),
        Command::Keygen {
            alg,
            kid,
            public_out,
        } => keygen(alg, kid.as_deref(), public_out.as_ref()),
        Command::Inspect { token, now } => inspect(token, *now),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(std::io::stderr().lock(), "a2a-auth: {message}");
            ExitCode::from(2)
        }
    }
}
