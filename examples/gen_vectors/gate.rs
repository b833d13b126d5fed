//! Vectors for `gate.authenticate` (whole requests against a policy document) and `gate.sign`.
//!
//! Requests are built with the library's own Signer and proof creators from fixed keys and
//! entropy; each negative case changes one thing. The output of `gate.authenticate` is the
//! decision: `{"allow": true, ...principal}` or `{"allow": false, "status", "www_authenticate",
//! "dpop_nonce", "code"}`; `{"error": code}` only when the verifier cannot be built.

use a2a_auth::UnixTime;
use a2a_auth::gate::{OutgoingRequest, Signer, TokenType, WorkloadProof};
use a2a_auth::httpsig::WimseVersion;
use a2a_auth::proof::{DpopNonces, DpopParams, WptParams, WptWire, create_dpop_proof, create_wpt};

use super::*;

const ORIGIN: &str = "https://tools.example.com";
const META: &str = "https://tools.example.com/.well-known/oauth-protected-resource/mcp";
const AGENT: &str = "spiffe://example.org/ns/prod/sa/api";
const USER: &str = "user-123";
const CLIENT: &str = "agent-client";

type Headers = Vec<(String, String)>;

struct World {
    as_key: KeyPair,
    wit_key: KeyPair,
    agent_key: KeyPair,
    dpop_key: KeyPair,
    other_dpop_key: KeyPair,
    secret: Vec<u8>,
}

fn world(k: &Keys) -> World {
    World {
        as_key: k.es384.clone(),
        wit_key: k.es256.clone(),
        agent_key: k.ed25519.clone(),
        dpop_key: KeyPair::from_seed(Algorithm::Es256, &seed("dpop-1", 32)).unwrap(),
        other_dpop_key: KeyPair::from_seed(Algorithm::Es256, &seed("dpop-2", 32)).unwrap(),
        secret: seed("gate-secret", 32),
    }
}

fn policy(w: &World, k: &Keys, credentials: Value, routes: Value) -> String {
    to_compact(&json!({
        "resource": AUD,
        "authorities": [ORIGIN],
        "trust_domains": {
            "example.org": {"keys": [bundle_entry(&w.wit_key, "wit-svid")]},
            "other.org": {"keys": [bundle_entry(&k.es256_other, "wit-svid")]},
        },
        "authorization_servers": [{"issuer": ISS, "jwks": jwks(&[&w.as_key]), "algorithms": ["ES384"]}],
        "credentials": credentials,
        "routes": routes,
    }))
}

fn main_policy(w: &World, k: &Keys) -> String {
    policy(
        w,
        k,
        json!({"wpt": {"wire": "wpt-01"}, "http_signature": {"version": "draft-07"}, "mtls": true,
               "dpop": {"algorithms": ["ES256", "EdDSA"]}, "bearer": true}),
        json!([
            {"path": "/mcp/admin", "prefix": true, "agents": ["spiffe://example.org/ns/prod/sa/admin"]},
            {"path": "/mcp/tools", "prefix": true, "methods": ["POST"], "scopes": ["tools:call"]},
            {"path": "/mcp/stepup", "acr_values": ["urn:example:mfa"], "max_auth_age": 300},
            {"path": "/mcp/pay", "authorization_details_types": ["payment_initiation"]},
            {"path": "/mcp/delegated", "actors": ["spiffe://example.org/ns/prod/sa/planner"], "max_delegation_depth": 2},
            {"path": "/mcp/direct", "max_delegation_depth": 0},
            {"path": "/mcp", "prefix": true, "agents": ["spiffe://example.org/ns/prod/*"]},
        ]),
    )
}

fn wit(w: &World, sub: &str, patch: Value, key: &KeyPair) -> String {
    let claims = patched(
        &json!({"sub": sub, "iat": NOW - 60, "exp": NOW + 3600, "jti": format!("wit-{sub}"),
                "cnf": {"jwk": cnf_jwk(&w.agent_key)}}),
        patch,
    );
    sign(json!({"typ": "wit+jwt"}), &claims, key)
}

fn access_token(w: &World, patch: Value) -> String {
    let claims = patched(
        &json!({"iss": ISS, "sub": USER, "aud": AUD, "client_id": CLIENT, "iat": NOW - 60,
                "exp": NOW + 600, "jti": "at-1", "scope": "tools:call openid",
                "cnf": {"jkt": thumb(&w.dpop_key)}}),
        patch,
    );
    sign(json!({"typ": "at+jwt"}), &claims, &w.as_key)
}

fn hash(s: &str) -> String {
    b64::encode(&sha256(s.as_bytes()))
}

fn req(
    method: &str,
    uri: &str,
    headers: &Headers,
    body: Option<&[u8]>,
    mtls: Option<&str>,
) -> Value {
    json!({
        "method": method,
        "target_uri": uri,
        "headers": headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "body": body.map(b64::encode),
        "mtls_peer": mtls,
    })
}

fn signed(
    signer: &Signer,
    method: &str,
    uri: &str,
    base: &Headers,
    body: Option<&[u8]>,
    label: &str,
) -> Headers {
    let mut h = base.clone();
    h.extend(
        signer
            .sign(
                &OutgoingRequest {
                    method,
                    target_uri: uri,
                    headers: base,
                    body,
                },
                UnixTime(NOW),
                &seed(label, 16),
            )
            .unwrap(),
    );
    h
}

fn set(h: &Headers, name: &str, value: &str) -> Headers {
    h.iter()
        .map(|(n, v)| {
            if n.eq_ignore_ascii_case(name) {
                (n.clone(), value.to_owned())
            } else {
                (n.clone(), v.clone())
            }
        })
        .collect()
}

fn without(h: &Headers, name: &str) -> Headers {
    h.iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
        .cloned()
        .collect()
}

fn get(h: &Headers, name: &str) -> String {
    h.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .unwrap()
        .1
        .clone()
}

fn input(policy: &str, secret: &[u8], request: Value) -> Value {
    json!({"policy": policy, "secret": b64::encode(secret), "now": NOW, "request": request})
}

#[allow(clippy::too_many_arguments)]
fn allow(
    agent: Option<&str>,
    method: &str,
    credentials: &[&str],
    token: Option<(&str, &[&str])>,
    act: Option<Value>,
    authorization_details: Value,
    hashes: &[(&str, &str)],
    expires_at: Option<u64>,
    route: &str,
) -> Value {
    json!({
        "allow": true,
        "agent": agent,
        "trust_domain": agent.map(|a| a.trim_start_matches("spiffe://").split('/').next().unwrap()),
        "method": method,
        "credentials": credentials,
        "client_id": token.map(|_| CLIENT),
        "subject": token.map(|_| USER),
        "issuer": token.map(|_| ISS),
        "actors": actors_of(act.as_ref()),
        "transaction": null,
        "act": act,
        "scopes": token.map(|t| t.1.to_vec()).unwrap_or_default(),
        "authorization_details": authorization_details,
        "token_hashes": hashes.iter().map(|(k, h)| json!([k, h])).collect::<Vec<_>>(),
        "expires_at": expires_at,
        "route": route,
    })
}

/// The chain the generator put in `act`, current actor first.
fn actors_of(act: Option<&Value>) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cur = act;
    while let Some(a) = cur {
        out.push(
            json!({"subject": a["sub"], "issuer": a.get("iss").cloned().unwrap_or(Value::Null)}),
        );
        cur = a.get("act");
    }
    out
}

fn deny(status: u16, www: &[&str], nonce: Option<&str>, code: &str) -> Value {
    json!({"allow": false, "status": status, "www_authenticate": www, "dpop_nonce": nonce, "code": code, "event": null})
}

