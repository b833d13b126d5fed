"""Errors: one exception class per stable code, all subclasses of :class:`AuthError`.

``AuthError.code`` equals the Rust core's ``Error::code()``, the WIT ``error-code`` case, and
JavaScript's ``err.code``. Match on ``code`` (or the subclass), never on the message.
"""

from __future__ import annotations


class AuthError(Exception):
    """An a2a-auth rejection."""

    code: str = ""

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.code}: {detail}" if detail else self.code)
        self.detail = detail


class AccessDenied(AuthError):
    code = "access-denied"


class AgentNotAllowed(AuthError):
    code = "agent-not-allowed"


class AlgNotAllowed(AuthError):
    code = "alg-not-allowed"


class AttestationRejected(AuthError):
    code = "attestation-rejected"


class BindingMismatch(AuthError):
    code = "binding-mismatch"


class CertificateRejected(AuthError):
    code = "certificate-rejected"


class ClaimInvalid(AuthError):
    code = "claim-invalid"


class ClaimMismatch(AuthError):
    code = "claim-mismatch"


class ClaimMissing(AuthError):
    code = "claim-missing"


class ComponentNotCovered(AuthError):
    code = "component-not-covered"


class CredentialDuplicated(AuthError):
    code = "credential-duplicated"


class CredentialMissing(AuthError):
    code = "credential-missing"


class CredentialRevoked(AuthError):
    code = "credential-revoked"


class CritUnsupported(AuthError):
    code = "crit-unsupported"


class DelegationNotAllowed(AuthError):
    code = "delegation-not-allowed"


class DigestMismatch(AuthError):
    code = "digest-mismatch"


class DuplicateJsonMember(AuthError):
    code = "duplicate-json-member"


class InsufficientScope(AuthError):
    code = "insufficient-scope"


class InsufficientUserAuthentication(AuthError):
    code = "insufficient-user-authentication"


class InvalidArgument(AuthError):
    code = "invalid-argument"


class InvalidBundle(AuthError):
    code = "invalid-bundle"


class InvalidComponent(AuthError):
    code = "invalid-component"


class InvalidIdentifier(AuthError):
    code = "invalid-identifier"


class InvalidKey(AuthError):
    code = "invalid-key"


class InvalidSignature(AuthError):
    code = "invalid-signature"


class JweUnsupported(AuthError):
    code = "jwe-unsupported"


class KeyMismatch(AuthError):
    code = "key-mismatch"


class KeyNotFound(AuthError):
    code = "key-not-found"


class LimitExceeded(AuthError):
    code = "limit-exceeded"


class MalformedBase64(AuthError):
    code = "malformed-base64"


class MalformedCertificate(AuthError):
    code = "malformed-certificate"


class MalformedHttpSignature(AuthError):
    code = "malformed-http-signature"


class MalformedJson(AuthError):
    code = "malformed-json"


class MalformedToken(AuthError):
    code = "malformed-token"


class MisdirectedRequest(AuthError):
    code = "misdirected-request"


class NoMatchingRoute(AuthError):
    code = "no-matching-route"


class Replayed(AuthError):
    code = "replayed"


class TokenExpired(AuthError):
    code = "token-expired"


class TokenInactive(AuthError):
    code = "token-inactive"


class TokenIssuedInFuture(AuthError):
    code = "token-issued-in-future"


class TokenNotYetValid(AuthError):
    code = "token-not-yet-valid"


class TokenTooOld(AuthError):
    code = "token-too-old"


class TypMismatch(AuthError):
    code = "typ-mismatch"


class UnknownTrustDomain(AuthError):
    code = "unknown-trust-domain"


class UntrustedChain(AuthError):
    code = "untrusted-chain"


class UseDpopNonce(AuthError):
    code = "use-dpop-nonce"


#: code -> exception class
ERRORS: dict[str, type[AuthError]] = {cls.code: cls for cls in AuthError.__subclasses__()}


def from_code(code: str, detail: str) -> AuthError:
    """The exception for ``code``; an unknown code (a newer component) is a plain AuthError."""
    cls = ERRORS.get(code)
    if cls is not None:
        return cls(detail)
    err = AuthError(detail)
    err.code = code
    return err
