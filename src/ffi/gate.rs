//! The paved path in the cross-language shape: a verifier made from the policy document and a
//! host secret, requests as owned records, decisions as records with JSON where the shape is
//! open (audit record, `act`, `authorization_details`); a signer made from JSON options and key
//! pairs.

use serde_json::Value;

use super::LIMITS;
use crate::crypto::KeyPair;
use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::gate::{
    Denial, IncomingRequest, OutgoingRequest, Principal, Signer, TokenType, Verifier,
    VerifierOptions, WorkloadProof,
};
use crate::httpsig::WimseVersion;
use crate::policy::{CredentialKind, Policy};
use crate::proof::WptWire;
use crate::time::UnixTime;

/// A request as bindings hand it over (see [`IncomingRequest`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GateRequest {
    /// The method.
    pub method: String,
    /// The absolute target URI, built from the host's own configuration.
    pub target_uri: String,
    /// Header fields, repeats kept.
    pub headers: Vec<(String, String)>,
    /// The body, when the host has it.
    pub body: Option<Vec<u8>>,
    /// The mTLS peer's URI SAN, when the host verified a client certificate.
    pub mtls_peer: Option<String>,
}

/// The stable name of a credential kind: `wpt`, `http-signature`, `mtls`, `dpop`, `bearer`.
pub const fn credential_kind_name(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Wpt => "wpt",
        CredentialKind::HttpSignature => "http-signature",
        CredentialKind::Mtls => "mtls",
        CredentialKind::Dpop => "dpop",
        CredentialKind::Bearer => "bearer",
    }
}

/// A Principal as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalInfo {
    /// The calling workload's identifier, when one authenticated.
    pub agent: Option<String>,
    /// Its trust domain.
    pub trust_domain: Option<String>,
    /// How the caller authenticated ([`credential_kind_name`]).
    pub method: String,
    /// Every credential kind that passed.
    pub credentials: Vec<String>,
    /// The access token's `client_id`.
    pub client_id: Option<String>,
    /// The token's `sub`.
    pub subject: Option<String>,
    /// The token's issuer.
    pub issuer: Option<String>,
    /// The token's `act` claim (JSON), when present.
    pub act: Option<String>,
    /// The delegation chain, current actor first: `(sub, iss)`.
    pub actors: Vec<(String, Option<String>)>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// The transaction context of a verified `Txn-Token`.
    pub transaction: Option<super::TransactionInfo>,
    /// Granted `authorization_details` (JSON array).
    pub authorization_details: String,
    /// `(kind, base64url SHA-256)` of each token presented.
    pub token_hashes: Vec<(String, String)>,
    /// Earliest credential expiry (Unix seconds; `None` for an mTLS peer alone).
    pub expires_at: Option<u64>,
    /// The matched route's path.
    pub route: String,
    /// The token-free decision record (JSON).
    pub audit: String,
}

impl From<Principal> for PrincipalInfo {
    fn from(p: Principal) -> Self {
        Self {
            agent: p.agent,
            trust_domain: p.trust_domain,
            method: credential_kind_name(p.method).to_owned(),
            credentials: p
                .credentials
                .iter()
                .map(|k| credential_kind_name(*k).to_owned())
                .collect(),
            client_id: p.client_id,
            subject: p.subject,
            issuer: p.issuer,
            act: p.act,
            actors: p
                .actors
                .into_iter()
                .map(|a| (a.subject, a.issuer))
                .collect(),
            scopes: p.scopes,
            transaction: p.transaction.map(super::TransactionInfo::from),
            authorization_details: p.authorization_details,
            token_hashes: p.token_hashes,
            expires_at: p.expires_at,
            route: p.route,
            audit: p.audit,
        }
    }
}

/// A Denial as bindings return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenialInfo {
    /// HTTP status.
    pub status: u16,
    /// `WWW-Authenticate` values.
    pub www_authenticate: Vec<String>,
    /// A `DPoP-Nonce` value to send.
    pub dpop_nonce: Option<String>,
    /// The error.
    pub error: Error,
    /// The security event that caused the denial (JSON `{"type", "jti", "iss"}`).
    pub event: Option<String>,
    /// The token-free decision record (JSON).
    pub audit: String,
}

impl From<Denial> for DenialInfo {
    fn from(d: Denial) -> Self {
        Self {
            status: d.status,
            www_authenticate: d.www_authenticate,
            dpop_nonce: d.dpop_nonce,
            error: d.error,
            event: d.event.as_ref().map(super::event_ref_json),
            audit: d.audit,
        }
    }
}

/// A verifier from a policy document and a host secret (at least 32 random bytes).
///
/// # Errors
/// As [`Policy::from_json`] and [`Verifier::new`].
pub fn verifier_new(policy: &str, secret: &[u8]) -> Result<Verifier, Error> {
    Verifier::new(
        Policy::from_json(policy, &LIMITS)?,
        secret,
        VerifierOptions::default(),
    )
}

/// Decides about `request` at `now`.
///
/// # Errors
/// The denial, with status, challenges and audit record.
pub fn authenticate(
    verifier: &mut Verifier,
    request: &GateRequest,
    now: u64,
) -> Result<PrincipalInfo, Box<DenialInfo>> {
    let r = IncomingRequest {
        method: &request.method,
        target_uri: &request.target_uri,
        headers: &request.headers,
        body: request.body.as_deref(),
        mtls_peer: request.mtls_peer.as_deref(),
    };
    verifier
        .authenticate(&r, UnixTime(now))
        .map(PrincipalInfo::from)
        .map_err(|d| Box::new(DenialInfo::from(*d)))
}

