//! RFC 8693 token exchange (specs/oauth.md §4): the request an agent sends to narrow or delegate
//! a token, the response it gets back, and on the resource side the `act` delegation chain and
//! `may_act`.
//!
//! Delegation chains: the outermost `act` is the **current** actor; nested ones are earlier
//! actors (history for audit, never a basis for access). Each `act` member is a JSON object with
//! a string `sub` (and optionally a string `iss`); anything else is `claim-invalid` (`act`).

use serde_json::Value;

use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::limits::Limits;

/// `grant_type` of a token-exchange request.
pub const TOKEN_EXCHANGE_GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// Token type URI of an OAuth access token.
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// Token type URI of a JWT.
pub const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
/// Token type URI of a transaction token.
pub const TXN_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:txn_token";

/// What a token-exchange request asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenExchangeRequest {
    /// The token of the party on whose behalf the request is made.
    pub subject_token: String,
    /// Its type URI.
    pub subject_token_type: String,
    /// The acting party's token (delegation), if any.
    pub actor_token: Option<String>,
    /// Its type URI (required with `actor_token`, forbidden without).
    pub actor_token_type: Option<String>,
    /// Target service URIs (`resource`, repeatable).
    pub resources: Vec<String>,
    /// Logical target names (`audience`, repeatable).
    pub audiences: Vec<String>,
    /// Requested scopes.
    pub scopes: Vec<String>,
    /// The token type wanted.
    pub requested_token_type: Option<String>,
}

/// `application/x-www-form-urlencoded` (as HTML forms and RFC 6749 Appendix B encode it).
pub(super) fn form_encode(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    for (i, part) in [name, value].iter().enumerate() {
        if i == 1 {
            out.push('=');
        }
        for b in part.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    out.push(char::from(b));
                }
                b' ' => out.push('+'),
                _ => {
                    use std::fmt::Write as _;
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
}

fn is_uri(s: &str) -> bool {
    // A URI has a scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (RFC 3986 §3.1).
    s.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    }) && !s
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
}

/// The form body of a token-exchange request (RFC 8693 §2.1; send with client authentication
/// to the token endpoint).
///
/// # Errors
/// `invalid-argument`: `subject_token` empty; a token type that is not a URI;
/// `actor_token_type` without `actor_token` or the reverse; a `resource` that is not an
/// absolute URI without fragment (RFC 8707 §2); a scope with a space or empty.
pub fn token_exchange_request(r: &TokenExchangeRequest) -> Result<String, Error> {
    if r.subject_token.is_empty() {
        return Err(Error::InvalidArgument("subject_token"));
    }
    if !is_uri(&r.subject_token_type) {
        return Err(Error::InvalidArgument("subject_token_type"));
    }
    match (&r.actor_token, &r.actor_token_type) {
        (Some(t), Some(ty)) if !t.is_empty() && is_uri(ty) => {}
        (None, None) => {}
        _ => return Err(Error::InvalidArgument("actor_token_type")),
    }
    if r.requested_token_type
        .as_deref()
        .is_some_and(|t| !is_uri(t))
    {
        return Err(Error::InvalidArgument("requested_token_type"));
    }
    if r.resources.iter().any(|x| !is_uri(x) || x.contains('#')) {
        return Err(Error::InvalidArgument("resource"));
    }
    if r.audiences.iter().any(String::is_empty) {
        return Err(Error::InvalidArgument("audience"));
    }
    if r.scopes.iter().any(|s| s.is_empty() || s.contains(' ')) {
        return Err(Error::InvalidArgument("scope"));
    }
    let mut out = String::new();
    form_encode(&mut out, "grant_type", TOKEN_EXCHANGE_GRANT);
    for x in &r.resources {
        form_encode(&mut out, "resource", x);
    }
    for x in &r.audiences {
        form_encode(&mut out, "audience", x);
    }
    if !r.scopes.is_empty() {
        form_encode(&mut out, "scope", &r.scopes.join(" "));
    }
    if let Some(t) = &r.requested_token_type {
        form_encode(&mut out, "requested_token_type", t);
    }
    form_encode(&mut out, "subject_token", &r.subject_token);
    form_encode(&mut out, "subject_token_type", &r.subject_token_type);
    if let (Some(t), Some(ty)) = (&r.actor_token, &r.actor_token_type) {
        form_encode(&mut out, "actor_token", t);
        form_encode(&mut out, "actor_token_type", ty);
    }
    Ok(out)
}

/// A successful token-exchange response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenExchangeResponse {
    /// The issued token.
    pub access_token: String,
    /// Its type URI.
    pub issued_token_type: String,
    /// `Bearer`, `DPoP` or `N_A` (as sent; compared case-insensitively).
    pub token_type: String,
    /// Lifetime in seconds, if given.
    pub expires_in: Option<u64>,
    /// Granted scopes (`None` when the response omits `scope`: identical to the request).
    pub scopes: Option<Vec<String>>,
    /// A refresh token, if any.
    pub refresh_token: Option<String>,
}