#[allow(clippy::too_many_lines)]
pub fn authenticate_cases(k: &Keys) -> Vec<Case> {
    let w = world(k);
    let p = main_policy(&w, k);
    let s = &w.secret;
    let mut cases = Vec::new();
    let mut yes = |id: &str, title: &str, i: Value, out: Value| {
        cases.push(ok(&format!("authenticate/{id}"), title, i, out));
    };
    let agent_wit = wit(&w, AGENT, json!({}), &w.wit_key);
    let wpt_signer = Signer::new()
        .with_workload(
            agent_wit.clone(),
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    let sig_signer = Signer::new()
        .with_workload(
            agent_wit.clone(),
            w.agent_key.clone(),
            WorkloadProof::HttpSignature(WimseVersion::Draft07),
        )
        .unwrap();
    let at = access_token(&w, json!({}));
    let dpop_signer = Signer::new()
        .with_access_token(at.clone(), TokenType::Dpop, Some(w.dpop_key.clone()))
        .unwrap();
    let unbound_at = access_token(&w, json!({"cnf": null, "jti": "at-unbound"}));
    let bearer_signer = Signer::new()
        .with_access_token(unbound_at.clone(), TokenType::Bearer, None)
        .unwrap();
    let mcp = format!("{ORIGIN}/mcp/session");
    let tools = format!("{ORIGIN}/mcp/tools/call");
    let none: Headers = Vec::new();
    let json_body: &[u8] = br#"{"jsonrpc":"2.0","method":"tools/list","id":1}"#;
    let ct: Headers = vec![("Content-Type".into(), "application/json".into())];
    let wit_h = hash(&agent_wit);
    let exp_wit = NOW + 3600;
    let exp_at = NOW + 600;

    // ---- allowed ----
    let h = signed(&wpt_signer, "GET", &mcp, &none, None, "wpt-1");
    yes(
        "wpt-01",
        "generated: WIT + WPT (wpt-01) for an allowed agent on a prefix route",
        input(&p, s, req("GET", &mcp, &h, None, None)),
        allow(
            Some(AGENT),
            "wpt",
            &["wpt"],
            None,
            None,
            json!([]),
            &[("wit", &wit_h)],
            Some(exp_wit),
            "/mcp",
        ),
    );
    let h2 = signed(&wpt_signer, "GET", &mcp, &none, None, "wpt-2");
    let mut i = input(&p, s, req("GET", &mcp, &h2, None, None));
    i["before"] = json!([req("GET", &mcp, &h, None, None)]);
    yes(
        "wpt-warm",
        "generated: a second WPT with the same WIT (verified-credential cache hit) is judged the same",
        i,
        allow(
            Some(AGENT),
            "wpt",
            &["wpt"],
            None,
            None,
            json!([]),
            &[("wit", &wit_h)],
            Some(exp_wit),
            "/mcp",
        ),
    );
    let h = signed(&sig_signer, "POST", &mcp, &ct, Some(json_body), "sig-1");
    yes(
        "http-signature",
        "generated: WIMSE HTTP signature (draft-07) with Content-Digest over the body",
        input(&p, s, req("POST", &mcp, &h, Some(json_body), None)),
        allow(
            Some(AGENT),
            "http-signature",
            &["http-signature"],
            None,
            None,
            json!([]),
            &[("wit", &wit_h)],
            Some(exp_wit),
            "/mcp",
        ),
    );
    yes(
        "mtls",
        "generated: the mTLS peer identity the host verified, in a trusted trust domain",
        input(&p, s, req("GET", &mcp, &none, None, Some(AGENT))),
        allow(
            Some(AGENT),
            "mtls",
            &["mtls"],
            None,
            None,
            json!([]),
            &[],
            None,
            "/mcp",
        ),
    );
    let h = signed(&dpop_signer, "POST", &tools, &ct, None, "dpop-1");
    yes(
        "dpop",
        "RFC 9449 §7 + RFC 9068: a DPoP-bound access token with a proof, scope required by the route",
        input(&p, s, req("POST", &tools, &h, None, None)),
        allow(
            None,
            "dpop",
            &["dpop"],
            Some((USER, &["tools:call", "openid"])),
            None,
            json!([]),
            &[("access_token", &hash(&at))],
            Some(exp_at),
            "/mcp/tools",
        ),
    );
    let h = signed(&bearer_signer, "POST", &tools, &none, None, "bearer-1");
    yes(
        "bearer",
        "RFC 6750 §2.1: a Bearer access token where the policy accepts Bearer",
        input(&p, s, req("POST", &tools, &h, None, None)),
        allow(
            None,
            "bearer",
            &["bearer"],
            Some((USER, &["tools:call", "openid"])),
            None,
            json!([]),
            &[("access_token", &hash(&unbound_at))],
            Some(exp_at),
            "/mcp/tools",
        ),
    );
    let both = Signer::new()
        .with_access_token(at.clone(), TokenType::Dpop, Some(w.dpop_key.clone()))
        .unwrap()
        .with_workload(
            agent_wit.clone(),
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    let h = signed(&both, "POST", &tools, &none, None, "both-1");
    yes(
        "wpt-and-dpop",
        "framework §5: the agent (WIT + WPT with ath) acting for a user (DPoP-bound token); both in the Principal",
        input(&p, s, req("POST", &tools, &h, None, None)),
        allow(
            Some(AGENT),
            "wpt",
            &["wpt", "dpop"],
            Some((USER, &["tools:call", "openid"])),
            None,
            json!([]),
            &[("wit", &wit_h), ("access_token", &hash(&at))],
            Some(exp_at),
            "/mcp/tools",
        ),
    );
    let sig_bearer = Signer::new()
        .with_access_token(unbound_at.clone(), TokenType::Bearer, None)
        .unwrap()
        .with_workload(
            agent_wit.clone(),
            w.agent_key.clone(),
            WorkloadProof::HttpSignature(WimseVersion::Draft07),
        )
        .unwrap();
    let h = signed(&sig_bearer, "POST", &tools, &ct, Some(json_body), "sigb-1");
    yes(
        "http-signature-and-bearer",
        "generated: HTTP signature covering Authorization, with a Bearer token",
        input(&p, s, req("POST", &tools, &h, Some(json_body), None)),
        allow(
            Some(AGENT),
            "http-signature",
            &["http-signature", "bearer"],
            Some((USER, &["tools:call", "openid"])),
            None,
            json!([]),
            &[("wit", &wit_h), ("access_token", &hash(&unbound_at))],
            Some(exp_at),
            "/mcp/tools",
        ),
    );
    let step_at = access_token(
        &w,
        json!({"acr": "urn:example:mfa", "auth_time": NOW - 100, "jti": "at-step"}),
    );
    let step = Signer::new()
        .with_access_token(step_at.clone(), TokenType::Dpop, Some(w.dpop_key.clone()))
        .unwrap();
    let stepup = format!("{ORIGIN}/mcp/stepup");
    let h = signed(&step, "GET", &stepup, &none, None, "step-1");
    yes(
        "step-up-met",
        "RFC 9470: acr and auth_time satisfy the route",
        input(&p, s, req("GET", &stepup, &h, None, None)),
        allow(
            None,
            "dpop",
            &["dpop"],
            Some((USER, &["tools:call", "openid"])),
            None,
            json!([]),
            &[("access_token", &hash(&step_at))],
            Some(exp_at),
            "/mcp/stepup",
        ),
    );
    let details = json!([{"type": "payment_initiation", "instructedAmount": {"currency": "EUR", "amount": "12.00"}}]);
    let pay_at = access_token(
        &w,
        json!({"authorization_details": details, "jti": "at-pay", "act": {"sub": "spiffe://example.org/ns/prod/sa/planner"}}),
    );
    let pay = Signer::new()
        .with_access_token(pay_at.clone(), TokenType::Dpop, Some(w.dpop_key.clone()))
        .unwrap();
    let pay_uri = format!("{ORIGIN}/mcp/pay");
    let h = signed(&pay, "POST", &pay_uri, &none, None, "pay-1");
    yes(
        "authorization-details",
        "RFC 9396: the route's authorization_details type is granted; the act claim is carried (RFC 8693 §4.1)",
        input(&p, s, req("POST", &pay_uri, &h, None, None)),
        allow(
            None,
            "dpop",
            &["dpop"],
            Some((USER, &["tools:call", "openid"])),
            Some(json!({"sub": "spiffe://example.org/ns/prod/sa/planner"})),
            details.clone(),
            &[("access_token", &hash(&pay_at))],
            Some(exp_at),
            "/mcp/pay",
        ),
    );

    let p02 = policy(
        &w,
        k,
        json!({"wpt": {"wire": "wpt-02"}}),
        json!([{"path": "/", "prefix": true}]),
    );
    let s02 = Signer::new()
        .with_workload(
            agent_wit.clone(),
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Authorization),
        )
        .unwrap();
    let h = signed(&s02, "GET", &mcp, &none, None, "wpt02-1");
    yes(
        "wpt-02",
        "wpt-02: Authorization: WPT under a policy that chose wpt-02",
        input(&p02, s, req("GET", &mcp, &h, None, None)),
        allow(
            Some(AGENT),
            "wpt",
            &["wpt"],
            None,
            None,
            json!([]),
            &[("wit", &wit_h)],
            Some(exp_wit),
            "/",
        ),
    );

    let pn = policy(
        &w,
        k,
        json!({"dpop": {"nonce": true}}),
        json!([{"path": "/mcp", "prefix": true}]),
    );
    let nonce = DpopNonces::new(s, 60)
        .unwrap()
        .issue(UnixTime(NOW))
        .unwrap();
    let mut with_nonce = dpop_signer.clone();
    let challenge: Headers = vec![
        (
            "WWW-Authenticate".into(),
            "DPoP error=\"use_dpop_nonce\"".into(),
        ),
        ("DPoP-Nonce".into(), nonce.clone()),
    ];
    assert!(with_nonce.observe_response(&mcp, 401, &challenge));
    let h = signed(&with_nonce, "GET", &mcp, &none, None, "nonce-1");
    yes(
        "dpop-nonce",
        "RFC 9449 §9: the proof carries the server nonce (stateless, keyed by the verifier secret)",
        input(&pn, s, req("GET", &mcp, &h, None, None)),
        allow(
            None,
            "dpop",
            &["dpop"],
            Some((USER, &["tools:call", "openid"])),
            None,
            json!([]),
            &[("access_token", &hash(&at))],
            Some(exp_at),
            "/mcp",
        ),
    );

    // ---- denied ----
    let mut no = |id: &str, title: &str, i: Value, out: Value| {
        cases.push(ok(&format!("authenticate/{id}"), title, i, out));
    };
    let challenges = [
        format!("Bearer resource_metadata=\"{META}\""),
        format!("DPoP resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""),
    ];
    let all: Vec<&str> = challenges.iter().map(String::as_str).collect();
    let h = signed(&wpt_signer, "GET", &mcp, &none, None, "wpt-1");
    no(
        "misdirected",
        "generated: the target URI names an origin outside the policy's authorities",
        input(
            &p,
            s,
            req(
                "GET",
                "https://evil.example.com/mcp/session",
                &h,
                None,
                None,
            ),
        ),
        deny(421, &[], None, "misdirected-request"),
    );
    no(
        "misdirected-scheme",
        "generated: http:// is not the configured https origin",
        input(
            &p,
            s,
            req(
                "GET",
                "http://tools.example.com/mcp/session",
                &h,
                None,
                None,
            ),
        ),
        deny(421, &[], None, "misdirected-request"),
    );
    no(
        "no-route",
        "generated: no route covers the path (unrouted requests are denied)",
        input(
            &p,
            s,
            req("GET", &format!("{ORIGIN}/other"), &h, None, None),
        ),
        deny(403, &[], None, "no-matching-route"),
    );
    no(
        "no-route-sibling",
        "generated: prefix routes match whole segments (/mcpx is not under /mcp)",
        input(&p, s, req("GET", &format!("{ORIGIN}/mcpx"), &h, None, None)),
        deny(403, &[], None, "no-matching-route"),
    );
    no(
        "no-credentials",
        "oauth.md §3.5: no credentials: 401 with every accepted scheme's challenge and no error",
        input(&p, s, req("GET", &mcp, &none, None, None)),
        deny(401, &all, None, "credential-missing"),
    );
    let dup: Headers = vec![
        ("Authorization".into(), format!("Bearer {unbound_at}")),
        ("Authorization".into(), format!("Bearer {unbound_at}")),
    ];
    no(
        "two-authorization",
        "oauth.md §3.5: two Authorization fields: 400 invalid_request",
        input(&p, s, req("GET", &mcp, &dup, None, None)),
        deny(
            400,
            &[&format!(
                "Bearer error=\"invalid_request\", error_description=\"more than one authorization field in the request\", resource_metadata=\"{META}\""
            )],
            None,
            "credential-duplicated",
        ),
    );
    let unknown_scheme: Headers = vec![("Authorization".into(), "Basic dXNlcjpwYXNz".into())];
    no(
        "unknown-scheme",
        "RFC 9110 §11.6.2: an unsupported scheme is no credential: 401 with the accepted challenges",
        input(&p, s, req("GET", &mcp, &unknown_scheme, None, None)),
        deny(401, &all, None, "credential-missing"),
    );
    // WPT
    no(
        "wpt-missing",
        "specs §3.3 step 1: a WIT without a WPT (wpt-01): 400",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &without(&h, "workload-proof-token"),
                None,
                None,
            ),
        ),
        deny(400, &[], None, "credential-missing"),
    );
    let mut i = input(&p, s, req("GET", &mcp, &h, None, None));
    i["repeat"] = json!(2);
    no(
        "wpt-replayed",
        "specs §3.3 step 11: the same WPT twice (jti per WIT subject)",
        i,
        deny(400, &[], None, "replayed"),
    );
    let other_aud = wpt_signer
        .sign(
            &OutgoingRequest {
                method: "GET",
                target_uri: "https://other.example.com/mcp/session",
                headers: &none,
                body: None,
            },
            UnixTime(NOW),
            &seed("wpt-aud", 16),
        )
        .unwrap();
    no(
        "wpt-other-audience",
        "specs §3.3 step 7: the WPT was made for another origin",
        input(&p, s, req("GET", &mcp, &other_aud, None, None)),
        deny(400, &[], None, "claim-mismatch"),
    );
    let other_path = signed(
        &wpt_signer,
        "GET",
        &format!("{ORIGIN}/mcp/other"),
        &none,
        None,
        "wpt-path",
    );
    no(
        "wpt-other-path",
        "specs §3.3 step 7: the WPT was made for another path on this origin",
        input(&p, s, req("GET", &mcp, &other_path, None, None)),
        deny(400, &[], None, "claim-mismatch"),
    );
    let foreign = wit(
        &w,
        "spiffe://unknown.org/ns/prod/sa/api",
        json!({}),
        &w.wit_key,
    );
    let fs = Signer::new()
        .with_workload(
            foreign,
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    no(
        "wit-unknown-trust-domain",
        "specs §2.4: the WIT's trust domain has no anchors in the policy",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &signed(&fs, "GET", &mcp, &none, None, "f-1"),
                None,
                None,
            ),
        ),
        deny(400, &[], None, "unknown-trust-domain"),
    );
    let cross = wit(&w, AGENT, json!({}), &k.es256_other);
    let cs = Signer::new()
        .with_workload(
            cross,
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    no(
        "wit-other-domain-key",
        "specs §7.B1: a WIT for example.org signed by other.org's key",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &signed(&cs, "GET", &mcp, &none, None, "c-1"),
                None,
                None,
            ),
        ),
        deny(400, &[], None, "key-not-found"),
    );
    let expired = wit(
        &w,
        AGENT,
        json!({"iat": NOW - 7200, "exp": NOW - 3600}),
        &w.wit_key,
    );
    let es = Signer::new()
        .with_workload(
            expired,
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    no(
        "wit-expired",
        "specs §2.4: an expired WIT",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &signed(&es, "GET", &mcp, &none, None, "e-1"),
                None,
                None,
            ),
        ),
        deny(400, &[], None, "token-expired"),
    );
    let dev = wit(
        &w,
        "spiffe://example.org/ns/dev/sa/api",
        json!({}),
        &w.wit_key,
    );
    let ds = Signer::new()
        .with_workload(
            dev,
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    no(
        "agent-not-allowed",
        "generated: a valid agent outside the route's agent patterns: 403",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &signed(&ds, "GET", &mcp, &none, None, "d-1"),
                None,
                None,
            ),
        ),
        deny(403, &[], None, "agent-not-allowed"),
    );
    let admin = format!("{ORIGIN}/mcp/admin/users");
    no(
        "agent-not-allowed-admin",
        "generated: the first matching route (admin) names one agent only",
        input(
            &p,
            s,
            req(
                "GET",
                &admin,
                &signed(&wpt_signer, "GET", &admin, &none, None, "adm-1"),
                None,
                None,
            ),
        ),
        deny(403, &[], None, "agent-not-allowed"),
    );
    let sibling = wit(
        &w,
        "spiffe://example.org/ns/production/sa/api",
        json!({}),
        &w.wit_key,
    );
    let ss = Signer::new()
        .with_workload(
            sibling,
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    no(
        "agent-sibling-prefix",
        "specs §7.A: ns/production is not under the pattern ns/prod/*",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &signed(&ss, "GET", &mcp, &none, None, "sib-1"),
                None,
                None,
            ),
        ),
        deny(403, &[], None, "agent-not-allowed"),
    );
    let wpt_no_ath = {
        let mut h = signed(&wpt_signer, "POST", &tools, &none, None, "noath-1");
        h.push(("Authorization".into(), format!("DPoP {at}")));
        h.extend(
            dpop_signer
                .sign(
                    &OutgoingRequest {
                        method: "POST",
                        target_uri: &tools,
                        headers: &none,
                        body: None,
                    },
                    UnixTime(NOW),
                    &seed("noath-2", 16),
                )
                .unwrap()
                .into_iter()
                .filter(|(n, _)| n == "DPoP"),
        );
        h
    };
    no(
        "wpt-without-ath",
        "specs §3.3 step 10: wpt-01 with an access token the WPT does not bind (no ath)",
        input(&p, s, req("POST", &tools, &wpt_no_ath, None, None)),
        deny(400, &[], None, "claim-missing"),
    );
    // HTTP signatures
    let h = signed(&sig_signer, "POST", &mcp, &ct, Some(json_body), "sig-1");
    no(
        "http-signature-body-changed",
        "RFC 9530 / specs §7.F: the body changed behind an unchanged Content-Digest",
        input(
            &p,
            s,
            req(
                "POST",
                &mcp,
                &h,
                Some(br#"{"jsonrpc":"2.0","method":"tools/call","id":1}"#),
                None,
            ),
        ),
        deny(400, &[], None, "digest-mismatch"),
    );
    let mut i = input(&p, s, req("POST", &mcp, &h, Some(json_body), None));
    i["repeat"] = json!(2);
    no(
        "http-signature-replayed",
        "specs §4: the same signature nonce twice",
        i,
        deny(400, &[], None, "replayed"),
    );
    let old = sig_signer
        .sign(
            &OutgoingRequest {
                method: "POST",
                target_uri: &mcp,
                headers: &ct,
                body: Some(json_body),
            },
            UnixTime(NOW - 400),
            &seed("sig-old", 16),
        )
        .unwrap();
    let mut oh = ct.clone();
    oh.extend(old);
    no(
        "http-signature-expired",
        "specs §4: a signature past its expires",
        input(&p, s, req("POST", &mcp, &oh, Some(json_body), None)),
        deny(400, &[], None, "token-expired"),
    );
    no(
        "http-signature-method-changed",
        "RFC 9421 §3.2: @method is covered; the request was replayed as PUT",
        input(&p, s, req("PUT", &mcp, &h, Some(json_body), None)),
        deny(400, &[], None, "invalid-signature"),
    );
    // mTLS
    no(
        "mtls-unknown-trust-domain",
        "generated: an mTLS peer from a trust domain the policy does not trust: 403",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &none,
                None,
                Some("spiffe://unknown.org/ns/prod/sa/api"),
            ),
        ),
        deny(403, &[], None, "unknown-trust-domain"),
    );
    no(
        "mtls-malformed-id",
        "specs §1: a peer URI SAN that is not a canonical SPIFFE ID: 403",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &none,
                None,
                Some("spiffe://example.org/ns/../sa/api"),
            ),
        ),
        deny(403, &[], None, "invalid-identifier"),
    );
    // Access tokens
    let dpop_with = |token: &str, label: &str, uri: &str| {
        let sg = Signer::new()
            .with_access_token(token, TokenType::Dpop, Some(w.dpop_key.clone()))
            .unwrap();
        signed(&sg, "POST", uri, &none, None, label)
    };
    let invalid_token = |d: &str| {
        format!(
            "DPoP error=\"invalid_token\", error_description=\"{d}\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
        )
    };
    let invalid_proof = |d: &str| {
        format!(
            "DPoP error=\"invalid_dpop_proof\", error_description=\"{d}\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
        )
    };
    let bad_at =
        |id: &str, title: &str, patch: Value, code: &str, d: &str, cases: &mut Vec<Case>| {
            let t = access_token(&w, patch);
            cases.push(ok(
                &format!("authenticate/{id}"),
                title,
                input(
                    &p,
                    s,
                    req("POST", &tools, &dpop_with(&t, id, &tools), None, None),
                ),
                deny(401, &[&invalid_token(d)], None, code),
            ));
        };
    bad_at(
        "at-expired",
        "RFC 9068 §4: an expired access token: 401 invalid_token",
        json!({"exp": NOW - 120}),
        "token-expired",
        "token expired",
        &mut cases,
    );
    bad_at(
        "at-audience",
        "RFC 9068 §4 / RFC 8707: aud is another resource",
        json!({"aud": "https://other.example.com/mcp"}),
        "claim-mismatch",
        "claim `aud` does not match the expected value",
        &mut cases,
    );
    bad_at(
        "at-issuer",
        "RFC 9068 §4: an issuer outside the allow-list",
        json!({"iss": "https://evil.example.com"}),
        "claim-mismatch",
        "claim `iss` does not match the expected value",
        &mut cases,
    );
    bad_at(
        "at-no-client-id",
        "RFC 9068 §2.2: client_id is required",
        json!({"client_id": null}),
        "claim-missing",
        "required claim `client_id` is missing",
        &mut cases,
    );
    let mut typ_jwt = obj(access_token_claims(&w));
    typ_jwt.insert("jti".into(), json!("at-typ"));
    let jwt_typed = sign(json!({"typ": "JWT"}), &Value::Object(typ_jwt), &w.as_key);
    cases.push(ok(
        "authenticate/at-typ-jwt",
        "RFC 9068 §2.1 / RFC 8725 §3.11: typ JWT is not at+jwt",
        input(
            &p,
            s,
            req(
                "POST",
                &tools,
                &dpop_with(&jwt_typed, "typ", &tools),
                None,
                None,
            ),
        ),
        deny(
            401,
            &[&invalid_token("token type (typ) not accepted")],
            None,
            "typ-mismatch",
        ),
    ));
    let tampered = tamper_signature(&at);
    cases.push(ok(
        "authenticate/at-tampered",
        "RFC 7515 §5.2: the access token's signature does not verify",
        input(
            &p,
            s,
            req(
                "POST",
                &tools,
                &dpop_with(&tampered, "tamper", &tools),
                None,
                None,
            ),
        ),
        deny(
            401,
            &[&invalid_token("signature is invalid")],
            None,
            "invalid-signature",
        ),
    ));
    let mut no = |id: &str, title: &str, i: Value, out: Value| {
        cases.push(ok(&format!("authenticate/{id}"), title, i, out));
    };
    let h = signed(&dpop_signer, "POST", &tools, &none, None, "dpop-1");
    no(
        "dpop-proof-missing",
        "RFC 9449 §7.1: Authorization: DPoP without a DPoP proof",
        input(&p, s, req("POST", &tools, &without(&h, "dpop"), None, None)),
        deny(
            401,
            &[&invalid_proof("no dpop proof in the request")],
            None,
            "credential-missing",
        ),
    );
    let elsewhere = dpop_signer
        .sign(
            &OutgoingRequest {
                method: "POST",
                target_uri: &format!("{ORIGIN}/mcp/tools/other"),
                headers: &none,
                body: None,
            },
            UnixTime(NOW),
            &seed("htu", 16),
        )
        .unwrap();
    no(
        "dpop-htu",
        "RFC 9449 §4.3 step 9: the proof's htu is another URI",
        input(&p, s, req("POST", &tools, &elsewhere, None, None)),
        deny(
            401,
            &[&invalid_proof(
                "claim `htu` does not match the expected value",
            )],
            None,
            "claim-mismatch",
        ),
    );
    let as_get = dpop_signer
        .sign(
            &OutgoingRequest {
                method: "GET",
                target_uri: &tools,
                headers: &none,
                body: None,
            },
            UnixTime(NOW),
            &seed("htm", 16),
        )
        .unwrap();
    no(
        "dpop-htm",
        "RFC 9449 §4.3 step 8: the proof's htm is GET, the request POST",
        input(&p, s, req("POST", &tools, &as_get, None, None)),
        deny(
            401,
            &[&invalid_proof(
                "claim `htm` does not match the expected value",
            )],
            None,
            "claim-mismatch",
        ),
    );
    no(
        "agent-required",
        "generated: a route that names agents refuses a caller with an access token only",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &signed(&dpop_signer, "GET", &mcp, &none, None, "ar-1"),
                None,
                None,
            ),
        ),
        deny(403, &[], None, "agent-not-allowed"),
    );
    let other_key = Signer::new()
        .with_access_token(at.clone(), TokenType::Dpop, Some(w.other_dpop_key.clone()))
        .unwrap();
    no(
        "dpop-other-key",
        "RFC 9449 §6.1 / oauth.md §3.5: the proof key is not the token's cnf.jkt: DPoP invalid_token",
        input(
            &p,
            s,
            req(
                "POST",
                &tools,
                &signed(&other_key, "POST", &tools, &none, None, "ok-1"),
                None,
                None,
            ),
        ),
        deny(
            401,
            &[&invalid_token(
                "proof does not bind the access token presented",
            )],
            None,
            "binding-mismatch",
        ),
    );
    let mut i = input(&p, s, req("POST", &tools, &h, None, None));
    i["repeat"] = json!(2);
    no(
        "dpop-replayed",
        "RFC 9449 §11.1: the same proof twice",
        i,
        deny(
            401,
            &[&invalid_proof("proof already used (jti replay)")],
            None,
            "replayed",
        ),
    );
    let other_at = access_token(&w, json!({"jti": "at-2"}));
    let swapped = set(&h, "authorization", &format!("DPoP {other_at}"));
    no(
        "dpop-ath",
        "RFC 9449 §4.3 step 12: the proof's ath is over another access token",
        input(&p, s, req("POST", &tools, &swapped, None, None)),
        deny(
            401,
            &[&invalid_proof(
                "claim `ath` does not match the expected value",
            )],
            None,
            "claim-mismatch",
        ),
    );
    let as_bearer = vec![("Authorization".to_owned(), format!("Bearer {at}"))];
    no(
        "dpop-bound-as-bearer",
        "RFC 9449 §7.2: a DPoP-bound token sent as Bearer: DPoP invalid_token",
        input(&p, s, req("POST", &tools, &as_bearer, None, None)),
        deny(
            401,
            &[&invalid_token(
                "proof does not bind the access token presented",
            )],
            None,
            "binding-mismatch",
        ),
    );
    let unbound_dpop = dpop_with(&unbound_at, "ub-1", &tools);
    no(
        "dpop-scheme-unbound-token",
        "RFC 9449 §7.1: the DPoP scheme with a token that has no cnf.jkt",
        input(&p, s, req("POST", &tools, &unbound_dpop, None, None)),
        deny(
            401,
            &[&invalid_token(
                "proof does not bind the access token presented",
            )],
            None,
            "binding-mismatch",
        ),
    );
    let narrow = access_token(&w, json!({"scope": "openid", "jti": "at-narrow"}));
    no(
        "insufficient-scope",
        "RFC 6750 §3.1: the token lacks the route's scope: 403 with scope",
        input(
            &p,
            s,
            req(
                "POST",
                &tools,
                &dpop_with(&narrow, "narrow", &tools),
                None,
                None,
            ),
        ),
        deny(
            403,
            &[&format!(
                "DPoP error=\"insufficient_scope\", scope=\"tools:call\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
            )],
            None,
            "insufficient-scope",
        ),
    );
    let stepup_challenge = format!(
        "DPoP error=\"insufficient_user_authentication\", error_description=\"a different authentication level is required\", acr_values=\"urn:example:mfa\", max_age=\"300\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
    );
    let weak = access_token(
        &w,
        json!({"acr": "urn:example:pwd", "auth_time": NOW - 100, "jti": "at-weak"}),
    );
    let sw = Signer::new()
        .with_access_token(weak, TokenType::Dpop, Some(w.dpop_key.clone()))
        .unwrap();
    no(
        "step-up-acr",
        "RFC 9470 §3: acr not among the route's acr_values",
        input(
            &p,
            s,
            req(
                "GET",
                &stepup,
                &signed(&sw, "GET", &stepup, &none, None, "w-1"),
                None,
                None,
            ),
        ),
        deny(
            401,
            &[&stepup_challenge],
            None,
            "insufficient-user-authentication",
        ),
    );
    let stale = access_token(
        &w,
        json!({"acr": "urn:example:mfa", "auth_time": NOW - 1000, "jti": "at-stale"}),
    );
    let st = Signer::new()
        .with_access_token(stale, TokenType::Dpop, Some(w.dpop_key.clone()))
        .unwrap();
    no(
        "step-up-max-age",
        "RFC 9470 §3: auth_time older than the route's max_age",
        input(
            &p,
            s,
            req(
                "GET",
                &stepup,
                &signed(&st, "GET", &stepup, &none, None, "st-1"),
                None,
                None,
            ),
        ),
        deny(
            401,
            &[&stepup_challenge],
            None,
            "insufficient-user-authentication",
        ),
    );
    no(
        "authorization-details-missing",
        "RFC 9396 §4: the route's authorization_details type is not granted: 403",
        input(
            &p,
            s,
            req(
                "POST",
                &pay_uri,
                &dpop_with(&at, "pay-2", &pay_uri),
                None,
                None,
            ),
        ),
        deny(
            403,
            &[&format!(
                "DPoP error=\"insufficient_scope\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
            )],
            None,
            "insufficient-scope",
        ),
    );
    no(
        "token-required",
        "generated: a route with scopes needs an access token; a WIT alone gets the token challenges",
        input(
            &p,
            s,
            req(
                "POST",
                &tools,
                &signed(&wpt_signer, "POST", &tools, &none, None, "tr-1"),
                None,
                None,
            ),
        ),
        deny(401, &all, None, "credential-missing"),
    );
    no(
        "dpop-nonce-required",
        "RFC 9449 §9: no nonce: 401 use_dpop_nonce with a fresh DPoP-Nonce",
        input(
            &pn,
            s,
            req(
                "GET",
                &mcp,
                &signed(&dpop_signer, "GET", &mcp, &none, None, "nn-1"),
                None,
                None,
            ),
        ),
        deny(
            401,
            &[&format!(
                "DPoP error=\"use_dpop_nonce\", error_description=\"a fresh server nonce is required\", resource_metadata=\"{META}\", algs=\"ES256 ES384 EdDSA Ed25519 PS256\""
            )],
            Some(&nonce),
            "use-dpop-nonce",
        ),
    );
    no(
        "wpt-02-no-credentials",
        "wpt-02: no credentials: 401 WWW-Authenticate: WPT",
        input(&p02, s, req("GET", &mcp, &none, None, None)),
        deny(401, &["WPT"], None, "credential-missing"),
    );
    let h = signed(&s02, "GET", &mcp, &none, None, "wpt02-1");
    let bad02 = set(
        &h,
        "authorization",
        &format!(
            "WPT {}",
            tamper_signature(get(&h, "authorization").trim_start_matches("WPT "))
        ),
    );
    no(
        "wpt-02-bad-proof",
        "wpt-02: a WPT whose signature fails: 401 WPT",
        input(&p02, s, req("GET", &mcp, &bad02, None, None)),
        deny(401, &["WPT"], None, "invalid-signature"),
    );
    let pd = policy(
        &w,
        k,
        json!({"dpop": {}}),
        json!([{"path": "/mcp", "prefix": true}]),
    );
    let bh = signed(&bearer_signer, "GET", &mcp, &none, None, "bo-1");
    no(
        "bearer-not-accepted",
        "oauth.md §1.9: Bearer where only DPoP is accepted: DPoP invalid_token",
        input(&pd, s, req("GET", &mcp, &bh, None, None)),
        deny(
            401,
            &[&format!(
                "DPoP error=\"invalid_token\", error_description=\"proof does not bind the access token presented\", resource_metadata=\"{META}\", algs=\"ES256 ES384 EdDSA Ed25519 PS256\""
            )],
            None,
            "binding-mismatch",
        ),
    );
    // Delegation (RFC 8693 act chains).
    let planner = json!({"sub": "spiffe://example.org/ns/prod/sa/planner", "iss": ISS,
                         "act": {"sub": "spiffe://example.org/ns/prod/sa/scheduler"}});
    let delegated_uri = format!("{ORIGIN}/mcp/delegated");
    let direct_uri = format!("{ORIGIN}/mcp/direct");
    let with_act = |act: Value, jti: &str| access_token(&w, json!({"act": act, "jti": jti}));
    let d_at = with_act(planner.clone(), "at-act-1");
    cases.push(ok("authenticate/delegated", "RFC 8693 §4.1: the current actor (outermost act) is the one the route allows; the chain is carried",
        input(&p, s, req("POST", &delegated_uri, &dpop_with(&d_at, "del-1", &delegated_uri), None, None)),
        allow(None, "dpop", &["dpop"], Some((USER, &["tools:call", "openid"])), Some(planner.clone()), json!([]),
              &[("access_token", &hash(&d_at))], Some(exp_at), "/mcp/delegated")));
    let forbidden = json!({"sub": "spiffe://example.org/ns/prod/sa/scheduler", "act": {"sub": "spiffe://example.org/ns/prod/sa/planner"}});
    let f_at = with_act(forbidden, "at-act-2");
    cases.push(ok("authenticate/delegated-other-actor", "RFC 8693 §4.1: only the outermost act decides; the allowed actor deeper in the chain does not count",
        input(&p, s, req("POST", &delegated_uri, &dpop_with(&f_at, "del-2", &delegated_uri), None, None)),
        deny(403, &[], None, "delegation-not-allowed")));
    cases.push(ok(
        "authenticate/delegated-required",
        "generated: a route naming actors refuses an undelegated token",
        input(
            &p,
            s,
            req(
                "POST",
                &delegated_uri,
                &dpop_with(&at, "del-3", &delegated_uri),
                None,
                None,
            ),
        ),
        deny(403, &[], None, "delegation-not-allowed"),
    ));
    let deep = json!({"sub": "spiffe://example.org/ns/prod/sa/planner", "act": {"sub": "a", "act": {"sub": "b"}}});
    let deep_at = with_act(deep, "at-act-3");
    cases.push(ok(
        "authenticate/delegation-too-deep",
        "generated: a chain of three actors where the route allows two",
        input(
            &p,
            s,
            req(
                "POST",
                &delegated_uri,
                &dpop_with(&deep_at, "del-4", &delegated_uri),
                None,
                None,
            ),
        ),
        deny(403, &[], None, "delegation-not-allowed"),
    ));
    let direct_at = with_act(json!({"sub": "agent:x"}), "at-act-4");
    cases.push(ok(
        "authenticate/delegation-forbidden",
        "generated: max_delegation_depth 0 refuses any delegated token",
        input(
            &p,
            s,
            req(
                "POST",
                &direct_uri,
                &dpop_with(&direct_at, "del-5", &direct_uri),
                None,
                None,
            ),
        ),
        deny(403, &[], None, "delegation-not-allowed"),
    ));
    cases.push(ok(
        "authenticate/direct",
        "generated: max_delegation_depth 0 accepts an undelegated token",
        input(
            &p,
            s,
            req(
                "POST",
                &direct_uri,
                &dpop_with(&at, "del-6", &direct_uri),
                None,
                None,
            ),
        ),
        allow(
            None,
            "dpop",
            &["dpop"],
            Some((USER, &["tools:call", "openid"])),
            None,
            json!([]),
            &[("access_token", &hash(&at))],
            Some(exp_at),
            "/mcp/direct",
        ),
    ));
    let bad_act = with_act(
        json!({"sub": "spiffe://example.org/ns/prod/sa/planner", "act": {"sub": 7}}),
        "at-act-5",
    );
    cases.push(ok(
        "authenticate/act-malformed",
        "RFC 8693 §4.1: every act is an object with a string sub, at any depth",
        input(
            &p,
            s,
            req(
                "POST",
                &delegated_uri,
                &dpop_with(&bad_act, "del-7", &delegated_uri),
                None,
                None,
            ),
        ),
        deny(
            401,
            &[&invalid_token("claim `act` has an invalid value")],
            None,
            "claim-invalid",
        ),
    ));
    // Transaction tokens (context carried with a WPT that binds it by tth).
    let pt_doc: Value = {
        let mut d: Value = serde_json::from_str(&policy(
            &w,
            k,
            json!({"wpt": {"wire": "wpt-01"}}),
            json!([{"path": "/", "prefix": true}]),
        ))
        .unwrap();
        let mut cfg = super::oauth::txn_config();
        cfg["required"] = json!(true);
        d["transaction_tokens"] = cfg;
        d
    };
    let pt = to_compact(&pt_doc);
    let txn = super::oauth::txn_token(json!({}));
    let with_txn: Headers = vec![("Txn-Token".into(), txn.clone())];
    let h = signed(&wpt_signer, "GET", &mcp, &with_txn, None, "txn-1");
    let mut allowed = allow(
        Some(AGENT),
        "wpt",
        &["wpt"],
        None,
        None,
        json!([]),
        &[("wit", &wit_h), ("txn_token", &hash(&txn))],
        Some(NOW + 60),
        "/",
    );
    allowed["transaction"] = super::oauth::txn_out(&super::oauth::txn_claims(), &txn);
    cases.push(ok("authenticate/transaction-token", "oauth.md §7.3: a Txn-Token bound by the WPT's tth; the Principal carries the transaction context",
        input(&pt, s, req("GET", &mcp, &h, None, None)), allowed));
    let h = signed(&wpt_signer, "GET", &mcp, &none, None, "txn-2");
    cases.push(ok(
        "authenticate/transaction-token-required",
        "generated: a policy that requires Txn-Token refuses a request without one",
        input(&pt, s, req("GET", &mcp, &h, None, None)),
        deny(400, &[], None, "credential-missing"),
    ));
    let forged = tamper_signature(&txn);
    let h = signed(
        &wpt_signer,
        "GET",
        &mcp,
        &vec![("Txn-Token".into(), forged)],
        None,
        "txn-3",
    );
    cases.push(ok(
        "authenticate/transaction-token-forged",
        "oauth.md §7.3 step 4: the WPT binds the token, but the token itself must verify",
        input(&pt, s, req("GET", &mcp, &h, None, None)),
        deny(400, &[], None, "invalid-signature"),
    ));
    let other_txn = super::oauth::txn_token(json!({"txn": "another"}));
    let h = set(
        &signed(&wpt_signer, "GET", &mcp, &with_txn, None, "txn-4"),
        "txn-token",
        &other_txn,
    );
    cases.push(ok(
        "authenticate/transaction-token-swapped",
        "draft-ietf-wimse-wpt tth: a Txn-Token swapped after signing does not match the proof",
        input(&pt, s, req("GET", &mcp, &h, None, None)),
        deny(400, &[], None, "binding-mismatch"),
    ));
    // The verifier cannot be built.
    cases.push(err(
        "authenticate/short-secret",
        "generated: a host secret under 32 bytes is refused",
        input(&p, &s[..16], req("GET", &mcp, &none, None, None)),
        "invalid-argument",
    ));
    let mut bad_policy: Value = serde_json::from_str(&p).unwrap();
    bad_policy["route"] = json!([]);
    cases.push(err(
        "authenticate/policy-unknown-member",
        "generated: the policy document has a member the schema does not define",
        input(
            &to_compact(&bad_policy),
            s,
            req("GET", &mcp, &none, None, None),
        ),
        "invalid-argument",
    ));
    cases
}

