//! The WIMSE HTTP Message Signatures profile (draft-ietf-wimse-http-signature -06 and -07;
//! specs/wimse-spiffe.md §4, §6.5, §7.F).
//!
//! A workload signs each request with the key in its WIT (`cnf.jwk`, algorithm
//! `cnf.jwk.alg`): tag `wimse-workload-to-workload`, `created`, short `expires`, `nonce`,
//! `wimse-aud`, no `keyid` or `alg`; covered `@method` plus `@request-target` (-06) or `@path`
//! and `@query` (-07), plus each of `content-type`, `content-digest`, `authorization`,
//! `txn-token` and `workload-identity-token` that the message carries. A body always gets a
//! `Content-Digest`, and the verifier always recomputes it.
//!
//! [`verify_wimse_request`] runs the §4.4 steps: the signature is chosen by `tag` (two with the
//! tag → `malformed-http-signature`); the WIT is validated **first**; then the profile's
//! parameters (`claim-missing` / `claim-invalid`), the mandatory and present components
//! (`component-not-covered`), `wimse-aud` against configuration (`claim-mismatch`), the time
//! window and signature lifetime, the signature under `cnf.jwk`, the body digest, and the
//! replay of `(sub, nonce)` (`replayed`). Responses are checked against the **responder's** WIT
//! and the request's nonce (`wimse-req-nonce`).

use sfv::{BareItem, Parser, Version};

use super::{
    DigestAlgorithm, HttpSigAlgorithm, Message, Request, Response, SignatureParams,
    VerificationKey, VerifiedSignature, VerifyPolicy, content_digest, sign, verify,
};
use crate::crypto::KeyPair;
use crate::error::Error;
use crate::identity::{
    TrustStore, VerifiedWorkloadIdentityToken, WitValidation, verify_workload_identity_token,
};
use crate::proof::{ReplayCache, strip_query};
use crate::time::UnixTime;

/// The profile's `tag`.
pub const WIMSE_TAG: &str = "wimse-workload-to-workload";
/// The label this library signs under (-06 recommends `wimse`; -07 selects by tag).
pub const WIMSE_LABEL: &str = "wimse";
const WIT_FIELD: &str = "workload-identity-token";
/// Fields covered whenever the message carries them, in the order the drafts' examples use.
const WHEN_PRESENT: [&str; 5] = [
    WIT_FIELD,
    "content-type",
    "content-digest",
    "authorization",
    "txn-token",
];

/// Which draft's covered components a signer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WimseVersion {
    /// -06: `@method`, `@request-target`.
    Draft06,
    /// -07: `@method`, `@path`, `@query`.
    #[default]
    Draft07,
}

/// How a WIMSE signature verifier judges messages.
#[derive(Debug, Clone, PartialEq)]
pub struct WimseVerifyConfig {
    /// `wimse-aud` values that name this service (from configuration, never `Host`).
    pub audiences: Vec<String>,
    /// Maximum `now - created`, seconds (default 300).
    pub max_age: u64,
    /// Maximum `expires - created`, seconds (default 600: "minutes"; the draft's own response
    /// example uses 302).
    pub max_lifetime: u64,
    /// Clock skew, seconds (default 60).
    pub leeway: u64,
    /// How the WIT is checked.
    pub wit: WitValidation,
}

impl WimseVerifyConfig {
    /// A configuration for these audiences with the defaults documented on each field.
    pub fn new(audiences: Vec<String>) -> Self {
        Self {
            audiences,
            max_age: 300,
            max_lifetime: 600,
            leeway: 60,
            wit: WitValidation::default(),
        }
    }
}

/// Headers to add to a signed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WimseSignature {
    /// `Content-Digest` to send (when there is a body), as (name, value).
    pub content_digest: Option<String>,
    /// `Signature-Input` value.
    pub signature_input: String,
    /// `Signature` value.
    pub signature: String,
}

/// A verified WIMSE-signed message.
#[derive(Debug, Clone)]
pub struct VerifiedWimseMessage {
    /// The sender's WIT: `wit.subject` is the authenticated peer.
    pub wit: VerifiedWorkloadIdentityToken,
    /// The signature's details.
    pub signature: VerifiedSignature,
    /// The request asked for a signed response (`wimse-sign-response`).
    pub sign_response: bool,
}

