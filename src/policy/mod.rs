//! The policy document: one JSON document describing a protected resource — who may call it,
//! with which credentials, on which routes (issue 9; the gate consumes it).
//!
//! ```json
//! {
//!   "resource": "https://tools.example.com/mcp",
//!   "authorities": ["https://tools.example.com"],
//!   "audience_aliases": [],
//!   "trust_domains": {"example.org": {"keys": [ ... ]}},
//!   "bundle_endpoints": {"partner.example": "https://partner.example/bundle"},
//!   "authorization_servers": [
//!     {"issuer": "https://as.example.com", "jwks": {"keys": [ ... ]}, "algorithms": ["ES256"]},
//!     {"issuer": "https://as2.example.com", "jwks_uri": "https://as2.example.com/jwks"}
//!   ],
//!   "transaction_tokens": {"trust_domain": "tools.example", "jwks": {"keys": [ ... ]},
//!                          "required": false},
//!   "events": {"transmitters": [{"issuer": "https://ssf.example.com",
//!                               "jwks_uri": "https://ssf.example.com/jwks"}],
//!              "audience": "https://tools.example.com", "retention": 86400},
//!   "credentials": {
//!     "wpt": {"wire": "wpt-02"},
//!     "http_signature": {"version": "draft-07"},
//!     "mtls": false,
//!     "dpop": {"algorithms": ["ES256", "EdDSA"], "nonce": false},
//!     "bearer": false
//!   },
//!   "leeway": 60, "max_proof_lifetime": 300, "max_wit_lifetime": 86400,
//!   "routes": [
//!     {"path": "/mcp", "prefix": true, "methods": ["POST"],
//!      "agents": ["spiffe://example.org/ns/prod/*"], "scopes": ["tools:call"],
//!      "authorization_details_types": [], "acr_values": [], "max_auth_age": null,
//!      "credentials": ["wpt", "dpop"]}
//!   ]
//! }
//! ```
//!
//! Rules: `resource` is an https URL without fragment; `authorities` are https origins without a
//! path; trust domains are keys of a SPIFFE bundle map (bare names for SPIFFE, `wimse://…` for
//! WIMSE); each authorization server has either inline `jwks` or a `jwks_uri` (https), never
//! both; at least one credential kind is enabled; routes are matched in order, the **first**
//! route whose path and method match applies, and a request matching no route is denied; a
//! route's `path` starts with `/`, `prefix` matches whole segments (`/mcp` covers `/mcp` and
//! `/mcp/x`, not `/mcpx`); `agents` are identifier patterns ([`crate::identity::IdPattern`]: an
//! exact id, `<id>/*`, or `<scheme>://<td>/**`); `max_delegation_depth` bounds the token's
//! `act` chain and `actors` names the allowed current actors (patterns or exact strings); a route
//! with token requirements (`scopes`, `authorization_details_types`, `acr_values`,
//! `max_auth_age`, `actors`, `max_delegation_depth`) must accept `dpop` or `bearer`,
//! and a route with `agents` denies callers without a workload credential. Unknown members are
//! refused everywhere; an
//! error names the member (`invalid-argument` with a path such as `routes[].agents`).

use serde_json::Value;

use crate::crypto::{AlgorithmSet, JwkSet};
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::identity::{IdPattern, TrustStore, WorkloadId};
use crate::limits::Limits;
use crate::oauth::RouteRequirements;
use crate::proof::WptWire;

/// A credential kind a policy can accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    /// WIT + Workload Proof Token.
    Wpt,
    /// WIT + WIMSE HTTP message signature.
    HttpSignature,
    /// The mTLS peer identity the host supplies.
    Mtls,
    /// A DPoP-bound access token.
    Dpop,
    /// A Bearer access token.
    Bearer,
}

impl CredentialKind {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "wpt" => Self::Wpt,
            "http_signature" => Self::HttpSignature,
            "mtls" => Self::Mtls,
            "dpop" => Self::Dpop,
            "bearer" => Self::Bearer,
            _ => return None,
        })
    }
}

