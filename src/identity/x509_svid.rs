//! X.509-SVID verification (SPIFFE X509-SVID.md, Stable; specs/wimse-spiffe.md §5.2, attack
//! list §7.G).
//!
//! The order of checks, each with one error code:
//! 1. every presented certificate is DER (re-encoding gives the same bytes), within
//!    `max_certificate_bytes`, its outer and inner signature algorithms agree, it is version 3,
//!    no extension appears twice → else `malformed-certificate`; at most `max_chain_length`
//!    certificates → else `limit-exceeded`;
//! 2. leaf rules → `certificate-rejected`: exactly one URI SAN (G1); the URI is a canonical
//!    SPIFFE ID (`invalid-identifier`, G3); `cA` is false (G2); a non-root path (G3); the key
//!    usage has neither `keyCertSign` nor `cRLSign` (G2); key usage present, **critical**, with
//!    `digitalSignature` (G6); an empty subject needs a critical SAN (RFC 5280 §4.1.2.6); no
//!    critical extension this module does not process;
//! 3. the leaf's validity window at `now` (`token-not-yet-valid` / `token-expired`);
//! 4. `unknown-trust-domain` when the store has no bundle for the leaf's SPIFFE trust domain;
//! 5. a certification path (RFC 5280 §6, the subset SPIFFE needs) from the leaf through the
//!    presented intermediates to an `x509-svid` authority **of that trust domain only** (G4,
//!    B4) → else `untrusted-chain`: names chain by exact DER; each issuer is a CA (`cA` true,
//!    `keyCertSign` when key usage is present), within its validity window, within its
//!    `pathLenConstraint`; an intermediate that carries a SPIFFE ID carries one with no path;
//!    URI and DNS name constraints are applied to every certificate below (other name forms in
//!    a constraint are refused, never ignored); signatures verify. Certificate signature
//!    algorithms: `ecdsa-with-SHA256` (P-256), `ecdsa-with-SHA384` (P-384), `Ed25519`,
//!    `sha256WithRSAEncryption`; any other is `alg-not-allowed`.
//!
//! Decisions: the extended key usage is not checked (as go-spiffe verifies with "any"); no
//! revocation (short lifetimes instead, specs §5.3); no clock leeway on validity windows
//! (issuers backdate `notBefore`). Path search spends at most `4 × max_chain_length` signature
//! checks, so a chain of look-alike issuers cannot make it expensive.

use base64::Engine as _;
use der::asn1::{BitString, UintRef};
use der::oid::ObjectIdentifier;
use der::oid::db::{rfc5280, rfc5912, rfc8410};
use der::{Decode, Encode, Tagged as _};
use serde_json::{Map, Value};
use x509_cert::Certificate;
use x509_cert::certificate::Version;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, NameConstraints, SubjectAltName};

use super::{Scheme, TrustStore, WorkloadId};
use crate::crypto::{Algorithm, Jwk, sha256};
use crate::encoding::base64url;
use crate::error::{Error, Limit};
use crate::limits::Limits;
use crate::time::UnixTime;

/// A verified X.509-SVID leaf.
#[derive(Debug, Clone)]
pub struct VerifiedX509Svid {
    /// The SPIFFE ID from the single URI SAN.
    pub subject: WorkloadId,
    /// The leaf's `notAfter`.
    pub not_after: UnixTime,
    /// base64url SHA-256 of the leaf's SubjectPublicKeyInfo (DER): what to pin or bind to.
    pub spki_sha256: String,
    /// base64url SHA-256 of the leaf certificate (DER), the `x5t#S256` form.
    pub leaf_sha256: String,
    /// Certificates in the validated path, leaf and trust anchor included.
    pub path_length: usize,
}

/// The critical extensions this module processes; any other critical one is refused.
const UNDERSTOOD: [ObjectIdentifier; 5] = [
    rfc5280::ID_CE_BASIC_CONSTRAINTS,
    rfc5280::ID_CE_KEY_USAGE,
    rfc5280::ID_CE_SUBJECT_ALT_NAME,
    rfc5280::ID_CE_NAME_CONSTRAINTS,
    rfc5280::ID_CE_EXT_KEY_USAGE,
];

struct Parsed {
    cert: Certificate,
    tbs: Vec<u8>,
    issuer: Vec<u8>,
    subject: Vec<u8>,
}

fn malformed<T>(_: T) -> Error {
    Error::MalformedCertificate
}

