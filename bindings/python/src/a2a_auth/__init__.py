"""a2a-auth: authentication for AI agents calling agents, tools and services.

The same verified WebAssembly core as the Rust crate and the npm package, run by wasmtime.
Time defaults to ``int(time.time())`` and random bytes come from ``os.urandom``; the core itself
never reads either. JWKs are dicts (or JSON text), bytes are ``bytes``, and every rejection
raises an :class:`AuthError` subclass whose ``code`` is the stable cross-language code.

>>> key = KeyPair.generate("ES256", kid="as-1")
>>> token = sign_jwt({"sub": "agent:planner", "exp": int(time.time()) + 60}, key, {"typ": "at+jwt"})
>>> verify_jwt(token, {"keys": [key.public_jwk]}, algorithms=["ES256"], typ="at+jwt").claims["sub"]
'agent:planner'
"""

from __future__ import annotations

import json
import os
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from . import _component as _c
from .errors import ERRORS, AuthError, from_code

__all__ = [
    "PushAnswer",
    "verify_set",
    "issue_set",
    "ssf_configuration_url",
    "parse_transmitter_metadata",
    "parse_stream_config",
    "create_stream_request",
    "verification_request",
    "check_records",
    "plan_authorization",
    "client_metadata_document",
    "create_client_attestation_pop",
    "verify_wit_client_attestation",
    "authorization_server_metadata_candidates",
    "parse_authorization_server_metadata",
    "parse_www_authenticate",
    "resource_metadata_candidates",
    "sign_agent_card",
    "verify_agent_card",
    "agent_card_requirements",
    "check_client_metadata_document",
    "AuthzenDecision",
    "authzen_evaluation_request",
    "authzen_evaluations_request",
    "authzen_metadata_url",
    "authzen_parse_decision",
    "authzen_parse_evaluations",
    "authzen_parse_metadata",
    "principal_subject",
    "ClientAssertion",
    "client_credentials_request",
    "create_client_assertion",
    "verify_client_assertion",
    "verify_spiffe_client_assertion",
    "TransactionContext",
    "issue_txn_token",
    "verify_txn_token",
    "TokenExchangeResponse",
    "may_act",
    "parse_token_exchange_response",
    "token_exchange_request",
    "AccessTokenInfo",
    "check_introspection_response",
    "metadata_url",
    "parse_resource_metadata",
    "resource_metadata_document",
    "verify_access_token",
    "verify_introspection_jwt",
    "Decision",
    "Denial",
    "Principal",
    "Signer",
    "Verifier",
    "ERRORS",
    "AuthError",
    "KeyPair",
    "Thumbprint",
    "VerifiedJws",
    "VerifiedJwt",
    "calculate_jwk_thumbprint",
    "error_codes",
    "BundleInfo",
    "VerifiedJwtSvid",
    "VerifiedWit",
    "verify_jwt_svid",
    "Challenge",
    "VerifiedHttpSignature",
    "VerifiedWimse",
    "WimseSignature",
    "content_digest",
    "http_sign",
    "http_signature_base",
    "http_verify",
    "sign_wimse_request",
    "sign_wimse_response",
    "verify_content_digest",
    "verify_wimse_request",
    "verify_wimse_response",
    "ReplayCache",
    "VerifiedDpopProof",
    "VerifiedWpt",
    "create_dpop_proof",
    "create_wpt",
    "dpop_challenge",
    "dpop_nonce",
    "normalize_http_uri",
    "verify_dpop_proof",
    "verify_wpt",
    "wpt_challenge",
    "IssuedWit",
    "issue_attested_wit",
    "renewal_time",
    "VerifiedX509Svid",
    "verify_x509_svid",
    "issue_workload_identity_token",
    "verify_workload_identity_token",
    "WorkloadId",
    "parse_bundle",
    "parse_bundle_map",
    "id_matches",
    "import_jwk",
    "parse_spiffe_id",
    "parse_workload_id",
    "jwk_thumbprint",
    "sign_jws",
    "sign_jwt",
    "verify_jws",
    "verify_jwt",
    "verify_signature",
]

# The per-code subclasses (TokenExpired, InvalidSignature, ...) are importable from here too.
globals().update({cls.__name__: cls for cls in ERRORS.values()})
__all__ += [cls.__name__ for cls in ERRORS.values()]

JsonLike = Union[Mapping[str, Any], str]
BytesLike = Union[bytes, bytearray, str]


def _text(value: JsonLike) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def _bytes(value: BytesLike) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def error_codes() -> list[str]:
    """Every stable error code."""
    return sorted(ERRORS)


class KeyPair:
    """A private key with its algorithm. Create with :meth:`generate`, :meth:`from_seed` or
    :meth:`from_jwk`."""

    def __init__(self, _handle: Any) -> None:
        self._handle = _handle
        self._finalizer = weakref.finalize(self, _c.drop, _handle)

    @classmethod
    def from_seed(cls, alg: str, seed: bytes, kid: Optional[str] = None) -> "KeyPair":
        """A key pair from seed bytes: 32 for ES256/EdDSA/Ed25519, 48 for ES384, >= 32 for HS256."""
        return cls(_c.call("keys", "[static]key-pair.from-seed", alg, bytes(seed), kid))

    @classmethod
    def generate(cls, alg: str, kid: Optional[str] = None) -> "KeyPair":
        """A new key pair from ``os.urandom``."""
        size = _c.call("keys", "seed-length", alg)
        for attempt in range(5):
            try:
                return cls.from_seed(alg, os.urandom(size), kid)
            except ERRORS["invalid-key"]:
                # An ECDSA seed outside [1, n-1] (probability < 2^-32): draw again.
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    @classmethod
    def from_jwk(cls, jwk: JsonLike, alg: Optional[str] = None) -> "KeyPair":
        """A key pair from a private JWK (dict or JSON text)."""
        return cls(_c.call("keys", "[static]key-pair.from-jwk", _text(jwk), alg))

    @property
    def alg(self) -> str:
        """The algorithm's JWS name."""
        return _c.call("keys", "[method]key-pair.alg", self._handle)

    @property
    def public_jwk(self) -> dict[str, Any]:
        """The public JWK (with ``alg``, and ``kid`` when set)."""
        return json.loads(_c.call("keys", "[method]key-pair.public-jwk", self._handle))

    def private_jwk(self) -> dict[str, Any]:
        """The private JWK. Handle as a secret."""
        return json.loads(_c.call("keys", "[method]key-pair.private-jwk", self._handle))

    def sign(self, message: BytesLike) -> bytes:
        """Signs ``message`` (str as UTF-8); returns the raw signature."""
        return bytes(_c.call("keys", "[method]key-pair.sign", self._handle, _bytes(message)))

    def __repr__(self) -> str:
        return f"KeyPair(alg={self.alg!r}, kid={self.public_jwk.get('kid')!r})"


@dataclass(frozen=True)
class Thumbprint:
    """An RFC 7638 thumbprint with its canonical input and RFC 9278 URI."""

    canonical: str
    thumbprint: str
    thumbprint_uri: str


def jwk_thumbprint(jwk: JsonLike) -> Thumbprint:
    """The RFC 7638 thumbprint of a JWK."""
    t = _c.call("keys", "thumbprint", _text(jwk))
    return Thumbprint(t.canonical, t.thumbprint, _c.field(t, "thumbprint_uri"))


def calculate_jwk_thumbprint(jwk: JsonLike) -> str:
    """The RFC 7638 thumbprint (base64url) of a JWK: DPoP's ``jkt``."""
    return jwk_thumbprint(jwk).thumbprint


def import_jwk(jwk: JsonLike) -> dict[str, Any]:
    """Validates a JWK; returns its public form."""
    return json.loads(_c.call("keys", "import-jwk", _text(jwk)))


def verify_signature(alg: str, jwk: JsonLike, message: BytesLike, signature: bytes) -> None:
    """Verifies a raw signature, or raises AuthError."""
    _c.call("keys", "verify-signature", alg, _text(jwk), _bytes(message), bytes(signature))


