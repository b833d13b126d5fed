//! `a2a-auth sign`: the headers an outgoing request needs (WIT + WPT or HTTP signature, access
//! token with DPoP or Bearer), or a signed JWT from claims (attestation evidence, test tokens).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use a2a_auth::ffi;
use a2a_auth::jose::sign_jws;
use serde_json::{Map, Value, json};

use crate::common::{Fallible, load_json, load_key, now, print_line, random, text_arg};
use crate::verify::request_of;

/// What `sign request` was asked to do (its command-line arguments).
#[derive(clap::Args)]
pub struct RequestArgs {
    /// The described request (JSON).
    #[arg(long)]
    pub request: PathBuf,
    /// The workload's WIT (text, `-` or `@file`).
    #[arg(long)]
    pub wit: Option<String>,
    /// The private JWK the WIT binds.
    #[arg(long)]
    pub workload_key: Option<PathBuf>,
    /// The workload proof: wpt-01, wpt-02, http-signature-06, http-signature-07.
    #[arg(long, default_value = "wpt-01")]
    pub proof: String,
    /// The access token (text, `-` or `@file`).
    #[arg(long)]
    pub access_token: Option<String>,
    /// Send the access token as Bearer (default: DPoP).
    #[arg(long)]
    pub bearer: bool,
    /// The DPoP private JWK (the token's cnf.jkt key).
    #[arg(long)]
    pub dpop_key: Option<PathBuf>,
    /// Proof lifetime in seconds.
    #[arg(long)]
    pub lifetime: Option<u64>,
    /// Unix seconds to sign at (default: now).
    #[arg(long)]
    pub now: Option<u64>,
    /// headers, json or curl.
    #[arg(long, default_value = "headers", value_parser = ["headers", "json", "curl"])]
    pub format: String,
}

/// `a2a-auth sign request`.
pub fn request(a: &RequestArgs) -> Fallible<ExitCode> {
    let described = load_json(&a.request)?;
    let request = request_of(&described).map_err(|e| format!("{}: {e}", a.request.display()))?;
    let mut options = Map::new();
    if let Some(wit) = &a.wit {
        options.insert("wit".into(), Value::String(text_arg(wit)?));
        options.insert("proof".into(), Value::String(a.proof.clone()));
    }
    if let Some(at) = &a.access_token {
        options.insert("access_token".into(), Value::String(text_arg(at)?));
        let kind = if a.bearer { "Bearer" } else { "DPoP" };
        options.insert("token_type".into(), Value::String(kind.into()));
    }
    if options.is_empty() {
        return Err(
            "nothing to sign with: give --wit (with --workload-key) and/or --access-token".into(),
        );
    }
    if let Some(l) = a.lifetime {
        options.insert("lifetime".into(), json!(l));
    }
    let workload_key = a.workload_key.as_deref().map(load_key).transpose()?;
    let dpop_key = a.dpop_key.as_deref().map(load_key).transpose()?;
    let signer = ffi::signer_new(
        &Value::Object(options).to_string(),
        workload_key.as_ref(),
        dpop_key.as_ref(),
    )
    .map_err(|e| {
        let hint = match &e {
            a2a_auth::Error::InvalidArgument("workload_key") => " (--wit needs --workload-key)",
            a2a_auth::Error::InvalidArgument("dpop_key") => {
                " (DPoP needs --dpop-key; --bearer sends a Bearer token)"
            }
            a2a_auth::Error::InvalidArgument("proof") => {
                " (--proof: wpt-01, wpt-02, http-signature-06, http-signature-07)"
            }
            _ => "",
        };
        format!("signer: {} ({e}){hint}", e.code())
    })?;
    let at = a.now.unwrap_or_else(now);
    let headers = ffi::sign_request(&signer, &request, at, &random::<16>()?)
        .map_err(|e| format!("sign: {} ({e})", e.code()))?;
    match a.format.as_str() {
        "json" => {
            // The request with its headers added, ready for `a2a-auth verify`.
            let mut out = described.clone();
            let mut all: Vec<Value> = request.headers.iter().map(|(n, v)| json!([n, v])).collect();
            all.extend(headers.iter().map(|(n, v)| json!([n, v])));
            if let Some(o) = out.as_object_mut() {
                o.insert("headers".into(), Value::Array(all));
            }
            print_line(&out.to_string())?;
        }
        "curl" => {
            let args: Vec<String> = headers
                .iter()
                .map(|(n, v)| format!("-H '{n}: {v}'"))
                .collect();
            print_line(&args.join(" "))?;
        }
        _ => {
            for (n, v) in &headers {
                print_line(&format!("{n}: {v}"))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `a2a-auth sign jwt`: signs the claims (a JSON object) with `key`, header `typ` when given.
pub fn jwt(
    claims: &Path,
    key: &Path,
    typ: Option<&str>,
    lifetime: Option<u64>,
) -> Fallible<ExitCode> {
    let mut claims = match load_json(claims)? {
        Value::Object(o) => o,
        _ => {
            return Err(format!(
                "{}: the claims must be a JSON object",
                claims.display()
            ));
        }
    };
    if let Some(l) = lifetime {
        let t = now();
        claims.entry("iat").or_insert(json!(t));
        claims.insert("exp".into(), json!(t.saturating_add(l)));
    }
    let key = load_key(key)?;
    let mut header = Map::new();
    if let Some(t) = typ {
        header.insert("typ".into(), Value::String(t.to_owned()));
    }
    let token = sign_jws(&header, Value::Object(claims).to_string().as_bytes(), &key)
        .map_err(|e| format!("sign: {} ({e})", e.code()))?;
    print_line(&token)?;
    Ok(ExitCode::SUCCESS)
}
