//! `Signer::sign`: the headers an outgoing request needs.
//!
//! A signer holds the caller's credentials — a WIT and its private key (the workload proof is a
//! WPT or a WIMSE HTTP signature), and/or an access token sent as Bearer or DPoP-bound with a
//! DPoP key — and for each request returns the header fields to add:
//!
//! - `Authorization: Bearer <at>`, or `Authorization: DPoP <at>` with a `DPoP` proof (`htm`,
//!   `htu` without query, `ath`, the server's latest nonce for that origin);
//! - `Workload-Identity-Token` with `Workload-Proof-Token` (wpt-01, `ath` over the access
//!   token) or `Authorization: WPT` (wpt-02, which carries no access token);
//! - or `Workload-Identity-Token`, `Content-Digest` (when there is a body), `Signature-Input`
//!   and `Signature` (the WIMSE profile, covering `Authorization` and the other fields).
//!
//! Randomness comes from the caller (`entropy`, at least 16 bytes per request); each proof's
//! `jti`/nonce is derived from it with a distinct label, so one draw serves all of them.
//!
//! DPoP nonces: [`Signer::observe_response`] reads `DPoP-Nonce` from every response (kept per
//! origin, at most 100 origins) and says whether the response was a `use_dpop_nonce` challenge,
//! in which case the caller signs again (a fresh proof with the new nonce) and retries once.

use std::collections::VecDeque;

use crate::crypto::{KeyPair, sha256};
use crate::encoding::base64url;
use crate::error::Error;
use crate::httpsig::{self, WimseSignParams, WimseVersion};
use crate::proof::{DpopParams, WptParams, WptWire, create_dpop_proof, create_wpt};
use crate::time::UnixTime;

/// How the workload proves possession of its WIT key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadProof {
    /// A Workload Proof Token in this wire form.
    Wpt(WptWire),
    /// A WIMSE HTTP message signature of this draft.
    HttpSignature(WimseVersion),
}

/// How the access token is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenType {
    /// `Authorization: DPoP` with a proof (needs a DPoP key).
    #[default]
    Dpop,
    /// `Authorization: Bearer`.
    Bearer,
}

/// An outgoing request as the signer sees it.
#[derive(Debug, Clone, Copy)]
pub struct OutgoingRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The absolute target URI.
    pub target_uri: &'a str,
    /// The header fields already set (covered by an HTTP signature when relevant).
    pub headers: &'a [(String, String)],
    /// The body, if any.
    pub body: Option<&'a [u8]>,
}

/// The request-level signer (see the module documentation).
#[derive(Clone)]
pub struct Signer {
    wit: Option<(String, KeyPair, WorkloadProof)>,
    token: Option<(String, TokenType)>,
    dpop_key: Option<KeyPair>,
    lifetime: u64,
    nonces: VecDeque<(String, String)>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("workload_proof", &self.wit.as_ref().map(|w| w.2))
            .field("token_type", &self.token.as_ref().map(|t| t.1))
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

const MAX_NONCE_ORIGINS: usize = 100;

fn origin_of(uri: &str) -> Option<&str> {
    let start = uri.find("://")?.checked_add(3)?;
    let rest = uri.get(start..)?;
    let end = start.checked_add(rest.find(['/', '?', '#']).unwrap_or(rest.len()))?;
    uri.get(..end)
}

fn derive(entropy: &[u8], label: &str) -> String {
    let mut input = label.as_bytes().to_vec();
    input.push(0);
    input.extend_from_slice(entropy);
    base64url::encode(sha256(&input).get(..16).unwrap_or_default())
}

fn has(headers: &[(String, String)], name: &str) -> bool {
    headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
}

impl Signer {
    /// A signer with no credentials yet; add them with [`Self::with_workload`] and
    /// [`Self::with_access_token`].
    pub const fn new() -> Self {
        Self {
            wit: None,
            token: None,
            dpop_key: None,
            lifetime: 60,
            nonces: VecDeque::new(),
        }
    }

