//! What an A2A Agent Card asks a caller to present (specs/oauth.md §9.2), read from both card
//! generations: v1.0 (`securitySchemes` as one-of wrappers such as `oauth2SecurityScheme`,
//! `securityRequirements` entries with `schemes` → `{"list": [...]}`) and v0.3 (OpenAPI 3.0
//! objects with a `type` discriminator, `security` as a list of maps). Requirements follow
//! OpenAPI semantics: the entries are **alternatives**, the schemes inside one entry are all
//! required. A requirement that names an undeclared scheme, or a scheme of an unknown kind, is
//! refused (`claim-invalid`) rather than skipped: a caller must not guess.
//!
//! Also the OAuth Client ID Metadata Document (specs/oauth.md §8), which agents publish as
//! their `client_id`.

use serde_json::Value;

use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::limits::Limits;

/// One scheme a requirement names, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredScheme {
    /// The scheme's name in the card.
    pub name: String,
    /// `oauth2`, `openIdConnect`, `http`, `apiKey` or `mtls`.
    pub kind: String,
    /// Scopes the requirement asks for.
    pub scopes: Vec<String>,
    /// The scheme's details, normalised: `token_url`, `authorization_url`,
    /// `device_authorization_url`, `metadata_url` (oauth2), `openid_connect_url`, `scheme` and
    /// `bearer_format` (http), `location` and `parameter` (apiKey).
    pub details: Object,
}

fn text<'a>(o: &'a Object, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| o.get(*n).and_then(Value::as_str))
}

/// Normalises one declared scheme (either generation) to `(kind, details)`.
fn scheme(v: &Value) -> Result<(String, Object), Error> {
    let bad = Error::ClaimInvalid("securitySchemes");
    let o = v.as_object().ok_or(bad)?;
    let mut d = Object::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            d.insert(k.into(), v.into());
        }
    };
    // v1.0 one-of wrappers.
    let wrapped = [
        ("oauth2SecurityScheme", "oauth2"),
        ("openIdConnectSecurityScheme", "openIdConnect"),
        ("httpAuthSecurityScheme", "http"),
        ("apiKeySecurityScheme", "apiKey"),
        ("mtlsSecurityScheme", "mtls"),
    ];
    let (kind, body) = if let Some((key, kind)) = wrapped.iter().find(|(k, _)| o.contains_key(*k)) {
        if o.len() != 1 {
            return Err(bad);
        }
        (
            (*kind).to_owned(),
            o.get(*key).and_then(Value::as_object).ok_or(bad)?,
        )
    } else {
        // v0.3: OpenAPI `type`.
        let kind = match o.get("type").and_then(Value::as_str) {
            Some("oauth2") => "oauth2",
            Some("openIdConnect") => "openIdConnect",
            Some("http") => "http",
            Some("apiKey") => "apiKey",
            Some("mutualTLS") => "mtls",
            _ => return Err(bad),
        };
        (kind.to_owned(), o)
    };
    match kind.as_str() {
        "oauth2" => {
            put("metadata_url", text(body, &["oauth2MetadataUrl"]));
            let flows = body.get("flows").and_then(Value::as_object);
            // The first flow present, in the order a machine caller prefers.
            for (flow, name) in [
                ("clientCredentials", "client_credentials"),
                ("authorizationCode", "authorization_code"),
                ("authorizationCodeFlow", "authorization_code"),
                ("deviceCode", "device_code"),
            ] {
                if let Some(f) = flows.and_then(|f| f.get(flow)).and_then(Value::as_object) {
                    put("flow", Some(name));
                    put("token_url", text(f, &["tokenUrl"]));
                    put("authorization_url", text(f, &["authorizationUrl"]));
                    put(
                        "device_authorization_url",
                        text(f, &["deviceAuthorizationUrl"]),
                    );
                    break;
                }
            }
        }
        "openIdConnect" => put("openid_connect_url", text(body, &["openIdConnectUrl"])),
        "http" => {
            let s = text(body, &["scheme"]).ok_or(bad)?;
            // RFC 9110 auth schemes are case-insensitive; report the registered spelling.
            let canonical = match s.to_ascii_lowercase().as_str() {
                "bearer" => "Bearer",
                "dpop" => "DPoP",
                "basic" => "Basic",
                _ => s,
            };
            put("scheme", Some(canonical));
            put("bearer_format", text(body, &["bearerFormat"]));
        }
        "apiKey" => {
            put("location", text(body, &["location", "in"]));
            put("parameter", text(body, &["name"]));
        }
        _ => {}
    }
    Ok((kind, d))
}

