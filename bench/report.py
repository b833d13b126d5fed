"""`make bench`: merges the hosts' measurements into bench/results/latest.{json,md} and a chart
of the ratios (latest.svg). Standard library only.

    python3 bench/report.py RUN_DIR OUT_DIR [BEFORE.json]

RUN_DIR holds native.json, component.json, node.json, python.json, openssl.txt (optional),
profile-native.json and profile-wasm.json (optional: `profile_es256 --json`, nanoseconds per
step) and sizes.txt (`name raw gzip` lines). latest.json is {op: {host: {ops_per_sec, p50_us,
p99_us}}}. BEFORE.json, a latest.json of an earlier run, adds a before/after table.
"""

import datetime
import json
import os
import platform
import re
import sys

run, out = sys.argv[1], sys.argv[2]
before_path = sys.argv[3] if len(sys.argv) > 3 else None
OPS = ["es256-verify", "es256-verify-warm-key", "es256-verify-p256-crate", "eddsa-verify", "wit-verify",
       "wimse-request-cold", "wimse-request-warm", "dpop-request", "httpsig-request-4k", "cache-hit"]
HOSTS = ["native", "component", "npm-node", "python", "jose-node", "pyjwt", "openssl"]
# Which a2a-auth host each peer is compared with (same language, same run).
BASE = {"component": "native", "npm-node": "native", "python": "native", "jose-node": "npm-node",
        "pyjwt": "python", "openssl": "native"}


def load(name):
    path = os.path.join(run, name)
    return json.load(open(path)) if os.path.exists(path) else {}


native, component, node, python = load("native.json"), load("component.json"), load("node.json"), load("python.json")
hosts = {"native": native, "component": component.get("ops", {}), "npm-node": node.get("npm-node", {}),
         "python": python.get("python", {}), "jose-node": node.get("jose-node", {}), "pyjwt": python.get("pyjwt", {})}
openssl = {}
path = os.path.join(run, "openssl.txt")
if os.path.exists(path):
    text = open(path).read()
    for op, pattern in (("es256-verify", r"ecdsa \(nistp256\)\s+\S+\s+\S+\s+\S+\s+([\d.]+)"),
                        ("eddsa-verify", r"EdDSA \(Ed25519\)\s+\S+\s+\S+\s+\S+\s+([\d.]+)")):
        m = re.search(pattern, text)
        if m:
            rate = float(m.group(1))
            openssl[op] = {"ops_per_sec": rate, "p50_us": 1e6 / rate, "p99_us": None}
hosts["openssl"] = openssl

result, skipped = {}, {}
for op in OPS:
    result[op] = {}
    for h in HOSTS:
        m = hosts[h].get(op)
        if m and "ops_per_sec" in m:
            result[op][h] = {k: (round(m[k], 3) if isinstance(m[k], float) else m[k]) for k in ("ops_per_sec", "p50_us", "p99_us")}
        elif m and "skipped" in m:
            skipped[(op, h)] = m["skipped"]
os.makedirs(out, exist_ok=True)
json.dump(result, open(os.path.join(out, "latest.json"), "w"), indent=1, sort_keys=True)


def ratio(op, h):
    base = BASE.get(h)
    a, b = result[op].get(h), result[op].get(base) if base else None
    if not a or not b:
        return None
    return a["ops_per_sec"] / b["ops_per_sec"]


cpu = "unknown CPU"
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except (OSError, StopIteration):
    pass
machine = f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
lines = [f"# a2a-auth benchmarks ({date})", "", f"Machine: {machine}. One thread per host; shared and noisy, so",
         "compare within this run only. Throughput in operations per second (per core); latency p50 / p99 in µs.",
         "`×` is the throughput ratio: hosts against native, `jose-node` against `npm-node`, `pyjwt` against",
         "`python`, `openssl` (raw signature verify, no JWS parsing) against native.", ""]
lines.append("| op | " + " | ".join(HOSTS) + " |")
lines.append("|---|" + "---|" * len(HOSTS))
for op in OPS:
    cells = []
    for h in HOSTS:
        m = result[op].get(h)
        if not m:
            cells.append("skipped" if (op, h) in skipped else "n/a")
            continue
        r = ratio(op, h)
        lat = f"{m['p50_us']:.0f}/{m['p99_us']:.0f} µs" if m["p99_us"] is not None else f"{m['p50_us']:.0f} µs"
        cells.append(f"{m['ops_per_sec']:,.0f}/s {lat}" + (f" ({r:.2f}×)" if r is not None else ""))
    lines.append(f"| {op} | " + " | ".join(cells) + " |")
