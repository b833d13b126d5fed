//! What applied events leave behind in a verifier: bounded rules that expire with the
//! credentials they can refer to.
//!
//! Each applied event becomes a **rule**: a subject, a time (credentials issued at or before it
//! are covered; credentials issued later, in a new session, are not), an effect (revoke, change
//! claims, lower the assurance level) and the event that caused it. A rule is kept for
//! `retention` seconds after its time; a credential issued before the rule that is still valid
//! after that lived longer than `retention`.
//!
//! Memory is bounded without forgetting a revocation: when a rule expires, or when the table is
//! full and its oldest rule must leave, the rule is **folded into a watermark**: every
//! credential that shows an `iat` at or before the watermark is refused, whatever its subject.
//! The cost of a flood of events is therefore that callers re-authenticate, never that a
//! revoked credential is accepted again. Credentials without `iat` (an mTLS peer) are matched
//! by subject only while the rule lives; the host owns certificate lifetimes.

use super::set::{SecurityEvent, VerifiedSet};
use super::subject::{CredentialFacts, SubjectId};
use crate::encoding::json::Object;

/// The event behind a rule, for decision records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRef {
    /// The event type's short name (`session-revoked`, …).
    pub event_type: String,
    /// The SET's `jti`.
    pub jti: String,
    /// The transmitter.
    pub issuer: String,
}

/// What a rule does to the credentials it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// They are refused (`credential-revoked`).
    Revoke,
    /// Their claims are read with these new values (CAEP token-claims-change).
    Claims(Object),
    /// Their `acr` is read as this level (CAEP assurance-level-change, not an increase).
    Acr(String),
}

impl Effect {
    /// The effect of one event, if it has one: session-revoked, credential-change (other than
    /// `create`), device-compliance-change to `not-compliant` and risk-level-change to `HIGH`
    /// revoke; token-claims-change changes claims; assurance-level-change lowers `acr` unless
    /// it is an increase. Other events change nothing.
    pub fn of(event: &SecurityEvent) -> Option<Self> {
        match event {
            SecurityEvent::SessionRevoked => Some(Self::Revoke),
            SecurityEvent::CredentialChange { change_type, .. } if change_type != "create" => {
                Some(Self::Revoke)
            }
            SecurityEvent::DeviceComplianceChange { current_status }
                if current_status == "not-compliant" =>
            {
                Some(Self::Revoke)
            }
            SecurityEvent::RiskLevelChange { current_level, .. } if current_level == "HIGH" => {
                Some(Self::Revoke)
            }
            SecurityEvent::TokenClaimsChange(claims) => Some(Self::Claims(claims.clone())),
            SecurityEvent::AssuranceLevelChange {
                current_level,
                change_direction,
                ..
            } if change_direction.as_deref() != Some("increase") => {
                Some(Self::Acr(current_level.clone()))
            }
            _ => None,
        }
    }

    /// `revoke`, `claims` or `acr`.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Revoke => "revoke",
            Self::Claims(_) => "claims",
            Self::Acr(_) => "acr",
        }
    }
}

#[derive(Debug, Clone)]
struct Rule {
    subject: SubjectId,
    issued_before: u64,
    effect: Effect,
    event: EventRef,
    expires: u64,
}

/// The verdict on one credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Accepted; the claim changes to read it with, in the order the events were applied.
    Accept(Vec<(Effect, EventRef)>),
    /// Refused because of this event.
    Revoked(EventRef),
}

/// The rules of applied events (see the module documentation).
#[derive(Debug, Clone)]
pub struct EventState {
    rules: Vec<Rule>,
    capacity: usize,
    retention: u64,
    watermark: Option<(u64, EventRef)>,
    /// The earliest `expires` among the rules (`u64::MAX` when none): `expire` is called on
    /// every request and returns at once until then.
    earliest: u64,
}

impl EventState {
    /// At most `capacity` rules, each kept `retention` seconds after its time.
    pub const fn new(capacity: usize, retention: u64) -> Self {
        Self {
            rules: Vec::new(),
            capacity,
            retention,
            watermark: None,
            earliest: u64::MAX,
        }
    }

    /// Rules held.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether no rule is held.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The watermark: credentials issued at or before it are refused.
    pub fn watermark(&self) -> Option<u64> {
        self.watermark.as_ref().map(|(t, _)| *t)
    }

