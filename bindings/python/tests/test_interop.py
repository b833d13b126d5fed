"""Interoperability with PyJWT and joserfc, both ways, for ES256, ES384 and EdDSA."""

import json

import jwt as pyjwt
import pytest
from joserfc import jwk as jrfc_jwk
from joserfc import jwt as jrfc_jwt
from joserfc.jwk import KeySet

import a2a_auth
from a2a_auth import KeyPair

NOW = 1_767_225_600
CLAIMS = {"iss": "https://as.example.com", "aud": "https://tools.example.com", "sub": "agent:planner", "iat": NOW, "exp": NOW + 600}
KINDS = {"ES256": ("EC", "P-256"), "ES384": ("EC", "P-384"), "EdDSA": ("OKP", "Ed25519")}


def rules(alg: str) -> dict:
    return {"algorithms": [alg], "typ": "at+jwt", "issuer": CLAIMS["iss"], "audience": CLAIMS["aud"], "now": NOW}


@pytest.mark.parametrize("alg", list(KINDS))
def test_pyjwt_signs_a2a_auth_verifies(alg: str) -> None:
    kty, crv = KINDS[alg]
    key = jrfc_jwk.generate_key(kty, crv, private=True)
    private_pem = key.as_pem(private=True)
    token = pyjwt.encode(CLAIMS, private_pem, algorithm=alg, headers={"typ": "at+jwt", "kid": "p1"})
    public = {**key.as_dict(private=False), "kid": "p1"}
    v = a2a_auth.verify_jwt(token, {"keys": [public]}, **rules(alg))
    assert v.claims == CLAIMS
    assert v.key_thumbprint == key.thumbprint()


@pytest.mark.parametrize("alg", list(KINDS))
def test_a2a_auth_signs_pyjwt_verifies(alg: str) -> None:
    pair = KeyPair.generate(alg, kid="a1")
    token = a2a_auth.sign_jwt(CLAIMS, pair, {"typ": "at+jwt"})
    public_key = pyjwt.PyJWK(pair.public_jwk).key
    decoded = pyjwt.decode(
        token, public_key, algorithms=[alg], audience=CLAIMS["aud"], issuer=CLAIMS["iss"],
        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
    )
    assert decoded == CLAIMS
    assert pyjwt.get_unverified_header(token)["typ"] == "at+jwt"


@pytest.mark.parametrize("alg", list(KINDS))
def test_joserfc_both_ways(alg: str) -> None:
    kty, crv = KINDS[alg]
    # joserfc signs, a2a-auth verifies.
    key = jrfc_jwk.generate_key(kty, crv, private=True, parameters={"kid": "j1"})
    token = jrfc_jwt.encode({"alg": alg, "typ": "at+jwt", "kid": "j1"}, CLAIMS, key, algorithms=[alg])
    v = a2a_auth.verify_jwt(token, {"keys": [key.as_dict(private=False)]}, **rules(alg))
    assert v.claims == CLAIMS
    # a2a-auth signs, joserfc verifies.
    pair = KeyPair.generate(alg, kid="a1")
    token = a2a_auth.sign_jwt(CLAIMS, pair, {"typ": "at+jwt"})
    keys = KeySet.import_key_set({"keys": [pair.public_jwk]})
    decoded = jrfc_jwt.decode(token, keys, algorithms=[alg])
    assert decoded.claims == CLAIMS and decoded.header["kid"] == "a1"
    # Thumbprints agree.
    assert a2a_auth.calculate_jwk_thumbprint(pair.public_jwk) == jrfc_jwk.import_key(pair.public_jwk).thumbprint()


def test_tampered_pyjwt_token_is_rejected() -> None:
    key = jrfc_jwk.generate_key("EC", "P-256", private=True)
    token = pyjwt.encode(CLAIMS, key.as_pem(private=True), algorithm="ES256", headers={"typ": "at+jwt"})
    h, _, s = token.split(".")
    forged = f"{h}.{pyjwt.utils.base64url_encode(json.dumps({**CLAIMS, 'sub': 'admin'}).encode()).decode()}.{s}"
    with pytest.raises(a2a_auth.InvalidSignature):
        a2a_auth.verify_jwt(forged, key.as_dict(private=False), **rules("ES256"))