if skipped:
    lines += ["", "Skipped:"] + [f"- {op} on {h}: {why}" for (op, h), why in sorted(skipped.items())]
lines += ["", "n/a: the peer has no such operation (a credential cache is ours alone; `openssl speed` measures raw",
          "signature verification only). `es256-verify-warm-key` (a parsed key verifying repeatedly, so on its",
          "comb) and `es256-verify-p256-crate` (the `p256` crate on the same token) are native-only.", "", "## Sizes and start-up", "", "| artifact | raw bytes | gzip bytes |", "|---|---|---|"]
sizes = os.path.join(run, "sizes.txt")
if os.path.exists(sizes):
    for line in open(sizes):
        name, raw, gz = line.split()
        lines.append(f"| {name} | {int(raw):,} | {int(gz):,} |")
lines.append("")
if component:
    lines.append(f"- Component: compile {component['compile_ms']:.0f} ms (once, ahead of time); instantiate the compiled "
                 f"component in a fresh store p50 {component['instantiate_us']['p50']:.0f} µs, p99 {component['instantiate_us']['p99']:.0f} µs.")
if python:
    lines.append(f"- Python: `import a2a_auth` and the first call (instantiating the component) {python['import_ms']:.0f} ms.")
targets = []
w = result["wimse-request-warm"]
if "component" in w:
    targets.append(f"component ≤ 1.3× native for the WIMSE request: {w['native']['ops_per_sec'] / w['component']['ops_per_sec']:.2f}× (warm)")
for ours, peer in (("npm-node", "jose-node"), ("python", "pyjwt")):
    if ours in w and peer in w:
        targets.append(f"warm WIMSE request ≥ best peer ({peer}): {ours} {w[ours]['ops_per_sec']:,.0f}/s vs {w[peer]['ops_per_sec']:,.0f}/s")
if "native" in result["cache-hit"]:
    targets.append(f"cache hit ≤ 2 µs native: p50 {result['cache-hit']['native']['p50_us']:.1f} µs")
# ES256 before and after the P-256 work: the verification alone in this run (the `p256` crate
# is still linked for signing, so it can be timed next to ours), then the operations against an
# earlier run.
prof = {name: load(f"profile-{name}.json") for name in ("native", "wasm")}
ossl = openssl.get("es256-verify")
if any(prof.values()):
    lines += ["", "## ES256 verification alone, before and after, in this run", "",
              "`make profile` steps (fastest of ~50 batches): the `p256` crate (every ES256 verification",
              "before) against `a2a-auth-p256-verify` on a key seen for the first time (cold: Straus–Shamir",
              "wNAF) and on a busy key (its comb). wasm is the same code as the component's, as",
              "wasm32-wasip1 under the wasmtime CLI. µs per verification; × against the `p256` crate.", "",
              "| build | p256 crate | cold key | busy key | OpenSSL (native floor) |", "|---|---|---|---|---|"]
    for name, label in (("native", "native (x86-64, 64-bit limbs)"), ("wasm", "wasm32 (32-bit limbs)")):
        p = prof[name]
        if not p:
            continue
        base, cold, busy = (p.get(k, 0) / 1000 for k in ("verify, the p256 crate", "verify, cold key (this crate)",
                                                          "verify, busy key (this crate)"))
        floor = (f"{ossl['p50_us']:.0f} µs: the cold key takes {cold / ossl['p50_us']:.2f}× that, the busy key "
                 f"{busy / ossl['p50_us']:.2f}×" if ossl else "n/a")
        lines.append(f"| {label} | {base:.0f} µs | {cold:.0f} µs ({base / cold:.1f}× faster) | {busy:.0f} µs ({base / busy:.1f}× faster) | {floor} |")
    if prof["wasm"]:
        p = prof["wasm"]
        steps = ["field mul", "field square", "point double (Jacobian)", "point add (Jacobian + affine)",
                 "scalar invert (s^-1 mod n)", "building a comb (once per busy key; the generator's once per process)"]
        lines += ["", "Where a wasm verification's time goes (ns): " + "; ".join(f"{k} {p[k]:,.0f}" for k in steps if k in p) + "."]
