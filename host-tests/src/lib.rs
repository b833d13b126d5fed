//! Loads the a2a-auth component (`dist/a2a_auth.wasm`, or `A2A_AUTH_COMPONENT`) into wasmtime
//! with an **empty linker**: instantiation succeeding is itself the proof that the component
//! imports nothing.

use std::path::{Path, PathBuf};

pub mod proxy_wasm;

use wasmtime::component::{Component, Linker};
use wasmtime::{Engine, Store};

#[allow(missing_docs)]
mod bindings {
    wasmtime::component::bindgen!({ path: "../wit", world: "auth" });
}
pub use bindings::{Auth, AuthPre, exports};

/// Where the component is read from: `A2A_AUTH_COMPONENT`, else `dist/a2a_auth.wasm` of the
/// repository that contains the working directory (cargo runs tests in the package directory).
/// The compile-time path is only a fallback: a shared `CARGO_TARGET_DIR` reuses this build
/// across clones, and the component must come from the clone under test.
pub fn component_path() -> PathBuf {
    if let Some(path) = std::env::var_os("A2A_AUTH_COMPONENT") {
        return PathBuf::from(path);
    }
    repo_root().join("dist/a2a_auth.wasm")
}

/// The `gate.authenticate` vector cases the edge suites replay as HTTP requests, from
/// `A2A_AUTH_VECTORS` or the repository's `vectors/`.
///
/// # Panics
/// When the file is missing or is not a vector file (a broken checkout).
#[allow(
    clippy::expect_used,
    reason = "test support: a broken checkout should stop the suite"
)]
pub fn gate_cases() -> Vec<serde_json::Value> {
    let dir = std::env::var_os("A2A_AUTH_VECTORS")
        .map_or_else(|| repo_root().join("vectors"), PathBuf::from);
    let text = std::fs::read_to_string(dir.join("gate/authenticate.json"))
        .expect("vectors/gate/authenticate.json is readable");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("a vector file");
    doc.get("cases")
        .and_then(serde_json::Value::as_array)
        .cloned()
        .expect("a vector file has cases")
}

/// The input of the `gate.authenticate` case `id`.
///
/// # Panics
/// When there is no such case.
#[allow(
    clippy::expect_used,
    reason = "test support: a renamed case should stop the suite"
)]
pub fn gate_case(id: &str) -> serde_json::Value {
    gate_cases()
        .into_iter()
        .find(|c| c.get("id").and_then(serde_json::Value::as_str) == Some(id))
        .and_then(|c| c.get("input").cloned())
        .expect("the vector case exists")
}

/// `(origin, path-and-query)` of an absolute URI from a vector (`/` when it has no path).
pub fn split_uri(uri: &str) -> (String, String) {
    let after = uri.find("://").map_or(0, |i| i.saturating_add(3));
    let rest = uri.get(after..).unwrap_or_default();
    let at = rest
        .find(['/', '?'])
        .map_or(uri.len(), |i| after.saturating_add(i));
    let origin = uri.get(..at).unwrap_or(uri).to_owned();
    let path = uri
        .get(at..)
        .filter(|p| !p.is_empty())
        .unwrap_or("/")
        .to_owned();
    (origin, path)
}

/// The repository that contains the working directory (cargo runs tests in the package
/// directory), else the one this crate was built from.
pub fn repo_root() -> PathBuf {
    let is_root = |dir: &Path| dir.join("Cargo.lock").is_file() && dir.join("wit").is_dir();
    std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.ancestors().find(|d| is_root(d)).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."))
}

/// Compiles the component and instantiates it in a fresh store with an empty linker.
///
/// # Errors
/// When the file is missing (run `make component`), or compilation or instantiation fails.
pub fn instantiate() -> wasmtime::Result<(Store<()>, Auth)> {
    let path = component_path();
    if !path.exists() {
        wasmtime::bail!(
            "{} does not exist: run `make component` first",
            path.display()
        );
    }
    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let linker: Linker<()> = Linker::new(&engine);
    let mut store = Store::new(&engine, ());
    let auth = Auth::instantiate(&mut store, &component, &linker)?;
    Ok((store, auth))
}

/// The stable kebab-case code of a WIT `error-code` (its `Debug` name, mechanically converted:
/// `MalformedBase64` → `malformed-base64`).
pub fn code(code: exports::a2a::auth::types::ErrorCode) -> String {
    let debug = format!("{code:?}");
    let name = debug.rsplit("::").next().unwrap_or_default();
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
