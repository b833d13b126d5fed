//! Runs every conformance vector file through the native core.
//!
//! The directory is `vectors/` of this repository, or `A2A_AUTH_VECTORS` when set (so users can
//! run their own conformance sets). Every `*.json` file is a vector file except those under
//! `keys/fixed/`, `wycheproof/` and `exceptions/`. Known divergences for this host live in
//! `<dir>/exceptions/core.json` (`{"case id": "reason"}`); a listed case that passes is an
//! unexpected success and fails the run, as does any unknown op.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![allow(
    clippy::print_stdout,
    clippy::arithmetic_side_effects,
    clippy::string_slice
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use a2a_auth::crypto::{Algorithm, AlgorithmSet, Jwk, JwkSet, KeyPair};
use a2a_auth::encoding::base64url;
use a2a_auth::jose::{JwtValidation, parse_jws, sign_jws, verify_jwt};
use a2a_auth::{Error, Leeway, Limits, UnixTime};
use serde_json::{Value, json};

const HOST: &str = "core";
const L: Limits = Limits::DEFAULT;

fn vectors_dir() -> PathBuf {
    match std::env::var_os("A2A_AUTH_VECTORS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors"),
    }
}

fn vector_files(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "keys/fixed" || rel == "wycheproof" || rel == "exceptions" {
            continue;
        }
        if path.is_dir() {
            vector_files(&path, root, out);
        } else if rel.ends_with(".json") {
            out.push(path);
        }
    }
}

fn str_field<'a>(input: &'a Value, name: &str) -> &'a str {
    input[name]
        .as_str()
        .unwrap_or_else(|| panic!("vector input lacks string `{name}`"))
}

fn algorithms(input: &Value) -> Result<AlgorithmSet, Error> {
    AlgorithmSet::from_jws_names(
        input["algorithms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap()),
    )
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn run(op: &str, input: &Value) -> Result<Value, Error> {
    match op {
        "keys.thumbprint" => {
            let jwk = Jwk::from_json(&input["jwk"].to_string(), &L)?;
            Ok(json!({
                "canonical": jwk.thumbprint_input(),
                "thumbprint": jwk.thumbprint(),
                "thumbprint_uri": jwk.thumbprint_uri().0,
            }))
        }
        "keys.from-seed" => {
            let alg = Algorithm::from_jws_name(str_field(input, "alg"))
                .ok_or(Error::AlgorithmNotAllowed)?;
            let pair = KeyPair::from_seed(alg, &hex(str_field(input, "seed")))?;
            Ok(json!({ "public_jwk": pair.public_jwk().to_object() }))
        }
        "jose.sign-jws" => {
            let pair = KeyPair::from_jwk(&input["key"].to_string(), None, &L)?;
            let payload = base64url::decode(str_field(input, "payload")).unwrap();
            let token = sign_jws(input["header"].as_object().unwrap(), &payload, &pair)?;
            Ok(json!({ "token": token }))
        }
        "jose.verify-jws" => {
            let keys = JwkSet::from_json(&input["keys"].to_string(), &L)?;
            let verified =
                parse_jws(str_field(input, "token"), &L)?.verify(&keys, algorithms(input)?, &L)?;
            Ok(json!({
                "alg": verified.alg().jws_name(),
                "header": verified.header().raw(),
                "payload": base64url::encode(verified.payload()),
                "key_thumbprint": verified.key().thumbprint(),
            }))
        }
        "jose.verify-jwt" => {
            let keys = JwkSet::from_json(&input["keys"].to_string(), &L)?;
            let mut rules = JwtValidation::new(algorithms(input)?, input["typ"].as_str());
            rules.issuer = input["issuer"].as_str().map(str::to_owned);
            rules.audience = input["audience"].as_str().map(str::to_owned);
            rules.subject = input["subject"].as_str().map(str::to_owned);
            if let Some(req) = input["required"].as_array() {
                rules = rules.with_required(req.iter().map(|r| r.as_str().unwrap()));
            }
            if let Some(leeway) = input["leeway"].as_u64() {
                rules.leeway = Leeway(leeway);
            }
            rules.max_age = input["max_age"].as_u64();
            let now = UnixTime(input["now"].as_u64().expect("verify-jwt input needs now"));
            let jwt = verify_jwt(str_field(input, "token"), &keys, &rules, now)?;
            Ok(json!({
                "header": jwt.header.raw(),
                "claims": jwt.claims,
                "key_thumbprint": jwt.key.thumbprint(),
            }))
        }
        other => panic!("unknown op `{other}`: this runner must learn it"),
    }
}

#[test]
fn conformance_vectors() {
    let dir = vectors_dir();
    let exceptions: BTreeMap<String, String> =
        std::fs::read_to_string(dir.join("exceptions").join(format!("{HOST}.json")))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or_default();
    let mut files = Vec::new();
    vector_files(&dir, &dir, &mut files);
    assert!(!files.is_empty(), "no vector files under {}", dir.display());
    let (mut passed, mut divergent, mut failures) = (0usize, 0usize, Vec::new());
    let mut seen = std::collections::BTreeSet::new();
    for file in &files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
        let op = doc["op"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no `op`", file.display()));
        for case in doc["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no `cases`", file.display()))
        {
            let id = case["id"].as_str().unwrap();
            assert!(seen.insert(id.to_owned()), "duplicate case id {id}");
            assert!(
                case["title"].as_str().is_some_and(|t| !t.is_empty()),
                "{id}: no title"
            );
            let got = match run(op, &case["input"]) {
                Ok(v) => json!({ "ok": v }),
                Err(e) => json!({ "error": e.code() }),
            };
            let matches = got == case["expect"];
            match (matches, exceptions.get(id)) {
                (true, None) => passed += 1,
                (false, Some(_)) => divergent += 1,
                (true, Some(reason)) => failures.push(format!(
                    "{id}: unexpected success (listed as divergent: {reason})"
                )),
                (false, None) => {
                    failures.push(format!("{id}: expected {} got {got}", case["expect"]))
                }
            }
        }
    }
    println!(
        "vectors {HOST}: {passed} passed, {} failed, {divergent} known-divergence",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "vector failures:\n{}",
        failures.join("\n")
    );
}
