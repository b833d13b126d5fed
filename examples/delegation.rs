//! The delegation walkthrough (`cargo run --example delegation`): a user delegates to agent A;
//! A exchanges the user's token for one naming B's API with itself as actor (RFC 8693), asks the
//! transaction token service for a Txn-Token, and calls agent B with a WPT and DPoP; B checks
//! it all with one `authenticate` call and asks a PDP (AuthZEN) before acting.
//!
//! Everything runs in-process with fixed keys and a fixed clock. The authorization server and
//! the transaction token service are played by a few lines that sign what a real one would
//! return; everything on the agents' side is the library's public API.
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use a2a_auth::crypto::{Algorithm, KeyPair};
use a2a_auth::gate::{
    IncomingRequest, OutgoingRequest, Signer, TokenType, Verifier, VerifierOptions, WorkloadProof,
    principal_subject,
};
use a2a_auth::identity::{WitClaims, WorkloadId, issue_workload_identity_token};
use a2a_auth::jose::sign_jws;
use a2a_auth::oauth::{
    ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, TokenExchangeRequest, TxnTokenParams, issue_txn_token,
    parse_token_exchange_response, token_exchange_request,
};
use a2a_auth::policy::Policy;
use a2a_auth::proof::WptWire;
use a2a_auth::{Error, Limits, UnixTime};
use serde_json::{Value, json};

const NOW: UnixTime = UnixTime(1_767_225_600);
const AS: &str = "https://as.example.com";
const B_API: &str = "https://agent-b.example.com/a2a";
const AGENT_A: &str = "spiffe://example.org/agents/planner";

fn key(alg: Algorithm, n: u8, kid: &str) -> KeyPair {
    KeyPair::from_seed(alg, &[n; 32]).unwrap().with_kid(kid)
}

fn public(k: &KeyPair) -> Value {
    Value::Object(k.public_jwk().to_object())
}

/// What the authorization server would sign (played here by its key).
fn access_token(as_key: &KeyPair, claims: &Value) -> String {
    let mut header = serde_json::Map::new();
    header.insert("typ".into(), "at+jwt".into());
    sign_jws(&header, claims.to_string().as_bytes(), as_key).unwrap()
}