fn parse(der: &[u8], limits: &Limits) -> Result<Parsed, Error> {
    if der.len() > limits.max_certificate_bytes {
        return Err(Error::LimitExceeded(Limit::CertificateBytes));
    }
    let cert = Certificate::from_der(der).map_err(malformed)?;
    // DER only: a BER or otherwise non-canonical encoding does not re-encode to the same bytes.
    if cert.to_der().map_err(malformed)? != der {
        return Err(Error::MalformedCertificate);
    }
    let tbs_cert = cert.tbs_certificate();
    if cert.signature_algorithm() != tbs_cert.signature() || tbs_cert.version() != Version::V3 {
        return Err(Error::MalformedCertificate);
    }
    let extensions = tbs_cert.extensions().map(Vec::as_slice).unwrap_or_default();
    for (i, e) in extensions.iter().enumerate() {
        if extensions
            .iter()
            .skip(i.saturating_add(1))
            .any(|o| o.extn_id == e.extn_id)
        {
            return Err(Error::MalformedCertificate);
        }
    }
    Ok(Parsed {
        tbs: tbs_cert.to_der().map_err(malformed)?,
        issuer: tbs_cert.issuer().to_der().map_err(malformed)?,
        subject: tbs_cert.subject().to_der().map_err(malformed)?,
        cert,
    })
}

impl Parsed {
    fn extension<'a, T: Decode<'a> + der::oid::AssociatedOid>(
        &'a self,
    ) -> Result<Option<(bool, T)>, Error> {
        self.cert
            .tbs_certificate()
            .get_extension::<T>()
            .map_err(|_| Error::MalformedCertificate)
    }

    fn has_unknown_critical_extension(&self) -> bool {
        self.cert
            .tbs_certificate()
            .extensions()
            .is_some_and(|exts| {
                exts.iter()
                    .any(|e| e.critical && !UNDERSTOOD.contains(&e.extn_id))
            })
    }

    fn uris_and_dns_names(&self) -> Result<(Vec<String>, Vec<String>), Error> {
        let mut uris = Vec::new();
        let mut dns = Vec::new();
        if let Some((_, SubjectAltName(names))) = self.extension::<SubjectAltName>()? {
            for name in names {
                match name {
                    GeneralName::UniformResourceIdentifier(u) => uris.push(u.to_string()),
                    GeneralName::DnsName(d) => dns.push(d.to_string()),
                    _ => {}
                }
            }
        }
        Ok((uris, dns))
    }

    fn check_validity(&self, now: UnixTime) -> Result<(), Error> {
        let validity = self.cert.tbs_certificate().validity();
        if now.as_secs() < validity.not_before.to_unix_duration().as_secs() {
            return Err(Error::TokenNotYetValid);
        }
        if now.as_secs() > validity.not_after.to_unix_duration().as_secs() {
            return Err(Error::TokenExpired);
        }
        Ok(())
    }

    fn not_after(&self) -> UnixTime {
        UnixTime(
            self.cert
                .tbs_certificate()
                .validity()
                .not_after
                .to_unix_duration()
                .as_secs(),
        )
    }
}

fn rejected(why: &'static str) -> Error {
    Error::CertificateRejected(why)
}

fn untrusted(why: &'static str) -> Error {
    Error::UntrustedChain(why)
}

/// The leaf rules (step 2 of the module documentation); returns the SPIFFE ID.
fn check_leaf(leaf: &Parsed) -> Result<WorkloadId, Error> {
    let (uris, _) = leaf.uris_and_dns_names()?;
    let [uri] = uris.as_slice() else {
        return Err(rejected("an x509-svid has exactly one uri san"));
    };
    let id = WorkloadId::parse_spiffe(uri)?;
    // G2 before G3, so that a CA certificate presented as a peer is named as such.
    let basic = leaf.extension::<BasicConstraints>()?;
    if basic.is_some_and(|(_, b)| b.ca) {
        return Err(rejected("the leaf is a ca certificate"));
    }
    if id.path().is_empty() {
        return Err(rejected("the leaf spiffe id has no path"));
    }
    match leaf.extension::<KeyUsage>()? {
        Some((true, ku)) => {
            if ku.key_cert_sign() || ku.crl_sign() {
                return Err(rejected("the leaf has keyCertSign or cRLSign"));
            }
            if !ku.digital_signature() {
                return Err(rejected("the leaf key usage lacks digitalSignature"));
            }
        }
        _ => return Err(rejected("key usage must be present and critical")),
    }
    if leaf.cert.tbs_certificate().subject().is_empty()
        && !matches!(leaf.extension::<SubjectAltName>()?, Some((true, _)))
    {
        return Err(rejected("an empty subject needs a critical san"));
    }
    if leaf.has_unknown_critical_extension() {
        return Err(rejected("unsupported critical extension"));
    }
    Ok(id)
}