fn access_token_claims(w: &World) -> Value {
    json!({"iss": ISS, "sub": USER, "aud": AUD, "client_id": CLIENT, "iat": NOW - 60,
           "exp": NOW + 600, "jti": "at-1", "scope": "tools:call openid", "cnf": {"jkt": thumb(&w.dpop_key)}})
}

/// `gate.sign`: the headers a Signer adds, byte-exact from fixed keys and entropy.
pub fn sign_cases(k: &Keys) -> Vec<Case> {
    let w = world(k);
    let agent_wit = wit(&w, AGENT, json!({}), &w.wit_key);
    let at = access_token(&w, json!({}));
    let uri = format!("{ORIGIN}/mcp/tools/call?x=1");
    let entropy = seed("sign-entropy", 16);
    let derive = |label: &str| {
        let mut input = label.as_bytes().to_vec();
        input.push(0);
        input.extend_from_slice(&entropy);
        b64::encode(&sha256(&input)[..16])
    };
    let base = |options: Value, workload: bool, dpop: bool| {
        json!({"options": to_compact(&options),
               "workload_key": workload.then(|| private(&w.agent_key)),
               "dpop_key": dpop.then(|| private(&w.dpop_key)),
               "request": {"method": "POST", "target_uri": uri, "headers": [], "body": null},
               "now": NOW, "entropy": b64::encode(&entropy)})
    };
    let wpt = |access_token: Option<&str>| {
        create_wpt(
            &w.agent_key,
            &WptParams {
                wit: &agent_wit,
                audience: &uri,
                issued_at: UnixTime(NOW),
                lifetime: 60,
                jti: &derive("wpt"),
                access_token,
                txn_token: None,
                other_tokens: &[],
            },
        )
        .unwrap()
    };
    let dpop = create_dpop_proof(
        &w.dpop_key,
        &DpopParams {
            method: "POST",
            uri: &uri,
            issued_at: UnixTime(NOW),
            jti: &derive("dpop"),
            access_token: Some(&at),
            nonce: None,
        },
    )
    .unwrap();
    vec![
        ok(
            "sign/wpt-01",
            "draft-ietf-wimse-wpt: WIT + Workload-Proof-Token, aud without the query",
            base(json!({"wit": agent_wit, "proof": "wpt-01"}), true, false),
            json!({"headers": [["Workload-Identity-Token", agent_wit], ["Workload-Proof-Token", wpt(None)]]}),
        ),
        ok(
            "sign/wpt-02",
            "wpt-02: Authorization: WPT",
            base(json!({"wit": agent_wit, "proof": "wpt-02"}), true, false),
            json!({"headers": [["Workload-Identity-Token", agent_wit], ["Authorization", format!("WPT {}", wpt(None))]]}),
        ),
        ok(
            "sign/dpop",
            "RFC 9449 §7: Authorization: DPoP and a proof with ath, htu without the query",
            base(json!({"access_token": at}), false, true),
            json!({"headers": [["Authorization", format!("DPoP {at}")], ["DPoP", dpop]]}),
        ),
        ok(
            "sign/bearer",
            "RFC 6750 §2.1: Authorization: Bearer",
            base(
                json!({"access_token": at, "token_type": "Bearer"}),
                false,
                false,
            ),
            json!({"headers": [["Authorization", format!("Bearer {at}")]]}),
        ),
        ok(
            "sign/wpt-01-with-dpop",
            "framework §5: the WPT binds the access token (ath) next to the DPoP proof",
            base(
                json!({"wit": agent_wit, "proof": "wpt-01", "access_token": at}),
                true,
                true,
            ),
            json!({"headers": [["Authorization", format!("DPoP {at}")], ["DPoP", dpop], ["Workload-Identity-Token", agent_wit], ["Workload-Proof-Token", wpt(Some(&at))]]}),
        ),
        err(
            "sign/wpt-02-with-token",
            "wpt-02 carries the proof in Authorization; an access token cannot ride along",
            base(
                json!({"wit": agent_wit, "proof": "wpt-02", "access_token": at}),
                true,
                true,
            ),
            "invalid-argument",
        ),
        err(
            "sign/dpop-without-key",
            "DPoP needs a key",
            base(json!({"access_token": at}), false, false),
            "invalid-argument",
        ),
        err(
            "sign/unknown-option",
            "options with an unknown member are refused",
            base(
                json!({"access_token": at, "token_type": "Bearer", "scheme": "x"}),
                false,
                false,
            ),
            "invalid-argument",
        ),
        err(
            "sign/wit-without-proof",
            "a WIT needs a proof form",
            base(json!({"wit": agent_wit}), true, false),
            "invalid-argument",
        ),
    ]
}