fn main() -> Result<(), Error> {
    println!("a2a-auth delegation walkthrough (in-process, fixed keys and clock)\n");
    let as_key = key(Algorithm::Es256, 1, "as-1");
    let td_key = key(Algorithm::Es256, 2, "td-1");
    let tts_key = key(Algorithm::Es256, 3, "tts-1");
    let a_wit_key = key(Algorithm::Ed25519, 4, "a-wit");
    let a_dpop_key = key(Algorithm::Es256, 5, "a-dpop");

    // 1. The user signs in and authorises agent A: A holds a DPoP-bound token for A's own API.
    let user_token = access_token(
        &as_key,
        &json!({"iss": AS, "sub": "user:alice", "aud": "https://agent-a.example.com/a2a",
                "client_id": "agent-a", "iat": NOW.0 - 30, "exp": NOW.0 + 600, "jti": "at-user",
                "scope": "trips:plan", "cnf": {"jkt": a_dpop_key.public_jwk().thumbprint()}}),
    );
    println!(
        "1. alice → agent A          access token for A (scope trips:plan), DPoP-bound to A's key"
    );

    // 2. A has a workload identity: a WIT from its trust domain's identity server.
    let a_id = WorkloadId::parse(AGENT_A)?;
    let a_wit = issue_workload_identity_token(
        &td_key,
        &WitClaims {
            subject: &a_id,
            confirmation_key: a_wit_key.public_jwk(),
            issued_at: NOW,
            lifetime: 3600,
            jti: "wit-a",
            issuer: None,
        },
    )?;
    println!("2. agent A identity         WIT for {AGENT_A}");

    // 3. A exchanges alice's token for one aimed at B, with itself as the actor (RFC 8693).
    let body = token_exchange_request(&TokenExchangeRequest {
        subject_token: user_token,
        subject_token_type: ACCESS_TOKEN_TYPE.into(),
        actor_token: Some(a_wit.clone()),
        actor_token_type: Some(JWT_TOKEN_TYPE.into()),
        resources: vec![B_API.into()],
        scopes: vec!["trips:book".into()],
        ..TokenExchangeRequest::default()
    })?;
    println!(
        "3. A → AS token exchange    {} bytes of form body (resource={B_API})",
        body.len()
    );
    // ... the AS validates both tokens and answers (played here):
    let delegated = access_token(
        &as_key,
        &json!({"iss": AS, "sub": "user:alice", "aud": B_API, "client_id": "agent-a",
                "iat": NOW.0, "exp": NOW.0 + 300, "jti": "at-delegated", "scope": "trips:book",
                "act": {"sub": AGENT_A}, "cnf": {"jkt": a_dpop_key.public_jwk().thumbprint()}}),
    );
    let response = json!({"access_token": delegated, "issued_token_type": ACCESS_TOKEN_TYPE,
                          "token_type": "DPoP", "expires_in": 300, "scope": "trips:book"});
    let exchanged =
        parse_token_exchange_response(&response.to_string(), None, Some("DPoP"), &Limits::DEFAULT)?;
    println!(
        "   AS → A                   {} token, act.sub = agent A",
        exchanged.token_type
    );

    // 4. The transaction token service issues the call chain's context (played here).
    let txn = issue_txn_token(
        &tts_key,
        &TxnTokenParams {
            audience: "example.org".into(),
            txn: "trip-7f3a".into(),
            subject: "user:alice".into(),
            scope: "trips:book".into(),
            requesting_workload: AGENT_A.into(),
            tctx: Some(
                json!({"trip": "LIS-2026-05", "max_price_eur": 900})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
            rctx: None,
            issuer: None,
            issued_at: NOW,
            lifetime: 60,
        },
    )?;
    println!("4. TTS → A                  Txn-Token txn=trip-7f3a (bound by the WPT's tth)");

    // 5. A calls B: one Signer adds WIT + WPT and DPoP proof + Authorization.
    let signer = Signer::new()
        .with_access_token(exchanged.access_token, TokenType::Dpop, Some(a_dpop_key))?
        .with_workload(a_wit, a_wit_key, WorkloadProof::Wpt(WptWire::Header))?;
    let uri = format!("{B_API}/tasks");
    let mut headers = vec![("Txn-Token".to_owned(), txn)];
    headers.extend(signer.sign(
        &OutgoingRequest {
            method: "POST",
            target_uri: &uri,
            headers: &headers,
            body: None,
        },
        NOW,
        &[7; 16],
    )?);
    let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
    println!(
        "5. A → B                    POST /a2a/tasks with {}",
        names.join(", ")
    );

    // 6. B decides with one call: its policy names the AS, the trust domain, the TTS, and a
    //    route that wants agent A as the current actor.
    let mut anchor = public(&td_key);
    anchor["use"] = json!("wit-svid");
    let policy = json!({
        "resource": B_API, "authorities": ["https://agent-b.example.com"],
        "trust_domains": {"example.org": {"keys": [anchor]}},
        "authorization_servers": [{"issuer": AS, "jwks": {"keys": [public(&as_key)]}}],
        "transaction_tokens": {"trust_domain": "example.org", "jwks": {"keys": [public(&tts_key)]}, "required": true},
        "credentials": {"wpt": {"wire": "wpt-01"}, "dpop": {"algorithms": ["ES256"]}},
        "routes": [{"path": "/a2a", "prefix": true, "agents": ["spiffe://example.org/agents/*"],
                    "scopes": ["trips:book"], "actors": ["spiffe://example.org/agents/*"], "max_delegation_depth": 2}],
    });
    let mut b = Verifier::new(
        Policy::from_json(&policy.to_string(), &Limits::DEFAULT)?,
        &[9; 32],
        VerifierOptions::default(),
    )?;
    let request = IncomingRequest {
        method: "POST",
        target_uri: &uri,
        headers: &headers,
        body: None,
        mtls_peer: None,
    };
    let principal = match b.authenticate(&request, NOW) {
        Ok(p) => p,
        Err(d) => panic!("B refused: {} {}", d.status, d.error.code()),
    };
    println!(
        "6. B authenticates          agent {} for {} (actor {}), scopes {:?}, txn {}",
        principal.agent.as_deref().unwrap_or("-"),
        principal.subject.as_deref().unwrap_or("-"),
        principal.actors.first().map_or("-", |a| a.subject.as_str()),
        principal.scopes,
        principal
            .transaction
            .as_ref()
            .map_or("-", |t| t.txn.as_str()),
    );

    // 7. B asks its PDP (AuthZEN) with the Principal as the subject, and enforces the answer.
    let subject = principal_subject(&principal)?;
    println!(
        "7. B → PDP                  subject {{type: {}, id: {}}}, action book",
        subject.kind, subject.id
    );
    match b.enforce(&principal, r#"{"decision": true}"#) {
        Ok(()) => println!("   PDP → B                  permit: B books the trip"),
        Err(d) => println!(
            "   PDP → B                  deny: {} {}",
            d.status,
            d.error.code()
        ),
    }

    // 8. B calls a tool for the same transaction: another exchange puts B outermost in `act`
    //    (A stays inside, as history), and the Txn-Token is forwarded unmodified.
    const TOOL: &str = "https://calendar.example.com/mcp";
    const AGENT_B: &str = "spiffe://example.org/agents/booker";
    let b_dpop_key = key(Algorithm::Es256, 6, "b-dpop");
    let tool_token = access_token(
        &as_key,
        &json!({"iss": AS, "sub": "user:alice", "aud": TOOL, "client_id": "agent-b", "iat": NOW.0,
                "exp": NOW.0 + 300, "jti": "at-tool", "scope": "calendar.write",
                "act": {"sub": AGENT_B, "act": {"sub": AGENT_A}},
                "cnf": {"jkt": b_dpop_key.public_jwk().thumbprint()}}),
    );
    let to_tool = Signer::new().with_access_token(tool_token, TokenType::Dpop, Some(b_dpop_key))?;
    let tool_uri = format!("{TOOL}/tools/call");
    let forwarded = headers
        .iter()
        .filter(|(n, _)| n == "Txn-Token")
        .cloned()
        .collect::<Vec<_>>();
    let mut tool_headers = forwarded.clone();
    tool_headers.extend(to_tool.sign(
        &OutgoingRequest {
            method: "POST",
            target_uri: &tool_uri,
            headers: &forwarded,
            body: None,
        },
        NOW,
        &[8; 16],
    )?);
    let tool_policy = json!({
        "resource": TOOL, "authorities": ["https://calendar.example.com"],
        "authorization_servers": [{"issuer": AS, "jwks": {"keys": [public(&as_key)]}}],
        "transaction_tokens": {"trust_domain": "example.org", "jwks": {"keys": [public(&tts_key)]}},
        "credentials": {"dpop": {"algorithms": ["ES256"]}},
        "routes": [{"path": "/mcp", "prefix": true, "scopes": ["calendar.write"], "actors": [AGENT_B], "max_delegation_depth": 2}],
    });
    let mut tool = Verifier::new(
        Policy::from_json(&tool_policy.to_string(), &Limits::DEFAULT)?,
        &[10; 32],
        VerifierOptions::default(),
    )?;
    let at_tool = tool
        .authenticate(
            &IncomingRequest {
                method: "POST",
                target_uri: &tool_uri,
                headers: &tool_headers,
                body: None,
                mtls_peer: None,
            },
            NOW,
        )
        .unwrap_or_else(|d| panic!("the tool refused: {} {}", d.status, d.error.code()));
    let chain: Vec<&str> = at_tool.actors.iter().map(|a| a.subject.as_str()).collect();
    println!(
        "8. B → tool                 {} for {}; act chain {:?}; txn {}",
        a2a_auth::ffi::credential_kind_name(at_tool.method),
        at_tool.subject.as_deref().unwrap_or("-"),
        chain,
        at_tool.transaction.as_ref().map_or("-", |t| t.txn.as_str()),
    );

    // 9. The same request to B again is a replay.
    let again = b.authenticate(&request, NOW).unwrap_err();
    println!(
        "9. replayed request to B    {} {} (the WPT's jti was seen)",
        again.status,
        again.error.code()
    );
    let audit: Value = serde_json::from_str(&principal.audit).unwrap();
    println!(
        "   audit record (no tokens)  {}",
        json!({"decision": audit["decision"], "agent": audit["agent"], "user": audit["user"],
               "actors": audit["actors"], "txn": audit["txn"], "route": audit["route"]})
    );
    Ok(())
}
