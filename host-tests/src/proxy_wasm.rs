//! A minimal proxy-wasm host (ABI 0.2.1) on wasmtime's core-module API, enough to drive an
//! HTTP filter the way Envoy does: header maps, buffers, properties, local replies, time, logs,
//! tick, HTTP calls and shared data with compare-and-swap. Envoy itself cannot be installed
//! here; this harness follows the ABI specification (proxy-wasm/spec, ABI 0.2.1) for the calls
//! the filter makes, and traps on any other import.
//!
//! Wire formats: pointers and sizes are `u32`; a header map is `u32 count`, then `(u32
//! key_len, u32 value_len)` per pair, then each `key\0value\0`; a property path is its segments
//! joined by `\0`; buffers handed to the guest are allocated with its
//! `proxy_on_memory_allocate`.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    reason = "test harness: offsets come from this harness or are bounds-checked by wasmtime"
)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasmtime::{Caller, Engine, Extern, Instance, Linker, Memory, Module, Store, TypedFunc};

/// Status codes of the ABI.
const OK: i32 = 0;
const NOT_FOUND: i32 = 1;
const BAD_ARGUMENT: i32 = 2;
const CAS_MISMATCH: i32 = 8;

/// Shared data as a host keeps it across VMs: key → (value, cas).
pub type SharedData = Rc<RefCell<HashMap<String, (Vec<u8>, u32)>>>;

/// An outgoing HTTP call the filter dispatched.
#[derive(Debug, Clone)]
pub struct HttpCall {
    /// Token the host returned.
    pub token: u32,
    /// The cluster (`upstream`).
    pub cluster: String,
    /// Header pairs.
    pub headers: Vec<(String, String)>,
    /// Timeout in ms.
    pub timeout_ms: u32,
}

/// A local reply the filter sent.
#[derive(Debug, Clone)]
pub struct LocalReply {
    /// Status.
    pub status: u32,
    /// Header pairs.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

/// Host state for one VM.
#[derive(Default)]
pub struct Host {
    plugin_config: Vec<u8>,
    request_headers: Vec<(String, String)>,
    request_body: Vec<u8>,
    properties: HashMap<String, Vec<u8>>,
    reply: Option<LocalReply>,
    /// Log lines `(level, message)`.
    pub logs: Vec<(i32, String)>,
    now_nanos: u64,
    tick_ms: u32,
    calls: Vec<HttpCall>,
    next_token: u32,
    call_response: (Vec<(String, String)>, Vec<u8>),
    shared: SharedData,
    random: u8,
}

/// An ABI `u32` (pointer, size) that wasmtime hands over as `i32`.
#[allow(clippy::cast_sign_loss, reason = "the ABI's u32 travels as i32")]
const fn us(x: i32) -> usize {
    x as u32 as usize
}

fn memory(caller: &mut Caller<'_, Host>) -> wasmtime::Result<Memory> {
    match caller.get_export("memory") {
        Some(Extern::Memory(m)) => Ok(m),
        _ => wasmtime::bail!("the guest exports no memory"),
    }
}

fn read(caller: &mut Caller<'_, Host>, ptr: i32, len: i32) -> wasmtime::Result<Vec<u8>> {
    let mem = memory(caller)?;
    let mut buf = vec![0u8; us(len)];
    mem.read(&*caller, us(ptr), &mut buf)?;
    Ok(buf)
}

fn read_str(caller: &mut Caller<'_, Host>, ptr: i32, len: i32) -> wasmtime::Result<String> {
    Ok(String::from_utf8(read(caller, ptr, len)?)?)
}

fn write_u32(caller: &mut Caller<'_, Host>, ptr: i32, v: u32) -> wasmtime::Result<()> {
    let mem = memory(caller)?;
    mem.write(caller, us(ptr), &v.to_le_bytes())?;
    Ok(())
}

/// Copies `data` into guest memory allocated by the guest; writes pointer and size.
fn hand_over(
    caller: &mut Caller<'_, Host>,
    data: &[u8],
    ret_ptr: i32,
    ret_size: i32,
) -> wasmtime::Result<i32> {
    let alloc: TypedFunc<i32, i32> = match caller.get_export("proxy_on_memory_allocate") {
        Some(Extern::Func(f)) => f.typed(&*caller)?,
        _ => wasmtime::bail!("the guest exports no proxy_on_memory_allocate"),
    };
    let len = i32::try_from(data.len())?;
    let ptr = alloc.call(&mut *caller, len)?;
    let mem = memory(caller)?;
    mem.write(&mut *caller, us(ptr), data)?;
    write_u32(caller, ret_ptr, u32::try_from(ptr)?)?;
    write_u32(caller, ret_size, u32::try_from(len)?)?;
    Ok(OK)
}

/// Serializes header pairs in the ABI's map format.
pub fn encode_map(pairs: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&u32::try_from(pairs.len()).unwrap_or(0).to_le_bytes());
    for (k, v) in pairs {
        out.extend_from_slice(&u32::try_from(k.len()).unwrap_or(0).to_le_bytes());
        out.extend_from_slice(&u32::try_from(v.len()).unwrap_or(0).to_le_bytes());
    }
    for (k, v) in pairs {
        out.extend_from_slice(k.as_bytes());
        out.push(0);
        out.extend_from_slice(v.as_bytes());
        out.push(0);
    }
    out
}

