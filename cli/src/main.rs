//! `a2a-auth`: the command line of the a2a-auth core — keys, a development identity server,
//! signing, verifying, inspecting and explaining, records, vectors, and the demo.
//!
//! Exit status: 0 success; 1 a negative answer (a token refused, records with findings,
//! vectors failing, the demo's scenario not behaving); 2 bad input or usage (one line on
//! stderr: what was wrong, where, what to do).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::Value;

mod common;
mod demo;
mod explain;
mod inspect;
mod issue;
mod sign;
mod vectors;
mod verify;

use common::{Fallible, algorithm, fresh_key, note, print_line};

/// Authentication and authorization for AI agents calling agents, tools and services.
///
/// Exit status: 0 success, 1 a negative answer (token refused, findings, failing vectors),
/// 2 bad input or usage.
#[derive(Parser)]
#[command(name = "a2a-auth", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a signing key pair; print the private JWK (keep it secret).
    ///
    /// The `kid` defaults to the RFC 7638 thumbprint. With --public-out the public JWK (what a
    /// verifier, a trust bundle or a WIT's cnf needs) is written to that file too.
    ///
    /// Example:
    ///   a2a-auth keygen --alg EdDSA --public-out agent.pub.jwk > agent.jwk
    Keygen {
        /// ES256, ES384 or EdDSA.
        #[arg(long, default_value = "ES256")]
        alg: String,
        /// The key id (default: the thumbprint).
        #[arg(long)]
        kid: Option<String>,
        /// Also write the public JWK to this file.
        #[arg(long)]
        public_out: Option<PathBuf>,
    },
    /// A development identity server, one command at a time: issue a WIT, print the bundle, renew.
    ///
    /// The trust domain signs with --key (a private JWK from `keygen`); without --key a key is
    /// drawn in memory for this run and the output carries its bundle. Three ways to issue:
    ///
    ///   attested:    --policy issuance.json --evidence <JWT> --holder-key agent.pub.jwk
    ///                (the evidence is checked against the policy's attesters and rules)
    ///   development: --trust-domain example.org --id spiffe://example.org/agent --holder-key agent.pub.jwk
    ///                (no evidence: for local development only)
    ///   renewal:     --trust-domain example.org --renew <WIT>   (same identity and key; due at half-life)
    ///
    /// Output: {"wit", "subject", "issued_at", "expires_at", "renew_after", "trust_domain", "bundle"}.
    /// Token arguments take the text itself, `-` for stdin or `@file`.
    ///
    /// Example:
    ///   a2a-auth keygen --public-out a.pub.jwk > a.jwk
    ///   a2a-auth issue --trust-domain example.org --id spiffe://example.org/agent-a --holder-key a.pub.jwk
    #[command(verbatim_doc_comment)]
    Issue(issue::IssueArgs),
    /// A loopback development identity server: publishes its bundle, issues WITs against
    /// attestation evidence, renews them.
    ///
    /// Listens on 127.0.0.1 only and prints `a2a-auth serve-issuer: <url> trust domain <td>` as
    /// its first line. Endpoints:
    ///   GET  /bundle   the SPIFFE trust bundle (put the URL in a policy's `bundle_endpoints`)
    ///   POST /wit      {"evidence": <JWT from an attester the policy names>, "key": <public JWK>}
    ///                  → 200 {"wit", "subject", "expires_at", "renew_after"}, 403 {"error"} when refused
    ///   POST /renew    with Workload-Identity-Token + Workload-Proof-Token (wpt-01, for <origin>/renew)
    ///                  → a new WIT for the same identity and key
    ///
    /// The issuance policy format is in `src/identity/issuer.rs` (attesters with keys, rules
    /// with selectors). For local development, make an attester key with `keygen` and sign
    /// evidence with `sign jwt`.
    ///
    /// Example:
    ///   a2a-auth serve-issuer --policy issuance.json --port 8181
    #[command(verbatim_doc_comment)]
    ServeIssuer(issue::ServeArgs),
    /// Sign: the headers an outgoing request needs, or a JWT from claims.
    #[command(subcommand)]
    Sign(SignCli),
    /// Decide about requests under a policy (one decision record each), or verify one token.
    ///
    /// Requests are JSON Lines, one object per line: {"method", "target_uri", "headers":
    /// [[name, value], ...], "body": <base64url>?, "mtls_peer"?, "now"?}. `target_uri` is the
    /// absolute URI the request was addressed to (your configured origin + request target).
    /// Security Event Tokens in --events (one per line) are applied first, in order. Records go
    /// to stdout as JSON Lines (schema: docs/decision-records.md); a summary goes to stderr.
    ///
    /// With --token, one token is checked on its own, by its `typ`: a WIT against the trust
    /// domains, an access token against the authorization servers and `resource`, a Txn-Token,
    /// or a SET against the event transmitters (exit 1 when refused). Proofs (WPT, DPoP, HTTP
    /// signatures) need the request.
    ///
    /// Key documents named by URL (jwks_uri, bundle_endpoints) are fetched first.
    ///
    /// Examples:
    ///   a2a-auth verify --policy policy.json --events sets.txt requests.jsonl > decisions.jsonl
    ///   a2a-auth verify --policy policy.json --token @wit.txt
    #[command(verbatim_doc_comment)]
    Verify(verify::VerifyArgs),
    /// Decode a token WITHOUT verifying it, or explain a denial.
    ///
    /// A token (WIT, WPT, DPoP proof, access token, Txn-Token, SET, JWT-SVID): its kind (from
    /// `typ`), header, claims and times relative to now. For looking at what a client sent;
    /// never a reason to trust it.
    ///
    /// --explain takes a decision record (or several, JSON Lines), a denial or problem body, or
    /// an error code, and says which check failed, which spec section, and what to change.
    ///
    /// Examples:
    ///   a2a-auth inspect eyJhbGciOi...            (or `-` for stdin, `@file`)
    ///   a2a-auth inspect --explain @decisions.jsonl
    ///   a2a-auth inspect --explain credential-revoked
    #[command(verbatim_doc_comment)]
    Inspect {
        /// The token, record or code: the text, `-` for stdin, or `@file`.
        input: String,
        /// Explain a denial instead of decoding a token.
        #[arg(long)]
        explain: bool,
        /// Unix seconds to describe times against (default: now).
        #[arg(long)]
        now: Option<u64>,
    },
    /// Replay decision records against a policy; report decisions it would not produce today.
    ///
    /// Prints the report (JSON) and exits with status 1 when it has findings or malformed
    /// lines, so it can gate a policy change in CI:
    ///   a2a-auth check-records --policy new-policy.json decisions.jsonl
    CheckRecords {
        /// The policy document (JSON).
        #[arg(long)]
        policy: PathBuf,
        /// The records (JSON Lines); `-` or absent for stdin.
        records: Option<PathBuf>,
    },
    /// Run a conformance vectors directory (VECTORS.md format) through the native core.
    ///
    /// Prints `vectors core: N passed, F failed, K known-divergence` and the token-free check;
    /// exit 1 when any case fails.
    ///
    /// Example:
    ///   a2a-auth vectors vectors/
    Vectors {
        /// The directory (default: ./vectors).
        #[arg(default_value = "vectors")]
        dir: PathBuf,
        /// Do not list the failures.
        #[arg(long)]
        quiet: bool,
    },
    /// The end-to-end scenario on 127.0.0.1 (what `make demo` runs).
    ///
    /// A user delegates to agent A; A gets a WIT from the dev identity server after attestation
    /// and calls agent B with a WPT and with an HTTP signature; B exchanges the token and calls
    /// a tool with DPoP and a Txn-Token; a CAEP event revokes the session and the same call is
    /// denied. Agent B runs in Python (the a2a_auth package on wasmtime) and the tool behind
    /// the wasi:http guard (`wasmtime serve`) when those are available; each hop says where it
    /// ran. Ends with every hop's decision records.
    Demo(demo::DemoArgs),
}

