//! The OAuth resource-server parts in the cross-language shape: access-token verification,
//! introspection responses, RFC 9728 metadata. Configurations are JSON text with unknown members
//! refused; results are records with JSON where the shape is open.

use serde_json::Value;

use super::{LIMITS, algorithms, key_set};
use crate::crypto::AlgorithmSet;
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::oauth::{
    self, AccessTokenValidation, IntrospectionValidation, ResourceMetadata, TrustedIssuer,
    VerifiedAccessToken,
};
use crate::time::{Leeway, UnixTime};

fn object(text: &str, allowed: &[&str]) -> Result<Object, Error> {
    let o = json::parse_object(text.as_bytes(), &LIMITS)?;
    if o.keys().any(|k| !allowed.contains(&k.as_str())) {
        return Err(Error::InvalidArgument("config: unknown member"));
    }
    Ok(o)
}

fn text(o: &Object, name: &'static str) -> Result<String, Error> {
    o.get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(Error::InvalidArgument(name))
}

fn leeway(o: &Object) -> Result<Leeway, Error> {
    match o.get("leeway") {
        None => Ok(Leeway::DEFAULT),
        Some(v) => v
            .as_u64()
            .map(Leeway)
            .ok_or(Error::InvalidArgument("leeway")),
    }
}

fn string_list(o: &Object, name: &'static str) -> Result<Vec<String>, Error> {
    match o.get(name) {
        None => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or(Error::InvalidArgument(name))
            })
            .collect(),
        Some(_) => Err(Error::InvalidArgument(name)),
    }
}

/// One issuer: `{"issuer", "jwks" (a JWK Set or one JWK), "algorithms": [...]}` (algorithms
/// default to every asymmetric one).
fn issuer(v: &Value) -> Result<TrustedIssuer, Error> {
    let o = v.as_object().ok_or(Error::InvalidArgument("issuers"))?;
    if o.keys()
        .any(|k| !["issuer", "jwks", "algorithms"].contains(&k.as_str()))
    {
        return Err(Error::InvalidArgument("issuers: unknown member"));
    }
    let keys = key_set(&json::to_compact(
        o.get("jwks").ok_or(Error::InvalidArgument("jwks"))?,
    ))?;
    let algs = if o.contains_key("algorithms") {
        let set = algorithms(&string_list(o, "algorithms")?)?;
        if set.iter().any(|a| !AlgorithmSet::ASYMMETRIC.contains(a)) {
            return Err(Error::AlgorithmNotAllowed);
        }
        set
    } else {
        AlgorithmSet::ASYMMETRIC
    };
    Ok(TrustedIssuer {
        issuer: text(o, "issuer")?,
        keys,
        algorithms: algs,
    })
}

/// A verified access token (or introspection result) as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessTokenInfo {
    /// The issuer.
    pub issuer: String,
    /// `sub` (empty when an introspection response omits it).
    pub subject: String,
    /// `client_id` (empty when an introspection response omits it).
    pub client_id: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// `authorization_details` (JSON array).
    pub authorization_details: String,
    /// `cnf.jkt`, when the token is DPoP-bound.
    pub cnf_jkt: Option<String>,
    /// `acr`.
    pub acr: Option<String>,
    /// `auth_time`.
    pub auth_time: Option<u64>,
    /// `exp`.
    pub expires_at: u64,
    /// base64url SHA-256 of the token.
    pub token_hash: String,
    /// All claims (compact JSON).
    pub claims: String,
}

impl From<VerifiedAccessToken> for AccessTokenInfo {
    fn from(t: VerifiedAccessToken) -> Self {
        Self {
            issuer: t.issuer,
            subject: t.subject,
            client_id: t.client_id,
            scopes: t.scopes,
            authorization_details: json::to_compact(&Value::Array(
                t.authorization_details
                    .into_iter()
                    .map(Value::Object)
                    .collect(),
            )),
            cnf_jkt: t.cnf_jkt,
            acr: t.acr,
            auth_time: t.auth_time,
            expires_at: t.expires_at,
            token_hash: t.token_hash,
            claims: json::to_compact(&Value::Object(t.claims)),
        }
    }
}

/// Verifies an RFC 9068 access token. `config`: `{"issuers": [{"issuer", "jwks",
/// "algorithms"}], "resource": "https://...", "leeway": 60}`.
///
/// # Errors
/// `invalid-argument` naming a bad configuration member; as [`oauth::verify_access_token`].
pub fn verify_access_token(token: &str, config: &str, now: u64) -> Result<AccessTokenInfo, Error> {
    let o = object(config, &["issuers", "resource", "leeway"])?;
    let issuers = match o.get("issuers") {
        Some(Value::Array(items)) if !items.is_empty() => {
            items.iter().map(issuer).collect::<Result<Vec<_>, _>>()?
        }
        _ => return Err(Error::InvalidArgument("issuers")),
    };
    let validation = AccessTokenValidation {
        issuers,
        resource: text(&o, "resource")?,
        leeway: leeway(&o)?,
        limits: LIMITS,
    };
    oauth::verify_access_token(token, &validation, UnixTime(now)).map(AccessTokenInfo::from)
}

