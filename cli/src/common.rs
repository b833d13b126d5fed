//! What every subcommand shares: reading inputs, keys, the clock and randomness (the command is
//! a host: it supplies time and randomness to the sans-IO core), and printing JSON.

use std::io::{Read, Write};
use std::path::Path;

use a2a_auth::Limits;
use a2a_auth::crypto::{Algorithm, KeyPair};
use serde_json::Value;

/// A user error: one line, printed as `a2a-auth: <line>` with exit status 2.
pub type Fallible<T> = Result<T, String>;

/// Reads a file, or stdin for `-` / no path.
pub fn read_input(path: Option<&Path>) -> Fallible<String> {
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

/// A token-like argument: the text itself, `-` for stdin, or `@path` for a file.
pub fn text_arg(arg: &str) -> Fallible<String> {
    let text = if arg == "-" {
        read_input(None)?
    } else if let Some(path) = arg.strip_prefix('@') {
        read_input(Some(Path::new(path)))?
    } else {
        arg.to_owned()
    };
    Ok(text.trim().to_owned())
}

/// A private key from a JWK file (as `a2a-auth keygen` writes).
pub fn load_key(path: &Path) -> Fallible<KeyPair> {
    let text = read_input(Some(path))?;
    KeyPair::from_jwk(text.trim(), None, &Limits::DEFAULT).map_err(|e| {
        format!(
            "{}: not a private JWK we can use: {} ({e}); make one with `a2a-auth keygen`",
            path.display(),
            e.code()
        )
    })
}

/// A JSON object from a file (or stdin for `-`).
pub fn load_json(path: &Path) -> Fallible<Value> {
    let text = read_input(Some(path))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
}

#[expect(
    clippy::disallowed_methods,
    reason = "the command is a host: it supplies the time the core takes as input"
)]
/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[expect(
    clippy::disallowed_methods,
    reason = "the command is a host: it supplies the randomness the core takes as input"
)]
/// `N` random bytes from the operating system.
pub fn random<const N: usize>() -> Fallible<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| format!("randomness: {e}"))?;
    Ok(bytes)
}

/// A random identifier (base64url of 16 random bytes), for `jti`s.
pub fn random_id() -> Fallible<String> {
    Ok(a2a_auth::encoding::base64url::encode(&random::<16>()?))
}

/// An algorithm by its JWS name (`Ed25519` accepted for EdDSA).
pub fn algorithm(name: &str) -> Fallible<Algorithm> {
    match name {
        "ES256" => Ok(Algorithm::Es256),
        "ES384" => Ok(Algorithm::Es384),
        "EdDSA" | "Ed25519" => Ok(Algorithm::Ed25519),
        other => Err(format!("--alg {other}: use ES256, ES384 or EdDSA")),
    }
}

/// A fresh key pair from operating-system randomness, `kid` = its RFC 7638 thumbprint.
pub fn fresh_key(alg: Algorithm) -> Fallible<KeyPair> {
    // A seed is below the group order with overwhelming probability; draw again if not.
    for _ in 0..8 {
        let seed = random::<48>()?;
        let len = if alg == Algorithm::Es384 { 48 } else { 32 };
        if let Some(bytes) = seed.get(..len)
            && let Ok(pair) = KeyPair::from_seed(alg, bytes)
        {
            let kid = pair.public_jwk().thumbprint();
            return Ok(pair.with_kid(kid));
        }
    }
    Err("could not draw a key".into())
}

/// Writes `value` as pretty JSON and a newline to stdout.
pub fn print_json(value: &Value) -> Fallible<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    print_line(&text)
}

/// Writes one line to stdout.
pub fn print_line(text: &str) -> Fallible<()> {
    writeln!(std::io::stdout().lock(), "{text}").map_err(|e| format!("stdout: {e}"))
}

/// Writes one line to stderr (progress and summaries, never token text).
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// The public JWK of `key` as a JSON value.
pub fn public_jwk(key: &KeyPair) -> Value {
    Value::Object(key.public_jwk().to_object())
}

/// The SPIFFE trust bundle (JWKS with `use: wit-svid` keys) that publishes `key` as a WIT
/// authority.
pub fn bundle_of(key: &KeyPair, sequence: u64, refresh_hint: u64) -> Value {
    let mut jwk = public_jwk(key);
    if let Some(o) = jwk.as_object_mut() {
        o.insert("use".into(), Value::String("wit-svid".into()));
    }
    serde_json::json!({"keys": [jwk], "spiffe_sequence": sequence, "spiffe_refresh_hint": refresh_hint})
}

/// A request a loopback server (`serve-issuer`, the demo's servers) received.
pub struct Received {
    /// The method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The request target as received (path and query).
    pub target: String,
    /// Header fields in order.
    pub headers: Vec<(String, String)>,
    /// The body; `None` when it is larger than the limit given to [`receive`].
    pub body: Option<Vec<u8>>,
}

/// Reads `request` (its body up to `max_body` bytes).
pub fn receive(request: &mut tiny_http::Request, max_body: u64) -> Received {
    use std::io::Read as _;
    let target = request.url().to_owned();
    let headers = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_owned(),
                h.value.as_str().to_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    let declared_too_big = request.body_length().is_some_and(|l| l as u64 > max_body);
    let read = !declared_too_big
        && request
            .as_reader()
            .take(max_body.saturating_add(1))
            .read_to_end(&mut body)
            .is_ok()
        && body.len() as u64 <= max_body;
    Received {
        method: request.method().as_str().to_owned(),
        path: target.split('?').next().unwrap_or_default().to_owned(),
        target,
        headers,
        body: read.then_some(body),
    }
}

/// Answers `request` with `status`, `headers` and `body`.
pub fn respond(
    request: tiny_http::Request,
    status: u16,
    headers: &[(String, String)],
    body: String,
) {
    let mut response = tiny_http::Response::from_string(body).with_status_code(status);
    for (n, v) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(n.as_bytes(), v.as_bytes()) {
            response = response.with_header(h);
        }
    }
    let _ = request.respond(response);
}

/// Answers `request` with `status` and a JSON body.
pub fn respond_json(request: tiny_http::Request, status: u16, body: &Value) {
    respond(
        request,
        status,
        &[("content-type".into(), "application/json".into())],
        body.to_string(),
    );
}