@dataclass(frozen=True)
class VerifiedJws:
    """A JWS whose signature verified."""

    alg: str
    header: dict[str, Any]
    payload: bytes
    key_thumbprint: str


def _algorithms(algorithms: Iterable[str]) -> list[str]:
    algs = list(algorithms)
    if not algs:
        raise TypeError("algorithms must list the accepted algorithms, e.g. ['ES256', 'EdDSA']")
    return algs


def verify_jws(token: str, keys: JsonLike, *, algorithms: Iterable[str]) -> VerifiedJws:
    """Verifies a compact JWS; ``keys`` is a JWK Set or a single JWK (dict or JSON text)."""
    v = _c.call("jose", "verify-jws", token, _text(keys), _algorithms(algorithms))
    return VerifiedJws(v.alg, json.loads(v.header), bytes(v.payload), _c.field(v, "key_thumbprint"))


@dataclass(frozen=True)
class VerifiedJwt:
    """A JWT whose signature and claims verified."""

    header: dict[str, Any]
    claims: dict[str, Any]
    key_thumbprint: str


def verify_jwt(
    token: str,
    keys: JsonLike,
    *,
    algorithms: Iterable[str],
    typ: Optional[str] = None,
    issuer: Optional[str] = None,
    audience: Optional[str] = None,
    subject: Optional[str] = None,
    required: Iterable[str] = (),
    leeway: Optional[int] = None,
    max_age: Optional[int] = None,
    now: Optional[int] = None,
) -> VerifiedJwt:
    """Verifies a JWT. ``typ`` is the explicit type required (e.g. ``"at+jwt"``); ``leeway``
    defaults to 60 s; ``now`` defaults to ``int(time.time())``."""
    rules = _c.record(
        algorithms=_algorithms(algorithms),
        typ=typ,
        issuer=issuer,
        audience=audience,
        subject=subject,
        required=list(required),
        leeway=leeway,
        max_age=max_age,
    )
    when = int(time.time()) if now is None else now
    if when < 0:
        raise from_code("invalid-argument", "invalid argument `now`")
    v = _c.call("jose", "verify-jwt", token, _text(keys), rules, when)
    return VerifiedJwt(json.loads(v.header), json.loads(v.claims), _c.field(v, "key_thumbprint"))


def sign_jws(header: Optional[JsonLike], payload: BytesLike, key: KeyPair) -> str:
    """Signs ``payload`` as a compact JWS; ``header`` holds extra protected members."""
    return _c.call("jose", "sign-jws", _text(header or {}), _bytes(payload), key._handle)


def sign_jwt(claims: Mapping[str, Any], key: KeyPair, header: Optional[JsonLike] = None) -> str:
    """Signs a claims mapping as a JWT (compact JSON payload)."""
    return sign_jws(header, json.dumps(claims, separators=(",", ":")), key)


@dataclass(frozen=True)
class WorkloadId:
    """A canonical SPIFFE ID or WIMSE identifier and its parts."""

    id: str
    scheme: str
    trust_domain: str
    path: str
    origin: str


def _workload_id(p: Any) -> WorkloadId:
    return WorkloadId(p.id, p.scheme, _c.field(p, "trust_domain"), p.path, p.origin)


def parse_workload_id(id: str) -> WorkloadId:
    """Parses a SPIFFE ID or WIMSE identifier (canonical form only)."""
    return _workload_id(_c.call("identity", "parse-workload-id", id))


def parse_spiffe_id(id: str) -> WorkloadId:
    """Parses a SPIFFE ID only."""
    return _workload_id(_c.call("identity", "parse-spiffe-id", id))


def id_matches(pattern: str, id: str) -> bool:
    """Whether ``id`` matches ``pattern``: an exact identifier, ``<id>/*`` (strictly below,
    whole segments, same origin) or ``<scheme>://<trust-domain>/**`` (the whole trust domain)."""
    return bool(_c.call("identity", "id-matches", pattern, id))


@dataclass(frozen=True)
class BundleInfo:
    """A parsed SPIFFE trust bundle."""

    trust_domain: str
    sequence: Optional[int]
    refresh_hint: int
    jwt_kids: list[str]
    wit_kids: list[str]
    x509_thumbprints: list[str]
    skipped: int


def parse_bundle(trust_domain: str, bundle: JsonLike) -> BundleInfo:
    """Parses the SPIFFE trust bundle (dict or JSON text) of ``trust_domain``."""
    b = _c.call("identity", "parse-bundle", trust_domain, _text(bundle))
    return BundleInfo(
        _c.field(b, "trust_domain"), b.sequence, _c.field(b, "refresh_hint"), list(_c.field(b, "jwt_kids")),
        list(_c.field(b, "wit_kids")), list(_c.field(b, "x509_thumbprints")), b.skipped,
    )


def parse_bundle_map(bundle_map: str) -> list[str]:
    """Parses a SPIFFE bundle map (JSON text); returns its trust domains, sorted."""
    return list(_c.call("identity", "parse-bundle-map", bundle_map))


@dataclass(frozen=True)
class VerifiedWit:
    """A verified Workload Identity Token. The identity is authenticated only once a proof under
    ``cnf_jwk`` verifies too."""

    subject: str
    trust_domain: str
    cnf_jwk: dict[str, Any]
    proof_alg: str
    issuer_key_thumbprint: str
    claims: dict[str, Any]


def verify_workload_identity_token(
    token: str, trust_store: JsonLike, *, now: Optional[int] = None, max_lifetime: Optional[int] = None,
    profile: str = "wimse",
) -> VerifiedWit:
    """Verifies a WIT against a trust store (SPIFFE bundle map, dict or JSON text). ``profile``
    is ``"wimse"`` or ``"wit-svid"`` (the SPIFFE WIT-SVID rules)."""
    if profile not in ("wimse", "wit-svid"):
        raise ValueError("profile is 'wimse' or 'wit-svid'")
    when = int(time.time()) if now is None else now
    v = _c.call("identity", "verify-workload-identity-token", token, _text(trust_store), when, max_lifetime, profile == "wit-svid")
    return VerifiedWit(
        v.subject, _c.field(v, "trust_domain"), json.loads(_c.field(v, "cnf_jwk")), _c.field(v, "proof_alg"),
        _c.field(v, "issuer_key_thumbprint"), json.loads(v.claims),
    )


def issue_workload_identity_token(
    issuer_key: KeyPair, *, subject: str, cnf_jwk: JsonLike, lifetime: int = 3600,
    jti: Optional[str] = None, issuer: Optional[str] = None, now: Optional[int] = None,
) -> str:
    """Issues a WIT (identity-server side); ``jti`` defaults to 16 random bytes in hex."""
    when = int(time.time()) if now is None else now
    return _c.call(
        "identity", "issue-workload-identity-token", issuer_key._handle, subject, _text(cnf_jwk), when, lifetime,
        jti if jti is not None else os.urandom(16).hex(), issuer,
    )


@dataclass(frozen=True)
class VerifiedJwtSvid:
    """A verified JWT-SVID (a SPIFFE bearer token)."""

    subject: str
    trust_domain: str
    issuer_key_thumbprint: str
    claims: dict[str, Any]


def verify_jwt_svid(token: str, trust_store: JsonLike, audience: str, *, now: Optional[int] = None) -> VerifiedJwtSvid:
    """Verifies a JWT-SVID for ``audience`` against a trust store (SPIFFE bundle map)."""
    when = int(time.time()) if now is None else now
    v = _c.call("identity", "verify-jwt-svid", token, _text(trust_store), audience, when)
    return VerifiedJwtSvid(v.subject, _c.field(v, "trust_domain"), _c.field(v, "issuer_key_thumbprint"), json.loads(v.claims))


@dataclass(frozen=True)
class VerifiedX509Svid:
    """A verified X.509-SVID leaf."""

    subject: str
    trust_domain: str
    not_after: int
    spki_sha256: str
    leaf_sha256: str
    path_length: int


