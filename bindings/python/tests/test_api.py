"""The Python surface: errors, defaults, randomness, the packaged artefact."""

import json
import threading
import time

import pytest

import a2a_auth
from a2a_auth import AuthError, KeyPair


def test_errors_are_subclasses_with_codes() -> None:
    with pytest.raises(a2a_auth.MalformedToken) as info:
        a2a_auth.verify_jws("a.b", {"keys": []}, algorithms=["ES256"])
    assert isinstance(info.value, AuthError) and info.value.code == "malformed-token"
    assert len(a2a_auth.error_codes()) == 46
    assert "alg-not-allowed" in a2a_auth.error_codes()


def test_now_defaults_to_the_clock() -> None:
    key = KeyPair.generate("ES256", kid="k")
    now = int(time.time())
    past = a2a_auth.sign_jwt({"exp": now - 120}, key)
    future = a2a_auth.sign_jwt({"exp": now + 120}, key)
    with pytest.raises(a2a_auth.TokenExpired):
        a2a_auth.verify_jwt(past, key.public_jwk, algorithms=["ES256"])
    assert a2a_auth.verify_jwt(future, key.public_jwk, algorithms=["ES256"]).claims["exp"] == now + 120
    assert a2a_auth.verify_jwt(past, key.public_jwk, algorithms=["ES256"], now=now - 200).claims["exp"] == now - 120


def test_generated_keys_use_urandom_and_carry_kid() -> None:
    a, b = KeyPair.generate("EdDSA", kid="a"), KeyPair.generate("EdDSA")
    assert a2a_auth.calculate_jwk_thumbprint(a.public_jwk) != a2a_auth.calculate_jwk_thumbprint(b.public_jwk)
    assert a.public_jwk["kid"] == "a" and a.public_jwk["alg"] == "EdDSA"
    assert "d" in a.private_jwk() and "d" not in a.public_jwk
    for alg in ["ES256", "ES384", "Ed25519", "HS256"]:
        assert KeyPair.generate(alg).alg == alg
    assert a.private_jwk()["d"] not in repr(a)


def test_algorithms_are_required() -> None:
    key = KeyPair.generate("ES256")
    token = a2a_auth.sign_jwt({"exp": int(time.time()) + 60}, key)
    with pytest.raises(TypeError):
        a2a_auth.verify_jwt(token, key.public_jwk, algorithms=[])
    with pytest.raises(a2a_auth.AlgNotAllowed):
        a2a_auth.verify_jws(token, json.dumps(key.public_jwk), algorithms=["none"])


def test_bytes_and_strings() -> None:
    key = KeyPair.generate("ES256")
    v = a2a_auth.verify_jws(a2a_auth.sign_jws({}, "héllo", key), {"keys": [key.public_jwk]}, algorithms=["ES256"])
    assert v.payload == "héllo".encode() and isinstance(v.payload, bytes)
    a2a_auth.verify_signature("ES256", key.public_jwk, b"m", key.sign(b"m"))
    with pytest.raises(a2a_auth.InvalidSignature):
        a2a_auth.verify_signature("ES256", key.public_jwk, b"n", key.sign(b"m"))


def test_results_are_frozen_dataclasses() -> None:
    t = a2a_auth.jwk_thumbprint({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})
    assert t.thumbprint == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    with pytest.raises(AttributeError):
        t.thumbprint = "x"  # type: ignore[misc]


def test_threads_share_the_component_safely() -> None:
    key = KeyPair.generate("EdDSA")
    token = a2a_auth.sign_jwt({"exp": int(time.time()) + 60}, key)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                a2a_auth.verify_jwt(token, key.public_jwk, algorithms=["EdDSA"])
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_installed_from_the_wheel() -> None:
    # The tests import the installed package, not the source tree.
    assert "site-packages" in a2a_auth.__file__


def test_error_classes_equal_the_wit_error_codes() -> None:
    # The hand-written subclasses must cover exactly the WIT `error-code` enum.
    from runner import REPO

    text = (REPO / "wit" / "types.wit").read_text()
    body = text.split("enum error-code {", 1)[1].split("}", 1)[0]
    cases = [line.strip().rstrip(",") for line in body.splitlines() if line.strip() and not line.strip().startswith("//")]
    assert sorted(cases) == a2a_auth.error_codes()
    for code, cls in a2a_auth.ERRORS.items():
        assert issubclass(cls, AuthError) and cls.code == code


def test_wpt_round_trip_with_replay_cache_and_challenge() -> None:
    now = int(time.time())
    server = a2a_auth.KeyPair.generate("ES256", kid="wit-1")
    workload = a2a_auth.KeyPair.generate("EdDSA")
    wit = a2a_auth.issue_workload_identity_token(
        server, subject="spiffe://example.org/agent-a", cnf_jwk=workload.public_jwk, lifetime=600, now=now)
    wpt = a2a_auth.create_wpt(workload, wit=wit, audience="https://agent-b.example.org/a2a?x=1", now=now)
    bundles = {"trust_domains": {"example.org": {"keys": [{**server.public_jwk, "use": "wit-svid"}]}}}
    config = {"wire": "wpt-02", "authorities": ["https://agent-b.example.org"]}
    headers = [("Workload-Identity-Token", wit), ("Authorization", f"WPT {wpt}")]
    cache = a2a_auth.ReplayCache(100)
    v = a2a_auth.verify_wpt("POST", "/a2a", headers, bundles, config, now=now, replay_cache=cache)
    assert v.subject == "spiffe://example.org/agent-a" and v.proof_alg == "EdDSA" and len(cache) == 1
    with pytest.raises(a2a_auth.errors.Replayed) as err:
        a2a_auth.verify_wpt("POST", "/a2a", headers, bundles, config, now=now, replay_cache=cache)
    challenge = a2a_auth.wpt_challenge(err.value, "wpt-02")
    assert (challenge.status, challenge.www_authenticate) == (401, "WPT")


def test_dpop_round_trip_nonce_and_binding() -> None:
    now = int(time.time())
    client = a2a_auth.KeyPair.generate("ES256")
    jkt = a2a_auth.calculate_jwk_thumbprint(client.public_jwk)
    config = {"origin": "https://api.example", "nonce_secret": "A" * 43}
    nonce = a2a_auth.dpop_nonce(config, now=now)
    proof = a2a_auth.create_dpop_proof(client, method="GET", uri="https://api.example/tools", access_token="at-1", nonce=nonce, now=now)
    headers = {"Authorization": "DPoP at-1", "DPoP": proof}
    v = a2a_auth.verify_dpop_proof("GET", "/tools?q=1", headers, config, expected_jkt=jkt, now=now)
    assert v.jkt == jkt and v.access_token_bound
    with pytest.raises(a2a_auth.errors.BindingMismatch) as err:
        a2a_auth.verify_dpop_proof("GET", "/tools", headers, config, expected_jkt="x" * 43, now=now)
    c = a2a_auth.dpop_challenge(err.value, config, now=now)
    assert c.status == 401 and c.www_authenticate is not None and c.www_authenticate.startswith('DPoP error="invalid_token"')
    stale = a2a_auth.create_dpop_proof(client, method="GET", uri="https://api.example/tools", access_token="at-1", now=now)
    with pytest.raises(a2a_auth.errors.UseDpopNonce) as err2:
        a2a_auth.verify_dpop_proof("GET", "/tools", {"Authorization": "DPoP at-1", "DPoP": stale}, config, now=now)
    assert a2a_auth.dpop_challenge(err2.value, config, now=now).dpop_nonce == nonce