if before_path and os.path.exists(before_path):
    before = json.load(open(before_path))
    lines += ["", "## Before and after, against the last run before the P-256 work", "",
              f"`{os.path.basename(before_path)}` is that run's latest.json (same machine kind, another day: a",
              "comparison across runs, so only large ratios mean anything). ops/s before → now (×).", "",
              "| op | native | component | npm-node | python |", "|---|---|---|---|---|"]
    for op in ("es256-verify", "wit-verify", "wimse-request-cold", "wimse-request-warm", "dpop-request", "httpsig-request-4k"):
        cells = []
        for h in ("native", "component", "npm-node", "python"):
            b, a = before.get(op, {}).get(h), result[op].get(h)
            cells.append(f"{b['ops_per_sec']:,.0f} → {a['ops_per_sec']:,.0f} ({a['ops_per_sec'] / b['ops_per_sec']:.1f}×)" if a and b else "n/a")
        lines.append(f"| {op} | " + " | ".join(cells) + " |")
    wb, wa = before.get("wimse-request-warm", {}).get("component"), result["wimse-request-warm"].get("component")
    if wb and wa:
        targets.append(f"warm WIMSE request in the component ≥ 3× before: {wa['ops_per_sec'] / wb['ops_per_sec']:.1f}× "
                       f"({wb['ops_per_sec']:,.0f}/s → {wa['ops_per_sec']:,.0f}/s)")
e = result["es256-verify"]
if "component" in e:
    targets.append(f"ES256 verify in the component ≤ 250 µs: p50 {e['component']['p50_us']:.0f} µs (`es256-verify`: the JWKS "
                   "parsed on every call, so a new key each time)" +
                   (f"; the verification alone in wasm {prof['wasm']['verify, cold key (this crate)'] / 1000:.0f} µs cold, "
                    f"{prof['wasm']['verify, busy key (this crate)'] / 1000:.0f} µs busy" if prof["wasm"] else ""))
if "native" in e:
    targets.append(f"ES256 verify natively ≤ 90 µs: `es256-verify` p50 {e['native']['p50_us']:.0f} µs (new key)" +
                   (f", `es256-verify-warm-key` p50 {result['es256-verify-warm-key']['native']['p50_us']:.0f} µs (busy key)"
                    if "native" in result["es256-verify-warm-key"] else "") +
                   (f"; OpenSSL {ossl['p50_us']:.0f} µs" if ossl else ""))
lines += ["", "## Targets (goals, not assertions)", ""] + [f"- {t}" for t in targets]
open(os.path.join(out, "latest.md"), "w").write("\n".join(lines) + "\n")

# The chart: one row per op, one bar per host, length = ratio (log scale, 1× marked).
import math  # noqa: E402

rows = [(op, h, ratio(op, h)) for op in OPS for h in HOSTS[1:] if ratio(op, h) is not None]
colors = {"component": "#4e79a7", "npm-node": "#f28e2b", "python": "#59a14f", "jose-node": "#e15759",
          "pyjwt": "#b07aa1", "openssl": "#76b7b2"}
W, left, bar, gap = 900, 230, 14, 10
x = lambda r: left + (math.log10(r) + 2) / 3.3 * (W - left - 20)  # noqa: E731  (0.01× .. 20×)
y, parts = 50, []
for op in OPS:
    parts.append(f'<text x="10" y="{y + 12}" font-size="13" font-weight="bold">{op}</text>')
    y += 18
    for o, h, r in rows:
        if o != op:
            continue
        x0, x1 = x(1.0), x(min(max(r, 0.011), 19.0))
        parts.append(f'<rect x="{min(x0, x1):.1f}" y="{y}" width="{abs(x1 - x0):.1f}" height="{bar}" fill="{colors[h]}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 11}" font-size="11" text-anchor="end">{h} vs {BASE[h]}</text>')
        parts.append(f'<text x="{max(x0, x1) + 4:.1f}" y="{y + 11}" font-size="11">{r:.2f}×</text>')
        y += bar + 2
    y += gap
H = y + 30
axis = "".join(f'<line x1="{x(v):.1f}" y1="40" x2="{x(v):.1f}" y2="{y}" stroke="#ccc"/><text x="{x(v):.1f}" y="{y + 15}" font-size="11" text-anchor="middle">{v}×</text>'
               for v in (0.01, 0.1, 1, 10))
svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif">'
       f'<rect width="100%" height="100%" fill="white"/>'
       f'<text x="10" y="24" font-size="15">a2a-auth throughput ratios ({date}; log scale; right of 1× = faster than the base)</text>'
       f'{axis}<line x1="{x(1):.1f}" y1="40" x2="{x(1):.1f}" y2="{y}" stroke="#333"/>{"".join(parts)}</svg>')
open(os.path.join(out, "latest.svg"), "w").write(svg)
print("\n".join(lines))