def verify_x509_svid(chain: str, trust_store: JsonLike, *, now: Optional[int] = None) -> VerifiedX509Svid:
    """Verifies an X.509-SVID: ``chain`` is PEM text (leaf first, then intermediates); the path must
    end at an ``x509-svid`` authority of the leaf's own trust domain in ``trust_store`` (a SPIFFE
    bundle map)."""
    when = int(time.time()) if now is None else now
    v = _c.call("identity", "verify-x509-svid", chain, _text(trust_store), when)
    return VerifiedX509Svid(
        v.subject, _c.field(v, "trust_domain"), _c.field(v, "not_after"), _c.field(v, "spki_sha256"),
        _c.field(v, "leaf_sha256"), _c.field(v, "path_length"),
    )


@dataclass(frozen=True)
class IssuedWit:
    """A WIT issued after attestation."""

    token: str
    subject: str
    issued_at: int
    expires_at: int
    renew_after: int


def issue_attested_wit(
    issuer_key: KeyPair, policy: JsonLike, evidence: str, cnf_jwk: JsonLike, *,
    jti: Optional[str] = None, now: Optional[int] = None,
) -> IssuedWit:
    """Identity-server side: checks attestation ``evidence`` (a signed JWT from an attester named in
    ``policy``, the issuance policy document) and issues a WIT binding ``cnf_jwk`` (the workload's
    public JWK with ``alg``) to the identity of the first rule whose selectors match."""
    when = int(time.time()) if now is None else now
    w = _c.call(
        "identity", "issue-attested-wit", issuer_key._handle, _text(policy), evidence, _text(cnf_jwk), when,
        jti if jti is not None else os.urandom(16).hex(),
    )
    return IssuedWit(w.token, w.subject, _c.field(w, "issued_at"), _c.field(w, "expires_at"), _c.field(w, "renew_after"))


def renewal_time(issued_at: int, expires_at: int) -> int:
    """When a credential valid from ``issued_at`` to ``expires_at`` should be renewed: its half-life."""
    result: int = _c.call("identity", "renewal-time", issued_at, expires_at)
    return result


# ---- Proof of possession: WPT, DPoP, replay cache ------------------------------------------

HeadersLike = Union[Iterable[tuple[str, str]], Mapping[str, Union[str, Iterable[str]]]]


def _pairs(headers: HeadersLike) -> list[tuple[str, str]]:
    """Header pairs; a mapping's list values become repeated fields. Pass pairs (for example
    Starlette's ``request.headers.raw``, decoded) to keep repeats that a dict would merge."""
    out: list[tuple[str, str]] = []
    if isinstance(headers, Mapping):
        for name, value in headers.items():
            if isinstance(value, (str, bytes)):
                out.append((_str(name), _str(value)))
            else:
                out.extend((_str(name), _str(v)) for v in value)
        return out
    return [(_str(n), _str(v)) for n, v in headers]


def _str(v: Any) -> str:
    return v.decode("latin-1") if isinstance(v, bytes) else str(v)


def _b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class ReplayCache:
    """A bounded ``(sender, jti)`` replay cache: oldest entries leave first when full, and a live
    eviction is counted. Keep one per process and pass it to :func:`verify_wpt` /
    :func:`verify_dpop_proof`."""

    def __init__(self, capacity: int = 100_000, secret: Optional[bytes] = None) -> None:
        key = os.urandom(32) if secret is None else bytes(secret)
        self._handle = _c.call("proof", "[static]replay-cache.create", capacity, key)
        self._finalizer = weakref.finalize(self, _c.drop, self._handle)

    def check_and_insert(self, sender: str, jti: str, expires_at: int, now: Optional[int] = None) -> bool:
        """Records the pair until ``expires_at`` or raises :class:`Replayed`; True when a live entry
        was evicted to make room."""
        when = int(time.time()) if now is None else now
        result: bool = _c.call("proof", "[method]replay-cache.check-and-insert", self._handle, sender, jti, expires_at, when)
        return result

    def __len__(self) -> int:
        result: int = _c.call("proof", "[method]replay-cache.len", self._handle)
        return result

    @property
    def evicted_live(self) -> int:
        result: int = _c.call("proof", "[method]replay-cache.evicted-live", self._handle)
        return result


def _request(method: str, target: str, headers: HeadersLike) -> Any:
    return _c.record(method=method, target=target, headers=_pairs(headers))


def create_wpt(
    key: KeyPair, *, wit: str, audience: str, lifetime: int = 60, jti: Optional[str] = None,
    access_token: Optional[str] = None, txn_token: Optional[str] = None,
    other_tokens: Optional[HeadersLike] = None, now: Optional[int] = None,
) -> str:
    """Creates a Workload Proof Token with the private key of the WIT's ``cnf.jwk``."""
    when = int(time.time()) if now is None else now
    result: str = _c.call(
        "proof", "create-wpt", key._handle, wit, audience, when, lifetime, jti if jti is not None else _b64url(os.urandom(16)),
        access_token, txn_token, _pairs(other_tokens or []),
    )
    return result


@dataclass(frozen=True)
class VerifiedWpt:
    """A request whose WIT and WPT verified: ``subject`` is the authenticated caller."""

    subject: str
    trust_domain: str
    audience: str
    jti: str
    expires_at: int
    proof_alg: str
    cnf_thumbprint: str
    bound: list[str]
    replay_cache_evicted_live: bool
    claims: dict[str, Any]


def verify_wpt(
    method: str, target: str, headers: HeadersLike, trust_store: JsonLike, config: JsonLike, *,
    now: Optional[int] = None, replay_cache: Optional[ReplayCache] = None,
) -> VerifiedWpt:
    """Verifies the WIT and WPT of a request. ``config``: ``{"wire": "wpt-01"|"wpt-02",
    "authorities": [...], ...}`` (audiences come only from here)."""
    when = int(time.time()) if now is None else now
    v = _c.call(
        "proof", "verify-wpt", _request(method, target, headers), _text(trust_store), _text(config), when,
        replay_cache._handle if replay_cache is not None else None,
    )
    return VerifiedWpt(
        v.subject, _c.field(v, "trust_domain"), v.audience, v.jti, _c.field(v, "expires_at"), _c.field(v, "proof_alg"),
        _c.field(v, "cnf_thumbprint"), list(v.bound), _c.field(v, "replay_cache_evicted_live"), json.loads(v.claims),
    )


def create_dpop_proof(
    key: KeyPair, *, method: str, uri: str, access_token: Optional[str] = None, nonce: Optional[str] = None,
    jti: Optional[str] = None, now: Optional[int] = None,
) -> str:
    """Creates a DPoP proof (RFC 9449)."""
    when = int(time.time()) if now is None else now
    result: str = _c.call(
        "proof", "create-dpop-proof", key._handle, method, uri, when, jti if jti is not None else _b64url(os.urandom(16)),
        access_token, nonce,
    )
    return result


@dataclass(frozen=True)
class VerifiedDpopProof:
    """A verified DPoP proof; compare ``jkt`` with the access token's ``cnf.jkt`` (or pass it)."""

    jkt: str
    jti: str
    issued_at: int
    access_token_bound: bool
    replay_cache_evicted_live: bool
    claims: dict[str, Any]


def verify_dpop_proof(
    method: str, target: str, headers: HeadersLike, config: JsonLike, *, expected_jkt: Optional[str] = None,
    now: Optional[int] = None, replay_cache: Optional[ReplayCache] = None,
) -> VerifiedDpopProof:
    """Verifies the DPoP proof of a request. ``config``: ``{"origin": "https://api.example", ...}``."""
    when = int(time.time()) if now is None else now
    v = _c.call(
        "proof", "verify-dpop-proof", _request(method, target, headers), expected_jkt, _text(config), when,
        replay_cache._handle if replay_cache is not None else None,
    )
    return VerifiedDpopProof(
        v.jkt, v.jti, _c.field(v, "issued_at"), _c.field(v, "access_token_bound"),
        _c.field(v, "replay_cache_evicted_live"), json.loads(v.claims),
    )


def dpop_nonce(config: JsonLike, *, now: Optional[int] = None) -> str:
    """The ``DPoP-Nonce`` to hand out now (the configuration needs ``nonce_secret``)."""
    when = int(time.time()) if now is None else now
    result: str = _c.call("proof", "dpop-nonce", _text(config), when)
    return result