#[derive(Subcommand)]
enum SignCli {
    /// The headers for a described request: WIT + WPT / HTTP signature, access token + DPoP.
    ///
    /// The request file is {"method", "target_uri", "headers"?, "body"? (base64url)}. Prints
    /// `Name: value` lines (--format headers), the request with its headers added (--format
    /// json, ready for `a2a-auth verify`), or curl -H arguments (--format curl).
    ///
    /// Example:
    ///   a2a-auth sign request --request call.json --wit @a.wit --workload-key a.jwk \
    ///       --access-token @at.txt --dpop-key a.jwk
    #[command(verbatim_doc_comment)]
    Request(sign::RequestArgs),
    /// A JWS over JSON claims (attestation evidence, test tokens), with header `typ`.
    ///
    /// Example:
    ///   a2a-auth sign jwt --key attester.jwk --claims evidence.json --lifetime 300
    #[command(verbatim_doc_comment)]
    Jwt {
        /// The claims (a JSON object).
        #[arg(long)]
        claims: PathBuf,
        /// The private JWK to sign with.
        #[arg(long)]
        key: PathBuf,
        /// The header `typ` (e.g. at+jwt).
        #[arg(long)]
        typ: Option<String>,
        /// Set iat (if absent) and exp = now + this many seconds.
        #[arg(long)]
        lifetime: Option<u64>,
    },
}

