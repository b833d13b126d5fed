//! `a2a-auth inspect`: decode a token without verifying it, or explain a denial.

use std::process::ExitCode;

use a2a_auth::Limits;
use serde_json::Value;

use crate::common::{Fallible, now, print_json, print_line, text_arg};

/// The kind of token an explicit `typ` names.
pub fn kind_of(typ: Option<&str>) -> &'static str {
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

/// `a2a-auth inspect TOKEN`.
pub fn inspect(token: &str, at: Option<u64>) -> Fallible<ExitCode> {
    let text = text_arg(token)?;
    let jws = a2a_auth::jose::parse_jws(&text, &Limits::DEFAULT)
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
    print_json(&serde_json::json!({
        "verified": false,
        "kind": kind_of(jws.header().typ()),
        "header": header,
        "claims": claims,
        "times": times,
        "sha256": a2a_auth::encoding::base64url::encode(&a2a_auth::crypto::sha256(text.as_bytes())),
    }))?;
    Ok(ExitCode::SUCCESS)
}

/// `a2a-auth inspect --explain INPUT`.
pub fn explain(input: &str) -> Fallible<ExitCode> {
    let text = text_arg(input)?;
    // Several records (JSON Lines): explain each denial.
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() > 1 && lines.iter().all(|l| l.trim_start().starts_with('{')) {
        for (n, line) in (1u64..).zip(&lines) {
            print_line(&format!("line {n}:"))?;
            print_line(crate::explain::explain_input(line)?.trim_end())?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    print_line(crate::explain::explain_input(&text)?.trim_end())?;
    Ok(ExitCode::SUCCESS)
}
