//! HTTP Message Signatures (RFC 9421) and Content-Digest (RFC 9530).
//!
//! Messages are given as received: a request (method, the absolute target URI the host
//! reconstructed from its configuration, header and trailer pairs with repeats kept) or a
//! response (status, fields, and the request it answers for `;req` components). Structured
//! fields (RFC 8941) are parsed and serialized with the `sfv` crate in RFC 8941 mode.
//!
//! The signature base follows RFC 9421 §2.5 exactly: identifiers re-serialized strictly (a
//! received `;req=?1` becomes `;req`), field values trimmed and joined with `", "`, derived
//! components computed from the message (never looked up as headers), and the
//! `@signature-params` line re-serialized from the parsed Signature-Input member with its
//! parameters in received order, unknown ones included.
//!
//! [`verify`] fails closed, each failure one code: malformed `Signature`/`Signature-Input` or a
//! duplicated label (`malformed-http-signature`); no applicable signature
//! (`credential-missing`); a policy-required component not covered
//! (`component-not-covered`); a component that cannot be computed (`invalid-component`);
//! parameter rules (`claim-missing`, `claim-invalid`, `claim-mismatch`, `token-too-old`,
//! `token-issued-in-future`, `token-expired`, `replayed`); key and algorithm
//! (`key-not-found`, `alg-not-allowed`, `key-mismatch`); the signature
//! (`invalid-signature`); and, **whenever `content-digest` is covered**, the digest of the body
//! actually received (`digest-mismatch`) — the signature alone never vouches for a body.

mod base;
mod digest;
mod wimse;

pub use base::{FieldType, Message, Request, Response, signature_base};
pub use digest::{DigestAlgorithm, content_digest, verify_content_digest};
pub use wimse::{
    VerifiedWimseMessage, WIMSE_LABEL, WIMSE_TAG, WimseSignParams, WimseSignature,
    WimseVerifyConfig, WimseVersion, sign_wimse_request, sign_wimse_response, verify_wimse_request,
    verify_wimse_request_with_wit, verify_wimse_response, verify_wimse_response_with_wit,
};

use sfv::{BareItem, FieldType as _, InnerList, Item, ListEntry, Parser, Version};

use crate::crypto::{Algorithm, Jwk, KeyPair};
use crate::error::Error;
use crate::proof::ReplayCache;
use crate::time::UnixTime;

/// An algorithm of the HTTP Signature Algorithms registry (RFC 9421 §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpSigAlgorithm {
    /// `rsa-pss-sha512` (verify only).
    RsaPssSha512,
    /// `rsa-v1_5-sha256` (verify only).
    RsaV15Sha256,
    /// `hmac-sha256`.
    HmacSha256,
    /// `ecdsa-p256-sha256` (raw `r‖s`).
    EcdsaP256Sha256,
    /// `ecdsa-p384-sha384` (raw `r‖s`).
    EcdsaP384Sha384,
    /// `ed25519`.
    Ed25519,
}

impl HttpSigAlgorithm {
    /// Every algorithm.
    pub const ALL: [Self; 6] = [
        Self::RsaPssSha512,
        Self::RsaV15Sha256,
        Self::HmacSha256,
        Self::EcdsaP256Sha256,
        Self::EcdsaP384Sha384,
        Self::Ed25519,
    ];

    /// The registry name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::RsaPssSha512 => "rsa-pss-sha512",
            Self::RsaV15Sha256 => "rsa-v1_5-sha256",
            Self::HmacSha256 => "hmac-sha256",
            Self::EcdsaP256Sha256 => "ecdsa-p256-sha256",
            Self::EcdsaP384Sha384 => "ecdsa-p384-sha384",
            Self::Ed25519 => "ed25519",
        }
    }

    /// Looks up a registry name (compared exactly).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The JOSE algorithm with the same signature bytes, fitted to `key` (an Ed25519 JWK that
    /// names `EdDSA` keeps that name).
    fn jose(self, key_alg: Option<&str>) -> Algorithm {
        match self {
            Self::RsaPssSha512 => Algorithm::Ps512,
            Self::RsaV15Sha256 => Algorithm::Rs256,
            Self::HmacSha256 => Algorithm::Hs256,
            Self::EcdsaP256Sha256 => Algorithm::Es256,
            Self::EcdsaP384Sha384 => Algorithm::Es384,
            Self::Ed25519 if key_alg == Some("EdDSA") => Algorithm::EdDsa,
            Self::Ed25519 => Algorithm::Ed25519,
        }
    }

    /// The registry algorithm for a key pair's JOSE algorithm, if there is one.
    pub fn for_key(alg: Algorithm) -> Option<Self> {
        match alg {
            Algorithm::Ps512 => Some(Self::RsaPssSha512),
            Algorithm::Rs256 => Some(Self::RsaV15Sha256),
            Algorithm::Hs256 => Some(Self::HmacSha256),
            Algorithm::Es256 => Some(Self::EcdsaP256Sha256),
            Algorithm::Es384 => Some(Self::EcdsaP384Sha384),
            Algorithm::EdDsa | Algorithm::Ed25519 => Some(Self::Ed25519),
            _ => None,
        }
    }
}