    fn fold(&mut self, rule: Rule) {
        if self
            .watermark
            .as_ref()
            .is_none_or(|(t, _)| *t < rule.issued_before)
        {
            self.watermark = Some((rule.issued_before, rule.event));
        }
    }

    /// Folds expired rules into the watermark.
    pub fn expire(&mut self, now: u64) {
        if self.earliest > now {
            return;
        }
        let (expired, live): (Vec<Rule>, Vec<Rule>) =
            self.rules.drain(..).partition(|r| r.expires <= now);
        self.rules = live;
        for r in expired {
            self.fold(r);
        }
        self.earliest = self
            .rules
            .iter()
            .map(|r| r.expires)
            .min()
            .unwrap_or(u64::MAX);
    }

    /// Adds the rules of a verified SET; returns the effects added.
    pub fn apply(&mut self, set: &VerifiedSet, now: u64) -> Vec<Effect> {
        self.expire(now);
        let issued_before = set.effective_time();
        let mut added = Vec::new();
        for entry in &set.events {
            let Some(effect) = Effect::of(&entry.event) else {
                continue;
            };
            let rule = Rule {
                subject: set.subject.clone(),
                issued_before,
                effect: effect.clone(),
                event: EventRef {
                    event_type: SecurityEvent::name(&entry.uri).to_owned(),
                    jti: set.jti.clone(),
                    issuer: set.issuer.clone(),
                },
                expires: issued_before.saturating_add(self.retention),
            };
            if rule.expires <= now {
                self.fold(rule);
            } else {
                while self.rules.len() >= self.capacity.max(1) {
                    let oldest = self
                        .rules
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, r)| r.issued_before)
                        .map(|(i, _)| i);
                    match oldest {
                        Some(i) => {
                            let r = self.rules.swap_remove(i);
                            self.fold(r);
                        }
                        None => break,
                    }
                }
                self.earliest = self
                    .rules
                    .iter()
                    .map(|r| r.expires)
                    .chain([rule.expires])
                    .min()
                    .unwrap_or(u64::MAX);
                self.rules.push(rule);
            }
            added.push(effect);
        }
        added
    }

    /// Whether any rule or the watermark could affect the credential `c` (used to drop
    /// cached verifications).
    pub fn covers(&self, c: &CredentialFacts, now: u64) -> bool {
        !matches!(self.check(c, now), Verdict::Accept(ref v) if v.is_empty())
    }

    /// The verdict on the credential `c` at `now`.
    pub fn check(&self, c: &CredentialFacts, now: u64) -> Verdict {
        let predates = |t: u64| c.issued_at.is_none_or(|iat| iat <= t);
        if let (Some((t, event)), Some(iat)) = (&self.watermark, c.issued_at)
            && iat <= *t
        {
            return Verdict::Revoked(event.clone());
        }
        let mut changes = Vec::new();
        for r in &self.rules {
            if r.expires <= now {
                // Expired but not yet folded: it already acts as a watermark.
                if c.issued_at.is_some_and(|iat| iat <= r.issued_before) {
                    return Verdict::Revoked(r.event.clone());
                }
                continue;
            }
            if !predates(r.issued_before) || !r.subject.matches(c) {
                continue;
            }
            match &r.effect {
                Effect::Revoke => return Verdict::Revoked(r.event.clone()),
                other => changes.push((other.clone(), r.event.clone())),
            }
        }
        Verdict::Accept(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::set::{CAEP, EventEntry};

    fn set(jti: &str, sub: &str, at: u64, event: SecurityEvent, uri: &str) -> VerifiedSet {
        VerifiedSet {
            issuer: "https://ssf".into(),
            jti: jti.into(),
            issued_at: at,
            time_of_event: None,
            txn: None,
            subject: SubjectId::Opaque(sub.into()),
            events: vec![EventEntry {
                uri: format!("{CAEP}{uri}"),
                event,
                event_timestamp: None,
                payload: Object::new(),
            }],
            token_hash: String::new(),
            key_thumbprint: String::new(),
        }
    }

    fn cred(sub: &str, iat: Option<u64>) -> CredentialFacts {
        CredentialFacts {
            subject: Some(sub.into()),
            issued_at: iat,
            ..CredentialFacts::default()
        }
    }

    #[test]
    fn revokes_what_predates_the_event_and_only_that_subject() {
        let mut s = EventState::new(8, 100);
        s.apply(
            &set(
                "e1",
                "jane",
                50,
                SecurityEvent::SessionRevoked,
                "session-revoked",
            ),
            50,
        );
        assert!(
            matches!(s.check(&cred("jane", Some(40)), 60), Verdict::Revoked(ref e) if e.jti == "e1")
        );
        assert!(matches!(
            s.check(&cred("jane", Some(50)), 60),
            Verdict::Revoked(_)
        ));
        assert_eq!(
            s.check(&cred("jane", Some(51)), 60),
            Verdict::Accept(vec![])
        );
        assert_eq!(s.check(&cred("bob", Some(40)), 60), Verdict::Accept(vec![]));
        assert!(matches!(
            s.check(&cred("jane", None), 60),
            Verdict::Revoked(_)
        ));
        // After retention the rule folds: everything issued before 50 is refused, subjects
        // aside; credentials without iat are no longer matched.
        s.expire(150);
        assert!(s.is_empty());
        assert_eq!(s.watermark(), Some(50));
        assert!(matches!(
            s.check(&cred("bob", Some(40)), 150),
            Verdict::Revoked(_)
        ));
        assert_eq!(s.check(&cred("jane", None), 150), Verdict::Accept(vec![]));
    }

    #[test]
    fn a_full_table_folds_its_oldest_rule_instead_of_forgetting_it() {
        let mut s = EventState::new(2, 1000);
        for (i, t) in [10u64, 20, 30].iter().enumerate() {
            s.apply(
                &set(
                    &format!("e{i}"),
                    &format!("u{i}"),
                    *t,
                    SecurityEvent::SessionRevoked,
                    "session-revoked",
                ),
                30,
            );
        }
        assert_eq!(s.len(), 2);
        assert_eq!(s.watermark(), Some(10));
        assert!(matches!(
            s.check(&cred("u0", Some(10)), 30),
            Verdict::Revoked(_)
        ));
        assert!(matches!(
            s.check(&cred("u2", Some(25)), 30),
            Verdict::Revoked(_)
        ));
        assert_eq!(s.check(&cred("u0", Some(11)), 30), Verdict::Accept(vec![]));
        for i in 0..10_000u64 {
            s.apply(
                &set(
                    "f",
                    "x",
                    40 + i,
                    SecurityEvent::SessionRevoked,
                    "session-revoked",
                ),
                40 + i,
            );
            assert!(s.len() <= 2);
        }
    }

    #[test]
    fn claims_and_assurance_changes_are_overlays() {
        let mut s = EventState::new(8, 100);
        let mut claims = Object::new();
        claims.insert("scope".into(), "read".into());
        s.apply(
            &set(
                "c",
                "jane",
                50,
                SecurityEvent::TokenClaimsChange(claims.clone()),
                "token-claims-change",
            ),
            50,
        );
        s.apply(
            &set(
                "a",
                "jane",
                50,
                SecurityEvent::AssuranceLevelChange {
                    namespace: "NIST-AAL".into(),
                    current_level: "aal1".into(),
                    change_direction: Some("decrease".into()),
                },
                "assurance-level-change",
            ),
            50,
        );
        s.apply(
            &set(
                "i",
                "jane",
                50,
                SecurityEvent::AssuranceLevelChange {
                    namespace: "NIST-AAL".into(),
                    current_level: "aal3".into(),
                    change_direction: Some("increase".into()),
                },
                "assurance-level-change",
            ),
            50,
        );
        s.apply(
            &set(
                "n",
                "jane",
                50,
                SecurityEvent::RiskLevelChange {
                    principal: "USER".into(),
                    current_level: "MEDIUM".into(),
                },
                "risk-level-change",
            ),
            50,
        );
        match s.check(&cred("jane", Some(40)), 60) {
            Verdict::Accept(changes) => {
                assert_eq!(changes.len(), 2);
                assert_eq!(changes[0].0, Effect::Claims(claims));
                assert_eq!(changes[1].0, Effect::Acr("aal1".into()));
            }
            v => panic!("{v:?}"),
        }
        s.apply(
            &set(
                "h",
                "jane",
                55,
                SecurityEvent::RiskLevelChange {
                    principal: "USER".into(),
                    current_level: "HIGH".into(),
                },
                "risk-level-change",
            ),
            55,
        );
        assert!(
            matches!(s.check(&cred("jane", Some(40)), 60), Verdict::Revoked(ref e) if e.event_type == "risk-level-change")
        );
    }
}
