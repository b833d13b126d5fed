//! OpenID AuthZEN Authorization API 1.0, the policy-enforcement-point side
//! (specs/httpsig-ssf-authzen.md §5): evaluation and batch-evaluation requests, decisions parsed
//! fail-closed, and PDP metadata discovery. The host makes the HTTP calls.
//!
//! Decisions: `decision` must be a JSON boolean (anything else is `claim-invalid`, never a
//! permit); unknown members are ignored, as the spec requires; a batch response with fewer
//! decisions than requests (short-circuit semantics) denies the missing ones, and one with more
//! is refused (`claim-invalid`).

use serde_json::Value;

use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::limits::Limits;

/// An AuthZEN subject or resource: `type`, `id`, optional `properties`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// `type`.
    pub kind: String,
    /// `id`.
    pub id: String,
    /// `properties`.
    pub properties: Option<Object>,
}

/// An AuthZEN action: `name`, optional `properties`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// `name`.
    pub name: String,
    /// `properties`.
    pub properties: Option<Object>,
}

/// One evaluation: subject, action, resource and context (batch items may leave any of them to
/// the request's defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// The subject.
    pub subject: Option<Entity>,
    /// The action.
    pub action: Option<Action>,
    /// The resource.
    pub resource: Option<Entity>,
    /// The context.
    pub context: Option<Object>,
}

/// `options.evaluations_semantic`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Semantic {
    /// Evaluate all (the default).
    #[default]
    ExecuteAll,
    /// Stop at the first deny.
    DenyOnFirstDeny,
    /// Stop at the first permit.
    PermitOnFirstPermit,
}

impl Semantic {
    /// The wire name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::ExecuteAll => "execute_all",
            Self::DenyOnFirstDeny => "deny_on_first_deny",
            Self::PermitOnFirstPermit => "permit_on_first_permit",
        }
    }

    /// Parses a wire name.
    ///
    /// # Errors
    /// `invalid-argument` (`evaluations_semantic`).
    pub fn from_name(name: &str) -> Result<Self, Error> {
        match name {
            "execute_all" => Ok(Self::ExecuteAll),
            "deny_on_first_deny" => Ok(Self::DenyOnFirstDeny),
            "permit_on_first_permit" => Ok(Self::PermitOnFirstPermit),
            _ => Err(Error::InvalidArgument("evaluations_semantic")),
        }
    }
}

/// A PDP decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Permit (`true`) or deny.
    pub decision: bool,
    /// The PDP's context (reasons, obligations, step-up hints), if any.
    pub context: Option<Object>,
}

fn entity_json(e: &Entity) -> Result<Value, Error> {
    if e.kind.is_empty() || e.id.is_empty() {
        return Err(Error::InvalidArgument("entity"));
    }
    let mut o = Object::new();
    o.insert("type".into(), e.kind.clone().into());
    o.insert("id".into(), e.id.clone().into());
    if let Some(p) = &e.properties {
        o.insert("properties".into(), Value::Object(p.clone()));
    }
    Ok(Value::Object(o))
}

fn action_json(a: &Action) -> Result<Value, Error> {
    if a.name.is_empty() {
        return Err(Error::InvalidArgument("action"));
    }
    let mut o = Object::new();
    o.insert("name".into(), a.name.clone().into());
    if let Some(p) = &a.properties {
        o.insert("properties".into(), Value::Object(p.clone()));
    }
    Ok(Value::Object(o))
}

fn evaluation_object(e: &Evaluation) -> Result<Object, Error> {
    let mut o = Object::new();
    if let Some(s) = &e.subject {
        o.insert("subject".into(), entity_json(s)?);
    }
    if let Some(a) = &e.action {
        o.insert("action".into(), action_json(a)?);
    }
    if let Some(r) = &e.resource {
        o.insert("resource".into(), entity_json(r)?);
    }
    if let Some(c) = &e.context {
        o.insert("context".into(), Value::Object(c.clone()));
    }
    Ok(o)
}

/// The body of an Access Evaluation request (POST to `access_evaluation_endpoint`).
///
/// # Errors
/// `invalid-argument` (`subject`, `action`, `resource`) when one is missing; (`entity`,
/// `action`) for an empty `type`, `id` or `name`.
pub fn evaluation_request(e: &Evaluation) -> Result<String, Error> {
    for (present, name) in [
        (e.subject.is_some(), "subject"),
        (e.action.is_some(), "action"),
        (e.resource.is_some(), "resource"),
    ] {
        if !present {
            return Err(Error::InvalidArgument(name));
        }
    }
    Ok(json::to_compact(&Value::Object(evaluation_object(e)?)))
}

/// The body of an Access Evaluations (batch) request: `defaults` at the top level, `items` in
/// `evaluations`, and the semantic in `options` (omitted for the default `execute_all`). Every
/// item must end up with a subject, action and resource.
///
/// # Errors
/// `invalid-argument` (`evaluations`) for no items or an item left incomplete; as
/// [`evaluation_request`].
pub fn evaluations_request(
    defaults: &Evaluation,
    items: &[Evaluation],
    semantic: Semantic,
) -> Result<String, Error> {
    if items.is_empty()
        || items.iter().any(|i| {
            (i.subject.is_none() && defaults.subject.is_none())
                || (i.action.is_none() && defaults.action.is_none())
                || (i.resource.is_none() && defaults.resource.is_none())
        })
    {
        return Err(Error::InvalidArgument("evaluations"));
    }
    let mut o = evaluation_object(defaults)?;
    o.insert(
        "evaluations".into(),
        Value::Array(
            items
                .iter()
                .map(|i| evaluation_object(i).map(Value::Object))
                .collect::<Result<_, _>>()?,
        ),
    );
    if semantic != Semantic::ExecuteAll {
        let mut options = Object::new();
        options.insert("evaluations_semantic".into(), semantic.name().into());
        o.insert("options".into(), Value::Object(options));
    }
    Ok(json::to_compact(&Value::Object(o)))
}