/// Parses the ABI's map format.
///
/// # Errors
/// On truncated or non-UTF-8 input.
pub fn decode_map(bytes: &[u8]) -> wasmtime::Result<Vec<(String, String)>> {
    let u32_at = |at: usize| -> wasmtime::Result<usize> {
        let b: [u8; 4] = bytes
            .get(at..at + 4)
            .ok_or_else(|| wasmtime::format_err!("truncated map"))?
            .try_into()?;
        Ok(usize::try_from(u32::from_le_bytes(b))?)
    };
    let count = u32_at(0)?;
    let mut sizes = Vec::new();
    for i in 0..count {
        sizes.push((u32_at(4 + i * 8)?, u32_at(8 + i * 8)?));
    }
    let mut at = 4 + count * 8;
    let mut out = Vec::new();
    for (k, v) in sizes {
        let key = bytes
            .get(at..at + k)
            .ok_or_else(|| wasmtime::format_err!("truncated map"))?;
        at += k + 1;
        let value = bytes
            .get(at..at + v)
            .ok_or_else(|| wasmtime::format_err!("truncated map"))?;
        at += v + 1;
        out.push((
            String::from_utf8(key.to_vec())?,
            String::from_utf8(value.to_vec())?,
        ));
    }
    Ok(out)
}

fn map_of(host: &mut Host, map_type: i32) -> Option<&mut Vec<(String, String)>> {
    match map_type {
        0 => Some(&mut host.request_headers),
        6 => Some(&mut host.call_response.0),
        _ => None,
    }
}

