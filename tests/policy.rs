//! The policy document: a complete example, each refusal naming its member, and route matching.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use a2a_auth::identity::WorkloadId;
use a2a_auth::policy::{CredentialKind, Jwks, Policy};
use a2a_auth::proof::WptWire;
use a2a_auth::{Error, Limits};
use serde_json::{Value, json};

fn doc() -> Value {
    json!({
        "resource": "https://tools.example.com/mcp",
        "authorities": ["https://tools.example.com"],
        "trust_domains": {"example.org": {"keys": []}},
        "authorization_servers": [
            {"issuer": "https://as.example.com", "jwks": {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}, "algorithms": ["EdDSA"]},
            {"issuer": "https://as2.example.com", "jwks_uri": "https://as2.example.com/jwks"}
        ],
        "credentials": {"wpt": {"wire": "wpt-02"}, "http_signature": {"version": "draft-07"}, "dpop": {"algorithms": ["ES256"], "nonce": true}, "bearer": false},
        "routes": [
            {"path": "/mcp/admin", "prefix": true, "methods": ["POST"], "agents": ["spiffe://example.org/ns/ops/sa/admin"], "scopes": ["tools:admin"], "credentials": ["wpt", "dpop"]},
            {"path": "/mcp", "prefix": true, "agents": ["spiffe://example.org/ns/prod/*"], "scopes": ["tools:call"], "acr_values": ["urn:example:mfa"], "max_auth_age": 600},
            {"path": "/health", "methods": ["GET"]}
        ]
    })
}

fn parse(v: &Value) -> Result<Policy, Error> {
    Policy::from_json(&v.to_string(), &Limits::DEFAULT)
}

fn with(path: &[&str], value: Value) -> Value {
    let mut d = doc();
    let mut cur = &mut d;
    for (i, p) in path.iter().enumerate() {
        if i + 1 == path.len() {
            if value.is_null() {
                cur.as_object_mut().unwrap().remove(*p);
            } else {
                cur[*p] = value.clone();
            }
            break;
        }
        cur = if let Ok(n) = p.parse::<usize>() {
            &mut cur[n]
        } else {
            &mut cur[*p]
        };
    }
    d
}

#[test]
fn a_complete_policy() {
    let p = parse(&doc()).unwrap();
    assert_eq!(p.credentials.wpt, Some(WptWire::Authorization));
    assert!(p.credentials.dpop_nonce);
    assert!(matches!(p.authorization_servers[1].jwks, Jwks::Uri(_)));
    assert_eq!(p.leeway, 60);
    // First match wins; prefixes match whole segments.
    let admin = p.route("POST", "/mcp/admin/reset").unwrap();
    assert_eq!(admin.requirements.scopes, ["tools:admin"]);
    assert!(admin.accepts(CredentialKind::Wpt) && !admin.accepts(CredentialKind::HttpSignature));
    assert_eq!(
        p.route("GET", "/mcp/admin").unwrap().requirements.scopes,
        ["tools:call"]
    );
    assert_eq!(
        p.route("POST", "/mcp").unwrap().requirements.max_auth_age,
        Some(600)
    );
    assert!(p.route("POST", "/mcpx").is_none());
    assert!(p.route("POST", "/health").is_none());
    assert!(p.route("GET", "/health").is_some());
    assert!(p.route("GET", "/health/deep").is_none());
    let prod = WorkloadId::parse("spiffe://example.org/ns/prod/sa/api").unwrap();
    let attacker = WorkloadId::parse("spiffe://attacker.example/ns/prod/sa/api").unwrap();
    let r = p.route("POST", "/mcp/tools").unwrap();
    assert!(r.allows_agent(&prod) && !r.allows_agent(&attacker));
}

#[test]
fn refusals_name_the_member() {
    let code = |v: Value| match parse(&v) {
        Err(Error::InvalidArgument(path)) => path,
        Err(e) => panic!("unexpected {e:?}"),
        Ok(_) => panic!("accepted"),
    };
    assert_eq!(code(with(&["extra"], json!(1))), "policy: unknown member");
    assert_eq!(
        code(with(&["resource"], json!("http://tools.example.com/mcp"))),
        "resource"
    );
    assert_eq!(
        code(with(
            &["resource"],
            json!("https://tools.example.com/mcp#x")
        )),
        "resource"
    );
    assert_eq!(
        code(with(
            &["authorities"],
            json!(["https://tools.example.com/path"])
        )),
        "authorities"
    );
    assert_eq!(code(with(&["authorities"], json!([]))), "authorities");
    assert_eq!(
        code(with(
            &["authorization_servers", "0", "jwks_uri"],
            json!("https://x")
        )),
        "authorization_servers[].jwks"
    );
    assert_eq!(
        code(with(
            &["authorization_servers", "1", "jwks_uri"],
            json!("http://as2.example.com/jwks")
        )),
        "authorization_servers[].jwks"
    );
    assert_eq!(
        code(with(
            &["authorization_servers", "0", "algorithms"],
            json!(["HS256"])
        )),
        "authorization_servers[].algorithms"
    );
    assert_eq!(
        code(with(
            &["authorization_servers", "0", "issuer"],
            json!("as.example.com")
        )),
        "authorization_servers[].issuer"
    );
    assert_eq!(
        code(with(&["credentials", "wpt", "wire"], json!("wpt-03"))),
        "credentials.wpt.wire"
    );
    assert_eq!(
        code(with(
            &["credentials", "http_signature", "version"],
            json!("draft-05")
        )),
        "credentials.http_signature.version"
    );
    assert_eq!(
        code(with(&["credentials", "dpop", "nonce"], json!("yes"))),
        "credentials.dpop.nonce"
    );
    assert_eq!(
        code(with(&["credentials"], json!({}))),
        "credentials: none enabled"
    );
    assert_eq!(
        code(with(&["credentials", "magic"], json!(true))),
        "credentials: unknown member"
    );
    assert_eq!(
        code(with(&["trust_domains"], json!({}))),
        "trust_domains: needed for wpt and http_signature"
    );
    assert_eq!(
        code(with(&["authorization_servers"], json!([]))),
        "authorization_servers: needed for dpop and bearer"
    );
    assert_eq!(code(with(&["routes"], json!([]))), "routes");
    assert_eq!(
        code(with(&["routes", "0", "path"], json!("mcp"))),
        "routes[].path"
    );
    assert_eq!(
        code(with(
            &["routes", "0", "agents"],
            json!(["spiffe://example.org/*"])
        )),
        "routes[].agents"
    );
    assert_eq!(
        code(with(&["routes", "0", "credentials"], json!(["bearer"]))),
        "routes[].credentials: not enabled in credentials"
    );
    assert_eq!(
        code(with(&["routes", "0", "credentials"], json!(["magic"]))),
        "routes[].credentials"
    );
    // Token requirements on a route that accepts no token would never be checked: refused.
    assert_eq!(
        code(with(&["routes", "0", "credentials"], json!(["wpt"]))),
        "routes[]: token requirements (scopes, authorization_details_types, acr_values, max_auth_age, actors, max_delegation_depth) need dpop or bearer"
    );
    assert_eq!(
        code(with(&["routes", "0", "colour"], json!("red"))),
        "routes[]: unknown member"
    );
    // Trust-domain keys follow the bundle-map rules.
    assert_eq!(
        parse(&with(
            &["trust_domains"],
            json!({"Example.org": {"keys": []}})
        ))
        .unwrap_err()
        .code(),
        "invalid-identifier"
    );
}