/// Where an authorization server's keys come from.
#[derive(Debug, Clone)]
pub enum Jwks {
    /// Inline.
    Inline(JwkSet),
    /// Fetched by the host from this URL (see [`crate::gate::KeyCache`]).
    Uri(String),
}

/// An authorization server this resource trusts.
#[derive(Debug, Clone)]
pub struct AuthorizationServer {
    /// Issuer identifier.
    pub issuer: String,
    /// Its keys.
    pub jwks: Jwks,
    /// Accepted algorithms.
    pub algorithms: AlgorithmSet,
}

/// How transaction tokens (`Txn-Token`) are checked.
#[derive(Debug, Clone)]
pub struct TransactionTokens {
    /// This workload's trust domain (the tokens' `aud`).
    pub trust_domain: String,
    /// The transaction token service's issuer (`iss`), when configured.
    pub issuer: Option<String>,
    /// Its keys.
    pub jwks: Jwks,
    /// Its algorithms.
    pub algorithms: AlgorithmSet,
    /// Whether every request must carry one.
    pub required: bool,
    /// Maximum `exp - iat`, seconds.
    pub max_lifetime: u64,
}

/// Where Security Event Tokens come from and how long their effects are kept.
#[derive(Debug, Clone)]
pub struct Events {
    /// The transmitters whose SETs are applied (issuer, keys, algorithms).
    pub transmitters: Vec<AuthorizationServer>,
    /// This receiver's audience (`aud` of the SETs); default: the policy's `resource`.
    pub audience: String,
    /// Seconds an event's rule is kept after the event (default 86400); see
    /// [`crate::events::EventState`].
    pub retention: u64,
    /// Subject members the transmitters declared critical (SSF `critical_subject_members`).
    pub critical_subject_members: Vec<String>,
}

/// Which credentials the resource accepts and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// WPT wire form, when WPTs are accepted.
    pub wpt: Option<WptWire>,
    /// WIMSE HTTP-signature draft, when accepted (`draft-06` / `draft-07`).
    pub http_signature: Option<String>,
    /// Whether an mTLS peer identity from the host is accepted.
    pub mtls: bool,
    /// DPoP algorithms, when DPoP-bound tokens are accepted.
    pub dpop: Option<AlgorithmSet>,
    /// Whether DPoP server nonces are required.
    pub dpop_nonce: bool,
    /// Whether Bearer tokens are accepted.
    pub bearer: bool,
}

/// One route and what it requires.
#[derive(Debug, Clone)]
pub struct Route {
    /// The path (starting with `/`).
    pub path: String,
    /// Match the path and everything below it (whole segments).
    pub prefix: bool,
    /// Allowed methods (empty: any).
    pub methods: Vec<String>,
    /// Allowed agents (empty: any authenticated caller).
    pub agents: Vec<IdPattern>,
    /// Token requirements.
    pub requirements: RouteRequirements,
    /// Credential kinds this route accepts (empty: all the policy accepts).
    pub credentials: Vec<CredentialKind>,
    /// The longest `act` chain accepted (`Some(0)`: no delegated tokens); `None`: any.
    pub max_delegation_depth: Option<u64>,
    /// Allowed current actors (`act.sub` of the outermost `act`): identifier patterns for
    /// SPIFFE/WIMSE actors, exact strings otherwise. Non-empty: a delegated token is required.
    pub actors: Vec<String>,
}

