// Every vector and the Wycheproof suites through the package, in Node.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as lib from 'a2a-auth';
import { runVectors, runWycheproof } from './runner.mjs';
import { loadVectors, loadWycheproof } from './files.mjs';

test('vectors npm-node', () => {
  const { docs, exceptions } = loadVectors('npm-node');
  const { line, failures } = runVectors('npm-node', lib, docs, exceptions);
  console.log(line);
  assert.deepEqual(failures, []);
});

test('wycheproof npm-node', () => {
  const { manifest, suites } = loadWycheproof();
  const { line, failures } = runWycheproof('npm-node', lib, manifest, suites);
  console.log(line);
  assert.deepEqual(failures, []);
});
