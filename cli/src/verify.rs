//! `a2a-auth verify`: a whole request (JSON Lines of described requests, after applying
//! security events) or one token, under a policy. Key documents the policy names by URL
//! (`jwks_uri`, bundle endpoints) are fetched over HTTP as the core asks.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use a2a_auth::UnixTime;
use a2a_auth::ffi;
use a2a_auth::gate::{VerifiedToken, Verifier};
use serde_json::{Value, json};

use crate::common::{Fallible, note, now, print_json, print_line, random, read_input, text_arg};

/// A described request (`{"method", "target_uri", "headers", "body"?, "mtls_peer"?}`).
pub fn request_of(v: &Value) -> Result<ffi::GateRequest, String> {
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
        target_uri: text("target_uri").ok_or("target_uri is required (your origin + path)")?,
        headers,
        body,
        mtls_peer: text("mtls_peer"),
    })
}

/// Fetches the key documents the verifier says are due (`jwks_uri`, SPIFFE bundle endpoints).
pub fn refresh_keys(verifier: &mut Verifier, at: u64) {
    for url in verifier.due(UnixTime(at)) {
        let fetched = ureq::get(&url)
            .header("accept", "application/json")
            .call()
            .ok()
            .and_then(|mut r| {
                let max_age = a2a_auth::gate::edge::max_age(
                    r.headers()
                        .get("cache-control")
                        .and_then(|v| v.to_str().ok()),
                );
                r.body_mut().read_to_string().ok().map(|b| (b, max_age))
            });
        let (body, max_age) = match fetched {
            Some((b, m)) => (Some(b), m),
            None => {
                note(&format!("key document {url}: fetch failed"));
                (None, None)
            }
        };
        if let Err(e) = verifier.ingest(&url, body.as_deref(), max_age, UnixTime(at)) {
            note(&format!("key document {url}: {}", e.code()));
        }
    }
}

fn verifier(policy: &Path) -> Fallible<Verifier> {
    let text = read_input(Some(policy))?;
    ffi::verifier_new(&text, &random::<32>()?)
        .map_err(|e| format!("{}: {} ({e})", policy.display(), e.code()))
}

fn apply_events(verifier: &mut Verifier, path: &Path, at: u64) -> Fallible<()> {
    for (n, line) in (1u64..).zip(read_input(Some(path))?.lines()) {
        let set = line.trim();
        if set.is_empty() {
            continue;
        }
        match ffi::apply_event(verifier, set, at) {
            Ok(applied) => note(&format!("event line {n}: applied {applied}")),
            Err(e) => note(&format!("event line {n}: refused: {} ({e})", e.code())),
        }
    }
    Ok(())
}

/// What `verify` was asked to do (its command-line arguments).
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The policy document (JSON).
    #[arg(long)]
    pub policy: PathBuf,
    /// Security Event Tokens to apply first, one per line.
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// Verify this one token instead of requests (text, `-` or `@file`).
    #[arg(long, conflicts_with = "requests")]
    pub token: Option<String>,
    /// Unix seconds to decide at (default: now); a request's own "now" wins.
    #[arg(long)]
    pub now: Option<u64>,
    /// The requests (JSON Lines); `-` or absent for stdin.
    pub requests: Option<PathBuf>,
}

/// `a2a-auth verify`.
pub fn verify(a: &VerifyArgs) -> Fallible<ExitCode> {
    let mut verifier = verifier(&a.policy)?;
    let default_now = a.now.unwrap_or_else(now);
    refresh_keys(&mut verifier, default_now);
    if let Some(path) = &a.events {
        apply_events(&mut verifier, path, default_now)?;
    }
    if let Some(token) = &a.token {
        return verify_token(&mut verifier, &text_arg(token)?, default_now);
    }
    let input = read_input(a.requests.as_deref())?;
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
        print_line(&record)?;
    }
    let total = allowed.saturating_add(denied);
    note(&format!(
        "{total} requests: {allowed} allowed, {denied} denied"
    ));
    Ok(ExitCode::SUCCESS)
}

fn verify_token(verifier: &mut Verifier, token: &str, at: u64) -> Fallible<ExitCode> {
    let out = match verifier.verify_token(token, UnixTime(at)) {
        Ok(VerifiedToken::WorkloadIdentity(w)) => json!({
            "valid": true, "kind": "wit", "subject": w.subject.as_str(),
            "trust_domain": w.subject.trust_domain(),
            "proof_alg": w.proof_alg.jws_name(), "key_thumbprint": w.confirmation_key.thumbprint(),
            "issuer_key": w.issuer_key_thumbprint,
            "expires_at": w.claims.get("exp"),
        }),
        Ok(VerifiedToken::AccessToken(t)) => {
            let actors: Vec<String> = a2a_auth::oauth::act_chain(&t.claims)
                .map(|c| c.into_iter().map(|a| a.subject).collect())
                .unwrap_or_default();
            json!({
                "valid": true, "kind": "access_token", "issuer": t.issuer, "subject": t.subject,
                "client_id": t.client_id, "scopes": t.scopes, "actors": actors,
                "dpop_bound": t.cnf_jkt.is_some(), "acr": t.acr, "expires_at": t.expires_at,
            })
        }
        Ok(VerifiedToken::TransactionToken(t)) => json!({
            "valid": true, "kind": "txn_token", "txn": t.txn, "subject": t.subject,
            "scope": t.scope, "requesting_workload": t.requesting_workload,
            "tctx": t.tctx, "expires_at": t.expires_at,
        }),
        Ok(VerifiedToken::SecurityEvent(s)) => json!({
            "valid": true, "kind": "set", "issuer": s.issuer, "jti": s.jti,
            "events": s.events.iter().map(|e| e.uri.clone()).collect::<Vec<_>>(),
            "subject": s.subject.to_json(), "issued_at": s.issued_at,
        }),
        Ok(_) => json!({"valid": true}),
        Err(e) => {
            print_json(&json!({"valid": false, "error": e.code(), "message": e.to_string()}))?;
            note(&format!(
                "refused: {} — `a2a-auth inspect --explain {}` says why",
                e.code(),
                e.code()
            ));
            return Ok(ExitCode::from(1));
        }
    };
    print_json(&out)?;
    Ok(ExitCode::SUCCESS)
}