impl Route {
    /// Whether this route covers `method` and `path` (the request path without query).
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let path_ok = if self.prefix {
            let base = self.path.trim_end_matches('/');
            path == self.path
                || path
                    .strip_prefix(base)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        } else {
            path == self.path
        };
        path_ok && (self.methods.is_empty() || self.methods.iter().any(|m| m == method))
    }

    /// Whether `agent` may call this route.
    pub fn allows_agent(&self, agent: &WorkloadId) -> bool {
        self.agents.is_empty() || self.agents.iter().any(|p| p.matches(agent))
    }

    /// Whether `actor` (an `act.sub`) may be the current actor on this route.
    pub fn allows_actor(&self, actor: &str) -> bool {
        self.actors.iter().any(|p| {
            p == actor
                || IdPattern::parse(p).is_ok_and(|pattern| {
                    WorkloadId::parse(actor).is_ok_and(|id| pattern.matches(&id))
                })
        })
    }

    /// Whether this route accepts `kind`.
    pub fn accepts(&self, kind: CredentialKind) -> bool {
        self.credentials.is_empty() || self.credentials.contains(&kind)
    }

    /// Whether a request on this route needs an access token: it has token requirements, names
    /// actors or bounds the delegation depth.
    pub fn needs_token(&self) -> bool {
        self.requirements != RouteRequirements::default()
            || !self.actors.is_empty()
            || self.max_delegation_depth.is_some()
    }

    /// Whether a token's delegation chain (actor subjects, current actor first) is allowed:
    /// no longer than `max_delegation_depth`, and its current actor one of `actors` when named.
    pub fn allows_chain<S: AsRef<str>>(&self, actors: &[S]) -> bool {
        let too_deep = self
            .max_delegation_depth
            .is_some_and(|max| u64::try_from(actors.len()).unwrap_or(u64::MAX) > max);
        let actor_refused = !self.actors.is_empty()
            && !actors
                .first()
                .is_some_and(|a| self.allows_actor(a.as_ref()));
        !too_deep && !actor_refused
    }
}

/// A parsed policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The resource identifier.
    pub resource: String,
    /// This service's origins.
    pub authorities: Vec<String>,
    /// Other accepted audiences.
    pub audience_aliases: Vec<String>,
    /// Trust anchors per (scheme, trust domain).
    pub trust: TrustStore,
    /// SPIFFE bundle endpoints per trust-domain key, fetched by the host as the key cache says
    /// (their bundles replace the inline ones of the same trust domain).
    pub bundle_endpoints: Vec<(String, String)>,
    /// Trusted authorization servers.
    pub authorization_servers: Vec<AuthorizationServer>,
    /// Transaction-token checking, when configured.
    pub transaction_tokens: Option<TransactionTokens>,
    /// Security Event Token transmitters, when configured.
    pub events: Option<Events>,
    /// Accepted credentials.
    pub credentials: Credentials,
    /// Clock skew, seconds.
    pub leeway: u64,
    /// Maximum proof lifetime, seconds.
    pub max_proof_lifetime: u64,
    /// Maximum WIT lifetime, seconds.
    pub max_wit_lifetime: u64,
    /// Routes, matched in order.
    pub routes: Vec<Route>,
}

fn bad(path: &'static str) -> Error {
    Error::InvalidArgument(path)
}

fn members(o: &Object, allowed: &[&str], path: &'static str) -> Result<(), Error> {
    if o.keys().all(|k| allowed.contains(&k.as_str())) {
        Ok(())
    } else {
        Err(bad(path))
    }
}

fn string_list(o: &Object, name: &str, path: &'static str) -> Result<Vec<String>, Error> {
    match o.get(name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or(bad(path)))
            .collect(),
        Some(_) => Err(bad(path)),
    }
}

fn seconds(o: &Object, name: &str, default: u64, path: &'static str) -> Result<u64, Error> {
    match o.get(name) {
        None => Ok(default),
        Some(v) => v.as_u64().ok_or(bad(path)),
    }
}