fn malformed(_: impl core::fmt::Debug) -> Error {
    Error::MalformedHttpSignature
}

/// Signature parameters in the order they are to be serialized (RFC 9421 §2.3).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignatureParams(Vec<(String, BareItem)>);

impl SignatureParams {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(mut self, name: &str, value: BareItem) -> Self {
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_owned(), value));
        self
    }

    /// `created`.
    #[must_use]
    pub fn created(self, t: UnixTime) -> Self {
        let v = i64::try_from(t.as_secs()).unwrap_or(i64::MAX);
        self.push(
            "created",
            sfv::Integer::try_from(v).map_or(BareItem::Boolean(false), BareItem::Integer),
        )
    }

    /// `expires`.
    #[must_use]
    pub fn expires(self, t: UnixTime) -> Self {
        let v = i64::try_from(t.as_secs()).unwrap_or(i64::MAX);
        self.push(
            "expires",
            sfv::Integer::try_from(v).map_or(BareItem::Boolean(false), BareItem::Integer),
        )
    }

    /// A string parameter (`nonce`, `alg`, `keyid`, `tag`, or an extension such as
    /// `wimse-aud`).
    ///
    /// # Errors
    /// `invalid-argument` when the name is not an sf-key or the value not an sf-string.
    pub fn string(self, name: &str, value: &str) -> Result<Self, Error> {
        sfv::KeyRef::from_str(name).map_err(|_| Error::InvalidArgument("signature parameter"))?;
        let s = sfv::String::from_string(value.to_owned())
            .map_err(|_| Error::InvalidArgument("signature parameter"))?;
        Ok(self.push(name, BareItem::String(s)))
    }

    /// A Boolean-true flag parameter (serialized bare, e.g. `;wimse-sign-response`).
    ///
    /// # Errors
    /// `invalid-argument` when the name is not an sf-key.
    pub fn flag(self, name: &str) -> Result<Self, Error> {
        sfv::KeyRef::from_str(name).map_err(|_| Error::InvalidArgument("signature parameter"))?;
        Ok(self.push(name, BareItem::Boolean(true)))
    }

    fn to_sfv(&self) -> Result<sfv::Parameters, Error> {
        let mut p = sfv::Parameters::new();
        for (k, v) in &self.0 {
            let key = sfv::Key::from_string(k.clone())
                .map_err(|_| Error::InvalidArgument("signature parameter"))?;
            p.insert(key, v.clone());
        }
        Ok(p)
    }
}

/// Parses a component identifier given as `@method`, `content-digest` or the serialized form
/// `"@query-param";name="Pet"`.
fn component_item(spec: &str) -> Result<Item, Error> {
    let text = if spec.starts_with('"') {
        spec.to_owned()
    } else {
        format!("\"{spec}\"")
    };
    let item: Item = Parser::new(&text)
        .with_version(Version::Rfc8941)
        .parse()
        .map_err(|_| Error::InvalidArgument("component"))?;
    if item.bare_item.as_string().is_none() {
        return Err(Error::InvalidArgument("component"));
    }
    Ok(item)
}

/// The serialized `(…);params` value of a Signature-Input member.
fn inner_list_text(list: &InnerList) -> Result<String, Error> {
    let entries: sfv::List = vec![ListEntry::InnerList(list.clone())];
    entries
        .serialize()
        .ok_or(Error::InvalidArgument("components"))
}