#[allow(clippy::too_many_lines)]
fn linker(engine: &Engine, module: &Module) -> wasmtime::Result<Linker<Host>> {
    let mut l = Linker::new(engine);
    l.func_wrap(
        "env",
        "proxy_log",
        |mut c: Caller<'_, Host>, level: i32, p: i32, n: i32| {
            let msg = read_str(&mut c, p, n)?;
            c.data_mut().logs.push((level, msg));
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_get_log_level",
        |mut c: Caller<'_, Host>, ret: i32| {
            write_u32(&mut c, ret, 0)?;
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_get_current_time_nanoseconds",
        |mut c: Caller<'_, Host>, ret: i32| {
            let now = c.data().now_nanos;
            let mem = memory(&mut c)?;
            mem.write(&mut c, us(ret), &now.to_le_bytes())?;
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_set_tick_period_milliseconds",
        |mut c: Caller<'_, Host>, ms: i32| {
            c.data_mut().tick_ms = u32::try_from(ms).unwrap_or(0);
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_get_buffer_bytes",
        |mut c: Caller<'_, Host>, kind: i32, start: i32, max: i32, rp: i32, rs: i32| {
            let data = match kind {
                0 => c.data().request_body.clone(),
                4 => c.data().call_response.1.clone(),
                7 => c.data().plugin_config.clone(),
                6 => Vec::new(),
                _ => return Ok(BAD_ARGUMENT),
            };
            let start = us(start).min(data.len());
            let end = start.saturating_add(us(max)).min(data.len());
            let slice = data.get(start..end).unwrap_or_default().to_vec();
            if slice.is_empty() && kind != 0 {
                return Ok(NOT_FOUND);
            }
            hand_over(&mut c, &slice, rp, rs)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_get_header_map_pairs",
        |mut c: Caller<'_, Host>, t: i32, rp: i32, rs: i32| {
            let Some(map) = map_of(c.data_mut(), t) else {
                return Ok(BAD_ARGUMENT);
            };
            let bytes = encode_map(map);
            hand_over(&mut c, &bytes, rp, rs)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_set_header_map_pairs",
        |mut c: Caller<'_, Host>, t: i32, p: i32, n: i32| {
            let pairs = decode_map(&read(&mut c, p, n)?)?;
            let Some(map) = map_of(c.data_mut(), t) else {
                return Ok(BAD_ARGUMENT);
            };
            *map = pairs;
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_get_header_map_value",
        |mut c: Caller<'_, Host>, t: i32, kp: i32, kn: i32, rp: i32, rs: i32| {
            let key = read_str(&mut c, kp, kn)?.to_ascii_lowercase();
            let Some(map) = map_of(c.data_mut(), t) else {
                return Ok(BAD_ARGUMENT);
            };
            // Several values of one name are joined with "," as Envoy does.
            let values: Vec<String> = map
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .collect();
            if values.is_empty() {
                return Ok(NOT_FOUND);
            }
            let joined = values.join(",");
            hand_over(&mut c, joined.as_bytes(), rp, rs)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_replace_header_map_value",
        |mut c: Caller<'_, Host>, t: i32, kp: i32, kn: i32, vp: i32, vn: i32| {
            let key = read_str(&mut c, kp, kn)?.to_ascii_lowercase();
            let value = read_str(&mut c, vp, vn)?;
            if value.bytes().any(|b| b < 0x20 || b == 0x7f) {
                wasmtime::bail!("invalid header value for {key}");
            }
            let Some(map) = map_of(c.data_mut(), t) else {
                return Ok(BAD_ARGUMENT);
            };
            map.retain(|(k, _)| *k != key);
            map.push((key, value));
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_add_header_map_value",
        |mut c: Caller<'_, Host>, t: i32, kp: i32, kn: i32, vp: i32, vn: i32| {
            let key = read_str(&mut c, kp, kn)?.to_ascii_lowercase();
            let value = read_str(&mut c, vp, vn)?;
            let Some(map) = map_of(c.data_mut(), t) else {
                return Ok(BAD_ARGUMENT);
            };
            map.push((key, value));
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_remove_header_map_value",
        |mut c: Caller<'_, Host>, t: i32, kp: i32, kn: i32| {
            let key = read_str(&mut c, kp, kn)?.to_ascii_lowercase();
            let Some(map) = map_of(c.data_mut(), t) else {
                return Ok(BAD_ARGUMENT);
            };
            map.retain(|(k, _)| *k != key);
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_get_property",
        |mut c: Caller<'_, Host>, pp: i32, pn: i32, rp: i32, rs: i32| {
            let path = String::from_utf8_lossy(&read(&mut c, pp, pn)?).into_owned();
            match c.data().properties.get(&path).cloned() {
                Some(v) => hand_over(&mut c, &v, rp, rs),
                None => Ok(NOT_FOUND),
            }
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_set_property",
        |_c: Caller<'_, Host>, _pp: i32, _pn: i32, _vp: i32, _vn: i32| Ok(OK),
    )?;
    l.func_wrap(
        "env",
        "proxy_send_local_response",
        |mut c: Caller<'_, Host>,
         status: i32,
         _dp: i32,
         _dn: i32,
         bp: i32,
         bn: i32,
         hp: i32,
         hn: i32,
         _grpc: i32| {
            let body = read(&mut c, bp, bn)?;
            let headers = decode_map(&read(&mut c, hp, hn)?)?;
            c.data_mut().reply = Some(LocalReply {
                status: u32::try_from(status)?,
                headers,
                body,
            });
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_http_call",
        |mut c: Caller<'_, Host>,
         up: i32,
         un: i32,
         hp: i32,
         hn: i32,
         _bp: i32,
         _bn: i32,
         _tp: i32,
         _tn: i32,
         timeout: i32,
         rt: i32| {
            let cluster = read_str(&mut c, up, un)?;
            let headers = decode_map(&read(&mut c, hp, hn)?)?;
            let token = {
                let h = c.data_mut();
                h.next_token = h.next_token.saturating_add(1);
                h.next_token
            };
            c.data_mut().calls.push(HttpCall {
                token,
                cluster,
                headers,
                timeout_ms: u32::try_from(timeout).unwrap_or(0),
            });
            write_u32(&mut c, rt, token)?;
            Ok(OK)
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_get_shared_data",
        |mut c: Caller<'_, Host>, kp: i32, kn: i32, rp: i32, rs: i32, rc: i32| {
            let key = read_str(&mut c, kp, kn)?;
            let entry = c.data().shared.borrow().get(&key).cloned();
            match entry {
                Some((value, cas)) => {
                    hand_over(&mut c, &value, rp, rs)?;
                    write_u32(&mut c, rc, cas)?;
                    Ok(OK)
                }
                None => Ok(NOT_FOUND),
            }
        },
    )?;
    l.func_wrap(
        "env",
        "proxy_set_shared_data",
        |mut c: Caller<'_, Host>, kp: i32, kn: i32, vp: i32, vn: i32, cas: i32| {
            let key = read_str(&mut c, kp, kn)?;
            let value = read(&mut c, vp, vn)?;
            let shared = Rc::clone(&c.data().shared);
            let mut map = shared.borrow_mut();
            let current = map.get(&key).map(|(_, c)| *c);
            let cas = u32::try_from(cas).unwrap_or(0);
            if cas != 0 && current.is_some_and(|cur| cur != cas) {
                return Ok(CAS_MISMATCH);
            }
            let next = current.unwrap_or(0).wrapping_add(1).max(1);
            map.insert(key, (value, next));
            Ok(OK)
        },
    )?;
    for name in [
        "proxy_set_effective_context",
        "proxy_continue_stream",
        "proxy_close_stream",
    ] {
        l.func_wrap("env", name, |_c: Caller<'_, Host>, _x: i32| Ok(OK))?;
    }
    l.func_wrap("env", "proxy_done", |_c: Caller<'_, Host>| Ok(OK))?;
    // WASI preview 1, as little as Rust's std and getrandom need.
    l.func_wrap(
        "wasi_snapshot_preview1",
        "random_get",
        |mut c: Caller<'_, Host>, p: i32, n: i32| {
            let mut bytes = vec![0u8; us(n)];
            for b in &mut bytes {
                let h = c.data_mut();
                h.random = h.random.wrapping_mul(31).wrapping_add(17);
                *b = h.random;
            }
            let mem = memory(&mut c)?;
            mem.write(&mut c, us(p), &bytes)?;
            Ok(0)
        },
    )?;
    l.func_wrap(
        "wasi_snapshot_preview1",
        "environ_sizes_get",
        |mut c: Caller<'_, Host>, a: i32, b: i32| {
            write_u32(&mut c, a, 0)?;
            write_u32(&mut c, b, 0)?;
            Ok(0)
        },
    )?;
    l.func_wrap(
        "wasi_snapshot_preview1",
        "environ_get",
        |_c: Caller<'_, Host>, _a: i32, _b: i32| Ok(0),
    )?;
    l.func_wrap(
        "wasi_snapshot_preview1",
        "fd_write",
        |mut c: Caller<'_, Host>, _fd: i32, iovs: i32, n: i32, written: i32| {
            let mut total = 0u32;
            for i in 0..n {
                let iov = read(&mut c, iovs + i * 8, 8)?;
                total = total.saturating_add(u32::from_le_bytes(iov[4..8].try_into()?));
            }
            write_u32(&mut c, written, total)?;
            Ok(0)
        },
    )?;
    l.func_wrap(
        "wasi_snapshot_preview1",
        "proc_exit",
        |_c: Caller<'_, Host>, code: i32| -> wasmtime::Result<()> {
            wasmtime::bail!("proc_exit({code})")
        },
    )?;
    l.define_unknown_imports_as_traps(module)?;
    Ok(l)
}