fn https_url(s: &str, allow_path: bool) -> bool {
    let Some(rest) = s.strip_prefix("https://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    !authority.is_empty()
        && !s.contains('#')
        && s.is_ascii()
        && (allow_path || rest.len() == authority.len())
}

fn algorithms(o: &Object, path: &'static str) -> Result<Option<AlgorithmSet>, Error> {
    if !o.contains_key("algorithms") {
        return Ok(None);
    }
    let names = string_list(o, "algorithms", path)?;
    let set =
        AlgorithmSet::from_jws_names(names.iter().map(String::as_str)).map_err(|_| bad(path))?;
    if set.iter().next().is_none() || set.iter().any(|a| !AlgorithmSet::ASYMMETRIC.contains(a)) {
        return Err(bad(path));
    }
    Ok(Some(set))
}

/// The member paths one kind of keyed issuer is reported under.
struct IssuerPaths {
    object: &'static str,
    unknown: &'static str,
    issuer: &'static str,
    jwks: &'static str,
    algorithms: &'static str,
}

fn parse_keyed_issuer(
    v: &Value,
    limits: &Limits,
    p: &IssuerPaths,
) -> Result<AuthorizationServer, Error> {
    let o = v.as_object().ok_or(bad(p.object))?;
    members(o, &["issuer", "jwks", "jwks_uri", "algorithms"], p.unknown)?;
    let issuer = o
        .get("issuer")
        .and_then(Value::as_str)
        .filter(|i| https_url(i, true))
        .ok_or(bad(p.issuer))?
        .to_owned();
    let jwks = match (o.get("jwks"), o.get("jwks_uri")) {
        (Some(Value::Object(set)), None) => {
            Jwks::Inline(JwkSet::from_object(set, limits).map_err(|_| bad(p.jwks))?)
        }
        (None, Some(Value::String(uri))) if https_url(uri, true) => Jwks::Uri(uri.clone()),
        _ => return Err(bad(p.jwks)),
    };
    let algorithms = algorithms(o, p.algorithms)?.unwrap_or(AlgorithmSet::ASYMMETRIC);
    Ok(AuthorizationServer {
        issuer,
        jwks,
        algorithms,
    })
}

fn parse_server(v: &Value, limits: &Limits) -> Result<AuthorizationServer, Error> {
    parse_keyed_issuer(
        v,
        limits,
        &IssuerPaths {
            object: "authorization_servers[]",
            unknown: "authorization_servers[]: unknown member",
            issuer: "authorization_servers[].issuer",
            jwks: "authorization_servers[].jwks",
            algorithms: "authorization_servers[].algorithms",
        },
    )
}

fn parse_events(v: &Value, resource: &str, limits: &Limits) -> Result<Events, Error> {
    let o = v.as_object().ok_or(bad("events"))?;
    members(
        o,
        &[
            "transmitters",
            "audience",
            "retention",
            "critical_subject_members",
        ],
        "events: unknown member",
    )?;
    let paths = IssuerPaths {
        object: "events.transmitters[]",
        unknown: "events.transmitters[]: unknown member",
        issuer: "events.transmitters[].issuer",
        jwks: "events.transmitters[].jwks",
        algorithms: "events.transmitters[].algorithms",
    };
    let transmitters = match o.get("transmitters") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|t| parse_keyed_issuer(t, limits, &paths))
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(bad("events.transmitters")),
    };
    let audience = match o.get("audience") {
        None => resource.to_owned(),
        Some(Value::String(a)) if !a.is_empty() => a.clone(),
        Some(_) => return Err(bad("events.audience")),
    };
    let retention = seconds(o, "retention", 86_400, "events.retention")?;
    if retention == 0 {
        return Err(bad("events.retention"));
    }
    Ok(Events {
        transmitters,
        audience,
        retention,
        critical_subject_members: string_list(
            o,
            "critical_subject_members",
            "events.critical_subject_members",
        )?,
    })
}