/// Whether `ca` may issue the certificate at `below_cas` intermediate CAs above the leaf.
fn check_issuer(ca: &Parsed, below_cas: usize) -> Result<(), Error> {
    match ca.extension::<BasicConstraints>()? {
        Some((_, b)) if b.ca => {
            if b.path_len_constraint
                .is_some_and(|max| below_cas > usize::from(max))
            {
                return Err(untrusted("path length constraint exceeded"));
            }
        }
        _ => return Err(untrusted("an issuer is not a ca")),
    }
    if let Some((_, ku)) = ca.extension::<KeyUsage>()?
        && !ku.key_cert_sign()
    {
        return Err(untrusted("an issuer lacks keyCertSign"));
    }
    if ca.has_unknown_critical_extension() {
        return Err(untrusted("an issuer has an unsupported critical extension"));
    }
    Ok(())
}

/// RFC 5280 §4.2.1.10 for URI (host part) and DNS names.
fn host_within(host: &str, base: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let base = base.to_ascii_lowercase();
    if base.is_empty() {
        return true;
    }
    if base.starts_with('.') {
        return host.ends_with(&base);
    }
    host == base
        || host
            .strip_suffix(&base)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

fn uri_host(uri: &str) -> &str {
    let rest = uri.split_once("://").map_or(uri, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or_default()
}

/// Applies `ca`'s name constraints to the URI and DNS names of `below`.
fn check_name_constraints(ca: &Parsed, below: &[&Parsed]) -> Result<(), Error> {
    let Some((_, nc)) = ca.extension::<NameConstraints>()? else {
        return Ok(());
    };
    let permitted = nc.permitted_subtrees.unwrap_or_default();
    let excluded = nc.excluded_subtrees.unwrap_or_default();
    for subtree in permitted.iter().chain(excluded.iter()) {
        if !matches!(
            subtree.base,
            GeneralName::UniformResourceIdentifier(_) | GeneralName::DnsName(_)
        ) || subtree.minimum != 0
            || subtree.maximum.is_some()
        {
            return Err(untrusted("unsupported name constraint form"));
        }
    }
    for cert in below {
        let (uris, dns) = cert.uris_and_dns_names()?;
        let names = uris
            .iter()
            .map(|u| (true, uri_host(u)))
            .chain(dns.iter().map(|d| (false, d.as_str())));
        for (is_uri, host) in names {
            let within =
                |subtree: &x509_cert::ext::pkix::constraints::name::GeneralSubtree| match &subtree
                    .base
                {
                    GeneralName::UniformResourceIdentifier(base) if is_uri => {
                        host_within(host, base.as_str())
                    }
                    GeneralName::DnsName(base) if !is_uri => host_within(host, base.as_str()),
                    _ => false,
                };
            let same_form = |subtree: &x509_cert::ext::pkix::constraints::name::GeneralSubtree| {
                matches!(
                    (&subtree.base, is_uri),
                    (GeneralName::UniformResourceIdentifier(_), true)
                        | (GeneralName::DnsName(_), false)
                )
            };
            if permitted.iter().any(same_form) && !permitted.iter().any(within) {
                return Err(rejected("a name is outside the permitted name constraints"));
            }
            if excluded.iter().any(within) {
                return Err(rejected("a name is inside the excluded name constraints"));
            }
        }
    }
    Ok(())
}

fn bit_bytes(bits: &BitString) -> Result<&[u8], Error> {
    if bits.unused_bits() != 0 {
        return Err(Error::MalformedCertificate);
    }
    Ok(bits.raw_bytes())
}

/// The issuer's SubjectPublicKeyInfo as a verification key.
fn spki_key(issuer: &Parsed) -> Result<Jwk, Error> {
    let spki = issuer.cert.tbs_certificate().subject_public_key_info();
    let key = bit_bytes(&spki.subject_public_key)?;
    let mut jwk = Map::new();
    let s = |v: &[u8]| Value::String(base64url::encode(v));
    match spki.algorithm.oid {
        oid if oid == rfc5912::ID_EC_PUBLIC_KEY => {
            let curve: ObjectIdentifier = spki
                .algorithm
                .parameters
                .as_ref()
                .ok_or(Error::MalformedCertificate)?
                .decode_as()
                .map_err(malformed)?;
            let (crv, len) = match curve {
                c if c == rfc5912::SECP_256_R_1 => ("P-256", 32_usize),
                c if c == rfc5912::SECP_384_R_1 => ("P-384", 48),
                _ => return Err(Error::AlgorithmNotAllowed),
            };
            // Uncompressed SEC1 point only.
            let Some((0x04, xy)) = key.split_first() else {
                return Err(untrusted("issuer key is not an uncompressed point"));
            };
            if xy.len() != len.saturating_mul(2) {
                return Err(untrusted("issuer key has the wrong length"));
            }
            let (x, y) = xy.split_at(len);
            jwk.insert("kty".into(), "EC".into());
            jwk.insert("crv".into(), crv.into());
            jwk.insert("x".into(), s(x));
            jwk.insert("y".into(), s(y));
        }
        oid if oid == rfc8410::ID_ED_25519 => {
            jwk.insert("kty".into(), "OKP".into());
            jwk.insert("crv".into(), "Ed25519".into());
            jwk.insert("x".into(), s(key));
        }
        oid if oid == rfc5912::RSA_ENCRYPTION => {
            #[derive(der::Sequence)]
            struct RsaPublicKey<'a> {
                n: UintRef<'a>,
                e: UintRef<'a>,
            }
            let rsa = RsaPublicKey::from_der(key).map_err(malformed)?;
            jwk.insert("kty".into(), "RSA".into());
            jwk.insert("n".into(), s(rsa.n.as_bytes()));
            jwk.insert("e".into(), s(rsa.e.as_bytes()));
        }
        _ => return Err(Error::AlgorithmNotAllowed),
    }
    Jwk::from_object(&jwk).map_err(|_| untrusted("issuer key is not usable"))
}

/// The JWS-style signature (ECDSA as fixed-size `r‖s`) for `child`'s certificate signature.
fn signature_of(child: &Parsed) -> Result<(Algorithm, Vec<u8>), Error> {
    let alg_id = child.cert.signature_algorithm();
    let raw = bit_bytes(child.cert.signature())?;
    let no_params = alg_id.parameters.is_none();
    let ecdsa = |len: usize| -> Result<Vec<u8>, Error> {
        #[derive(der::Sequence)]
        struct EcdsaSig<'a> {
            r: UintRef<'a>,
            s: UintRef<'a>,
        }
        let sig = EcdsaSig::from_der(raw).map_err(|_| untrusted("signature does not verify"))?;
        let mut out = vec![0u8; len.saturating_mul(2)];
        for (value, offset) in [(sig.r.as_bytes(), 0), (sig.s.as_bytes(), len)] {
            let pad = len
                .checked_sub(value.len())
                .ok_or(untrusted("signature does not verify"))?;
            let start = offset.saturating_add(pad);
            out.get_mut(start..start.saturating_add(value.len()))
                .ok_or(untrusted("signature does not verify"))?
                .copy_from_slice(value);
        }
        Ok(out)
    };
    match alg_id.oid {
        oid if oid == rfc5912::ECDSA_WITH_SHA_256 && no_params => {
            Ok((Algorithm::Es256, ecdsa(32)?))
        }
        oid if oid == rfc5912::ECDSA_WITH_SHA_384 && no_params => {
            Ok((Algorithm::Es384, ecdsa(48)?))
        }
        oid if oid == rfc8410::ID_ED_25519 && no_params => Ok((Algorithm::EdDsa, raw.to_vec())),
        oid if oid == rfc5912::SHA_256_WITH_RSA_ENCRYPTION
            && alg_id
                .parameters
                .as_ref()
                .is_none_or(|p| p.tag() == der::Tag::Null && p.value().is_empty()) =>
        {
            Ok((Algorithm::Rs256, raw.to_vec()))
        }
        _ => Err(Error::AlgorithmNotAllowed),
    }
}

