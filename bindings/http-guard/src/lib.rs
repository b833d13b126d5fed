//! a2a-auth as a `wasi:http/proxy` component (`wasm32-wasip2`): every incoming request is
//! decided by [`Verifier::authenticate`](a2a_auth::gate::Verifier) under the policy document;
//! allowed requests are forwarded to the configured upstream with the identity headers
//! ([`a2a_auth::gate::edge`]), denied ones answered with the exact status and challenges. It
//! runs under `wasmtime serve` and Spin. See `bindings/http-guard/README.md`.
//!
//! Configuration comes from the environment (Spin: the component's `environment`;
//! `wasmtime serve`: `--env`): [`Settings::from_env`].
//!
//! Under `wasmtime serve` (and Spin) every request gets a **fresh instance**: nothing the
//! verifier keeps (replay cache, verified-credential cache, applied events, fetched keys)
//! survives to the next request. The README says what that means.

use a2a_auth::gate::{Verifier, VerifierOptions, edge};
use a2a_auth::policy::Policy;
use a2a_auth::{Error, Limits};

/// The guard's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `A2A_AUTH_POLICY`: the policy document (JSON).
    pub policy: String,
    /// `A2A_AUTH_UPSTREAM`: where allowed requests go (`http://127.0.0.1:9000`); its path is
    /// prepended to the request path.
    pub upstream: String,
    /// `A2A_AUTH_ORIGIN`: the origin this guard serves (default: the policy's first
    /// authority). Target URIs are built from it, never from `Host`.
    pub origin: String,
    /// `A2A_AUTH_MODE`: `enforce` (default) or `observe` (log, forward everything).
    pub observe: bool,
    /// `A2A_AUTH_FORWARD`: `true` keeps the credential headers on forwarded requests.
    pub forward: bool,
    /// `A2A_AUTH_HEADER_PREFIX`: identity header prefix (default `x-a2a-`).
    pub header_prefix: String,
    /// `A2A_AUTH_SECRET`: base64url verifier secret (default: random per instance).
    pub secret: Option<Vec<u8>>,
    /// `A2A_AUTH_MAX_BODY`: largest request body read (bytes, default 1 MiB; larger: 413).
    pub max_body: usize,
    /// `A2A_AUTH_NOW`: a fixed clock (Unix seconds) — for tests only.
    pub fixed_now: Option<u64>,
    /// `A2A_AUTH_KEYVALUE`: the `wasi:keyvalue` store that holds the shared replay cache (the
    /// `keyvalue` build only; set it with `A2A_AUTH_SECRET` so that every instance computes the
    /// same fingerprints).
    pub keyvalue: Option<String>,
}

