//! `a2a-auth issue` and `a2a-auth serve-issuer`: a development identity server for one trust
//! domain. It signs WITs with its key (a JWK file, or a key drawn in memory), publishes the
//! trust bundle, issues against attestation evidence under an issuance policy, and renews.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use a2a_auth::crypto::{Algorithm, Jwk, KeyPair};
use a2a_auth::gate::{IncomingRequest, VerifiedToken, Verifier, VerifierOptions};
use a2a_auth::identity::{
    IssuancePolicy, IssuedWit, Issuer, TrustStore, WitClaims, WitValidation, WorkloadId,
    issue_workload_identity_token, renewal_time, verify_workload_identity_token,
};
use a2a_auth::policy::Policy;
use a2a_auth::{Error, Limits, UnixTime};
use serde_json::{Value, json};

use crate::common::{
    Fallible, bundle_of, fresh_key, load_key, note, now, print_json, print_line, random, random_id,
    read_input, text_arg,
};

/// What `issue` was asked to do (its command-line arguments).
#[derive(clap::Args)]
pub struct IssueArgs {
    /// The trust domain's private JWK (default: a key drawn in memory for this run).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// The trust domain (`example.org`, `spiffe://example.org` or `wimse://example.org`).
    #[arg(long)]
    pub trust_domain: Option<String>,
    /// The issuance policy (JSON), for --evidence.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Attestation evidence (a JWT from an attester the policy names).
    #[arg(long)]
    pub evidence: Option<String>,
    /// Development: issue for this identity without evidence.
    #[arg(long)]
    pub id: Option<String>,
    /// The public JWK (with `alg`) to bind in cnf.
    #[arg(long)]
    pub holder_key: Option<PathBuf>,
    /// Renew this WIT (same subject and key).
    #[arg(long)]
    pub renew: Option<String>,
    /// Renew before half the lifetime has passed.
    #[arg(long)]
    pub force: bool,
    /// WIT lifetime in seconds, for --id and --renew (attested: the policy's).
    #[arg(long, default_value_t = 3600)]
    pub lifetime: u64,
    /// Print only the trust bundle of --key.
    #[arg(long)]
    pub bundle: bool,
    /// Unix seconds to issue at (default: now).
    #[arg(long)]
    pub now: Option<u64>,
}

fn origin_of(trust_domain: &str) -> String {
    if trust_domain.contains("://") {
        trust_domain.trim_end_matches('/').to_owned()
    } else {
        format!("spiffe://{trust_domain}")
    }
}

/// The bundle-map key of a trust domain origin: the bare name for SPIFFE, the origin for WIMSE.
fn bundle_key(origin: &str) -> String {
    origin
        .strip_prefix("spiffe://")
        .unwrap_or(origin)
        .to_owned()
}

fn issued_json(w: &IssuedWit) -> Value {
    json!({
        "wit": w.token,
        "subject": w.subject.as_str(),
        "issued_at": w.issued_at.as_secs(),
        "expires_at": w.expires_at.as_secs(),
        "renew_after": w.renew_after.as_secs(),
    })
}

fn coded(what: &str, e: &Error) -> String {
    format!("{what}: {} ({e})", e.code())
}

fn holder(path: &Path) -> Fallible<Jwk> {
    let text = read_input(Some(path))?;
    let private = serde_json::from_str::<Value>(&text).ok().is_some_and(|v| {
        ["d", "p", "q", "dp", "dq", "qi", "k"]
            .iter()
            .any(|m| v.get(m).is_some())
    });
    if private {
        return Err(format!(
            "{}: a private JWK; give the public one (`keygen --public-out`), the private key stays with the workload",
            path.display()
        ));
    }
    let jwk = Jwk::from_json(text.trim(), &Limits::DEFAULT)
        .map_err(|e| coded(&format!("{}: not a public JWK", path.display()), &e))?;
    if jwk.alg().is_none() {
        return Err(format!(
            "{}: the holder key needs `alg` (a WIT's cnf.jwk names the proof algorithm)",
            path.display()
        ));
    }
    Ok(jwk)
}