/// A signature ready to be sent: the two dictionary members for `Signature-Input` and
/// `Signature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedMessage {
    /// `label=(...);params`, the `Signature-Input` member.
    pub signature_input: String,
    /// `label=:base64:`, the `Signature` member.
    pub signature: String,
    /// The signature base that was signed (for debugging and tests).
    pub base: String,
}

/// Signs `message` under `label`, covering `components` in order, with `params` in order.
///
/// # Errors
/// `invalid-argument` (label, components, parameters); `invalid-component` when a component
/// cannot be computed from the message; `alg-not-allowed` for a key without a registry
/// algorithm; key errors from signing.
pub fn sign(
    message: &Message<'_>,
    label: &str,
    components: &[&str],
    params: &SignatureParams,
    key: &KeyPair,
    field_types: &[(&str, FieldType)],
) -> Result<SignedMessage, Error> {
    sfv::KeyRef::from_str(label).map_err(|_| Error::InvalidArgument("label"))?;
    HttpSigAlgorithm::for_key(key.alg()).ok_or(Error::AlgorithmNotAllowed)?;
    let items = components
        .iter()
        .map(|c| component_item(c))
        .collect::<Result<Vec<_>, _>>()?;
    let list = InnerList {
        items,
        params: params.to_sfv()?,
    };
    let base = signature_base(message, &list, field_types)?;
    let signature = key.sign(base.as_bytes())?;
    let byte_item = Item::new(BareItem::ByteSequence(signature));
    Ok(SignedMessage {
        signature_input: format!("{label}={}", inner_list_text(&list)?),
        signature: format!("{label}={}", byte_item.serialize()),
        base,
    })
}

/// How a verifier picks and judges signatures.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyPolicy {
    /// Verify the signature with this label (labels are not signed: prefer `tag`).
    pub label: Option<String>,
    /// Verify the one signature whose `tag` is this; several → `malformed-http-signature`.
    pub tag: Option<String>,
    /// Components that must be covered, as identifiers (`@method`, `content-digest`, ...).
    pub required_components: Vec<String>,
    /// Parameters that must be present (`created`, `expires`, `nonce`, ...).
    pub required_params: Vec<String>,
    /// Parameters that must be absent (e.g. `alg`, `keyid` in the WIMSE profile).
    pub forbidden_params: Vec<String>,
    /// Maximum age of `created`, seconds.
    pub max_age: Option<u64>,
    /// Allowed clock skew for `created` in the future and `expires` in the past, seconds.
    pub leeway: u64,
    /// Algorithms accepted.
    pub algorithms: Vec<HttpSigAlgorithm>,
    /// Require a covered `content-digest` when the message has a non-empty body.
    pub require_digest_for_body: bool,
    /// Extra structured-field types for `;sf` and `;key`, beyond the built-in table.
    pub field_types: Vec<(String, FieldType)>,
    /// Longest `Signature-Input`, `Signature` or `Content-Digest` accepted (lines joined), in
    /// bytes; longer → `limit-exceeded` before parsing.
    pub max_field_bytes: usize,
}

impl Default for VerifyPolicy {
    fn default() -> Self {
        Self {
            label: None,
            tag: None,
            required_components: Vec::new(),
            required_params: vec!["created".to_owned()],
            forbidden_params: Vec::new(),
            max_age: Some(300),
            leeway: 60,
            algorithms: HttpSigAlgorithm::ALL.to_vec(),
            require_digest_for_body: true,
            field_types: Vec::new(),
            max_field_bytes: crate::Limits::DEFAULT.max_field_bytes,
        }
    }
}

/// A verification key with the algorithm it is used with.
#[derive(Debug, Clone)]
pub struct VerificationKey {
    /// The `keyid` it answers to (`None`: the only key, used when the signature names none).
    pub keyid: Option<String>,
    /// The key.
    pub key: Jwk,
    /// Its algorithm: fixed by configuration, never taken from the signature alone.
    pub alg: HttpSigAlgorithm,
}

/// A verified signature.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedSignature {
    /// The label it was sent under.
    pub label: String,
    /// The covered component identifiers, serialized.
    pub components: Vec<String>,
    /// `keyid`, `tag`, `nonce` when present.
    pub keyid: Option<String>,
    /// `tag`.
    pub tag: Option<String>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// `created`.
    pub created: Option<u64>,
    /// `expires`.
    pub expires: Option<u64>,
    /// All signature parameters in received order: name and the serialized value (`"text"`,
    /// `123`, `?1` for a flag).
    pub params: Vec<(String, String)>,
    /// Whether `content-digest` was covered and checked against the body.
    pub digest_checked: bool,
}