@dataclass(frozen=True)
class Challenge:
    """How to answer a failed proof check."""

    status: int
    www_authenticate: Optional[str]
    dpop_nonce: Optional[str]


def _challenge(c: Any) -> Challenge:
    return Challenge(c.status, _c.field(c, "www_authenticate"), _c.field(c, "dpop_nonce"))


def wpt_challenge(error: Union[AuthError, str], wire: str) -> Challenge:
    """The answer to a WPT failure (``wpt-01``: 400; ``wpt-02``: 401 + ``WWW-Authenticate: WPT``)."""
    code = error if isinstance(error, str) else error.code
    return _challenge(_c.call("proof", "wpt-challenge", code, wire))


def dpop_challenge(
    error: Union[AuthError, str], config: JsonLike, *, description: Optional[str] = None, now: Optional[int] = None,
) -> Challenge:
    """The answer to a DPoP failure: status, ``WWW-Authenticate`` and, when needed, ``DPoP-Nonce``."""
    code = error if isinstance(error, str) else error.code
    text = description if description is not None else ("" if isinstance(error, str) else error.detail)
    when = int(time.time()) if now is None else now
    return _challenge(_c.call("proof", "dpop-challenge", code, text, _text(config), when))


def normalize_http_uri(uri: str) -> str:
    """RFC 3986 normalisation of an absolute http(s) URI without query and fragment."""
    result: str = _c.call("proof", "normalize-http-uri", uri)
    return result


# ---- HTTP Message Signatures (RFC 9421), Content-Digest (RFC 9530), WIMSE profile ----------

MessageLike = Mapping[str, Any]


def _message(m: MessageLike) -> str:
    """A request ``{"method", "target_uri", "headers", "trailers"}`` or a response ``{"status",
    "headers", "trailers", "request"}``; headers as pairs (repeats kept) or a mapping."""
    out: dict[str, Any] = {"headers": [list(p) for p in _pairs(m.get("headers", []))]}
    if m.get("trailers"):
        out["trailers"] = [list(p) for p in _pairs(m["trailers"])]
    if m.get("status") is not None:
        out["status"] = m["status"]
        if m.get("request") is not None:
            out["request"] = json.loads(_message(m["request"]))
    else:
        out["method"] = m["method"]
        out["target_uri"] = m["target_uri"]
    return json.dumps(out)


def _body(body: Optional[BytesLike]) -> Optional[bytes]:
    if body is None:
        return None
    return body.encode() if isinstance(body, str) else bytes(body)


def http_sign(
    message: MessageLike, *, components: list[str], key: KeyPair, params: Iterable[tuple[str, Any]] = (), label: str = "sig1",
) -> dict[str, str]:
    """Signs a message: ``components`` in order, ``params`` as ordered ``(name, value)`` pairs
    (created/expires ints, strings, ``True`` flags). Returns ``signature_input``, ``signature``
    and ``base``."""
    s = _c.call("httpsig", "sign", _message(message), label, list(components), json.dumps([list(p) for p in params]), key._handle)
    return {"signature_input": _c.field(s, "signature_input"), "signature": s.signature, "base": s.base}


def http_signature_base(message: MessageLike, signature_input: str) -> str:
    """The signature base of one Signature-Input member for ``message``."""
    result: str = _c.call("httpsig", "signature-base", _message(message), signature_input)
    return result


@dataclass(frozen=True)
class VerifiedHttpSignature:
    """A verified HTTP message signature."""

    label: str
    components: list[str]
    keyid: Optional[str]
    tag: Optional[str]
    nonce: Optional[str]
    created: Optional[int]
    expires: Optional[int]
    digest_checked: bool


def _verified_sig(v: Any) -> VerifiedHttpSignature:
    return VerifiedHttpSignature(
        v.label, list(v.components), v.keyid, v.tag, v.nonce, v.created, v.expires, _c.field(v, "digest_checked"),
    )


def http_verify(
    message: MessageLike, *, keys: list[Mapping[str, Any]], policy: Optional[Mapping[str, Any]] = None,
    body: Optional[BytesLike] = None, now: Optional[int] = None, replay_cache: Optional[ReplayCache] = None,
) -> VerifiedHttpSignature:
    """Verifies one signature of ``message`` chosen by ``policy`` with a key from ``keys``
    (``[{"keyid", "alg", "jwk"}]``). A covered content-digest is always checked against ``body``."""
    when = int(time.time()) if now is None else now
    v = _c.call(
        "httpsig", "verify", _message(message), _body(body), json.dumps(dict(policy or {})), json.dumps(list(keys)), when,
        replay_cache._handle if replay_cache is not None else None,
    )
    return _verified_sig(v)


def content_digest(body: BytesLike, algorithms: Iterable[str] = ("sha-256",)) -> str:
    """The ``Content-Digest`` value for ``body``."""
    result: str = _c.call("httpsig", "content-digest", _body(body), list(algorithms))
    return result


def verify_content_digest(field: str, body: BytesLike) -> None:
    """Checks a ``Content-Digest`` value against ``body``; raises :class:`DigestMismatch`."""
    _c.call("httpsig", "verify-content-digest", field, _body(body))


@dataclass(frozen=True)
class WimseSignature:
    """Headers a WIMSE signer adds."""

    content_digest: Optional[str]
    signature_input: str
    signature: str


def _wimse_sig(s: Any) -> WimseSignature:
    return WimseSignature(_c.field(s, "content_digest"), _c.field(s, "signature_input"), s.signature)


def sign_wimse_request(
    request: MessageLike, key: KeyPair, *, audience: str, body: Optional[BytesLike] = None, lifetime: int = 60,
    nonce: Optional[str] = None, version: str = "draft-07", sign_response: bool = False, now: Optional[int] = None,
) -> WimseSignature:
    """Signs a request in the WIMSE profile with the WIT's key (the request carries its WIT)."""
    when = int(time.time()) if now is None else now
    return _wimse_sig(_c.call(
        "httpsig", "sign-wimse-request", _message(request), _body(body), key._handle, audience, when, lifetime,
        nonce if nonce is not None else _b64url(os.urandom(16)), version, sign_response,
    ))


def sign_wimse_response(
    response: MessageLike, key: KeyPair, *, request_nonce: str, body: Optional[BytesLike] = None, lifetime: int = 60,
    nonce: Optional[str] = None, version: str = "draft-07", now: Optional[int] = None,
) -> WimseSignature:
    """Signs a response (with its ``request``) in the WIMSE profile, echoing the request's nonce."""
    when = int(time.time()) if now is None else now
    return _wimse_sig(_c.call(
        "httpsig", "sign-wimse-response", _message(response), _body(body), request_nonce, key._handle, when, lifetime,
        nonce if nonce is not None else _b64url(os.urandom(16)), version,
    ))


@dataclass(frozen=True)
class VerifiedWimse:
    """A verified WIMSE-signed message: ``subject`` is the authenticated peer."""

    subject: str
    trust_domain: str
    signature: VerifiedHttpSignature
    sign_response: bool


def _wimse(v: Any) -> VerifiedWimse:
    return VerifiedWimse(v.subject, _c.field(v, "trust_domain"), _verified_sig(v.signature), _c.field(v, "sign_response"))


def verify_wimse_request(
    request: MessageLike, trust_store: JsonLike, config: JsonLike, *, body: Optional[BytesLike] = None,
    now: Optional[int] = None, replay_cache: Optional[ReplayCache] = None,
) -> VerifiedWimse:
    """Verifies a WIMSE-signed request: its WIT first, then the profile and the signature."""
    when = int(time.time()) if now is None else now
    return _wimse(_c.call(
        "httpsig", "verify-wimse-request", _message(request), _body(body), _text(trust_store), _text(config), when,
        replay_cache._handle if replay_cache is not None else None,
    ))


