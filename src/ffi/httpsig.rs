//! HTTP Message Signatures in the cross-language shape: messages, policies and keys as JSON
//! text, bodies as bytes.
//!
//! A message is `{"method": "POST", "target_uri": "https://...", "headers": [["name",
//! "value"], ...], "trailers": [...]}` for a request, or `{"status": 200, "headers": [...],
//! "trailers": [...], "request": {<request>}}` for a response (`request` is needed for `;req`
//! components). Unknown members are refused.

use serde_json::Value;

use super::LIMITS;
use crate::crypto::{Jwk, KeyPair};
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::httpsig::{
    self, DigestAlgorithm, FieldType, HttpSigAlgorithm, Message, Request, Response,
    SignatureParams, VerificationKey, VerifyPolicy, WimseSignParams, WimseVerifyConfig,
    WimseVersion,
};
use crate::identity::{TrustStore, WitProfile};
use crate::proof::ReplayCache;
use crate::time::UnixTime;

/// A parsed message with owned fields (the borrowed [`Message`] points into it).
#[derive(Debug)]
pub struct OwnedMessage {
    method: String,
    target_uri: String,
    status: Option<u16>,
    headers: Vec<(String, String)>,
    trailers: Vec<(String, String)>,
    request: Option<Box<OwnedMessage>>,
}

fn pairs(v: Option<&Value>, what: &'static str) -> Result<Vec<(String, String)>, Error> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([Value::String(n), Value::String(v)]) => Ok((n.clone(), v.clone())),
                _ => Err(Error::InvalidArgument(what)),
            })
            .collect(),
        Some(_) => Err(Error::InvalidArgument(what)),
    }
}

fn owned(obj: &Object, nested: bool) -> Result<OwnedMessage, Error> {
    if obj.keys().any(|k| {
        !matches!(
            k.as_str(),
            "method" | "target_uri" | "status" | "headers" | "trailers" | "request"
        )
    }) {
        return Err(Error::InvalidArgument("message: unknown member"));
    }
    let text = |name: &str| obj.get(name).and_then(Value::as_str).map(str::to_owned);
    let status = match obj.get("status") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (100..=999).contains(s))
                .ok_or(Error::InvalidArgument("status"))?,
        ),
    };
    let request = match obj.get("request") {
        None => None,
        Some(Value::Object(r)) if !nested && status.is_some() => Some(Box::new(owned(r, true)?)),
        Some(_) => return Err(Error::InvalidArgument("request")),
    };
    let (method, target_uri) = match (status, text("method"), text("target_uri")) {
        (None, Some(m), Some(t)) => (m, t),
        (Some(_), None, None) => (String::new(), String::new()),
        _ => return Err(Error::InvalidArgument("message")),
    };
    Ok(OwnedMessage {
        method,
        target_uri,
        status,
        headers: pairs(obj.get("headers"), "headers")?,
        trailers: pairs(obj.get("trailers"), "trailers")?,
        request,
    })
}

impl OwnedMessage {
    /// Parses the JSON message described in the module documentation.
    ///
    /// # Errors
    /// JSON errors; `invalid-argument` naming the bad member.
    pub fn parse(text: &str) -> Result<Self, Error> {
        owned(&json::parse_object(text.as_bytes(), &LIMITS)?, false)
    }

    fn request(&self) -> Request<'_> {
        Request {
            method: &self.method,
            target_uri: &self.target_uri,
            headers: &self.headers,
            trailers: &self.trailers,
        }
    }

    /// The borrowed message.
    pub fn message(&self) -> Message<'_> {
        match self.status {
            None => Message::Request(self.request()),
            Some(status) => Message::Response(
                Response {
                    status,
                    headers: &self.headers,
                    trailers: &self.trailers,
                },
                self.request.as_deref().map(Self::request),
            ),
        }
    }
}