/// What happened to one request.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The local reply, when the filter answered (deny, metadata, event push).
    pub reply: Option<LocalReply>,
    /// The request headers as forwarded upstream, when the request continued.
    pub forwarded: Option<Vec<(String, String)>>,
}

/// One filter VM: a plugin configured and ready for requests.
pub struct Filter {
    store: Store<Host>,
    instance: Instance,
    next_context: i32,
    /// Whether `proxy_on_configure` accepted the configuration.
    pub configured: bool,
}

impl Filter {
    /// Loads the filter module, sets the plugin configuration, and runs the start-up calls
    /// (`_initialize`, root context, `proxy_on_vm_start`, `proxy_on_configure`).
    ///
    /// # Errors
    /// Instantiation or a trap.
    pub fn load(
        engine: &Engine,
        module: &Module,
        config: &str,
        now: u64,
        shared: SharedData,
    ) -> wasmtime::Result<Self> {
        let host = Host {
            plugin_config: config.as_bytes().to_vec(),
            now_nanos: now.saturating_mul(1_000_000_000),
            shared,
            ..Host::default()
        };
        let mut store = Store::new(engine, host);
        let instance = linker(engine, module)?.instantiate(&mut store, module)?;
        instance
            .get_typed_func::<(), ()>(&mut store, "_initialize")?
            .call(&mut store, ())?;
        let mut f = Self {
            store,
            instance,
            next_context: 2,
            configured: false,
        };
        f.call2("proxy_on_context_create", 1, 0)?;
        let started = f.call_bool("proxy_on_vm_start", 1, 0)?;
        let size = i32::try_from(config.len())?;
        f.configured = started && f.call_bool("proxy_on_configure", 1, size)?;
        Ok(f)
    }