def verify_wimse_response(
    response: MessageLike, trust_store: JsonLike, config: JsonLike, *, request_nonce: str,
    body: Optional[BytesLike] = None, now: Optional[int] = None,
) -> VerifiedWimse:
    """Verifies a WIMSE-signed response against the responder's WIT and our request's nonce."""
    when = int(time.time()) if now is None else now
    return _wimse(_c.call(
        "httpsig", "verify-wimse-response", _message(response), _body(body), request_nonce, _text(trust_store),
        _text(config), when,
    ))


# ---- The paved path: Verifier.authenticate and Signer.sign ----


@dataclass(frozen=True)
class Principal:
    """Who called. ``agent`` is the workload (WIT ``sub`` or mTLS peer); ``subject`` the user the
    access token was issued for; ``audit`` the token-free decision record."""

    agent: Optional[str]
    trust_domain: Optional[str]
    method: str
    credentials: list[str]
    client_id: Optional[str]
    subject: Optional[str]
    issuer: Optional[str]
    act: Optional[dict[str, Any]]
    actors: list[tuple[str, Optional[str]]]
    transaction: Optional["TransactionContext"]
    scopes: list[str]
    authorization_details: list[dict[str, Any]]
    token_hashes: list[tuple[str, str]]
    expires_at: Optional[int]
    route: str
    audit: dict[str, Any]
    _raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Denial:
    """A refusal: answer with ``status``, each ``www_authenticate`` value and ``dpop_nonce``."""

    status: int
    www_authenticate: list[str]
    dpop_nonce: Optional[str]
    code: str
    detail: str
    audit: dict[str, Any]
    #: The security event that caused the denial (``{"type", "jti", "iss"}``), if one did.
    event: Optional[dict[str, Any]] = None

    def headers(self) -> list[tuple[str, str]]:
        """The response header fields this denial needs."""
        out = [("WWW-Authenticate", w) for w in self.www_authenticate]
        if self.dpop_nonce:
            out.append(("DPoP-Nonce", self.dpop_nonce))
        return out


@dataclass(frozen=True)
class Decision:
    """``allow`` with a :class:`Principal`, or a :class:`Denial`."""

    allow: bool
    principal: Optional[Principal] = None
    denial: Optional[Denial] = None


def _denial(v: Any) -> Denial:
    err = v.error
    return Denial(
        v.status, list(_c.field(v, "www_authenticate")), _c.field(v, "dpop_nonce"),
        err.code if isinstance(err.code, str) else str(err.code), err.detail, json.loads(v.audit),
        json.loads(v.event) if v.event is not None else None,
    )


def _max_age(cache_control: Optional[str]) -> Optional[int]:
    import re

    m = re.search(r'(?:^|,)\s*max-age\s*=\s*"?(\d+)"?', cache_control or "", re.IGNORECASE)
    return int(m.group(1)) if m else None


class Verifier:
    """Decides about incoming requests under one policy document (dict or JSON text). Keeps
    bounded state: verified WITs and access tokens until they expire, the proof replay cache, and
    the ``jwks_uri`` documents it fetched. ``secret`` (>= 32 bytes, default ``os.urandom(32)``)
    keys the replay cache and DPoP nonces. Safe to share between threads."""

    def __init__(self, policy: JsonLike, *, secret: Optional[bytes] = None) -> None:
        key = os.urandom(32) if secret is None else bytes(secret)
        self._handle = _c.call("gate", "[static]verifier.create", _text(policy), key)
        self._finalizer = weakref.finalize(self, _c.drop, self._handle)

    def authenticate(
        self, method: str, target_uri: str, headers: HeadersLike, *, body: Optional[BytesLike] = None,
        mtls_peer: Optional[str] = None, now: Optional[int] = None,
    ) -> Decision:
        """Decides about a request. ``target_uri`` is absolute, built from **your configured
        origin** and the request target (never from ``Host``)."""
        when = int(time.time()) if now is None else now
        request = _c.record(method=method, target_uri=target_uri, headers=_pairs(headers),
                            body=_body(body), mtls_peer=mtls_peer)
        ok, v = _c.call_variant("gate", "[method]verifier.authenticate", self._handle, request, when)
        if ok:
            act = _c.field(v, "act")
            return Decision(True, principal=Principal(
                v.agent, _c.field(v, "trust_domain"), v.method, list(v.credentials), _c.field(v, "client_id"),
                v.subject, v.issuer, json.loads(act) if act is not None else None,
                [(a.subject, a.issuer) for a in v.actors],
                _txn(v.transaction) if v.transaction is not None else None, list(v.scopes),
                json.loads(_c.field(v, "authorization_details")), [tuple(h) for h in _c.field(v, "token_hashes")],
                _c.field(v, "expires_at"), v.route, json.loads(v.audit), v,
            ))
        return Decision(False, denial=_denial(v))

    def resource_metadata(self) -> tuple[str, str]:
        """The RFC 9728 metadata this resource serves: ``(url, document)`` (document as JSON
        text), derived from the policy."""
        url, document = _c.call("gate", "[method]verifier.resource-metadata", self._handle)
        return url, document

    def enforce(self, principal: Principal, decision: JsonLike) -> Decision:
        """Combines a PDP decision (the AuthZEN response) with an allowed principal: allow only for
        ``{"decision": true}``; otherwise a denial (403 ``access-denied``, or the RFC 9470 step-up
        challenge when the PDP's context asks for it)."""
        if principal._raw is None:
            raise TypeError("enforce needs a Principal returned by Verifier.authenticate")
        ok, v = _c.call_variant("gate", "[method]verifier.enforce", self._handle, principal._raw, _text(decision))
        if ok:
            return Decision(True, principal=principal)
        return Decision(False, denial=_denial(v))

    def due(self, now: Optional[int] = None) -> list[str]:
        """The ``jwks_uri`` documents to fetch now."""
        when = int(time.time()) if now is None else now
        return list(_c.call("gate", "[method]verifier.due", self._handle, when))

    def ingest(self, url: str, body: Optional[str], *, max_age: Optional[int] = None, now: Optional[int] = None) -> None:
        """Hands over a fetched document (``None`` when the fetch failed)."""
        when = int(time.time()) if now is None else now
        _c.call("gate", "[method]verifier.ingest", self._handle, url, body, max_age, when)

    def refresh_keys(self, client: Any = None, *, now: Optional[int] = None) -> None:
        """Fetches every due key document with an ``httpx.Client`` (one is made if not given);
        a failed fetch keeps the previous keys."""
        import httpx

        own = client is None
        client = client or httpx.Client(timeout=10.0)
        try:
            for url in self.due(now):
                body, max_age = None, None
                try:
                    r = client.get(url, headers={"accept": "application/json"})
                    if r.status_code == 200:
                        body, max_age = r.text, _max_age(r.headers.get("cache-control"))
                except httpx.HTTPError:
                    body = None
                try:
                    self.ingest(url, body, max_age=max_age, now=now)
                except AuthError:
                    pass
        finally:
            if own:
                client.close()


    def apply_event(self, set: str, *, now: Optional[int] = None) -> dict[str, Any]:
        """Verifies a Security Event Token from one of the policy's ``events.transmitters`` and
        applies it (CAEP session-revoked, credential-change, ...): covered credentials issued
        before the event are refused from now on. Returns the applied event (``issuer``,
        ``jti``, ``events``, ``effects``, ``subject``, ``state``, ``duplicate``, ``dropped``,
        ``token_hash``); raises :class:`AuthError` for a SET it refuses."""
        when = int(time.time()) if now is None else now
        result: dict[str, Any] = json.loads(_c.call("gate", "[method]verifier.apply-event", self._handle, set, when))
        return result

    def receive_push(self, body: str, *, now: Optional[int] = None) -> "PushAnswer":
        """Receives an RFC 8935 push (the POSTed SET). Answer with ``status`` (202, or 400 with
        ``body`` as ``application/json``)."""
        when = int(time.time()) if now is None else now
        a = _c.call("gate", "[method]verifier.receive-push", self._handle, body, when)
        return PushAnswer(a.status, a.body, json.loads(a.applied) if a.applied is not None else None)

    def receive_poll(self, body: JsonLike, *, max_events: int = 100, now: Optional[int] = None) -> dict[str, Any]:
        """Receives an RFC 8936 poll response: applies its SETs and returns ``next_request``
        (the JSON body to POST next: acks, ``setErrs``, ``maxEvents``), ``applied``, ``refused``
        and ``more_available``."""
        when = int(time.time()) if now is None else now
        result: dict[str, Any] = json.loads(
            _c.call("gate", "[method]verifier.receive-poll", self._handle, _text(body), max_events, when))
        return result

    def poll_events(self, endpoint: str, client: Any = None, *, authorization: Optional[str] = None,
                    max_events: int = 100, rounds: int = 10, now: Optional[int] = None) -> list[dict[str, Any]]:
        """Polls an SSF poll endpoint with an ``httpx.Client`` until the transmitter has nothing
        more (at most ``rounds`` requests), applying every SET; returns the applied events."""
        import httpx

        own = client is None
        client = client or httpx.Client(timeout=30.0)
        headers = {"content-type": "application/json", "accept": "application/json"}
        if authorization:
            headers["authorization"] = authorization
        applied: list[dict[str, Any]] = []
        try:
            body = json.dumps({"maxEvents": max_events, "returnImmediately": True})
            for _ in range(rounds):
                r = client.post(endpoint, content=body, headers=headers)
                r.raise_for_status()
                o = self.receive_poll(r.text, max_events=max_events, now=now)
                applied.extend(o["applied"])
                nxt = json.loads(o["next_request"])
                nxt["returnImmediately"] = True
                if not o["more_available"]:
                    # Acknowledge (and report) what was just received, asking for nothing more.
                    if "ack" in nxt or "setErrs" in nxt:
                        client.post(endpoint, content=json.dumps({**nxt, "maxEvents": 0}), headers=headers).raise_for_status()
                    break
                body = json.dumps(nxt)
        finally:
            if own:
                client.close()
        return applied


