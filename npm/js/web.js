// Browser / bundler / worker entry point. Call `await init()` once before using the API (it
// fetches `a2a_auth_bg.wasm` next to this package's files), or `initSync({ module })` with
// bytes or a compiled WebAssembly.Module where compiling at import time is forbidden.
import initWasm, { initSync } from '../wasm/a2a_auth.js';

export * from './api.js';
export { initSync };

let ready;
/** Loads the WebAssembly module once; later calls return the same promise. */
export function init(input) {
  ready ??= initWasm(input === undefined ? undefined : { module_or_path: input });
  return ready;
}
