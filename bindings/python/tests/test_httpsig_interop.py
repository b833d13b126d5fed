"""RFC 9421 interoperability with the PyPI package ``http-message-signatures`` (pyauth), both ways,
for ed25519, ecdsa-p256-sha256 and hmac-sha256, over a request whose body digest is covered."""

import base64
import datetime
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from http_message_signatures import HTTPMessageSigner, HTTPMessageVerifier, MappingKeyResolver, algorithms
from http_message_signatures.structures import CaseInsensitiveDict

import a2a_auth
from a2a_auth import KeyPair

BODY = b'{"task":"summarise","doc":42}'
URL = "https://agent-b.example/a2a/tasks?tenant=7"
ALGS = {
    "ed25519": ("Ed25519", algorithms.ED25519),
    "ecdsa-p256-sha256": ("ES256", algorithms.ECDSA_P256_SHA256),
    "hmac-sha256": ("HS256", algorithms.HMAC_SHA256),
}


def _b64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _their_keys(ours: KeyPair) -> tuple[Any, Any]:
    """The same key as cryptography objects (or raw bytes for HMAC)."""
    jwk = ours.private_jwk()
    if jwk["kty"] == "OKP":
        private = ed25519.Ed25519PrivateKey.from_private_bytes(_b64(jwk["d"]))
        return private, private.public_key()
    if jwk["kty"] == "EC":
        private = ec.derive_private_key(int.from_bytes(_b64(jwk["d"]), "big"), ec.SECP256R1())
        return private, private.public_key()
    secret = _b64(jwk["k"])
    return secret, secret


class Message:
    """The request interface http-message-signatures reads (method, url, headers)."""

    def __init__(self, method: str, url: str, headers: dict[str, str]) -> None:
        self.method = method
        self.url = url
        self.headers = CaseInsensitiveDict(headers)


def _ours(m: Message) -> dict[str, Any]:
    return {"method": m.method, "target_uri": m.url, "headers": list(m.headers.items())}


@pytest.mark.parametrize("alg", list(ALGS))
def test_they_sign_we_verify(alg: str) -> None:
    jose_alg, their_alg = ALGS[alg]
    ours = KeyPair.generate(jose_alg)
    private, public = _their_keys(ours)
    resolver = MappingKeyResolver(public_keys={"peer": public}, private_keys={"peer": private})
    msg = Message("POST", URL, {"Host": "agent-b.example", "Content-Type": "application/json"})
    HTTPMessageSigner(signature_algorithm=their_alg, key_resolver=resolver).sign(
        msg, key_id="peer", label="sig1", tag="interop", body=BODY,
        covered_component_ids=("@method", "@authority", "@path", "@query", "content-type"),
        created=datetime.datetime.now(datetime.timezone.utc),
    )
    jwk = ours.private_jwk() if alg == "hmac-sha256" else ours.public_jwk
    keys = [{"keyid": "peer", "alg": alg, "jwk": jwk}]
    v = a2a_auth.http_verify(_ours(msg), keys=keys, body=BODY, policy={"tag": "interop", "required_components": ["@method", "content-digest"]})
    assert v.label == "sig1" and v.digest_checked
    with pytest.raises(a2a_auth.errors.DigestMismatch):
        a2a_auth.http_verify(_ours(msg), keys=keys, body=b'{"task":"delete"}', policy={"tag": "interop"})


@pytest.mark.parametrize("alg", list(ALGS))
def test_we_sign_they_verify(alg: str) -> None:
    jose_alg, their_alg = ALGS[alg]
    ours = KeyPair.generate(jose_alg)
    private, public = _their_keys(ours)
    headers = {"Host": "agent-b.example", "Content-Type": "application/json", "Content-Digest": a2a_auth.content_digest(BODY)}
    msg = Message("POST", URL, headers)
    signed = a2a_auth.http_sign(
        _ours(msg), key=ours, label="sig1",
        components=["@method", "@authority", "@path", "@query", "content-type", "content-digest"],
        params=[("created", int(time.time())), ("keyid", "ours"), ("alg", alg), ("tag", "interop")],
    )
    msg.headers["Signature-Input"] = signed["signature_input"]
    msg.headers["Signature"] = signed["signature"]
    resolver = MappingKeyResolver(public_keys={"ours": public}, private_keys={})
    results = HTTPMessageVerifier(signature_algorithm=their_alg, key_resolver=resolver).verify(
        msg, expect_tag="interop", body=BODY, require_components=("@method", "content-digest"))
    assert len(results) == 1
    # A changed method fails for them too.
    msg.method = "PUT"
    with pytest.raises(Exception):
        HTTPMessageVerifier(signature_algorithm=their_alg, key_resolver=resolver).verify(msg, expect_tag="interop", body=BODY)
