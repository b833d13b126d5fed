//! Deterministic X.509 certificates for the X.509-SVID vectors: the TBS is assembled field by
//! field (so a vector can break exactly one rule) and signed with the generator's fixed keys
//! (ECDSA per RFC 6979, Ed25519), which makes every certificate byte-reproducible.

use std::str::FromStr;
use std::time::Duration;

use a2a_auth::crypto::{Algorithm, KeyPair};
use a2a_auth::encoding::base64url as b64;
use base64::Engine as _;
use der::asn1::{BitString, Ia5String, OctetString, UintRef, UtcTime};
use der::oid::ObjectIdentifier;
use der::oid::db::{rfc5912, rfc8410};
use der::{Any, Encode, Sequence};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::constraints::name::GeneralSubtree;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    BasicConstraints, KeyUsage, KeyUsages, NameConstraints, SubjectAltName,
};
use x509_cert::name::Name;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};

#[derive(Sequence)]
struct Tbs {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    version: u8,
    serial: der::asn1::Uint,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    validity: Validity,
    subject: Name,
    spki: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Vec<Extension>>,
}

#[derive(Sequence)]
struct Cert {
    tbs: Tbs,
    algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

#[derive(Sequence)]
struct EcdsaSig<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

fn signature_algorithm(alg: Algorithm) -> AlgorithmIdentifierOwned {
    let oid = match alg {
        Algorithm::Es256 => rfc5912::ECDSA_WITH_SHA_256,
        Algorithm::Es384 => rfc5912::ECDSA_WITH_SHA_384,
        Algorithm::Ed25519 | Algorithm::EdDsa => rfc8410::ID_ED_25519,
        other => panic!("no certificate signing with {other:?}"),
    };
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

fn spki(key: &KeyPair) -> SubjectPublicKeyInfoOwned {
    let jwk = key.public_jwk().to_object();
    let part = |name: &str| b64::decode(jwk[name].as_str().unwrap()).unwrap();
    match key.alg() {
        Algorithm::Es256 | Algorithm::Es384 => {
            let curve = if key.alg() == Algorithm::Es256 {
                rfc5912::SECP_256_R_1
            } else {
                rfc5912::SECP_384_R_1
            };
            let mut point = vec![0x04];
            point.extend(part("x"));
            point.extend(part("y"));
            SubjectPublicKeyInfoOwned {
                algorithm: AlgorithmIdentifierOwned {
                    oid: rfc5912::ID_EC_PUBLIC_KEY,
                    parameters: Some(Any::encode_from(&curve).unwrap()),
                },
                subject_public_key: BitString::from_bytes(&point).unwrap(),
            }
        }
        _ => SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: rfc8410::ID_ED_25519,
                parameters: None,
            },
            subject_public_key: BitString::from_bytes(&part("x")).unwrap(),
        },
    }
}

/// The DER SubjectPublicKeyInfo of a key.
pub fn spki_der(key: &KeyPair) -> Vec<u8> {
    spki(key).to_der().unwrap()
}

fn time(unix: u64) -> Time {
    Time::UtcTime(UtcTime::from_unix_duration(Duration::from_secs(unix)).unwrap())
}

fn ext<T: Encode>(oid: ObjectIdentifier, critical: bool, value: &T) -> Extension {
    Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().unwrap()).unwrap(),
    }
}

/// basicConstraints (critical).
pub fn basic(ca: bool, path_len: Option<u8>) -> Extension {
    ext(
        rfc5912::ID_CE_BASIC_CONSTRAINTS,
        true,
        &BasicConstraints {
            ca,
            path_len_constraint: path_len,
        },
    )
}

/// keyUsage for a leaf: digitalSignature (plus keyEncipherment), with the given criticality.
pub fn leaf_usage(critical: bool) -> Extension {
    ext(
        rfc5912::ID_CE_KEY_USAGE,
        critical,
        &KeyUsage(KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment),
    )
}

/// keyUsage with arbitrary flags (critical).
pub fn usage(flags: impl Into<der::flagset::FlagSet<KeyUsages>>) -> Extension {
    ext(rfc5912::ID_CE_KEY_USAGE, true, &KeyUsage(flags.into()))
}