/// The values of a field in `fields`, joined as RFC 9421 §2.1 does (for Signature and
/// Signature-Input, which are parsed as one dictionary).
fn joined(fields: &[(String, String)], name: &str) -> Option<String> {
    let values: Vec<&str> = fields
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim_matches([' ', '\t']))
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Parses a dictionary, refusing repeated keys (which SF parsing would silently merge).
fn strict_dictionary(text: &str) -> Result<sfv::Dictionary, Error> {
    let dict: sfv::Dictionary = Parser::new(text)
        .with_version(Version::Rfc8941)
        .parse()
        .map_err(malformed)?;
    // Count members with a key-only pass: a duplicate label leaves fewer map entries.
    let mut count = 0usize;
    for member in split_top_level(text) {
        if !member.trim().is_empty() {
            count = count.saturating_add(1);
        }
    }
    if count != dict.len() {
        return Err(Error::MalformedHttpSignature);
    }
    Ok(dict)
}

/// Splits a structured-field text at top-level commas (outside strings, byte sequences and
/// parentheses); the text has already parsed, so this only counts members.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0usize, false, false, 0usize);
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' => depth = depth.saturating_add(1),
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(text.get(start..i).unwrap_or_default());
                start = i.saturating_add(1);
            }
            _ => {}
        }
    }
    out.push(text.get(start..).unwrap_or_default());
    out
}

