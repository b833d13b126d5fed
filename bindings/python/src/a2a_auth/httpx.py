"""``httpx.Auth`` that signs outgoing requests with a :class:`~a2a_auth.Signer`.

>>> client = httpx.Client(auth=A2AAuth(Signer(access_token=at, dpop_key=key)))

Each request gets the headers the signer makes (WIT + WPT or HTTP signature, DPoP proof +
``Authorization: DPoP``, or Bearer). Every response's ``DPoP-Nonce`` is remembered per origin;
on a ``use_dpop_nonce`` challenge the request is signed again with the new nonce and retried
once. Works with ``httpx.Client`` and ``httpx.AsyncClient``.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from . import Signer

_SIGNED = ("authorization", "dpop", "workload-identity-token", "workload-proof-token", "signature", "signature-input",
           "content-digest")


class A2AAuth(httpx.Auth):
    """Signs requests with ``signer`` and handles the DPoP nonce retry."""

    requires_request_body = True

    def __init__(self, signer: Signer) -> None:
        self.signer = signer

    def _sign(self, request: httpx.Request, original: list[tuple[str, str]]) -> None:
        for name in _SIGNED:
            if name in request.headers and not any(n.lower() == name for n, _ in original):
                del request.headers[name]
        body = request.content or None
        added = self.signer.sign(request.method, str(request.url), original, body=body)
        for name, value in added:
            request.headers[name] = value

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        original = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in request.headers.raw]
        self._sign(request, original)
        response = yield request
        if self.signer.observe_response(str(request.url), response.status_code, list(response.headers.multi_items())):
            self._sign(request, original)
            response = yield request
            self.signer.observe_response(str(request.url), response.status_code, list(response.headers.multi_items()))
