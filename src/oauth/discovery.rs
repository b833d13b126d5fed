//! Client-side discovery for MCP and other OAuth-protected agents (specs/oauth.md §9.1): read the
//! `WWW-Authenticate` challenges of a 401/403, list the protected-resource and
//! authorization-server metadata URLs to try in order, and check a fetched authorization-server
//! metadata document (RFC 8414 / OpenID Discovery) against the issuer it was fetched for.
//! The host does the HTTP.

use serde_json::Value;

use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::limits::Limits;

/// One challenge of a `WWW-Authenticate` field (RFC 9110 §11.6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// The auth scheme as sent (compare case-insensitively).
    pub scheme: String,
    /// A token68, when the challenge carries one instead of parameters.
    pub token68: Option<String>,
    /// Parameters in order, names lowercased, quoted strings unescaped.
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// The value of parameter `name` (lowercase).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

const MAX_CHALLENGES: usize = 16;
const MAX_PARAMS: usize = 32;

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token68(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)
}

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }
    fn ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos = self.pos.saturating_add(1);
        }
    }
    fn token(&mut self) -> Option<String> {
        let start = self.pos;
        while self.peek().is_some_and(is_tchar) {
            self.pos = self.pos.saturating_add(1);
        }
        (self.pos > start).then(|| {
            String::from_utf8_lossy(self.s.get(start..self.pos).unwrap_or_default()).into_owned()
        })
    }
    fn quoted(&mut self) -> Result<String, Error> {
        let bad = Error::InvalidArgument("www-authenticate");
        // Opening quote already seen.
        self.pos = self.pos.saturating_add(1);
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(bad),
                Some(b'"') => {
                    self.pos = self.pos.saturating_add(1);
                    return String::from_utf8(out).map_err(|_| bad);
                }
                Some(b'\\') => {
                    self.pos = self.pos.saturating_add(1);
                    let c = self.peek().ok_or(bad)?;
                    out.push(c);
                    self.pos = self.pos.saturating_add(1);
                }
                Some(c) if c == b'\t' || (c >= 0x20 && c != 0x7f) => {
                    out.push(c);
                    self.pos = self.pos.saturating_add(1);
                }
                Some(_) => return Err(bad),
            }
        }
    }
    /// At a token followed by `=` and a value (not a token68's padding)?
    fn at_param(&self) -> bool {
        let mut i = self.pos;
        while self.s.get(i).copied().is_some_and(is_tchar) {
            i = i.saturating_add(1);
        }
        if i == self.pos {
            return false;
        }
        while matches!(self.s.get(i), Some(b' ' | b'\t')) {
            i = i.saturating_add(1);
        }
        if self.s.get(i) != Some(&b'=') {
            return false;
        }
        i = i.saturating_add(1);
        while matches!(self.s.get(i), Some(b' ' | b'\t')) {
            i = i.saturating_add(1);
        }
        // `token=` then `=`, `,` or the end is token68 padding, not a parameter.
        !matches!(self.s.get(i), None | Some(b'=' | b','))
    }
}

