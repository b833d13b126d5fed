//! The resource server's answers (specs/oauth.md §3.5): status and `WWW-Authenticate`
//! challenges for Bearer (RFC 6750) and DPoP (RFC 9449), with RFC 9470 step-up parameters and
//! the RFC 9728 `resource_metadata` pointer.

use super::RouteRequirements;
use crate::crypto::AlgorithmSet;
use crate::error::Error;

/// Why a request failed, as the resource server classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure<'e> {
    /// No credentials at all: challenge without error information.
    NoCredentials,
    /// Malformed or ambiguous credentials (two `Authorization` fields, two schemes).
    InvalidRequest(&'e Error),
    /// The access token is invalid (signature, `typ`, `iss`, `aud`, times, claims), or a
    /// DPoP-bound token arrived as Bearer, or its `cnf.jkt` does not match the proof key.
    InvalidToken(&'e Error),
    /// The DPoP proof is missing or invalid (`use-dpop-nonce` becomes `use_dpop_nonce`).
    DpopProof(&'e Error),
    /// The token lacks scopes or `authorization_details` the route requires.
    InsufficientScope,
    /// The user's authentication is too weak or too old (RFC 9470).
    InsufficientUserAuthentication,
}

/// What the resource server advertises in its challenges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeConfig {
    /// `realm`, if any.
    pub realm: Option<String>,
    /// The RFC 9728 metadata URL (`resource_metadata`).
    pub resource_metadata: Option<String>,
    /// Whether Bearer tokens are accepted (a Bearer challenge is offered).
    pub bearer: bool,
    /// DPoP algorithms accepted (`algs`); empty when DPoP is not accepted.
    pub dpop_algorithms: AlgorithmSet,
}

/// A resource server's answer to a failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceChallenge {
    /// HTTP status.
    pub status: u16,
    /// `WWW-Authenticate` values, one per scheme (send each as its own field or join with
    /// `", "`).
    pub www_authenticate: Vec<String>,
    /// A `DPoP-Nonce` to send with `use_dpop_nonce`.
    pub dpop_nonce: Option<String>,
}

/// Strips what a quoted-string value may not hold (RFC 6749 NQSCHAR: no `"` or `\`).
fn quoted(v: &str) -> String {
    let clean: String = v
        .chars()
        .map(|c| {
            if c == '"' || c == '\\' || !(' '..='~').contains(&c) {
                '\''
            } else {
                c
            }
        })
        .collect();
    format!("\"{clean}\"")
}

/// The scheme whose challenge carries the error: the one the client used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Bearer,
    Dpop,
}

