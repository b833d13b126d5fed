"""Agent B of `a2a-auth demo`: an agent in Python on the a2a_auth package (the core as a
WebAssembly component on wasmtime), with only the standard library's HTTP server and httpx.

It reads its configuration (JSON) from the file named on the command line, listens on
127.0.0.1, and prints ``agent-b <url>`` as its first line. For ``POST /a2a/tasks`` it
authenticates the caller with one ``Verifier.authenticate`` call; when allowed it exchanges the
caller's token at the authorization server for one naming the tool (RFC 8693, B as the actor,
DPoP-bound to B's key), asks for a Txn-Token, and calls the tool with a WPT, DPoP and the
Txn-Token. ``POST /events`` receives SSF pushes (RFC 8935). Every decision record is appended to
the records file, one JSON object per line.
"""

import importlib.metadata
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx

import a2a_auth
from a2a_auth import KeyPair, Signer, Verifier

TXN_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:txn_token"
JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt"

config = json.load(open(sys.argv[1]))
workload_key = KeyPair.from_jwk(config["workload_key"])
dpop_key = KeyPair.from_jwk(config["dpop_key"])
client = httpx.Client(timeout=30.0)


def record(hop, audit):
    with open(config["records"], "a") as f:
        f.write(json.dumps({"hop": hop, "record": audit}) + "\n")


def token_request(form):
    """POSTs a token request with a DPoP proof for the token endpoint (RFC 9449 §5). The proof
    names the endpoint's public URI; the request goes to where it listens."""
    proof = a2a_auth.create_dpop_proof(dpop_key, method="POST", uri=config["token_endpoint_uri"])
    r = client.post(config["token_endpoint"], content=form, headers={"content-type": "application/x-www-form-urlencoded", "dpop": proof})
    if r.status_code != 200:
        raise RuntimeError(f"token endpoint answered {r.status_code}: {r.text}")
    return r.text


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet: the transcript is the orchestrator's
        pass

    def reply(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(min(length, 1 << 20))
        if self.path == "/events":
            answer = verifier.receive_push(body.decode("utf-8", "replace"))
            applied = answer.applied or {}
            self.reply(answer.status, {"applied": applied.get("effects", []), "events": applied.get("events", []),
                                       "error": json.loads(answer.body) if answer.body else None})
            return
        if not self.path.startswith("/a2a/"):
            self.reply(404, {"error": "not-found"})
            return
        headers = list(self.headers.items())
        decision = verifier.authenticate("POST", origin + self.path, headers, body=body)
        if not decision.allow:
            d = decision.denial
            record("agent B", d.audit)
            self.reply(d.status, {"error": d.code, "record": d.audit}, d.headers())
            return
        p = decision.principal
        record("agent B", p.audit)
        incoming = next(v for n, v in headers if n.lower() == "authorization").split(" ", 1)[1]
        # The token for the tool: B acts for the user, after A (RFC 8693).
        form = a2a_auth.token_exchange_request(
            subject_token=incoming, actor_token=config["wit"], actor_token_type=JWT_TOKEN_TYPE,
            resource=[config["tool_resource"]], scope=["calendar.read"])
        exchanged = a2a_auth.parse_token_exchange_response(token_request(form), expected_token_type="DPoP")
        # The transaction's context, from the transaction token service.
        form = a2a_auth.token_exchange_request(
            subject_token=exchanged.access_token, actor_token=config["wit"], actor_token_type=JWT_TOKEN_TYPE,
            audience=[config["trust_domain"]], requested_token_type=TXN_TOKEN_TYPE)
        txn = a2a_auth.parse_token_exchange_response(token_request(form), requested_token_type=TXN_TOKEN_TYPE)
        signer = Signer(wit=config["wit"], proof="wpt-01", workload_key=workload_key,
                        access_token=exchanged.access_token, dpop_key=dpop_key)
        path = "/mcp/tools/calendar?day=2026-11-24"
        tool_uri = config["tool_origin"] + path  # what the proofs name; sent to where it listens
        extra = [("Txn-Token", txn.access_token)]
        resets = 0
        for _ in range(4):
            out = extra + signer.sign("GET", tool_uri, extra)  # fresh proofs for every attempt
            r = client.get(config["tool_url"] + path, headers=out)
            if r.status_code == 502 and '"upstream"' in r.text and resets < 2:
                # `wasmtime serve` 48 resets some of the guard's upstream connections (see
                # bindings/http-guard/README.md); the guard answers 502 `upstream`. Try again.
                resets += 1
                continue
            if not signer.observe_response(tool_uri, r.status_code, list(r.headers.items())):
                break  # else: once more after a use_dpop_nonce challenge
        tool = r.json() if r.headers.get("content-type", "").startswith("application/json") else {"body": r.text}
        self.reply(200, {
            "agent_b": {"agent": p.agent, "user": p.subject, "actors": [a for a, _ in p.actors],
                        "credentials": p.credentials, "scopes": p.scopes},
            "exchange": {"token_type": exchanged.token_type, "scopes": exchanged.scopes},
            "txn": {"sent": True},
            "tool_status": r.status_code,
            "tool_resets": resets,
            "tool_sent": [n for n, _ in out],
            "tool": tool,
        })


server = HTTPServer(("127.0.0.1", 0), Handler)
listening = f"http://127.0.0.1:{server.server_address[1]}"
origin = config["origin"]  # the public origin: target URIs are built from it, never from Host
policy = config["policy"]
policy["resource"] = origin + "/a2a"
policy["authorities"] = [origin]
verifier = Verifier(policy)
print(f"agent-b {listening} Python {sys.version.split()[0]}, wasmtime-py {importlib.metadata.version('wasmtime')}", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
