"""ASGI middleware: authenticate every HTTP request before the application sees it.

Works with any ASGI framework (Starlette and FastAPI included, which the A2A Python SDK uses).
On allow, the :class:`~a2a_auth.Principal` is put in the request scope's ``state`` (so
``request.state.principal`` in Starlette/FastAPI) and the body, read once, is replayed to the
application. On deny, the middleware answers itself: the exact status, each
``WWW-Authenticate``, ``DPoP-Nonce``, and an RFC 9457 problem body naming the error code (never
token text). The RFC 9728 metadata document derived from the policy is served at its well-known
path (the ``resource_metadata`` URL the challenges point to).

>>> app = A2AAuthMiddleware(app, verifier=Verifier(policy), origin="https://tools.example.com")

``origin`` is the public origin the clients address (scheme and authority), from your
configuration: the target URI checked against WPT ``aud``, DPoP ``htu`` and HTTP signatures is
``origin`` + the request path and query, never built from ``Host``.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Optional
from urllib.parse import urlsplit

from . import Principal, Verifier

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class A2AAuthMiddleware:
    """Authenticates HTTP requests with ``verifier`` (see the module documentation).

    ``max_body`` bounds the bytes read for Content-Digest checks (a larger body is refused with
    413 before verification); ``exempt`` lists paths served without authentication (for example
    the RFC 9728 metadata document); ``mtls_peer(scope)`` returns the verified client
    certificate's URI SAN when your server terminates mTLS.
    """

    def __init__(
        self, app: ASGIApp, *, verifier: Verifier, origin: str, max_body: int = 1 << 20,
        exempt: tuple[str, ...] = (), mtls_peer: Optional[Callable[[Scope], Optional[str]]] = None,
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.origin = origin.rstrip("/")
        self.max_body = max_body
        self.exempt = exempt
        self.mtls_peer = mtls_peer
        url, self._metadata = verifier.resource_metadata()
        self._metadata_path = urlsplit(url).path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.exempt:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET" and scope.get("path") == self._metadata_path:
            body = self._metadata.encode()
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"application/json"), (b"cache-control", b"max-age=3600"),
                (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await _problem(send, 413, "limit-exceeded", [])
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
        target = raw_path.decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        headers = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in scope.get("headers", [])]
        decision = self.verifier.authenticate(
            scope["method"], self.origin + target, headers, body=body if body else None,
            mtls_peer=self.mtls_peer(scope) if self.mtls_peer else None,
        )
        if not decision.allow:
            denial = decision.denial
            assert denial is not None
            await _problem(send, denial.status, denial.code, denial.headers())
            return
        principal: Optional[Principal] = decision.principal
        scope.setdefault("state", {})["principal"] = principal
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _problem(send: Send, status: int, code: str, extra: list[tuple[str, str]]) -> None:
    body = json.dumps({"type": "about:blank", "status": status, "title": code}).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"cache-control", b"no-store"),
               (b"content-length", str(len(body)).encode())]
    headers += [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