/// Issues directly for `id` without evidence (development only).
fn issue_direct(
    key: &KeyPair,
    id: &WorkloadId,
    holder: &Jwk,
    lifetime: u64,
    at: UnixTime,
) -> Fallible<IssuedWit> {
    let jti = random_id()?;
    let token = issue_workload_identity_token(
        key,
        &WitClaims {
            subject: id,
            confirmation_key: holder,
            issued_at: at,
            lifetime,
            jti: &jti,
            issuer: None,
        },
    )
    .map_err(|e| coded("issue", &e))?;
    let expires_at = at.saturating_add(lifetime);
    Ok(IssuedWit {
        token,
        subject: id.clone(),
        issued_at: at,
        expires_at,
        renew_after: renewal_time(at, expires_at).map_err(|e| coded("--lifetime", &e))?,
    })
}

/// Why a renewal was not done: the WIT is refused, or not due yet.
enum NoRenewal {
    Refused(String),
    Input(String),
}

/// Checks `wit` under `key`'s bundle and re-issues it (same `sub`, same `cnf`) once it is due.
fn renew(
    key: &KeyPair,
    origin: &str,
    wit: &str,
    lifetime: u64,
    force: bool,
    at: UnixTime,
) -> Result<IssuedWit, NoRenewal> {
    let map = json!({"trust_domains": { bundle_key(origin): bundle_of(key, 1, 300) }});
    let store = TrustStore::from_bundle_map(&map.to_string(), &Limits::DEFAULT)
        .map_err(|e| NoRenewal::Input(coded("trust domain", &e)))?;
    let w = verify_workload_identity_token(wit, &store, &WitValidation::default(), at).map_err(
        |e| {
            NoRenewal::Refused(coded(
                "--renew: the WIT does not verify under this issuer's key",
                &e,
            ))
        },
    )?;
    let secs = |name: &str| w.claims.get(name).and_then(Value::as_u64).unwrap_or(0);
    let due = renewal_time(UnixTime(secs("iat")), UnixTime(secs("exp")))
        .map_err(|e| NoRenewal::Refused(coded("--renew", &e)))?;
    if at < due && !force {
        return Err(NoRenewal::Refused(format!(
            "--renew: not due for {} s (renew at half the lifetime; --force renews anyway)",
            due.as_secs().saturating_sub(at.as_secs())
        )));
    }
    issue_direct(key, &w.subject, &w.confirmation_key, lifetime, at).map_err(NoRenewal::Input)
}

fn refused(message: &str) -> Fallible<ExitCode> {
    note(&format!("a2a-auth: {message}"));
    Ok(ExitCode::from(1))
}