@dataclass(frozen=True)
class PushAnswer:
    """What to answer an RFC 8935 push: ``status`` (202 or 400), the ``application/json`` error
    ``body`` of a 400, and the applied event when the SET was taken."""

    status: int
    body: Optional[str]
    applied: Optional[dict[str, Any]]


class Signer:
    """Adds credentials to outgoing requests: ``wit`` + ``workload_key`` with ``proof`` (``wpt-01``,
    ``wpt-02``, ``http-signature-06``, ``http-signature-07``) and/or ``access_token`` sent as
    ``token_type`` ``DPoP`` (with ``dpop_key``, the default) or ``Bearer``."""

    def __init__(
        self, *, wit: Optional[str] = None, proof: Optional[str] = None, access_token: Optional[str] = None,
        token_type: Optional[str] = None, lifetime: Optional[int] = None, workload_key: Optional[KeyPair] = None,
        dpop_key: Optional[KeyPair] = None, **unknown: Any,
    ) -> None:
        options = {k: v for k, v in {"wit": wit, "proof": proof, "access_token": access_token,
                                     "token_type": token_type, "lifetime": lifetime}.items() if v is not None}
        options.update(unknown)  # refused by the core: a misspelt option is an error, not a no-op
        self._handle = _c.call(
            "gate", "[static]signer.create", _text(options),
            workload_key._handle if workload_key is not None else None,
            dpop_key._handle if dpop_key is not None else None,
        )
        self._finalizer = weakref.finalize(self, _c.drop, self._handle)

    def sign(
        self, method: str, target_uri: str, headers: HeadersLike = (), *, body: Optional[BytesLike] = None,
        now: Optional[int] = None, entropy: Optional[bytes] = None,
    ) -> list[tuple[str, str]]:
        """The header fields to add to the request."""
        when = int(time.time()) if now is None else now
        request = _c.record(method=method, target_uri=target_uri, headers=_pairs(headers), body=_body(body), mtls_peer=None)
        out = _c.call("gate", "[method]signer.sign", self._handle, request, when, os.urandom(16) if entropy is None else bytes(entropy))
        return [(n, v) for n, v in out]

    def observe_response(self, target_uri: str, status: int, headers: HeadersLike) -> bool:
        """Reads a response: keeps its ``DPoP-Nonce``; True means sign again and retry once."""
        result: bool = _c.call("gate", "[method]signer.observe-response", self._handle, target_uri, status, _pairs(headers))
        return result

    def set_access_token(self, token: str) -> None:
        _c.call("gate", "[method]signer.set-access-token", self._handle, token)

    def set_workload_identity_token(self, wit: str) -> None:
        _c.call("gate", "[method]signer.set-workload-identity-token", self._handle, wit)


# ---- OAuth resource-server parts ----


@dataclass(frozen=True)
class AccessTokenInfo:
    """A verified RFC 9068 access token or an active introspection result."""

    issuer: str
    subject: str
    client_id: str
    scopes: list[str]
    authorization_details: list[dict[str, Any]]
    cnf_jkt: Optional[str]
    acr: Optional[str]
    auth_time: Optional[int]
    expires_at: int
    token_hash: str
    claims: dict[str, Any]


def _token_info(t: Any) -> AccessTokenInfo:
    return AccessTokenInfo(
        t.issuer, t.subject, _c.field(t, "client_id"), list(t.scopes), json.loads(_c.field(t, "authorization_details")),
        _c.field(t, "cnf_jkt"), t.acr, _c.field(t, "auth_time"), _c.field(t, "expires_at"), _c.field(t, "token_hash"),
        json.loads(t.claims),
    )


def verify_access_token(token: str, config: JsonLike, *, now: Optional[int] = None) -> AccessTokenInfo:
    """Verifies an RFC 9068 access token. ``config``: ``{"issuers": [{"issuer", "jwks",
    "algorithms"}], "resource", "leeway"}``."""
    when = int(time.time()) if now is None else now
    return _token_info(_c.call("oauth", "verify-access-token", token, _text(config), when))


def check_introspection_response(response: JsonLike, token: str, config: JsonLike, *,
                                 now: Optional[int] = None) -> AccessTokenInfo:
    """Checks an RFC 7662 introspection response. ``config``: ``{"issuer", "resource", "leeway"}``."""
    when = int(time.time()) if now is None else now
    return _token_info(_c.call("oauth", "check-introspection-response", _text(response), token, _text(config), when))


def verify_introspection_jwt(jwt: str, token: str, config: JsonLike, *, now: Optional[int] = None) -> AccessTokenInfo:
    """Verifies an RFC 9701 JWT introspection response. ``config``: ``{"issuer", "jwks",
    "algorithms", "client_id", "resource", "leeway"}``."""
    when = int(time.time()) if now is None else now
    return _token_info(_c.call("oauth", "verify-introspection-jwt", jwt, token, _text(config), when))


def metadata_url(resource: str) -> str:
    """The RFC 9728 well-known metadata URL of a resource identifier."""
    result: str = _c.call("oauth", "metadata-url", resource)
    return result


def resource_metadata_document(description: JsonLike) -> str:
    """The RFC 9728 document (JSON text) a resource serves."""
    result: str = _c.call("oauth", "resource-metadata-document", _text(description))
    return result


def parse_resource_metadata(text: JsonLike, expected_resource: str) -> dict[str, Any]:
    """Parses a fetched RFC 9728 document whose ``resource`` must be identical to
    ``expected_resource``."""
    result: dict[str, Any] = json.loads(_c.call("oauth", "parse-resource-metadata", _text(text), expected_resource))
    return result


# ---- RFC 8693 token exchange ----

ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt"
TXN_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:txn_token"


def token_exchange_request(
    *, subject_token: Optional[str] = None, subject_token_type: str = ACCESS_TOKEN_TYPE, actor_token: Optional[str] = None,
    actor_token_type: Optional[str] = None, resource: Iterable[str] = (), audience: Iterable[str] = (),
    scope: Iterable[str] = (), requested_token_type: Optional[str] = None, **unknown: Any,
) -> str:
    """The form body of a token-exchange request (POST it as
    ``application/x-www-form-urlencoded`` with your client authentication)."""
    request = {"subject_token": subject_token, "subject_token_type": subject_token_type, "actor_token": actor_token,
               "actor_token_type": actor_token_type, "resource": list(resource), "audience": list(audience),
               "scope": list(scope), "requested_token_type": requested_token_type}
    request.update(unknown)  # refused by the core: a misspelt member is an error, not a no-op
    result: str = _c.call("oauth", "token-exchange-request", _text(request))
    return result


