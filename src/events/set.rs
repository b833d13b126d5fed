//! Security Event Tokens (RFC 8417) under the Shared Signals Framework profile, and the events
//! they carry (CAEP 1.0, the SSF verification and stream-updated events).
//!
//! [`verify_set`] checks, in order: compact JWS syntax; `typ` is `secevent+jwt` (with or
//! without `application/`, any case; `typ-mismatch`); the unverified `iss` is the configured
//! transmitter (`claim-mismatch` `iss`) and only its algorithms and keys are used; the
//! signature; `iat` present and not in the future beyond the leeway; `aud` contains this
//! receiver (`claim-missing`/`claim-mismatch` `aud`); `sub` and `exp` absent (SSF forbids both;
//! `claim-invalid`); `jti` a non-empty string; `events` a non-empty object whose members are
//! objects; the subject (`sub_id`, or the legacy `events.<uri>.subject`) a valid Subject
//! Identifier carrying no member the receiver lists as critical and cannot process; each known
//! event's required fields with their registered values (`claim-invalid` `events`).
//! De-duplication by `jti` is the receiver's (see [`crate::gate::Verifier::apply_event`]).
//!
//! A SET is never an access token: it has no `exp`, and the access-token verifier requires
//! `typ: at+jwt`.

use serde_json::Value;

use super::subject::SubjectId;
use crate::crypto::{AlgorithmSet, JwkSet, KeyPair, sha256};
use crate::encoding::base64url;
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::jose::{self, JwtValidation};
use crate::limits::Limits;
use crate::time::{Leeway, UnixTime};

/// The explicit type of a SET.
pub const SET_TYP: &str = "secevent+jwt";
/// The CAEP event-type URI prefix.
pub const CAEP: &str = "https://schemas.openid.net/secevent/caep/event-type/";
/// The SSF event-type URI prefix.
pub const SSF: &str = "https://schemas.openid.net/secevent/ssf/event-type/";

/// How a receiver checks SETs from one transmitter.
#[derive(Debug, Clone)]
pub struct SetValidation {
    /// The transmitter's issuer (`iss`, exact).
    pub issuer: String,
    /// Its keys.
    pub keys: JwkSet,
    /// Accepted algorithms (asymmetric only; CAEP interop uses RS256).
    pub algorithms: AlgorithmSet,
    /// This receiver's audience (`aud` must contain it).
    pub audience: String,
    /// Subject members the receiver must understand when present (SSF
    /// `critical_subject_members`); this receiver understands `user`, `session`,
    /// `application` and `tenant`.
    pub critical_subject_members: Vec<String>,
    /// Clock skew for `iat`.
    pub leeway: Leeway,
    /// Counted limits.
    pub limits: Limits,
}

/// A CAEP or SSF event, its required fields checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityEvent {
    /// CAEP session-revoked.
    SessionRevoked,
    /// CAEP token-claims-change: the changed claims and their new values.
    TokenClaimsChange(Object),
    /// CAEP credential-change.
    CredentialChange {
        /// `credential_type`.
        credential_type: String,
        /// `change_type`: `create`, `revoke`, `update` or `delete`.
        change_type: String,
    },
    /// CAEP assurance-level-change.
    AssuranceLevelChange {
        /// `namespace`.
        namespace: String,
        /// `current_level`.
        current_level: String,
        /// `change_direction` (`increase`/`decrease`), when given.
        change_direction: Option<String>,
    },
    /// CAEP device-compliance-change: `current_status` is `compliant` or `not-compliant`.
    DeviceComplianceChange {
        /// `current_status`.
        current_status: String,
    },
    /// CAEP risk-level-change.
    RiskLevelChange {
        /// `principal`.
        principal: String,
        /// `current_level`: `LOW`, `MEDIUM` or `HIGH`.
        current_level: String,
    },
    /// CAEP session-established.
    SessionEstablished,
    /// CAEP session-presented.
    SessionPresented,
    /// SSF verification, with the echoed `state`.
    Verification(Option<String>),
    /// SSF stream-updated, with the new `status`.
    StreamUpdated(String),
    /// Any other event type (kept, not applied).
    Other,
}