fn scopes_of(v: &Value) -> Result<Vec<String>, Error> {
    let bad = Error::ClaimInvalid("securityRequirements");
    let list = match v {
        // v1.0: {"list": [...]} (an empty list serialises as {}).
        Value::Object(o) => match o.get("list") {
            None if o.is_empty() => return Ok(Vec::new()),
            Some(Value::Array(a)) => a,
            _ => return Err(bad),
        },
        // v0.3: [...]
        Value::Array(a) => a,
        _ => return Err(bad),
    };
    list.iter()
        .map(|s| s.as_str().map(str::to_owned).ok_or(bad))
        .collect()
}

/// The alternatives a card (or one of its skills) requires: each inner list (sorted by scheme
/// name) must be presented together; any one inner list suffices. Empty: the card declares no
/// requirement.
///
/// # Errors
/// JSON errors; `claim-invalid` (`securitySchemes`, `securityRequirements`) for a malformed or
/// unknown scheme, or a requirement naming an undeclared scheme; `invalid-argument` (`skill`)
/// for a skill the card does not list.
pub fn agent_card_requirements(
    card: &str,
    skill: Option<&str>,
    limits: &Limits,
) -> Result<Vec<Vec<RequiredScheme>>, Error> {
    let card = json::parse_object(card.as_bytes(), limits)?;
    let declared = match card.get("securitySchemes") {
        None => Object::new(),
        Some(Value::Object(o)) => o.clone(),
        Some(_) => return Err(Error::ClaimInvalid("securitySchemes")),
    };
    let holder: &Object = match skill {
        None => &card,
        Some(id) => card
            .get("skills")
            .and_then(Value::as_array)
            .and_then(|skills| {
                skills
                    .iter()
                    .filter_map(Value::as_object)
                    .find(|s| s.get("id").and_then(Value::as_str) == Some(id))
            })
            .ok_or(Error::InvalidArgument("skill"))?,
    };
    let bad = Error::ClaimInvalid("securityRequirements");
    let mut out = Vec::new();
    // v1.0 `securityRequirements`: [{"schemes": {name: {"list": [...]}}}]; v0.3 `security`:
    // [{name: [...]}].
    let (entries, v1) = match (holder.get("securityRequirements"), holder.get("security")) {
        (Some(Value::Array(a)), None) => (a, true),
        (None, Some(Value::Array(a))) => (a, false),
        (None, None) => return Ok(out),
        _ => return Err(bad),
    };
    for entry in entries {
        let map = if v1 {
            entry
                .as_object()
                .and_then(|e| e.get("schemes"))
                .and_then(Value::as_object)
                .ok_or(bad)?
        } else {
            entry.as_object().ok_or(bad)?
        };
        let mut all = Vec::new();
        for (name, scopes) in map {
            let def = declared.get(name).ok_or(bad)?;
            let (kind, details) = scheme(def)?;
            all.push(RequiredScheme {
                name: name.clone(),
                kind,
                scopes: scopes_of(scopes)?,
                details,
            });
        }
        all.sort_by(|a, b| a.name.cmp(&b.name));
        out.push(all);
    }
    Ok(out)
}

