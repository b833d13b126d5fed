//! The `wasi:http/incoming-handler` export (wstd).
#![allow(
    dead_code,
    clippy::unreachable,
    clippy::unwrap_used,
    reason = "wstd's http_server macro expands to these"
)]

use a2a_auth::UnixTime;
use a2a_auth::gate::{IncomingRequest, edge};
use wstd::http::body::Body;
use wstd::http::{Client, Error, Request, Response};

use super::{Settings, upstream_headers};

#[expect(
    clippy::disallowed_methods,
    reason = "the guard is a host: it supplies configuration, time and randomness"
)]
fn environment(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[expect(
    clippy::disallowed_methods,
    reason = "the guard is a host: it supplies the time the core takes as input"
)]
fn clock() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn random() -> [u8; 32] {
    let mut b = [0u8; 32];
    wstd::rand::get_random_bytes(&mut b);
    b
}

fn reply(status: u16, headers: &[(String, String)], body: Vec<u8>) -> Response<Body> {
    let mut r = Response::builder().status(status);
    for (k, v) in headers {
        r = r.header(k.as_str(), v.as_str());
    }
    r.body(Body::from(body))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

fn problem(status: u16, title: &str) -> Response<Body> {
    reply(
        status,
        &[("content-type".into(), "application/problem+json".into())],
        edge::problem_body(status, title).into_bytes(),
    )
}

#[wstd::http_server]
async fn main(request: Request<Body>) -> Result<Response<Body>, Error> {
    Ok(handle(request).await)
}

async fn handle(mut request: Request<Body>) -> Response<Body> {
    let settings = match Settings::from_env(environment) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("a2a-auth guard: configuration: {message}");
            return problem(500, "invalid-argument");
        }
    };
    let now = UnixTime(settings.fixed_now.unwrap_or_else(clock));
    let mut verifier = match settings.verifier(random) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("a2a-auth guard: configuration: {} ({e})", e.code());
            return problem(500, e.code());
        }
    };
    if let Some(store) = &settings.keyvalue {
        match keyvalue::shared_replay(store) {
            Ok(shared) => verifier.set_shared_replay(shared),
            Err(message) => {
                eprintln!("a2a-auth guard: A2A_AUTH_KEYVALUE: {message}");
                return problem(500, "invalid-argument");
            }
        }
    }
    // Key documents (jwks_uri, bundle endpoints): a fresh instance has none, so they are
    // fetched on every request that needs them.
    let client = Client::new();
    for url in verifier.due(now) {
        let fetched = match Request::get(url.as_str())
            .header("accept", "application/json")
            .body(Body::empty())
        {
            Ok(r) => match client.send(r).await {
                Ok(mut resp) if resp.status() == 200 => {
                    let age = edge::max_age(
                        resp.headers()
                            .get("cache-control")
                            .and_then(|v| v.to_str().ok()),
                    );
                    resp.body_mut()
                        .str_contents()
                        .await
                        .ok()
                        .map(|b| (b.to_owned(), age))
                }
                _ => None,
            },
            Err(_) => None,
        };
        let (body, age) = fetched.map_or((None, None), |(b, a)| (Some(b), a));
        if let Err(e) = verifier.ingest(&url, body.as_deref(), age, now) {
            eprintln!("a2a-auth guard: key document {url}: {}", e.code());
        }
    }
    let method = request.method().as_str().to_owned();
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    // The RFC 9728 document at its well-known path.
    if method == "GET"
        && let Ok((url, doc)) = verifier.resource_metadata()
        && url.strip_prefix(&settings.origin) == Some(path.split('?').next().unwrap_or_default())
    {
        return reply(
            200,
            &[("content-type".into(), "application/json".into())],
            doc.into_bytes(),
        );
    }
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let body = match request.body_mut().contents().await {
        Ok(b) if b.len() <= settings.max_body => b.to_vec(),
        Ok(_) => return problem(413, "body-too-large"),
        Err(_) => return problem(400, "body"),
    };
    let target = format!("{}{path}", settings.origin);
    let decision = verifier.authenticate(
        &IncomingRequest {
            method: &method,
            target_uri: &target,
            headers: &headers,
            body: Some(&body),
            mtls_peer: None,
        },
        now,
    );
    let principal = match decision {
        Ok(p) => {
            eprintln!("a2a-auth decision {}", p.audit);
            Some(p)
        }
        Err(d) => {
            eprintln!(
                "a2a-auth decision {}{}",
                d.audit,
                if settings.observe {
                    " (observe: let through)"
                } else {
                    ""
                }
            );
            if !settings.observe {
                let (status, headers, body) = edge::denial_reply(&d);
                return reply(status, &headers, body.into_bytes());
            }
            None
        }
    };
    let forwarded = upstream_headers(&headers, principal.as_ref(), &settings);
    let build = |body: &[u8]| {
        let mut r = Request::builder()
            .method(method.as_str())
            .uri(format!("{}{path}", settings.upstream));
        for (k, v) in &forwarded {
            r = r.header(k.as_str(), v.as_str());
        }
        // The length is always declared: an outgoing request without one (a GET with an empty
        // body) was seen reset intermittently by wasmtime serve 48.
        r.header("content-length", body.len().to_string())
            .body(Body::from(body.to_vec()))
    };
    // A connection reset before any answer is retried (twice) for idempotent methods, as
    // proxies do: `wasmtime serve` 48 was seen to reset some outgoing connections right after
    // start-up and then every other one, with any upstream. Anything else is answered 502.
    let idempotent = matches!(
        method.as_str(),
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
    );
    let mut result = match build(&body) {
        Ok(r) => client.send(r).await,
        Err(_) => return problem(502, "upstream-request"),
    };
    for _ in 0..2 {
        if !idempotent || result.is_ok() {
            break;
        }
        if let Ok(r) = build(&body) {
            result = client.send(r).await;
        }
    }
    match result {
        Ok(resp) => {
            let mut out = Response::builder().status(resp.status());
            for (k, v) in resp.headers() {
                if !super::HOP_BY_HOP.contains(&k.as_str()) {
                    out = out.header(k, v);
                }
            }
            out.body(resp.into_body())
                .unwrap_or_else(|_| Response::new(Body::empty()))
        }
        Err(e) => {
            eprintln!("a2a-auth guard: upstream: {e:?}");
            problem(502, "upstream")
        }
    }
}