fn decision_of(v: &Value) -> Result<Decision, Error> {
    let Value::Object(o) = v else {
        return Err(Error::ClaimInvalid("decision"));
    };
    let decision = match o.get("decision") {
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::ClaimInvalid("decision")),
        None => return Err(Error::ClaimMissing("decision")),
    };
    let context = match o.get("context") {
        None | Some(Value::Null) => None,
        Some(Value::Object(c)) => Some(c.clone()),
        Some(_) => return Err(Error::ClaimInvalid("context")),
    };
    Ok(Decision { decision, context })
}

/// Parses an Access Evaluation response.
///
/// # Errors
/// JSON errors; `claim-missing` / `claim-invalid` (`decision`, `context`).
pub fn parse_decision(text: &str, limits: &Limits) -> Result<Decision, Error> {
    decision_of(&Value::Object(json::parse_object(text.as_bytes(), limits)?))
}

/// Parses an Access Evaluations response for `count` requested items: one decision per item in
/// request order; items a short-circuiting PDP did not return are denials (with no context).
///
/// # Errors
/// JSON errors; `claim-missing` (`evaluations`); `claim-invalid` (`evaluations`) for more
/// decisions than items, or fewer under `execute_all`; as [`parse_decision`] per item.
pub fn parse_evaluations(
    text: &str,
    count: usize,
    semantic: Semantic,
    limits: &Limits,
) -> Result<Vec<Decision>, Error> {
    let o = json::parse_object(text.as_bytes(), limits)?;
    let items = match o.get("evaluations") {
        Some(Value::Array(items)) => items,
        Some(_) => return Err(Error::ClaimInvalid("evaluations")),
        None => return Err(Error::ClaimMissing("evaluations")),
    };
    if items.len() > count || (semantic == Semantic::ExecuteAll && items.len() != count) {
        return Err(Error::ClaimInvalid("evaluations"));
    }
    let mut out = items
        .iter()
        .map(decision_of)
        .collect::<Result<Vec<_>, _>>()?;
    out.resize(
        count,
        Decision {
            decision: false,
            context: None,
        },
    );
    Ok(out)
}

/// A PDP's metadata (the members a PEP uses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdpMetadata {
    /// `policy_decision_point`.
    pub policy_decision_point: String,
    /// `access_evaluation_endpoint`.
    pub access_evaluation_endpoint: String,
    /// `access_evaluations_endpoint`, when batch is supported.
    pub access_evaluations_endpoint: Option<String>,
    /// `search_subject_endpoint`.
    pub search_subject_endpoint: Option<String>,
    /// `search_resource_endpoint`.
    pub search_resource_endpoint: Option<String>,
    /// `search_action_endpoint`.
    pub search_action_endpoint: Option<String>,
    /// `capabilities` (or the spelling `supported_capabilities`).
    pub capabilities: Vec<String>,
}

fn https_no_query(s: &str) -> bool {
    s.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !s.contains(['?', '#'])
        && s.is_ascii()
}

/// The metadata URL of a PDP identifier: `/.well-known/authzen-configuration` inserted between
/// the authority and the path (multi-tenant PDPs keep their path after it).
///
/// # Errors
/// `invalid-argument` (`policy_decision_point`) for an identifier that is not an https URL
/// without query or fragment.
pub fn pdp_metadata_url(pdp: &str) -> Result<String, Error> {
    if !https_no_query(pdp) {
        return Err(Error::InvalidArgument("policy_decision_point"));
    }
    let rest = pdp.get("https://".len()..).unwrap_or_default();
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = path.trim_end_matches('/');
    Ok(format!(
        "https://{authority}/.well-known/authzen-configuration{path}"
    ))
}

/// Parses a fetched PDP metadata document: `policy_decision_point` must equal `expected_pdp`
/// (else the document is not used), endpoints are https URLs.
///
/// # Errors
/// JSON errors; `claim-missing` / `claim-invalid` naming the member; `claim-mismatch`
/// (`policy_decision_point`).
pub fn parse_pdp_metadata(
    text: &str,
    expected_pdp: &str,
    limits: &Limits,
) -> Result<PdpMetadata, Error> {
    let o = json::parse_object(text.as_bytes(), limits)?;
    let url = |name: &'static str, required: bool| -> Result<Option<String>, Error> {
        match o.get(name) {
            None if required => Err(Error::ClaimMissing(name)),
            None => Ok(None),
            Some(Value::String(s)) if s.starts_with("https://") && s.is_ascii() => {
                Ok(Some(s.clone()))
            }
            Some(_) => Err(Error::ClaimInvalid(name)),
        }
    };
    let pdp = url("policy_decision_point", true)?.unwrap_or_default();
    if pdp != expected_pdp {
        return Err(Error::ClaimMismatch("policy_decision_point"));
    }
    let capabilities = match o
        .get("capabilities")
        .or_else(|| o.get("supported_capabilities"))
    {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or(Error::ClaimInvalid("capabilities"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(Error::ClaimInvalid("capabilities")),
    };
    Ok(PdpMetadata {
        access_evaluation_endpoint: url("access_evaluation_endpoint", true)?.unwrap_or_default(),
        access_evaluations_endpoint: url("access_evaluations_endpoint", false)?,
        search_subject_endpoint: url("search_subject_endpoint", false)?,
        search_resource_endpoint: url("search_resource_endpoint", false)?,
        search_action_endpoint: url("search_action_endpoint", false)?,
        capabilities,
        policy_decision_point: pdp,
    })
}