    fn call2(&mut self, name: &str, a: i32, b: i32) -> wasmtime::Result<()> {
        self.instance
            .get_typed_func::<(i32, i32), ()>(&mut self.store, name)?
            .call(&mut self.store, (a, b))
    }

    fn call_bool(&mut self, name: &str, a: i32, b: i32) -> wasmtime::Result<bool> {
        Ok(self
            .instance
            .get_typed_func::<(i32, i32), i32>(&mut self.store, name)?
            .call(&mut self.store, (a, b))?
            != 0)
    }

    fn call3(&mut self, name: &str, a: i32, b: i32, c: i32) -> wasmtime::Result<i32> {
        self.instance
            .get_typed_func::<(i32, i32, i32), i32>(&mut self.store, name)?
            .call(&mut self.store, (a, b, c))
    }

    /// Sets the clock (Unix seconds).
    pub fn set_now(&mut self, now: u64) {
        self.store.data_mut().now_nanos = now.saturating_mul(1_000_000_000);
    }

    /// Log lines so far.
    pub fn logs(&self) -> &[(i32, String)] {
        &self.store.data().logs
    }

    /// Calls dispatched so far (and not yet answered).
    pub fn calls(&self) -> &[HttpCall] {
        &self.store.data().calls
    }

    /// The tick period the filter asked for (ms).
    pub fn tick_period(&self) -> u32 {
        self.store.data().tick_ms
    }

    /// Runs `proxy_on_tick` on the root context.
    ///
    /// # Errors
    /// A trap.
    pub fn tick(&mut self) -> wasmtime::Result<()> {
        self.instance
            .get_typed_func::<i32, ()>(&mut self.store, "proxy_on_tick")?
            .call(&mut self.store, 1)
    }

    /// Answers the call with `token`.
    ///
    /// # Errors
    /// A trap.
    pub fn answer_call(
        &mut self,
        token: u32,
        headers: Vec<(String, String)>,
        body: &[u8],
    ) -> wasmtime::Result<()> {
        self.store.data_mut().calls.retain(|c| c.token != token);
        let n = i32::try_from(headers.len())?;
        let len = i32::try_from(body.len())?;
        self.store.data_mut().call_response = (headers, body.to_vec());
        self.instance
            .get_typed_func::<(i32, i32, i32, i32, i32), ()>(
                &mut self.store,
                "proxy_on_http_call_response",
            )?
            .call(&mut self.store, (1, i32::try_from(token)?, n, len, 0))
    }

    /// Sends one request through a new HTTP context: headers (pseudo-headers included), then
    /// the body in one chunk; `properties` maps `\0`-joined property paths to values.
    ///
    /// # Errors
    /// A trap (which Envoy would turn into a 500; the tests treat it as a failure).
    pub fn request(
        &mut self,
        headers: Vec<(String, String)>,
        body: Option<&[u8]>,
        properties: HashMap<String, Vec<u8>>,
    ) -> wasmtime::Result<Outcome> {
        let ctx = self.next_context;
        self.next_context += 1;
        {
            let h = self.store.data_mut();
            h.request_headers = headers
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect();
            h.request_body = body.map(<[u8]>::to_vec).unwrap_or_default();
            h.properties = properties;
            h.reply = None;
        }
        self.call2("proxy_on_context_create", ctx, 1)?;
        let n = i32::try_from(self.store.data().request_headers.len())?;
        let mut action = self.call3(
            "proxy_on_request_headers",
            ctx,
            n,
            i32::from(body.is_none()),
        )?;
        if let Some(b) = body
            && self.store.data().reply.is_none()
        {
            action = self.call3("proxy_on_request_body", ctx, i32::try_from(b.len())?, 1)?;
        }
        let reply = self.store.data_mut().reply.take();
        let forwarded =
            (reply.is_none() && action == 0).then(|| self.store.data().request_headers.clone());
        self.instance
            .get_typed_func::<i32, i32>(&mut self.store, "proxy_on_done")?
            .call(&mut self.store, ctx)?;
        self.instance
            .get_typed_func::<i32, ()>(&mut self.store, "proxy_on_delete")?
            .call(&mut self.store, ctx)?;
        Ok(Outcome { reply, forwarded })
    }
}