fn param_string(params: &sfv::Parameters, name: &'static str) -> Result<Option<String>, Error> {
    match params.get(name) {
        None => Ok(None),
        Some(BareItem::String(s)) => Ok(Some(s.as_str().to_owned())),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

fn param_time(params: &sfv::Parameters, name: &'static str) -> Result<Option<u64>, Error> {
    match params.get(name) {
        None => Ok(None),
        Some(BareItem::Integer(i)) => u64::try_from(i64::from(*i))
            .map(Some)
            .map_err(|_| Error::ClaimInvalid(name)),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

/// Verifies one signature of `message` chosen by `policy`, with a key from `keys`, at `now`;
/// `body` is the content exactly as received (`None` for none). `replay`, when given, records
/// `(keyid, nonce)` until `expires` (or `created + max_age`).
///
/// # Errors
/// As listed in the module documentation.
#[allow(clippy::too_many_lines)]
pub fn verify(
    message: &Message<'_>,
    body: Option<&[u8]>,
    policy: &VerifyPolicy,
    keys: &[VerificationKey],
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedSignature, Error> {
    let fields = message.fields();
    // Step 1: both fields as dictionaries, labels unique, the chosen label in both.
    let (Some(input_text), Some(sig_text)) = (
        joined(fields, "signature-input"),
        joined(fields, "signature"),
    ) else {
        return Err(Error::CredentialMissing("http signature"));
    };
    let digest_len = joined(fields, "content-digest").map_or(0, |d| d.len());
    if input_text.len().max(sig_text.len()).max(digest_len) > policy.max_field_bytes {
        return Err(Error::LimitExceeded(crate::error::Limit::FieldBytes));
    }
    let inputs = strict_dictionary(&input_text)?;
    let signatures = strict_dictionary(&sig_text)?;
    let chosen: Vec<(&sfv::Key, &ListEntry)> = inputs
        .iter()
        .filter(|(label, entry)| {
            policy.label.as_deref().is_none_or(|l| label.as_str() == l)
                && policy.tag.as_deref().is_none_or(|t| match entry {
                    ListEntry::InnerList(il) => {
                        matches!(il.params.get("tag"), Some(BareItem::String(s)) if s.as_str() == t)
                    }
                    ListEntry::Item(_) => false,
                })
        })
        .collect();
    let (label, entry) = match chosen.as_slice() {
        [] => return Err(Error::CredentialMissing("http signature")),
        [one] => *one,
        // Several candidates with the policy's tag (or no selector at all): ambiguous.
        _ => return Err(Error::MalformedHttpSignature),
    };
    // Step 2: shapes.
    let ListEntry::InnerList(list) = entry else {
        return Err(Error::MalformedHttpSignature);
    };
    if list.items.iter().any(|i| i.bare_item.as_string().is_none()) {
        return Err(Error::MalformedHttpSignature);
    }
    let signature = match signatures.get(label.as_str()) {
        Some(ListEntry::Item(Item {
            bare_item: BareItem::ByteSequence(b),
            ..
        })) => b.clone(),
        Some(_) => return Err(Error::MalformedHttpSignature),
        None => return Err(Error::CredentialMissing("http signature")),
    };
    let params = &list.params;
    let keyid = param_string(params, "keyid")?;
    let tag = param_string(params, "tag")?;
    let nonce = param_string(params, "nonce")?;
    let alg_param = param_string(params, "alg")?;
    let created = param_time(params, "created")?;
    let expires = param_time(params, "expires")?;
    // Step 3: the application's requirements.
    let covered: Vec<String> = list.items.iter().map(Item::serialize).collect();
    for required in &policy.required_components {
        let wanted = component_item(required)?.serialize();
        if !covered.contains(&wanted) {
            return Err(Error::ComponentNotCovered);
        }
    }
    for name in &policy.forbidden_params {
        if params.contains_key(name.as_str()) {
            return Err(Error::ClaimInvalid("signature parameter"));
        }
    }
    for name in &policy.required_params {
        if !params.contains_key(name.as_str()) {
            return Err(Error::ClaimMissing("signature parameter"));
        }
    }
    let now_s = now.as_secs();
    // Time: not from the future, not expired, then not too old (an expired signature says so).
    if created.is_some_and(|c| c > now_s.saturating_add(policy.leeway)) {
        return Err(Error::TokenIssuedInFuture);
    }
    if let Some(e) = expires {
        if created.is_some_and(|c| e < c) {
            return Err(Error::ClaimInvalid("expires"));
        }
        if now_s >= e.saturating_add(policy.leeway) {
            return Err(Error::TokenExpired);
        }
    }
    if let (Some(c), Some(max)) = (created, policy.max_age)
        && c.saturating_add(max) < now_s
    {
        return Err(Error::TokenTooOld);
    }
    let has_body = body.is_some_and(|b| !b.is_empty());
    let digest_covered = covered.iter().any(|c| c == "\"content-digest\"");
    if policy.require_digest_for_body && has_body && !digest_covered {
        return Err(Error::ComponentNotCovered);
    }
    // Step 4: the key, by keyid or the only one configured.
    let key = match keyid.as_deref() {
        Some(id) => keys.iter().find(|k| k.keyid.as_deref() == Some(id)),
        None if keys.len() == 1 => keys.first(),
        None => None,
    }
    .ok_or(Error::KeyNotFound)?;
    // Step 5: the algorithm from configuration; an `alg` parameter must agree with it.
    if !policy.algorithms.contains(&key.alg)
        || alg_param.as_deref().is_some_and(|a| a != key.alg.name())
    {
        return Err(Error::AlgorithmNotAllowed);
    }
    // Step 6: the base, from the message and the parsed identifiers.
    let types: Vec<(&str, FieldType)> = policy
        .field_types
        .iter()
        .map(|(n, t)| (n.as_str(), *t))
        .collect();
    let base = signature_base(message, list, &types)?;
    // Step 7: the signature.
    let alg = key.alg.jose(key.key.alg());
    key.key.verify(alg, base.as_bytes(), &signature)?;
    // Step 8: the body, whenever content-digest is covered.
    if digest_covered {
        let field =
            joined(fields, "content-digest").ok_or(Error::InvalidComponent("content-digest"))?;
        verify_content_digest(&field, body.unwrap_or_default())?;
    }
    // Replay: the nonce per key, while the signature could be accepted.
    if let (Some(cache), Some(n)) = (replay, nonce.as_deref()) {
        let until = expires
            .or_else(|| created.map(|c| c.saturating_add(policy.max_age.unwrap_or(300))))
            .unwrap_or(now_s.saturating_add(policy.max_age.unwrap_or(300)))
            .saturating_add(policy.leeway);
        let sender = keyid.clone().unwrap_or_else(|| key.key.thumbprint());
        cache.check_and_insert(&sender, n, UnixTime(until), now)?;
    }
    Ok(VerifiedSignature {
        label: label.as_str().to_owned(),
        components: covered,
        keyid,
        tag,
        nonce,
        created,
        expires,
        params: params
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), Item::new(v.clone()).serialize()))
            .collect(),
        digest_checked: digest_covered,
    })
}