fn introspection_validation(o: &Object) -> Result<IntrospectionValidation, Error> {
    Ok(IntrospectionValidation {
        issuer: text(o, "issuer")?,
        resource: text(o, "resource")?,
        leeway: leeway(o)?,
    })
}

/// Checks an RFC 7662 introspection response (JSON text) for `token`. `config`: `{"issuer",
/// "resource", "leeway"}`.
///
/// # Errors
/// As [`oauth::check_introspection_response`].
pub fn check_introspection_response(
    response: &str,
    token: &str,
    config: &str,
    now: u64,
) -> Result<AccessTokenInfo, Error> {
    let o = object(config, &["issuer", "resource", "leeway"])?;
    oauth::check_introspection_response(
        response,
        token,
        &introspection_validation(&o)?,
        UnixTime(now),
    )
    .map(AccessTokenInfo::from)
}

/// Verifies an RFC 9701 JWT introspection response. `config`: `{"issuer", "jwks", "algorithms",
/// "client_id" (this resource server's client id), "resource", "leeway"}`.
///
/// # Errors
/// As [`oauth::verify_introspection_jwt`].
pub fn verify_introspection_jwt(
    jwt: &str,
    token: &str,
    config: &str,
    now: u64,
) -> Result<AccessTokenInfo, Error> {
    let mut o = object(
        config,
        &[
            "issuer",
            "jwks",
            "algorithms",
            "client_id",
            "resource",
            "leeway",
        ],
    )?;
    let client_id = text(&o, "client_id")?;
    let validation = introspection_validation(&o)?;
    for k in ["client_id", "resource", "leeway"] {
        o.remove(k);
    }
    let server = issuer(&Value::Object(o))?;
    oauth::verify_introspection_jwt(jwt, &server, &client_id, token, &validation, UnixTime(now))
        .map(AccessTokenInfo::from)
}

/// The RFC 9728 metadata URL of a resource identifier.
///
/// # Errors
/// As [`oauth::metadata_url`].
pub fn metadata_url(resource: &str) -> Result<String, Error> {
    oauth::metadata_url(resource)
}

const METADATA_MEMBERS: [&str; 8] = [
    "resource",
    "authorization_servers",
    "scopes_supported",
    "bearer_methods_supported",
    "dpop_signing_alg_values_supported",
    "dpop_bound_access_tokens_required",
    "authorization_details_types_supported",
    "resource_name",
];

fn metadata_json(m: &ResourceMetadata) -> String {
    let mut o = Object::new();
    o.insert("resource".into(), m.resource.clone().into());
    o.insert(
        "authorization_servers".into(),
        m.authorization_servers.clone().into(),
    );
    o.insert("scopes_supported".into(), m.scopes_supported.clone().into());
    o.insert(
        "bearer_methods_supported".into(),
        m.bearer_methods_supported.clone().into(),
    );
    o.insert(
        "dpop_signing_alg_values_supported".into(),
        m.dpop_signing_alg_values_supported.clone().into(),
    );
    o.insert(
        "dpop_bound_access_tokens_required".into(),
        m.dpop_bound_access_tokens_required.into(),
    );
    o.insert(
        "authorization_details_types_supported".into(),
        m.authorization_details_types_supported.clone().into(),
    );
    o.insert(
        "resource_name".into(),
        m.resource_name.clone().map_or(Value::Null, Value::String),
    );
    json::to_compact(&Value::Object(o))
}

/// The metadata document a resource serves, from its description (JSON with the members of
/// [`ResourceMetadata`]; `resource` required, the rest optional).
///
/// # Errors
/// `invalid-argument` naming a bad member; as [`oauth::resource_metadata_document`].
pub fn resource_metadata_document(description: &str) -> Result<String, Error> {
    let o = object(description, &METADATA_MEMBERS)?;
    let flag = match o.get("dpop_bound_access_tokens_required") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::InvalidArgument("dpop_bound_access_tokens_required")),
    };
    let name = match o.get("resource_name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::InvalidArgument("resource_name")),
    };
    oauth::resource_metadata_document(&ResourceMetadata {
        resource: text(&o, "resource")?,
        authorization_servers: string_list(&o, "authorization_servers")?,
        scopes_supported: string_list(&o, "scopes_supported")?,
        bearer_methods_supported: string_list(&o, "bearer_methods_supported")?,
        dpop_signing_alg_values_supported: string_list(&o, "dpop_signing_alg_values_supported")?,
        dpop_bound_access_tokens_required: flag,
        authorization_details_types_supported: string_list(
            &o,
            "authorization_details_types_supported",
        )?,
        resource_name: name,
    })
}

