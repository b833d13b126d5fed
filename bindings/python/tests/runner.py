"""The conformance runner for the Python package: the vectors format and the Wycheproof
manifest, mirroring conformance/ (Rust) and npm/test/runner.mjs (JavaScript)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any, Callable

import a2a_auth

REPO = Path(__file__).resolve().parents[3]
VECTORS = Path(os.environ.get("A2A_AUTH_VECTORS", REPO / "vectors"))
WYCHEPROOF = Path(os.environ.get("A2A_AUTH_WYCHEPROOF", REPO / "dist" / "wycheproof"))


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _outcome(fn: Callable[[], Any]) -> dict[str, Any]:
    try:
        return {"ok": fn()}
    except a2a_auth.AuthError as e:
        return {"error": e.code}


def run(op: str, i: dict[str, Any]) -> dict[str, Any]:
    if op == "keys.thumbprint":
        def thumb() -> dict[str, Any]:
            t = a2a_auth.jwk_thumbprint(i["jwk"])
            return {"canonical": t.canonical, "thumbprint": t.thumbprint, "thumbprint_uri": t.thumbprint_uri}
        return _outcome(thumb)
    if op == "keys.from-seed":
        return _outcome(lambda: {"public_jwk": a2a_auth.KeyPair.from_seed(i["alg"], bytes.fromhex(i["seed"])).public_jwk})
    if op == "jose.sign-jws":
        return _outcome(lambda: {"token": a2a_auth.sign_jws(i["header"], b64d(i["payload"]), a2a_auth.KeyPair.from_jwk(i["key"]))})
    if op == "jose.verify-jws":
        def vjws() -> dict[str, Any]:
            v = a2a_auth.verify_jws(i["token"], i["keys"], algorithms=i["algorithms"])
            return {"alg": v.alg, "header": v.header, "payload": b64e(v.payload), "key_thumbprint": v.key_thumbprint}
        return _outcome(vjws)
    if op == "jose.verify-jwt":
        def vjwt() -> dict[str, Any]:
            v = a2a_auth.verify_jwt(
                i["token"], i["keys"], algorithms=i["algorithms"], typ=i.get("typ"), issuer=i.get("issuer"),
                audience=i.get("audience"), subject=i.get("subject"), required=i.get("required", []),
                leeway=i.get("leeway"), max_age=i.get("max_age"), now=i["now"],
            )
            return {"header": v.header, "claims": v.claims, "key_thumbprint": v.key_thumbprint}
        return _outcome(vjwt)
    if op in ("identity.parse-workload-id", "identity.parse-spiffe-id"):
        def pid() -> dict[str, Any]:
            parse = a2a_auth.parse_spiffe_id if op == "identity.parse-spiffe-id" else a2a_auth.parse_workload_id
            p = parse(i["id"])
            return {"id": p.id, "scheme": p.scheme, "trust_domain": p.trust_domain, "path": p.path, "origin": p.origin}
        return _outcome(pid)
    if op == "identity.id-matches":
        return _outcome(lambda: {"matches": a2a_auth.id_matches(i["pattern"], i["id"])})
    if op == "identity.parse-bundle":
        def pb() -> dict[str, Any]:
            b = a2a_auth.parse_bundle(i["trust_domain"], i["bundle"])
            return {"trust_domain": b.trust_domain, "sequence": b.sequence, "refresh_hint": b.refresh_hint, "jwt_kids": b.jwt_kids,
                    "wit_kids": b.wit_kids, "x509_thumbprints": b.x509_thumbprints, "skipped": b.skipped}
        return _outcome(pb)
    if op == "identity.parse-bundle-map":
        return _outcome(lambda: {"trust_domains": a2a_auth.parse_bundle_map(i["map"])})
    if op == "identity.verify-workload-identity-token":
        def vwit() -> dict[str, Any]:
            v = a2a_auth.verify_workload_identity_token(
                i["token"], i["trust_store"], now=i["now"], max_lifetime=i.get("max_lifetime"), profile=i.get("profile", "wimse"))
            return {"subject": v.subject, "trust_domain": v.trust_domain, "cnf_jwk": v.cnf_jwk, "proof_alg": v.proof_alg,
                    "issuer_key_thumbprint": v.issuer_key_thumbprint, "claims": v.claims}
        return _outcome(vwit)
    if op == "identity.issue-workload-identity-token":
        return _outcome(lambda: {"token": a2a_auth.issue_workload_identity_token(
            a2a_auth.KeyPair.from_jwk(i["issuer_key"]), subject=i["subject"], cnf_jwk=i["cnf_jwk"], lifetime=i["lifetime"],
            jti=i["jti"], issuer=i.get("issuer"), now=i["now"])})
    if op == "identity.verify-jwt-svid":
        def vsvid() -> dict[str, Any]:
            v = a2a_auth.verify_jwt_svid(i["token"], i["trust_store"], i["audience"], now=i["now"])
            return {"subject": v.subject, "trust_domain": v.trust_domain, "issuer_key_thumbprint": v.issuer_key_thumbprint, "claims": v.claims}
        return _outcome(vsvid)
    if op == "identity.issue-attested-wit":
        def attested() -> dict[str, Any]:
            w = a2a_auth.issue_attested_wit(
                a2a_auth.KeyPair.from_jwk(i["issuer_key"]), i["policy"], i["evidence"], i["cnf_jwk"], jti=i["jti"], now=i["now"])
            return {"token": w.token, "subject": w.subject, "issued_at": w.issued_at, "expires_at": w.expires_at,
                    "renew_after": w.renew_after}
        return _outcome(attested)
    if op == "identity.renewal-time":
        return _outcome(lambda: {"renew_after": a2a_auth.renewal_time(i["issued_at"], i["expires_at"])})
    if op == "identity.verify-x509-svid":
        def vx509() -> dict[str, Any]:
            v = a2a_auth.verify_x509_svid(i["chain"], i["trust_store"], now=i["now"])
            return {"subject": v.subject, "trust_domain": v.trust_domain, "not_after": v.not_after,
                    "spki_sha256": v.spki_sha256, "leaf_sha256": v.leaf_sha256, "path_length": v.path_length}
        return _outcome(vx509)
    if op.startswith("proof."):
        return _proof(op, i)
    if op.startswith("httpsig."):
        return _httpsig(op, i)
    if op.startswith(("gate.", "events.", "audit.")):
        return _gate(op, i)
    if op.startswith("oauth."):
        return _oauth(op, i)
    return {"error": f"unknown-op: the Python runner does not know {op}"}


def _txn_out(t: a2a_auth.TransactionContext) -> dict[str, Any]:
    return {"txn": t.txn, "subject": t.subject, "scope": t.scope, "requesting_workload": t.requesting_workload,
            "tctx": t.tctx, "rctx": t.rctx, "issuer": t.issuer, "expires_at": t.expires_at, "token_hash": t.token_hash}


def _token_out(t: a2a_auth.AccessTokenInfo) -> dict[str, Any]:
    return {"issuer": t.issuer, "subject": t.subject, "client_id": t.client_id, "scopes": t.scopes,
            "authorization_details": t.authorization_details, "cnf_jkt": t.cnf_jkt, "acr": t.acr, "auth_time": t.auth_time,
            "expires_at": t.expires_at, "token_hash": t.token_hash}


def _oauth(op: str, i: dict[str, Any]) -> dict[str, Any]:
    if op == "oauth.verify-access-token":
        return _outcome(lambda: _token_out(a2a_auth.verify_access_token(i["token"], i["config"], now=i["now"])))
    if op == "oauth.check-introspection-response":
        return _outcome(lambda: _token_out(a2a_auth.check_introspection_response(i["response"], i["token"], i["config"], now=i["now"])))
    if op == "oauth.verify-introspection-jwt":
        return _outcome(lambda: _token_out(a2a_auth.verify_introspection_jwt(i["jwt"], i["token"], i["config"], now=i["now"])))
    if op == "oauth.issue-txn-token":
        return _outcome(lambda: {"token": a2a_auth.issue_txn_token(a2a_auth.KeyPair.from_jwk(i["key"]), now=i["now"],
                                                                   **json.loads(i["params"]))})
    if op == "oauth.verify-txn-token":
        return _outcome(lambda: _txn_out(a2a_auth.verify_txn_token(i["token"], i["config"], now=i["now"])))
    if op == "oauth.create-client-assertion":
        return _outcome(lambda: {"token": a2a_auth.create_client_assertion(
            a2a_auth.KeyPair.from_jwk(i["key"]), client_id=i["client_id"], issuer=i["issuer"], jti=i["jti"],
            lifetime=i["lifetime"], now=i["now"])})
    if op == "oauth.verify-client-assertion":
        def vca() -> dict[str, Any]:
            cache = a2a_auth.ReplayCache(16)
            r = None
            for _ in range(i.get("repeat", 1)):
                r = a2a_auth.verify_client_assertion(i["assertion"], i["config"], now=i["now"], replay_cache=cache)
            assert r is not None
            return {"client_id": r.client_id, "jti": r.jti, "expires_at": r.expires_at}
        return _outcome(vca)
    if op == "oauth.verify-spiffe-client-assertion":
        return _outcome(lambda: {"subject": a2a_auth.verify_spiffe_client_assertion(i["assertion"], i["trust_store"], i["issuer"],
                                                                                  now=i["now"])})
    if op == "oauth.create-client-attestation-pop":
        return _outcome(lambda: {"token": a2a_auth.create_client_attestation_pop(
            a2a_auth.KeyPair.from_jwk(i["key"]), wit=i["wit"], issuer=i["issuer"], jti=i["jti"], challenge=i.get("challenge"),
            now=i["now"])})
    if op == "oauth.verify-wit-client-attestation":
        def vwca() -> dict[str, Any]:
            cache = a2a_auth.ReplayCache(16)
            r = None
            for _ in range(i.get("repeat", 1)):
                r = a2a_auth.verify_wit_client_attestation(i["wit"], i["pop"], i["trust_store"], i["issuer"],
                                                           challenge=i.get("challenge"), now=i["now"], replay_cache=cache)
            return {"subject": r}
        return _outcome(vwca)
    if op == "oauth.client-metadata-document":
        return _outcome(lambda: {"document": a2a_auth.client_metadata_document(i["description"])})
    if op == "oauth.client-credentials-request":
        return _outcome(lambda: {"body": a2a_auth.client_credentials_request(**json.loads(i["request"]))})
    if op == "oauth.authzen-evaluation-request":
        return _outcome(lambda: {"body": a2a_auth.authzen_evaluation_request(i["request"])})
    if op == "oauth.authzen-evaluations-request":
        return _outcome(lambda: {"body": a2a_auth.authzen_evaluations_request(i["request"])})
    if op == "oauth.authzen-parse-decision":
        def apd() -> dict[str, Any]:
            d = a2a_auth.authzen_parse_decision(i["text"])
            return {"decision": d.decision, "context": d.context}
        return _outcome(apd)
    if op == "oauth.authzen-parse-evaluations":
        return _outcome(lambda: {"evaluations": [{"decision": d.decision, "context": d.context}
                                                 for d in a2a_auth.authzen_parse_evaluations(i["text"], i["count"], i["semantic"])]})
    if op == "oauth.authzen-metadata-url":
        return _outcome(lambda: {"url": a2a_auth.authzen_metadata_url(i["pdp"])})
    if op == "oauth.authzen-parse-metadata":
        return _outcome(lambda: {"metadata": json.dumps(a2a_auth.authzen_parse_metadata(i["text"], i["expected_pdp"]),
                                                        separators=(",", ":"), ensure_ascii=False)})
    if op == "oauth.sign-agent-card":
        return _outcome(lambda: {"card": json.dumps(a2a_auth.sign_agent_card(i["card"], a2a_auth.KeyPair.from_jwk(i["key"])),
                                                    separators=(",", ":"), ensure_ascii=False)})
    if op == "oauth.verify-agent-card":
        def vac() -> dict[str, Any]:
            kid, alg = a2a_auth.verify_agent_card(i["card"], i["keys"], algorithms=i["algorithms"])
            return {"kid": kid, "alg": alg}
        return _outcome(vac)
    if op == "oauth.plan-authorization":
        return _outcome(lambda: {"plan": a2a_auth.plan_authorization(
            resource_metadata=i["resource_metadata"], expected_resource=i["expected_resource"], server_metadata=i["server_metadata"],
            issuer=i["issuer"], challenge_scope=i.get("challenge_scope"), preregistered=i["preregistered"])})
    if op == "oauth.parse-www-authenticate":
        return _outcome(lambda: {"challenges": [{"scheme": c["scheme"], "token68": c["token68"],
                                                 "params": [[n, v] for n, v in c["params"].items()]}
                                                for c in a2a_auth.parse_www_authenticate(i["values"])]})
    if op == "oauth.resource-metadata-candidates":
        return _outcome(lambda: {"urls": a2a_auth.resource_metadata_candidates(i["server_url"], i.get("resource_metadata"))})
    if op == "oauth.authorization-server-metadata-candidates":
        return _outcome(lambda: {"urls": a2a_auth.authorization_server_metadata_candidates(i["issuer"])})
    if op == "oauth.parse-authorization-server-metadata":
        return _outcome(lambda: {"metadata": json.dumps(a2a_auth.parse_authorization_server_metadata(i["text"], i["expected_issuer"]),
                                                        separators=(",", ":"), ensure_ascii=False)})
    if op == "oauth.agent-card-requirements":
        return _outcome(lambda: {"alternatives": a2a_auth.agent_card_requirements(i["card"], i.get("skill"))})
    if op == "oauth.check-client-metadata-document":
        return _outcome(lambda: {"document": json.dumps(a2a_auth.check_client_metadata_document(i["text"], i["url"]),
                                                        separators=(",", ":"), ensure_ascii=False)})
    if op == "oauth.token-exchange-request":
        def tx() -> dict[str, Any]:
            r = json.loads(i["request"])
            return {"body": a2a_auth.token_exchange_request(**r)}
        return _outcome(tx)
    if op == "oauth.parse-token-exchange-response":
        def ptx() -> dict[str, Any]:
            r = a2a_auth.parse_token_exchange_response(i["text"], requested_token_type=i.get("requested_token_type"),
                                                       expected_token_type=i.get("expected_token_type"))
            return {"access_token": r.access_token, "issued_token_type": r.issued_token_type, "token_type": r.token_type,
                    "expires_in": r.expires_in, "scopes": r.scopes, "refresh_token": r.refresh_token}
        return _outcome(ptx)
    if op == "oauth.may-act":
        return _outcome(lambda: {"allowed": a2a_auth.may_act(i["claims"], i["actor_subject"], i.get("actor_issuer"))})
    if op == "oauth.metadata-url":
        return _outcome(lambda: {"url": a2a_auth.metadata_url(i["resource"])})
    if op == "oauth.resource-metadata-document":
        return _outcome(lambda: {"document": a2a_auth.resource_metadata_document(i["description"])})
    if op == "oauth.parse-resource-metadata":
        return _outcome(lambda: {"metadata": json.dumps(a2a_auth.parse_resource_metadata(i["text"], i["expected_resource"]),
                                                        separators=(",", ":"), ensure_ascii=False)})
    return {"error": f"unknown-op: the Python runner does not know {op}"}


def _unb64(s: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _gate(op: str, i: dict[str, Any]) -> dict[str, Any]:
    def req(r: dict[str, Any]) -> dict[str, Any]:
        return {"method": r["method"], "target_uri": r["target_uri"], "headers": [tuple(h) for h in r["headers"]],
                "body": _unb64(r["body"]) if r.get("body") is not None else None, "mtls_peer": r.get("mtls_peer")}

    if op == "gate.authenticate":
        def auth() -> dict[str, Any]:
            v = a2a_auth.Verifier(i["policy"], secret=_unb64(i["secret"]))
            for e in i.get("before", []):
                r = req(e)
                assert v.authenticate(r.pop("method"), r.pop("target_uri"), r.pop("headers"), now=i["now"], **r).allow
            for s in i.get("events", []):
                v.apply_event(s, now=i["now"])
            d = None
            for _ in range(i.get("repeat", 1)):
                r = req(i["request"])
                d = v.authenticate(r.pop("method"), r.pop("target_uri"), r.pop("headers"), now=i["now"], **r)
            assert d is not None
            if d.allow:
                p = d.principal
                assert p is not None
                return {"allow": True, "agent": p.agent, "trust_domain": p.trust_domain, "method": p.method,
                        "credentials": p.credentials, "client_id": p.client_id, "subject": p.subject, "issuer": p.issuer,
                        "act": p.act, "actors": [{"subject": s, "issuer": i} for s, i in p.actors],
                        "transaction": _txn_out(p.transaction) if p.transaction else None, "scopes": p.scopes, "authorization_details": p.authorization_details,
                        "token_hashes": [list(h) for h in p.token_hashes], "expires_at": p.expires_at, "route": p.route}
            n = d.denial
            assert n is not None
            return {"allow": False, "status": n.status, "www_authenticate": n.www_authenticate, "dpop_nonce": n.dpop_nonce,
                    "code": n.code, "event": n.event}
        return _outcome(auth)
    if op == "events.verify-set":
        return _outcome(lambda: a2a_auth.verify_set(i["set"], i["config"], now=i["now"]))
    if op == "events.receive-push":
        def push() -> dict[str, Any]:
            v = a2a_auth.Verifier(i["policy"], secret=_unb64(i["secret"]))
            for s in i.get("before", []):
                v.apply_event(s, now=i["now"])
            a = v.receive_push(i["body"], now=i["now"])
            return {"status": a.status, "body": json.loads(a.body) if a.body is not None else None, "applied": a.applied}
        return _outcome(push)
    if op == "events.receive-poll":
        def poll() -> dict[str, Any]:
            v = a2a_auth.Verifier(i["policy"], secret=_unb64(i["secret"]))
            return v.receive_poll(i["body"], max_events=i["max_events"], now=i["now"])
        return _outcome(poll)
    if op == "audit.check-records":
        return _outcome(lambda: a2a_auth.check_records(i["policy"], i["records"]))
    if op == "gate.enforce":
        def enf() -> dict[str, Any]:
            v = a2a_auth.Verifier(i["policy"], secret=_unb64(i["secret"]))
            r = req(i["request"])
            d = v.authenticate(r.pop("method"), r.pop("target_uri"), r.pop("headers"), now=i["now"], **r)
            assert d.allow and d.principal is not None, "the request is allowed"
            subject = a2a_auth.principal_subject(d.principal)
            e = v.enforce(d.principal, i["decision"])
            if e.allow:
                out: dict[str, Any] = {"allow": True}
            else:
                assert e.denial is not None
                out = {"allow": False, "status": e.denial.status, "www_authenticate": e.denial.www_authenticate,
                       "code": e.denial.code}
            return {"subject": subject, "outcome": out}
        return _outcome(enf)
    if op == "gate.sign":
        def sign() -> dict[str, Any]:
            keys = {name: a2a_auth.KeyPair.from_jwk(i[name]) for name in ("workload_key", "dpop_key") if i.get(name)}
            signer = a2a_auth.Signer(**json.loads(i["options"]), **keys)
            r = req(i["request"])
            headers = signer.sign(r["method"], r["target_uri"], r["headers"], body=r["body"], now=i["now"],
                                  entropy=_unb64(i["entropy"]))
            return {"headers": [list(h) for h in headers]}
        return _outcome(sign)
    return {"error": f"unknown-op: the Python runner does not know {op}"}


def _files(root: Path) -> list[Path]:
    out = []
    for path in sorted(root.rglob("*.json")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("keys/fixed/", "wycheproof/", "exceptions/")):
            continue
        out.append(path)
    return out


def run_vectors(host: str) -> tuple[str, list[str]]:
    exceptions_path = VECTORS / "exceptions" / f"{host}.json"
    exceptions = json.loads(exceptions_path.read_text()) if exceptions_path.exists() else {}
    passed = divergent = 0
    failures: list[str] = []
    seen: set[str] = set()
    files = _files(VECTORS)
    if not files:
        failures.append(f"no vector files under {VECTORS}")
    for path in files:
        doc = json.loads(path.read_text())
        if not isinstance(doc.get("op"), str) or not isinstance(doc.get("cases"), list):
            failures.append(f"{path}: not a vector file")
            continue
        for case in doc["cases"]:
            cid = case["id"]
            if cid in seen:
                failures.append(f"{cid}: duplicate case id")
            seen.add(cid)
            if not case.get("title"):
                failures.append(f"{cid}: no title")
            got = run(doc["op"], case["input"])
            ok, listed = got == case["expect"], cid in exceptions
            if ok and not listed:
                passed += 1
            elif not ok and listed:
                divergent += 1
            elif ok:
                failures.append(f"{cid}: unexpected success (listed: {exceptions[cid]})")
            else:
                failures.append(f"{cid}: expected {json.dumps(case['expect'])} got {json.dumps(got)}")
    failures += [f"exceptions/{host}.json lists unknown case {c}" for c in exceptions if c not in seen]
    return f"vectors {host}: {passed} passed, {len(failures)} failed, {divergent} known-divergence", failures


def _fixed(hex_text: str, size: int) -> bytes:
    b = bytes.fromhex(hex_text).lstrip(b"\0")
    return b"" if len(b) > size else b.rjust(size, b"\0")


def _group_jwk(group: dict[str, Any], test: dict[str, Any]) -> dict[str, Any]:
    if "publicKeyJwk" in group:
        return group["publicKeyJwk"]
    if "keyJwk" in group:
        return group["keyJwk"]
    if group["type"] == "MacTest":
        return {"kty": "oct", "k": b64e(bytes.fromhex(test["key"]))}
    pk = group["publicKey"]
    size, crv = (48, "P-384") if pk["curve"] == "secp384r1" else (32, "P-256")
    return {"kty": "EC", "crv": crv, "x": b64e(_fixed(pk["wx"], size)), "y": b64e(_fixed(pk["wy"], size))}


def run_wycheproof(host: str) -> tuple[str, list[str]]:
    manifest = json.loads((WYCHEPROOF / "manifest.json").read_text())
    passed = decided = 0
    failures: list[str] = []
    for entry in manifest["files"]:
        data = json.loads((WYCHEPROOF / entry["file"]).read_text())
        count = 0
        for group in data["testGroups"]:
            for t in group["tests"]:
                count += 1
                sig = bytes.fromhex(t["tag"] if group["type"] == "MacTest" else t["sig"])
                got = _outcome(lambda: a2a_auth.verify_signature(entry["alg"], _group_jwk(group, t), bytes.fromhex(t["msg"]), sig))
                decision = next(
                    (d for d in manifest["decisions"]
                     if d["file"] == entry["file"]
                     and ("tc_ids" not in d or t["tcId"] in d["tc_ids"])
                     and all(group.get(k) == v for k, v in d.get("group", {}).items())),
                    None,
                )
                if decision is not None:
                    decided += 1
                    ok = got.get("error") == decision["expect"]
                elif t["result"] == "valid":
                    ok = "ok" in got
                elif t["result"] == "invalid":
                    ok = "error" in got
                else:
                    failures.append(f"{entry['file']} #{t['tcId']}: undecided {t['result']} case")
                    continue
                if ok:
                    passed += 1
                else:
                    failures.append(f"{entry['file']} #{t['tcId']} ({t['result']}): got {got}")
        if count != data["numberOfTests"]:
            failures.append(f"{entry['file']}: ran {count}, declared {data['numberOfTests']}")
    if passed < 1000:
        failures.append(f"suspiciously few Wycheproof cases: {passed}")
    return f"wycheproof {host}: {passed} passed, {len(failures)} failed ({decided} by documented decision)", failures


def _proof(op: str, i: dict[str, Any]) -> dict[str, Any]:
    import base64

    if op == "proof.create-wpt":
        return _outcome(lambda: {"token": a2a_auth.create_wpt(
            a2a_auth.KeyPair.from_jwk(i["key"]), wit=i["wit"], audience=i["audience"], lifetime=i["lifetime"], jti=i["jti"],
            access_token=i.get("access_token"), txn_token=i.get("txn_token"),
            other_tokens=[tuple(p) for p in i.get("other_tokens") or []], now=i["now"])})
    if op == "proof.verify-wpt":
        def vwpt() -> dict[str, Any]:
            cache = a2a_auth.ReplayCache(16)
            r = i["request"]
            for e in i.get("before", []):
                a2a_auth.verify_wpt(e["method"], e["target"], [tuple(h) for h in e["headers"]], i["trust_store"], i["config"],
                                    now=i["now"], replay_cache=cache)
            v = None
            for _ in range(i.get("repeat", 1)):
                v = a2a_auth.verify_wpt(r["method"], r["target"], [tuple(h) for h in r["headers"]], i["trust_store"], i["config"],
                                        now=i["now"], replay_cache=cache)
            assert v is not None
            return {"subject": v.subject, "trust_domain": v.trust_domain, "audience": v.audience, "jti": v.jti,
                    "expires_at": v.expires_at, "proof_alg": v.proof_alg, "cnf_thumbprint": v.cnf_thumbprint, "bound": v.bound}
        return _outcome(vwpt)
    if op == "proof.create-dpop-proof":
        return _outcome(lambda: {"token": a2a_auth.create_dpop_proof(
            a2a_auth.KeyPair.from_jwk(i["key"]), method=i["method"], uri=i["uri"], access_token=i.get("access_token"),
            nonce=i.get("nonce"), jti=i["jti"], now=i["now"])})
    if op == "proof.verify-dpop-proof":
        def vdpop() -> dict[str, Any]:
            cache = a2a_auth.ReplayCache(16)
            r = i["request"]
            v = None
            for _ in range(i.get("repeat", 1)):
                v = a2a_auth.verify_dpop_proof(r["method"], r["target"], [tuple(h) for h in r["headers"]], i["config"],
                                               expected_jkt=i.get("expected_jkt"), now=i["now"], replay_cache=cache)
            assert v is not None
            return {"jkt": v.jkt, "jti": v.jti, "issued_at": v.issued_at, "access_token_bound": v.access_token_bound}
        return _outcome(vdpop)
    if op == "proof.dpop-nonce":
        return _outcome(lambda: {"nonce": a2a_auth.dpop_nonce(i["config"], now=i["now"])})
    if op == "proof.wpt-challenge":
        def wch() -> dict[str, Any]:
            c = a2a_auth.wpt_challenge(i["code"], i["wire"])
            return {"status": c.status, "www_authenticate": c.www_authenticate, "dpop_nonce": c.dpop_nonce}
        return _outcome(wch)
    if op == "proof.dpop-challenge":
        def dch() -> dict[str, Any]:
            c = a2a_auth.dpop_challenge(i["code"], i["config"], description=i["description"], now=i["now"])
            return {"status": c.status, "www_authenticate": c.www_authenticate, "dpop_nonce": c.dpop_nonce}
        return _outcome(dch)
    if op == "proof.normalize-http-uri":
        return _outcome(lambda: {"uri": a2a_auth.normalize_http_uri(i["uri"])})
    if op == "proof.replay-cache":
        def rc() -> dict[str, Any]:
            secret = base64.urlsafe_b64decode(i["secret"] + "=" * (-len(i["secret"]) % 4))
            cache = a2a_auth.ReplayCache(i["capacity"], secret)
            results = []
            for sender, jti, exp, now in i["inserts"]:
                try:
                    results.append("evicted-live" if cache.check_and_insert(sender, jti, exp, now) else "ok")
                except a2a_auth.AuthError as e:
                    results.append(e.code)
            return {"results": results}
        return _outcome(rc)
    return {"error": f"unknown-op: the Python runner does not know {op}"}


def _sig_out(v: Any) -> dict[str, Any]:
    return {"label": v.label, "components": v.components, "keyid": v.keyid, "tag": v.tag, "nonce": v.nonce,
            "created": v.created, "expires": v.expires, "digest_checked": v.digest_checked}


def _wimse_out(v: Any) -> dict[str, Any]:
    s = v.signature
    return {"subject": v.subject, "trust_domain": v.trust_domain, "label": s.label, "components": s.components,
            "nonce": s.nonce, "created": s.created, "expires": s.expires, "digest_checked": s.digest_checked,
            "sign_response": v.sign_response}


def _httpsig(op: str, i: dict[str, Any]) -> dict[str, Any]:
    msg = json.loads(i["message"]) if "message" in i else None
    if msg is not None:
        msg["headers"] = [tuple(h) for h in msg.get("headers", [])]
        if "request" in msg:
            msg["request"]["headers"] = [tuple(h) for h in msg["request"].get("headers", [])]
    body = i.get("body")
    if op == "httpsig.signature-base":
        return _outcome(lambda: {"base": a2a_auth.http_signature_base(msg, i["signature_input"])})
    if op == "httpsig.verify":
        def ver() -> dict[str, Any]:
            cache = a2a_auth.ReplayCache(16)
            v = None
            for _ in range(i.get("repeat", 1)):
                v = a2a_auth.http_verify(msg, keys=json.loads(i["keys"]), policy=json.loads(i["policy"]), body=body, now=i["now"],
                                         replay_cache=cache)
            return _sig_out(v)
        return _outcome(ver)
    if op == "httpsig.sign":
        def sig() -> dict[str, Any]:
            s = a2a_auth.http_sign(msg, components=i["components"], key=a2a_auth.KeyPair.from_jwk(i["key"]),
                                   params=[tuple(p) for p in json.loads(i["params"])], label=i["label"])
            return {"signature_input": s["signature_input"], "signature": s["signature"], "base": s["base"]}
        return _outcome(sig)
    if op == "httpsig.content-digest":
        return _outcome(lambda: {"value": a2a_auth.content_digest(body or "", i["algorithms"])})
    if op == "httpsig.verify-content-digest":
        def vcd() -> dict[str, Any]:
            a2a_auth.verify_content_digest(i["field"], body or "")
            return {}
        return _outcome(vcd)
    if op == "httpsig.sign-wimse-request":
        def swr() -> dict[str, Any]:
            s = a2a_auth.sign_wimse_request(msg, a2a_auth.KeyPair.from_jwk(i["key"]), audience=i["audience"], body=body,
                                            lifetime=i["lifetime"], nonce=i["nonce"], version=i["version"],
                                            sign_response=i["sign_response"], now=i["now"])
            return {"content_digest": s.content_digest, "signature_input": s.signature_input, "signature": s.signature}
        return _outcome(swr)
    if op == "httpsig.sign-wimse-response":
        def sws() -> dict[str, Any]:
            s = a2a_auth.sign_wimse_response(msg, a2a_auth.KeyPair.from_jwk(i["key"]), request_nonce=i["request_nonce"], body=body,
                                             lifetime=i["lifetime"], nonce=i["nonce"], version=i["version"], now=i["now"])
            return {"content_digest": s.content_digest, "signature_input": s.signature_input, "signature": s.signature}
        return _outcome(sws)
    if op == "httpsig.verify-wimse-request":
        def vwr() -> dict[str, Any]:
            cache = a2a_auth.ReplayCache(16)
            v = None
            for _ in range(i.get("repeat", 1)):
                v = a2a_auth.verify_wimse_request(msg, i["trust_store"], i["config"], body=body, now=i["now"], replay_cache=cache)
            return _wimse_out(v)
        return _outcome(vwr)
    if op == "httpsig.verify-wimse-response":
        return _outcome(lambda: _wimse_out(a2a_auth.verify_wimse_response(
            msg, i["trust_store"], i["config"], request_nonce=i["request_nonce"], body=body, now=i["now"])))
    return {"error": f"unknown-op: the Python runner does not know {op}"}
