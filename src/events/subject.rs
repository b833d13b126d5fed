//! Subject Identifiers (RFC 9493, plus the formats the Shared Signals Framework registers) and
//! how an event's subject is related to a credential the verifier sees.
//!
//! Parsing is strict where the RFC is: every member of a known format is required, is a
//! non-empty string, and no other member is allowed (`claim-invalid` naming `sub_id`). Unknown
//! formats are kept as [`SubjectId::Other`] (receivers must cope with them); they never match a
//! credential.
//!
//! ## Matching a credential
//!
//! A credential is described by [`CredentialFacts`] (its issuer, subject, `jti`, `client_id`,
//! session id, email, phone number, tenant and the subjects of its delegation chain). A simple
//! subject matches when it names the credential's principal:
//!
//! | format | matches |
//! |---|---|
//! | `iss_sub` | `iss` and `sub` of the credential, or of an actor in its `act` chain |
//! | `uri`, `did`, `account` | the credential's `sub`, its `client_id`, or an actor's `sub` |
//! | `opaque` | the credential's `sub` or `client_id` |
//! | `email` | the `email` claim (ASCII case-insensitive) |
//! | `phone_number` | the `phone_number` claim |
//! | `jwt_id` | this very token (`iss` and `jti`) |
//! | `aliases` | any of its identifiers |
//! | `saml_assertion_id`, `ip-addresses`, unknown formats | nothing |
//!
//! A **complex** subject (`user`, `session`, `application`, `tenant`, `device`, `org_unit`,
//! `group`, …) matches when no member contradicts the credential and at least one member
//! positively matches it. `user` is matched as a simple subject; `session` against the
//! credential's `sid` (or `jti` for `jwt_id`); `application` against `client_id`; `tenant`
//! against `tenant`/`tid`. A member the credential carries no information about (a `device`, or
//! a `session` when the token has no `sid`) neither contradicts nor matches: so a
//! session-revoked event for `{user, session}` revokes every token of that user that cannot
//! show it belongs to another session (fail closed), and an event naming only a device matches
//! nothing (it cannot be related to a credential).

use serde_json::Value;

use crate::encoding::json::Object;
use crate::error::Error;

/// An RFC 9493 Subject Identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectId {
    /// `account`: an `acct:` URI.
    Account(String),
    /// `email`.
    Email(String),
    /// `iss_sub`.
    IssSub {
        /// Issuer.
        iss: String,
        /// Subject.
        sub: String,
    },
    /// `opaque`.
    Opaque(String),
    /// `phone_number` (E.164).
    PhoneNumber(String),
    /// `did`: a DID URL.
    Did(String),
    /// `uri`: an absolute URI (a SPIFFE ID, for example).
    Uri(String),
    /// `aliases`: identifiers of one subject.
    Aliases(Vec<SubjectId>),
    /// `jwt_id`: one JWT.
    JwtId {
        /// Its issuer.
        iss: String,
        /// Its `jti`.
        jti: String,
    },
    /// `saml_assertion_id`.
    SamlAssertionId {
        /// The assertion's issuer.
        issuer: String,
        /// Its id.
        assertion_id: String,
    },
    /// `ip-addresses`.
    IpAddresses(Vec<String>),
    /// `complex`: named members describing one principal, in document order.
    Complex(Vec<(String, SubjectId)>),
    /// A format this library does not know (kept whole, never matched).
    Other {
        /// The `format` value.
        format: String,
        /// Its other members, as received.
        members: Object,
    },
}

fn invalid() -> Error {
    Error::ClaimInvalid("sub_id")
}

fn text(o: &Object, name: &str) -> Result<String, Error> {
    match o.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(invalid()),
    }
}

