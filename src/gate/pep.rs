//! The gate as an AuthZEN policy enforcement point: the subject a Principal becomes in an
//! evaluation request, and how a host-supplied PDP decision is combined with the verifier's own
//! (fail closed: anything but `{"decision": true}` denies).

use serde_json::Value;

use super::{Denial, Principal, Verifier};
use crate::encoding::json::{self as sjson, Object};
use crate::error::Error;
use crate::oauth::{AuthzenEntity, Failure, RouteRequirements, parse_decision, resource_challenge};

/// What a Principal contributes to an AuthZEN subject.
#[derive(Debug, Clone, Copy, Default)]
pub struct SubjectFacts<'a> {
    /// The agent (workload identifier).
    pub agent: Option<&'a str>,
    /// Its trust domain.
    pub trust_domain: Option<&'a str>,
    /// The user (token `sub`).
    pub user: Option<&'a str>,
    /// The OAuth client.
    pub client_id: Option<&'a str>,
    /// Granted scopes.
    pub scopes: &'a [String],
    /// How the caller authenticated.
    pub method: &'a str,
    /// The current actor of a delegated token.
    pub actor: Option<&'a str>,
    /// The transaction id of a verified Txn-Token.
    pub txn: Option<&'a str>,
}

/// The AuthZEN subject for a caller: `{"type": "agent", "id": <agent>}` when a workload
/// authenticated, else `{"type": "user", "id": <token sub>}`; `properties` carry the user,
/// client, scopes, trust domain, authentication method, current actor and transaction id.
///
/// # Errors
/// `invalid-argument` (`subject`) when the caller has neither an agent nor a user.
pub fn subject_entity(f: &SubjectFacts<'_>) -> Result<AuthzenEntity, Error> {
    let (kind, id) = match (f.agent, f.user) {
        (Some(a), _) => ("agent", a),
        (None, Some(u)) => ("user", u),
        (None, None) => return Err(Error::InvalidArgument("subject")),
    };
    let mut p = Object::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            p.insert(k.into(), Value::String(v.to_owned()));
        }
    };
    put("trust_domain", f.trust_domain);
    if f.agent.is_some() {
        put("user", f.user);
    }
    put("client_id", f.client_id);
    put("authentication", Some(f.method));
    put("actor", f.actor);
    put("txn", f.txn);
    if !f.scopes.is_empty() {
        p.insert(
            "scopes".into(),
            Value::Array(f.scopes.iter().cloned().map(Value::String).collect()),
        );
    }
    Ok(AuthzenEntity {
        kind: kind.to_owned(),
        id: id.to_owned(),
        properties: Some(p),
    })
}

/// [`subject_entity`] for a [`Principal`].
///
/// # Errors
/// As [`subject_entity`].
pub fn principal_subject(p: &Principal) -> Result<AuthzenEntity, Error> {
    subject_entity(&SubjectFacts {
        agent: p.agent.as_deref(),
        trust_domain: p.trust_domain.as_deref(),
        user: p.subject.as_deref(),
        client_id: p.client_id.as_deref(),
        scopes: &p.scopes,
        method: crate::ffi::credential_kind_name(p.method),
        actor: p.actors.first().map(|a| a.subject.as_str()),
        txn: p.transaction.as_ref().map(|t| t.txn.as_str()),
    })
}

impl Verifier {
    /// Combines a PDP decision (the AuthZEN response body) with an allowed request: `Ok` only
    /// for `{"decision": true}`. A denial is 403 `access-denied`, or, when the PDP's context
    /// asks for step-up (`acr_values`, optionally `max_age`) and the caller used a token, 401
    /// `insufficient-user-authentication` with the RFC 9470 challenge. A malformed response
    /// denies with its parse code (403). `dpop_used` says whether the caller used DPoP;
    /// `audit` is the Principal's record, extended with the PDP's verdict.
    ///
    /// # Errors
    /// The denial.
    pub fn enforce_decision(
        &self,
        dpop_used: bool,
        token_used: bool,
        audit: &str,
        decision: &str,
    ) -> Result<(), Box<Denial>> {
        let parsed = parse_decision(decision, &crate::limits::Limits::DEFAULT);
        let record = |error: Option<&Error>, status: u16| -> String {
            let Ok(mut r) = crate::audit::DecisionRecord::parse(audit) else {
                // Not a record this verifier wrote: keep what can be said.
                return sjson::to_compact(&serde_json::json!({
                    "v": crate::audit::SCHEMA_VERSION,
                    "decision": if error.is_some() { "deny" } else { "allow" },
                    "error": error.map(Error::code),
                    "pdp_decision": parsed.as_ref().ok().map(|d| d.decision),
                }));
            };
            r.pdp_decision = parsed.as_ref().ok().map(|d| d.decision);
            if let Some(e) = error {
                r.decision = "deny".into();
                r.error = Some(e.code().into());
                r.status = Some(status);
            }
            r.to_json_line()
        };
        let d = match &parsed {
            Ok(d) if d.decision => return Ok(()),
            Ok(d) => d,
            Err(e) => {
                return Err(Box::new(Denial {
                    status: 403,
                    www_authenticate: Vec::new(),
                    dpop_nonce: None,
                    error: *e,
                    event: None,
                    audit: record(Some(e), 403),
                }));
            }
        };
        let step_up = d
            .context
            .as_ref()
            .and_then(|c| c.get("acr_values"))
            .and_then(Value::as_str)
            .filter(|_| token_used);
        if let Some(acr) = step_up {
            let requirements = RouteRequirements {
                acr_values: acr
                    .split(' ')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                max_auth_age: d
                    .context
                    .as_ref()
                    .and_then(|c| c.get("max_age"))
                    .and_then(Value::as_u64),
                ..RouteRequirements::default()
            };
            let c = resource_challenge(
                Failure::InsufficientUserAuthentication,
                dpop_used,
                &self.challenge,
                &requirements,
                None,
            );
            let e = Error::InsufficientUserAuthentication("pdp");
            return Err(Box::new(Denial {
                status: c.status,
                www_authenticate: c.www_authenticate,
                dpop_nonce: None,
                error: e,
                event: None,
                audit: record(Some(&e), c.status),
            }));
        }
        Err(Box::new(Denial {
            status: 403,
            www_authenticate: Vec::new(),
            dpop_nonce: None,
            error: Error::AccessDenied,
            event: None,
            audit: record(Some(&Error::AccessDenied), 403),
        }))
    }

    /// [`Self::enforce_decision`] for a [`Principal`].
    ///
    /// # Errors
    /// The denial.
    pub fn enforce(&self, principal: &Principal, decision: &str) -> Result<(), Box<Denial>> {
        use crate::policy::CredentialKind;
        let dpop = principal.credentials.contains(&CredentialKind::Dpop);
        let token = dpop || principal.credentials.contains(&CredentialKind::Bearer);
        self.enforce_decision(dpop, token, &principal.audit, decision)
    }
}
