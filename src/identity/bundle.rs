//! SPIFFE trust bundles (SPIFFE_Trust_Domain_and_Bundle.md §4, WIT-SVID.md §6.1) and bundle
//! maps (§4.5), held per trust domain in a [`TrustStore`].
//!
//! Decisions: entries with a missing or unknown `kty`/`use`, or key material this library cannot
//! use, are skipped and counted (§4.2); a `jwt-svid` or `wit-svid` entry without `kid`, a `kid`
//! used twice among them, an `x509-svid` entry carrying a `kid`, or malformed `x5c` base64
//! invalidates the whole bundle (go-spiffe refuses these too). Only `x5c[0]` is used. X.509 roots
//! are kept as DER and parsed when an X.509-SVID is verified.
//!
//! Trust anchors are keyed by **(scheme, trust domain)**, never by trust domain alone
//! (specs/wimse-spiffe.md §7.B1): a bare name such as `example.org` is a SPIFFE trust domain (the
//! SPIFFE bundle map format), and `wimse://example.com` names a WIMSE trust domain. Keys trusted
//! for `spiffe://example.org` can therefore never vouch for `wimse://example.org/...`.

use base64::Engine as _;
use serde_json::Value;

use super::{Scheme, WorkloadId};
use crate::crypto::{Jwk, sha256};
use crate::encoding::base64url;
use crate::encoding::json::{self, Object};
use crate::error::{Error, Limit};
use crate::limits::Limits;

/// The refresh interval consumers use when a bundle has no `spiffe_refresh_hint` (5 minutes).
pub const DEFAULT_REFRESH_HINT: u64 = 300;

/// One trust domain's bundle.
#[derive(Debug, Clone)]
pub struct Bundle {
    scheme: Scheme,
    trust_domain: String,
    jwt_authorities: Vec<Jwk>,
    wit_authorities: Vec<Jwk>,
    x509_authorities: Vec<Vec<u8>>,
    sequence: Option<u64>,
    refresh_hint: Option<u64>,
    skipped: usize,
}

fn invalid(why: &'static str) -> Error {
    Error::InvalidBundle(why)
}

/// Splits a trust store key into (scheme, trust domain): `example.org` is SPIFFE,
/// `wimse://example.com` is WIMSE. The name must be canonical for its scheme.
fn parse_trust_domain_key(key: &str) -> Result<(Scheme, &str), Error> {
    let not_canonical = Error::InvalidIdentifier("trust domain name is not canonical");
    let (scheme, name) = match key.strip_prefix("wimse://") {
        Some(name) => (Scheme::Wimse, name),
        None => (Scheme::Spiffe, key),
    };
    // The name follows the identifier rules of its scheme: parse a probe identifier built from
    // it and require the parser to give the same trust domain back.
    let probe = match scheme {
        Scheme::Spiffe => WorkloadId::parse_spiffe(&format!("spiffe://{name}")),
        Scheme::Wimse => WorkloadId::parse_wimse(&format!("wimse://{name}/probe")),
    };
    match probe {
        Ok(id) if id.trust_domain() == name => Ok((scheme, name)),
        _ => Err(not_canonical),
    }
}

fn optional_u64(obj: &Object, name: &str) -> Result<Option<u64>, Error> {
    match obj.get(name) {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or(invalid(
            "spiffe_sequence and spiffe_refresh_hint are unsigned integers",
        )),
    }
}

impl Bundle {
    /// Parses the bundle document of `trust_domain`: a bare name (`example.org`) for a SPIFFE
    /// trust domain, `wimse://<name>` for a WIMSE one.
    ///
    /// # Errors
    /// JSON errors; `invalid-identifier` for a non-canonical trust domain name; `invalid-bundle`
    /// when `keys` is missing or not an array, or for the entry rules in the module
    /// documentation; `limit-exceeded` (`max_keys`).
    pub fn parse(trust_domain: &str, text: &str, limits: &Limits) -> Result<Self, Error> {
        Self::from_object(
            trust_domain,
            &json::parse_object(text.as_bytes(), limits)?,
            limits,
        )
    }