/// Checks an OAuth Client ID Metadata Document (specs/oauth.md §8) for the URL it was fetched
/// from: `client_id` equal to `url` (simple string comparison), `client_id` an https URL with a
/// path and no dot segments, fragment or userinfo; no shared secrets (`client_secret*` members,
/// symmetric `token_endpoint_auth_method`); `client_name` and `redirect_uris` present (MCP);
/// at most 5 KB. Returns the document as parsed.
///
/// # Errors
/// `limit-exceeded` (`json_bytes`) over 5 KB; JSON errors; `invalid-argument` (`client_id`) for
/// a URL that breaks the rules; `claim-mismatch` (`client_id`); `claim-missing` /
/// `claim-invalid` naming the member.
pub fn check_client_metadata_document(text: &str, url: &str) -> Result<Object, Error> {
    if text.len() > 5 * 1024 {
        return Err(Error::LimitExceeded(crate::error::Limit::JsonBytes));
    }
    if !client_id_url_ok(url) {
        return Err(Error::InvalidArgument("client_id"));
    }
    let o = json::parse_object(text.as_bytes(), &Limits::DEFAULT)?;
    match o.get("client_id") {
        Some(Value::String(c)) if c == url => {}
        Some(Value::String(_)) => return Err(Error::ClaimMismatch("client_id")),
        Some(_) => return Err(Error::ClaimInvalid("client_id")),
        None => return Err(Error::ClaimMissing("client_id")),
    }
    if o.contains_key("client_secret") || o.contains_key("client_secret_expires_at") {
        return Err(Error::ClaimInvalid("client_secret"));
    }
    match o.get("token_endpoint_auth_method").map(|m| m.as_str()) {
        None
        | Some(Some(
            "private_key_jwt" | "none" | "tls_client_auth" | "self_signed_tls_client_auth",
        )) => {}
        Some(_) => return Err(Error::ClaimInvalid("token_endpoint_auth_method")),
    }
    match o.get("client_name") {
        Some(Value::String(n)) if !n.is_empty() => {}
        Some(_) => return Err(Error::ClaimInvalid("client_name")),
        None => return Err(Error::ClaimMissing("client_name")),
    }
    match o.get("redirect_uris") {
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => {}
        Some(_) => return Err(Error::ClaimInvalid("redirect_uris")),
        None => return Err(Error::ClaimMissing("redirect_uris")),
    }
    Ok(o)
}

/// `client_id` URL rules: https, a host, a path, no `.`/`..` segments, no fragment, no userinfo.
fn client_id_url_ok(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = path.split('?').next().unwrap_or_default();
    !authority.is_empty()
        && !authority.contains('@')
        && !url.contains('#')
        && url.is_ascii()
        && path.len() > 1
        && !path.split('/').any(|s| s == "." || s == "..")
}

/// Removes empty strings, arrays and objects (and nulls) recursively, as the A2A SDK does
/// before canonicalising a card; `None` when nothing is left.
fn clean_empty(v: &Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Array(items) => {
            let kept: Vec<Value> = items.iter().filter_map(clean_empty).collect();
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        Value::Object(o) => {
            let kept: Object = o
                .iter()
                .filter_map(|(k, v)| clean_empty(v).map(|v| (k.clone(), v)))
                .collect();
            (!kept.is_empty()).then_some(Value::Object(kept))
        }
        other => Some(other.clone()),
    }
}

/// The bytes an Agent Card signature covers (A2A §8.4): the card without `signatures`, empty
/// values removed, in RFC 8785 canonical form.
///
/// # Errors
/// As [`crate::encoding::jcs::canonicalize`].
pub fn agent_card_payload(card: &Object) -> Result<String, Error> {
    let mut c = card.clone();
    c.remove("signatures");
    let cleaned = clean_empty(&Value::Object(c)).unwrap_or(Value::Object(Object::new()));
    crate::encoding::jcs::canonicalize(&cleaned)
}

/// Adds a signature to an Agent Card (JSON text in, JSON text out): a JWS whose protected
/// header carries `alg`, the key's `kid` (required) and `typ` `JOSE`, over
/// [`agent_card_payload`], appended to `signatures` as `{"protected", "signature"}`.
///
/// # Errors
/// JSON errors; `invalid-argument` (`kid`) for a key without one; as
/// [`crate::encoding::jcs::canonicalize`] and [`crate::jose::sign_jws`].
pub fn sign_agent_card(
    card: &str,
    key: &crate::crypto::KeyPair,
    limits: &Limits,
) -> Result<String, Error> {
    let mut o = json::parse_object(card.as_bytes(), limits)?;
    if key.public_jwk().kid().is_none() {
        return Err(Error::InvalidArgument("kid"));
    }
    let payload = agent_card_payload(&o)?;
    let mut header = Object::new();
    header.insert("typ".into(), "JOSE".into());
    let jws = crate::jose::sign_jws(&header, payload.as_bytes(), key)?;
    let mut parts = jws.split('.');
    let (Some(protected), Some(_), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::MalformedToken);
    };
    let mut sig = Object::new();
    sig.insert("protected".into(), protected.into());
    sig.insert("signature".into(), signature.into());
    match o.get_mut("signatures") {
        Some(Value::Array(list)) => list.push(Value::Object(sig)),
        None => {
            o.insert("signatures".into(), Value::Array(vec![Value::Object(sig)]));
        }
        Some(_) => return Err(Error::ClaimInvalid("signatures")),
    }
    Ok(json::to_compact(&Value::Object(o)))
}

