//! Shared Signals Framework 1.0 receiver helpers: transmitter metadata, stream configuration,
//! the verification event, and the push (RFC 8935) and poll (RFC 8936) message shapes. The host
//! does the HTTP; these functions build and check the bodies.

use serde_json::{Value, json};

use super::set::{SecurityEvent, VerifiedSet};
use super::subject::SubjectId;
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::limits::Limits;

/// Push delivery (`delivery.method`).
pub const PUSH: &str = "urn:ietf:rfc:8935";
/// Poll delivery (`delivery.method`).
pub const POLL: &str = "urn:ietf:rfc:8936";

fn https_without_query(s: &str) -> bool {
    s.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !s.contains(['?', '#'])
}

/// The well-known URL of a transmitter's configuration: `/.well-known/ssf-configuration`
/// inserted between the host and the issuer's path (a trailing `/` removed first).
///
/// # Errors
/// `invalid-argument` (`issuer`) unless an https URL without query or fragment.
pub fn configuration_url(issuer: &str) -> Result<String, Error> {
    if !https_without_query(issuer) {
        return Err(Error::InvalidArgument("issuer"));
    }
    let rest = issuer.get("https://".len()..).unwrap_or_default();
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = path.trim_end_matches('/');
    Ok(format!(
        "https://{host}/.well-known/ssf-configuration{path}"
    ))
}

/// Transmitter configuration metadata (SSF §7.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransmitterMetadata {
    /// `spec_version` (`1_0-ID1` when absent).
    pub spec_version: String,
    /// `issuer`.
    pub issuer: String,
    /// `jwks_uri`.
    pub jwks_uri: Option<String>,
    /// `delivery_methods_supported`.
    pub delivery_methods_supported: Vec<String>,
    /// `configuration_endpoint`.
    pub configuration_endpoint: Option<String>,
    /// `status_endpoint`.
    pub status_endpoint: Option<String>,
    /// `add_subject_endpoint`.
    pub add_subject_endpoint: Option<String>,
    /// `remove_subject_endpoint`.
    pub remove_subject_endpoint: Option<String>,
    /// `verification_endpoint`.
    pub verification_endpoint: Option<String>,
    /// `critical_subject_members`.
    pub critical_subject_members: Vec<String>,
    /// `spec_urn` of each `authorization_schemes` entry.
    pub authorization_schemes: Vec<String>,
    /// `default_subjects` (`ALL` or `NONE`), when given.
    pub default_subjects: Option<String>,
}

fn opt_string(o: &Object, name: &'static str) -> Result<Option<String>, Error> {
    match o.get(name) {
        None => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

fn opt_url(o: &Object, name: &'static str) -> Result<Option<String>, Error> {
    match opt_string(o, name)? {
        Some(u) if !u.starts_with("https://") => Err(Error::ClaimInvalid(name)),
        other => Ok(other),
    }
}

fn strings(o: &Object, name: &'static str) -> Result<Vec<String>, Error> {
    match o.get(name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or(Error::ClaimInvalid(name))
            })
            .collect(),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

impl TransmitterMetadata {
    /// Parses the configuration fetched for `expected_issuer` and checks that its `issuer` is
    /// exactly that (else abort: `claim-mismatch` `issuer`). Unknown members are ignored;
    /// endpoints must be https URLs.
    ///
    /// # Errors
    /// `malformed-json`, `claim-missing`/`claim-invalid`/`claim-mismatch` naming the member.
    pub fn parse(text: &str, expected_issuer: &str, limits: &Limits) -> Result<Self, Error> {
        let o = json::parse_object(text.as_bytes(), limits)?;
        let issuer = opt_string(&o, "issuer")?.ok_or(Error::ClaimMissing("issuer"))?;
        if !https_without_query(&issuer) {
            return Err(Error::ClaimInvalid("issuer"));
        }
        if issuer != expected_issuer {
            return Err(Error::ClaimMismatch("issuer"));
        }
        let authorization_schemes = match o.get("authorization_schemes") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.get("spec_urn")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .ok_or(Error::ClaimInvalid("authorization_schemes"))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(Error::ClaimInvalid("authorization_schemes")),
        };
        let default_subjects = opt_string(&o, "default_subjects")?;
        if default_subjects
            .as_deref()
            .is_some_and(|d| d != "ALL" && d != "NONE")
        {
            return Err(Error::ClaimInvalid("default_subjects"));
        }
        Ok(Self {
            spec_version: opt_string(&o, "spec_version")?.unwrap_or_else(|| "1_0-ID1".into()),
            issuer,
            jwks_uri: opt_url(&o, "jwks_uri")?,
            delivery_methods_supported: strings(&o, "delivery_methods_supported")?,
            configuration_endpoint: opt_url(&o, "configuration_endpoint")?,
            status_endpoint: opt_url(&o, "status_endpoint")?,
            add_subject_endpoint: opt_url(&o, "add_subject_endpoint")?,
            remove_subject_endpoint: opt_url(&o, "remove_subject_endpoint")?,
            verification_endpoint: opt_url(&o, "verification_endpoint")?,
            critical_subject_members: strings(&o, "critical_subject_members")?,
            authorization_schemes,
            default_subjects,
        })
    }
}

/// A stream configuration (SSF §8.1.1) as the transmitter returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamConfig {
    /// `stream_id`.
    pub stream_id: String,
    /// `iss`.
    pub iss: String,
    /// `aud` (one or more).
    pub aud: Vec<String>,
    /// `events_supported`.
    pub events_supported: Vec<String>,
    /// `events_requested`.
    pub events_requested: Vec<String>,
    /// `events_delivered`: what the receiver will actually get.
    pub events_delivered: Vec<String>,
    /// `delivery.method`.
    pub delivery_method: String,
    /// `delivery.endpoint_url`, when given.
    pub endpoint_url: Option<String>,
    /// `min_verification_interval`, seconds.
    pub min_verification_interval: Option<u64>,
    /// `inactivity_timeout`, seconds.
    pub inactivity_timeout: Option<u64>,
    /// `description`.
    pub description: Option<String>,
}