/// Parses `WWW-Authenticate` field values (several fields, and several challenges per field).
///
/// # Errors
/// `invalid-argument` (`www-authenticate`) for text that is not the RFC 9110 grammar, a
/// parameter repeated within one challenge, or more than 16 challenges / 32 parameters.
pub fn parse_www_authenticate(values: &[&str]) -> Result<Vec<Challenge>, Error> {
    let bad = Error::InvalidArgument("www-authenticate");
    let mut out: Vec<Challenge> = Vec::new();
    for value in values {
        let mut c = Cursor {
            s: value.as_bytes(),
            pos: 0,
        };
        loop {
            c.ows();
            while c.peek() == Some(b',') {
                c.pos = c.pos.saturating_add(1);
                c.ows();
            }
            if c.peek().is_none() {
                break;
            }
            let scheme = c.token().ok_or(bad)?;
            let mut ch = Challenge {
                scheme,
                token68: None,
                params: Vec::new(),
            };
            let had_space = matches!(c.peek(), Some(b' ' | b'\t'));
            c.ows();
            if had_space && c.peek().is_some() && c.peek() != Some(b',') && !c.at_param() {
                // token68
                let start = c.pos;
                while c.peek().is_some_and(is_token68) {
                    c.pos = c.pos.saturating_add(1);
                }
                while c.peek() == Some(b'=') {
                    c.pos = c.pos.saturating_add(1);
                }
                if c.pos == start {
                    return Err(bad);
                }
                ch.token68 = Some(
                    String::from_utf8_lossy(c.s.get(start..c.pos).unwrap_or_default()).into_owned(),
                );
                c.ows();
                if !matches!(c.peek(), None | Some(b',')) {
                    return Err(bad);
                }
            } else {
                // auth-params, comma-separated, until a token that starts a new challenge.
                loop {
                    c.ows();
                    if c.at_param() {
                        if ch.params.len() >= MAX_PARAMS {
                            return Err(bad);
                        }
                        let name = c.token().ok_or(bad)?.to_ascii_lowercase();
                        c.ows();
                        c.pos = c.pos.saturating_add(1); // '='
                        c.ows();
                        let v = if c.peek() == Some(b'"') {
                            c.quoted()?
                        } else {
                            c.token().ok_or(bad)?
                        };
                        if ch.params.iter().any(|(n, _)| *n == name) {
                            return Err(bad);
                        }
                        ch.params.push((name, v));
                        c.ows();
                    }
                    match c.peek() {
                        None => break,
                        Some(b',') => {
                            let save = c.pos;
                            c.pos = c.pos.saturating_add(1);
                            c.ows();
                            while c.peek() == Some(b',') {
                                c.pos = c.pos.saturating_add(1);
                                c.ows();
                            }
                            if !c.at_param() {
                                c.pos = save;
                                break;
                            }
                        }
                        Some(_) => return Err(bad),
                    }
                }
            }
            if out.len() >= MAX_CHALLENGES {
                return Err(bad);
            }
            out.push(ch);
        }
    }
    Ok(out)
}

fn split_https(url: &str) -> Result<(&str, &str), Error> {
    let rest = url
        .strip_prefix("https://")
        .filter(|r| !r.is_empty() && !url.contains('#') && url.is_ascii())
        .ok_or(Error::InvalidArgument("url"))?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.is_empty() {
        return Err(Error::InvalidArgument("url"));
    }
    let path = tail
        .split('?')
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    Ok((authority, path))
}

/// The protected-resource metadata URLs an MCP client tries, in order: the challenge's
/// `resource_metadata` when given, then the path-specific and the root well-known URLs of the
/// server URL (MCP 2025-11-25 discovery step 2).
///
/// # Errors
/// `invalid-argument` (`url`) for a server URL that is not https without fragment.
pub fn resource_metadata_candidates(
    server_url: &str,
    challenge_resource_metadata: Option<&str>,
) -> Result<Vec<String>, Error> {
    let (authority, path) = split_https(server_url)?;
    let mut out = Vec::new();
    if let Some(rm) = challenge_resource_metadata {
        split_https(rm)?;
        out.push(rm.to_owned());
    }
    if !path.is_empty() {
        out.push(format!(
            "https://{authority}/.well-known/oauth-protected-resource{path}"
        ));
    }
    out.push(format!(
        "https://{authority}/.well-known/oauth-protected-resource"
    ));
    out.dedup();
    Ok(out)
}