fn signature_params(text: &str) -> Result<SignatureParams, Error> {
    // `[["created", 1618884473], ["keyid", "k"], ["wimse-sign-response", true], ...]`: an array
    // so that the order is the caller's.
    let value = json::parse_value(text.as_bytes(), &LIMITS)?;
    let Value::Array(items) = value else {
        return Err(Error::InvalidArgument("params"));
    };
    let mut params = SignatureParams::new();
    for item in items {
        params = match item.as_array().map(Vec::as_slice) {
            Some([Value::String(n), Value::Number(v)]) if n == "created" => params.created(
                UnixTime(v.as_u64().ok_or(Error::InvalidArgument("params"))?),
            ),
            Some([Value::String(n), Value::Number(v)]) if n == "expires" => params.expires(
                UnixTime(v.as_u64().ok_or(Error::InvalidArgument("params"))?),
            ),
            Some([Value::String(n), Value::String(v)]) => params.string(n, v)?,
            Some([Value::String(n), Value::Bool(true)]) => params.flag(n)?,
            _ => return Err(Error::InvalidArgument("params")),
        };
    }
    Ok(params)
}

/// A signature ready to send, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHttpMessage {
    /// The `Signature-Input` member (`label=(...);params`).
    pub signature_input: String,
    /// The `Signature` member (`label=:base64:`).
    pub signature: String,
    /// The signature base that was signed.
    pub base: String,
}

/// Signs a message ([`httpsig::sign`]). `params` is a JSON array of `[name, value]` pairs in
/// the order to serialize (`created`/`expires` numbers, strings, `true` flags).
///
/// # Errors
/// As [`httpsig::sign`]; `invalid-argument` for the message or parameters.
pub fn http_sign(
    message: &str,
    label: &str,
    components: &[String],
    params: &str,
    key: &KeyPair,
) -> Result<SignedHttpMessage, Error> {
    let m = OwnedMessage::parse(message)?;
    let comps: Vec<&str> = components.iter().map(String::as_str).collect();
    let s = httpsig::sign(
        &m.message(),
        label,
        &comps,
        &signature_params(params)?,
        key,
        &[],
    )?;
    Ok(SignedHttpMessage {
        signature_input: s.signature_input,
        signature: s.signature,
        base: s.base,
    })
}

/// The signature base for one `Signature-Input` member (`label=(...);params`) of `message`.
///
/// # Errors
/// `malformed-http-signature` for a member that is not one inner list; as
/// [`httpsig::signature_base`].
pub fn http_signature_base(message: &str, signature_input: &str) -> Result<String, Error> {
    let m = OwnedMessage::parse(message)?;
    let dict: sfv::Dictionary = sfv::Parser::new(signature_input)
        .with_version(sfv::Version::Rfc8941)
        .parse()
        .map_err(|_| Error::MalformedHttpSignature)?;
    let mut entries = dict.into_values();
    let (Some(sfv::ListEntry::InnerList(list)), None) = (entries.next(), entries.next()) else {
        return Err(Error::MalformedHttpSignature);
    };
    httpsig::signature_base(&m.message(), &list, &[])
}

fn verify_policy(text: &str) -> Result<VerifyPolicy, Error> {
    let obj = json::parse_object(text.as_bytes(), &LIMITS)?;
    let strings = |name: &str| -> Result<Option<Vec<String>>, Error> {
        match obj.get(name) {
            None => Ok(None),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or(Error::InvalidArgument("policy"))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(Error::InvalidArgument("policy")),
        }
    };
    let mut p = VerifyPolicy::default();
    for (k, v) in &obj {
        match k.as_str() {
            "label" | "tag" => {
                let s = v
                    .as_str()
                    .ok_or(Error::InvalidArgument("policy"))?
                    .to_owned();
                if k == "label" {
                    p.label = Some(s);
                } else {
                    p.tag = Some(s);
                }
            }
            "required_components" | "required_params" | "forbidden_params" | "algorithms" => {}
            "max_age" => p.max_age = Some(v.as_u64().ok_or(Error::InvalidArgument("max_age"))?),
            "leeway" => p.leeway = v.as_u64().ok_or(Error::InvalidArgument("leeway"))?,
            "require_digest_for_body" => {
                p.require_digest_for_body = v.as_bool().ok_or(Error::InvalidArgument("policy"))?;
            }
            "field_types" => {
                let Value::Object(types) = v else {
                    return Err(Error::InvalidArgument("field_types"));
                };
                for (name, ty) in types {
                    let ty = match ty.as_str() {
                        Some("item") => FieldType::Item,
                        Some("list") => FieldType::List,
                        Some("dictionary") => FieldType::Dictionary,
                        _ => return Err(Error::InvalidArgument("field_types")),
                    };
                    p.field_types.push((name.clone(), ty));
                }
            }
            _ => return Err(Error::InvalidArgument("policy: unknown member")),
        }
    }
    if let Some(c) = strings("required_components")? {
        p.required_components = c;
    }
    if let Some(c) = strings("required_params")? {
        p.required_params = c;
    }
    if let Some(c) = strings("forbidden_params")? {
        p.forbidden_params = c;
    }
    if let Some(names) = strings("algorithms")? {
        p.algorithms = names
            .iter()
            .map(|n| HttpSigAlgorithm::from_name(n).ok_or(Error::AlgorithmNotAllowed))
            .collect::<Result<_, _>>()?;
    }
    Ok(p)
}

