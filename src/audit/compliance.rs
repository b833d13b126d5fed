//! The compliance check: read decision records and a policy, and report the decisions the
//! policy would not produce today.
//!
//! A record cannot be re-verified (it holds no tokens, by design), so the check replays what a
//! policy decides from the record's facts: the origin, the route, the credential kinds the
//! route accepts, the agent allow-list and trust domain, the token's issuer, scopes,
//! `authorization_details` types, `acr` and `auth_time` (measured at the record's time), the
//! delegation chain, and whether a transaction token is required.
//!
//! - An **allowed** record is reported when any of those checks fails now, with the code the
//!   verifier would answer.
//! - A **denied** record whose code is one of those policy decisions (`misdirected-request`,
//!   `no-matching-route`, `agent-not-allowed`, `delegation-not-allowed`,
//!   `insufficient-scope`, `insufficient-user-authentication`) is reported when every check
//!   now passes on the facts it recorded (checks after the failing one may not have been
//!   reached, so this says "the recorded reason no longer holds"). Other denials (signatures, expiry, replay, events) depend on the credentials
//!   themselves and are counted as not re-evaluated.

use super::DecisionRecord;
use crate::error::Error;
use crate::identity::WorkloadId;
use crate::oauth::{RouteRequirements, VerifiedAccessToken, check_requirements};
use crate::policy::{CredentialKind, Policy};
use crate::time::UnixTime;

/// One decision the policy would not produce today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The record's line number (1-based).
    pub line: usize,
    /// The decision recorded (`allow`, `deny`).
    pub recorded: String,
    /// The recorded error code, for a denial.
    pub recorded_error: Option<String>,
    /// What the policy decides now: `deny`, or `allow` when the recorded reason no longer
    /// holds (other checks not re-evaluated).
    pub now: String,
    /// The code the policy answers now (for `deny`).
    pub error: Option<String>,
    /// A sentence for the reader.
    pub reason: String,
}

/// The outcome of [`check_records`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplianceReport {
    /// Records read.
    pub records: usize,
    /// Records replayed against the policy.
    pub checked: usize,
    /// Denials that depend on the credentials themselves (not re-evaluated).
    pub not_reevaluated: usize,
    /// Lines that are not records (line number and error code).
    pub malformed: Vec<(usize, String)>,
    /// Decisions the policy would not produce today.
    pub findings: Vec<Finding>,
}

const POLICY_CODES: [&str; 6] = [
    "misdirected-request",
    "no-matching-route",
    "agent-not-allowed",
    "delegation-not-allowed",
    "insufficient-scope",
    "insufficient-user-authentication",
];

fn kind(name: &str) -> Option<CredentialKind> {
    Some(match name {
        "wpt" => CredentialKind::Wpt,
        "http_signature" => CredentialKind::HttpSignature,
        "mtls" => CredentialKind::Mtls,
        "dpop" => CredentialKind::Dpop,
        "bearer" => CredentialKind::Bearer,
        _ => return None,
    })
}

/// The first check the policy fails for the record's facts, with its code and reason.
fn replay(policy: &Policy, r: &DecisionRecord) -> Option<(Error, String)> {
    if let Some(origin) = &r.origin
        && !policy.authorities.iter().any(|a| a == origin)
    {
        return Some((
            Error::MisdirectedRequest,
            format!("origin {origin} is not one of the policy's authorities"),
        ));
    }
    let path = r.path.as_deref().unwrap_or("/");
    let Some(route) = policy.route(&r.method, path) else {
        return Some((
            Error::NoMatchingRoute,
            format!("no route covers {} {path}", r.method),
        ));
    };
    let kinds: Vec<CredentialKind> = r.credentials.iter().filter_map(|k| kind(k)).collect();
    if let Some(k) = kinds.iter().find(|k| !policy.accepts(route, **k)) {
        return Some((
            Error::CredentialMissing("credentials"),
            format!(
                "route {} no longer accepts {}",
                route.path,
                r.credentials
                    .iter()
                    .find(|n| kind(n) == Some(*k))
                    .map_or("", String::as_str)
            ),
        ));
    }
    match r.agent.as_deref().map(WorkloadId::parse) {
        Some(Ok(agent)) => {
            let trusted = policy.trust.trust_domains().is_empty()
                || policy.trust.bundle_for(&agent).is_some()
                || policy
                    .bundle_endpoints
                    .iter()
                    .any(|(td, _)| td == agent.trust_domain());
            if !trusted {
                return Some((
                    Error::UnknownTrustDomain,
                    format!("trust domain {} is no longer trusted", agent.trust_domain()),
                ));
            }
            if !route.allows_agent(&agent) {
                return Some((
                    Error::AgentNotAllowed,
                    format!(
                        "route {} does not allow agent {}",
                        route.path,
                        agent.as_str()
                    ),
                ));
            }
        }
        Some(Err(e)) => return Some((e, "the recorded agent is not an identifier".into())),
        None if !route.agents.is_empty() => {
            return Some((
                Error::AgentNotAllowed,
                format!("route {} now names agents; the caller had none", route.path),
            ));
        }
        None => {}
    }
    let has_token = kinds
        .iter()
        .any(|k| matches!(k, CredentialKind::Dpop | CredentialKind::Bearer));
    if !has_token {
        if route.needs_token() {
            return Some((
                Error::CredentialMissing("access token"),
                format!("route {} now requires an access token", route.path),
            ));
        }
    } else {
        if let Some(iss) = &r.issuer
            && !policy
                .authorization_servers
                .iter()
                .any(|s| &s.issuer == iss)
        {
            return Some((
                Error::ClaimMismatch("iss"),
                format!("authorization server {iss} is no longer trusted"),
            ));
        }
        let token = token_of(r);
        if let Err(e) = check_requirements(&token, &route.requirements, UnixTime(r.time)) {
            return Some((e, requirement_reason(&route.path, &route.requirements, e)));
        }
        if !route.allows_chain(&r.actors) {
            return Some((
                Error::DelegationNotAllowed,
                format!(
                    "route {} does not allow the delegation chain {:?}",
                    route.path, r.actors
                ),
            ));
        }
    }
    let txn_required = policy
        .transaction_tokens
        .as_ref()
        .is_some_and(|t| t.required);
    if txn_required && !r.token_hashes.iter().any(|h| h.kind == "txn_token") {
        return Some((
            Error::CredentialMissing("txn-token"),
            "transaction tokens are now required".into(),
        ));
    }
    None
}

