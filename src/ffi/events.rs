//! Security events, SSF receiving and decision records in the cross-language shape: results
//! whose shape is open (a SET's events, an applied event, a compliance report) cross as JSON
//! text with snake_case members.

use serde_json::{Value, json};

use super::{LIMITS, key_set};
use crate::audit;
use crate::crypto::{AlgorithmSet, KeyPair};
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::events::{self, SetValidation, ssf};
use crate::gate::{AppliedEvent, Verifier};
use crate::policy::Policy;
use crate::time::{Leeway, UnixTime};

/// An applied event as JSON: `issuer`, `jti`, `events`, `effects`, `subject` (object),
/// `state`, `duplicate`, `dropped`, `token_hash`.
pub fn applied_event_json(a: &AppliedEvent) -> Value {
    json!({
        "issuer": a.issuer, "jti": a.jti, "events": a.events, "effects": a.effects,
        "subject": json::parse_object(a.subject.as_bytes(), &LIMITS).map(Value::Object).unwrap_or(Value::Null),
        "state": a.state, "duplicate": a.duplicate, "dropped": a.dropped, "token_hash": a.token_hash,
    })
}

/// The event named by a denial, as JSON `{"type", "jti", "iss"}`.
pub fn event_ref_json(e: &events::EventRef) -> String {
    json::to_compact(&json!({"type": e.event_type, "jti": e.jti, "iss": e.issuer}))
}

fn text<'o>(o: &'o Object, name: &'static str) -> Result<&'o str, Error> {
    o.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(Error::InvalidArgument(name))
}

/// Verifies a SET. `config` is JSON: `{"issuer", "jwks" (a JWK Set or one JWK), "audience",
/// "algorithms"?: [...], "critical_subject_members"?: [...], "leeway"?: 60}`. Returns JSON:
/// `issuer`, `jti`, `issued_at`, `time_of_event`, `txn`, `subject`, `events` (URI → payload),
/// `event_types` (short names), `token_hash`, `key_thumbprint`.
///
/// # Errors
/// `invalid-argument` naming a config member; every code of [`events::verify_set`].
pub fn verify_set(set: &str, config: &str, now: u64) -> Result<String, Error> {
    let c = json::parse_object(config.as_bytes(), &LIMITS)?;
    let allowed = [
        "issuer",
        "jwks",
        "audience",
        "algorithms",
        "critical_subject_members",
        "leeway",
    ];
    if c.keys().any(|k| !allowed.contains(&k.as_str())) {
        return Err(Error::InvalidArgument("config: unknown member"));
    }
    let names = |name: &'static str| -> Result<Vec<String>, Error> {
        match c.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .ok_or(Error::InvalidArgument(name))
                })
                .collect(),
            Some(_) => Err(Error::InvalidArgument(name)),
        }
    };
    let algorithms = match names("algorithms")? {
        a if a.is_empty() => AlgorithmSet::ASYMMETRIC,
        a => super::algorithms(&a)?,
    };
    let validation = SetValidation {
        issuer: text(&c, "issuer")?.to_owned(),
        keys: key_set(&json::to_compact(
            c.get("jwks").ok_or(Error::InvalidArgument("jwks"))?,
        ))?,
        algorithms,
        audience: text(&c, "audience")?.to_owned(),
        critical_subject_members: names("critical_subject_members")?,
        leeway: Leeway(match c.get("leeway") {
            None => 60,
            Some(v) => v.as_u64().ok_or(Error::InvalidArgument("leeway"))?,
        }),
        limits: LIMITS,
    };
    let v = events::verify_set(set, &validation, UnixTime(now))?;
    let mut evs = Object::new();
    for e in &v.events {
        evs.insert(e.uri.clone(), Value::Object(e.payload.clone()));
    }
    Ok(json::to_compact(&json!({
        "issuer": v.issuer, "jti": v.jti, "issued_at": v.issued_at, "time_of_event": v.time_of_event,
        "txn": v.txn, "subject": v.subject.to_json(), "events": evs,
        "event_types": v.events.iter().map(|e| events::SecurityEvent::name(&e.uri)).collect::<Vec<_>>(),
        "token_hash": v.token_hash, "key_thumbprint": v.key_thumbprint,
    })))
}

/// Issues a SET from JSON claims (see [`events::issue_set`]).
///
/// # Errors
/// JSON errors; as [`events::issue_set`].
pub fn issue_set(claims: &str, key: &KeyPair) -> Result<String, Error> {
    events::issue_set(&json::parse_object(claims.as_bytes(), &LIMITS)?, key)
}

/// Applies a SET to the verifier; the applied event as JSON ([`applied_event_json`]).
///
/// # Errors
/// As [`Verifier::apply_event`].
pub fn apply_event(verifier: &mut Verifier, set: &str, now: u64) -> Result<String, Error> {
    verifier
        .apply_event(set, UnixTime(now))
        .map(|a| json::to_compact(&applied_event_json(&a)))
}

/// What to answer an RFC 8935 push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushAnswer {
    /// `202` or `400`.
    pub status: u16,
    /// The `application/json` error body of a `400`.
    pub body: Option<String>,
    /// The applied event (JSON) when the SET was taken.
    pub applied: Option<String>,
}