@dataclass(frozen=True)
class TokenExchangeResponse:
    """A successful token-exchange response."""

    access_token: str
    issued_token_type: str
    token_type: str
    expires_in: Optional[int]
    scopes: Optional[list[str]]
    refresh_token: Optional[str]


def parse_token_exchange_response(text: JsonLike, *, requested_token_type: Optional[str] = None,
                                  expected_token_type: Optional[str] = None) -> TokenExchangeResponse:
    """Parses a 200 token-exchange response; ``expected_token_type="DPoP"`` for DPoP requests."""
    r = _c.call("oauth", "parse-token-exchange-response", _text(text), requested_token_type, expected_token_type)
    scopes = r.scopes
    return TokenExchangeResponse(
        _c.field(r, "access_token"), _c.field(r, "issued_token_type"), _c.field(r, "token_type"),
        _c.field(r, "expires_in"), list(scopes) if scopes is not None else None, _c.field(r, "refresh_token"),
    )


def may_act(subject_claims: JsonLike, actor_subject: str, actor_issuer: Optional[str] = None) -> bool:
    """Whether the actor may act for the subject of a token with these claims (``may_act``)."""
    result: bool = _c.call("oauth", "may-act", _text(subject_claims), actor_subject, actor_issuer)
    return result


# ---- Transaction tokens ----


@dataclass(frozen=True)
class TransactionContext:
    """A verified transaction token: the call chain's context (log ``token_hash``, never the token)."""

    txn: str
    subject: str
    scope: str
    requesting_workload: str
    tctx: Optional[dict[str, Any]]
    rctx: Optional[dict[str, Any]]
    issuer: Optional[str]
    expires_at: int
    token_hash: str


def _txn(t: Any) -> TransactionContext:
    tctx, rctx = t.tctx, t.rctx
    return TransactionContext(
        t.txn, t.subject, t.scope, _c.field(t, "requesting_workload"), json.loads(tctx) if tctx is not None else None,
        json.loads(rctx) if rctx is not None else None, t.issuer, _c.field(t, "expires_at"), _c.field(t, "token_hash"),
    )


def issue_txn_token(key: KeyPair, *, now: Optional[int] = None, **params: Any) -> str:
    """Issues a transaction token: ``audience`` (trust domain), ``txn``, ``subject``, ``scope``,
    ``requesting_workload``, ``tctx``, ``rctx``, ``issuer``, ``lifetime`` (<= 300)."""
    when = int(time.time()) if now is None else now
    result: str = _c.call("oauth", "issue-txn-token", key._handle, _text(params), when)
    return result


def verify_txn_token(token: str, config: JsonLike, *, now: Optional[int] = None) -> TransactionContext:
    """Verifies a Txn-Token. ``config``: ``{"trust_domain", "jwks", "algorithms", "issuer",
    "leeway", "max_lifetime"}``."""
    when = int(time.time()) if now is None else now
    return _txn(_c.call("oauth", "verify-txn-token", token, _text(config), when))


# ---- Client authentication ----


def create_client_assertion(key: KeyPair, *, client_id: str, issuer: str, jti: Optional[str] = None, lifetime: int = 60,
                            now: Optional[int] = None) -> str:
    """A ``private_key_jwt`` client assertion: ``iss`` = ``sub`` = ``client_id``, ``aud`` = the
    authorization server's issuer (sole value)."""
    when = int(time.time()) if now is None else now
    result: str = _c.call("oauth", "create-client-assertion", key._handle, client_id, issuer,
                          jti if jti is not None else _b64url(os.urandom(16)), when, lifetime)
    return result


@dataclass(frozen=True)
class ClientAssertion:
    """A verified client assertion."""

    client_id: str
    jti: str
    expires_at: int


def verify_client_assertion(assertion: str, config: JsonLike, *, now: Optional[int] = None,
                            replay_cache: Optional[ReplayCache] = None) -> ClientAssertion:
    """Verifies a ``private_key_jwt`` assertion (authorization-server side). ``config``:
    ``{"client_id", "issuer", "jwks", "algorithms", "leeway", "max_lifetime"}``."""
    when = int(time.time()) if now is None else now
    r = _c.call("oauth", "verify-client-assertion", assertion, _text(config), when,
                replay_cache._handle if replay_cache is not None else None)
    return ClientAssertion(_c.field(r, "client_id"), r.jti, _c.field(r, "expires_at"))


def verify_spiffe_client_assertion(assertion: str, trust_store: JsonLike, issuer: str, *, now: Optional[int] = None) -> str:
    """Verifies a JWT-SVID client assertion for this AS's ``issuer``; returns the SPIFFE ID."""
    when = int(time.time()) if now is None else now
    result: str = _c.call("oauth", "verify-spiffe-client-assertion", assertion, _text(trust_store), issuer, when)
    return result


def client_credentials_request(*, client_id: str, scope: Iterable[str] = (), resource: Iterable[str] = (),
                               client_assertion: Optional[str] = None, jwt_svid: Optional[str] = None,
                               **unknown: Any) -> str:
    """The form body of a client-credentials request (``private_key_jwt``, JWT-SVID, or neither
    for mTLS client authentication)."""
    request: dict[str, Any] = {"client_id": client_id, "scope": list(scope), "resource": list(resource)}
    if client_assertion is not None:
        request["client_assertion"] = client_assertion
    if jwt_svid is not None:
        request["jwt_svid"] = jwt_svid
    request.update(unknown)
    result: str = _c.call("oauth", "client-credentials-request", _text(request))
    return result


# ---- AuthZEN policy enforcement point ----


def principal_subject(principal: Principal) -> dict[str, Any]:
    """The AuthZEN subject for a principal: ``{"type": "agent" | "user", "id", "properties"}``."""
    if principal._raw is None:
        raise TypeError("principal_subject needs a Principal returned by Verifier.authenticate")
    result: dict[str, Any] = json.loads(_c.call("gate", "principal-subject", principal._raw))
    return result


def authzen_evaluation_request(request: JsonLike) -> str:
    """The body of an Access Evaluation request: ``subject``, ``action``, ``resource``, ``context``."""
    result: str = _c.call("oauth", "authzen-evaluation-request", _text(request))
    return result


def authzen_evaluations_request(request: JsonLike) -> str:
    """The body of an Access Evaluations (batch) request: defaults, ``evaluations``, ``options``."""
    result: str = _c.call("oauth", "authzen-evaluations-request", _text(request))
    return result


@dataclass(frozen=True)
class AuthzenDecision:
    """A PDP decision."""

    decision: bool
    context: Optional[dict[str, Any]]


def _authzen(d: Any) -> AuthzenDecision:
    return AuthzenDecision(d.decision, json.loads(d.context) if d.context is not None else None)


def authzen_parse_decision(text: JsonLike) -> AuthzenDecision:
    """Parses an Access Evaluation response (fail closed)."""
    return _authzen(_c.call("oauth", "authzen-parse-decision", _text(text)))


def authzen_parse_evaluations(text: JsonLike, count: int, semantic: str = "execute_all") -> list[AuthzenDecision]:
    """Parses an Access Evaluations response for ``count`` items; missing items are denials."""
    return [_authzen(d) for d in _c.call("oauth", "authzen-parse-evaluations", _text(text), count, semantic)]


def authzen_metadata_url(pdp: str) -> str:
    """The AuthZEN metadata URL of a PDP identifier."""
    result: str = _c.call("oauth", "authzen-metadata-url", pdp)
    return result