/// The authorization-server metadata URLs to try for an issuer, in MCP's order: RFC 8414 and
/// OpenID Discovery with the well-known string inserted, then OpenID Discovery appended (issuers
/// with a path); RFC 8414 then OpenID Discovery (issuers without).
///
/// # Errors
/// `invalid-argument` (`url`) for an issuer that is not https without fragment, or with a query.
pub fn authorization_server_metadata_candidates(issuer: &str) -> Result<Vec<String>, Error> {
    if issuer.contains('?') {
        return Err(Error::InvalidArgument("url"));
    }
    let (authority, path) = split_https(issuer)?;
    Ok(if path.is_empty() {
        vec![
            format!("https://{authority}/.well-known/oauth-authorization-server"),
            format!("https://{authority}/.well-known/openid-configuration"),
        ]
    } else {
        vec![
            format!("https://{authority}/.well-known/oauth-authorization-server{path}"),
            format!("https://{authority}/.well-known/openid-configuration{path}"),
            format!("https://{authority}{path}/.well-known/openid-configuration"),
        ]
    })
}

/// What a client reads from authorization-server metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationServerMetadata {
    /// `issuer` (identical to the one the URL was built from).
    pub issuer: String,
    /// `token_endpoint`.
    pub token_endpoint: String,
    /// `authorization_endpoint`, if any.
    pub authorization_endpoint: Option<String>,
    /// `jwks_uri`, if any.
    pub jwks_uri: Option<String>,
    /// `registration_endpoint`, if any.
    pub registration_endpoint: Option<String>,
    /// `scopes_supported`.
    pub scopes_supported: Vec<String>,
    /// `dpop_signing_alg_values_supported`.
    pub dpop_signing_alg_values_supported: Vec<String>,
    /// `code_challenge_methods_supported`.
    pub code_challenge_methods_supported: Vec<String>,
    /// `client_id_metadata_document_supported`.
    pub client_id_metadata_document_supported: bool,
    /// `authorization_response_iss_parameter_supported` (RFC 9207).
    pub authorization_response_iss_parameter_supported: bool,
}