/// keyUsage for a CA: keyCertSign and cRLSign (critical).
pub fn ca_usage() -> Extension {
    usage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)
}

/// subjectAltName with URIs and DNS names.
pub fn san(uris: &[&str], dns: &[&str], critical: bool) -> Extension {
    let names = uris
        .iter()
        .map(|u| GeneralName::UniformResourceIdentifier(Ia5String::new(u).unwrap()))
        .chain(
            dns.iter()
                .map(|d| GeneralName::DnsName(Ia5String::new(d).unwrap())),
        )
        .collect();
    ext(
        rfc5912::ID_CE_SUBJECT_ALT_NAME,
        critical,
        &SubjectAltName(names),
    )
}

/// nameConstraints over URIs (critical).
pub fn uri_constraints(permitted: &[&str], excluded: &[&str]) -> Extension {
    let subtrees = |hosts: &[&str]| {
        (!hosts.is_empty()).then(|| {
            hosts
                .iter()
                .map(|h| GeneralSubtree {
                    base: GeneralName::UniformResourceIdentifier(Ia5String::new(h).unwrap()),
                    minimum: 0,
                    maximum: None,
                })
                .collect()
        })
    };
    ext(
        rfc5912::ID_CE_NAME_CONSTRAINTS,
        true,
        &NameConstraints {
            permitted_subtrees: subtrees(permitted),
            excluded_subtrees: subtrees(excluded),
        },
    )
}

/// nameConstraints with a directoryName subtree (a form the verifier refuses to ignore).
pub fn directory_constraint() -> Extension {
    ext(
        rfc5912::ID_CE_NAME_CONSTRAINTS,
        true,
        &NameConstraints {
            permitted_subtrees: Some(vec![GeneralSubtree {
                base: GeneralName::DirectoryName(Name::from_str("O=Example").unwrap()),
                minimum: 0,
                maximum: None,
            }]),
            excluded_subtrees: None,
        },
    )
}

/// An extension nobody understands, marked critical.
pub fn unknown_critical() -> Extension {
    ext(
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.55555.1"),
        true,
        &der::asn1::Null,
    )
}

/// One certificate to build.
pub struct Spec<'a> {
    pub serial: u8,
    pub subject: &'a str,
    pub issuer: &'a str,
    pub not_before: u64,
    pub not_after: u64,
    pub key: &'a KeyPair,
    pub signer: &'a KeyPair,
    pub extensions: Vec<Extension>,
}

/// The DER certificate.
pub fn build(spec: &Spec<'_>) -> Vec<u8> {
    let alg = signature_algorithm(spec.signer.alg());
    let tbs = Tbs {
        version: 2,
        serial: der::asn1::Uint::new(&[spec.serial]).unwrap(),
        signature: alg.clone(),
        issuer: Name::from_str(spec.issuer).unwrap(),
        validity: Validity::new(time(spec.not_before), time(spec.not_after)),
        subject: if spec.subject.is_empty() {
            Name::default()
        } else {
            Name::from_str(spec.subject).unwrap()
        },
        spki: spki(spec.key),
        extensions: (!spec.extensions.is_empty()).then(|| spec.extensions.clone()),
    };
    let raw = spec.signer.sign(&tbs.to_der().unwrap()).unwrap();
    let signature = match spec.signer.alg() {
        Algorithm::Es256 | Algorithm::Es384 => {
            let (r, s) = raw.split_at(raw.len() / 2);
            EcdsaSig {
                r: UintRef::new(r).unwrap(),
                s: UintRef::new(s).unwrap(),
            }
            .to_der()
            .unwrap()
        }
        _ => raw,
    };
    Cert {
        tbs,
        algorithm: alg,
        signature: BitString::from_bytes(&signature).unwrap(),
    }
    .to_der()
    .unwrap()
}

/// PEM text of certificates, in order.
pub fn pem(certs: &[&[u8]]) -> String {
    let mut out = String::new();
    for der in certs {
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).unwrap());
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out
}

/// The standard base64 DER, as `x5c` holds it.
pub fn x5c(der: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(der)
}
