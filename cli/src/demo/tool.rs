//! The demo's tool: a calendar that answers with what its guard told it about the caller (the
//! identity headers), and, when the wasi:http guard cannot run here, the same guard natively.

use std::sync::{Arc, Mutex};

use a2a_auth::UnixTime;
use a2a_auth::gate::{IncomingRequest, Verifier, edge};
use serde_json::{Value, json};

use crate::common::{now, receive, respond};

/// The tool's answer to a request its guard let through.
fn calendar(headers: &[(String, String)]) -> Value {
    let h = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| {
                n.eq_ignore_ascii_case(&format!("{}{name}", edge::DEFAULT_HEADER_PREFIX))
            })
            .map(|(_, v)| v.clone())
    };
    json!({
        "tool": "calendar",
        "ran_for": h("user"),
        "agent": h("agent"),
        "actors": h("actors").map(|a| a.split(',').map(str::to_owned).collect::<Vec<_>>()),
        "txn": h("txn"),
        "free_slots": ["09:30", "14:00", "16:15"],
    })
}

/// The tool upstream (behind the wasi:http guard): trusts the identity headers only because
/// it listens on loopback behind the guard.
pub fn serve_upstream(server: tiny_http::Server) {
    for mut request in server.incoming_requests() {
        let r = receive(&mut request, 0);
        let body = calendar(&r.headers).to_string();
        // One request per connection: `wasmtime serve` 48 was seen to reuse connections the
        // upstream had already closed, and report the reset as an upstream failure.
        respond(
            request,
            200,
            &[
                ("content-type".into(), "application/json".into()),
                ("connection".into(), "close".into()),
            ],
            body,
        );
    }
}

/// The tool with a native guard in front (the fallback when `wasmtime serve` or the guard
/// component is not available): the same policy and decision, in-process. Decision records
/// go to `records`.
pub fn serve_guarded(
    server: tiny_http::Server,
    origin: String,
    mut verifier: Verifier,
    records: Arc<Mutex<Vec<String>>>,
) {
    for mut request in server.incoming_requests() {
        let r = receive(&mut request, 0);
        let target = format!("{origin}{}", r.target);
        let incoming = IncomingRequest {
            method: &r.method,
            target_uri: &target,
            headers: &r.headers,
            body: None,
            mtls_peer: None,
        };
        match verifier.authenticate(&incoming, UnixTime(now())) {
            Ok(p) => {
                if let Ok(mut log) = records.lock() {
                    log.push(p.audit.clone());
                }
                let body =
                    calendar(&edge::identity_headers(&p, edge::DEFAULT_HEADER_PREFIX)).to_string();
                respond(
                    request,
                    200,
                    &[("content-type".into(), "application/json".into())],
                    body,
                );
            }
            Err(d) => {
                if let Ok(mut log) = records.lock() {
                    log.push(d.audit.clone());
                }
                let (status, headers, body) = edge::denial_reply(&d);
                respond(request, status, &headers, body);
            }
        }
    }
}