/// Parses and checks a fetched metadata document whose `resource` must be identical to
/// `expected_resource`; returns every member this library reads (compact JSON, all present).
///
/// # Errors
/// As [`oauth::parse_resource_metadata`].
pub fn parse_resource_metadata(text: &str, expected_resource: &str) -> Result<String, Error> {
    oauth::parse_resource_metadata(text, expected_resource, &LIMITS).map(|m| metadata_json(&m))
}

/// The form body of an RFC 8693 token-exchange request from JSON: `{"subject_token",
/// "subject_token_type", "actor_token", "actor_token_type", "resource": [...], "audience":
/// [...], "scope": [...], "requested_token_type"}`.
///
/// # Errors
/// `invalid-argument` naming the member; as [`oauth::token_exchange_request`].
pub fn token_exchange_request(request: &str) -> Result<String, Error> {
    let o = object(
        request,
        &[
            "subject_token",
            "subject_token_type",
            "actor_token",
            "actor_token_type",
            "resource",
            "audience",
            "scope",
            "requested_token_type",
        ],
    )?;
    let opt = |name: &'static str| match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::InvalidArgument(name)),
    };
    oauth::token_exchange_request(&oauth::TokenExchangeRequest {
        subject_token: text(&o, "subject_token")?,
        subject_token_type: text(&o, "subject_token_type")?,
        actor_token: opt("actor_token")?,
        actor_token_type: opt("actor_token_type")?,
        resources: string_list(&o, "resource")?,
        audiences: string_list(&o, "audience")?,
        scopes: string_list(&o, "scope")?,
        requested_token_type: opt("requested_token_type")?,
    })
}

/// A parsed token-exchange response, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenExchangeInfo {
    /// The issued token.
    pub access_token: String,
    /// Its type URI.
    pub issued_token_type: String,
    /// `Bearer`, `DPoP` or `N_A`.
    pub token_type: String,
    /// Lifetime in seconds.
    pub expires_in: Option<u64>,
    /// Granted scopes (`None`: as requested).
    pub scopes: Option<Vec<String>>,
    /// A refresh token.
    pub refresh_token: Option<String>,
}

/// Parses a token-exchange response ([`oauth::parse_token_exchange_response`]).
///
/// # Errors
/// As [`oauth::parse_token_exchange_response`].
pub fn parse_token_exchange_response(
    text: &str,
    requested_token_type: Option<&str>,
    expected_token_type: Option<&str>,
) -> Result<TokenExchangeInfo, Error> {
    let r = oauth::parse_token_exchange_response(
        text,
        requested_token_type,
        expected_token_type,
        &LIMITS,
    )?;
    Ok(TokenExchangeInfo {
        access_token: r.access_token,
        issued_token_type: r.issued_token_type,
        token_type: r.token_type,
        expires_in: r.expires_in,
        scopes: r.scopes,
        refresh_token: r.refresh_token,
    })
}

/// Whether the actor `(sub, iss)` may act for the subject of a token with these claims (JSON),
/// per its `may_act` ([`oauth::may_act`]).
///
/// # Errors
/// JSON errors; `claim-invalid` (`may_act`).
pub fn may_act(
    subject_claims: &str,
    actor_subject: &str,
    actor_issuer: Option<&str>,
) -> Result<bool, Error> {
    let claims = json::parse_object(subject_claims.as_bytes(), &LIMITS)?;
    oauth::may_act(
        &claims,
        &oauth::Actor {
            subject: actor_subject.to_owned(),
            issuer: actor_issuer.map(str::to_owned),
        },
    )
}

/// A verified transaction token, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionInfo {
    /// `txn`.
    pub txn: String,
    /// `sub`.
    pub subject: String,
    /// `scope`.
    pub scope: String,
    /// `req_wl`.
    pub requesting_workload: String,
    /// `tctx` (JSON).
    pub tctx: Option<String>,
    /// `rctx` (JSON).
    pub rctx: Option<String>,
    /// `iss`.
    pub issuer: Option<String>,
    /// `exp`.
    pub expires_at: u64,
    /// base64url SHA-256 of the token.
    pub token_hash: String,
}

