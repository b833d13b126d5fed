//! The command end to end on a vector's requests: allowed, a CAEP event applied, the same
//! request denied with the event in its record (JSON Lines); then the compliance check.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn vector(id: &str) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/gate/authenticate.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(dir).unwrap()).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no vector {id}"))["input"]
        .clone()
}

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_a2a-auth"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("a2a-auth-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn verify_writes_records_and_check_records_gates_a_policy_change() {
    let input = vector("authenticate/event-session-revoked");
    let dir = scratch("verify");
    std::fs::write(dir.join("policy.json"), input["policy"].as_str().unwrap()).unwrap();
    let sets: Vec<&str> = input["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    std::fs::write(dir.join("sets.txt"), sets.join("\n")).unwrap();
    let mut first = input["before"][0].clone();
    first["now"] = input["now"].clone();
    let mut second = input["request"].clone();
    second["now"] = input["now"].clone();
    // The first request is decided before the event, the second after it: two runs.
    std::fs::write(dir.join("before.jsonl"), format!("{first}\n")).unwrap();
    std::fs::write(dir.join("after.jsonl"), format!("{first}\n{second}\n")).unwrap();

    let out = run(&["verify", "--policy", "policy.json", "before.jsonl"], &dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let allowed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(allowed["decision"], "allow");
    assert_eq!(allowed["v"], 1);

    let out = run(
        &[
            "verify",
            "--policy",
            "policy.json",
            "--events",
            "sets.txt",
            "after.jsonl",
        ],
        &dir,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("applied") && stderr.contains("2 requests: 0 allowed, 2 denied"),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "one record per line");
    for r in &records {
        assert_eq!(r["error"], "credential-revoked");
        assert_eq!(
            r["event"],
            json!({"type": "session-revoked", "jti": "evt-session", "iss": "https://ssf.example.com"})
        );
    }
    // Token-free: no segment of any token in the output.
    let requests = std::fs::read_to_string(dir.join("after.jsonl")).unwrap() + &sets.join("\n");
    for word in
        requests.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
    {
        if word.starts_with("eyJ") {
            for part in word.split('.').filter(|p| p.len() >= 16) {
                assert!(!stdout.contains(part) && !stderr.contains(part));
            }
        }
    }

    // The records agree with the policy they were made under...
    std::fs::write(
        dir.join("decisions.jsonl"),
        format!("{}\n{stdout}", serde_json::to_string(&allowed).unwrap()),
    )
    .unwrap();
    let out = run(
        &[
            "check-records",
            "--policy",
            "policy.json",
            "decisions.jsonl",
        ],
        &dir,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // ...and a policy that no longer routes /mcp/tools would not have allowed the first one.
    let mut stricter: Value = serde_json::from_str(input["policy"].as_str().unwrap()).unwrap();
    stricter["routes"] = json!([{"path": "/mcp/session"}]);
    std::fs::write(dir.join("stricter.json"), stricter.to_string()).unwrap();
    let out = run(
        &[
            "check-records",
            "--policy",
            "stricter.json",
            "decisions.jsonl",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["line"], 1);
    assert_eq!(report["findings"][0]["error"], "no-matching-route");

    // Usage errors exit with 2 and say why.
    let out = run(&["verify", "--policy", "missing.json"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn keygen_makes_usable_keys_and_inspect_decodes_without_trusting() {
    let dir = scratch("keys");
    for alg in ["ES256", "ES384", "EdDSA"] {
        let out = run(&["keygen", "--alg", alg, "--public-out", "pub.jwk"], &dir);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let private = String::from_utf8(out.stdout).unwrap();
        let pair =
            a2a_auth::crypto::KeyPair::from_jwk(private.trim(), None, &a2a_auth::Limits::DEFAULT)
                .expect("the private JWK loads");
        let public: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("pub.jwk")).unwrap()).unwrap();
        assert!(
            public.get("d").is_none(),
            "the public file has no private member"
        );
        assert_eq!(
            public["kid"],
            json!(pair.public_jwk().thumbprint()),
            "kid defaults to the thumbprint"
        );
    }
    let out = run(&["keygen", "--alg", "RS256"], &dir);
    assert_eq!(out.status.code(), Some(2));

    let input = vector("authenticate/dpop");
    let headers = input["request"]["headers"].as_array().unwrap();
    let token = headers.iter().find(|h| h[0] == "Authorization").unwrap()[1]
        .as_str()
        .unwrap()
        .trim_start_matches("DPoP ")
        .to_owned();
    let now = input["now"].as_u64().unwrap().to_string();
    let out = run(&["inspect", &token, "--now", &now], &dir);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "access token (RFC 9068)");
    assert_eq!(v["verified"], false);
    assert_eq!(v["claims"]["sub"], "user-123");
    assert_eq!(v["times"]["exp"], "in 600 s");
    let out = run(&["inspect", "not.a.token"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a token we can decode"));
    std::fs::remove_dir_all(&dir).unwrap();
}
