"""The paved path in Python: the ASGI middleware in a Starlette app, called through httpx with
A2AAuth (DPoP with a server nonce, so the first attempt is challenged and retried once)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import a2a_auth
from a2a_auth.asgi import A2AAuthMiddleware
from a2a_auth.httpx import A2AAuth

ORIGIN = "https://tools.example.com"
NOW = int(time.time())


def world(nonce: bool = True, jwks_uri: bool = False) -> dict[str, Any]:
    as_key = a2a_auth.KeyPair.generate("ES256", kid="as-1")
    dpop_key = a2a_auth.KeyPair.generate("ES256")
    server: dict[str, Any] = {"issuer": "https://as.example.com"}
    if jwks_uri:
        server["jwks_uri"] = "https://as.example.com/jwks"
    else:
        server["jwks"] = {"keys": [as_key.public_jwk]}
    policy = {
        "resource": f"{ORIGIN}/mcp",
        "authorities": [ORIGIN],
        "authorization_servers": [server],
        "credentials": {"dpop": {"algorithms": ["ES256"], "nonce": nonce}},
        "routes": [{"path": "/mcp", "prefix": True, "scopes": ["tools:call"]}],
    }

    def token(**claims: Any) -> str:
        base = {"iss": "https://as.example.com", "sub": "user-1", "aud": f"{ORIGIN}/mcp", "client_id": "agent-a",
                "iat": NOW - 5, "exp": NOW + 300, "jti": f"at-{time.monotonic_ns()}", "scope": "tools:call",
                "cnf": {"jkt": a2a_auth.calculate_jwk_thumbprint(dpop_key.public_jwk)}}
        base.update(claims)
        return a2a_auth.sign_jwt(base, as_key, {"typ": "at+jwt"})

    return {"as_key": as_key, "dpop_key": dpop_key, "policy": policy, "token": token}


def app_with(verifier: a2a_auth.Verifier, seen: list[int]) -> Any:
    async def tools(request: Request) -> JSONResponse:
        p = request.state.principal
        return JSONResponse({"user": p.subject, "client": p.client_id, "body": (await request.body()).decode()})

    inner = Starlette(routes=[Route("/mcp/tools", tools, methods=["POST"])])
    wrapped = A2AAuthMiddleware(inner, verifier=verifier, origin=ORIGIN)

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append(1)
        await wrapped(scope, receive, send)

    return counting


def test_middleware_and_httpx_auth_with_a_dpop_nonce_retry() -> None:
    w = world()
    verifier = a2a_auth.Verifier(w["policy"])
    seen: list[int] = []
    signer = a2a_auth.Signer(access_token=w["token"](), dpop_key=w["dpop_key"])

    async def go() -> tuple[httpx.Response, httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with(verifier, seen)), base_url=ORIGIN,
                                     auth=A2AAuth(signer)) as client:
            first = await client.post("/mcp/tools?x=1", content=b'{"a":1}', headers={"content-type": "application/json"})
            second = await client.post("/mcp/tools", content=b"{}")
            return first, second

    first, second = asyncio.run(go())
    assert first.status_code == 200, first.text
    assert first.json() == {"user": "user-1", "client": "agent-a", "body": '{"a":1}'}
    assert len(seen) == 3, "one challenge and one retry, then the remembered nonce"
    assert second.status_code == 200


def test_denials_carry_the_exact_challenge_and_no_token_text() -> None:
    w = world(nonce=False)
    verifier = a2a_auth.Verifier(w["policy"])
    narrow = w["token"](scope="openid")
    signer = a2a_auth.Signer(access_token=narrow, dpop_key=w["dpop_key"])

    async def go() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app_with(verifier, []))
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as bare:
            none = await bare.post("/mcp/tools")
            meta = await bare.get("/.well-known/oauth-protected-resource/mcp")
            assert meta.status_code == 200
            assert meta.json() == {"resource": f"{ORIGIN}/mcp", "authorization_servers": ["https://as.example.com"],
                                   "scopes_supported": ["tools:call"], "bearer_methods_supported": [],
                                   "dpop_signing_alg_values_supported": ["ES256"],
                                   "dpop_bound_access_tokens_required": True}
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN, auth=A2AAuth(signer)) as client:
            scoped = await client.post("/mcp/tools")
        return none, scoped

    none, scoped = asyncio.run(go())
    assert none.status_code == 401
    assert none.headers["www-authenticate"] == (
        f'DPoP resource_metadata="{ORIGIN}/.well-known/oauth-protected-resource/mcp", algs="ES256"')
    assert none.json() == {"type": "about:blank", "status": 401, "title": "credential-missing"}
    assert scoped.status_code == 403
    assert 'error="insufficient_scope", scope="tools:call"' in scoped.headers["www-authenticate"]
    assert narrow.split(".")[1] not in scoped.text

    d = verifier.authenticate("POST", f"{ORIGIN}/mcp/tools", a2a_auth.Signer(access_token=narrow, dpop_key=w["dpop_key"])
                              .sign("POST", f"{ORIGIN}/mcp/tools"))
    assert not d.allow and d.denial is not None
    record = json.dumps(d.denial.audit)
    assert narrow not in record and narrow.split(".")[2] not in record
    assert d.denial.audit["decision"] == "deny" and d.denial.audit["error"] == "insufficient-scope"


def test_wimse_http_signature_through_the_middleware() -> None:
    issuer_key = a2a_auth.KeyPair.generate("ES256", kid="td-1")
    agent_key = a2a_auth.KeyPair.generate("EdDSA")
    anchor = dict(issuer_key.public_jwk, use="wit-svid")
    anchor.pop("alg", None)
    policy = {"resource": f"{ORIGIN}/mcp", "authorities": [ORIGIN],
              "trust_domains": {"example.org": {"keys": [anchor]}},
              "credentials": {"http_signature": {"version": "draft-07"}},
              "routes": [{"path": "/mcp", "prefix": True, "agents": ["spiffe://example.org/agents/*"]}]}
    wit = a2a_auth.issue_workload_identity_token(
        issuer_key, subject="spiffe://example.org/agents/planner", cnf_jwk=agent_key.public_jwk, lifetime=3600, jti="w1")
    signer = a2a_auth.Signer(wit=wit, proof="http-signature-07", workload_key=agent_key)
    verifier = a2a_auth.Verifier(policy)

    async def handler(request: Request) -> JSONResponse:
        return JSONResponse({"agent": request.state.principal.agent})

    app = A2AAuthMiddleware(Starlette(routes=[Route("/mcp/tools", handler, methods=["POST"])]), verifier=verifier,
                            origin=ORIGIN)

    async def go() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN, auth=A2AAuth(signer)) as client:
            ok = await client.post("/mcp/tools", content=b'{"q":1}', headers={"content-type": "application/json"})
        # The same signed headers with another body: Content-Digest is checked against the body.
        h = signer.sign("POST", f"{ORIGIN}/mcp/tools", [("content-type", "application/json")], body=b'{"q":1}')
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as bare:
            bad = await bare.post("/mcp/tools", content=b'{"q":2}', headers=[("content-type", "application/json"), *h])
        return ok, bad

    ok, bad = asyncio.run(go())
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"agent": "spiffe://example.org/agents/planner"}
    assert bad.status_code == 400 and bad.json()["title"] == "digest-mismatch"


def test_refresh_keys_fetches_the_jwks_uri_with_httpx() -> None:
    w = world(nonce=False, jwks_uri=True)
    verifier = a2a_auth.Verifier(w["policy"])
    signer = a2a_auth.Signer(access_token=w["token"](), dpop_key=w["dpop_key"])

    def attempt() -> a2a_auth.Decision:
        return verifier.authenticate("GET", f"{ORIGIN}/mcp", signer.sign("GET", f"{ORIGIN}/mcp"))

    first = attempt()
    assert first.denial is not None and first.denial.code == "key-not-found"
    assert verifier.due() == ["https://as.example.com/jwks"]
    fetched: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        return httpx.Response(200, json={"keys": [w["as_key"].public_jwk]}, headers={"cache-control": "max-age=600"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        verifier.refresh_keys(client)
    assert fetched == ["https://as.example.com/jwks"]
    assert verifier.due() == []
    assert attempt().allow


def test_signer_refuses_unknown_options_and_wpt02_with_a_token() -> None:
    key = a2a_auth.KeyPair.generate("ES256")
    with pytest.raises(a2a_auth.InvalidArgument):
        a2a_auth.Signer(access_token="x", dpop_key=key, scheme="DPoP")
    with pytest.raises(a2a_auth.InvalidArgument):
        a2a_auth.Signer(access_token="x")


def _ssf_world() -> tuple[dict[str, Any], a2a_auth.KeyPair, a2a_auth.Verifier]:
    w = world(nonce=False)
    ssf_key = a2a_auth.KeyPair.generate("ES256", kid="ssf-1")
    w["policy"]["events"] = {"transmitters": [{"issuer": "https://ssf.example.com", "jwks": {"keys": [ssf_key.public_jwk]}}]}
    return w, ssf_key, a2a_auth.Verifier(w["policy"])


def _set(key: a2a_auth.KeyPair, jti: str, event: str, payload: dict[str, Any]) -> str:
    return a2a_auth.issue_set({
        "iss": "https://ssf.example.com", "iat": NOW, "jti": jti, "aud": f"{ORIGIN}/mcp",
        "sub_id": {"format": "iss_sub", "iss": "https://as.example.com", "sub": "user-1"},
        "events": {f"https://schemas.openid.net/secevent/caep/event-type/{event}": payload},
    }, key)


def test_a_revoked_session_stops_the_request_allowed_a_moment_ago() -> None:
    w, ssf_key, verifier = _ssf_world()
    signer = a2a_auth.Signer(access_token=w["token"](iat=NOW - 60), dpop_key=w["dpop_key"])
    uri = f"{ORIGIN}/mcp/tools"

    def call() -> a2a_auth.Decision:
        return verifier.authenticate("POST", uri, signer.sign("POST", uri))

    allowed = call()
    assert allowed.allow
    answer = verifier.receive_push(_set(ssf_key, "evt-1", "session-revoked", {"event_timestamp": NOW - 1}))
    assert (answer.status, answer.body) == (202, None)
    assert answer.applied is not None and answer.applied["effects"] == ["revoke"]
    denied = call()
    assert not denied.allow and denied.denial is not None
    assert denied.denial.code == "credential-revoked"
    assert denied.denial.event == {"type": "session-revoked", "jti": "evt-1", "iss": "https://ssf.example.com"}
    assert denied.denial.audit["event"] == denied.denial.event
    assert 'error="invalid_token"' in denied.denial.www_authenticate[0]
    # A pushed SET from a stranger is answered 400 with the RFC 8935 error object.
    stranger = a2a_auth.KeyPair.generate("ES256", kid="ssf-1")
    bad = verifier.receive_push(_set(stranger, "evt-2", "session-revoked", {}))
    assert bad.status == 400 and json.loads(bad.body or "{}")["err"] == "invalid_key"
    # The records agree with the policy; a policy that drops the route would not have allowed.
    assert allowed.principal is not None
    records = [allowed.principal.audit, denied.denial.audit]
    assert a2a_auth.check_records(w["policy"], records)["findings"] == []
    stricter = dict(w["policy"], routes=[{"path": "/other"}])
    findings = a2a_auth.check_records(stricter, records)["findings"]
    assert [(f["line"], f["error"]) for f in findings] == [(1, "no-matching-route")]


def test_poll_events_applies_and_acknowledges() -> None:
    w, ssf_key, verifier = _ssf_world()
    s = _set(ssf_key, "evt-poll", "token-claims-change", {"claims": {"scope": "openid"}})
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append({"auth": request.headers.get("authorization"), "body": json.loads(request.content)})
        return httpx.Response(200, json={"sets": {"evt-poll": s} if len(seen) == 1 else {}})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        applied = verifier.poll_events("https://ssf.example.com/poll", client, authorization="Bearer t")
    assert [(a["jti"], a["effects"]) for a in applied] == [("evt-poll", ["claims"])]
    assert seen[0]["auth"] == "Bearer t"
    assert seen[1]["body"] == {"ack": ["evt-poll"], "maxEvents": 0, "returnImmediately": True}
    uri = f"{ORIGIN}/mcp/tools"
    signer = a2a_auth.Signer(access_token=w["token"](iat=NOW - 60), dpop_key=w["dpop_key"])
    d = verifier.authenticate("POST", uri, signer.sign("POST", uri))
    assert d.denial is not None and (d.denial.status, d.denial.code) == (403, "insufficient-scope")
    assert d.denial.event is not None and d.denial.event["type"] == "token-claims-change"