impl From<oauth::VerifiedTxnToken> for TransactionInfo {
    fn from(t: oauth::VerifiedTxnToken) -> Self {
        Self {
            txn: t.txn,
            subject: t.subject,
            scope: t.scope,
            requesting_workload: t.requesting_workload,
            tctx: t.tctx.map(|o| json::to_compact(&Value::Object(o))),
            rctx: t.rctx.map(|o| json::to_compact(&Value::Object(o))),
            issuer: t.issuer,
            expires_at: t.expires_at,
            token_hash: t.token_hash,
        }
    }
}

fn context_member(o: &Object, name: &'static str) -> Result<Option<Object>, Error> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(x)) => Ok(Some(x.clone())),
        Some(_) => Err(Error::InvalidArgument(name)),
    }
}

/// Issues a transaction token (a transaction token service's job). `params`: `{"audience",
/// "txn", "subject", "scope", "requesting_workload", "tctx": {...}, "rctx": {...}, "issuer",
/// "lifetime": 60}`.
///
/// # Errors
/// `invalid-argument` naming the member; as [`oauth::issue_txn_token`].
pub fn issue_txn_token(
    key: &crate::crypto::KeyPair,
    params: &str,
    now: u64,
) -> Result<String, Error> {
    let o = object(
        params,
        &[
            "audience",
            "txn",
            "subject",
            "scope",
            "requesting_workload",
            "tctx",
            "rctx",
            "issuer",
            "lifetime",
        ],
    )?;
    oauth::issue_txn_token(
        key,
        &oauth::TxnTokenParams {
            audience: text(&o, "audience")?,
            txn: text(&o, "txn")?,
            subject: text(&o, "subject")?,
            scope: text(&o, "scope")?,
            requesting_workload: text(&o, "requesting_workload")?,
            tctx: context_member(&o, "tctx")?,
            rctx: context_member(&o, "rctx")?,
            issuer: match o.get("issuer") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err(Error::InvalidArgument("issuer")),
            },
            issued_at: UnixTime(now),
            lifetime: match o.get("lifetime") {
                None => 60,
                Some(v) => v.as_u64().ok_or(Error::InvalidArgument("lifetime"))?,
            },
        },
    )
}

/// Verifies a transaction token. `config`: `{"trust_domain", "jwks", "algorithms", "issuer",
/// "leeway", "max_lifetime"}`.
///
/// # Errors
/// `invalid-argument` naming a configuration member; as [`oauth::verify_txn_token`].
pub fn verify_txn_token(token: &str, config: &str, now: u64) -> Result<TransactionInfo, Error> {
    let o = object(
        config,
        &[
            "trust_domain",
            "jwks",
            "algorithms",
            "issuer",
            "leeway",
            "max_lifetime",
        ],
    )?;
    let keys = key_set(&json::to_compact(
        o.get("jwks").ok_or(Error::InvalidArgument("jwks"))?,
    ))?;
    let algs = if o.contains_key("algorithms") {
        algorithms(&string_list(&o, "algorithms")?)?
    } else {
        AlgorithmSet::ASYMMETRIC
    };
    let validation = oauth::TxnTokenValidation {
        trust_domain: text(&o, "trust_domain")?,
        keys,
        algorithms: algs,
        issuer: match o.get("issuer") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(Error::InvalidArgument("issuer")),
        },
        leeway: leeway(&o)?,
        max_lifetime: match o.get("max_lifetime") {
            None => oauth::DEFAULT_MAX_TXN_LIFETIME,
            Some(v) => v.as_u64().ok_or(Error::InvalidArgument("max_lifetime"))?,
        },
    };
    oauth::verify_txn_token(token, &validation, UnixTime(now), &LIMITS).map(TransactionInfo::from)
}

/// Creates a `private_key_jwt` client assertion ([`oauth::create_client_assertion`]).
///
/// # Errors
/// As [`oauth::create_client_assertion`].
pub fn create_client_assertion(
    key: &crate::crypto::KeyPair,
    client_id: &str,
    issuer: &str,
    jti: &str,
    now: u64,
    lifetime: u64,
) -> Result<String, Error> {
    oauth::create_client_assertion(key, client_id, issuer, jti, UnixTime(now), lifetime)
}

/// A verified client assertion, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAssertionInfo {
    /// The authenticated client.
    pub client_id: String,
    /// `jti`.
    pub jti: String,
    /// `exp`.
    pub expires_at: u64,
}