impl Settings {
    /// Reads the settings through `get` (an environment lookup).
    ///
    /// # Errors
    /// A message naming the variable.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let policy = get("A2A_AUTH_POLICY").ok_or("A2A_AUTH_POLICY is not set")?;
        let upstream = get("A2A_AUTH_UPSTREAM")
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .ok_or("A2A_AUTH_UPSTREAM must be an http(s) URL")?;
        let origin = match get("A2A_AUTH_ORIGIN") {
            Some(o) => o,
            None => serde_json::from_str::<serde_json::Value>(&policy)
                .ok()
                .and_then(|p| p.get("authorities")?.get(0)?.as_str().map(str::to_owned))
                .ok_or("A2A_AUTH_ORIGIN is not set and the policy has no authorities")?,
        };
        let observe = match get("A2A_AUTH_MODE").as_deref() {
            None | Some("enforce") => false,
            Some("observe") => true,
            Some(_) => return Err("A2A_AUTH_MODE is `enforce` or `observe`".into()),
        };
        let secret = match get("A2A_AUTH_SECRET") {
            None => None,
            Some(s) => Some(
                a2a_auth::encoding::base64url::decode(&s)
                    .ok()
                    .filter(|b| b.len() >= 32)
                    .ok_or("A2A_AUTH_SECRET is base64url of at least 32 bytes")?,
            ),
        };
        let number = |name: &str| -> Result<Option<u64>, String> {
            get(name)
                .map(|v| v.parse().map_err(|_| format!("{name} is a number")))
                .transpose()
        };
        Ok(Self {
            policy,
            upstream: upstream.trim_end_matches('/').to_owned(),
            origin: origin.trim_end_matches('/').to_owned(),
            observe,
            forward: get("A2A_AUTH_FORWARD").as_deref() == Some("true"),
            header_prefix: get("A2A_AUTH_HEADER_PREFIX").map_or_else(
                || edge::DEFAULT_HEADER_PREFIX.to_owned(),
                |p| p.to_ascii_lowercase(),
            ),
            secret,
            max_body: number("A2A_AUTH_MAX_BODY")?
                .map_or(1 << 20, |n| usize::try_from(n).unwrap_or(usize::MAX)),
            fixed_now: number("A2A_AUTH_NOW")?,
            keyvalue: match get("A2A_AUTH_KEYVALUE") {
                Some(_) if get("A2A_AUTH_SECRET").is_none() => {
                    return Err(
                        "A2A_AUTH_KEYVALUE needs A2A_AUTH_SECRET shared by every instance".into(),
                    );
                }
                other => other,
            },
        })
    }

    /// A verifier for these settings; `random` supplies the secret when none is configured.
    ///
    /// # Errors
    /// The policy's or the verifier's error.
    pub fn verifier(&self, random: impl FnOnce() -> [u8; 32]) -> Result<Verifier, Error> {
        let policy = Policy::from_json(&self.policy, &Limits::DEFAULT)?;
        let secret = self.secret.clone().unwrap_or_else(|| random().to_vec());
        Verifier::new(policy, &secret, VerifierOptions::default())
    }
}

/// Hop-by-hop fields (RFC 9110 §7.6.1) and `host`, never forwarded as they came.
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

/// The headers of the forwarded request: the inbound ones without hop-by-hop fields, without
/// any header carrying the identity prefix, without the credentials (unless `forward`), plus
/// the identity headers of `principal`.
pub fn upstream_headers(
    inbound: &[(String, String)],
    principal: Option<&a2a_auth::gate::Principal>,
    settings: &Settings,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = inbound
        .iter()
        .filter(|(n, _)| {
            let n = n.to_ascii_lowercase();
            !HOP_BY_HOP.contains(&n.as_str())
                && !n.starts_with(&settings.header_prefix)
                && (settings.forward || !edge::CREDENTIAL_HEADERS.contains(&n.as_str()))
        })
        .cloned()
        .collect();
    if let Some(p) = principal {
        out.extend(edge::identity_headers(p, &settings.header_prefix));
    }
    out
}

#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
mod server;

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn settings_from_the_environment() {
        let s = Settings::from_env(env(&[
            (
                "A2A_AUTH_POLICY",
                r#"{"authorities":["https://tools.example.com/"]}"#,
            ),
            ("A2A_AUTH_UPSTREAM", "http://127.0.0.1:9000/"),
        ]))
        .unwrap();
        assert_eq!(s.origin, "https://tools.example.com");
        assert_eq!(s.upstream, "http://127.0.0.1:9000");
        assert_eq!((s.observe, s.forward, s.max_body), (false, false, 1 << 20));
        assert!(Settings::from_env(env(&[("A2A_AUTH_POLICY", "{}")])).is_err());
        assert!(
            Settings::from_env(env(&[
                ("A2A_AUTH_POLICY", "{}"),
                ("A2A_AUTH_UPSTREAM", "http://u"),
                ("A2A_AUTH_ORIGIN", "https://o"),
                ("A2A_AUTH_MODE", "audit"),
            ]))
            .is_err()
        );
        let inbound = vec![
            ("Authorization".to_owned(), "DPoP x".to_owned()),
            ("X-A2A-User".to_owned(), "admin".to_owned()),
            ("Connection".to_owned(), "close".to_owned()),
            ("Accept".to_owned(), "*/*".to_owned()),
        ];
        assert_eq!(
            upstream_headers(&inbound, None, &s),
            vec![("Accept".to_owned(), "*/*".to_owned())]
        );
    }
}