impl StreamConfig {
    /// Parses a stream configuration and checks it belongs to `expected_iss` and names
    /// `expected_aud` among its audiences.
    ///
    /// # Errors
    /// `malformed-json`; `claim-missing`/`claim-invalid`/`claim-mismatch` naming the member
    /// (`stream_id`, `iss`, `aud`, `events_delivered`, `delivery`).
    pub fn parse(
        text: &str,
        expected_iss: &str,
        expected_aud: &str,
        limits: &Limits,
    ) -> Result<Self, Error> {
        let o = json::parse_object(text.as_bytes(), limits)?;
        let stream_id = opt_string(&o, "stream_id")?.ok_or(Error::ClaimMissing("stream_id"))?;
        let iss = opt_string(&o, "iss")?.ok_or(Error::ClaimMissing("iss"))?;
        if iss != expected_iss {
            return Err(Error::ClaimMismatch("iss"));
        }
        let aud = match o.get("aud") {
            None => return Err(Error::ClaimMissing("aud")),
            Some(Value::String(a)) => vec![a.clone()],
            Some(Value::Array(_)) => strings(&o, "aud")?,
            Some(_) => return Err(Error::ClaimInvalid("aud")),
        };
        if !aud.iter().any(|a| a == expected_aud) {
            return Err(Error::ClaimMismatch("aud"));
        }
        if !o.contains_key("events_delivered") {
            return Err(Error::ClaimMissing("events_delivered"));
        }
        let delivery = match o.get("delivery") {
            Some(Value::Object(d)) => d,
            None => return Err(Error::ClaimMissing("delivery")),
            Some(_) => return Err(Error::ClaimInvalid("delivery")),
        };
        let delivery_method = match delivery.get("method") {
            Some(Value::String(m)) if m == PUSH || m == POLL => m.clone(),
            _ => return Err(Error::ClaimInvalid("delivery")),
        };
        let endpoint_url = match delivery.get("endpoint_url") {
            None => None,
            Some(Value::String(u)) if u.starts_with("https://") => Some(u.clone()),
            Some(_) => return Err(Error::ClaimInvalid("delivery")),
        };
        let seconds = |name: &'static str| -> Result<Option<u64>, Error> {
            match o.get(name) {
                None => Ok(None),
                Some(v) => v.as_u64().map(Some).ok_or(Error::ClaimInvalid(name)),
            }
        };
        Ok(Self {
            stream_id,
            iss,
            aud,
            events_supported: strings(&o, "events_supported")?,
            events_requested: strings(&o, "events_requested")?,
            events_delivered: strings(&o, "events_delivered")?,
            delivery_method,
            endpoint_url,
            min_verification_interval: seconds("min_verification_interval")?,
            inactivity_timeout: seconds("inactivity_timeout")?,
            description: opt_string(&o, "description")?,
        })
    }
}

