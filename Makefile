# a2a-auth — the two README commands are `make demo` and `make test`.
# Build output goes to CARGO_TARGET_DIR (CI sets it to a cache outside the clone).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
WASM_TARGETS := wasm32-unknown-unknown

.PHONY: demo test setup fmt-check clippy cargo-test vectors vectors-fresh wasm deps-check

demo:
	@$(CARGO) run --quiet --locked --example demo

# Everything CI checks, after an idempotent setup.
test: setup fmt-check clippy cargo-test vectors vectors-fresh wasm deps-check
	@echo "make test: all checks passed"

setup:
	@installed="$$(rustup target list --installed)"; \
	for t in $(WASM_TARGETS); do \
	  grep -qx "$$t" <<<"$$installed" || rustup target add "$$t"; \
	done
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

cargo-test:
	$(CARGO) test --workspace --locked

# One summary line per host (only the native core exists so far).
vectors:
	@log="$$(mktemp)"; trap 'rm -f "$$log"' EXIT; \
	$(CARGO) test --quiet --locked --test vectors --test wycheproof -- --nocapture >"$$log" 2>&1 \
	  || { cat "$$log"; exit 1; }; \
	grep -E '^(vectors|wycheproof) ' "$$log"

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