/// Verifies a `private_key_jwt` assertion. `config`: `{"client_id", "issuer" (this AS),
/// "jwks" (the client's), "algorithms", "leeway", "max_lifetime" (default 300)}`.
///
/// # Errors
/// `invalid-argument` naming a configuration member; as [`oauth::verify_client_assertion`].
pub fn verify_client_assertion(
    assertion: &str,
    config: &str,
    now: u64,
    replay: Option<&mut crate::proof::ReplayCache>,
) -> Result<ClientAssertionInfo, Error> {
    let o = object(
        config,
        &[
            "client_id",
            "issuer",
            "jwks",
            "algorithms",
            "leeway",
            "max_lifetime",
        ],
    )?;
    let keys = key_set(&json::to_compact(
        o.get("jwks").ok_or(Error::InvalidArgument("jwks"))?,
    ))?;
    let algs = if o.contains_key("algorithms") {
        algorithms(&string_list(&o, "algorithms")?)?
    } else {
        AlgorithmSet::ASYMMETRIC
    };
    let v = oauth::ClientAssertionValidation {
        client_id: text(&o, "client_id")?,
        issuer: text(&o, "issuer")?,
        keys,
        algorithms: algs,
        leeway: leeway(&o)?,
        max_lifetime: match o.get("max_lifetime") {
            None => 300,
            Some(v) => v.as_u64().ok_or(Error::InvalidArgument("max_lifetime"))?,
        },
    };
    let r = oauth::verify_client_assertion(assertion, &v, UnixTime(now), replay)?;
    Ok(ClientAssertionInfo {
        client_id: r.client_id,
        jti: r.jti,
        expires_at: r.expires_at,
    })
}

/// Verifies a JWT-SVID client assertion against a trust store (bundle map JSON) for this AS's
/// `issuer`; returns the SPIFFE ID.
///
/// # Errors
/// As [`oauth::verify_spiffe_client_assertion`].
pub fn verify_spiffe_client_assertion(
    assertion: &str,
    trust_store: &str,
    issuer: &str,
    now: u64,
) -> Result<String, Error> {
    let store = crate::identity::TrustStore::from_bundle_map(trust_store, &LIMITS)?;
    oauth::verify_spiffe_client_assertion(assertion, &store, issuer, Leeway::DEFAULT, UnixTime(now))
}

/// The form body of a client-credentials request. `request`: `{"client_id", "scope": [...],
/// "resource": [...], "client_assertion": "<private_key_jwt>" | "jwt_svid": "<JWT-SVID>"}`
/// (neither: mTLS client authentication).
///
/// # Errors
/// `invalid-argument` naming the member; as [`oauth::client_credentials_request`].
pub fn client_credentials_request(request: &str) -> Result<String, Error> {
    let o = object(
        request,
        &[
            "client_id",
            "scope",
            "resource",
            "client_assertion",
            "jwt_svid",
        ],
    )?;
    let auth = match (o.get("client_assertion"), o.get("jwt_svid")) {
        (Some(Value::String(a)), None) => oauth::ClientAuthentication::PrivateKeyJwt(a.clone()),
        (None, Some(Value::String(a))) => oauth::ClientAuthentication::JwtSvid(a.clone()),
        (None, None) => oauth::ClientAuthentication::Mtls,
        _ => return Err(Error::InvalidArgument("client_assertion")),
    };
    oauth::client_credentials_request(
        &text(&o, "client_id")?,
        &auth,
        &string_list(&o, "scope")?,
        &string_list(&o, "resource")?,
    )
}

fn authzen_entity(
    v: Option<&Value>,
    name: &'static str,
) -> Result<Option<oauth::AuthzenEntity>, Error> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => {
            if o.keys()
                .any(|k| !["type", "id", "properties"].contains(&k.as_str()))
            {
                return Err(Error::InvalidArgument(name));
            }
            Ok(Some(oauth::AuthzenEntity {
                kind: o
                    .get("type")
                    .and_then(Value::as_str)
                    .ok_or(Error::InvalidArgument(name))?
                    .to_owned(),
                id: o
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or(Error::InvalidArgument(name))?
                    .to_owned(),
                properties: context_member(o, "properties")
                    .map_err(|_| Error::InvalidArgument(name))?,
            }))
        }
        Some(_) => Err(Error::InvalidArgument(name)),
    }
}

fn authzen_evaluation(o: &Object) -> Result<oauth::AuthzenEvaluation, Error> {
    let action = match o.get("action") {
        None | Some(Value::Null) => None,
        Some(Value::Object(a)) => {
            if a.keys()
                .any(|k| !["name", "properties"].contains(&k.as_str()))
            {
                return Err(Error::InvalidArgument("action"));
            }
            Some(oauth::AuthzenAction {
                name: a
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or(Error::InvalidArgument("action"))?
                    .to_owned(),
                properties: context_member(a, "properties")
                    .map_err(|_| Error::InvalidArgument("action"))?,
            })
        }
        Some(_) => return Err(Error::InvalidArgument("action")),
    };
    Ok(oauth::AuthzenEvaluation {
        subject: authzen_entity(o.get("subject"), "subject")?,
        action,
        resource: authzen_entity(o.get("resource"), "resource")?,
        context: context_member(o, "context")?,
    })
}