fn verification_keys(text: &str) -> Result<Vec<VerificationKey>, Error> {
    // `[{"keyid": "k1", "alg": "ed25519", "jwk": {...}}, ...]`
    let value = json::parse_value(text.as_bytes(), &LIMITS)?;
    let Value::Array(items) = value else {
        return Err(Error::InvalidArgument("keys"));
    };
    if items.len() > LIMITS.max_keys {
        return Err(Error::LimitExceeded(crate::error::Limit::Keys));
    }
    items
        .iter()
        .map(|item| {
            let obj = item.as_object().ok_or(Error::InvalidArgument("keys"))?;
            if obj
                .keys()
                .any(|k| !matches!(k.as_str(), "keyid" | "alg" | "jwk"))
            {
                return Err(Error::InvalidArgument("keys: unknown member"));
            }
            let alg = obj
                .get("alg")
                .and_then(Value::as_str)
                .and_then(HttpSigAlgorithm::from_name)
                .ok_or(Error::AlgorithmNotAllowed)?;
            let jwk = obj
                .get("jwk")
                .and_then(Value::as_object)
                .ok_or(Error::InvalidArgument("keys"))?;
            Ok(VerificationKey {
                keyid: obj.get("keyid").and_then(Value::as_str).map(str::to_owned),
                key: Jwk::from_object(jwk)?,
                alg,
            })
        })
        .collect()
}

/// A verified signature, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedHttpSignature {
    /// The label.
    pub label: String,
    /// Covered component identifiers, serialized.
    pub components: Vec<String>,
    /// `keyid`.
    pub keyid: Option<String>,
    /// `tag`.
    pub tag: Option<String>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// `created`.
    pub created: Option<u64>,
    /// `expires`.
    pub expires: Option<u64>,
    /// Whether `content-digest` was covered and checked against the body.
    pub digest_checked: bool,
}

fn verified(v: httpsig::VerifiedSignature) -> VerifiedHttpSignature {
    VerifiedHttpSignature {
        label: v.label,
        components: v.components,
        keyid: v.keyid,
        tag: v.tag,
        nonce: v.nonce,
        created: v.created,
        expires: v.expires,
        digest_checked: v.digest_checked,
    }
}

