//! Decision records: one token-free JSON object per allow or deny, in a stable schema
//! (`"v": 1`, documented in `docs/decision-records.md`), written one per line (JSON Lines);
//! and a compliance check that replays records against a policy.
//!
//! A record holds who called (agent, user, client, act chain), with what (credential kinds,
//! the issuers' key thumbprints, SHA-256 hashes of the tokens — never the tokens), where
//! (method, origin, path, matched route), the outcome (decision, status, error code) and the
//! security event that caused it, if any.

mod compliance;

pub use compliance::{ComplianceReport, Finding, check_records};

use serde::{Deserialize, Serialize};

/// The schema version this library writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A token hash in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenHash {
    /// `wit`, `access_token` or `txn_token`.
    pub kind: String,
    /// base64url SHA-256 of the token string.
    pub sha256: String,
}

/// The security event behind a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventInfo {
    /// The event type's short name (`session-revoked`, …).
    #[serde(rename = "type")]
    pub event_type: String,
    /// The SET's `jti`.
    pub jti: String,
    /// The transmitter.
    pub iss: String,
}

/// One decision (see the module documentation). Every member is always written; unknown
/// values are `null` or empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// Schema version ([`SCHEMA_VERSION`]).
    pub v: u32,
    /// Unix seconds of the decision.
    pub time: u64,
    /// `allow` or `deny`.
    pub decision: String,
    /// The HTTP status of a denial.
    #[serde(default)]
    pub status: Option<u16>,
    /// The error code of a denial.
    #[serde(default)]
    pub error: Option<String>,
    /// The request method.
    pub method: String,
    /// The origin the request was addressed to, when it parsed.
    #[serde(default)]
    pub origin: Option<String>,
    /// The path, without the query (queries may carry secrets).
    #[serde(default)]
    pub path: Option<String>,
    /// The matched route's path.
    #[serde(default)]
    pub route: Option<String>,
    /// Credential kinds that passed (`wpt`, `http_signature`, `mtls`, `dpop`, `bearer`).
    #[serde(default)]
    pub credentials: Vec<String>,
    /// The calling workload.
    #[serde(default)]
    pub agent: Option<String>,
    /// Thumbprint of the identity-server key that signed the WIT.
    #[serde(default)]
    pub wit_issuer_key: Option<String>,
    /// The access token's `sub`.
    #[serde(default)]
    pub user: Option<String>,
    /// The access token's `client_id`.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The access token's issuer.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Thumbprint of the authorization-server key that signed the access token.
    #[serde(default)]
    pub token_issuer_key: Option<String>,
    /// The act chain's subjects, current actor first.
    #[serde(default)]
    pub actors: Vec<String>,
    /// The token's scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The token's `authorization_details` types.
    #[serde(default)]
    pub authorization_details_types: Vec<String>,
    /// The token's `acr`.
    #[serde(default)]
    pub acr: Option<String>,
    /// The token's `auth_time`.
    #[serde(default)]
    pub auth_time: Option<u64>,
    /// The transaction id of a verified Txn-Token.
    #[serde(default)]
    pub txn: Option<String>,
    /// Hashes of the tokens presented.
    #[serde(default)]
    pub token_hashes: Vec<TokenHash>,
    /// The security event that caused (or shaped) the decision.
    #[serde(default)]
    pub event: Option<EventInfo>,
    /// The AuthZEN decision, when a policy decision point was asked after authentication.
    #[serde(default)]
    pub pdp_decision: Option<bool>,
}

impl DecisionRecord {
    /// Parses one record (one line of JSON Lines; members this version does not know are
    /// ignored).
    ///
    /// # Errors
    /// `malformed-json` for strict-JSON errors or a member of the wrong type.
    pub fn parse(line: &str) -> Result<Self, crate::error::Error> {
        let value =
            crate::encoding::json::parse_object(line.as_bytes(), &crate::limits::Limits::DEFAULT)?;
        serde_json::from_value(serde_json::Value::Object(value))
            .map_err(|_| crate::error::Error::MalformedJson)
    }

    /// The record as one line of JSON (no newline inside; append `\n` for JSON Lines).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