fn requirement_reason(route: &str, req: &RouteRequirements, e: Error) -> String {
    match e {
        Error::InsufficientScope => format!(
            "route {route} requires scopes {:?} and authorization_details types {:?}",
            req.scopes, req.authorization_details_types
        ),
        _ => format!(
            "route {route} requires acr in {:?} and authentication within {:?} s",
            req.acr_values, req.max_auth_age
        ),
    }
}

/// The token facts a record keeps, as a token for [`check_requirements`].
fn token_of(r: &DecisionRecord) -> VerifiedAccessToken {
    VerifiedAccessToken {
        issuer: r.issuer.clone().unwrap_or_default(),
        subject: r.user.clone().unwrap_or_default(),
        client_id: r.client_id.clone().unwrap_or_default(),
        scopes: r.scopes.clone(),
        authorization_details: r
            .authorization_details_types
            .iter()
            .map(|t| {
                let mut o = crate::encoding::json::Object::new();
                o.insert("type".into(), serde_json::Value::String(t.clone()));
                o
            })
            .collect(),
        cnf_jkt: None,
        acr: r.acr.clone(),
        auth_time: r.auth_time,
        expires_at: u64::MAX,
        token_hash: String::new(),
        key_thumbprint: None,
        claims: crate::encoding::json::Object::new(),
    }
}

/// Reads JSON Lines `records` (blank lines skipped) and reports the decisions `policy` would
/// not produce today (see the module documentation).
pub fn check_records(policy: &Policy, records: &str) -> ComplianceReport {
    let mut report = ComplianceReport::default();
    for (i, line) in records.lines().enumerate() {
        let n = i.saturating_add(1);
        if line.trim().is_empty() {
            continue;
        }
        let r = match DecisionRecord::parse(line) {
            Ok(r) => r,
            Err(e) => {
                report.malformed.push((n, e.code().to_owned()));
                continue;
            }
        };
        report.records = report.records.saturating_add(1);
        match r.decision.as_str() {
            "allow" => {
                report.checked = report.checked.saturating_add(1);
                if let Some((e, reason)) = replay(policy, &r) {
                    report.findings.push(Finding {
                        line: n,
                        recorded: r.decision.clone(),
                        recorded_error: None,
                        now: "deny".into(),
                        error: Some(e.code().to_owned()),
                        reason,
                    });
                }
            }
            "deny"
                if r.error
                    .as_deref()
                    .is_some_and(|c| POLICY_CODES.contains(&c)) =>
            {
                report.checked = report.checked.saturating_add(1);
                let recorded = r.error.clone().unwrap_or_default();
                if replay(policy, &r).is_none() {
                    report.findings.push(Finding {
                        line: n,
                        recorded: r.decision.clone(),
                        reason: format!("the policy no longer denies this with {recorded}"),
                        recorded_error: Some(recorded),
                        now: "allow".into(),
                        error: None,
                    });
                }
            }
            _ => report.not_reevaluated = report.not_reevaluated.saturating_add(1),
        }
    }
    report
}