/// The body of an AuthZEN Access Evaluation request from its parts (JSON: `subject`, `action`,
/// `resource`, `context`), checked and in canonical member order.
///
/// # Errors
/// `invalid-argument` naming the bad part.
pub fn authzen_evaluation_request(request: &str) -> Result<String, Error> {
    let o = object(request, &["subject", "action", "resource", "context"])?;
    oauth::evaluation_request(&authzen_evaluation(&o)?)
}

/// The body of an AuthZEN Access Evaluations (batch) request from JSON: defaults `subject`,
/// `action`, `resource`, `context`, the `evaluations` array, and `options.evaluations_semantic`.
///
/// # Errors
/// `invalid-argument` naming the bad part.
pub fn authzen_evaluations_request(request: &str) -> Result<String, Error> {
    let o = object(
        request,
        &[
            "subject",
            "action",
            "resource",
            "context",
            "evaluations",
            "options",
        ],
    )?;
    let items = match o.get("evaluations") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                let io = i.as_object().ok_or(Error::InvalidArgument("evaluations"))?;
                if io
                    .keys()
                    .any(|k| !["subject", "action", "resource", "context"].contains(&k.as_str()))
                {
                    return Err(Error::InvalidArgument("evaluations"));
                }
                authzen_evaluation(io)
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(Error::InvalidArgument("evaluations")),
    };
    let semantic = match o.get("options") {
        None => oauth::AuthzenSemantic::ExecuteAll,
        Some(Value::Object(opts)) => match opts.get("evaluations_semantic") {
            None => oauth::AuthzenSemantic::ExecuteAll,
            Some(Value::String(s)) => oauth::AuthzenSemantic::from_name(s)?,
            Some(_) => return Err(Error::InvalidArgument("evaluations_semantic")),
        },
        Some(_) => return Err(Error::InvalidArgument("options")),
    };
    oauth::evaluations_request(&authzen_evaluation(&o)?, &items, semantic)
}

/// A PDP decision: `(decision, context as JSON)`.
pub type AuthzenDecisionInfo = (bool, Option<String>);

fn decision_info(d: oauth::AuthzenDecision) -> AuthzenDecisionInfo {
    (
        d.decision,
        d.context.map(|c| json::to_compact(&Value::Object(c))),
    )
}

/// Parses an AuthZEN Access Evaluation response.
///
/// # Errors
/// As [`oauth::parse_decision`].
pub fn authzen_parse_decision(text: &str) -> Result<AuthzenDecisionInfo, Error> {
    oauth::parse_decision(text, &LIMITS).map(decision_info)
}

/// Parses an AuthZEN Access Evaluations response for `count` items under `semantic`
/// (`execute_all`, `deny_on_first_deny`, `permit_on_first_permit`).
///
/// # Errors
/// As [`oauth::parse_evaluations`]; `invalid-argument` (`evaluations_semantic`).
pub fn authzen_parse_evaluations(
    text: &str,
    count: u32,
    semantic: &str,
) -> Result<Vec<AuthzenDecisionInfo>, Error> {
    let semantic = oauth::AuthzenSemantic::from_name(semantic)?;
    let count = usize::try_from(count).map_err(|_| Error::InvalidArgument("count"))?;
    Ok(oauth::parse_evaluations(text, count, semantic, &LIMITS)?
        .into_iter()
        .map(decision_info)
        .collect())
}

/// The AuthZEN metadata URL of a PDP identifier.
///
/// # Errors
/// As [`oauth::pdp_metadata_url`].
pub fn authzen_metadata_url(pdp: &str) -> Result<String, Error> {
    oauth::pdp_metadata_url(pdp)
}

/// Parses a fetched PDP metadata document for `expected_pdp`; every member read, as JSON.
///
/// # Errors
/// As [`oauth::parse_pdp_metadata`].
pub fn authzen_parse_metadata(text: &str, expected_pdp: &str) -> Result<String, Error> {
    let m = oauth::parse_pdp_metadata(text, expected_pdp, &LIMITS)?;
    let mut o = Object::new();
    o.insert(
        "policy_decision_point".into(),
        m.policy_decision_point.into(),
    );
    o.insert(
        "access_evaluation_endpoint".into(),
        m.access_evaluation_endpoint.into(),
    );
    let opt = |v: Option<String>| v.map_or(Value::Null, Value::String);
    o.insert(
        "access_evaluations_endpoint".into(),
        opt(m.access_evaluations_endpoint),
    );
    o.insert(
        "search_subject_endpoint".into(),
        opt(m.search_subject_endpoint),
    );
    o.insert(
        "search_resource_endpoint".into(),
        opt(m.search_resource_endpoint),
    );
    o.insert(
        "search_action_endpoint".into(),
        opt(m.search_action_endpoint),
    );
    o.insert("capabilities".into(), m.capabilities.into());
    Ok(json::to_compact(&Value::Object(o)))
}