/// Verifies a signature of `message` ([`httpsig::verify`]). `policy` is JSON (`label`, `tag`,
/// `required_components`, `required_params`, `forbidden_params`, `max_age`, `leeway`,
/// `algorithms`, `require_digest_for_body`, `field_types`); `keys` a JSON array of
/// `{"keyid", "alg", "jwk"}`.
///
/// # Errors
/// As [`httpsig::verify`]; `invalid-argument` for the message, policy or keys.
pub fn http_verify(
    message: &str,
    body: Option<&[u8]>,
    policy: &str,
    keys: &str,
    now: u64,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedHttpSignature, Error> {
    let m = OwnedMessage::parse(message)?;
    let policy = verify_policy(policy)?;
    let keys = verification_keys(keys)?;
    httpsig::verify(&m.message(), body, &policy, &keys, UnixTime(now), replay).map(verified)
}

/// The `Content-Digest` value for `body` (`algorithms`: `sha-256`, `sha-512`).
///
/// # Errors
/// `invalid-argument` (`algorithms`) for an unknown or empty list.
pub fn http_content_digest(body: &[u8], algorithms: &[String]) -> Result<String, Error> {
    let algs = algorithms
        .iter()
        .map(|a| match a.as_str() {
            "sha-256" => Ok(DigestAlgorithm::Sha256),
            "sha-512" => Ok(DigestAlgorithm::Sha512),
            _ => Err(Error::InvalidArgument("algorithms")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if algs.is_empty() {
        return Err(Error::InvalidArgument("algorithms"));
    }
    Ok(httpsig::content_digest(body, &algs))
}

/// [`httpsig::verify_content_digest`].
///
/// # Errors
/// As [`httpsig::verify_content_digest`].
pub fn http_verify_content_digest(field: &str, body: &[u8]) -> Result<(), Error> {
    httpsig::verify_content_digest(field, body)
}

/// A WIMSE signature to add to a message, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WimseSignatureInfo {
    /// `Content-Digest` to add (when there is a body).
    pub content_digest: Option<String>,
    /// `Signature-Input` value.
    pub signature_input: String,
    /// `Signature` value.
    pub signature: String,
}

impl From<httpsig::WimseSignature> for WimseSignatureInfo {
    fn from(s: httpsig::WimseSignature) -> Self {
        Self {
            content_digest: s.content_digest,
            signature_input: s.signature_input,
            signature: s.signature,
        }
    }
}

fn wimse_params<'n>(
    now: u64,
    lifetime: u64,
    nonce: &'n str,
    version: &str,
) -> Result<WimseSignParams<'n>, Error> {
    Ok(WimseSignParams {
        created: UnixTime(now),
        lifetime,
        nonce,
        version: wimse_version(version)?,
    })
}

fn wimse_version(v: &str) -> Result<WimseVersion, Error> {
    match v {
        "06" | "-06" | "draft-06" => Ok(WimseVersion::Draft06),
        "07" | "-07" | "draft-07" => Ok(WimseVersion::Draft07),
        _ => Err(Error::InvalidArgument("version")),
    }
}

/// Signs a request in the WIMSE profile (`version` `draft-06` or `draft-07`).
///
/// # Errors
/// As [`httpsig::sign_wimse_request`]; `invalid-argument` for the message or version.
#[allow(clippy::too_many_arguments)]
pub fn wimse_sign_request(
    message: &str,
    body: Option<&[u8]>,
    key: &KeyPair,
    audience: &str,
    now: u64,
    lifetime: u64,
    nonce: &str,
    version: &str,
    sign_response: bool,
) -> Result<WimseSignatureInfo, Error> {
    let m = OwnedMessage::parse(message)?;
    let Message::Request(request) = m.message() else {
        return Err(Error::InvalidArgument("message"));
    };
    let params = wimse_params(now, lifetime, nonce, version)?;
    httpsig::sign_wimse_request(&request, body, key, audience, &params, sign_response)
        .map(WimseSignatureInfo::from)
}

/// Signs a response (with its `request` member) in the WIMSE profile.
///
/// # Errors
/// As [`httpsig::sign_wimse_response`].
#[allow(clippy::too_many_arguments)]
pub fn wimse_sign_response(
    message: &str,
    body: Option<&[u8]>,
    request_nonce: &str,
    key: &KeyPair,
    now: u64,
    lifetime: u64,
    nonce: &str,
    version: &str,
) -> Result<WimseSignatureInfo, Error> {
    let m = OwnedMessage::parse(message)?;
    let Message::Response(response, Some(request)) = m.message() else {
        return Err(Error::InvalidArgument("message"));
    };
    let params = wimse_params(now, lifetime, nonce, version)?;
    httpsig::sign_wimse_response(&response, body, &request, request_nonce, key, &params)
        .map(WimseSignatureInfo::from)
}

fn wimse_config(text: &str) -> Result<WimseVerifyConfig, Error> {
    let obj = json::parse_object(text.as_bytes(), &LIMITS)?;
    let mut c = WimseVerifyConfig::new(Vec::new());
    for (k, v) in &obj {
        match k.as_str() {
            "audiences" => {
                c.audiences = v
                    .as_array()
                    .ok_or(Error::InvalidArgument("audiences"))?
                    .iter()
                    .map(|a| {
                        a.as_str()
                            .map(str::to_owned)
                            .ok_or(Error::InvalidArgument("audiences"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "max_age" => c.max_age = v.as_u64().ok_or(Error::InvalidArgument("max_age"))?,
            "max_lifetime" => {
                c.max_lifetime = v.as_u64().ok_or(Error::InvalidArgument("max_lifetime"))?;
            }
            "leeway" => c.leeway = v.as_u64().ok_or(Error::InvalidArgument("leeway"))?,
            "max_wit_lifetime" => {
                c.wit.max_lifetime = v
                    .as_u64()
                    .ok_or(Error::InvalidArgument("max_wit_lifetime"))?;
            }
            "wit_profile" => {
                c.wit.profile = match v.as_str() {
                    Some("wimse") => WitProfile::Wimse,
                    Some("wit-svid") => WitProfile::WitSvid,
                    _ => return Err(Error::InvalidArgument("wit_profile")),
                };
            }
            _ => return Err(Error::InvalidArgument("config: unknown member")),
        }
    }
    Ok(c)
}

/// A verified WIMSE-signed message, as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedWimseInfo {
    /// The authenticated peer (its WIT's `sub`).
    pub subject: String,
    /// Its trust domain.
    pub trust_domain: String,
    /// The signature.
    pub signature: VerifiedHttpSignature,
    /// The request asked for a signed response.
    pub sign_response: bool,
}

fn wimse_info(v: httpsig::VerifiedWimseMessage) -> VerifiedWimseInfo {
    VerifiedWimseInfo {
        subject: v.wit.subject.as_str().to_owned(),
        trust_domain: v.wit.subject.trust_domain().to_owned(),
        signature: verified(v.signature),
        sign_response: v.sign_response,
    }
}

/// Verifies a WIMSE-signed request: WIT first, then the signature. `config`: `{"audiences":
/// [...], "max_age", "max_lifetime", "leeway", "max_wit_lifetime", "wit_profile"}`.
///
/// # Errors
/// As [`httpsig::verify_wimse_request`].
pub fn wimse_verify_request(
    message: &str,
    body: Option<&[u8]>,
    trust_store: &str,
    config: &str,
    now: u64,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedWimseInfo, Error> {
    let m = OwnedMessage::parse(message)?;
    let Message::Request(request) = m.message() else {
        return Err(Error::InvalidArgument("message"));
    };
    let store = TrustStore::from_bundle_map(trust_store, &LIMITS)?;
    let config = wimse_config(config)?;
    httpsig::verify_wimse_request(&request, body, &store, &config, UnixTime(now), replay)
        .map(wimse_info)
}

/// Verifies a WIMSE-signed response (with its `request` member) against the responder's WIT and
/// the nonce our request carried.
///
/// # Errors
/// As [`httpsig::verify_wimse_response`].
pub fn wimse_verify_response(
    message: &str,
    body: Option<&[u8]>,
    request_nonce: &str,
    trust_store: &str,
    config: &str,
    now: u64,
) -> Result<VerifiedWimseInfo, Error> {
    let m = OwnedMessage::parse(message)?;
    let Message::Response(response, Some(request)) = m.message() else {
        return Err(Error::InvalidArgument("message"));
    };
    let store = TrustStore::from_bundle_map(trust_store, &LIMITS)?;
    let config = wimse_config(config)?;
    httpsig::verify_wimse_response(
        &response,
        body,
        &request,
        request_nonce,
        &store,
        &config,
        UnixTime(now),
    )
    .map(wimse_info)
}