/// The body of a create-stream request (`POST {configuration_endpoint}`): the events requested
/// and the delivery (push to `endpoint_url` with an optional `authorization_header`, or poll
/// when `endpoint_url` is `None`).
pub fn create_stream_request(
    events_requested: &[String],
    push_endpoint: Option<&str>,
    authorization_header: Option<&str>,
    description: Option<&str>,
) -> String {
    let mut delivery = Object::new();
    let method = if push_endpoint.is_some() { PUSH } else { POLL };
    delivery.insert("method".into(), method.into());
    if let Some(url) = push_endpoint {
        delivery.insert("endpoint_url".into(), url.into());
    }
    if let Some(h) = authorization_header {
        delivery.insert("authorization_header".into(), h.into());
    }
    let mut body = Object::new();
    body.insert("events_requested".into(), json!(events_requested));
    body.insert("delivery".into(), Value::Object(delivery));
    if let Some(d) = description {
        body.insert("description".into(), d.into());
    }
    json::to_compact(&Value::Object(body))
}

/// The body of a verification request (`POST {verification_endpoint}`).
pub fn verification_request(stream_id: &str, state: Option<&str>) -> String {
    let mut body = Object::new();
    body.insert("stream_id".into(), stream_id.into());
    if let Some(s) = state {
        body.insert("state".into(), s.into());
    }
    json::to_compact(&Value::Object(body))
}

/// Checks a verified SET is the verification event for `stream_id` echoing `expected_state`.
///
/// # Errors
/// `claim-missing` (`events`) when it is not a verification event; `claim-mismatch`
/// (`sub_id`) for another stream; `claim-mismatch` (`state`) for another state (answer the
/// transmitter with `invalid_state`).
pub fn check_verification(
    set: &VerifiedSet,
    stream_id: &str,
    expected_state: Option<&str>,
) -> Result<(), Error> {
    let state = set
        .events
        .iter()
        .find_map(|e| match &e.event {
            SecurityEvent::Verification(s) => Some(s.as_deref()),
            _ => None,
        })
        .ok_or(Error::ClaimMissing("events"))?;
    if set.subject != SubjectId::Opaque(stream_id.to_owned()) {
        return Err(Error::ClaimMismatch("sub_id"));
    }
    if state != expected_state {
        return Err(Error::ClaimMismatch("state"));
    }
    Ok(())
}

/// The Security Event Token error code (RFC 8935 §2.4 registry, SSF `invalid_state`) for an
/// error met while receiving a SET.
pub fn set_error_code(error: &Error) -> &'static str {
    match error {
        Error::ClaimMismatch("iss") => "invalid_issuer",
        Error::ClaimMismatch("aud") | Error::ClaimMissing("aud") => "invalid_audience",
        Error::ClaimMismatch("state") => "invalid_state",
        Error::InvalidSignature
        | Error::KeyNotFound
        | Error::KeyMismatch
        | Error::AlgorithmNotAllowed
        | Error::InvalidKey(_) => "invalid_key",
        _ => "invalid_request",
    }
}

/// The push receiver's answer (RFC 8935 §2.2–2.4): `(status, body)`: `202` with no body when
/// the SET was taken (a duplicate too), else `400` with
/// `{"err": <code>, "description": <message>}` (`application/json`).
pub fn push_response(result: &Result<(), Error>) -> (u16, Option<String>) {
    match result {
        Ok(()) => (202, None),
        Err(e) => (
            400,
            Some(json::to_compact(
                &json!({"err": set_error_code(e), "description": e.to_string()}),
            )),
        ),
    }
}

/// The body of a poll request (RFC 8936 §2.4): acknowledge `acks`, report `errors` (`jti`,
/// error), ask for up to `max_events` (0 = acknowledge only).
pub fn poll_request(
    max_events: u64,
    return_immediately: bool,
    acks: &[String],
    errors: &[(String, Error)],
) -> String {
    let mut body = Object::new();
    body.insert("maxEvents".into(), max_events.into());
    body.insert("returnImmediately".into(), return_immediately.into());
    if !acks.is_empty() {
        body.insert("ack".into(), json!(acks));
    }
    if !errors.is_empty() {
        let mut errs = Object::new();
        for (jti, e) in errors {
            errs.insert(
                jti.clone(),
                json!({"err": set_error_code(e), "description": e.to_string()}),
            );
        }
        body.insert("setErrs".into(), Value::Object(errs));
    }
    json::to_compact(&Value::Object(body))
}

/// A poll response (RFC 8936 §2.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollResponse {
    /// `(jti, SET)` in document order.
    pub sets: Vec<(String, String)>,
    /// `moreAvailable`.
    pub more_available: bool,
}