fn private(kp: &KeyPair) -> Value {
    serde_json::from_str(&kp.to_private_jwk_json()).unwrap()
}

/// `gate.enforce`: an allowed request, the AuthZEN subject it becomes, and a PDP decision.
pub fn enforce_cases(k: &Keys) -> Vec<Case> {
    let w = world(k);
    let p = main_policy(&w, k);
    let s = &w.secret;
    let uri = format!("{ORIGIN}/mcp/tools/call");
    let delegated = format!("{ORIGIN}/mcp/delegated");
    let agent_wit = wit(&w, AGENT, json!({}), &w.wit_key);
    let both = Signer::new()
        .with_access_token(
            access_token(&w, json!({})),
            TokenType::Dpop,
            Some(w.dpop_key.clone()),
        )
        .unwrap()
        .with_workload(
            agent_wit,
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    let h = signed(&both, "POST", &uri, &Vec::new(), None, "enf-1");
    let request = req("POST", &uri, &h, None, None);
    let agent_subject = json!({"type": "agent", "id": AGENT, "properties": {"trust_domain": "example.org", "user": USER,
        "client_id": CLIENT, "authentication": "wpt", "scopes": ["tools:call", "openid"]}});
    let input = |r: &Value, d: Value| json!({"policy": p, "secret": b64::encode(s), "now": NOW, "request": r, "decision": to_compact(&d)});
    let meta = "https://tools.example.com/.well-known/oauth-protected-resource/mcp";
    let planner = json!({"sub": "spiffe://example.org/ns/prod/sa/planner"});
    let d_at = access_token(&w, json!({"act": planner, "jti": "at-enf", "cnf": null}));
    let ds = Signer::new()
        .with_access_token(d_at, TokenType::Bearer, None)
        .unwrap();
    let dh = signed(&ds, "POST", &delegated, &Vec::new(), None, "enf-2");
    vec![
        ok(
            "enforce/permit",
            "AuthZEN 1.0 §6.2: decision true lets an allowed request through; the subject is the agent acting for the user",
            input(&request, json!({"decision": true})),
            json!({"subject": agent_subject, "outcome": {"allow": true}}),
        ),
        ok(
            "enforce/deny",
            "AuthZEN 1.0 §6.2: decision false: 403 access-denied, whatever the credentials said",
            input(
                &request,
                json!({"decision": false, "context": {"reason": "outside business hours"}}),
            ),
            json!({"subject": agent_subject, "outcome": {"allow": false, "status": 403, "www_authenticate": [], "code": "access-denied"}}),
        ),
        ok(
            "enforce/step-up",
            "AuthZEN 1.0 §5.5 + RFC 9470: a deny whose context asks for acr_values becomes the step-up challenge on the scheme used",
            input(
                &request,
                json!({"decision": false, "context": {"acr_values": "urn:example:mfa", "max_age": 60}}),
            ),
            json!({"subject": agent_subject, "outcome": {"allow": false, "status": 401, "code": "insufficient-user-authentication",
               "www_authenticate": [format!("DPoP error=\"insufficient_user_authentication\", error_description=\"a different authentication level is required\", acr_values=\"urn:example:mfa\", max_age=\"60\", resource_metadata=\"{meta}\", algs=\"ES256 EdDSA\"")]}}),
        ),
        ok(
            "enforce/malformed",
            "fail closed: a decision that is not a boolean denies (403, its parse code)",
            input(&request, json!({"decision": "yes"})),
            json!({"subject": agent_subject, "outcome": {"allow": false, "status": 403, "www_authenticate": [], "code": "claim-invalid"}}),
        ),
        ok(
            "enforce/user-subject",
            "generated: without a workload credential the subject is the user, with the current actor and client",
            input(
                &req("POST", &delegated, &dh, None, None),
                json!({"decision": true}),
            ),
            json!({"subject": {"type": "user", "id": USER, "properties": {"client_id": CLIENT, "authentication": "bearer",
               "actor": "spiffe://example.org/ns/prod/sa/planner", "scopes": ["tools:call", "openid"]}}, "outcome": {"allow": true}}),
        ),
    ]
}

pub const SSF_ISS: &str = "https://ssf.example.com";

pub fn transmitter() -> KeyPair {
    KeyPair::from_seed(Algorithm::Es256, &seed("ssf-1", 32))
        .unwrap()
        .with_kid("ssf-1")
}

/// The main policy with SETs accepted from the transmitter.
fn events_policy(w: &World, k: &Keys) -> String {
    let mut p: Value = serde_json::from_str(&main_policy(w, k)).unwrap();
    p["events"] = json!({"transmitters": [{"issuer": SSF_ISS, "jwks": jwks(&[&transmitter()])}]});
    to_compact(&p)
}

/// A SET from the transmitter about `sub_id`, issued at `NOW`.
pub fn caep_set(jti: &str, sub_id: &Value, event: &str, payload: &Value) -> String {
    let claims = json!({"iss": SSF_ISS, "iat": NOW, "jti": jti, "aud": AUD, "sub_id": sub_id,
        "events": {format!("{}{event}", a2a_auth::events::CAEP): payload}});
    a2a_auth::events::issue_set(claims.as_object().unwrap(), &transmitter()).unwrap()
}

fn event_ref(event: &str, jti: &str) -> Value {
    json!({"type": event, "jti": jti, "iss": SSF_ISS})
}

/// `gate.authenticate` after security events: `input.events` are applied (at `now`) after the
/// `before` requests and before the request.
#[allow(clippy::too_many_lines)]
pub fn event_cases(k: &Keys) -> Vec<Case> {
    let w = world(k);
    let p = events_policy(&w, k);
    let s = &w.secret;
    let mut cases = Vec::new();
    let tools = format!("{ORIGIN}/mcp/tools/call");
    let mcp = format!("{ORIGIN}/mcp/session");
    let none: Headers = Vec::new();
    let user = json!({"format": "iss_sub", "iss": ISS, "sub": USER});
    let invalid_token = format!(
        "DPoP error=\"invalid_token\", error_description=\"a security event revoked this credential\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
    );
    let dpop = |token: &str, label: &str, uri: &str| {
        let sg = Signer::new()
            .with_access_token(token, TokenType::Dpop, Some(w.dpop_key.clone()))
            .unwrap();
        signed(&sg, "POST", uri, &none, None, label)
    };
    let with_events = |request: Value, events: &[&str]| {
        let mut i = input(&p, s, request);
        i["events"] = json!(events);
        i
    };
    let at = access_token(&w, json!({}));
    let at_h = hash(&at);
    let revoked = caep_set(
        "evt-session",
        &user,
        "session-revoked",
        &json!({"event_timestamp": NOW - 30, "initiating_entity": "admin",
                "reason_admin": {"en": "Landspeed Policy Violation"}}),
    );
    let denied_revoked = |jti: &str, event: &str| {
        let mut d = deny(401, &[&invalid_token], None, "credential-revoked");
        d["event"] = event_ref(event, jti);
        d
    };
    let allowed_dpop = |jti_hash: &str| {
        allow(
            None,
            "dpop",
            &["dpop"],
            Some((USER, &["tools:call", "openid"])),
            None,
            json!([]),
            &[("access_token", jti_hash)],
            Some(NOW + 600),
            "/mcp/tools",
        )
    };
    // Allowed, then revoked: the same token on the next request is refused.
    let mut i = with_events(
        req("POST", &tools, &dpop(&at, "evt-2", &tools), None, None),
        &[&revoked],
    );
    i["before"] = json!([req("POST", &tools, &dpop(&at, "evt-1", &tools), None, None)]);
    cases.push(ok(
        "authenticate/event-session-revoked",
        "CAEP session-revoked (iss_sub subject): a token allowed a moment ago, issued before the event, is refused with 401 invalid_token and the event named",
        i,
        denied_revoked("evt-session", "session-revoked"),
    ));
    let other_user = caep_set(
        "evt-other",
        &json!({"format": "iss_sub", "iss": ISS, "sub": "someone-else"}),
        "session-revoked",
        &json!({}),
    );
    cases.push(ok(
        "authenticate/event-other-subject",
        "CAEP session-revoked for another user leaves this token alone",
        with_events(
            req("POST", &tools, &dpop(&at, "evt-3", &tools), None, None),
            &[&other_user],
        ),
        allowed_dpop(&at_h),
    ));
    let fresh = access_token(&w, json!({"iat": NOW - 10, "jti": "at-fresh"}));
    cases.push(ok(
        "authenticate/event-new-session",
        "CAEP session-revoked covers tokens issued at or before event_timestamp; one issued after it (a new session) is accepted",
        with_events(req("POST", &tools, &dpop(&fresh, "evt-4", &tools), None, None), &[&revoked]),
        allowed_dpop(&hash(&fresh)),
    ));
    let sid_token = access_token(&w, json!({"sid": "s-2", "jti": "at-sid"}));
    let complex = caep_set(
        "evt-complex",
        &json!({"format": "complex", "user": user, "session": {"format": "opaque", "id": "s-1"}}),
        "session-revoked",
        &json!({}),
    );
    cases.push(ok(
        "authenticate/event-complex-other-session",
        "SSF complex subject {user, session}: a token whose sid names another session is not covered",
        with_events(req("POST", &tools, &dpop(&sid_token, "evt-5", &tools), None, None), &[&complex]),
        allowed_dpop(&hash(&sid_token)),
    ));
    cases.push(ok(
        "authenticate/event-complex-no-sid",
        "SSF complex subject {user, session}: a token without sid cannot show another session and is covered (fail closed)",
        with_events(req("POST", &tools, &dpop(&at, "evt-6", &tools), None, None), &[&complex]),
        denied_revoked("evt-complex", "session-revoked"),
    ));
    let device_only = caep_set(
        "evt-device",
        &json!({"format": "complex", "device": {"format": "opaque", "id": "laptop-7"}}),
        "device-compliance-change",
        &json!({"previous_status": "compliant", "current_status": "not-compliant"}),
    );
    cases.push(ok(
        "authenticate/event-device-only",
        "CAEP device-compliance-change naming only a device: it cannot be related to a token, so nothing is refused",
        with_events(req("POST", &tools, &dpop(&at, "evt-7", &tools), None, None), &[&device_only]),
        allowed_dpop(&at_h),
    ));
    let user_device = caep_set(
        "evt-user-device",
        &json!({"format": "complex", "user": user, "device": {"format": "opaque", "id": "laptop-7"}}),
        "device-compliance-change",
        &json!({"previous_status": "compliant", "current_status": "not-compliant"}),
    );
    cases.push(ok(
        "authenticate/event-device-not-compliant",
        "CAEP device-compliance-change to not-compliant for {user, device}: the user's earlier tokens are refused",
        with_events(req("POST", &tools, &dpop(&at, "evt-8", &tools), None, None), &[&user_device]),
        denied_revoked("evt-user-device", "device-compliance-change"),
    ));
    let medium = caep_set(
        "evt-risk-medium",
        &user,
        "risk-level-change",
        &json!({"principal": "USER", "current_level": "MEDIUM", "previous_level": "LOW"}),
    );
    let high = caep_set(
        "evt-risk-high",
        &user,
        "risk-level-change",
        &json!({"principal": "USER", "current_level": "HIGH", "risk_reason": "PASSWORD_FOUND_IN_DATA_BREACH"}),
    );
    cases.push(ok(
        "authenticate/event-risk-medium",
        "CAEP risk-level-change to MEDIUM changes nothing",
        with_events(
            req("POST", &tools, &dpop(&at, "evt-9", &tools), None, None),
            &[&medium],
        ),
        allowed_dpop(&at_h),
    ));
    cases.push(ok(
        "authenticate/event-risk-high",
        "CAEP risk-level-change to HIGH refuses the user's earlier tokens",
        with_events(
            req("POST", &tools, &dpop(&at, "evt-10", &tools), None, None),
            &[&high],
        ),
        denied_revoked("evt-risk-high", "risk-level-change"),
    ));
    let narrowed = caep_set(
        "evt-claims",
        &user,
        "token-claims-change",
        &json!({"claims": {"scope": "openid"}}),
    );
    let mut d = deny(
        403,
        &[&format!(
            "DPoP error=\"insufficient_scope\", scope=\"tools:call\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
        )],
        None,
        "insufficient-scope",
    );
    d["event"] = event_ref("token-claims-change", "evt-claims");
    cases.push(ok(
        "authenticate/event-claims-change",
        "CAEP token-claims-change removes a scope: the token is read with the new scope and answered 403 insufficient_scope, the event named",
        with_events(req("POST", &tools, &dpop(&at, "evt-11", &tools), None, None), &[&narrowed]),
        d,
    ));
    let stepup = format!("{ORIGIN}/mcp/stepup");
    let strong = access_token(
        &w,
        json!({"acr": "urn:example:mfa", "auth_time": NOW - 100, "jti": "at-strong"}),
    );
    let lowered = caep_set(
        "evt-acr",
        &user,
        "assurance-level-change",
        &json!({"namespace": "RFC8176", "current_level": "urn:example:pwd", "previous_level": "urn:example:mfa", "change_direction": "decrease"}),
    );
    let mut d = deny(
        401,
        &[&format!(
            "DPoP error=\"insufficient_user_authentication\", error_description=\"a different authentication level is required\", acr_values=\"urn:example:mfa\", max_age=\"300\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
        )],
        None,
        "insufficient-user-authentication",
    );
    d["event"] = event_ref("assurance-level-change", "evt-acr");
    let mut i = with_events(
        req(
            "POST",
            &stepup,
            &dpop(&strong, "evt-13", &stepup),
            None,
            None,
        ),
        &[&lowered],
    );
    i["before"] = json!([req(
        "POST",
        &stepup,
        &dpop(&strong, "evt-12", &stepup),
        None,
        None
    )]);
    cases.push(ok(
        "authenticate/event-assurance-decrease",
        "CAEP assurance-level-change (decrease): the token's acr is read as the new level and the route asks for step-up (RFC 9470)",
        i,
        d,
    ));
    // Workload credentials.
    let agent_wit = wit(&w, AGENT, json!({}), &w.wit_key);
    let wpt_signer = Signer::new()
        .with_workload(
            agent_wit,
            w.agent_key.clone(),
            WorkloadProof::Wpt(WptWire::Header),
        )
        .unwrap();
    let agent_revoked = caep_set(
        "evt-agent",
        &json!({"format": "uri", "uri": AGENT}),
        "credential-change",
        &json!({"credential_type": "x509", "change_type": "revoke"}),
    );
    let mut d = deny(400, &[], None, "credential-revoked");
    d["event"] = event_ref("credential-change", "evt-agent");
    let mut i = with_events(
        req(
            "GET",
            &mcp,
            &signed(&wpt_signer, "GET", &mcp, &none, None, "evt-15"),
            None,
            None,
        ),
        &[&agent_revoked],
    );
    i["before"] = json!([req(
        "GET",
        &mcp,
        &signed(&wpt_signer, "GET", &mcp, &none, None, "evt-14"),
        None,
        None
    )]);
    cases.push(ok(
        "authenticate/event-agent-wit",
        "CAEP credential-change (revoke) for the agent's URI: its WIT, issued before, is refused (wpt-01: 400), cached verification included",
        i,
        d,
    ));
    let mut d = deny(403, &[], None, "credential-revoked");
    d["event"] = event_ref("credential-change", "evt-agent");
    cases.push(ok(
        "authenticate/event-agent-mtls",
        "CAEP credential-change for the agent's URI: an mTLS peer has no issue time, so it is refused while the event's rule lives (403)",
        with_events(req("GET", &mcp, &none, None, Some(AGENT)), &[&agent_revoked]),
        d,
    ));
    let delegated_route = format!("{ORIGIN}/mcp/delegated");
    let planner = "spiffe://example.org/ns/prod/sa/planner";
    let delegated = access_token(&w, json!({"act": {"sub": planner}, "jti": "at-act"}));
    let planner_revoked = caep_set(
        "evt-planner",
        &json!({"format": "uri", "uri": planner}),
        "credential-change",
        &json!({"credential_type": "app", "change_type": "delete"}),
    );
    cases.push(ok(
        "authenticate/event-actor",
        "CAEP credential-change for an agent that acts in the token's act chain: the delegated token is refused",
        with_events(
            req("POST", &delegated_route, &dpop(&delegated, "evt-16", &delegated_route), None, None),
            &[&planner_revoked],
        ),
        denied_revoked("evt-planner", "credential-change"),
    ));
    cases.push(ok(
        "authenticate/event-duplicate",
        "the same SET delivered twice is applied once (the second is acknowledged, nothing changes)",
        with_events(req("POST", &tools, &dpop(&at, "evt-17", &tools), None, None), &[&revoked, &revoked]),
        denied_revoked("evt-session", "session-revoked"),
    ));
    cases
}

/// Request-level cases of the attack suite (vectors/ATTACKS.md): whole requests, so the edge
/// guards run them too. Each breaks one check of an otherwise valid request.
#[allow(clippy::too_many_lines)]
pub fn attack_cases(k: &Keys) -> Vec<Case> {
    let w = world(k);
    let p = main_policy(&w, k);
    let s = &w.secret;
    let mut cases = Vec::new();
    let mut no = |id: &str, title: &str, i: Value, out: Value| {
        cases.push(ok(&format!("authenticate/attack-{id}"), title, i, out));
    };
    let none: Headers = Vec::new();
    let mcp = format!("{ORIGIN}/mcp/session");
    let tools = format!("{ORIGIN}/mcp/tools/call");
    let invalid_token = |d: &str| {
        format!(
            "DPoP error=\"invalid_token\", error_description=\"{d}\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
        )
    };
    let all = [
        format!("Bearer resource_metadata=\"{META}\""),
        format!("DPoP resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""),
    ];
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let agent_wit = wit(&w, AGENT, json!({}), &w.wit_key);
    let workload = |wit: &str, proof: WorkloadProof| {
        Signer::new()
            .with_workload(wit.to_owned(), w.agent_key.clone(), proof)
            .unwrap()
    };
    let wpt_signer = workload(&agent_wit, WorkloadProof::Wpt(WptWire::Header));
    // A GET of the session resource carrying `wit` and a WPT signed for it.
    let wpt_get = |wit: &str, label: &str| {
        let h = signed(
            &workload(wit, WorkloadProof::Wpt(WptWire::Header)),
            "GET",
            &mcp,
            &none,
            None,
            label,
        );
        input(&p, s, req("GET", &mcp, &h, None, None))
    };
    let sig_signer = workload(
        &agent_wit,
        WorkloadProof::HttpSignature(WimseVersion::Draft07),
    );

    // §7.D5: a WIT is not a bearer credential.
    let h: Headers = vec![("Authorization".into(), format!("Bearer {agent_wit}"))];
    no(
        "wit-as-bearer",
        "attack §7.D5: a WIT sent as a Bearer token is judged as an access token and refused on typ; without its proof it authenticates nothing",
        input(&p, s, req("POST", &tools, &h, None, None)),
        deny(
            401,
            &[&format!(
                "Bearer error=\"invalid_token\", error_description=\"token type (typ) not accepted\", resource_metadata=\"{META}\""
            )],
            None,
            "typ-mismatch",
        ),
    );
    // §7.E6: the WIT′ swap at the gate.
    let wit_prime = wit(&w, AGENT, json!({"jti": "wit-prime"}), &w.wit_key);
    let h = signed(&wpt_signer, "GET", &mcp, &none, None, "swap-1");
    no(
        "wpt-wit-swapped",
        "attack §7.E6: a valid WPT presented with another valid WIT of the same workload and key (wth is over the first)",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &set(&h, "workload-identity-token", &wit_prime),
                None,
                None,
            ),
        ),
        deny(400, &[], None, "binding-mismatch"),
    );
    // §7.E4 / §7.F5: the audience is configuration, never Host or X-Forwarded-Host.
    let for_attacker = |signer: &Signer, label: &str| {
        let mut h: Headers = vec![
            ("Host".into(), "attacker.example".into()),
            ("X-Forwarded-Host".into(), "attacker.example".into()),
        ];
        let extra = signer
            .sign(
                &OutgoingRequest {
                    method: "GET",
                    target_uri: "https://attacker.example/mcp/session",
                    headers: &h,
                    body: None,
                },
                UnixTime(NOW),
                &seed(label, 16),
            )
            .unwrap();
        h.extend(extra);
        h
    };
    no(
        "wpt-audience-from-host",
        "attack §7.E4: a WPT made for attacker.example, with Host and X-Forwarded-Host saying attacker.example; the audience comes from the policy",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &for_attacker(&wpt_signer, "host-1"),
                None,
                None,
            ),
        ),
        deny(400, &[], None, "claim-mismatch"),
    );
    no(
        "signature-audience-from-host",
        "attack §7.F5: an HTTP signature whose wimse-aud is attacker.example, with Host and X-Forwarded-Host saying attacker.example",
        input(
            &p,
            s,
            req(
                "GET",
                &mcp,
                &for_attacker(&sig_signer, "host-2"),
                None,
                None,
            ),
        ),
        deny(400, &[], None, "claim-mismatch"),
    );
    // §7.H / §7.F1: a self-minted WIT with a proof under its own cnf key.
    let impostor = k.es256_other.clone().with_kid("es256-1");
    let minted = wit(&w, AGENT, json!({}), &impostor);
    let h = signed(
        &workload(&minted, WorkloadProof::HttpSignature(WimseVersion::Draft07)),
        "GET",
        &mcp,
        &none,
        None,
        "minted-1",
    );
    no(
        "self-minted-wit",
        "attack §7.H / §7.F1: a self-minted WIT naming the anchor's kid, with a valid HTTP signature under its cnf key: the WIT is verified before the signature",
        input(&p, s, req("GET", &mcp, &h, None, None)),
        deny(400, &[], None, "invalid-signature"),
    );
    // §7.E8: ECDSA malleability against a cache keyed on proof bytes.
    let at = access_token(&w, json!({}));
    let dpop_signer = Signer::new()
        .with_access_token(at, TokenType::Dpop, Some(w.dpop_key.clone()))
        .unwrap();
    let h = signed(&dpop_signer, "POST", &tools, &none, None, "twin-1");
    let twin = proof::high_s_twin(&get(&h, "dpop"));
    let mut i = input(
        &p,
        s,
        req("POST", &tools, &set(&h, "dpop", &twin), None, None),
    );
    i["before"] = json!([req("POST", &tools, &h, None, None)]);
    no(
        "dpop-high-s-twin-replayed",
        "attack §7.E8: the (r, n - s) twin of a DPoP proof already used is a replay (the cache keys on jti, not proof bytes)",
        i,
        deny(
            401,
            &[&format!(
                "DPoP error=\"invalid_dpop_proof\", error_description=\"proof already used (jti replay)\", resource_metadata=\"{META}\", algs=\"ES256 EdDSA\""
            )],
            None,
            "replayed",
        ),
    );
    // §7.C7: oversized fields fail before parsing.
    let ct: Headers = vec![("Content-Type".into(), "application/json".into())];
    let body: &[u8] = br#"{"jsonrpc":"2.0","method":"tools/list","id":1}"#;
    let h = signed(&sig_signer, "POST", &mcp, &ct, Some(body), "big-1");
    let padded = format!(
        "{}, pad=(\"{}\")",
        get(&h, "signature-input"),
        "a".repeat(9 * 1024)
    );
    no(
        "signature-input-oversized",
        "attack §7.C7: a Signature-Input past max_field_bytes (8192) fails before it is parsed",
        input(
            &p,
            s,
            req(
                "POST",
                &mcp,
                &set(&h, "signature-input", &padded),
                Some(body),
                None,
            ),
        ),
        deny(400, &[], None, "limit-exceeded"),
    );
    let big_at = access_token(&w, json!({"pad": "A".repeat(17 * 1024), "jti": "at-big"}));
    let big = Signer::new()
        .with_access_token(big_at, TokenType::Dpop, Some(w.dpop_key.clone()))
        .unwrap();
    no(
        "access-token-oversized",
        "attack §7.C7: a validly signed access token past max_token_bytes (16384)",
        input(
            &p,
            s,
            req(
                "POST",
                &tools,
                &signed(&big, "POST", &tools, &none, None, "big-2"),
                None,
                None,
            ),
        ),
        deny(
            401,
            &[&invalid_token("limit `max_token_bytes` exceeded")],
            None,
            "limit-exceeded",
        ),
    );
    // §7.A11: identity claims from unauthenticated headers are not credentials.
    let h: Headers = vec![
        (
            "X-Forwarded-Client-Cert".into(),
            format!("By=spiffe://example.org/ns/prod/sa/gw;URI={AGENT}"),
        ),
        ("X-Spiffe-Id".into(), AGENT.into()),
        ("X-Agent-Id".into(), AGENT.into()),
    ];
    no(
        "identity-headers",
        "attack §7.A11: XFCC, X-Spiffe-Id and the like from the request are not credentials (the mTLS peer comes from the host's TLS stack)",
        input(&p, s, req("GET", &mcp, &h, None, None)),
        deny(401, &all, None, "credential-missing"),
    );
    // §7.A6 / §7.A1 / §7.A2: identifiers at the gate.
    let other_td = wit(
        &w,
        "spiffe://other.org/ns/prod/sa/api",
        json!({}),
        &k.es256_other,
    );
    no(
        "agent-other-trust-domain",
        "attack §7.A6: the same path in another (trusted) trust domain does not match spiffe://example.org/ns/prod/*",
        wpt_get(&other_td, "other-td"),
        deny(403, &[], None, "agent-not-allowed"),
    );
    for (id, sub, title) in [
        (
            "agent-percent-encoded",
            "spiffe://example.org/ns/prod/sa/%61pi",
            "attack §7.A1: a percent-encoded path (…/%61pi for …/api) is refused, not normalised",
        ),
        (
            "agent-uppercase-trust-domain",
            "spiffe://Example.org/ns/prod/sa/api",
            "attack §7.A2: an uppercase trust domain is refused, not folded",
        ),
        (
            "agent-dot-segment",
            "spiffe://example.org/ns/prod/sa/x/../admin",
            "attack §7.A3: a dot segment is refused before any prefix match",
        ),
    ] {
        let bad = wit(&w, sub, json!({}), &w.wit_key);
        no(
            id,
            title,
            wpt_get(&bad, id),
            deny(400, &[], None, "invalid-identifier"),
        );
    }
    for (id, peer, title) in [
        (
            "mtls-percent-encoded",
            "spiffe://example.org/ns/prod/sa/%61pi",
            "attack §7.A1: an mTLS peer SAN with percent-encoding is refused",
        ),
        (
            "mtls-trailing-slash",
            "spiffe://example.org/ns/prod/sa/api/",
            "attack §7.A4: an mTLS peer SAN with a trailing slash is refused",
        ),
    ] {
        no(
            id,
            title,
            input(&p, s, req("GET", &mcp, &none, None, Some(peer))),
            deny(403, &[], None, "invalid-identifier"),
        );
    }
    cases
}
