"""`make bench`, Python: the a2a_auth package (host ``python``) and the peers doing the same
checks with PyJWT + cryptography (+ http-message-signatures) (host ``pyjwt``), measured as the
native harness does (bench/src/main.rs). Prints {"python": {...}, "pyjwt": {...}, "import_ms": N}.

The peers do what the verifier does for the same request, without its policy engine and without
caching: the WIT (typ, signature, exp), the proof under the WIT's cnf key (aud, wth / ath, jti
single-use), the access token and the DPoP proof (embedded jwk, its RFC 7638 thumbprint = cnf.jkt,
htm, htu, ath), the HTTP signature with Content-Digest.
"""

import base64
import datetime
import hashlib
import json
import subprocess
import sys
import time

import jwt
from http_message_signatures import HTTPMessageVerifier, algorithms
from http_message_signatures.structures import CaseInsensitiveDict

import a2a_auth

WARMUP = 30
BUDGET = 1.5


def measure(pool, f):
    for i in range(min(WARMUP, pool)):
        f(i)
    samples, total, i = [], 0.0, min(WARMUP, pool)
    while i < max(pool, WARMUP + 1) and total < BUDGET:
        t = time.perf_counter()
        f(i % max(pool, 1))
        d = time.perf_counter() - t
        total += d
        samples.append(d * 1e6)
        i += 1
    samples.sort()
    pct = lambda p: samples[round((len(samples) - 1) * p)]  # noqa: E731
    return {"ops_per_sec": len(samples) / total, "p50_us": pct(0.5), "p99_us": pct(0.99), "n": len(samples)}


fx = json.load(open(sys.argv[1]))
body = base64.urlsafe_b64decode(fx["body"] + "=" * (-len(fx["body"]) % 4))
INF = sys.maxsize


def header(r, name):
    return next(v for n, v in r["headers"] if n.lower() == name)


def b64sha(s):
    return base64.urlsafe_b64encode(hashlib.sha256(s.encode()).digest()).rstrip(b"=").decode()


# ---- a2a-auth (Python package) ----
ours = {}
for op, name in (("es256-verify", "jws_es256"), ("eddsa-verify", "jws_eddsa")):
    j = fx[name]
    ours[op] = measure(INF, lambda _: a2a_auth.verify_jws(j["token"], j["keys"], algorithms=j["algorithms"]))
ours["wit-verify"] = measure(INF, lambda _: a2a_auth.verify_workload_identity_token(fx["wit"]["token"], fx["wit"]["trust_store"], now=fx["now"]))
for op, name in (("wimse-request-cold", "wimse_cold"), ("wimse-request-warm", "wimse_warm"), ("dpop-request", "dpop"), ("httpsig-request-4k", "httpsig")):
    requests = fx[name]
    v = a2a_auth.Verifier(fx["policy"], secret=bytes([9]) * 32)

    def one(i, v=v, requests=requests, op=op):
        r = requests[i]
        d = v.authenticate(r["method"], r["target_uri"], r["headers"], body=body if r["body"] is True else None, now=fx["now"])
        if not d.allow:
            raise RuntimeError(f"{op}: {d.denial.code}")

    ours[op] = measure(len(requests), one)
v = a2a_auth.Verifier(fx["policy"], secret=bytes([9]) * 32)
hit = fx["cache_hit"]
ours["cache-hit"] = measure(INF, lambda _: v.authenticate(hit["method"], hit["target_uri"], hit["headers"], now=fx["now"]))

# ---- the peers: PyJWT + cryptography (+ http-message-signatures) ----
peer = {}
as_key = jwt.PyJWK(fx["keys"]["as"]).key
td_key = jwt.PyJWK(fx["keys"]["td"]).key
NO_EXP = {"verify_exp": False, "verify_aud": False, "verify_iat": False, "verify_nbf": False}


def timed_claims(claims):
    # The fixtures are signed at a fixed time: check exp against it (PyJWT reads the clock).
    if claims.get("exp", 0) <= fx["now"]:
        raise RuntimeError("expired")
    return claims


for op, name in (("es256-verify", "jws_es256"), ("eddsa-verify", "jws_eddsa")):
    j = fx[name]
    key = jwt.PyJWK(json.loads(j["keys"])["keys"][0], algorithm=j["algorithms"][0]).key
    try:
        peer[op] = measure(INF, lambda _, j=j, key=key: jwt.PyJWS().decode(j["token"], key, algorithms=j["algorithms"]))
    except Exception as e:  # noqa: BLE001
        peer[op] = {"skipped": f"PyJWT: {e}"}


