"""The one adapter between Python and the a2a-auth component (``a2a_auth.wasm``).

The engine and the compiled component are created once per process, on first use. wasmtime
stores are not thread-safe, so a single store and instance are shared behind a lock: every call
takes the lock, calls the export, calls ``post_return``, and converts the result — records to
plain values, ``error`` records to :class:`~a2a_auth.errors.AuthError` subclasses (raised, never
returned). The component imports nothing, so no WASI is configured.
"""

from __future__ import annotations

import threading
from importlib import resources
from typing import Any

import wasmtime
import wasmtime.component as wc

from .errors import from_code

_WIT_VERSION = "0.1.0"
_lock = threading.RLock()
_state: dict[str, Any] = {}


def _init() -> dict[str, Any]:
    if not _state:
        engine = wasmtime.Engine()
        wasm = resources.files(__package__).joinpath("a2a_auth.wasm").read_bytes()
        component = wc.Component(engine, wasm)
        store = wasmtime.Store(engine)
        instance = wc.Linker(engine).instantiate(store, component)
        _state.update(store=store, instance=instance, funcs={})
    return _state


def _func(interface: str, name: str) -> Any:
    state = _init()
    key = (interface, name)
    func = state["funcs"].get(key)
    if func is None:
        instance, store = state["instance"], state["store"]
        iface = instance.get_export_index(store, f"a2a:auth/{interface}@{_WIT_VERSION}")
        index = instance.get_export_index(store, name, iface) if iface is not None else None
        if index is None:
            raise RuntimeError(f"a2a_auth.wasm does not export {interface}.{name}")
        func = instance.get_func(store, index)
        state["funcs"][key] = func
    return func


def _is_error(value: Any) -> bool:
    return isinstance(value, wc.Record) and set(vars(value)) == {"code", "detail"}


def _invoke(interface: str, name: str, *args: Any) -> Any:
    """Calls an export under the lock, with its post_return, and returns the raw value."""
    with _lock:
        func = _func(interface, name)
        store = _state["store"]
        try:
            return func(store, *args)
        finally:
            func.post_return(store)


def call(interface: str, name: str, *args: Any) -> Any:
    """Calls an export and returns its ok value, raising AuthError for an ``error``."""
    value = _invoke(interface, name, *args)
    # wasmtime-py returns `result` as a tagged Variant when both sides are records, untagged
    # otherwise; `error` is the only record with exactly the fields code and detail.
    if isinstance(value, wc.Variant):
        if value.tag == "err":
            raise from_code(value.payload.code, value.payload.detail)
        return value.payload
    if _is_error(value):
        raise from_code(value.code, value.detail)
    return value


def call_variant(interface: str, name: str, *args: Any) -> tuple[bool, Any]:
    """Calls an export returning ``result<record, record>`` whose error side is a value (not an
    ``error``): returns ``(ok, payload)``."""
    value = _invoke(interface, name, *args)
    if isinstance(value, wc.Variant):
        return value.tag == "ok", value.payload
    # result<_, record>: ok is None, err is the record itself.
    if value is None:
        return True, None
    return False, value


def drop(resource: Any) -> None:
    """Releases a resource handle (a key pair)."""
    with _lock:
        if _state:
            resource.drop(_state["store"])


def record(**fields: Any) -> Any:
    """A WIT record argument; field names in snake_case become kebab-case."""
    rec = wc.Record()
    for name, value in fields.items():
        setattr(rec, name.replace("_", "-"), value)
    return rec


def field(rec: Any, name: str) -> Any:
    """Reads a WIT record field by its snake_case name."""
    return getattr(rec, name.replace("_", "-"))