fn parse_transaction_tokens(v: &Value, limits: &Limits) -> Result<TransactionTokens, Error> {
    const P: &str = "transaction_tokens";
    let o = v.as_object().ok_or(bad(P))?;
    members(
        o,
        &[
            "trust_domain",
            "issuer",
            "jwks",
            "jwks_uri",
            "algorithms",
            "required",
            "max_lifetime",
        ],
        "transaction_tokens: unknown member",
    )?;
    let trust_domain = o
        .get("trust_domain")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or(bad("transaction_tokens.trust_domain"))?
        .to_owned();
    let issuer = match o.get("issuer") {
        None => None,
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(_) => return Err(bad("transaction_tokens.issuer")),
    };
    let jwks = match (o.get("jwks"), o.get("jwks_uri")) {
        (Some(Value::Object(set)), None) => Jwks::Inline(
            JwkSet::from_object(set, limits).map_err(|_| bad("transaction_tokens.jwks"))?,
        ),
        (None, Some(Value::String(uri))) if https_url(uri, true) => Jwks::Uri(uri.clone()),
        _ => return Err(bad("transaction_tokens.jwks")),
    };
    Ok(TransactionTokens {
        trust_domain,
        issuer,
        jwks,
        algorithms: algorithms(o, "transaction_tokens.algorithms")?
            .unwrap_or(AlgorithmSet::ASYMMETRIC),
        required: match o.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(bad("transaction_tokens.required")),
        },
        max_lifetime: seconds(
            o,
            "max_lifetime",
            crate::oauth::DEFAULT_MAX_TXN_LIFETIME,
            "transaction_tokens.max_lifetime",
        )?,
    })
}

fn parse_credentials(v: Option<&Value>) -> Result<Credentials, Error> {
    let o = v.and_then(Value::as_object).ok_or(bad("credentials"))?;
    members(
        o,
        &["wpt", "http_signature", "mtls", "dpop", "bearer"],
        "credentials: unknown member",
    )?;
    let sub = |name: &str, path: &'static str| -> Result<Option<&Object>, Error> {
        match o.get(name) {
            None | Some(Value::Bool(false)) => Ok(None),
            Some(Value::Object(x)) => Ok(Some(x)),
            Some(_) => Err(bad(path)),
        }
    };
    let wpt = match sub("wpt", "credentials.wpt")? {
        None => None,
        Some(x) => {
            members(x, &["wire"], "credentials.wpt: unknown member")?;
            Some(
                WptWire::from_name(
                    x.get("wire")
                        .and_then(Value::as_str)
                        .ok_or(bad("credentials.wpt.wire"))?,
                )
                .map_err(|_| bad("credentials.wpt.wire"))?,
            )
        }
    };
    let http_signature = match sub("http_signature", "credentials.http_signature")? {
        None => None,
        Some(x) => {
            members(
                x,
                &["version"],
                "credentials.http_signature: unknown member",
            )?;
            match x.get("version").and_then(Value::as_str) {
                Some(v @ ("draft-06" | "draft-07")) => Some(v.to_owned()),
                _ => return Err(bad("credentials.http_signature.version")),
            }
        }
    };
    let (dpop, dpop_nonce) = match sub("dpop", "credentials.dpop")? {
        None => (None, false),
        Some(x) => {
            members(
                x,
                &["algorithms", "nonce"],
                "credentials.dpop: unknown member",
            )?;
            let algs = algorithms(x, "credentials.dpop.algorithms")?
                .unwrap_or(crate::proof::DEFAULT_DPOP_ALGORITHMS);
            let nonce = match x.get("nonce") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(bad("credentials.dpop.nonce")),
            };
            (Some(algs), nonce)
        }
    };
    let flag = |name: &str, path: &'static str| match o.get(name) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(bad(path)),
    };
    let c = Credentials {
        wpt,
        http_signature,
        mtls: flag("mtls", "credentials.mtls")?,
        dpop,
        dpop_nonce,
        bearer: flag("bearer", "credentials.bearer")?,
    };
    if c.wpt.is_none() && c.http_signature.is_none() && !c.mtls && c.dpop.is_none() && !c.bearer {
        return Err(bad("credentials: none enabled"));
    }
    Ok(c)
}