/// The shared replay cache in `wasi:keyvalue` (the `keyvalue` build).
#[cfg(feature = "keyvalue")]
mod keyvalue {
    #[allow(unsafe_code, missing_docs, clippy::all, clippy::pedantic)]
    mod bindings {
        wit_bindgen::generate!({ path: "wit", world: "guard-keyvalue" });
    }

    use a2a_auth::proof::{SharedReplay, SlotReplay, SlotStore, StoreUnavailable};
    use bindings::wasi::keyvalue::store::{Bucket, open};

    struct Store(Bucket);

    impl SlotStore for Store {
        fn get(&mut self, key: &str) -> Result<(Option<Vec<u8>>, Option<u32>), StoreUnavailable> {
            // wasi:keyvalue has no versions: writes are last-writer-wins.
            self.0
                .get(key)
                .map(|v| (v, None))
                .map_err(|_| StoreUnavailable)
        }

        fn set(&mut self, key: &str, value: &[u8], _version: Option<u32>) -> bool {
            self.0.set(key, value).is_ok()
        }
    }

    /// The replay cache shared through the store `name`.
    pub fn shared_replay(name: &str) -> Result<Box<dyn SharedReplay>, String> {
        let bucket = open(name).map_err(|e| format!("cannot open store `{name}`: {e:?}"))?;
        Ok(Box::new(SlotReplay::new(Store(bucket), 16_384)))
    }
}

/// Without the `keyvalue` build, asking for it is a configuration error (fail closed).
#[cfg(not(feature = "keyvalue"))]
mod keyvalue {
    use a2a_auth::proof::SharedReplay;

    pub fn shared_replay(_name: &str) -> Result<Box<dyn SharedReplay>, String> {
        Err("this build has no wasi:keyvalue support: use dist/a2a_auth_guard_kv.wasm".into())
    }
}