/// Exactly `names` besides `format`.
fn only(o: &Object, names: &[&str]) -> Result<(), Error> {
    if o.len() == names.len().saturating_add(1)
        && o.keys()
            .all(|k| k == "format" || names.contains(&k.as_str()))
    {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// Where an identifier sits: at the top, inside `aliases`, or as a member of `complex`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nesting {
    Top,
    Alias,
    Member,
}

impl SubjectId {
    /// Parses a Subject Identifier object.
    ///
    /// # Errors
    /// `claim-invalid` (`sub_id`) when it is not an object with a string `format`, or a known
    /// format lacks a member, has an empty or non-string member, or has extra members;
    /// `aliases` inside `aliases` and `complex` inside `complex` are refused.
    pub fn parse(v: &Value) -> Result<Self, Error> {
        Self::parse_at(v, Nesting::Top)
    }

    fn parse_at(v: &Value, at: Nesting) -> Result<Self, Error> {
        let o = v.as_object().ok_or_else(invalid)?;
        let format = match o.get("format") {
            Some(Value::String(f)) if !f.is_empty() => f.as_str(),
            _ => return Err(invalid()),
        };
        let one = |name: &str| -> Result<String, Error> {
            only(o, &[name])?;
            text(o, name)
        };
        Ok(match format {
            "account" => {
                let uri = one("uri")?;
                if !uri.starts_with("acct:") {
                    return Err(invalid());
                }
                Self::Account(uri)
            }
            "email" => Self::Email(one("email")?),
            "iss_sub" => {
                only(o, &["iss", "sub"])?;
                Self::IssSub {
                    iss: text(o, "iss")?,
                    sub: text(o, "sub")?,
                }
            }
            "opaque" => Self::Opaque(one("id")?),
            "phone_number" => {
                let n = one("phone_number")?;
                if !n.starts_with('+') {
                    return Err(invalid());
                }
                Self::PhoneNumber(n)
            }
            "did" => Self::Did(one("url")?),
            "uri" => {
                let uri = one("uri")?;
                if !uri.contains(':') {
                    return Err(invalid());
                }
                Self::Uri(uri)
            }
            "jwt_id" => {
                only(o, &["iss", "jti"])?;
                Self::JwtId {
                    iss: text(o, "iss")?,
                    jti: text(o, "jti")?,
                }
            }
            "saml_assertion_id" => {
                only(o, &["issuer", "assertion_id"])?;
                Self::SamlAssertionId {
                    issuer: text(o, "issuer")?,
                    assertion_id: text(o, "assertion_id")?,
                }
            }
            "ip-addresses" => {
                only(o, &["ip-addresses"])?;
                match o.get("ip-addresses") {
                    Some(Value::Array(items)) if !items.is_empty() => Self::IpAddresses(
                        items
                            .iter()
                            .map(|i| match i {
                                Value::String(s) if !s.is_empty() => Ok(s.clone()),
                                _ => Err(invalid()),
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                    _ => return Err(invalid()),
                }
            }
            "aliases" => {
                if at == Nesting::Alias {
                    return Err(invalid());
                }
                only(o, &["identifiers"])?;
                match o.get("identifiers") {
                    Some(Value::Array(items)) if !items.is_empty() => Self::Aliases(
                        items
                            .iter()
                            .map(|i| Self::parse_at(i, Nesting::Alias))
                            .collect::<Result<_, _>>()?,
                    ),
                    _ => return Err(invalid()),
                }
            }
            "complex" => {
                if at != Nesting::Top {
                    return Err(invalid());
                }
                let members = o
                    .iter()
                    .filter(|(k, _)| k.as_str() != "format")
                    .map(|(k, v)| Ok((k.clone(), Self::parse_at(v, Nesting::Member)?)))
                    .collect::<Result<Vec<_>, Error>>()?;
                if members.is_empty() {
                    return Err(invalid());
                }
                Self::Complex(members)
            }
            other => Self::Other {
                format: other.to_owned(),
                members: o
                    .iter()
                    .filter(|(k, _)| k.as_str() != "format")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            },
        })
    }

    /// The `format` name.
    pub fn format(&self) -> &str {
        match self {
            Self::Account(_) => "account",
            Self::Email(_) => "email",
            Self::IssSub { .. } => "iss_sub",
            Self::Opaque(_) => "opaque",
            Self::PhoneNumber(_) => "phone_number",
            Self::Did(_) => "did",
            Self::Uri(_) => "uri",
            Self::Aliases(_) => "aliases",
            Self::JwtId { .. } => "jwt_id",
            Self::SamlAssertionId { .. } => "saml_assertion_id",
            Self::IpAddresses(_) => "ip-addresses",
            Self::Complex(_) => "complex",
            Self::Other { format, .. } => format,
        }
    }

    /// The identifier as a JSON object (the RFC 9493 form).
    pub fn to_json(&self) -> Value {
        let mut o = Object::new();
        o.insert("format".into(), Value::String(self.format().to_owned()));
        let mut put = |k: &str, v: &str| {
            o.insert(k.into(), Value::String(v.to_owned()));
        };
        match self {
            Self::Account(u) | Self::Uri(u) => put("uri", u),
            Self::Email(e) => put("email", e),
            Self::IssSub { iss, sub } => {
                put("iss", iss);
                put("sub", sub);
            }
            Self::Opaque(id) => put("id", id),
            Self::PhoneNumber(n) => put("phone_number", n),
            Self::Did(u) => put("url", u),
            Self::JwtId { iss, jti } => {
                put("iss", iss);
                put("jti", jti);
            }
            Self::SamlAssertionId {
                issuer,
                assertion_id,
            } => {
                put("issuer", issuer);
                put("assertion_id", assertion_id);
            }
            Self::IpAddresses(a) => {
                o.insert(
                    "ip-addresses".into(),
                    Value::Array(a.iter().cloned().map(Value::String).collect()),
                );
            }
            Self::Aliases(ids) => {
                o.insert(
                    "identifiers".into(),
                    Value::Array(ids.iter().map(Self::to_json).collect()),
                );
            }
            Self::Complex(members) => {
                for (k, v) in members {
                    o.insert(k.clone(), v.to_json());
                }
            }
            Self::Other { members, .. } => {
                for (k, v) in members {
                    o.insert(k.clone(), v.clone());
                }
            }
        }
        Value::Object(o)
    }

    /// Whether this subject identifies the credential described by `c` (see the module
    /// documentation).
    pub fn matches(&self, c: &CredentialFacts) -> bool {
        match self {
            Self::Complex(members) => {
                let mut positive = false;
                for (name, id) in members {
                    match member_match(name, id, c) {
                        Some(false) => return false,
                        Some(true) => positive = true,
                        None => {}
                    }
                }
                positive
            }
            other => other.names_principal(c),
        }
    }

    /// A simple subject naming the credential's principal (or one of its actors).
    fn names_principal(&self, c: &CredentialFacts) -> bool {
        let is = |a: &Option<String>, b: &str| a.as_deref() == Some(b);
        match self {
            Self::IssSub { iss, sub } => {
                (is(&c.issuer, iss) && is(&c.subject, sub))
                    || c.actors
                        .iter()
                        .any(|(s, i)| s == sub && i.as_deref() == Some(iss.as_str()))
            }
            Self::Uri(u) | Self::Did(u) | Self::Account(u) => {
                is(&c.subject, u) || is(&c.client_id, u) || c.actors.iter().any(|(s, _)| s == u)
            }
            Self::Opaque(id) => is(&c.subject, id) || is(&c.client_id, id),
            Self::Email(e) => c.email.as_ref().is_some_and(|m| m.eq_ignore_ascii_case(e)),
            Self::PhoneNumber(n) => is(&c.phone_number, n),
            Self::JwtId { iss, jti } => is(&c.issuer, iss) && is(&c.jti, jti),
            Self::Aliases(ids) => ids.iter().any(|i| i.names_principal(c)),
            Self::Complex(_)
            | Self::SamlAssertionId { .. }
            | Self::IpAddresses(_)
            | Self::Other { .. } => false,
        }
    }
}

/// One complex member: `Some(true)` matches, `Some(false)` contradicts, `None` unknown.
fn member_match(name: &str, id: &SubjectId, c: &CredentialFacts) -> Option<bool> {
    let value_of = |id: &SubjectId| -> Option<String> {
        match id {
            SubjectId::Opaque(v) | SubjectId::Uri(v) | SubjectId::Did(v) => Some(v.clone()),
            _ => None,
        }
    };
    match name {
        "user" => Some(id.names_principal(c)),
        "session" => match id {
            SubjectId::JwtId { .. } => Some(id.names_principal(c)),
            _ => {
                let sid = c.session.as_deref()?;
                value_of(id).map(|v| v == sid)
            }
        },
        "application" => {
            let client = c.client_id.as_deref()?;
            value_of(id).map(|v| v == client)
        }
        "tenant" => {
            let tenant = c.tenant.as_deref()?;
            value_of(id).map(|v| v == tenant)
        }
        _ => None,
    }
}

/// What the verifier knows about one credential, for matching event subjects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialFacts {
    /// `iss`.
    pub issuer: Option<String>,
    /// `sub` (for a WIT or mTLS peer, the workload identifier).
    pub subject: Option<String>,
    /// `jti`.
    pub jti: Option<String>,
    /// `iat`, when known (an mTLS peer has none).
    pub issued_at: Option<u64>,
    /// `client_id`.
    pub client_id: Option<String>,
    /// `sid`: the session the token belongs to.
    pub session: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `phone_number`.
    pub phone_number: Option<String>,
    /// `tenant` or `tid`.
    pub tenant: Option<String>,
    /// The `act` chain, current actor first: `(sub, iss)`.
    pub actors: Vec<(String, Option<String>)>,
}

impl CredentialFacts {
    /// Facts from a JWT's claims (string members only; anything else is ignored).
    pub fn from_claims(claims: &Object) -> Self {
        let s = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        let mut actors = Vec::new();
        let mut act = claims.get("act");
        // The chain is bounded by the JSON depth limit the token was parsed under.
        while let Some(Value::Object(a)) = act {
            if let Some(sub) = a.get("sub").and_then(Value::as_str) {
                actors.push((
                    sub.to_owned(),
                    a.get("iss").and_then(Value::as_str).map(str::to_owned),
                ));
            }
            act = a.get("act");
        }
        Self {
            issuer: s("iss"),
            subject: s("sub"),
            jti: s("jti"),
            issued_at: claims.get("iat").and_then(Value::as_u64),
            client_id: s("client_id"),
            session: s("sid"),
            email: s("email"),
            phone_number: s("phone_number"),
            tenant: s("tenant").or_else(|| s("tid")),
            actors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts() -> CredentialFacts {
        CredentialFacts::from_claims(
            json!({"iss": "https://as.example", "sub": "jane", "jti": "t1", "iat": 100,
                   "client_id": "spiffe://example.org/agent", "sid": "s1", "email": "Jane@Example.com",
                   "act": {"sub": "spiffe://example.org/planner", "iss": "https://as.example"}})
            .as_object()
            .unwrap(),
        )
    }

    fn id(v: Value) -> SubjectId {
        SubjectId::parse(&v).unwrap()
    }

    #[test]
    fn parses_strictly_and_round_trips() {
        for v in [
            json!({"format":"account","uri":"acct:example.user@service.example.com"}),
            json!({"format":"email","email":"user@example.com"}),
            json!({"format":"iss_sub","iss":"http://issuer.example.com/","sub":"145234573"}),
            json!({"format":"opaque","id":"11112222333344445555"}),
            json!({"format":"phone_number","phone_number":"+12065550100"}),
            json!({"format":"did","url":"did:example:123456"}),
            json!({"format":"uri","uri":"urn:oasis:names:tc:saml:2.0:nameid-format:transient"}),
            json!({"format":"aliases","identifiers":[{"format":"email","email":"user@example.com"},{"format":"phone_number","phone_number":"+12065550100"}]}),
            json!({"format":"jwt_id","iss":"https://as.example","jti":"t1"}),
            json!({"format":"saml_assertion_id","issuer":"https://idp","assertion_id":"a"}),
            json!({"format":"ip-addresses","ip-addresses":["10.0.0.1"]}),
            json!({"format":"complex","user":{"format":"email","email":"u@example.com"},"device":{"format":"opaque","id":"d1"}}),
        ] {
            assert_eq!(id(v.clone()).to_json(), v);
        }
        assert_eq!(
            id(json!({"format":"catalog_item","catalog_id":"c0384"})).format(),
            "catalog_item"
        );
        for bad in [
            json!("x"),
            json!({}),
            json!({"format": 1}),
            json!({"format":"email"}),
            json!({"format":"email","email":""}),
            json!({"format":"email","email":"a@b","extra":"x"}),
            json!({"format":"iss_sub","iss":"x"}),
            json!({"format":"phone_number","phone_number":"12065550100"}),
            json!({"format":"account","uri":"mailto:a@b"}),
            json!({"format":"aliases","identifiers":[]}),
            json!({"format":"aliases","identifiers":[{"format":"aliases","identifiers":[{"format":"opaque","id":"x"}]}]}),
            json!({"format":"complex"}),
            json!({"format":"complex","user":{"format":"complex","user":{"format":"opaque","id":"x"}}}),
            json!({"format":"ip-addresses","ip-addresses":[1]}),
        ] {
            assert_eq!(
                SubjectId::parse(&bad),
                Err(Error::ClaimInvalid("sub_id")),
                "{bad}"
            );
        }
    }

    #[test]
    fn simple_subjects_name_the_principal_or_an_actor() {
        let c = facts();
        assert!(
            id(json!({"format":"iss_sub","iss":"https://as.example","sub":"jane"})).matches(&c)
        );
        assert!(!id(json!({"format":"iss_sub","iss":"https://other","sub":"jane"})).matches(&c));
        assert!(
            id(json!({"format":"iss_sub","iss":"https://as.example","sub":"spiffe://example.org/planner"}))
                .matches(&c)
        );
        assert!(id(json!({"format":"uri","uri":"spiffe://example.org/planner"})).matches(&c));
        assert!(id(json!({"format":"uri","uri":"spiffe://example.org/agent"})).matches(&c));
        assert!(!id(json!({"format":"uri","uri":"spiffe://example.org/other"})).matches(&c));
        assert!(id(json!({"format":"email","email":"jane@example.com"})).matches(&c));
        assert!(id(json!({"format":"opaque","id":"jane"})).matches(&c));
        assert!(id(json!({"format":"jwt_id","iss":"https://as.example","jti":"t1"})).matches(&c));
        assert!(!id(json!({"format":"jwt_id","iss":"https://as.example","jti":"t2"})).matches(&c));
        assert!(
            id(json!({"format":"aliases","identifiers":[{"format":"opaque","id":"x"},{"format":"email","email":"JANE@example.com"}]}))
                .matches(&c)
        );
        assert!(!id(json!({"format":"ip-addresses","ip-addresses":["10.0.0.1"]})).matches(&c));
        assert!(!id(json!({"format":"catalog_item","catalog_id":"x"})).matches(&c));
    }

    #[test]
    fn complex_subjects_need_a_positive_member_and_no_contradiction() {
        let c = facts();
        let user = json!({"format":"opaque","id":"jane"});
        let m = |v: Value| id(v).matches(&c);
        assert!(m(
            json!({"format":"complex","user":user,"session":{"format":"opaque","id":"s1"}})
        ));
        assert!(!m(
            json!({"format":"complex","user":user,"session":{"format":"opaque","id":"s2"}})
        ));
        assert!(m(
            json!({"format":"complex","user":user,"device":{"format":"opaque","id":"d"}})
        ));
        assert!(
            !m(json!({"format":"complex","device":{"format":"opaque","id":"d"}})),
            "a device alone cannot be related to a credential"
        );
        assert!(!m(
            json!({"format":"complex","user":user,"application":{"format":"opaque","id":"other"}})
        ));
        let mut no_sid = c.clone();
        no_sid.session = None;
        assert!(
            id(json!({"format":"complex","user":user,"session":{"format":"opaque","id":"s2"}}))
                .matches(&no_sid),
            "a token that cannot show its session is covered (fail closed)"
        );
    }
}