/// What a WIMSE signer puts in the signature parameters.
#[derive(Debug, Clone)]
pub struct WimseSignParams<'a> {
    /// `created` (now).
    pub created: UnixTime,
    /// Lifetime: `expires = created + lifetime` (minutes at most).
    pub lifetime: u64,
    /// A unique nonce from caller randomness.
    pub nonce: &'a str,
    /// Which covered-component form.
    pub version: WimseVersion,
}

fn present(fields: &[(String, String)], name: &str) -> bool {
    fields.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
}

fn covered_when_present(fields: &[(String, String)]) -> Vec<&'static str> {
    WHEN_PRESENT
        .iter()
        .copied()
        .filter(|n| present(fields, n))
        .collect()
}

fn with_digest(
    fields: &[(String, String)],
    body: Option<&[u8]>,
) -> (Vec<(String, String)>, Option<String>) {
    let mut out = fields.to_vec();
    let digest = match body {
        Some(b) if !b.is_empty() && !present(fields, "content-digest") => {
            let d = content_digest(b, &[DigestAlgorithm::Sha256]);
            out.push(("Content-Digest".to_owned(), d.clone()));
            Some(d)
        }
        _ => None,
    };
    (out, digest)
}

/// What every WIMSE signer needs: its WIT among the fields, a lifetime of minutes, a nonce.
fn check_sign_inputs(
    fields: &[(String, String)],
    params: &WimseSignParams<'_>,
) -> Result<(), Error> {
    if !present(fields, WIT_FIELD) {
        return Err(Error::InvalidArgument("workload-identity-token"));
    }
    if params.lifetime == 0 || params.lifetime > 600 {
        return Err(Error::InvalidArgument("lifetime"));
    }
    if params.nonce.is_empty() {
        return Err(Error::InvalidArgument("nonce"));
    }
    Ok(())
}

/// `created`, `expires`, `nonce`, `tag`: the parameters requests and responses share.
fn common_params(params: &WimseSignParams<'_>) -> Result<SignatureParams, Error> {
    SignatureParams::new()
        .created(params.created)
        .expires(params.created.saturating_add(params.lifetime))
        .string("nonce", params.nonce)?
        .string("tag", WIMSE_TAG)
}

/// Signs a request in the WIMSE profile with `key` (the private half of the WIT's `cnf.jwk`,
/// whose `Workload-Identity-Token` must already be among the request's headers).
/// `audience` becomes `wimse-aud` (query and fragment removed).
///
/// # Errors
/// `invalid-argument` (`workload-identity-token` missing, `lifetime` zero or over 600 s,
/// `nonce` empty); as [`sign`].
pub fn sign_wimse_request(
    request: &Request<'_>,
    body: Option<&[u8]>,
    key: &KeyPair,
    audience: &str,
    params: &WimseSignParams<'_>,
    sign_response: bool,
) -> Result<WimseSignature, Error> {
    check_sign_inputs(request.headers, params)?;
    let (headers, digest) = with_digest(request.headers, body);
    let mut components: Vec<&str> = match params.version {
        WimseVersion::Draft06 => vec!["@method", "@request-target"],
        WimseVersion::Draft07 => vec!["@method", "@path", "@query"],
    };
    components.extend(covered_when_present(&headers));
    let mut sp = common_params(params)?.string("wimse-aud", strip_query(audience))?;
    if sign_response {
        sp = sp.flag("wimse-sign-response")?;
    }
    let message = Message::Request(Request {
        headers: &headers,
        ..*request
    });
    let signed = sign(&message, WIMSE_LABEL, &components, &sp, key, &[])?;
    Ok(WimseSignature {
        content_digest: digest,
        signature_input: signed.signature_input,
        signature: signed.signature,
    })
}