/// Builds the answer to `failure` (the §3.5 table). `dpop_used` says whether the client used
/// the DPoP scheme (the error goes on that scheme's challenge); `requirements` supplies `scope`,
/// `acr_values` and `max_age` for the insufficient-* answers; `nonce` a fresh DPoP nonce.
pub fn resource_challenge(
    failure: Failure<'_>,
    dpop_used: bool,
    config: &ChallengeConfig,
    requirements: &RouteRequirements,
    nonce: Option<String>,
) -> ResourceChallenge {
    let algs = config
        .dpop_algorithms
        .iter()
        .map(|a| a.jws_name())
        .collect::<Vec<_>>()
        .join(" ");
    let dpop_offered = !algs.is_empty();
    let common = |scheme: Scheme, params: &mut Vec<String>| {
        if let Some(realm) = &config.realm {
            params.insert(0, format!("realm={}", quoted(realm)));
        }
        if let Some(rm) = &config.resource_metadata {
            params.push(format!("resource_metadata={}", quoted(rm)));
        }
        if scheme == Scheme::Dpop && dpop_offered {
            params.push(format!("algs={}", quoted(&algs)));
        }
    };
    let render = |scheme: Scheme, mut params: Vec<String>| {
        common(scheme, &mut params);
        let name = match scheme {
            Scheme::Bearer => "Bearer",
            Scheme::Dpop => "DPoP",
        };
        if params.is_empty() {
            name.to_owned()
        } else {
            format!("{name} {}", params.join(", "))
        }
    };
    let error_params = |error: &str, description: Option<String>| {
        let mut p = vec![format!("error={}", quoted(error))];
        if let Some(d) = description {
            p.push(format!("error_description={}", quoted(&d)));
        }
        p
    };
    let used = if dpop_used {
        Scheme::Dpop
    } else {
        Scheme::Bearer
    };
    let one = |status: u16, scheme: Scheme, params: Vec<String>, nonce: Option<String>| {
        ResourceChallenge {
            status,
            www_authenticate: vec![render(scheme, params)],
            dpop_nonce: nonce,
        }
    };
    match failure {
        Failure::NoCredentials => {
            let mut all = Vec::new();
            if config.bearer {
                all.push(render(Scheme::Bearer, Vec::new()));
            }
            if dpop_offered {
                all.push(render(Scheme::Dpop, Vec::new()));
            }
            ResourceChallenge {
                status: 401,
                www_authenticate: all,
                dpop_nonce: None,
            }
        }
        Failure::InvalidRequest(e) => one(
            400,
            used,
            error_params("invalid_request", Some(e.to_string())),
            None,
        ),
        Failure::InvalidToken(e) => {
            // A DPoP-bound token sent as Bearer, or a key mismatch, is a DPoP invalid_token.
            let scheme = if matches!(e, Error::BindingMismatch(_)) && dpop_offered {
                Scheme::Dpop
            } else {
                used
            };
            one(
                401,
                scheme,
                error_params("invalid_token", Some(e.to_string())),
                None,
            )
        }
        Failure::DpopProof(e) => {
            if matches!(e, Error::UseDpopNonce) {
                one(
                    401,
                    Scheme::Dpop,
                    error_params("use_dpop_nonce", Some(e.to_string())),
                    nonce,
                )
            } else {
                one(
                    401,
                    Scheme::Dpop,
                    error_params("invalid_dpop_proof", Some(e.to_string())),
                    None,
                )
            }
        }
        Failure::InsufficientScope => {
            let mut p = error_params("insufficient_scope", None);
            if !requirements.scopes.is_empty() {
                p.push(format!("scope={}", quoted(&requirements.scopes.join(" "))));
            }
            one(403, used, p, None)
        }
        Failure::InsufficientUserAuthentication => {
            let mut p = error_params(
                "insufficient_user_authentication",
                Some("a different authentication level is required".to_owned()),
            );
            if !requirements.acr_values.is_empty() {
                p.push(format!(
                    "acr_values={}",
                    quoted(&requirements.acr_values.join(" "))
                ));
            }
            if let Some(max) = requirements.max_auth_age {
                p.push(format!("max_age={}", quoted(&max.to_string())));
            }
            one(401, used, p, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Algorithm;

    fn config() -> ChallengeConfig {
        ChallengeConfig {
            realm: Some("tools".into()),
            resource_metadata: Some(
                "https://tools.example.com/.well-known/oauth-protected-resource/mcp".into(),
            ),
            bearer: true,
            dpop_algorithms: AlgorithmSet::EMPTY
                .with(Algorithm::Es256)
                .with(Algorithm::EdDsa),
        }
    }

    #[test]
    fn decision_table() {
        let req = RouteRequirements {
            scopes: vec!["tools:call".into()],
            acr_values: vec!["urn:example:mfa".into()],
            max_auth_age: Some(300),
            ..RouteRequirements::default()
        };
        let none = resource_challenge(Failure::NoCredentials, false, &config(), &req, None);
        assert_eq!(none.status, 401);
        assert_eq!(
            none.www_authenticate,
            vec![
                r#"Bearer realm="tools", resource_metadata="https://tools.example.com/.well-known/oauth-protected-resource/mcp""#,
                r#"DPoP realm="tools", resource_metadata="https://tools.example.com/.well-known/oauth-protected-resource/mcp", algs="ES256 EdDSA""#,
            ]
        );
        let expired = Error::TokenExpired;
        let c = resource_challenge(
            Failure::InvalidToken(&expired),
            false,
            &config(),
            &req,
            None,
        );
        assert_eq!(c.status, 401);
        assert!(c.www_authenticate[0].starts_with(
            r#"Bearer realm="tools", error="invalid_token", error_description="token expired""#
        ));
        let bound = Error::BindingMismatch("access token");
        let c = resource_challenge(Failure::InvalidToken(&bound), false, &config(), &req, None);
        assert!(c.www_authenticate[0].starts_with(r#"DPoP realm="tools", error="invalid_token""#));
        let nonce = Error::UseDpopNonce;
        let c = resource_challenge(
            Failure::DpopProof(&nonce),
            true,
            &config(),
            &req,
            Some("n1".into()),
        );
        assert_eq!((c.status, c.dpop_nonce.as_deref()), (401, Some("n1")));
        assert!(c.www_authenticate[0].contains(r#"error="use_dpop_nonce""#));
        let c = resource_challenge(Failure::InsufficientScope, true, &config(), &req, None);
        assert_eq!(c.status, 403);
        assert!(
            c.www_authenticate[0].starts_with(
                r#"DPoP realm="tools", error="insufficient_scope", scope="tools:call""#
            )
        );
        let c = resource_challenge(
            Failure::InsufficientUserAuthentication,
            false,
            &config(),
            &req,
            None,
        );
        assert_eq!(c.status, 401);
        assert!(c.www_authenticate[0].contains(r#"acr_values="urn:example:mfa", max_age="300""#));
        let dup = Error::CredentialDuplicated("authorization field");
        let c = resource_challenge(Failure::InvalidRequest(&dup), false, &config(), &req, None);
        assert_eq!(c.status, 400);
        assert!(c.www_authenticate[0].contains(r#"error="invalid_request""#));
    }
}