    fn from_object(trust_domain: &str, obj: &Object, limits: &Limits) -> Result<Self, Error> {
        let (scheme, trust_domain) = parse_trust_domain_key(trust_domain)?;
        let Some(Value::Array(entries)) = obj.get("keys") else {
            return Err(invalid("keys must be present and an array"));
        };
        if entries.len() > limits.max_keys {
            return Err(Error::LimitExceeded(Limit::Keys));
        }
        let mut bundle = Self {
            scheme,
            trust_domain: trust_domain.to_owned(),
            jwt_authorities: Vec::new(),
            wit_authorities: Vec::new(),
            x509_authorities: Vec::new(),
            sequence: optional_u64(obj, "spiffe_sequence")?,
            refresh_hint: optional_u64(obj, "spiffe_refresh_hint")?,
            skipped: 0,
        };
        let mut kids: Vec<String> = Vec::new();
        for entry in entries {
            let Some(entry) = entry.as_object() else {
                bundle.skipped = bundle.skipped.saturating_add(1);
                continue;
            };
            let use_ = entry.get("use").and_then(Value::as_str);
            match use_ {
                Some("x509-svid") => {
                    if entry.contains_key("kid") {
                        return Err(invalid("x509-svid entries must not carry kid"));
                    }
                    // §4.2.1: x5c holds the CA certificate as standard base64 DER; use x5c[0].
                    match entry
                        .get("x5c")
                        .and_then(Value::as_array)
                        .and_then(|c| c.first())
                    {
                        Some(Value::String(cert)) => {
                            let der = base64::engine::general_purpose::STANDARD
                                .decode(cert)
                                .map_err(|_| invalid("x5c is not base64"))?;
                            bundle.x509_authorities.push(der);
                        }
                        Some(_) => return Err(invalid("x5c entries are strings")),
                        None => bundle.skipped = bundle.skipped.saturating_add(1),
                    }
                }
                Some(u @ ("jwt-svid" | "wit-svid")) => {
                    // §4.2.2 / WIT-SVID §6.1: kid is required and unique across the bundle.
                    let Some(Value::String(kid)) = entry.get("kid") else {
                        return Err(invalid("jwt-svid and wit-svid entries need a kid"));
                    };
                    if kids.contains(kid) {
                        return Err(invalid("kid used twice in one bundle"));
                    }
                    kids.push(kid.clone());
                    // The `use` member names the SVID kind, not JOSE's `sig`: read the key without it.
                    let mut key = entry.clone();
                    key.remove("use");
                    match Jwk::from_object(&key) {
                        Ok(jwk) if u == "jwt-svid" => bundle.jwt_authorities.push(jwk),
                        Ok(jwk) => bundle.wit_authorities.push(jwk),
                        Err(_) => bundle.skipped = bundle.skipped.saturating_add(1),
                    }
                }
                // §4.2: a missing or unknown use means the entry is ignored.
                _ => bundle.skipped = bundle.skipped.saturating_add(1),
            }
        }
        Ok(bundle)
    }

    /// The trust domain name this bundle is for.
    pub fn trust_domain(&self) -> &str {
        &self.trust_domain
    }

    /// The identifier scheme whose trust domain this is.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The trust store key: the bare name for SPIFFE, `wimse://<name>` for WIMSE.
    pub fn key(&self) -> String {
        match self.scheme {
            Scheme::Spiffe => self.trust_domain.clone(),
            Scheme::Wimse => format!("wimse://{}", self.trust_domain),
        }
    }

    fn is_for(&self, scheme: Scheme, trust_domain: &str) -> bool {
        self.scheme == scheme && self.trust_domain == trust_domain
    }

    /// Keys for verifying JWT-SVIDs.
    pub fn jwt_authorities(&self) -> &[Jwk] {
        &self.jwt_authorities
    }

    /// Keys for verifying Workload Identity Tokens (WIT-SVIDs).
    pub fn wit_authorities(&self) -> &[Jwk] {
        &self.wit_authorities
    }

    /// X.509 CA certificates (DER) for X.509-SVIDs.
    pub fn x509_authorities(&self) -> &[Vec<u8>] {
        &self.x509_authorities
    }

    /// base64url SHA-256 of each X.509 authority's DER (the `x5t#S256` form).
    pub fn x509_thumbprints(&self) -> Vec<String> {
        self.x509_authorities
            .iter()
            .map(|der| base64url::encode(&sha256(der)))
            .collect()
    }

    /// `spiffe_sequence`, if present.
    pub fn sequence(&self) -> Option<u64> {
        self.sequence
    }

    /// `spiffe_refresh_hint` in seconds, or [`DEFAULT_REFRESH_HINT`].
    pub fn refresh_hint(&self) -> u64 {
        self.refresh_hint.unwrap_or(DEFAULT_REFRESH_HINT)
    }

    /// How many entries were ignored (unknown `use` or `kty`, unusable key material).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Whether the bundle has no usable authority at all: then every SVID of the trust domain
    /// is invalid (§4.2: `keys: []` revokes everything).
    pub fn is_empty(&self) -> bool {
        self.jwt_authorities.is_empty()
            && self.wit_authorities.is_empty()
            && self.x509_authorities.is_empty()
    }
}

/// Bundles by trust domain. Bundles of different trust domains are never merged.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    bundles: Vec<Bundle>,
}

