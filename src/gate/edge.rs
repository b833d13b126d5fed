//! What an edge host (a proxy filter, an HTTP guard) does around
//! [`Verifier::authenticate`](super::Verifier::authenticate), so every edge behaves the same:
//! which credential headers to strip before forwarding, which identity headers to send
//! upstream (and how their values are made header-safe), and the local reply for a denial.

use super::{Denial, Principal};
use crate::encoding::json;

/// Credential headers an edge removes before forwarding (unless configured to forward them):
/// they are bound to this hop and are of no use (or risk) upstream. `Txn-Token` is kept: it is
/// meant to travel with the transaction.
pub const CREDENTIAL_HEADERS: [&str; 6] = [
    "authorization",
    "dpop",
    "workload-identity-token",
    "workload-proof-token",
    "signature",
    "signature-input",
];

/// The default prefix of identity headers.
pub const DEFAULT_HEADER_PREFIX: &str = "x-a2a-";

/// A header value for upstream: visible ASCII kept, anything else (and `%`) percent-encoded,
/// so a claim cannot smuggle CR/LF or non-ASCII into a header.
pub fn header_safe(s: &str) -> String {
    use core::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if (0x20..0x7f).contains(&b) && b != b'%' {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The identity headers for upstream (names are `prefix` + `agent`, `trust-domain`, `user`,
/// `client-id`, `actors` (comma-separated, current actor first), `scopes` (space-separated),
/// `auth-method`, `txn`); absent values are not sent. An edge removes every inbound header with
/// the prefix before adding these.
pub fn identity_headers(p: &Principal, prefix: &str) -> Vec<(String, String)> {
    let actors: Vec<&str> = p.actors.iter().map(|a| a.subject.as_str()).collect();
    let values = [
        ("agent", p.agent.clone()),
        ("trust-domain", p.trust_domain.clone()),
        ("user", p.subject.clone()),
        ("client-id", p.client_id.clone()),
        ("actors", (!actors.is_empty()).then(|| actors.join(","))),
        ("scopes", (!p.scopes.is_empty()).then(|| p.scopes.join(" "))),
        (
            "auth-method",
            Some(crate::ffi::credential_kind_name(p.method).to_owned()),
        ),
        ("txn", p.transaction.as_ref().map(|t| t.txn.clone())),
    ];
    values
        .into_iter()
        .filter_map(|(name, v)| v.map(|v| (format!("{prefix}{name}"), header_safe(&v))))
        .collect()
}

/// The reply to a denial: status, headers (`WWW-Authenticate` per challenge, `DPoP-Nonce`,
/// `Content-Type: application/problem+json`, `Cache-Control: no-store`) and an RFC 9457 body
/// `{"type": "about:blank", "status", "title": <error code>}`.
pub fn denial_reply(d: &Denial) -> (u16, Vec<(String, String)>, String) {
    let mut headers: Vec<(String, String)> = d
        .www_authenticate
        .iter()
        .map(|w| ("www-authenticate".to_owned(), w.clone()))
        .collect();
    if let Some(n) = &d.dpop_nonce {
        headers.push(("dpop-nonce".to_owned(), n.clone()));
    }
    headers.push((
        "content-type".to_owned(),
        "application/problem+json".to_owned(),
    ));
    headers.push(("cache-control".to_owned(), "no-store".to_owned()));
    (d.status, headers, problem_body(d.status, d.error.code()))
}

/// An RFC 9457 `application/problem+json` body: `{"type": "about:blank", "status", "title"}`
/// (the title is an error code, or another short token an edge answers with).
pub fn problem_body(status: u16, title: &str) -> String {
    json::to_compact(&serde_json::json!({"type": "about:blank", "status": status, "title": title}))
}

/// `max-age` (seconds) of a `Cache-Control` value, for handing fetched key documents to
/// [`Verifier::ingest`](super::Verifier::ingest).
pub fn max_age(cache_control: Option<&str>) -> Option<u64> {
    cache_control?.split(',').find_map(|d| {
        let (k, v) = d.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_of_cache_control() {
        assert_eq!(max_age(Some("public, max-age=300")), Some(300));
        assert_eq!(max_age(Some("no-store")), None);
        assert_eq!(max_age(None), None);
    }

    #[test]
    fn values_cannot_break_out_of_a_header() {
        assert_eq!(
            header_safe("user\r\nx: y ü 100%"),
            "user%0D%0Ax: y %C3%BC 100%25"
        );
    }
}