impl SecurityEvent {
    /// The short name: the URI's last segment for CAEP and SSF events, else the whole URI.
    pub fn name(uri: &str) -> &str {
        uri.strip_prefix(CAEP)
            .or_else(|| uri.strip_prefix(SSF))
            .unwrap_or(uri)
    }
}

/// One event of a SET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventEntry {
    /// The event-type URI.
    pub uri: String,
    /// The parsed event.
    pub event: SecurityEvent,
    /// `event_timestamp`, when given (seconds).
    pub event_timestamp: Option<u64>,
    /// The payload as received.
    pub payload: Object,
}

/// A verified SET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSet {
    /// `iss`.
    pub issuer: String,
    /// `jti`.
    pub jti: String,
    /// `iat`.
    pub issued_at: u64,
    /// `toe`, when given.
    pub time_of_event: Option<u64>,
    /// `txn`, when given.
    pub txn: Option<String>,
    /// The subject (`sub_id`, or a legacy event `subject`).
    pub subject: SubjectId,
    /// The events (one, or aliases of one).
    pub events: Vec<EventEntry>,
    /// base64url SHA-256 of the SET (for records; never the SET itself).
    pub token_hash: String,
    /// RFC 7638 thumbprint of the key that signed it.
    pub key_thumbprint: String,
}

impl VerifiedSet {
    /// When the event happened, for deciding which credentials predate it: the first
    /// `event_timestamp`, else `toe`, else `iat`, and never later than `iat` (a SET does not
    /// describe the future).
    pub fn effective_time(&self) -> u64 {
        self.events
            .iter()
            .find_map(|e| e.event_timestamp)
            .or(self.time_of_event)
            .unwrap_or(self.issued_at)
            .min(self.issued_at)
    }
}

fn bad_event() -> Error {
    Error::ClaimInvalid("events")
}

fn field<'o>(o: &'o Object, name: &str) -> Result<&'o str, Error> {
    match o.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(bad_event()),
    }
}

fn optional<'o>(o: &'o Object, name: &str) -> Result<Option<&'o str>, Error> {
    match o.get(name) {
        None => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        _ => Err(bad_event()),
    }
}

fn one_of(value: &str, allowed: &[&str]) -> Result<(), Error> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(bad_event())
    }
}