/// Parses authorization-server metadata fetched for `expected_issuer`: `issuer` identical
/// (RFC 8414 §3.3), endpoints https, `none` never among the algorithms.
///
/// # Errors
/// JSON errors; `claim-mismatch` (`issuer`); `claim-missing` / `claim-invalid` naming the
/// member; `alg-not-allowed` for `none` in `dpop_signing_alg_values_supported`.
pub fn parse_authorization_server_metadata(
    text: &str,
    expected_issuer: &str,
    limits: &Limits,
) -> Result<AuthorizationServerMetadata, Error> {
    let o: Object = json::parse_object(text.as_bytes(), limits)?;
    let issuer = match o.get("issuer") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(Error::ClaimInvalid("issuer")),
        None => return Err(Error::ClaimMissing("issuer")),
    };
    if issuer != expected_issuer {
        return Err(Error::ClaimMismatch("issuer"));
    }
    let url = |name: &'static str| -> Result<Option<String>, Error> {
        match o.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if s.starts_with("https://") && s.is_ascii() => {
                Ok(Some(s.clone()))
            }
            Some(_) => Err(Error::ClaimInvalid(name)),
        }
    };
    let list = |name: &'static str| -> Result<Vec<String>, Error> {
        match o.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or(Error::ClaimInvalid(name))
                })
                .collect(),
            Some(_) => Err(Error::ClaimInvalid(name)),
        }
    };
    let flag = |name: &'static str| -> Result<bool, Error> {
        match o.get(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(Error::ClaimInvalid(name)),
        }
    };
    let dpop = list("dpop_signing_alg_values_supported")?;
    if dpop.iter().any(|a| a.eq_ignore_ascii_case("none")) {
        return Err(Error::AlgorithmNotAllowed);
    }
    Ok(AuthorizationServerMetadata {
        token_endpoint: url("token_endpoint")?.ok_or(Error::ClaimMissing("token_endpoint"))?,
        authorization_endpoint: url("authorization_endpoint")?,
        jwks_uri: url("jwks_uri")?,
        registration_endpoint: url("registration_endpoint")?,
        scopes_supported: list("scopes_supported")?,
        dpop_signing_alg_values_supported: dpop,
        code_challenge_methods_supported: list("code_challenge_methods_supported")?,
        client_id_metadata_document_supported: flag("client_id_metadata_document_supported")?,
        authorization_response_iss_parameter_supported: flag(
            "authorization_response_iss_parameter_supported",
        )?,
        issuer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_with_params_token68_and_several_schemes() {
        let c = parse_www_authenticate(&[
            r#"Bearer realm="tools", error="insufficient_scope", scope="a b", DPoP algs="ES256 EdDSA""#,
            "Basic dXNlcjpwYXNz==, Negotiate",
        ])
        .unwrap();
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].param("scope"), Some("a b"));
        assert_eq!(c[1].scheme, "DPoP");
        assert_eq!(c[1].param("algs"), Some("ES256 EdDSA"));
        assert_eq!(c[2].token68.as_deref(), Some("dXNlcjpwYXNz=="));
        assert_eq!(c[3].scheme, "Negotiate");
        assert!(parse_www_authenticate(&[r#"Bearer a="1", a="2""#]).is_err());
        assert!(parse_www_authenticate(&[r#"Bearer a="unterminated"#]).is_err());
    }
}

/// What an MCP client should request, derived from the protected resource's metadata, the
/// chosen authorization server's metadata and the challenge (MCP discovery steps 5–7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationPlan {
    /// RFC 8707 `resource`: the protected resource's identifier.
    pub resource: String,
    /// The issuer to expect (compare `iss` in authorization responses with it).
    pub issuer: String,
    /// Where to get tokens.
    pub token_endpoint: String,
    /// Where to send the user, when there is one.
    pub authorization_endpoint: Option<String>,
    /// The scope to request: the challenge's, else all of `scopes_supported`, else none.
    pub scope: Option<String>,
    /// `preregistered`, `client_id_metadata_document`, `dynamic_registration`, or `none`.
    pub registration: String,
    /// Whether to use DPoP: the resource requires DPoP-bound tokens, or both sides list a
    /// common algorithm.
    pub dpop: bool,
}

/// Plans an MCP authorization: the resource's metadata must list `issuer` among its
/// `authorization_servers`, and the authorization server must support PKCE `S256` when it has an
/// authorization endpoint (MCP: refuse otherwise).
///
/// # Errors
/// `claim-mismatch` (`authorization_servers`) when the resource does not name this issuer;
/// `claim-invalid` (`code_challenge_methods_supported`) without `S256`.
pub fn plan_authorization(
    resource: &super::ResourceMetadata,
    server: &AuthorizationServerMetadata,
    challenge_scope: Option<&str>,
    preregistered: bool,
) -> Result<AuthorizationPlan, Error> {
    if !resource.authorization_servers.contains(&server.issuer) {
        return Err(Error::ClaimMismatch("authorization_servers"));
    }
    if server.authorization_endpoint.is_some()
        && !server
            .code_challenge_methods_supported
            .iter()
            .any(|m| m == "S256")
    {
        return Err(Error::ClaimInvalid("code_challenge_methods_supported"));
    }
    let scope = match challenge_scope.filter(|s| !s.is_empty()) {
        Some(s) => Some(s.to_owned()),
        None if !resource.scopes_supported.is_empty() => Some(resource.scopes_supported.join(" ")),
        None => None,
    };
    let registration = if preregistered {
        "preregistered"
    } else if server.client_id_metadata_document_supported {
        "client_id_metadata_document"
    } else if server.registration_endpoint.is_some() {
        "dynamic_registration"
    } else {
        "none"
    };
    let dpop = resource.dpop_bound_access_tokens_required
        || resource
            .dpop_signing_alg_values_supported
            .iter()
            .any(|a| server.dpop_signing_alg_values_supported.contains(a));
    Ok(AuthorizationPlan {
        resource: resource.resource.clone(),
        issuer: server.issuer.clone(),
        token_endpoint: server.token_endpoint.clone(),
        authorization_endpoint: server.authorization_endpoint.clone(),
        scope,
        registration: registration.to_owned(),
        dpop,
    })
}
