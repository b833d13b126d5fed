//! The guard's keyvalue build (`dist/a2a_auth_guard_kv.wasm`) in a wasi:http host of our own on
//! wasmtime (`wasmtime-wasi-http`), with one `wasi:keyvalue` store shared by every instance —
//! what Spin provides with its key-value store (`wasmtime serve` builds a new in-memory store
//! per request, so it cannot show this). Each request gets a fresh instance, as under Spin; a
//! proof replayed to a second instance is refused only when the store is shared.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use wasmtime::component::{Component, Linker, Resource, ResourceTable};
use wasmtime::{Config, Engine, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::{
    Error as HttpError, RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks,
    WasiHttpView,
};

mod kv {
    wasmtime::component::bindgen!({
        path: "../bindings/http-guard/wit",
        world: "guard-keyvalue",
        with: { "wasi:keyvalue/store.bucket": super::Bucket },
    });
}

use kv::wasi::keyvalue::store;

/// The shared store: one map for every instance.
type Shared = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// A bucket handle (all buckets see the one shared map).
pub struct Bucket;

/// The upstream is out of reach: allowed requests end in the guard's 502 `upstream`, which is
/// all this test needs to tell an allowed request from a refused one.
struct NoUpstream;

impl WasiHttpHooks for NoUpstream {
    fn send_request(
        &mut self,
        _request: http::Request<WasiBody>,
        _options: Option<RequestOptions>,
        _fut: Box<dyn Future<Output = Result<(), HttpError>> + Send>,
    ) -> Box<
        dyn Future<
                Output = Result<
                    (
                        http::Response<WasiBody>,
                        Box<dyn Future<Output = Result<(), HttpError>> + Send>,
                    ),
                    HttpError,
                >,
            > + Send,
    > {
        Box::new(async {
            Err(HttpError::Connect(std::io::Error::from(
                std::io::ErrorKind::ConnectionRefused,
            )))
        })
    }
}

struct Host {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: NoUpstream,
    kv: Shared,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for Host {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

impl store::Host for Host {
    fn open(&mut self, _identifier: String) -> Result<Resource<Bucket>, store::Error> {
        self.table
            .push(Bucket)
            .map_err(|e| store::Error::Other(e.to_string()))
    }
}

impl store::HostBucket for Host {
    fn get(&mut self, _b: Resource<Bucket>, key: String) -> Result<Option<Vec<u8>>, store::Error> {
        Ok(self.kv.lock().unwrap().get(&key).cloned())
    }

    fn set(
        &mut self,
        _b: Resource<Bucket>,
        key: String,
        value: Vec<u8>,
    ) -> Result<(), store::Error> {
        self.kv.lock().unwrap().insert(key, value);
        Ok(())
    }

    fn drop(&mut self, b: Resource<Bucket>) -> wasmtime::Result<()> {
        self.table.delete(b)?;
        Ok(())
    }
}

struct KvData;
impl wasmtime::component::HasData for KvData {
    type Data<'a> = &'a mut Host;
}

/// Sends one request through a fresh instance; returns the status and the problem title.
async fn request(
    pre: &ProxyPre<Host>,
    engine: &Engine,
    env: &[(String, String)],
    kv: &Shared,
    r: &Value,
) -> (u16, String) {
    let mut wasi = WasiCtx::builder();
    for (k, v) in env {
        wasi.env(k, v);
    }
    let mut store = Store::new(
        engine,
        Host {
            wasi: wasi.build(),
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            hooks: NoUpstream,
            kv: Arc::clone(kv),
        },
    );
    let (_, path) = a2a_auth_host_tests::split_uri(r["target_uri"].as_str().unwrap());
    let mut builder = http::Request::builder()
        .method(r["method"].as_str().unwrap())
        .uri(format!("http://127.0.0.1{path}"));
    for h in r["headers"].as_array().unwrap() {
        builder = builder.header(h[0].as_str().unwrap(), h[1].as_str().unwrap());
    }
    let req = builder
        .body(
            Full::new(Bytes::new())
                .map_err(|e: std::convert::Infallible| -> HttpError { match e {} }),
        )
        .unwrap();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let req = store
        .data_mut()
        .http()
        .new_incoming_request(Scheme::Http, req)
        .unwrap();
    let out = store
        .data_mut()
        .http()
        .new_response_outparam(sender)
        .unwrap();
    let proxy = pre.instantiate_async(&mut store).await.unwrap();
    proxy
        .wasi_http_incoming_handler()
        .call_handle(&mut store, req, out)
        .await
        .unwrap();
    let resp = receiver.await.unwrap().unwrap();
    let status = resp.status().as_u16();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let title = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["title"].as_str().map(str::to_owned))
        .unwrap_or_default();
    (status, title)
}

#[tokio::test(flavor = "current_thread")]
async fn a_proof_replayed_to_another_instance_is_refused_through_the_shared_store() {
    let path = a2a_auth_host_tests::repo_root().join("dist/a2a_auth_guard_kv.wasm");
    assert!(
        path.exists(),
        "{} is missing: run `make http-guard`",
        path.display()
    );
    let engine = Engine::new(&Config::new()).unwrap();
    let component = Component::from_file(&engine, &path).unwrap();
    let mut linker = Linker::<Host>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker).unwrap();
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker).unwrap();
    kv::GuardKeyvalue::add_to_linker::<Host, KvData>(&mut linker, |h| h).unwrap();
    let pre = ProxyPre::new(linker.instantiate_pre(&component).unwrap()).unwrap();

    let input = &a2a_auth_host_tests::gate_case("authenticate/wpt-01");
    let base = vec![
        (
            "A2A_AUTH_POLICY".to_owned(),
            input["policy"].as_str().unwrap().to_owned(),
        ),
        (
            "A2A_AUTH_SECRET".to_owned(),
            input["secret"].as_str().unwrap().to_owned(),
        ),
        (
            "A2A_AUTH_UPSTREAM".to_owned(),
            "http://127.0.0.1:9".to_owned(),
        ),
        ("A2A_AUTH_NOW".to_owned(), input["now"].to_string()),
    ];
    let mut with_kv = base.clone();
    with_kv.push(("A2A_AUTH_KEYVALUE".to_owned(), "default".to_owned()));

    // Shared store: the first instance accepts the proof (and the upstream is unreachable:
    // 502), a second instance refuses the same proof as replayed.
    let kv = Shared::default();
    assert_eq!(
        request(&pre, &engine, &with_kv, &kv, &input["request"]).await,
        (502, "upstream".into())
    );
    assert_eq!(
        request(&pre, &engine, &with_kv, &kv, &input["request"]).await,
        (400, "replayed".into())
    );
    assert!(!kv.lock().unwrap().is_empty());
    // Without A2A_AUTH_KEYVALUE every instance starts empty: the replay goes through.
    let kv = Shared::default();
    assert_eq!(
        request(&pre, &engine, &base, &kv, &input["request"]).await,
        (502, "upstream".into())
    );
    assert_eq!(
        request(&pre, &engine, &base, &kv, &input["request"]).await,
        (502, "upstream".into())
    );
    assert!(kv.lock().unwrap().is_empty());
    println!("http-guard keyvalue: a replay across instances refused through the shared store");
}