/// `a2a-auth issue`.
pub fn issue(a: &IssueArgs) -> Fallible<ExitCode> {
    let at = UnixTime(a.now.unwrap_or_else(now));
    let policy = match &a.policy {
        Some(p) => Some(
            IssuancePolicy::from_json(&read_input(Some(p))?, &Limits::DEFAULT)
                .map_err(|e| coded(&format!("{}", p.display()), &e))?,
        ),
        None => None,
    };
    let origin = match (&policy, &a.trust_domain) {
        (Some(p), _) => p.trust_domain().to_owned(),
        (None, Some(td)) => origin_of(td),
        (None, None) => return Err("--trust-domain (or --policy) is required".into()),
    };
    let (key, drawn) = match &a.key {
        Some(path) => (load_key(path)?, false),
        None => (fresh_key(Algorithm::Es256)?, true),
    };
    let bundle = bundle_of(&key, 1, 300);
    if a.bundle {
        print_json(&bundle)?;
        return Ok(ExitCode::SUCCESS);
    }
    let issued = match (&a.renew, &a.evidence, &a.id) {
        (Some(wit), None, None) => {
            match renew(&key, &origin, &text_arg(wit)?, a.lifetime, a.force, at) {
                Ok(w) => w,
                Err(NoRenewal::Refused(m)) => return refused(&m),
                Err(NoRenewal::Input(m)) => return Err(m),
            }
        }
        (None, Some(evidence), None) => {
            let policy = policy
                .ok_or("--evidence needs --policy (the issuance policy naming the attesters)")?;
            let holder = holder(
                a.holder_key
                    .as_ref()
                    .ok_or("--evidence needs --holder-key (the public JWK to bind)")?,
            )?;
            let issuer = Issuer::new(key.clone(), policy).map_err(|e| coded("--key", &e))?;
            match issuer.issue(&text_arg(evidence)?, &holder, at, &random_id()?) {
                Ok(w) => w,
                Err(e) => return refused(&coded("attestation refused", &e)),
            }
        }
        (None, None, Some(id)) => {
            let id = WorkloadId::parse(id).map_err(|e| coded("--id", &e))?;
            if !id.as_str().starts_with(&format!("{origin}/")) {
                return Err(format!("--id must lie in the trust domain {origin}"));
            }
            let holder = holder(
                a.holder_key
                    .as_ref()
                    .ok_or("--id needs --holder-key (the public JWK to bind)")?,
            )?;
            note("a2a-auth issue: development issuance for --id, no attestation evidence checked");
            issue_direct(&key, &id, &holder, a.lifetime, at)?
        }
        _ => return Err("give one of --evidence (attested), --id (development) or --renew".into()),
    };
    let mut out = issued_json(&issued);
    if let Some(o) = out.as_object_mut() {
        o.insert("trust_domain".into(), Value::String(origin));
        o.insert("bundle".into(), bundle);
    }
    if drawn {
        note(
            "a2a-auth issue: signed with a key drawn in memory for this run; verify with the printed bundle",
        );
    }
    print_json(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// What `serve-issuer` was asked to do (its command-line arguments).
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The issuance policy (JSON).
    #[arg(long)]
    pub policy: PathBuf,
    /// The trust domain's private JWK (default: a key drawn in memory).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Stop after this many requests (default: serve until killed).
    #[arg(long)]
    pub max_requests: Option<u64>,
    /// The https origin clients address (WPTs for /renew name it; default
    /// https://127.0.0.1:<port>, as behind a TLS terminator).
    #[arg(long)]
    pub origin: Option<String>,
}

const MAX_BODY: u64 = 64 * 1024;

struct Reply {
    status: u16,
    body: Value,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply { status, body }
}

fn refusal(status: u16, e: &Error) -> Reply {
    reply(status, json!({"error": e.code(), "message": e.to_string()}))
}

struct IssuerServer {
    issuer: Issuer,
    key: KeyPair,
    origin: String,
    /// Checks renewal requests: the current WIT with a WPT for `POST /renew`.
    renewals: Verifier,
    lifetime: u64,
}

impl IssuerServer {
    fn handle(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: &[u8],
        base: &str,
    ) -> Reply {
        let at = UnixTime(now());
        match (method, url) {
            ("GET", "/bundle") => reply(200, bundle_of(&self.key, 1, 300)),
            ("POST", "/wit") => {
                let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(body) else {
                    return reply(
                        400,
                        json!({"error": "malformed-json", "message": "the body is {\"evidence\": <JWT>, \"key\": <public JWK>}"}),
                    );
                };
                let (Some(Value::String(evidence)), Some(Value::Object(key))) =
                    (o.get("evidence"), o.get("key"))
                else {
                    return reply(
                        400,
                        json!({"error": "invalid-argument", "message": "the body is {\"evidence\": <JWT>, \"key\": <public JWK>}"}),
                    );
                };
                let holder = match Jwk::from_object(key) {
                    Ok(k) if k.alg().is_some() => k,
                    Ok(_) => return refusal(400, &Error::InvalidArgument("key: alg")),
                    Err(e) => return refusal(400, &e),
                };
                let Ok(jti) = random_id() else {
                    return reply(
                        500,
                        json!({"error": "internal", "message": "no randomness"}),
                    );
                };
                match self.issuer.issue(evidence, &holder, at, &jti) {
                    Ok(w) => {
                        note(&format!(
                            "serve-issuer: issued a WIT for {} (key {})",
                            w.subject.as_str(),
                            holder.thumbprint()
                        ));
                        reply(200, issued_json(&w))
                    }
                    Err(e) => {
                        note(&format!("serve-issuer: refused evidence: {}", e.code()));
                        refusal(403, &e)
                    }
                }
            }
            ("POST", "/renew") => {
                let target = format!("{base}/renew");
                let request = IncomingRequest {
                    method,
                    target_uri: &target,
                    headers,
                    body: Some(body),
                    mtls_peer: None,
                };
                if let Err(d) = self.renewals.authenticate(&request, at) {
                    note(&format!(
                        "serve-issuer: refused a renewal: {}",
                        d.error.code()
                    ));
                    return refusal(401, &d.error);
                }
                let wit = headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("workload-identity-token"))
                    .map(|(_, v)| v.as_str())
                    .unwrap_or_default();
                let Ok(VerifiedToken::WorkloadIdentity(w)) = self.renewals.verify_token(wit, at)
                else {
                    return refusal(401, &Error::CredentialMissing("workload identity token"));
                };
                match issue_direct(
                    &self.key,
                    &w.subject,
                    &w.confirmation_key,
                    self.lifetime,
                    at,
                ) {
                    Ok(n) => {
                        note(&format!(
                            "serve-issuer: renewed the WIT of {}",
                            n.subject.as_str()
                        ));
                        reply(200, issued_json(&n))
                    }
                    Err(message) => reply(500, json!({"error": "internal", "message": message})),
                }
            }
            (_, "/bundle" | "/wit" | "/renew") => {
                reply(405, json!({"error": "method-not-allowed"}))
            }
            _ => reply(
                404,
                json!({"error": "not-found", "message": "GET /bundle, POST /wit, POST /renew"}),
            ),
        }
    }
}

