"""Seeds each fuzz target's corpus from the conformance vectors (make fuzz-smoke), so that the
fuzzer starts from real tokens, documents and identifiers instead of empty input.

    python3 fuzz/seed.py VECTORS_DIR CORPUS_DIR
"""

import hashlib
import json
import os
import sys

vectors, corpus = sys.argv[1], sys.argv[2]
seeds = {t: set() for t in ("base64url", "json", "jws", "jwk", "identifiers", "bundle", "http_signature",
                            "policy", "security_events", "records")}


def walk(v, out):
    if isinstance(v, str):
        out.append(v)
    elif isinstance(v, list):
        for x in v:
            walk(x, out)
    elif isinstance(v, dict):
        headers = v.get("headers")
        if isinstance(headers, list):
            h = {n.lower(): val for n, val in (x for x in headers if isinstance(x, list) and len(x) == 2)}
            if "signature-input" in h:
                seeds["http_signature"].add("\n".join([h["signature-input"], h.get("signature", ""), h.get("content-digest", ""), "{}"]))
        for x in v.values():
            walk(x, out)


for root, _, files in os.walk(vectors):
    for f in files:
        if not f.endswith(".json") or "wycheproof" in root:
            continue
        strings = []
        walk(json.load(open(os.path.join(root, f))), strings)
        for s in strings:
            parts = s.split(".")
            if len(parts) == 3 and s.startswith("eyJ"):
                seeds["jws"].add(s)
                seeds["security_events"].add(s)
                seeds["base64url"].update(p for p in parts if p)
            elif s.startswith(("spiffe://", "wimse://")):
                seeds["identifiers"].add(s)
            elif s.lstrip().startswith("{"):
                try:
                    obj = json.loads(s)
                except ValueError:
                    continue
                seeds["json"].add(s)
                # JSON inside a string (an HTTP message, a policy): its headers and strings too.
                walk(obj, strings)
                keys = set(obj) if isinstance(obj, dict) else set()
                if keys & {"routes", "attesters"}:
                    seeds["policy"].add(s)
                if keys & {"kty", "keys"}:
                    seeds["jwk"].add(s)
                    seeds["bundle"].add(s)
                if keys & {"trust_domains"}:
                    seeds["bundle"].add(s)
                if "decision" in keys:
                    seeds["records"].add(s)
                if "sets" in keys or "sub_id" in keys:
                    seeds["security_events"].add(s)
for target, items in seeds.items():
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    for s in sorted(items)[:400]:
        data = s.encode()
        open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb").write(data)
print("fuzz seeds: " + ", ".join(f"{t} {min(len(i), 400)}" for t, i in seeds.items()))