def verify_wit(token):
    if jwt.get_unverified_header(token).get("typ") != "wit+jwt":
        raise RuntimeError("typ")
    claims = jwt.decode(token, td_key, algorithms=["ES256"], options=NO_EXP | {"require": ["sub", "exp", "cnf"]})
    return timed_claims(claims)


peer["wit-verify"] = measure(INF, lambda _: verify_wit(fx["wit"]["token"]))
seen = set()


def wimse(r):
    wit = header(r, "workload-identity-token")
    claims = verify_wit(wit)
    cnf = jwt.PyJWK(claims["cnf"]["jwk"]).key
    wpt = header(r, "workload-proof-token")
    if jwt.get_unverified_header(wpt).get("typ") != "wpt+jwt":
        raise RuntimeError("typ")
    p = timed_claims(jwt.decode(wpt, cnf, algorithms=[claims["cnf"]["jwk"]["alg"]], options=NO_EXP))
    if p["aud"] != r["target_uri"].split("?")[0] or p["wth"] != b64sha(wit) or p["jti"] in seen:
        raise RuntimeError("claims")
    seen.add(p["jti"])


for op, name in (("wimse-request-cold", "wimse_cold"), ("wimse-request-warm", "wimse_warm")):
    seen.clear()
    peer[op] = measure(len(fx[name]), lambda i, name=name: wimse(fx[name][i]))


def thumbprint(jwk):
    members = {k: jwk[k] for k in ("crv", "kty", "x", "y") if k in jwk}
    text = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return b64sha(text)


seen.clear()


def dpop(i):
    r = fx["dpop"][i]
    at = header(r, "authorization").removeprefix("DPoP ")
    if jwt.get_unverified_header(at).get("typ") != "at+jwt":
        raise RuntimeError("typ")
    t = timed_claims(jwt.decode(at, as_key, algorithms=["ES256"], audience="https://svc.example.com/api",
                                issuer="https://as.example.com", options=NO_EXP | {"verify_aud": True}))
    proof = header(r, "dpop")
    h = jwt.get_unverified_header(proof)
    if h.get("typ") != "dpop+jwt" or thumbprint(h["jwk"]) != t["cnf"]["jkt"]:
        raise RuntimeError("proof header")
    p = jwt.decode(proof, jwt.PyJWK(h["jwk"], algorithm="ES256").key, algorithms=["ES256"], options=NO_EXP)
    if p["htm"] != r["method"] or p["htu"] != r["target_uri"].split("?")[0] or p["ath"] != b64sha(at) or p["jti"] in seen:
        raise RuntimeError("claims")
    seen.add(p["jti"])


peer["dpop-request"] = measure(len(fx["dpop"]), dpop)


class CnfKey:
    """The key resolver: the WIT's cnf key, whatever the keyid."""

    def __init__(self):
        self.key = None

    def resolve_public_key(self, key_id):
        return self.key


resolver = CnfKey()
verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ECDSA_P256_SHA256, key_resolver=resolver)


class Message:
    def __init__(self, method, url, headers):
        self.method, self.url, self.headers = method, url, CaseInsensitiveDict(headers)


def httpsig(i):
    r = fx["httpsig"][i]
    claims = verify_wit(header(r, "workload-identity-token"))
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    if header(r, "content-digest") != f"sha-256=:{digest}:":
        raise RuntimeError("digest")
    resolver.key = jwt.PyJWK(claims["cnf"]["jwk"]).key
    verifier.verify(Message(r["method"], r["target_uri"], dict(r["headers"])), max_age=datetime.timedelta(days=36500))


try:
    peer["httpsig-request-4k"] = measure(len(fx["httpsig"]), httpsig)
except Exception as e:  # noqa: BLE001
    peer["httpsig-request-4k"] = {"skipped": f"http-message-signatures: {type(e).__name__}: {e}"}

# Import time: a fresh interpreter importing the package and making its first call (which
# instantiates the component), median of three.
code = "import time; t = time.perf_counter(); import a2a_auth; a2a_auth.error_codes(); print((time.perf_counter() - t) * 1e3)"
runs = sorted(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(3))
print(json.dumps({"python": ours, "pyjwt": peer, "import_ms": runs[1]}))