fn keygen(alg: &str, kid: Option<&str>, public_out: Option<&PathBuf>) -> Fallible<ExitCode> {
    let pair = fresh_key(algorithm(alg)?)?;
    let pair = match kid {
        Some(k) => pair.with_kid(k),
        None => pair,
    };
    if let Some(path) = public_out {
        let public =
            serde_json::to_string_pretty(&common::public_jwk(&pair)).map_err(|e| e.to_string())?;
        std::fs::write(path, public + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    print_line(&pair.to_private_jwk_json())?;
    Ok(ExitCode::SUCCESS)
}

fn check_records(policy: &std::path::Path, records: Option<&PathBuf>) -> Fallible<ExitCode> {
    let policy_text = common::read_input(Some(policy))?;
    let records = common::read_input(records.map(PathBuf::as_path))?;
    let report = a2a_auth::ffi::check_records(&policy_text, &records)
        .map_err(|e| format!("{}: {} ({e})", policy.display(), e.code()))?;
    let v: Value = serde_json::from_str(&report).map_err(|e| e.to_string())?;
    common::print_json(&v)?;
    let empty = |name: &str| {
        v.get(name)
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
    };
    Ok(if empty("findings") && empty("malformed") {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run(cli: Cli) -> Fallible<ExitCode> {
    match cli.command {
        Command::Keygen {
            alg,
            kid,
            public_out,
        } => keygen(&alg, kid.as_deref(), public_out.as_ref()),
        Command::Issue(a) => issue::issue(&a),
        Command::ServeIssuer(a) => issue::serve(&a),
        Command::Sign(SignCli::Request(a)) => sign::request(&a),
        Command::Sign(SignCli::Jwt {
            claims,
            key,
            typ,
            lifetime,
        }) => sign::jwt(&claims, &key, typ.as_deref(), lifetime),
        Command::Verify(a) => verify::verify(&a),
        Command::Inspect {
            input,
            explain,
            now,
        } => {
            if explain {
                inspect::explain(&input)
            } else {
                inspect::inspect(&input, now)
            }
        }
        Command::CheckRecords { policy, records } => check_records(&policy, records.as_ref()),
        Command::Vectors { dir, quiet } => vectors::run(&dir, quiet),
        Command::Demo(args) => demo::run(&args),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(message) => {
            note(&format!("a2a-auth: {message}"));
            ExitCode::from(2)
        }
    }
}