/// What an A2A Agent Card (or one of its skills) requires, as JSON: a list of alternatives, each
/// a list of `{"name", "kind", "scopes", "details"}` that must be presented together.
///
/// # Errors
/// As [`oauth::agent_card_requirements`].
pub fn agent_card_requirements(card: &str, skill: Option<&str>) -> Result<String, Error> {
    let alternatives = oauth::agent_card_requirements(card, skill, &LIMITS)?;
    Ok(json::to_compact(&Value::Array(
        alternatives
            .into_iter()
            .map(|all| {
                Value::Array(
                    all.into_iter()
                        .map(|r| {
                            let mut o = Object::new();
                            o.insert("name".into(), r.name.into());
                            o.insert("kind".into(), r.kind.into());
                            o.insert("scopes".into(), r.scopes.into());
                            o.insert("details".into(), Value::Object(r.details));
                            Value::Object(o)
                        })
                        .collect(),
                )
            })
            .collect(),
    )))
}

/// Checks a Client ID Metadata Document fetched from `url`; the document as compact JSON.
///
/// # Errors
/// As [`oauth::check_client_metadata_document`].
pub fn check_client_metadata_document(text: &str, url: &str) -> Result<String, Error> {
    oauth::check_client_metadata_document(text, url).map(|o| json::to_compact(&Value::Object(o)))
}

/// Signs an A2A Agent Card (JSON text in and out) with `key` (which needs a `kid`).
///
/// # Errors
/// As [`oauth::sign_agent_card`].
pub fn sign_agent_card(card: &str, key: &crate::crypto::KeyPair) -> Result<String, Error> {
    oauth::sign_agent_card(card, key, &LIMITS)
}

/// Verifies an A2A Agent Card against pinned keys (a JWK Set or one JWK) and algorithms;
/// returns the `(kid, alg)` of the signature that verified.
///
/// # Errors
/// As [`oauth::verify_agent_card`].
pub fn verify_agent_card<S: AsRef<str>>(
    card: &str,
    keys: &str,
    algorithms_: &[S],
) -> Result<(String, String), Error> {
    let v = oauth::verify_agent_card(card, &key_set(keys)?, algorithms(algorithms_)?, &LIMITS)?;
    Ok((v.kid, v.alg))
}

/// Parses `WWW-Authenticate` field values; JSON `[{"scheme", "token68", "params": [[name,
/// value], ...]}]`.
///
/// # Errors
/// As [`oauth::parse_www_authenticate`].
pub fn parse_www_authenticate<S: AsRef<str>>(values: &[S]) -> Result<String, Error> {
    let values: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
    let challenges = oauth::parse_www_authenticate(&values)?;
    Ok(json::to_compact(&Value::Array(
        challenges
            .into_iter()
            .map(|c| {
                let mut o = Object::new();
                o.insert("scheme".into(), c.scheme.into());
                o.insert(
                    "token68".into(),
                    c.token68.map_or(Value::Null, Value::String),
                );
                o.insert(
                    "params".into(),
                    Value::Array(
                        c.params
                            .into_iter()
                            .map(|(n, v)| Value::Array(vec![n.into(), v.into()]))
                            .collect(),
                    ),
                );
                Value::Object(o)
            })
            .collect(),
    )))
}

/// The protected-resource metadata URLs to try ([`oauth::resource_metadata_candidates`]).
///
/// # Errors
/// As [`oauth::resource_metadata_candidates`].
pub fn resource_metadata_candidates(
    server_url: &str,
    resource_metadata: Option<&str>,
) -> Result<Vec<String>, Error> {
    oauth::resource_metadata_candidates(server_url, resource_metadata)
}

/// The authorization-server metadata URLs to try
/// ([`oauth::authorization_server_metadata_candidates`]).
///
/// # Errors
/// As [`oauth::authorization_server_metadata_candidates`].
pub fn authorization_server_metadata_candidates(issuer: &str) -> Result<Vec<String>, Error> {
    oauth::authorization_server_metadata_candidates(issuer)
}