def authzen_parse_metadata(text: JsonLike, expected_pdp: str) -> dict[str, Any]:
    """Parses PDP metadata whose ``policy_decision_point`` must equal ``expected_pdp``."""
    result: dict[str, Any] = json.loads(_c.call("oauth", "authzen-parse-metadata", _text(text), expected_pdp))
    return result


# ---- A2A Agent Cards and client metadata ----


def agent_card_requirements(card: JsonLike, skill: Optional[str] = None) -> list[list[dict[str, Any]]]:
    """What an A2A Agent Card (v1.0 or v0.3) or one of its skills requires: alternatives, each a
    list of ``{"name", "kind", "scopes", "details"}`` to present together."""
    result: list[list[dict[str, Any]]] = json.loads(_c.call("oauth", "agent-card-requirements", _text(card), skill))
    return result


def check_client_metadata_document(text: JsonLike, url: str) -> dict[str, Any]:
    """Checks a Client ID Metadata Document fetched from ``url``; returns it parsed."""
    result: dict[str, Any] = json.loads(_c.call("oauth", "check-client-metadata-document", _text(text), url))
    return result


def sign_agent_card(card: JsonLike, key: KeyPair) -> dict[str, Any]:
    """Signs an A2A Agent Card (RFC 8785 canonical form, ``kid`` and ``typ: JOSE``); returns the card."""
    result: dict[str, Any] = json.loads(_c.call("oauth", "sign-agent-card", _text(card), key._handle))
    return result


def verify_agent_card(card: JsonLike, keys: JsonLike, *, algorithms: Iterable[str]) -> tuple[str, str]:
    """Verifies an A2A Agent Card against pinned keys; returns the ``(kid, alg)`` that verified."""
    kid, alg = _c.call("oauth", "verify-agent-card", _text(card), _text(keys), _algorithms(algorithms))
    return kid, alg


# ---- MCP / OAuth discovery (the host does the HTTP) ----


def parse_www_authenticate(values: Union[str, Iterable[str]]) -> list[dict[str, Any]]:
    """Parses ``WWW-Authenticate`` values: ``[{"scheme", "token68", "params": {name: value}}]``."""
    items = [values] if isinstance(values, str) else list(values)
    parsed = json.loads(_c.call("oauth", "parse-www-authenticate", items))
    return [dict(c, params=dict(c["params"])) for c in parsed]


def resource_metadata_candidates(server_url: str, resource_metadata: Optional[str] = None) -> list[str]:
    """The protected-resource metadata URLs to try, in order."""
    return list(_c.call("oauth", "resource-metadata-candidates", server_url, resource_metadata))


def authorization_server_metadata_candidates(issuer: str) -> list[str]:
    """The authorization-server metadata URLs to try for an issuer, in order."""
    return list(_c.call("oauth", "authorization-server-metadata-candidates", issuer))


def parse_authorization_server_metadata(text: JsonLike, expected_issuer: str) -> dict[str, Any]:
    """Parses authorization-server metadata whose ``issuer`` must equal ``expected_issuer``."""
    result: dict[str, Any] = json.loads(_c.call("oauth", "parse-authorization-server-metadata", _text(text), expected_issuer))
    return result


def create_client_attestation_pop(key: KeyPair, *, wit: str, issuer: str, jti: Optional[str] = None,
                                  challenge: Optional[str] = None, now: Optional[int] = None) -> str:
    """The ``OAuth-Client-Attestation-PoP`` for the SPIFFE WIT client-authentication mode (send it
    with the WIT in ``OAuth-Client-Attestation``)."""
    when = int(time.time()) if now is None else now
    result: str = _c.call("oauth", "create-client-attestation-pop", key._handle, wit, issuer,
                          jti if jti is not None else _b64url(os.urandom(16)), challenge, when)
    return result


def verify_wit_client_attestation(wit: str, pop: str, trust_store: JsonLike, issuer: str, *,
                                  challenge: Optional[str] = None, now: Optional[int] = None,
                                  replay_cache: Optional[ReplayCache] = None) -> str:
    """Verifies the WIT mode at an authorization server; returns the client's SPIFFE ID."""
    when = int(time.time()) if now is None else now
    result: str = _c.call("oauth", "verify-wit-client-attestation", wit, pop, _text(trust_store), issuer, challenge, when,
                          replay_cache._handle if replay_cache is not None else None)
    return result


def client_metadata_document(description: JsonLike) -> str:
    """Writes a Client ID Metadata Document (JSON text) from its description, checked as an
    authorization server would (``client_id`` is the https URL it will be served at)."""
    result: str = _c.call("oauth", "client-metadata-document", _text(description))
    return result


def plan_authorization(*, resource_metadata: JsonLike, expected_resource: str, server_metadata: JsonLike, issuer: str,
                       challenge_scope: Optional[str] = None, preregistered: bool = False) -> dict[str, Any]:
    """Plans an MCP authorization: ``resource``, ``issuer``, ``token_endpoint``,
    ``authorization_endpoint``, ``scope``, ``registration``, ``dpop``."""
    result: dict[str, Any] = json.loads(_c.call("oauth", "plan-authorization", _text(resource_metadata), expected_resource,
                                                _text(server_metadata), issuer, challenge_scope, preregistered))
    return result


# ---- Security events (RFC 8417 SETs, CAEP, SSF) and decision records ----


def verify_set(set: str, config: JsonLike, *, now: Optional[int] = None) -> dict[str, Any]:
    """Verifies a SET against ``{"issuer", "jwks", "audience", "algorithms"?,
    "critical_subject_members"?, "leeway"?}``; returns ``issuer``, ``jti``, ``issued_at``,
    ``time_of_event``, ``txn``, ``subject``, ``events``, ``event_types``, ``token_hash``,
    ``key_thumbprint``."""
    when = int(time.time()) if now is None else now
    result: dict[str, Any] = json.loads(_c.call("events", "verify-set", set, _text(config), when))
    return result


def issue_set(claims: JsonLike, key: KeyPair) -> str:
    """Issues a SET (``typ: secevent+jwt``) from claims ``iss``, ``iat``, ``jti``, ``aud``,
    ``sub_id``, ``events``."""
    token: str = _c.call("events", "issue-set", _text(claims), key._handle)
    return token


def ssf_configuration_url(issuer: str) -> str:
    """The SSF transmitter configuration URL of an issuer."""
    url: str = _c.call("events", "configuration-url", issuer)
    return url


def parse_transmitter_metadata(text: JsonLike, expected_issuer: str) -> dict[str, Any]:
    """Parses SSF transmitter metadata fetched for ``expected_issuer``."""
    result: dict[str, Any] = json.loads(_c.call("events", "parse-transmitter-metadata", _text(text), expected_issuer))
    return result


def parse_stream_config(text: JsonLike, expected_iss: str, expected_aud: str) -> dict[str, Any]:
    """Parses an SSF stream configuration of ``expected_iss`` naming ``expected_aud``."""
    result: dict[str, Any] = json.loads(_c.call("events", "parse-stream-config", _text(text), expected_iss, expected_aud))
    return result


def create_stream_request(events_requested: Iterable[str], *, push_endpoint: Optional[str] = None,
                          authorization_header: Optional[str] = None, description: Optional[str] = None) -> str:
    """The JSON body of an SSF create-stream request (poll delivery without ``push_endpoint``)."""
    body: str = _c.call("events", "create-stream-request", list(events_requested), push_endpoint,
                        authorization_header, description)
    return body


def verification_request(stream_id: str, state: Optional[str] = None) -> str:
    """The JSON body of an SSF verification request."""
    body: str = _c.call("events", "verification-request", stream_id, state)
    return body


def check_records(policy: JsonLike, records: Union[str, Iterable[Union[str, Mapping[str, Any]]]]) -> dict[str, Any]:
    """Replays decision records (JSON Lines text, or an iterable of records) against a policy
    and reports the decisions it would not produce today: ``records``, ``checked``,
    ``not_reevaluated``, ``malformed``, ``findings``."""
    text = records if isinstance(records, str) else "\n".join(r if isinstance(r, str) else _text(r) for r in records)
    result: dict[str, Any] = json.loads(_c.call("gate", "check-records", _text(policy), text))
    return result