/// Receives a pushed SET ([`Verifier::receive_push`]).
pub fn receive_push(verifier: &mut Verifier, body: &str, now: u64) -> PushAnswer {
    let (status, body, applied) = verifier.receive_push(body, UnixTime(now));
    PushAnswer {
        status,
        body,
        applied: applied.map(|a| json::to_compact(&applied_event_json(&a))),
    }
}

/// Receives a poll response ([`Verifier::receive_poll`]); JSON out: `next_request` (the body
/// to POST next), `applied` (list), `refused` (`[{"jti", "code"}]`), `more_available`.
///
/// # Errors
/// As [`Verifier::receive_poll`].
pub fn receive_poll(
    verifier: &mut Verifier,
    body: &str,
    max_events: u64,
    now: u64,
) -> Result<String, Error> {
    let o = verifier.receive_poll(body, max_events, UnixTime(now))?;
    Ok(json::to_compact(&json!({
        "next_request": o.next_request,
        "applied": o.applied.iter().map(applied_event_json).collect::<Vec<_>>(),
        "refused": o.refused.iter().map(|(j, e)| json!({"jti": j, "code": e.code()})).collect::<Vec<_>>(),
        "more_available": o.more_available,
    })))
}

/// The SSF configuration URL of a transmitter issuer.
///
/// # Errors
/// As [`ssf::configuration_url`].
pub fn ssf_configuration_url(issuer: &str) -> Result<String, Error> {
    ssf::configuration_url(issuer)
}

/// Parses transmitter metadata fetched for `expected_issuer`; JSON out (members as in SSF,
/// `authorization_schemes` as the list of `spec_urn`s).
///
/// # Errors
/// As [`ssf::TransmitterMetadata::parse`].
pub fn parse_transmitter_metadata(text: &str, expected_issuer: &str) -> Result<String, Error> {
    let m = ssf::TransmitterMetadata::parse(text, expected_issuer, &LIMITS)?;
    Ok(json::to_compact(&json!({
        "spec_version": m.spec_version, "issuer": m.issuer, "jwks_uri": m.jwks_uri,
        "delivery_methods_supported": m.delivery_methods_supported,
        "configuration_endpoint": m.configuration_endpoint, "status_endpoint": m.status_endpoint,
        "add_subject_endpoint": m.add_subject_endpoint, "remove_subject_endpoint": m.remove_subject_endpoint,
        "verification_endpoint": m.verification_endpoint, "critical_subject_members": m.critical_subject_members,
        "authorization_schemes": m.authorization_schemes, "default_subjects": m.default_subjects,
    })))
}

/// Parses a stream configuration for `expected_iss` naming `expected_aud`; JSON out.
///
/// # Errors
/// As [`ssf::StreamConfig::parse`].
pub fn parse_stream_config(
    text: &str,
    expected_iss: &str,
    expected_aud: &str,
) -> Result<String, Error> {
    let s = ssf::StreamConfig::parse(text, expected_iss, expected_aud, &LIMITS)?;
    Ok(json::to_compact(&json!({
        "stream_id": s.stream_id, "iss": s.iss, "aud": s.aud, "events_supported": s.events_supported,
        "events_requested": s.events_requested, "events_delivered": s.events_delivered,
        "delivery_method": s.delivery_method, "endpoint_url": s.endpoint_url,
        "min_verification_interval": s.min_verification_interval,
        "inactivity_timeout": s.inactivity_timeout, "description": s.description,
    })))
}

/// The body of a create-stream request (poll delivery when `push_endpoint` is `None`).
pub fn create_stream_request(
    events_requested: &[String],
    push_endpoint: Option<&str>,
    authorization_header: Option<&str>,
    description: Option<&str>,
) -> String {
    ssf::create_stream_request(
        events_requested,
        push_endpoint,
        authorization_header,
        description,
    )
}

/// The body of a verification request.
pub fn verification_request(stream_id: &str, state: Option<&str>) -> String {
    ssf::verification_request(stream_id, state)
}

/// Replays JSON Lines decision records against a policy document; the report as JSON:
/// `records`, `checked`, `not_reevaluated`, `malformed` (`[{"line", "code"}]`) and `findings`
/// (`[{"line", "recorded", "recorded_error", "now", "error", "reason"}]`).
///
/// # Errors
/// As [`Policy::from_json`].
pub fn check_records(policy: &str, records: &str) -> Result<String, Error> {
    let policy = Policy::from_json(policy, &LIMITS)?;
    let r = audit::check_records(&policy, records);
    Ok(json::to_compact(&json!({
        "records": r.records, "checked": r.checked, "not_reevaluated": r.not_reevaluated,
        "malformed": r.malformed.iter().map(|(l, c)| json!({"line": l, "code": c})).collect::<Vec<_>>(),
        "findings": r.findings.iter().map(|f| json!({
            "line": f.line, "recorded": f.recorded, "recorded_error": f.recorded_error,
            "now": f.now, "error": f.error, "reason": f.reason,
        })).collect::<Vec<_>>(),
    })))
}
