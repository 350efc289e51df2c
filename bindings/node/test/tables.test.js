'use strict';
// The tables this binding shares with the library stay equal to their sources.
// Status (lib/errors.js, index.d.ts) and the configuration types (index.d.ts)
// are generated from include/mcp_oauth.h and core/config.go (make generate;
// the Go test of internal/tablegen fails when they differ). What is written by
// hand around them is checked here: one error class per status code, exported
// and declared, and the class names in docs/concepts.md. (The prototypes are
// checked by declarations.test.js; test/types/usage.ts type-checks a
// configuration with every member.)

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const mod = require('..');
const { errorOf } = require('../lib/errors.js');

const { Status, McpOAuthError } = mod;
const CONCEPTS = path.resolve(__dirname, '..', '..', '..', 'docs', 'concepts.md');

test('Status runs from OK down, one step at a time', () => {
  const values = Object.values(Status);
  assert.equal(Status.OK, 0);
  assert.deepEqual(values, values.map((_, i) => (i === 0 ? 0 : -i)));
});

test('every status code has its own exported, declared error class', () => {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  const header = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'include', 'mcp_oauth.h'), 'utf8');
  const seen = new Set();
  for (const [name, code] of Object.entries(Status)) {
    if (code === 0) continue;
    const err = errorOf(code, 'msg');
    const Cls = err.constructor;
    assert.notEqual(Cls, McpOAuthError, `${name} has no class`);
    assert.ok(err instanceof McpOAuthError);
    assert.equal(err.errno, code);
    assert.equal(err.codeName, name);
    // err.code is a string, as Node's own errors', and the header's macro name.
    assert.equal(err.code, `MCP_OAUTH_E_${name}`);
    assert.match(header, new RegExp(`^#define ${err.code} \\(?${code}\\)?\\s`, 'm'));
    assert.ok(!seen.has(Cls), `${Cls.name} serves two codes`);
    seen.add(Cls);
    assert.equal(mod[Cls.name], Cls, `${Cls.name} is not exported`);
    assert.match(dts, new RegExp(`^export declare class ${Cls.name} extends McpOAuthError\\b`, 'm'));
  }
  const unknown = errorOf(Math.min(...Object.values(Status)) - 1, 'new');
  assert.equal(unknown.constructor, McpOAuthError);
  assert.equal(unknown.codeName, 'UNKNOWN');
});

test('docs/concepts.md names the Node class of every code', { skip: !fs.existsSync(CONCEPTS) && 'no docs' }, () => {
  const rows = [...fs.readFileSync(CONCEPTS, 'utf8').matchAll(/^\| (-\d+) \| `MCP_OAUTH_\w+` \| [^|]+ \| `(\w+)`/gm)];
  const documented = Object.fromEntries(rows.map((m) => [Number(m[1]), m[2]]));
  const actual = Object.fromEntries(Object.values(Status).filter((c) => c !== 0)
    .map((c) => [c, errorOf(c, 'msg').constructor.name]));
  assert.deepEqual(documented, actual);
});

test('the former names TimeoutError and CancelledError are the renamed classes (deprecated)', async () => {
  assert.equal(mod.TimeoutError, mod.McpOAuthTimeoutError);
  assert.equal(mod.CancelledError, mod.McpOAuthCancelledError);
  // Told apart from what an AbortSignal.timeout() signal rejects with.
  assert.notEqual(new mod.McpOAuthTimeoutError('x').name, 'TimeoutError');
  const esm = await import('../lib/index.mjs');
  assert.equal(esm.TimeoutError, mod.McpOAuthTimeoutError);
  assert.equal(esm.CancelledError, mod.McpOAuthCancelledError);
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  for (const [old, now] of [['TimeoutError', 'McpOAuthTimeoutError'], ['CancelledError', 'McpOAuthCancelledError']]) {
    assert.match(dts, new RegExp(`@deprecated[^\\n]*${now}[^]*?export declare const ${old}: typeof ${now};`));
  }
});
