# a2a-auth — the two README commands are `make demo` and `make test`.
# Build output goes to CARGO_TARGET_DIR (CI sets it to a cache outside the clone).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
WASM_TARGETS := wasm32-unknown-unknown
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
WASM_TOOLS_VERSION := 1.263.0

.PHONY: demo test setup tools fmt-check clippy component cargo-test vectors vectors-fresh wasm deps-check

demo:
	@$(CARGO) run --quiet --locked --example demo

# Everything CI checks, after an idempotent setup.
test: setup fmt-check clippy component cargo-test vectors vectors-fresh wasm deps-check
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

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

cargo-test:
	$(CARGO) test --workspace --locked

# One summary line per host and suite: the native core, then the component under wasmtime.
vectors: component
	@log="$$(mktemp)"; trap 'rm -f "$$log"' EXIT; \
	$(CARGO) test --quiet --locked --test vectors --test wycheproof -- --nocapture >"$$log" 2>&1 \
	  || { cat "$$log"; exit 1; }; \
	$(CARGO) test --quiet --locked -p a2a-auth-host-tests -- --nocapture >>"$$log" 2>&1 \
	  || { cat "$$log"; exit 1; }; \
	grep -oE '(vectors|wycheproof) [a-z-]+: [0-9]+ passed.*' "$$log"

# Generated vectors must equal what the generator writes today.
vectors-fresh:
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	$(CARGO) run --quiet --locked --example gen_vectors -- "$$tmp" >/dev/null; \
	diff -r -x wycheproof -x exceptions -x README.md "$$tmp" vectors \
	  && echo "vectors-fresh: generated vectors match the committed files"

wasm:
	$(CARGO) build --locked -p a2a-auth --lib --target wasm32-unknown-unknown

# The core must not pull randomness or C crypto into wasm builds.
deps-check:
	@tree="$$($(CARGO) tree --locked -p a2a-auth -e normal --target wasm32-unknown-unknown --prefix none)"; \
	for bad in getrandom ring openssl openssl-sys; do \
	  if grep -q "^$$bad v" <<<"$$tree"; then echo "deps-check: $$bad is in the core's normal dependencies"; exit 1; fi; \
	done; echo "deps-check: no getrandom, ring or openssl in the core's normal dependencies"
