//! The one error vocabulary of a2a-auth.
//!
//! Every rejection anywhere in the crate is one [`Error`] variant. [`Error::code`] gives a stable
//! kebab-case string that is identical in Rust, the WIT `error-code` enum, JavaScript
//! (`err.code`), Python (`AuthError.code`) and the conformance vectors. Tests and callers match
//! on codes, never on messages.
//!
//! No error carries token text, key material, signature bytes, or which internal step of a
//! signature verification failed: details are limited to static names (a claim name, a limit
//! name, a JSON problem) that a caller can act on.

use core::fmt;

/// Everything that can go wrong, as one flat, stable list.
///
/// Variants are in alphabetical order of their [`code`](Error::code). New variants may be added
/// in minor releases; match with a wildcard arm.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Error {
    /// The policy decision point denied the request (AuthZEN `decision: false`; HTTP 403).
    AccessDenied,
    /// The authenticated agent is not among those the matched route allows (HTTP 403).
    AgentNotAllowed,
    /// The JWS `alg` (or a requested signing algorithm) is not in the caller's allow-list, is
    /// `none` in any casing, or is not an algorithm this library implements.
    AlgorithmNotAllowed,
    /// Attestation evidence was refused by the issuer's policy: wrong attester, failed
    /// selectors, stale, or bound to another key. The detail names the rule, never a value.
    AttestationRejected(&'static str),
    /// A proof does not bind the credential it came with: `wth` (the WIT), `ath`, `tth`, `oth`
    /// (the tokens in the request), or a DPoP key that is not the access token's `cnf.jkt`.
    BindingMismatch(&'static str),
    /// A component a verifier's policy requires is not covered by the HTTP signature (for
    /// example `@method`, or `content-digest` for a message with a body).
    ComponentNotCovered,
    /// A certificate breaks an X.509-SVID rule (URI SAN count, leaf is a CA, key usage,
    /// unsupported critical extension, name constraints).
    CertificateRejected(&'static str),
    /// A claim is present but has the wrong JSON type or an invalid value (for example a
    /// NumericDate given as a string, or `aud` as a number). Names the claim.
    ClaimInvalid(&'static str),
    /// A claim has a well-formed value that does not equal what the verifier expects (issuer,
    /// audience, subject, ...). Names the claim.
    ClaimMismatch(&'static str),
    /// A claim the token kind requires is absent. Names the claim.
    ClaimMissing(&'static str),
    /// The JWS `crit` header names an extension this verifier does not understand, or is
    /// malformed (RFC 7515 §4.1.11).
    CritUnsupported,
    /// A credential that must appear exactly once appears several times (two
    /// `Workload-Identity-Token` fields, two `DPoP` headers, two `Authorization` fields).
    CredentialDuplicated(&'static str),
    /// A required credential is absent from the request (no WIT, no WPT, no DPoP proof).
    CredentialMissing(&'static str),
    /// A Security Event (CAEP session revoked, credential change, device no longer compliant,
    /// high risk) applied to the verifier covers this credential: it was issued before the
    /// event and is no longer accepted. The decision record names the event.
    CredentialRevoked,
    /// The token's delegation chain (`act`) is longer than the route allows, or its current
    /// actor is not one the route names (HTTP 403).
    DelegationNotAllowed,
    /// A `Content-Digest` does not match the body received, carries no sha-256/sha-512
    /// member, or is malformed.
    DigestMismatch(&'static str),
    /// A JSON object has the same member name twice (rejected, never "last wins").
    DuplicateJsonMember,
    /// The access token lacks a scope or an `authorization_details` type the route requires
    /// (HTTP 403 `insufficient_scope`).
    InsufficientScope,
    /// The user's authentication behind the token is too weak (`acr`) or too old (`max_age`)
    /// for the route (RFC 9470 `insufficient_user_authentication`).
    InsufficientUserAuthentication(&'static str),
    /// An argument supplied by the caller (not by the peer) is unusable, for example a key seed
    /// of the wrong length or an empty allow-list. Names the argument.
    InvalidArgument(&'static str),
    /// A SPIFFE trust bundle or bundle map breaks a rule that invalidates it as a whole (for
    /// example a `jwt-svid` key without `kid`). Names the rule.
    InvalidBundle(&'static str),
    /// An HTTP signature component cannot be computed from the message: an absent field, an
    /// unknown derived component, or a bad or inapplicable component parameter.
    InvalidComponent(&'static str),
    /// A SPIFFE ID or WIMSE identifier (or a pattern over them) is not in canonical form.
    /// Names the rule that failed. Non-canonical identifiers are rejected, never repaired.
    InvalidIdentifier(&'static str),
    /// A key is malformed or unusable: bad JWK members, a point not on the curve, an RSA modulus
    /// outside the allowed sizes, a private key that does not match its public part.
    InvalidKey(KeyProblem),
    /// A signature or MAC did not verify (this includes signatures of the wrong length).
    InvalidSignature,
    /// The token is a JWE (five segments); encrypted tokens are not accepted here.
    JweUnsupported,
    /// The key's type, curve, `alg` or `use` is inconsistent with the algorithm in use
    /// (the key-confusion defence of RFC 8725 §3.1).
    KeyMismatch,
    /// No key matches the token (by `kid`, or by algorithm when there is no `kid`).
    KeyNotFound,
    /// A counted limit was exceeded (token size, JSON depth, number of keys, ...). Names the
    /// limit.
    LimitExceeded(Limit),
    /// Text that must be unpadded base64url (RFC 4648 §5) is not: padding, `+`, `/`, whitespace,
    /// or non-zero trailing bits.
    MalformedBase64,
    /// Not a DER X.509 certificate, or PEM text that is not a sequence of `CERTIFICATE` blocks.
    MalformedCertificate,
    /// `Signature` / `Signature-Input` are not the RFC 9421 dictionaries, repeat a label, or
    /// several signatures match the verifier's selection.
    MalformedHttpSignature,
    /// Bytes that must be a JSON object are not: invalid JSON, invalid UTF-8, a lone surrogate,
    /// or a value that is not an object.
    MalformedJson,
    /// A token is not a JWS in compact serialization (wrong number of segments, characters
    /// outside the base64url alphabet, empty signature), or carries a header member its token
    /// kind forbids (JWT-SVID: anything but `alg`, `kid`, `typ`).
    MalformedToken,
    /// The request's target URI names an origin this resource does not serve (HTTP 421): the
    /// host built it from something other than its configured authorities.
    MisdirectedRequest,
    /// No route of the policy covers the request's method and path (HTTP 403; unrouted
    /// requests are denied).
    NoMatchingRoute,
    /// The token's `exp` (a certificate's `notAfter`) is in the past (beyond the leeway).
    TokenExpired,
    /// Introspection says the token is not active (revoked, expired, unknown to the server).
    TokenInactive,
    /// The token's `iat` is in the future (beyond the leeway).
    TokenIssuedInFuture,
    /// The token's `nbf` (a certificate's `notBefore`) is in the future (beyond the leeway).
    TokenNotYetValid,
    /// A proof's `jti` was already seen from the same sender within its lifetime.
    Replayed,
    /// The token is older than the verifier's maximum age (measured from `iat`).
    TokenTooOld,
    /// The JWS `typ` header is absent or is not the explicit type this token kind requires
    /// (RFC 8725 §3.11).
    TypMismatch,
    /// The identifier's trust domain has no trust anchors in the verifier's trust store.
    UnknownTrustDomain,
    /// No valid certification path from the certificate to the X.509 authorities of the trust
    /// domain in its SPIFFE ID.
    UntrustedChain(&'static str),
    /// The DPoP proof lacks a valid server nonce (RFC 9449 §8/§9): answer with a fresh
    /// `DPoP-Nonce` and the `use_dpop_nonce` challenge.
    UseDpopNonce,
}

/// What is wrong with a key, for [`Error::InvalidKey`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyProblem {
    /// The public point is not on the curve, or is the identity / a small-order point.
    BadPoint,
    /// A member has the wrong length (for example an EC coordinate shorter than the field).
    BadLength,
    /// A required member is absent or not a string.
    MissingMember,
    /// The private part does not correspond to the public part.
    PrivatePublicMismatch,
    /// The RSA modulus or exponent is outside what is accepted (modulus 2048 to 8192 bits).
    RsaSize,
    /// `kty`/`crv` name a key type this library does not implement.
    UnsupportedType,
    /// The secret (private scalar, seed, HMAC key) is out of range or too short.
    BadSecret,
    /// A key that must be public carries private members.
    PrivateMember,
}

/// Which counted limit was exceeded, for [`Error::LimitExceeded`]. See [`crate::Limits`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// [`crate::Limits::max_token_bytes`].
    TokenBytes,
    /// [`crate::Limits::max_json_bytes`].
    JsonBytes,
    /// [`crate::Limits::max_json_depth`].
    JsonDepth,
    /// [`crate::Limits::max_keys`].
    Keys,
    /// [`crate::Limits::max_signature_checks`].
    SignatureChecks,
    /// [`crate::Limits::max_certificate_bytes`].
    CertificateBytes,
    /// [`crate::Limits::max_chain_length`].
    ChainLength,
    /// [`crate::Limits::max_field_bytes`].
    FieldBytes,
}

impl Limit {
    /// The limit's name as it appears in [`crate::Limits`] (snake_case).
    pub const fn name(self) -> &'static str {
        match self {
            Self::TokenBytes => "max_token_bytes",
            Self::JsonBytes => "max_json_bytes",
            Self::JsonDepth => "max_json_depth",
            Self::Keys => "max_keys",
            Self::SignatureChecks => "max_signature_checks",
            Self::CertificateBytes => "max_certificate_bytes",
            Self::ChainLength => "max_chain_length",
            Self::FieldBytes => "max_field_bytes",
        }
    }
}

impl KeyProblem {
    const fn describe(self) -> &'static str {
        match self {
            Self::BadPoint => "public point is invalid",
            Self::BadLength => "a key member has the wrong length",
            Self::MissingMember => "a required key member is missing",
            Self::PrivatePublicMismatch => "private part does not match public part",
            Self::RsaSize => "rsa modulus or exponent size not accepted",
            Self::UnsupportedType => "key type or curve not supported",
            Self::BadSecret => "secret is out of range or too short",
            Self::PrivateMember => "a public key carries private members",
        }
    }
}

impl Error {
    /// Every code, in the order of the variants. The WIT `error-code` enum has exactly these
    /// cases (a test compares them).
    pub const ALL_CODES: &'static [&'static str] = &[
        "access-denied",
        "agent-not-allowed",
        "alg-not-allowed",
        "attestation-rejected",
        "binding-mismatch",
        "certificate-rejected",
        "claim-invalid",
        "claim-mismatch",
        "claim-missing",
        "component-not-covered",
        "credential-duplicated",
        "credential-missing",
        "credential-revoked",
        "crit-unsupported",
        "delegation-not-allowed",
        "digest-mismatch",
        "duplicate-json-member",
        "insufficient-scope",
        "insufficient-user-authentication",
        "invalid-argument",
        "invalid-bundle",
        "invalid-component",
        "invalid-identifier",
        "invalid-key",
        "invalid-signature",
        "jwe-unsupported",
        "key-mismatch",
        "key-not-found",
        "limit-exceeded",
        "malformed-base64",
        "malformed-certificate",
        "malformed-http-signature",
        "malformed-json",
        "malformed-token",
        "misdirected-request",
        "no-matching-route",
        "replayed",
        "token-expired",
        "token-inactive",
        "token-issued-in-future",
        "token-not-yet-valid",
        "token-too-old",
        "typ-mismatch",
        "unknown-trust-domain",
        "untrusted-chain",
        "use-dpop-nonce",
    ];

    /// The stable kebab-case code of this error, the same in every host and in the vectors.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::AccessDenied => "access-denied",
            Self::AgentNotAllowed => "agent-not-allowed",
            Self::AlgorithmNotAllowed => "alg-not-allowed",
            Self::AttestationRejected(_) => "attestation-rejected",
            Self::BindingMismatch(_) => "binding-mismatch",
            Self::CertificateRejected(_) => "certificate-rejected",
            Self::ClaimInvalid(_) => "claim-invalid",
            Self::ClaimMismatch(_) => "claim-mismatch",
            Self::ClaimMissing(_) => "claim-missing",
            Self::ComponentNotCovered => "component-not-covered",
            Self::CredentialDuplicated(_) => "credential-duplicated",
            Self::CredentialMissing(_) => "credential-missing",
            Self::CredentialRevoked => "credential-revoked",
            Self::CritUnsupported => "crit-unsupported",
            Self::DelegationNotAllowed => "delegation-not-allowed",
            Self::DigestMismatch(_) => "digest-mismatch",
            Self::DuplicateJsonMember => "duplicate-json-member",
            Self::InsufficientScope => "insufficient-scope",
            Self::InsufficientUserAuthentication(_) => "insufficient-user-authentication",
            Self::InvalidArgument(_) => "invalid-argument",
            Self::InvalidBundle(_) => "invalid-bundle",
            Self::InvalidComponent(_) => "invalid-component",
            Self::InvalidIdentifier(_) => "invalid-identifier",
            Self::InvalidKey(_) => "invalid-key",
            Self::InvalidSignature => "invalid-signature",
            Self::JweUnsupported => "jwe-unsupported",
            Self::KeyMismatch => "key-mismatch",
            Self::KeyNotFound => "key-not-found",
            Self::LimitExceeded(_) => "limit-exceeded",
            Self::MalformedBase64 => "malformed-base64",
            Self::MalformedCertificate => "malformed-certificate",
            Self::MalformedHttpSignature => "malformed-http-signature",
            Self::MalformedJson => "malformed-json",
            Self::MalformedToken => "malformed-token",
            Self::MisdirectedRequest => "misdirected-request",
            Self::NoMatchingRoute => "no-matching-route",
            Self::Replayed => "replayed",
            Self::TokenExpired => "token-expired",
            Self::TokenInactive => "token-inactive",
            Self::TokenIssuedInFuture => "token-issued-in-future",
            Self::TokenNotYetValid => "token-not-yet-valid",
            Self::TokenTooOld => "token-too-old",
            Self::TypMismatch => "typ-mismatch",
            Self::UnknownTrustDomain => "unknown-trust-domain",
            Self::UntrustedChain(_) => "untrusted-chain",
            Self::UseDpopNonce => "use-dpop-nonce",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AccessDenied => f.write_str("the policy decision point denied access"),
            Self::AgentNotAllowed => f.write_str("agent not allowed on this route"),
            Self::AlgorithmNotAllowed => f.write_str("algorithm not allowed"),
            Self::AttestationRejected(why) => write!(f, "attestation evidence rejected: {why}"),
            Self::BindingMismatch(what) => write!(f, "proof does not bind the {what} presented"),
            Self::CertificateRejected(why) => write!(f, "certificate rejected: {why}"),
            Self::ClaimInvalid(c) => write!(f, "claim `{c}` has an invalid value"),
            Self::ClaimMismatch(c) => write!(f, "claim `{c}` does not match the expected value"),
            Self::ClaimMissing(c) => write!(f, "required claim `{c}` is missing"),
            Self::ComponentNotCovered => {
                f.write_str("a component the policy requires is not covered by the signature")
            }
            Self::CredentialDuplicated(what) => write!(f, "more than one {what} in the request"),
            Self::CredentialMissing(what) => write!(f, "no {what} in the request"),
            Self::CredentialRevoked => f.write_str("a security event revoked this credential"),
            Self::CritUnsupported => f.write_str("crit names an unsupported extension"),
            Self::DelegationNotAllowed => f.write_str("delegation chain not allowed on this route"),
            Self::DigestMismatch(why) => write!(f, "content digest rejected: {why}"),
            Self::DuplicateJsonMember => f.write_str("json object has a duplicate member"),
            Self::InsufficientScope => {
                f.write_str("the token lacks a required scope or authorization detail")
            }
            Self::InsufficientUserAuthentication(what) => {
                write!(f, "the user authentication does not meet `{what}`")
            }
            Self::InvalidArgument(a) => write!(f, "invalid argument `{a}`"),
            Self::InvalidBundle(why) => write!(f, "invalid trust bundle: {why}"),
            Self::InvalidComponent(why) => write!(f, "signature component unavailable: {why}"),
            Self::InvalidIdentifier(why) => write!(f, "invalid identifier: {why}"),
            Self::InvalidKey(p) => write!(f, "invalid key: {}", p.describe()),
            Self::InvalidSignature => f.write_str("signature is invalid"),
            Self::JweUnsupported => f.write_str("encrypted tokens (jwe) are not accepted"),
            Self::KeyMismatch => f.write_str("key does not fit the algorithm"),
            Self::KeyNotFound => f.write_str("no matching key"),
            Self::LimitExceeded(l) => write!(f, "limit `{}` exceeded", l.name()),
            Self::MalformedBase64 => f.write_str("malformed base64url"),
            Self::MalformedCertificate => f.write_str("malformed certificate"),
            Self::MalformedHttpSignature => f.write_str("malformed http signature fields"),
            Self::MalformedJson => f.write_str("malformed json"),
            Self::MalformedToken => f.write_str("not a compact jws"),
            Self::MisdirectedRequest => f.write_str("target uri is not served here"),
            Self::NoMatchingRoute => f.write_str("no route covers this request"),
            Self::Replayed => f.write_str("proof already used (jti replay)"),
            Self::TokenExpired => f.write_str("token expired"),
            Self::TokenInactive => f.write_str("token is not active"),
            Self::TokenIssuedInFuture => f.write_str("token issued in the future"),
            Self::TokenNotYetValid => f.write_str("token not yet valid"),
            Self::TokenTooOld => f.write_str("token too old"),
            Self::TypMismatch => f.write_str("token type (typ) not accepted"),
            Self::UnknownTrustDomain => f.write_str("trust domain has no trust anchors here"),
            Self::UntrustedChain(why) => write!(f, "untrusted certificate chain: {why}"),
            Self::UseDpopNonce => f.write_str("a fresh server nonce is required"),
        }
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_of_each() -> Vec<Error> {
        vec![
            Error::AccessDenied,
            Error::AgentNotAllowed,
            Error::AlgorithmNotAllowed,
            Error::AttestationRejected("selectors"),
            Error::BindingMismatch("wit"),
            Error::CertificateRejected("key usage"),
            Error::ClaimInvalid("exp"),
            Error::ClaimMismatch("aud"),
            Error::ClaimMissing("iss"),
            Error::ComponentNotCovered,
            Error::CredentialDuplicated("dpop proof"),
            Error::CredentialMissing("wit"),
            Error::CredentialRevoked,
            Error::CritUnsupported,
            Error::DelegationNotAllowed,
            Error::DigestMismatch("sha-256"),
            Error::DuplicateJsonMember,
            Error::InsufficientScope,
            Error::InsufficientUserAuthentication("acr"),
            Error::InvalidArgument("seed"),
            Error::InvalidBundle("keys"),
            Error::InvalidComponent("@path"),
            Error::InvalidIdentifier("scheme"),
            Error::InvalidKey(KeyProblem::BadPoint),
            Error::InvalidSignature,
            Error::JweUnsupported,
            Error::KeyMismatch,
            Error::KeyNotFound,
            Error::LimitExceeded(Limit::TokenBytes),
            Error::MalformedBase64,
            Error::MalformedCertificate,
            Error::MalformedHttpSignature,
            Error::MalformedJson,
            Error::MalformedToken,
            Error::MisdirectedRequest,
            Error::NoMatchingRoute,
            Error::Replayed,
            Error::TokenExpired,
            Error::TokenInactive,
            Error::TokenIssuedInFuture,
            Error::TokenNotYetValid,
            Error::TokenTooOld,
            Error::TypMismatch,
            Error::UnknownTrustDomain,
            Error::UntrustedChain("issuer"),
            Error::UseDpopNonce,
        ]
    }

    #[test]
    fn all_codes_lists_every_variant_in_order() {
        let codes: Vec<&str> = one_of_each().iter().map(Error::code).collect();
        assert_eq!(codes, Error::ALL_CODES);
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted, codes,
            "variants stay in alphabetical order of their codes"
        );
    }

    #[test]
    fn codes_are_kebab_case_and_messages_lowercase() {
        for e in one_of_each() {
            let code = e.code();
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{code}"
            );
            let msg = e.to_string();
            assert!(!msg.ends_with('.'), "{msg}");
            // Messages go into quoted `error_description` values unescaped (RFC 6749 NQSCHAR).
            assert!(
                msg.bytes()
                    .all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'),
                "{msg}"
            );
            assert_eq!(
                msg.chars().next().map(char::is_lowercase),
                Some(true),
                "{msg}"
            );
        }
    }
}