/// `a2a-auth serve-issuer`: serves until killed (or `--max-requests`).
pub fn serve(a: &ServeArgs) -> Fallible<ExitCode> {
    let text = read_input(Some(&a.policy))?;
    let policy = IssuancePolicy::from_json(&text, &Limits::DEFAULT)
        .map_err(|e| coded(&format!("{}", a.policy.display()), &e))?;
    let lifetime = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("wit_lifetime").and_then(Value::as_u64))
        .unwrap_or(a2a_auth::identity::DEFAULT_WIT_LIFETIME);
    let origin = policy.trust_domain().to_owned();
    let key = match &a.key {
        Some(p) => load_key(p)?,
        None => fresh_key(Algorithm::Es256)?,
    };
    let server = tiny_http::Server::http(("127.0.0.1", a.port))
        .map_err(|e| format!("127.0.0.1:{}: {e}", a.port))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|s| s.port())
        .ok_or("no local address")?;
    let base = format!("http://127.0.0.1:{port}");
    // The origin clients address (behind TLS in production): WPTs for /renew name it.
    let public = a
        .origin
        .clone()
        .unwrap_or_else(|| format!("https://127.0.0.1:{port}"));
    let renew_policy = json!({
        "resource": public, "authorities": [public],
        "trust_domains": { bundle_key(&origin): bundle_of(&key, 1, 300) },
        "credentials": {"wpt": {"wire": "wpt-01"}},
        "routes": [{"path": "/renew", "methods": ["POST"]}],
    });
    let renewals = Verifier::new(
        Policy::from_json(&renew_policy.to_string(), &Limits::DEFAULT)
            .map_err(|e| coded("renewal policy", &e))?,
        &random::<32>()?,
        VerifierOptions::default(),
    )
    .map_err(|e| coded("renewal verifier", &e))?;
    let issuer = Issuer::new(key.clone(), policy).map_err(|e| coded("--key", &e))?;
    let mut state = IssuerServer {
        issuer,
        key,
        origin: origin.clone(),
        renewals,
        lifetime,
    };
    print_line(&format!(
        "a2a-auth serve-issuer: {base} trust domain {} origin {public}",
        state.origin
    ))?;
    note(
        "serve-issuer: GET /bundle, POST /wit {evidence, key}, POST /renew (WIT + WPT); 127.0.0.1 only",
    );
    let mut served = 0u64;
    for mut request in server.incoming_requests() {
        let r = crate::common::receive(&mut request, MAX_BODY);
        let answer = match &r.body {
            None => reply(
                413,
                json!({"error": "limit-exceeded", "message": "body over 64 KiB"}),
            ),
            Some(body) => state.handle(&r.method, &r.path, &r.headers, body, &public),
        };
        crate::common::respond_json(request, answer.status, &answer.body);
        served = served.saturating_add(1);
        if a.max_requests.is_some_and(|m| served >= m) {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}