/// Signs a response in the WIMSE profile with the responder's key (its own WIT must be among
/// the response headers), binding the request (`;req`) and its nonce (`wimse-req-nonce`).
///
/// # Errors
/// As [`sign_wimse_request`].
pub fn sign_wimse_response(
    response: &Response<'_>,
    body: Option<&[u8]>,
    request: &Request<'_>,
    request_nonce: &str,
    key: &KeyPair,
    params: &WimseSignParams<'_>,
) -> Result<WimseSignature, Error> {
    check_sign_inputs(response.headers, params)?;
    let (headers, digest) = with_digest(response.headers, body);
    let mut components: Vec<&str> = vec!["@status"];
    components.extend(covered_when_present(&headers));
    components.extend(match params.version {
        WimseVersion::Draft06 => vec![r#""@method";req"#, r#""@request-target";req"#],
        WimseVersion::Draft07 => vec![r#""@method";req"#, r#""@path";req"#, r#""@query";req"#],
    });
    let sp = common_params(params)?.string("wimse-req-nonce", request_nonce)?;
    let message = Message::Response(
        Response {
            headers: &headers,
            ..*response
        },
        Some(*request),
    );
    let signed = sign(&message, WIMSE_LABEL, &components, &sp, key, &[])?;
    Ok(WimseSignature {
        content_digest: digest,
        signature_input: signed.signature_input,
        signature: signed.signature,
    })
}

/// The single `Workload-Identity-Token` of a message.
fn wit_field(fields: &[(String, String)]) -> Result<&str, Error> {
    let mut values = fields
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(WIT_FIELD))
        .map(|(_, v)| v.trim_matches([' ', '\t']));
    let first = values
        .next()
        .ok_or(Error::CredentialMissing("workload identity token"))?;
    if values.next().is_some() {
        return Err(Error::CredentialDuplicated("workload identity token"));
    }
    Ok(first)
}

fn policy(fields: &[(String, String)], config: &WimseVerifyConfig, request: bool) -> VerifyPolicy {
    let mut required_components: Vec<String> = covered_when_present(fields)
        .into_iter()
        .map(str::to_owned)
        .collect();
    if request {
        required_components.insert(0, "@method".to_owned());
    } else {
        required_components.insert(0, "@status".to_owned());
        required_components.push(r#""@method";req"#.to_owned());
    }
    let mut required_params: Vec<String> = ["created", "expires", "nonce", "tag"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    required_params.push(
        if request {
            "wimse-aud"
        } else {
            "wimse-req-nonce"
        }
        .to_owned(),
    );
    VerifyPolicy {
        label: None,
        tag: Some(WIMSE_TAG.to_owned()),
        required_components,
        required_params,
        forbidden_params: vec!["keyid".to_owned(), "alg".to_owned()],
        max_age: Some(config.max_age),
        leeway: config.leeway,
        algorithms: HttpSigAlgorithm::ALL
            .into_iter()
            .filter(|a| *a != HttpSigAlgorithm::HmacSha256)
            .collect(),
        require_digest_for_body: true,
        field_types: Vec::new(),
        max_field_bytes: config.wit.limits.max_field_bytes,
    }
}

/// The string value of a signature parameter of the chosen signature.
fn string_param(v: &VerifiedSignature, name: &str) -> Option<String> {
    let (_, raw) = v.params.iter().find(|(k, _)| k == name)?;
    let item: sfv::Item = Parser::new(raw)
        .with_version(Version::Rfc8941)
        .parse()
        .ok()?;
    match item.bare_item {
        BareItem::String(s) => Some(s.as_str().to_owned()),
        _ => None,
    }
}

/// The components one of the two drafts requires (besides those "when present").
fn draft_form_covered(v: &VerifiedSignature, request: bool) -> bool {
    let has = |c: &str| v.components.iter().any(|x| x == c);
    if request {
        has("\"@request-target\"") || (has("\"@path\"") && has("\"@query\""))
    } else {
        has("\"@request-target\";req") || (has("\"@path\";req") && has("\"@query\";req"))
    }
}

fn check_message(
    message: &Message<'_>,
    body: Option<&[u8]>,
    wit: &VerifiedWorkloadIdentityToken,
    config: &WimseVerifyConfig,
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedSignature, Error> {
    let is_request = matches!(message, Message::Request(_));
    let alg = HttpSigAlgorithm::for_key(wit.proof_alg).ok_or(Error::AlgorithmNotAllowed)?;
    let key = VerificationKey {
        keyid: None,
        key: wit.confirmation_key.clone(),
        alg,
    };
    let policy = policy(message.fields(), config, is_request);
    let v = verify(
        message,
        body,
        &policy,
        core::slice::from_ref(&key),
        now,
        None,
    )?;
    if !draft_form_covered(&v, is_request) {
        return Err(Error::ComponentNotCovered);
    }
    if string_param(&v, "tag").as_deref() != Some(WIMSE_TAG) {
        return Err(Error::ClaimMismatch("tag"));
    }
    if is_request {
        let aud = string_param(&v, "wimse-aud").ok_or(Error::ClaimInvalid("wimse-aud"))?;
        if !config.audiences.contains(&aud) {
            return Err(Error::ClaimMismatch("wimse-aud"));
        }
    }
    let (Some(created), Some(expires)) = (v.created, v.expires) else {
        return Err(Error::ClaimMissing("created"));
    };
    if expires.saturating_sub(created) > config.max_lifetime {
        return Err(Error::ClaimInvalid("expires"));
    }
    if let (Some(cache), Some(nonce)) = (replay, v.nonce.as_deref()) {
        cache.check_and_insert(
            wit.subject.as_str(),
            nonce,
            UnixTime(expires).saturating_add(config.leeway),
            now,
        )?;
    }
    Ok(v)
}

/// Verifies a WIMSE-signed request whose WIT the caller has **already verified** (for example
/// from a verified-credential cache). Prefer [`verify_wimse_request`].
///
/// # Errors
/// As [`verify_wimse_request`] after its WIT step.
pub fn verify_wimse_request_with_wit(
    request: &Request<'_>,
    body: Option<&[u8]>,
    wit: VerifiedWorkloadIdentityToken,
    config: &WimseVerifyConfig,
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedWimseMessage, Error> {
    let message = Message::Request(*request);
    let signature = check_message(&message, body, &wit, config, now, replay)?;
    let sign_response = signature
        .params
        .iter()
        .any(|(k, v)| k == "wimse-sign-response" && v == "?1");
    Ok(VerifiedWimseMessage {
        wit,
        signature,
        sign_response,
    })
}

/// Verifies a WIMSE-signed request: its WIT first (from the single `Workload-Identity-Token`
/// field, against `store`), then the signature under the WIT's key (see the module
/// documentation for every step and code).
///
/// # Errors
/// As listed in the module documentation.
pub fn verify_wimse_request(
    request: &Request<'_>,
    body: Option<&[u8]>,
    store: &TrustStore,
    config: &WimseVerifyConfig,
    now: UnixTime,
    replay: Option<&mut ReplayCache>,
) -> Result<VerifiedWimseMessage, Error> {
    // Step 1 before anything else: the fields parse (a malformed signature is a 400 whatever
    // the WIT says).
    for name in ["signature-input", "signature"] {
        let joined: Vec<&str> = request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        if joined.is_empty() {
            return Err(Error::CredentialMissing("http signature"));
        }
        let text = joined.join(", ");
        if text.len() > config.wit.limits.max_field_bytes {
            return Err(Error::LimitExceeded(crate::error::Limit::FieldBytes));
        }
        Parser::new(&text)
            .with_version(Version::Rfc8941)
            .parse::<sfv::Dictionary>()
            .map_err(|_| Error::MalformedHttpSignature)?;
    }
    // Step 3: the WIT, fully, before the message signature.
    let wit = verify_workload_identity_token(wit_field(request.headers)?, store, &config.wit, now)?;
    verify_wimse_request_with_wit(request, body, wit, config, now, replay)
}

/// Verifies a WIMSE-signed response against the **responder's** WIT (from the response's own
/// `Workload-Identity-Token`), the request it answers, and the nonce that request carried.
///
/// # Errors
/// As [`verify_wimse_request`]; `claim-mismatch` (`wimse-req-nonce`) when the response does not
/// answer our nonce.
pub fn verify_wimse_response(
    response: &Response<'_>,
    body: Option<&[u8]>,
    request: &Request<'_>,
    request_nonce: &str,
    store: &TrustStore,
    config: &WimseVerifyConfig,
    now: UnixTime,
) -> Result<VerifiedWimseMessage, Error> {
    let wit =
        verify_workload_identity_token(wit_field(response.headers)?, store, &config.wit, now)?;
    verify_wimse_response_with_wit(response, body, request, request_nonce, wit, config, now)
}

/// [`verify_wimse_response`] with an already verified responder WIT.
///
/// # Errors
/// As [`verify_wimse_response`] after its WIT step.
pub fn verify_wimse_response_with_wit(
    response: &Response<'_>,
    body: Option<&[u8]>,
    request: &Request<'_>,
    request_nonce: &str,
    wit: VerifiedWorkloadIdentityToken,
    config: &WimseVerifyConfig,
    now: UnixTime,
) -> Result<VerifiedWimseMessage, Error> {
    let message = Message::Response(*response, Some(*request));
    let signature = check_message(&message, body, &wit, config, now, None)?;
    if string_param(&signature, "wimse-req-nonce").as_deref() != Some(request_nonce) {
        return Err(Error::ClaimMismatch("wimse-req-nonce"));
    }
    Ok(VerifiedWimseMessage {
        wit,
        signature,
        sign_response: false,
    })
}
