// Node-side loading of the conformance inputs: the vectors directory (A2A_AUTH_VECTORS or the
// repository's vectors/), per-host exceptions, and the exported Wycheproof files
// (A2A_AUTH_WYCHEPROOF or dist/wycheproof, written by `make npm`).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
export const vectorsDir = process.env.A2A_AUTH_VECTORS ?? join(repo, 'vectors');
const wycheproofDir = process.env.A2A_AUTH_WYCHEPROOF ?? join(repo, 'dist', 'wycheproof');

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const rel = relative(vectorsDir, path).split('\\').join('/');
    if (rel === 'keys/fixed' || rel === 'wycheproof' || rel === 'exceptions') continue;
    if (statSync(path).isDirectory()) walk(path, out);
    else if (rel.endsWith('.json')) out.push({ file: rel, ...JSON.parse(readFileSync(path, 'utf8')) });
  }
  return out;
}

export function loadVectors(host) {
  const exceptionsPath = join(vectorsDir, 'exceptions', `${host}.json`);
  const exceptions = existsSync(exceptionsPath) ? JSON.parse(readFileSync(exceptionsPath, 'utf8')) : {};
  return { docs: walk(vectorsDir, []), exceptions };
}

export function loadWycheproof() {
  const manifest = JSON.parse(readFileSync(join(wycheproofDir, 'manifest.json'), 'utf8'));
  const suites = {};
  for (const { file } of manifest.files) suites[file] = JSON.parse(readFileSync(join(wycheproofDir, file), 'utf8'));
  return { manifest, suites };
}
