//! The OAuth 2.0 resource-server side (specs/oauth.md §2, §3): RFC 9068 JWT access tokens,
//! route requirements (scopes, RFC 9396 `authorization_details` types, RFC 9470 step-up), the
//! RFC 6750 / RFC 9449 / RFC 9470 challenges of the §3.5 decision table, and RFC 9728 protected
//! resource metadata; RFC 8693 token exchange and delegation chains.

mod access_token;
mod agent_card;
mod authzen;
mod challenge;
mod client_auth;
mod discovery;
mod exchange;
mod introspection;
mod metadata;
mod txn_token;

pub use access_token::{
    AT_TYP, AccessTokenValidation, TrustedIssuer, VerifiedAccessToken, verify_access_token,
};
pub use agent_card::{
    RequiredScheme, VerifiedAgentCard, agent_card_payload, agent_card_requirements,
    check_client_metadata_document, client_metadata_document, sign_agent_card, verify_agent_card,
};
pub use authzen::{
    Action as AuthzenAction, Decision as AuthzenDecision, Entity as AuthzenEntity,
    Evaluation as AuthzenEvaluation, PdpMetadata, Semantic as AuthzenSemantic, evaluation_request,
    evaluations_request, parse_decision, parse_evaluations, parse_pdp_metadata, pdp_metadata_url,
};
pub use challenge::{ChallengeConfig, Failure, ResourceChallenge, resource_challenge};
pub use client_auth::{
    CLIENT_ATTESTATION_POP_TYP, ClientAssertionValidation, ClientAuthentication,
    JWT_BEARER_ASSERTION, JWT_SPIFFE_ASSERTION, VerifiedClientAssertion,
    client_credentials_request, create_client_assertion, create_client_attestation_pop,
    verify_client_assertion, verify_spiffe_client_assertion, verify_wit_client_attestation,
};
pub use discovery::{
    AuthorizationPlan, AuthorizationServerMetadata, Challenge as WwwAuthenticateChallenge,
    authorization_server_metadata_candidates, parse_authorization_server_metadata,
    parse_www_authenticate, plan_authorization, resource_metadata_candidates,
};
pub use exchange::{
    ACCESS_TOKEN_TYPE, Actor, JWT_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, TXN_TOKEN_TYPE,
    TokenExchangeRequest, TokenExchangeResponse, act_chain, may_act, parse_token_exchange_response,
    token_exchange_request,
};
pub use introspection::{
    INTROSPECTION_TYP, IntrospectionValidation, check_introspection_response,
    verify_introspection_jwt,
};
pub use metadata::{
    ResourceMetadata, metadata_url, parse_resource_metadata, resource_metadata_document,
};
pub use txn_token::{
    DEFAULT_MAX_TXN_LIFETIME, TXN_TOKEN_TYP, TxnTokenParams, TxnTokenValidation, VerifiedTxnToken,
    issue_txn_token, verify_txn_token,
};

use crate::error::Error;
use crate::time::UnixTime;

/// What a route requires of an access token beyond its validity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteRequirements {
    /// Scopes that must all be granted.
    pub scopes: Vec<String>,
    /// RFC 9396 `authorization_details` types of which at least one entry each must be granted.
    pub authorization_details_types: Vec<String>,
    /// Acceptable `acr` values (RFC 9470); empty means any.
    pub acr_values: Vec<String>,
    /// Maximum seconds since the user's authentication (`auth_time`, RFC 9470).
    pub max_auth_age: Option<u64>,
}

/// Checks a verified token against a route's requirements (specs/oauth.md §2.3 step 11).
///
/// # Errors
/// `insufficient-scope` when a scope or an `authorization_details` type is missing;
/// `insufficient-user-authentication` when `acr` is not acceptable or the authentication is
/// older than `max_auth_age` (or its time unknown).
pub fn check_requirements(
    token: &VerifiedAccessToken,
    requirements: &RouteRequirements,
    now: UnixTime,
) -> Result<(), Error> {
    if requirements
        .scopes
        .iter()
        .any(|s| !token.scopes.contains(s))
    {
        return Err(Error::InsufficientScope);
    }
    if requirements.authorization_details_types.iter().any(|t| {
        !token
            .authorization_details
            .iter()
            .any(|d| d.get("type").and_then(serde_json::Value::as_str) == Some(t.as_str()))
    }) {
        return Err(Error::InsufficientScope);
    }
    if !requirements.acr_values.is_empty()
        && !token
            .acr
            .as_ref()
            .is_some_and(|a| requirements.acr_values.contains(a))
    {
        return Err(Error::InsufficientUserAuthentication("acr"));
    }
    if let Some(max) = requirements.max_auth_age
        && token
            .auth_time
            .is_none_or(|t| now.as_secs().saturating_sub(t) > max)
    {
        return Err(Error::InsufficientUserAuthentication("max_age"));
    }
    Ok(())
}