fn signed_by(child: &Parsed, issuer: &Parsed, checks: &mut usize) -> Result<bool, Error> {
    if child.issuer != issuer.subject {
        return Ok(false);
    }
    *checks = checks
        .checked_sub(1)
        .ok_or(Error::LimitExceeded(Limit::SignatureChecks))?;
    let (alg, sig) = signature_of(child)?;
    let Ok(key) = spki_key(issuer) else {
        return Ok(false);
    };
    Ok(key.verify(alg, &child.tbs, &sig).is_ok())
}

/// Parses PEM text holding one or more `CERTIFICATE` blocks (RFC 7468), leaf first. Whitespace
/// between and inside blocks is allowed; any other text is not.
///
/// # Errors
/// `malformed-certificate`; `limit-exceeded` (`max_chain_length`, `max_certificate_bytes`).
pub fn parse_pem_chain(text: &str, limits: &Limits) -> Result<Vec<Vec<u8>>, Error> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let body = rest
            .strip_prefix(BEGIN)
            .ok_or(Error::MalformedCertificate)?;
        let (b64, after) = body.split_once(END).ok_or(Error::MalformedCertificate)?;
        if out.len() >= limits.max_chain_length {
            return Err(Error::LimitExceeded(Limit::ChainLength));
        }
        // Base64 of the size limit, plus line breaks.
        if b64.len() > limits.max_certificate_bytes.saturating_mul(2) {
            return Err(Error::LimitExceeded(Limit::CertificateBytes));
        }
        let compact: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map_err(malformed)?;
        out.push(der);
        rest = after.trim_start();
    }
    if out.is_empty() {
        return Err(Error::MalformedCertificate);
    }
    Ok(out)
}