/// Parses a poll response.
///
/// # Errors
/// `malformed-json`; `claim-missing`/`claim-invalid` (`sets`, `moreAvailable`).
pub fn parse_poll_response(text: &str, limits: &Limits) -> Result<PollResponse, Error> {
    let o = json::parse_object(text.as_bytes(), limits)?;
    let sets = match o.get("sets") {
        None => return Err(Error::ClaimMissing("sets")),
        Some(Value::Object(s)) => s
            .iter()
            .map(|(jti, set)| match set {
                Value::String(t) if !t.is_empty() => Ok((jti.clone(), t.clone())),
                _ => Err(Error::ClaimInvalid("sets")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(Error::ClaimInvalid("sets")),
    };
    let more_available = match o.get("moreAvailable") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::ClaimInvalid("moreAvailable")),
    };
    Ok(PollResponse {
        sets,
        more_available,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_url_inserts_the_well_known_segment() {
        assert_eq!(
            configuration_url("https://tr.example.com/issuer1/").unwrap(),
            "https://tr.example.com/.well-known/ssf-configuration/issuer1"
        );
        assert_eq!(
            configuration_url("https://tr.example.com").unwrap(),
            "https://tr.example.com/.well-known/ssf-configuration"
        );
        assert!(configuration_url("http://tr.example.com").is_err());
        assert!(configuration_url("https://tr.example.com/?q").is_err());
    }

    #[test]
    fn metadata_and_stream_configuration() {
        let l = Limits::DEFAULT;
        let m = TransmitterMetadata::parse(
            r#"{"spec_version":"1_0","issuer":"https://tr.example.com","jwks_uri":"https://tr.example.com/jwks",
                "delivery_methods_supported":["urn:ietf:rfc:8935","urn:ietf:rfc:8936"],
                "configuration_endpoint":"https://tr.example.com/streams","authorization_schemes":[{"spec_urn":"urn:ietf:rfc:6749"}],
                "default_subjects":"ALL","future_member":1}"#,
            "https://tr.example.com",
            &l,
        )
        .unwrap();
        assert_eq!(m.authorization_schemes, ["urn:ietf:rfc:6749"]);
        assert_eq!(
            TransmitterMetadata::parse(
                r#"{"issuer":"https://evil.example"}"#,
                "https://tr.example.com",
                &l
            ),
            Err(Error::ClaimMismatch("issuer"))
        );
        let s = StreamConfig::parse(
            r#"{"stream_id":"f67e","iss":"https://tr.example.com","aud":["https://rp.example"],
                "events_delivered":["https://schemas.openid.net/secevent/caep/event-type/session-revoked"],
                "delivery":{"method":"urn:ietf:rfc:8936","endpoint_url":"https://tr.example.com/poll/f67e"},
                "min_verification_interval":60}"#,
            "https://tr.example.com",
            "https://rp.example",
            &l,
        )
        .unwrap();
        assert_eq!(s.delivery_method, POLL);
        assert_eq!(s.min_verification_interval, Some(60));
        assert_eq!(
            StreamConfig::parse(
                r#"{"stream_id":"x","iss":"https://tr.example.com","aud":"https://other","events_delivered":[],"delivery":{"method":"urn:ietf:rfc:8936"}}"#,
                "https://tr.example.com",
                "https://rp.example",
                &l
            ),
            Err(Error::ClaimMismatch("aud"))
        );
    }

    #[test]
    fn push_and_poll_shapes() {
        assert_eq!(push_response(&Ok(())), (202, None));
        let (status, body) = push_response(&Err(Error::ClaimMismatch("iss")));
        assert_eq!(status, 400);
        assert_eq!(
            body.unwrap(),
            r#"{"description":"claim `iss` does not match the expected value","err":"invalid_issuer"}"#
        );
        assert_eq!(
            poll_request(
                10,
                true,
                &["a".into()],
                &[("b".into(), Error::InvalidSignature)]
            ),
            r#"{"ack":["a"],"maxEvents":10,"returnImmediately":true,"setErrs":{"b":{"description":"signature is invalid","err":"invalid_key"}}}"#
        );
        let r = parse_poll_response(
            r#"{"sets":{"j1":"a.b.c"},"moreAvailable":true}"#,
            &Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(r.sets, [("j1".to_owned(), "a.b.c".to_owned())]);
        assert!(r.more_available);
        assert_eq!(
            parse_poll_response(r#"{"sets":{"j1":1}}"#, &Limits::DEFAULT),
            Err(Error::ClaimInvalid("sets"))
        );
        assert_eq!(
            create_stream_request(&["urn:x".into()], None, None, Some("agents")),
            r#"{"delivery":{"method":"urn:ietf:rfc:8936"},"description":"agents","events_requested":["urn:x"]}"#
        );
    }
}