fn parse_route(v: &Value, credentials: &Credentials) -> Result<Route, Error> {
    let o = v.as_object().ok_or(bad("routes[]"))?;
    members(
        o,
        &[
            "path",
            "prefix",
            "methods",
            "agents",
            "scopes",
            "authorization_details_types",
            "acr_values",
            "max_auth_age",
            "credentials",
            "max_delegation_depth",
            "actors",
        ],
        "routes[]: unknown member",
    )?;
    let path = o
        .get("path")
        .and_then(Value::as_str)
        .filter(|p| p.starts_with('/') && !p.contains(['?', '#']))
        .ok_or(bad("routes[].path"))?
        .to_owned();
    let prefix = match o.get("prefix") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(bad("routes[].prefix")),
    };
    let agents = string_list(o, "agents", "routes[].agents")?
        .iter()
        .map(|p| IdPattern::parse(p).map_err(|_| bad("routes[].agents")))
        .collect::<Result<Vec<_>, _>>()?;
    let kinds = string_list(o, "credentials", "routes[].credentials")?
        .iter()
        .map(|k| CredentialKind::from_name(k).ok_or(bad("routes[].credentials")))
        .collect::<Result<Vec<_>, _>>()?;
    // A route may only narrow the policy's credentials.
    let enabled = |k: &CredentialKind| match k {
        CredentialKind::Wpt => credentials.wpt.is_some(),
        CredentialKind::HttpSignature => credentials.http_signature.is_some(),
        CredentialKind::Mtls => credentials.mtls,
        CredentialKind::Dpop => credentials.dpop.is_some(),
        CredentialKind::Bearer => credentials.bearer,
    };
    if !kinds.iter().all(enabled) {
        return Err(bad("routes[].credentials: not enabled in credentials"));
    }
    let max_auth_age_given = !matches!(o.get("max_auth_age"), None | Some(Value::Null));
    let has_requirements = [
        "scopes",
        "authorization_details_types",
        "acr_values",
        "actors",
    ]
    .iter()
    .any(|n| {
        o.get(*n)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    }) || max_auth_age_given
        || !matches!(o.get("max_delegation_depth"), None | Some(Value::Null));
    let token_kinds = [CredentialKind::Dpop, CredentialKind::Bearer];
    let accepts_token = token_kinds
        .iter()
        .any(|k| enabled(k) && (kinds.is_empty() || kinds.contains(k)));
    if has_requirements && !accepts_token {
        return Err(bad(
            "routes[]: token requirements (scopes, authorization_details_types, acr_values, max_auth_age, actors, max_delegation_depth) need dpop or bearer",
        ));
    }
    let max_auth_age = match o.get("max_auth_age") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or(bad("routes[].max_auth_age"))?),
    };
    Ok(Route {
        path,
        prefix,
        methods: string_list(o, "methods", "routes[].methods")?,
        agents,
        requirements: RouteRequirements {
            scopes: string_list(o, "scopes", "routes[].scopes")?,
            authorization_details_types: string_list(
                o,
                "authorization_details_types",
                "routes[].authorization_details_types",
            )?,
            acr_values: string_list(o, "acr_values", "routes[].acr_values")?,
            max_auth_age,
        },
        credentials: kinds,
        max_delegation_depth: match o.get("max_delegation_depth") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_u64().ok_or(bad("routes[].max_delegation_depth"))?),
        },
        actors: string_list(o, "actors", "routes[].actors")?,
    })
}