/// Verifies an X.509-SVID: `chain` is DER, leaf first, then any intermediates; trust anchors
/// are the `x509-svid` authorities of the leaf's SPIFFE trust domain in `store`.
///
/// # Errors
/// As listed in the module documentation.
pub fn verify_x509_svid(
    chain: &[Vec<u8>],
    store: &TrustStore,
    now: UnixTime,
    limits: &Limits,
) -> Result<VerifiedX509Svid, Error> {
    if chain.len() > limits.max_chain_length {
        return Err(Error::LimitExceeded(Limit::ChainLength));
    }
    let parsed = chain
        .iter()
        .map(|der| parse(der, limits))
        .collect::<Result<Vec<_>, _>>()?;
    let (leaf, intermediates) = parsed.split_first().ok_or(Error::MalformedCertificate)?;
    let subject = check_leaf(leaf)?;
    leaf.check_validity(now)?;
    let bundle = store
        .bundle_for(&subject)
        .filter(|b| b.scheme() == Scheme::Spiffe)
        .ok_or(Error::UnknownTrustDomain)?;
    // Anchors that do not parse are unusable, never trusted.
    let anchors: Vec<Parsed> = bundle
        .x509_authorities()
        .iter()
        .filter_map(|der| parse(der, limits).ok())
        .collect();
    let mut checks = limits.max_chain_length.saturating_mul(4);
    let mut path: Vec<&Parsed> = vec![leaf];
    let mut used = vec![false; intermediates.len()];
    loop {
        let current = path.last().copied().ok_or(untrusted("empty path"))?;
        let below_cas = path.len().saturating_sub(1);
        let mut anchor_found = None;
        for anchor in &anchors {
            if signed_by(current, anchor, &mut checks)? {
                anchor_found = Some(anchor);
                break;
            }
        }
        if let Some(anchor) = anchor_found {
            check_issuer(anchor, below_cas)?;
            anchor.check_validity(now)?;
            check_name_constraints(anchor, &path)?;
            for (i, ca) in path.iter().enumerate().skip(1) {
                check_name_constraints(ca, path.get(..i).unwrap_or_default())?;
            }
            return Ok(VerifiedX509Svid {
                subject,
                not_after: leaf.not_after(),
                spki_sha256: base64url::encode(&sha256(
                    &leaf
                        .cert
                        .tbs_certificate()
                        .subject_public_key_info()
                        .to_der()
                        .map_err(malformed)?,
                )),
                leaf_sha256: base64url::encode(&sha256(chain.first().map_or(&[][..], |d| d))),
                path_length: path.len().saturating_add(1),
            });
        }
        let mut next = None;
        for (i, candidate) in intermediates.iter().enumerate() {
            if used.get(i) == Some(&false) && signed_by(current, candidate, &mut checks)? {
                next = Some(i);
                break;
            }
        }
        let Some(i) = next else {
            return Err(untrusted(
                "no path to an x509 authority of the leaf's trust domain",
            ));
        };
        let ca = intermediates.get(i).ok_or(untrusted("no issuer"))?;
        if let Some(flag) = used.get_mut(i) {
            *flag = true;
        }
        check_issuer(ca, below_cas)?;
        ca.check_validity(now)?;
        // A signing certificate that carries a SPIFFE ID carries one with no path (§5.2).
        let (uris, _) = ca.uris_and_dns_names()?;
        if uris
            .iter()
            .any(|u| WorkloadId::parse_spiffe(u).map_or(true, |id| !id.path().is_empty()))
        {
            return Err(untrusted("an intermediate's spiffe id has a path"));
        }
        path.push(ca);
    }
}
