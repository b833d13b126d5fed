// Node entry point: compiles the WebAssembly module synchronously at import time (no top-level
// await), then exposes the API.
import { readFileSync } from 'node:fs';
import { initSync } from '../wasm/a2a_auth.js';

initSync({ module: readFileSync(new URL('../wasm/a2a_auth_bg.wasm', import.meta.url)) });

export * from './api.js';
/** Already initialised in Node; kept so code written for browsers runs unchanged. */
export async function init() {}
export { initSync };