impl Policy {
    /// Parses a policy document (see the module documentation).
    ///
    /// # Errors
    /// JSON errors; `invalid-argument` naming the bad member; the trust-bundle codes for
    /// `trust_domains`.
    pub fn from_json(text: &str, limits: &Limits) -> Result<Self, Error> {
        let o = json::parse_object(text.as_bytes(), limits)?;
        members(
            &o,
            &[
                "resource",
                "authorities",
                "audience_aliases",
                "trust_domains",
                "bundle_endpoints",
                "authorization_servers",
                "transaction_tokens",
                "events",
                "credentials",
                "leeway",
                "max_proof_lifetime",
                "max_wit_lifetime",
                "routes",
            ],
            "policy: unknown member",
        )?;
        let resource = o
            .get("resource")
            .and_then(Value::as_str)
            .filter(|r| https_url(r, true))
            .ok_or(bad("resource"))?
            .to_owned();
        let authorities = string_list(&o, "authorities", "authorities")?;
        if authorities.is_empty() || !authorities.iter().all(|a| https_url(a, false)) {
            return Err(bad("authorities"));
        }
        let trust = match o.get("trust_domains") {
            None => TrustStore::default(),
            Some(Value::Object(map)) => {
                let mut wrapper = Object::new();
                wrapper.insert("trust_domains".into(), Value::Object(map.clone()));
                TrustStore::from_bundle_map(&json::to_compact(&Value::Object(wrapper)), limits)?
            }
            Some(_) => return Err(bad("trust_domains")),
        };
        let authorization_servers = match o.get("authorization_servers") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|s| parse_server(s, limits))
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err(bad("authorization_servers")),
        };
        let bundle_endpoints = match o.get("bundle_endpoints") {
            None => Vec::new(),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(td, url)| {
                    let url = url
                        .as_str()
                        .filter(|u| https_url(u, true))
                        .ok_or(bad("bundle_endpoints"))?;
                    // The key must name a trust domain the way bundle maps do.
                    crate::identity::Bundle::parse(td, r#"{"keys":[]}"#, limits)
                        .map_err(|_| bad("bundle_endpoints"))?;
                    Ok((td.clone(), url.to_owned()))
                })
                .collect::<Result<Vec<_>, Error>>()?,
            Some(_) => return Err(bad("bundle_endpoints")),
        };
        let transaction_tokens = match o.get("transaction_tokens") {
            None => None,
            Some(v) => Some(parse_transaction_tokens(v, limits)?),
        };
        let events = match o.get("events") {
            None => None,
            Some(v) => Some(parse_events(v, &resource, limits)?),
        };
        let credentials = parse_credentials(o.get("credentials"))?;
        let uses_wit = credentials.wpt.is_some() || credentials.http_signature.is_some();
        if uses_wit && trust.trust_domains().is_empty() && bundle_endpoints.is_empty() {
            return Err(bad("trust_domains: needed for wpt and http_signature"));
        }
        if (credentials.dpop.is_some() || credentials.bearer) && authorization_servers.is_empty() {
            return Err(bad("authorization_servers: needed for dpop and bearer"));
        }
        let routes = match o.get("routes") {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|r| parse_route(r, &credentials))
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(bad("routes")),
        };
        Ok(Self {
            resource,
            authorities,
            audience_aliases: string_list(&o, "audience_aliases", "audience_aliases")?,
            trust,
            bundle_endpoints,
            authorization_servers,
            transaction_tokens,
            events,
            credentials,
            leeway: seconds(&o, "leeway", 60, "leeway")?,
            max_proof_lifetime: seconds(&o, "max_proof_lifetime", 300, "max_proof_lifetime")?,
            max_wit_lifetime: seconds(&o, "max_wit_lifetime", 86_400, "max_wit_lifetime")?,
            routes,
        })
    }

    /// Whether `kind` is enabled by the policy and accepted by `route`.
    pub fn accepts(&self, route: &Route, kind: CredentialKind) -> bool {
        let c = &self.credentials;
        let enabled = match kind {
            CredentialKind::Wpt => c.wpt.is_some(),
            CredentialKind::HttpSignature => c.http_signature.is_some(),
            CredentialKind::Mtls => c.mtls,
            CredentialKind::Dpop => c.dpop.is_some(),
            CredentialKind::Bearer => c.bearer,
        };
        enabled && route.accepts(kind)
    }

    /// The first route covering `method` and `path`, if any (no route: deny).
    pub fn route(&self, method: &str, path: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.matches(method, path))
    }
}