    /// Uses `wit` with its private `key` and this proof form.
    ///
    /// # Errors
    /// `invalid-argument` (`wit`) for an empty WIT; (`proof`) for wpt-02 together with an access
    /// token (wpt-02 carries the proof in `Authorization`).
    pub fn with_workload(
        mut self,
        wit: impl Into<String>,
        key: KeyPair,
        proof: WorkloadProof,
    ) -> Result<Self, Error> {
        let wit = wit.into();
        if wit.is_empty() {
            return Err(Error::InvalidArgument("wit"));
        }
        self.wit = Some((wit, key, proof));
        self.check()?;
        Ok(self)
    }

    /// Sends `token` as `token_type`; DPoP needs `dpop_key`.
    ///
    /// # Errors
    /// `invalid-argument` (`dpop_key`) for DPoP without a key, (`access_token`) for an empty
    /// token, (`proof`) as in [`Self::with_workload`].
    pub fn with_access_token(
        mut self,
        token: impl Into<String>,
        token_type: TokenType,
        dpop_key: Option<KeyPair>,
    ) -> Result<Self, Error> {
        let token = token.into();
        if token.is_empty() {
            return Err(Error::InvalidArgument("access_token"));
        }
        if token_type == TokenType::Dpop && dpop_key.is_none() {
            return Err(Error::InvalidArgument("dpop_key"));
        }
        self.token = Some((token, token_type));
        self.dpop_key = dpop_key;
        self.check()?;
        Ok(self)
    }

    /// Proof lifetime in seconds (default 60; WPTs and HTTP signatures allow up to 300).
    ///
    /// # Errors
    /// `invalid-argument` (`lifetime`) for 0 or over 300.
    pub fn with_lifetime(mut self, seconds: u64) -> Result<Self, Error> {
        if seconds == 0 || seconds > 300 {
            return Err(Error::InvalidArgument("lifetime"));
        }
        self.lifetime = seconds;
        Ok(self)
    }

    fn check(&self) -> Result<(), Error> {
        if matches!(
            self.wit,
            Some((_, _, WorkloadProof::Wpt(WptWire::Authorization)))
        ) && self.token.is_some()
        {
            return Err(Error::InvalidArgument("proof"));
        }
        Ok(())
    }

    /// Replaces the WIT (after renewal), keeping the key and proof form.
    pub fn set_workload_identity_token(&mut self, wit: impl Into<String>) {
        if let Some(w) = self.wit.as_mut() {
            w.0 = wit.into();
        }
    }

    /// Replaces the access token (after a refresh), keeping its type and key.
    pub fn set_access_token(&mut self, token: impl Into<String>) {
        if let Some(t) = self.token.as_mut() {
            t.0 = token.into();
        }
    }

    /// The DPoP nonce held for `target_uri`'s origin.
    pub fn dpop_nonce(&self, target_uri: &str) -> Option<&str> {
        let origin = origin_of(target_uri)?;
        self.nonces
            .iter()
            .find(|(o, _)| o == origin)
            .map(|(_, n)| n.as_str())
    }