/// Parses one event payload under its type URI (CAEP 1.0 §3, SSF §8.1.4).
///
/// # Errors
/// `claim-invalid` (`events`) for a missing required field or an unregistered value.
pub fn parse_event(uri: &str, payload: &Object) -> Result<EventEntry, Error> {
    let event_timestamp = match payload.get("event_timestamp") {
        None => None,
        Some(v) => Some(v.as_u64().ok_or_else(bad_event)?),
    };
    if let Some(e) = optional(payload, "initiating_entity")? {
        one_of(e, &["admin", "user", "policy", "system"])?;
    }
    for reason in ["reason_admin", "reason_user"] {
        match payload.get(reason) {
            None => {}
            Some(Value::Object(m)) if !m.is_empty() && m.values().all(Value::is_string) => {}
            Some(_) => return Err(bad_event()),
        }
    }
    let event = match uri.strip_prefix(CAEP) {
        Some("session-revoked") => SecurityEvent::SessionRevoked,
        Some("token-claims-change") => match payload.get("claims") {
            Some(Value::Object(c)) if !c.is_empty() => SecurityEvent::TokenClaimsChange(c.clone()),
            _ => return Err(bad_event()),
        },
        Some("credential-change") => {
            let change_type = field(payload, "change_type")?;
            one_of(change_type, &["create", "revoke", "update", "delete"])?;
            SecurityEvent::CredentialChange {
                credential_type: field(payload, "credential_type")?.to_owned(),
                change_type: change_type.to_owned(),
            }
        }
        Some("assurance-level-change") => {
            let change_direction = optional(payload, "change_direction")?;
            if let Some(d) = change_direction {
                one_of(d, &["increase", "decrease"])?;
            }
            optional(payload, "previous_level")?;
            SecurityEvent::AssuranceLevelChange {
                namespace: field(payload, "namespace")?.to_owned(),
                current_level: field(payload, "current_level")?.to_owned(),
                change_direction: change_direction.map(str::to_owned),
            }
        }
        Some("device-compliance-change") => {
            let statuses = ["compliant", "not-compliant"];
            one_of(field(payload, "previous_status")?, &statuses)?;
            let current = field(payload, "current_status")?;
            one_of(current, &statuses)?;
            SecurityEvent::DeviceComplianceChange {
                current_status: current.to_owned(),
            }
        }
        Some("risk-level-change") => {
            let levels = ["LOW", "MEDIUM", "HIGH"];
            let current = field(payload, "current_level")?;
            one_of(current, &levels)?;
            if let Some(p) = optional(payload, "previous_level")? {
                one_of(p, &levels)?;
            }
            SecurityEvent::RiskLevelChange {
                principal: field(payload, "principal")?.to_owned(),
                current_level: current.to_owned(),
            }
        }
        Some("session-established") => SecurityEvent::SessionEstablished,
        Some("session-presented") => SecurityEvent::SessionPresented,
        _ => match uri.strip_prefix(SSF) {
            Some("verification") => {
                SecurityEvent::Verification(optional(payload, "state")?.map(str::to_owned))
            }
            Some("stream-updated") => {
                let status = field(payload, "status")?;
                one_of(status, &["enabled", "paused", "disabled"])?;
                SecurityEvent::StreamUpdated(status.to_owned())
            }
            _ => SecurityEvent::Other,
        },
    };
    Ok(EventEntry {
        uri: uri.to_owned(),
        event,
        event_timestamp,
        payload: payload.clone(),
    })
}

/// The subject members this receiver can relate to a credential.
const UNDERSTOOD_MEMBERS: [&str; 4] = ["user", "session", "application", "tenant"];

/// Verifies a SET from the transmitter `validation` describes (see the module documentation).
///
/// # Errors
/// The JWS codes; `typ-mismatch`; `claim-mismatch` (`iss`, `aud`); `claim-missing` (`iat`,
/// `jti`, `aud`, `events`, `sub_id`); `claim-invalid` (`sub`, `exp`, `events`, `sub_id`);
/// `token-issued-in-future`.
pub fn verify_set(
    token: &str,
    validation: &SetValidation,
    now: UnixTime,
) -> Result<VerifiedSet, Error> {
    let limits = &validation.limits;
    let jws = jose::parse_jws(token, limits)?;
    if !jws
        .header()
        .typ()
        .is_some_and(|t| jose::typ_matches(t, SET_TYP))
    {
        return Err(Error::TypMismatch);
    }
    let unverified = json::parse_object(jws.unverified_payload(), limits)?;
    if unverified.get("iss").and_then(Value::as_str) != Some(validation.issuer.as_str()) {
        return Err(Error::ClaimMismatch("iss"));
    }
    let algorithms: AlgorithmSet = validation
        .algorithms
        .iter()
        .filter(|a| AlgorithmSet::ASYMMETRIC.contains(*a))
        .collect();
    let verified = jws.verify(&validation.keys, algorithms, limits)?;
    let key_thumbprint = verified.key().thumbprint();
    let claims = json::parse_object(verified.payload(), limits)?;
    let mut rules = JwtValidation::new(algorithms, Some(SET_TYP))
        .with_issuer(validation.issuer.clone())
        .with_audience(validation.audience.clone())
        .with_required(["iat", "jti", "aud"])
        .with_leeway(validation.leeway);
    rules.require_exp = false;
    rules.limits = *limits;
    jose::check_claims(&claims, &rules, now)?;
    for forbidden in ["sub", "exp"] {
        if claims.contains_key(forbidden) {
            return Err(Error::ClaimInvalid(if forbidden == "sub" {
                "sub"
            } else {
                "exp"
            }));
        }
    }
    let issued_at = claims
        .get("iat")
        .and_then(Value::as_u64)
        .ok_or(Error::ClaimInvalid("iat"))?;
    let jti = match claims.get("jti") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(Error::ClaimInvalid("jti")),
    };
    let time_of_event = match claims.get("toe") {
        None => None,
        Some(v) => Some(v.as_u64().ok_or(Error::ClaimInvalid("toe"))?),
    };
    let txn = match claims.get("txn") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::ClaimInvalid("txn")),
    };
    let events = match claims.get("events") {
        None => return Err(Error::ClaimMissing("events")),
        Some(Value::Object(e)) if !e.is_empty() => e,
        Some(_) => return Err(bad_event()),
    };
    let mut entries = Vec::new();
    let mut legacy_subject = None;
    for (uri, payload) in events {
        let payload = payload.as_object().ok_or_else(bad_event)?;
        if legacy_subject.is_none() {
            legacy_subject = payload.get("subject");
        }
        entries.push(parse_event(uri, payload)?);
    }
    let subject = match (claims.get("sub_id"), legacy_subject) {
        (Some(s), _) | (None, Some(s)) => SubjectId::parse(s)?,
        (None, None) => return Err(Error::ClaimMissing("sub_id")),
    };
    if let SubjectId::Complex(members) = &subject
        && members.iter().any(|(name, _)| {
            validation.critical_subject_members.contains(name)
                && !UNDERSTOOD_MEMBERS.contains(&name.as_str())
        })
    {
        return Err(Error::ClaimInvalid("sub_id"));
    }
    Ok(VerifiedSet {
        issuer: validation.issuer.clone(),
        jti,
        issued_at,
        time_of_event,
        txn,
        subject,
        events: entries,
        token_hash: base64url::encode(&sha256(token.as_bytes())),
        key_thumbprint,
    })
}

