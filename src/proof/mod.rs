//! Proof of possession: WIMSE Workload Proof Tokens (draft-ietf-wimse-wpt), DPoP (RFC 9449),
//! and the replay cache both use.
//!
//! A WIT or a DPoP-bound access token names a key; the proof shows the caller holds it, for
//! this request, now. Verifiers here take the request as a method, a target and the header
//! fields **as received** (name/value pairs, repeated names kept), so that "exactly one"
//! rules can be enforced; everything that decides which audience or URI is ours comes from the
//! caller's configuration, never from `Host` or `X-Forwarded-*`.
//!
//! Failures map to HTTP with [`wpt_challenge`] and [`dpop_challenge`]: the status, the
//! `WWW-Authenticate` value and, for DPoP nonces, the `DPoP-Nonce` value.

mod dpop;
mod replay;
mod uri;
mod wpt;

pub use dpop::{
    DEFAULT_DPOP_ALGORITHMS, DpopConfig, DpopNonces, DpopParams, VerifiedDpopProof,
    create_dpop_proof, verify_dpop_proof,
};
pub use replay::{Insertion, ReplayCache, SharedReplay, SlotReplay, SlotStore, StoreUnavailable};
pub use uri::{normalize_http_uri, strip_query};
pub(crate) use wpt::check_proof_key;
pub use wpt::{
    DEFAULT_MAX_WPT_LIFETIME, VerifiedWpt, WPT_TYP, WptConfig, WptParams, WptWire, create_wpt,
    verify_wpt, verify_wpt_with_wit, wpt_carriers,
};

use crate::crypto::{AlgorithmSet, sha256};
use crate::encoding::base64url;
use crate::error::Error;

/// An HTTP request as a verifier sees it: the method, the request target as received
/// (origin-form path and query), and the header fields in order, names in any case.
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    /// The method, e.g. `GET` (case-sensitive).
    pub method: &'a str,
    /// The request target as received, e.g. `/path?x=1`.
    pub target: &'a str,
    /// Header fields, repeated names kept as separate entries.
    pub headers: &'a [(String, String)],
}

impl<'a> HttpRequest<'a> {
    /// Every value of the header field `name` (case-insensitive), trimmed of surrounding
    /// spaces and tabs.
    pub fn header_values(&self, name: &str) -> impl Iterator<Item = &'a str> {
        let name = name.to_owned();
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(&name))
            .map(|(_, v)| v.trim_matches([' ', '\t']))
    }

    /// The single value of `name`: `None` when absent.
    ///
    /// # Errors
    /// `credential-duplicated` (`what`) when the field appears more than once.
    pub fn single(&self, name: &str, what: &'static str) -> Result<Option<&'a str>, Error> {
        let mut values = self.header_values(name);
        let first = values.next();
        if values.next().is_some() {
            return Err(Error::CredentialDuplicated(what));
        }
        Ok(first)
    }

    /// The request path: the target without query or fragment.
    pub fn path(&self) -> &'a str {
        strip_query(self.target)
    }
}

/// Splits an `Authorization` value into (scheme, credentials) per RFC 9110 §11.4: the scheme,
/// one or more spaces, then one token68 (no further spaces).
pub(crate) fn auth_scheme(value: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = value.split_once(' ')?;
    let credentials = rest.trim_start_matches(' ');
    let token68 = |s: &str| {
        !s.is_empty()
            && s.trim_end_matches('=').bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
            })
    };
    (!scheme.is_empty() && token68(credentials)).then_some((scheme, credentials))
}

/// `base64url(SHA-256(ASCII(value)))`: the `wth`, `ath`, `tth` and `oth` hash.
pub fn token_hash(value: &str) -> String {
    base64url::encode(&sha256(value.as_bytes()))
}

/// What a failed proof check should answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// HTTP status.
    pub status: u16,
    /// The `WWW-Authenticate` value, if one is sent.
    pub www_authenticate: Option<String>,
    /// A `DPoP-Nonce` value to send, if any.
    pub dpop_nonce: Option<String>,
}

/// The response to a WPT verification failure: wpt-01 answers `400` without a challenge
/// (401 is NOT RECOMMENDED there); wpt-02 answers `401` with `WWW-Authenticate: WPT` (no
/// auth-params are defined), except `400` for a caller configuration error.
pub fn wpt_challenge(error: &Error, wire: WptWire) -> Challenge {
    wpt_challenge_for_code(error.code(), wire)
}

/// [`wpt_challenge`] from an error code (for bindings that hold the code only).
pub fn wpt_challenge_for_code(code: &str, wire: WptWire) -> Challenge {
    let (status, www_authenticate) = match (wire, code) {
        (_, "invalid-argument") | (WptWire::Header, _) => (400, None),
        (WptWire::Authorization, _) => (401, Some("WPT".to_owned())),
    };
    Challenge {
        status,
        www_authenticate,
        dpop_nonce: None,
    }
}

/// The response to a DPoP verification failure at a resource server (RFC 9449 §7.1, §9,
/// RFC 6750 §3): `401` with a `DPoP` challenge carrying `algs`; no error information when the
/// request had no DPoP credentials at all; `use_dpop_nonce` with the fresh `nonce` when one is
/// required; `invalid_token` when the proof key is not the token's; `invalid_dpop_proof`
/// otherwise; `400 invalid_request` for duplicated credentials.
pub fn dpop_challenge(error: &Error, algorithms: AlgorithmSet, nonce: Option<String>) -> Challenge {
    dpop_challenge_for_code(error.code(), &error.to_string(), algorithms, nonce)
}

/// [`dpop_challenge`] from an error code and its description (for bindings). Characters a
/// quoted `error_description` cannot hold (RFC 6749 NQSCHAR) are replaced by `'`.
pub fn dpop_challenge_for_code(
    code: &str,
    description: &str,
    algorithms: AlgorithmSet,
    nonce: Option<String>,
) -> Challenge {
    let algs = algorithms
        .iter()
        .map(|a| a.jws_name())
        .collect::<Vec<_>>()
        .join(" ");
    let (status, oauth_error) = match code {
        "credential-missing" => (401, None),
        "credential-duplicated" => (400, Some("invalid_request")),
        "use-dpop-nonce" => (401, Some("use_dpop_nonce")),
        "binding-mismatch" => (401, Some("invalid_token")),
        _ => (401, Some("invalid_dpop_proof")),
    };
    let description: String = description
        .chars()
        .map(|c| {
            if c == '"' || c == '\\' || !(' '..='~').contains(&c) {
                '\''
            } else {
                c
            }
        })
        .collect();
    let www = match oauth_error {
        None => format!("DPoP algs=\"{algs}\""),
        Some(e) => {
            format!("DPoP error=\"{e}\", error_description=\"{description}\", algs=\"{algs}\"")
        }
    };
    Challenge {
        status,
        www_authenticate: Some(www),
        dpop_nonce: if code == "use-dpop-nonce" {
            nonce
        } else {
            None
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_syntax() {
        assert_eq!(auth_scheme("DPoP abc.def"), Some(("DPoP", "abc.def")));
        assert_eq!(auth_scheme("WPT   a-b_c"), Some(("WPT", "a-b_c")));
        assert_eq!(auth_scheme("Bearer a b"), None);
        assert_eq!(auth_scheme("Bearer "), None);
        assert_eq!(auth_scheme("Bearer"), None);
        assert_eq!(auth_scheme("Bearer abc=="), Some(("Bearer", "abc==")));
        assert_eq!(auth_scheme("Bearer a=b"), None);
    }
}