    /// Reads a response to a request for `target_uri`: keeps its `DPoP-Nonce`, and returns
    /// `true` when it is a `use_dpop_nonce` challenge that came with a new nonce — sign again
    /// and retry once.
    pub fn observe_response(
        &mut self,
        target_uri: &str,
        status: u16,
        headers: &[(String, String)],
    ) -> bool {
        let Some(origin) = origin_of(target_uri) else {
            return false;
        };
        let nonce = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("dpop-nonce"))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty() && v.bytes().all(|b| (0x21..=0x7e).contains(&b)));
        let Some(nonce) = nonce else {
            return false;
        };
        let changed = self.dpop_nonce(target_uri) != Some(nonce);
        self.nonces.retain(|(o, _)| o != origin);
        if self.nonces.len() >= MAX_NONCE_ORIGINS {
            self.nonces.pop_front();
        }
        self.nonces.push_back((origin.to_owned(), nonce.to_owned()));
        let challenged = status == 401
            && headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
                .any(|(_, v)| {
                    let v = v.trim_start();
                    v.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("dpop"))
                        && v.contains("error=\"use_dpop_nonce\"")
                });
        challenged && changed && self.token.as_ref().is_some_and(|t| t.1 == TokenType::Dpop)
    }

    /// The header fields to add to `request` at `now`, with `entropy` (at least 16 random
    /// bytes) for the proofs' `jti`s and nonces.
    ///
    /// # Errors
    /// `invalid-argument`: `entropy` shorter than 16 bytes; `credentials` when the signer holds
    /// none; `headers` when the request already carries a field the signer sets; the proof
    /// creators' errors.
    pub fn sign(
        &self,
        request: &OutgoingRequest<'_>,
        now: UnixTime,
        entropy: &[u8],
    ) -> Result<Vec<(String, String)>, Error> {
        if entropy.len() < 16 {
            return Err(Error::InvalidArgument("entropy"));
        }
        if self.wit.is_none() && self.token.is_none() {
            return Err(Error::InvalidArgument("credentials"));
        }
        for name in [
            "authorization",
            "dpop",
            "workload-identity-token",
            "workload-proof-token",
            "signature",
            "signature-input",
        ] {
            if has(request.headers, name) {
                return Err(Error::InvalidArgument("headers"));
            }
        }
        let mut out: Vec<(String, String)> = Vec::new();
        if let Some((token, token_type)) = &self.token {
            match token_type {
                TokenType::Bearer => out.push(("Authorization".into(), format!("Bearer {token}"))),
                TokenType::Dpop => {
                    let key = self
                        .dpop_key
                        .as_ref()
                        .ok_or(Error::InvalidArgument("dpop_key"))?;
                    let proof = create_dpop_proof(
                        key,
                        &DpopParams {
                            method: request.method,
                            uri: request.target_uri,
                            issued_at: now,
                            jti: &derive(entropy, "dpop"),
                            access_token: Some(token),
                            nonce: self.dpop_nonce(request.target_uri),
                        },
                    )?;
                    out.push(("Authorization".into(), format!("DPoP {token}")));
                    out.push(("DPoP".into(), proof));
                }
            }
        }
        if let Some((wit, key, proof)) = &self.wit {
            out.push(("Workload-Identity-Token".into(), wit.clone()));
            match proof {
                WorkloadProof::Wpt(wire) => {
                    let txn = request
                        .headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case("txn-token"))
                        .map(|(_, v)| v.as_str());
                    let wpt = create_wpt(
                        key,
                        &WptParams {
                            wit,
                            audience: request.target_uri,
                            issued_at: now,
                            lifetime: self.lifetime,
                            jti: &derive(entropy, "wpt"),
                            access_token: self.token.as_ref().map(|t| t.0.as_str()),
                            txn_token: txn,
                            other_tokens: &[],
                        },
                    )?;
                    match wire {
                        WptWire::Header => out.push(("Workload-Proof-Token".into(), wpt)),
                        WptWire::Authorization => {
                            out.push(("Authorization".into(), format!("WPT {wpt}")));
                        }
                    }
                }
                WorkloadProof::HttpSignature(version) => {
                    let mut all = request.headers.to_vec();
                    all.extend(out.iter().cloned());
                    let message = httpsig::Request {
                        method: request.method,
                        target_uri: request.target_uri,
                        headers: &all,
                        trailers: &[],
                    };
                    let nonce = derive(entropy, "http-signature");
                    let signed = httpsig::sign_wimse_request(
                        &message,
                        request.body,
                        key,
                        request.target_uri,
                        &WimseSignParams {
                            created: now,
                            lifetime: self.lifetime,
                            nonce: &nonce,
                            version: *version,
                        },
                        false,
                    )?;
                    if let Some(d) = signed.content_digest {
                        out.push(("Content-Digest".into(), d));
                    }
                    out.push(("Signature-Input".into(), signed.signature_input));
                    out.push(("Signature".into(), signed.signature));
                }
            }
        }
        Ok(out)
    }
}

impl Default for Signer {
    fn default() -> Self {
        Self::new()
    }
}