/// Parses authorization-server metadata for `expected_issuer`; every member read, as JSON.
///
/// # Errors
/// As [`oauth::parse_authorization_server_metadata`].
pub fn parse_authorization_server_metadata(
    text: &str,
    expected_issuer: &str,
) -> Result<String, Error> {
    let m = oauth::parse_authorization_server_metadata(text, expected_issuer, &LIMITS)?;
    let opt = |v: Option<String>| v.map_or(Value::Null, Value::String);
    let mut o = Object::new();
    o.insert("issuer".into(), m.issuer.into());
    o.insert("token_endpoint".into(), m.token_endpoint.into());
    o.insert(
        "authorization_endpoint".into(),
        opt(m.authorization_endpoint),
    );
    o.insert("jwks_uri".into(), opt(m.jwks_uri));
    o.insert("registration_endpoint".into(), opt(m.registration_endpoint));
    o.insert("scopes_supported".into(), m.scopes_supported.into());
    o.insert(
        "dpop_signing_alg_values_supported".into(),
        m.dpop_signing_alg_values_supported.into(),
    );
    o.insert(
        "code_challenge_methods_supported".into(),
        m.code_challenge_methods_supported.into(),
    );
    o.insert(
        "client_id_metadata_document_supported".into(),
        m.client_id_metadata_document_supported.into(),
    );
    o.insert(
        "authorization_response_iss_parameter_supported".into(),
        m.authorization_response_iss_parameter_supported.into(),
    );
    Ok(json::to_compact(&Value::Object(o)))
}

/// Creates the `OAuth-Client-Attestation-PoP` for the SPIFFE WIT client-authentication mode.
///
/// # Errors
/// As [`oauth::create_client_attestation_pop`].
pub fn create_client_attestation_pop(
    key: &crate::crypto::KeyPair,
    wit: &str,
    issuer: &str,
    jti: &str,
    challenge: Option<&str>,
    now: u64,
) -> Result<String, Error> {
    oauth::create_client_attestation_pop(key, wit, issuer, jti, challenge, UnixTime(now))
}

/// Verifies the SPIFFE WIT client-authentication mode (WIT + attestation PoP) against a trust
/// store (bundle map JSON) for this AS's `issuer`; the PoP may be at most 300 s old. Returns the
/// client's SPIFFE ID.
///
/// # Errors
/// As [`oauth::verify_wit_client_attestation`].
#[allow(clippy::too_many_arguments)]
pub fn verify_wit_client_attestation(
    wit: &str,
    pop: &str,
    trust_store: &str,
    issuer: &str,
    challenge: Option<&str>,
    now: u64,
    replay: Option<&mut crate::proof::ReplayCache>,
) -> Result<String, Error> {
    let store = crate::identity::TrustStore::from_bundle_map(trust_store, &LIMITS)?;
    oauth::verify_wit_client_attestation(
        wit,
        pop,
        &store,
        issuer,
        challenge,
        300,
        UnixTime(now),
        replay,
    )
}

/// Writes a Client ID Metadata Document from its description (checked as an AS would).
///
/// # Errors
/// As [`oauth::client_metadata_document`].
pub fn client_metadata_document(description: &str) -> Result<String, Error> {
    oauth::client_metadata_document(description)
}

/// Plans an MCP authorization from the resource's metadata document (checked against
/// `expected_resource`), the authorization server's (checked against `issuer`) and the
/// challenge's scope; JSON `{"resource", "issuer", "token_endpoint", "authorization_endpoint",
/// "scope", "registration", "dpop"}`.
///
/// # Errors
/// As [`oauth::parse_resource_metadata`], [`oauth::parse_authorization_server_metadata`] and
/// [`oauth::plan_authorization`].
pub fn plan_authorization(
    resource_metadata: &str,
    expected_resource: &str,
    server_metadata: &str,
    issuer: &str,
    challenge_scope: Option<&str>,
    preregistered: bool,
) -> Result<String, Error> {
    let prm = oauth::parse_resource_metadata(resource_metadata, expected_resource, &LIMITS)?;
    let asm = oauth::parse_authorization_server_metadata(server_metadata, issuer, &LIMITS)?;
    let p = oauth::plan_authorization(&prm, &asm, challenge_scope, preregistered)?;
    let opt = |v: Option<String>| v.map_or(Value::Null, Value::String);
    let mut o = Object::new();
    o.insert("resource".into(), p.resource.into());
    o.insert("issuer".into(), p.issuer.into());
    o.insert("token_endpoint".into(), p.token_endpoint.into());
    o.insert(
        "authorization_endpoint".into(),
        opt(p.authorization_endpoint),
    );
    o.insert("scope".into(), opt(p.scope));
    o.insert("registration".into(), p.registration.into());
    o.insert("dpop".into(), p.dpop.into());
    Ok(json::to_compact(&Value::Object(o)))
}