/// The signature of an Agent Card that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedAgentCard {
    /// The signing key's `kid`.
    pub kid: String,
    /// The algorithm.
    pub alg: String,
}

/// Verifies an Agent Card against **pinned** keys (never `jku` or `jwk` from the card): at least
/// one entry of `signatures` must be a JWS, with `kid` in its protected header and `typ` absent or
/// `JOSE`, over [`agent_card_payload`], under a key of `keys` with an allowed algorithm.
///
/// # Errors
/// JSON errors; `credential-missing` (`agent card signature`) without signatures;
/// `claim-invalid` (`signatures`) when it is not a list of `{protected, signature}` objects; for
/// a card whose signatures all fail, the first failure's code (`key-not-found`,
/// `invalid-signature`, `alg-not-allowed`, `typ-mismatch`, `malformed-token`, ...).
pub fn verify_agent_card(
    card: &str,
    keys: &crate::crypto::JwkSet,
    algorithms: crate::crypto::AlgorithmSet,
    limits: &Limits,
) -> Result<VerifiedAgentCard, Error> {
    let o = json::parse_object(card.as_bytes(), limits)?;
    let signatures = match o.get("signatures") {
        None => return Err(Error::CredentialMissing("agent card signature")),
        Some(Value::Array(list)) if list.is_empty() => {
            return Err(Error::CredentialMissing("agent card signature"));
        }
        Some(Value::Array(list)) => list,
        Some(_) => return Err(Error::ClaimInvalid("signatures")),
    };
    let payload = crate::encoding::base64url::encode(agent_card_payload(&o)?.as_bytes());
    let algorithms: crate::crypto::AlgorithmSet = algorithms
        .iter()
        .filter(|a| crate::crypto::AlgorithmSet::ASYMMETRIC.contains(*a))
        .collect();
    let mut first_error = None;
    for s in signatures {
        let result = (|| {
            let s = s.as_object().ok_or(Error::ClaimInvalid("signatures"))?;
            let protected = s
                .get("protected")
                .and_then(Value::as_str)
                .ok_or(Error::ClaimInvalid("signatures"))?;
            let signature = s
                .get("signature")
                .and_then(Value::as_str)
                .ok_or(Error::ClaimInvalid("signatures"))?;
            let compact = format!("{protected}.{payload}.{signature}");
            let jws = crate::jose::parse_jws(&compact, limits)?;
            let kid = jws.header().kid().ok_or(Error::KeyNotFound)?.to_owned();
            if jws
                .header()
                .typ()
                .is_some_and(|t| !t.eq_ignore_ascii_case("JOSE"))
            {
                return Err(Error::TypMismatch);
            }
            let alg = jws.header().alg().to_owned();
            jws.verify(keys, algorithms, limits)?;
            Ok(VerifiedAgentCard { kid, alg })
        })();
        match result {
            Ok(v) => return Ok(v),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(Error::InvalidSignature))
}

/// Writes a Client ID Metadata Document for an agent: the description (RFC 7591 members, with
/// `client_id` the https URL the document will be served at) checked by the same rules an
/// authorization server applies ([`check_client_metadata_document`]), as compact JSON.
///
/// # Errors
/// As [`check_client_metadata_document`]; `claim-missing` (`client_id`).
pub fn client_metadata_document(description: &str) -> Result<String, Error> {
    let o = json::parse_object(description.as_bytes(), &Limits::DEFAULT)?;
    let url = o
        .get("client_id")
        .and_then(Value::as_str)
        .ok_or(Error::ClaimMissing("client_id"))?;
    let text = json::to_compact(&Value::Object(o.clone()));
    check_client_metadata_document(&text, url).map(|_| text)
}