impl TrustStore {
    /// Parses a SPIFFE bundle map `{"trust_domains": {"<td>": <bundle>, ...}}` (§4.5), loaded
    /// as a whole. Duplicate trust domains are rejected by the strict JSON parser.
    ///
    /// # Errors
    /// `duplicate-json-member` for a repeated trust domain; `invalid-bundle` when
    /// `trust_domains` is missing or not an object, or a bundle is invalid;
    /// `invalid-identifier` for a non-canonical trust domain name; `limit-exceeded`.
    pub fn from_bundle_map(text: &str, limits: &Limits) -> Result<Self, Error> {
        let obj = json::parse_object(text.as_bytes(), limits)?;
        let Some(Value::Object(map)) = obj.get("trust_domains") else {
            return Err(invalid("trust_domains must be present and an object"));
        };
        if map.len() > limits.max_keys {
            return Err(Error::LimitExceeded(Limit::Keys));
        }
        let mut store = Self::default();
        for (td, bundle) in map {
            let bundle = bundle
                .as_object()
                .ok_or(invalid("each bundle is a JSON object"))?;
            store.bundles.push(Bundle::from_object(td, bundle, limits)?);
        }
        Ok(store)
    }

    /// Adds or replaces the bundle of its trust domain. A bundle whose `spiffe_sequence` is
    /// lower than the stored one's is ignored (SPIFFE Federation §5.1: keep the latest); returns
    /// whether the store changed.
    pub fn insert(&mut self, bundle: Bundle) -> bool {
        match self
            .bundles
            .iter_mut()
            .find(|b| b.is_for(bundle.scheme, &bundle.trust_domain))
        {
            Some(existing) => {
                if let (Some(old), Some(new)) = (existing.sequence, bundle.sequence)
                    && new < old
                {
                    return false;
                }
                *existing = bundle;
                true
            }
            None => {
                self.bundles.push(bundle);
                true
            }
        }
    }

    /// The bundle for a trust store key (`example.org` for SPIFFE, `wimse://example.com` for
    /// WIMSE).
    pub fn bundle(&self, key: &str) -> Option<&Bundle> {
        let (scheme, name) = parse_trust_domain_key(key).ok()?;
        self.bundles.iter().find(|b| b.is_for(scheme, name))
    }

    /// The bundle for the scheme and trust domain of `id`: keys come only from the identity's
    /// own trust domain, never from the token that names it.
    pub fn bundle_for(&self, id: &WorkloadId) -> Option<&Bundle> {
        self.bundles
            .iter()
            .find(|b| b.is_for(id.scheme(), id.trust_domain()))
    }

    /// Reads `sub` from a not-yet-verified JWT payload and returns it with its trust domain's
    /// bundle: the step that selects trust anchors *before* the signature check (WIMSE
    /// workload-creds §5.1.4, JWT-SVID §4). `spiffe_only` restricts `sub` to SPIFFE IDs.
    ///
    /// # Errors
    /// JSON errors; `claim-missing` / `claim-invalid` / `invalid-identifier` for `sub`;
    /// `unknown-trust-domain` when no bundle is held for its trust domain.
    pub(crate) fn subject_bundle(
        &self,
        unverified_payload: &[u8],
        spiffe_only: bool,
        limits: &Limits,
    ) -> Result<(WorkloadId, &Bundle), Error> {
        let claims = json::parse_object(unverified_payload, limits)?;
        let subject = match claims.get("sub") {
            None => return Err(Error::ClaimMissing("sub")),
            Some(Value::String(s)) if spiffe_only => WorkloadId::parse_spiffe(s)?,
            Some(Value::String(s)) => WorkloadId::parse(s)?,
            Some(_) => return Err(Error::ClaimInvalid("sub")),
        };
        let bundle = self.bundle_for(&subject).ok_or(Error::UnknownTrustDomain)?;
        Ok((subject, bundle))
    }

    /// The trust store keys present (see [`Bundle::key`]), sorted.
    pub fn trust_domains(&self) -> Vec<String> {
        let mut names: Vec<String> = self.bundles.iter().map(Bundle::key).collect();
        names.sort_unstable();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits::DEFAULT;

    #[test]
    fn sequence_orders_updates() {
        let b = |seq: u64| {
            Bundle::parse(
                "example.org",
                &format!(r#"{{"keys":[],"spiffe_sequence":{seq}}}"#),
                &L,
            )
            .unwrap()
        };
        let mut store = TrustStore::default();
        assert!(store.insert(b(2)));
        assert!(!store.insert(b(1)));
        assert_eq!(store.bundle("example.org").unwrap().sequence(), Some(2));
        assert!(store.insert(b(3)));
        assert!(store.bundle("example.org").unwrap().is_empty());
        assert_eq!(
            store.bundle("example.org").unwrap().refresh_hint(),
            DEFAULT_REFRESH_HINT
        );
    }
}