/// Parses a successful (HTTP 200) token-exchange response. `expected_token_type` (`DPoP` when
/// the request carried a DPoP proof) is enforced: a `Bearer` answer to a DPoP request is
/// refused (RFC 9449 §5: the client must not use it as a DPoP token).
///
/// # Errors
/// JSON errors; `claim-missing` / `claim-invalid` naming the member; `claim-mismatch`
/// (`token_type`) for an unexpected token type, (`issued_token_type`) when it differs from the
/// requested one.
pub fn parse_token_exchange_response(
    text: &str,
    requested_token_type: Option<&str>,
    expected_token_type: Option<&str>,
    limits: &Limits,
) -> Result<TokenExchangeResponse, Error> {
    let o = json::parse_object(text.as_bytes(), limits)?;
    let string = |name: &'static str| match o.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(_) => Err(Error::ClaimInvalid(name)),
        None => Err(Error::ClaimMissing(name)),
    };
    let access_token = string("access_token")?;
    let issued_token_type = string("issued_token_type")?;
    let token_type = string("token_type")?;
    if requested_token_type.is_some_and(|r| r != issued_token_type) {
        return Err(Error::ClaimMismatch("issued_token_type"));
    }
    if expected_token_type.is_some_and(|e| !e.eq_ignore_ascii_case(&token_type)) {
        return Err(Error::ClaimMismatch("token_type"));
    }
    let expires_in = match o.get("expires_in") {
        None => None,
        Some(v) => Some(v.as_u64().ok_or(Error::ClaimInvalid("expires_in"))?),
    };
    let scopes = match o.get("scope") {
        None => None,
        Some(Value::String(s)) => Some(
            s.split(' ')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        Some(_) => return Err(Error::ClaimInvalid("scope")),
    };
    let refresh_token = match o.get("refresh_token") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::ClaimInvalid("refresh_token")),
    };
    Ok(TokenExchangeResponse {
        access_token,
        issued_token_type,
        token_type,
        expires_in,
        scopes,
        refresh_token,
    })
}

/// One actor of a delegation chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `sub`.
    pub subject: String,
    /// `iss`, when given.
    pub issuer: Option<String>,
}

fn actor(o: &Object, name: &'static str) -> Result<Actor, Error> {
    let subject = match o.get("sub") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(Error::ClaimInvalid(name)),
    };
    let issuer = match o.get("iss") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::ClaimInvalid(name)),
    };
    Ok(Actor { subject, issuer })
}

/// The delegation chain of a token's claims, **current actor first** (empty without `act`).
///
/// # Errors
/// `claim-invalid` (`act`) for an `act` that is not an object with a string `sub` (and string
/// `iss`, when present), at any depth.
pub fn act_chain(claims: &Object) -> Result<Vec<Actor>, Error> {
    let mut chain = Vec::new();
    let mut current = claims.get("act");
    while let Some(v) = current {
        let Value::Object(o) = v else {
            return Err(Error::ClaimInvalid("act"));
        };
        chain.push(actor(o, "act")?);
        current = o.get("act");
    }
    Ok(chain)
}

/// Whether `actor` may act for the subject of a token whose claims carry `may_act` (RFC 8693
/// §4.4; an authorization-server check when exchanging). Without `may_act` nothing is allowed.
///
/// # Errors
/// `claim-invalid` (`may_act`) when it is not an object with a string `sub`.
pub fn may_act(subject_claims: &Object, actor: &Actor) -> Result<bool, Error> {
    let Some(v) = subject_claims.get("may_act") else {
        return Ok(false);
    };
    let Value::Object(o) = v else {
        return Err(Error::ClaimInvalid("may_act"));
    };
    let allowed = self::actor(o, "may_act")?;
    Ok(allowed.subject == actor.subject
        && allowed
            .issuer
            .as_ref()
            .is_none_or(|i| actor.issuer.as_ref() == Some(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_matches_the_rfc_example() {
        let body = token_exchange_request(&TokenExchangeRequest {
            subject_token: "at.x".into(),
            subject_token_type: ACCESS_TOKEN_TYPE.into(),
            actor_token: Some("jwt.y".into()),
            actor_token_type: Some(JWT_TOKEN_TYPE.into()),
            resources: vec!["https://calendar.example.com/api".into()],
            scopes: vec!["calendar.read".into()],
            ..TokenExchangeRequest::default()
        })
        .unwrap();
        assert_eq!(
            body,
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange\
             &resource=https%3A%2F%2Fcalendar.example.com%2Fapi&scope=calendar.read\
             &subject_token=at.x&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token\
             &actor_token=jwt.y&actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt"
        );
    }

    #[test]
    fn chains_are_read_outermost_first() {
        let claims = json::parse_object(
            br#"{"sub":"user:alice","act":{"sub":"agent:scheduler","iss":"https://as.example.com","act":{"sub":"agent:planner"}}}"#,
            &Limits::DEFAULT,
        )
        .unwrap();
        let chain = act_chain(&claims).unwrap();
        assert_eq!(
            chain.iter().map(|a| a.subject.as_str()).collect::<Vec<_>>(),
            ["agent:scheduler", "agent:planner"]
        );
        let bad = json::parse_object(br#"{"act":{"act":{"sub":1}, "sub":"x"}}"#, &Limits::DEFAULT)
            .unwrap();
        assert_eq!(act_chain(&bad), Err(Error::ClaimInvalid("act")));
    }
}