/// Parses signer options: `{"wit": "<WIT>", "proof": "wpt-01"|"wpt-02"|"http-signature-06"|
/// "http-signature-07", "access_token": "<AT>", "token_type": "DPoP"|"Bearer", "lifetime": 60}`.
/// A WIT needs `proof` and `workload_key`; DPoP (the default `token_type`) needs `dpop_key`.
///
/// # Errors
/// JSON errors; `invalid-argument` naming the member or key.
pub fn signer_new(
    options: &str,
    workload_key: Option<&KeyPair>,
    dpop_key: Option<&KeyPair>,
) -> Result<Signer, Error> {
    let o: Object = json::parse_object(options.as_bytes(), &LIMITS)?;
    let allowed = ["wit", "proof", "access_token", "token_type", "lifetime"];
    if o.keys().any(|k| !allowed.contains(&k.as_str())) {
        return Err(Error::InvalidArgument("options: unknown member"));
    }
    let text = |name: &'static str| -> Result<Option<&str>, Error> {
        match o.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Error::InvalidArgument(name)),
        }
    };
    let mut signer = Signer::new();
    if let Some(l) = o.get("lifetime") {
        signer = signer.with_lifetime(l.as_u64().ok_or(Error::InvalidArgument("lifetime"))?)?;
    }
    if let Some(token) = text("access_token")? {
        let token_type = match text("token_type")? {
            None | Some("DPoP") => TokenType::Dpop,
            Some("Bearer") => TokenType::Bearer,
            Some(_) => return Err(Error::InvalidArgument("token_type")),
        };
        let key = match token_type {
            TokenType::Dpop => Some(dpop_key.ok_or(Error::InvalidArgument("dpop_key"))?.clone()),
            TokenType::Bearer => None,
        };
        signer = signer.with_access_token(token, token_type, key)?;
    } else if text("token_type")?.is_some() {
        return Err(Error::InvalidArgument("token_type"));
    }
    match (text("wit")?, text("proof")?) {
        (Some(wit), Some(proof)) => {
            let proof = match proof {
                "wpt-01" => WorkloadProof::Wpt(WptWire::Header),
                "wpt-02" => WorkloadProof::Wpt(WptWire::Authorization),
                "http-signature-06" => WorkloadProof::HttpSignature(WimseVersion::Draft06),
                "http-signature-07" => WorkloadProof::HttpSignature(WimseVersion::Draft07),
                _ => return Err(Error::InvalidArgument("proof")),
            };
            let key = workload_key.ok_or(Error::InvalidArgument("workload_key"))?;
            signer = signer.with_workload(wit, key.clone(), proof)?;
        }
        (None, None) => {}
        (None, Some(_)) => return Err(Error::InvalidArgument("wit")),
        (Some(_), None) => return Err(Error::InvalidArgument("proof")),
    }
    Ok(signer)
}

/// The headers to add to an outgoing request ([`Signer::sign`]).
///
/// # Errors
/// As [`Signer::sign`].
pub fn sign_request(
    signer: &Signer,
    request: &GateRequest,
    now: u64,
    entropy: &[u8],
) -> Result<Vec<(String, String)>, Error> {
    signer.sign(
        &OutgoingRequest {
            method: &request.method,
            target_uri: &request.target_uri,
            headers: &request.headers,
            body: request.body.as_deref(),
        },
        UnixTime(now),
        entropy,
    )
}

/// The RFC 9728 metadata a verifier's resource serves: `(url, document)`.
///
/// # Errors
/// As [`Verifier::resource_metadata`].
pub fn resource_metadata(verifier: &Verifier) -> Result<(String, String), Error> {
    verifier.resource_metadata()
}

fn entity_json(e: &crate::oauth::AuthzenEntity) -> String {
    let mut o = crate::encoding::json::Object::new();
    o.insert("type".into(), e.kind.clone().into());
    o.insert("id".into(), e.id.clone().into());
    if let Some(p) = &e.properties {
        o.insert("properties".into(), Value::Object(p.clone()));
    }
    json::to_compact(&Value::Object(o))
}

/// The AuthZEN subject (JSON) for a Principal ([`crate::gate::subject_entity`]).
///
/// # Errors
/// As [`crate::gate::subject_entity`].
pub fn principal_subject(p: &PrincipalInfo) -> Result<String, Error> {
    crate::gate::subject_entity(&crate::gate::SubjectFacts {
        agent: p.agent.as_deref(),
        trust_domain: p.trust_domain.as_deref(),
        user: p.subject.as_deref(),
        client_id: p.client_id.as_deref(),
        scopes: &p.scopes,
        method: &p.method,
        actor: p.actors.first().map(|a| a.0.as_str()),
        txn: p.transaction.as_ref().map(|t| t.txn.as_str()),
    })
    .map(|e| entity_json(&e))
}

/// Combines a PDP decision with an allowed Principal ([`Verifier::enforce_decision`]).
///
/// # Errors
/// The denial.
pub fn enforce(
    verifier: &Verifier,
    p: &PrincipalInfo,
    decision: &str,
) -> Result<(), Box<DenialInfo>> {
    enforce_parts(verifier, &p.credentials, &p.audit, decision)
}

/// [`enforce`] from the parts of a Principal it reads: its credential kinds and audit record.
///
/// # Errors
/// The denial.
pub fn enforce_parts<S: AsRef<str>>(
    verifier: &Verifier,
    credentials: &[S],
    audit: &str,
    decision: &str,
) -> Result<(), Box<DenialInfo>> {
    let dpop = credentials.iter().any(|c| c.as_ref() == "dpop");
    let token = dpop || credentials.iter().any(|c| c.as_ref() == "bearer");
    verifier
        .enforce_decision(dpop, token, audit, decision)
        .map_err(|d| Box::new(DenialInfo::from(*d)))
}