/// Issues a SET (for transmitters and tests): `claims` must hold `iss`, `iat`, `jti`, `aud`,
/// `sub_id` and a non-empty `events` whose known events are well-formed, and no `sub` or `exp`
/// (the SSF profile); the header gets `typ: secevent+jwt` and the key's `kid`.
///
/// # Errors
/// `claim-missing`/`claim-invalid` naming what the claims lack; signing errors.
pub fn issue_set(claims: &Object, key: &KeyPair) -> Result<String, Error> {
    for required in ["iss", "iat", "jti", "aud", "sub_id", "events"] {
        if !claims.contains_key(required) {
            return Err(Error::ClaimMissing(match required {
                "iss" => "iss",
                "iat" => "iat",
                "jti" => "jti",
                "aud" => "aud",
                "sub_id" => "sub_id",
                _ => "events",
            }));
        }
    }
    if claims.contains_key("sub") {
        return Err(Error::ClaimInvalid("sub"));
    }
    if claims.contains_key("exp") {
        return Err(Error::ClaimInvalid("exp"));
    }
    if claims.get("iat").and_then(Value::as_u64).is_none() {
        return Err(Error::ClaimInvalid("iat"));
    }
    if claims
        .get("jti")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(Error::ClaimInvalid("jti"));
    }
    SubjectId::parse(claims.get("sub_id").unwrap_or(&Value::Null))?;
    match claims.get("events") {
        Some(Value::Object(e)) if !e.is_empty() => {
            for (uri, payload) in e {
                parse_event(uri, payload.as_object().ok_or_else(bad_event)?)?;
            }
        }
        _ => return Err(bad_event()),
    }
    let mut header = Object::new();
    header.insert("typ".into(), Value::String(SET_TYP.to_owned()));
    jose::sign_jws(
        &header,
        json::to_compact(&Value::Object(claims.clone())).as_bytes(),
        key,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Algorithm;
    use serde_json::json;

    fn key() -> KeyPair {
        KeyPair::from_seed(Algorithm::Es256, &[7; 32])
            .unwrap()
            .with_kid("ssf-1")
    }

    fn validation() -> SetValidation {
        SetValidation {
            issuer: "https://ssf.example.com".into(),
            keys: JwkSet::from_keys(vec![key().public_jwk().clone()]),
            algorithms: AlgorithmSet::ASYMMETRIC,
            audience: "https://tools.example.com".into(),
            critical_subject_members: vec!["device".into()],
            leeway: Leeway(60),
            limits: Limits::DEFAULT,
        }
    }

    fn claims(extra: Value) -> Object {
        let mut c = json!({
            "iss": "https://ssf.example.com", "iat": 1000, "jti": "e1", "aud": "https://tools.example.com",
            "sub_id": {"format": "iss_sub", "iss": "https://as.example", "sub": "jane"},
            "events": {format!("{CAEP}session-revoked"): {"event_timestamp": 990}}
        });
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c.as_object().unwrap().clone()
    }

    fn sign(c: &Object) -> String {
        let mut header = Object::new();
        header.insert("typ".into(), "secevent+jwt".into());
        jose::sign_jws(
            &header,
            json::to_compact(&Value::Object(c.clone())).as_bytes(),
            &key(),
        )
        .unwrap()
    }

    #[test]
    fn verifies_a_caep_set() {
        let set = issue_set(&claims(json!({})), &key()).unwrap();
        let v = verify_set(&set, &validation(), UnixTime(1000)).unwrap();
        assert_eq!(v.jti, "e1");
        assert_eq!(v.events[0].event, SecurityEvent::SessionRevoked);
        assert_eq!(v.effective_time(), 990);
        assert_eq!(SecurityEvent::name(&v.events[0].uri), "session-revoked");
    }

    #[test]
    fn refuses_what_the_profile_forbids() {
        let now = UnixTime(1000);
        let check = |extra: Value| verify_set(&sign(&claims(extra)), &validation(), now);
        assert_eq!(check(json!({"sub": "x"})), Err(Error::ClaimInvalid("sub")));
        assert_eq!(check(json!({"exp": 2000})), Err(Error::ClaimInvalid("exp")));
        assert_eq!(
            check(json!({"aud": "https://other"})),
            Err(Error::ClaimMismatch("aud"))
        );
        assert_eq!(check(json!({"aud": null})), Err(Error::ClaimMissing("aud")));
        assert_eq!(
            check(json!({"iss": "https://evil"})),
            Err(Error::ClaimMismatch("iss"))
        );
        assert_eq!(check(json!({"iat": 5000})), Err(Error::TokenIssuedInFuture));
        assert_eq!(
            check(json!({"events": {}})),
            Err(Error::ClaimInvalid("events"))
        );
        assert_eq!(
            check(json!({"sub_id": null})),
            Err(Error::ClaimMissing("sub_id"))
        );
        assert_eq!(
            check(
                json!({"events": {format!("{CAEP}credential-change"): {"credential_type": "x509", "change_type": "rotate"}}})
            ),
            Err(Error::ClaimInvalid("events"))
        );
        assert_eq!(
            check(
                json!({"sub_id": {"format":"complex","user":{"format":"opaque","id":"u"},"device":{"format":"opaque","id":"d"}}})
            ),
            Err(Error::ClaimInvalid("sub_id")),
            "a critical member this receiver cannot process"
        );
        // Legacy subject inside the event.
        let legacy = check(
            json!({"sub_id": null, "events": {format!("{CAEP}session-revoked"): {"subject": {"format":"opaque","id":"u"}}}}),
        );
        assert_eq!(legacy.unwrap().subject, SubjectId::Opaque("u".into()));
        // An access-token type is not a SET.
        let mut header = Object::new();
        header.insert("typ".into(), "at+jwt".into());
        let at = jose::sign_jws(
            &header,
            json::to_compact(&Value::Object(claims(json!({})))).as_bytes(),
            &key(),
        )
        .unwrap();
        assert_eq!(verify_set(&at, &validation(), now), Err(Error::TypMismatch));
        assert_eq!(
            issue_set(&claims(json!({"exp": 5})), &key()),
            Err(Error::ClaimInvalid("exp"))
        );
    }
}
