'use strict';
// Library loading: MCP_OAUTH_LIBRARY, a missing library, the version check.
// Each case runs in a fresh process (the library is loaded once per process).

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { PACKAGE_ROOT } = require('./helpers.js');
const fs = require('node:fs');
const os = require('node:os');
const { native, PROTOTYPES } = require('../lib/native.js');

function probe(env, code) {
  const out = execFileSync(process.execPath, ['-e', code], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const REPORT = `
  const m = require('./lib/index.js');
  let r;
  try {
    r = { version: m.libraryVersion(), path: require('./lib/native.js').native().path };
  } catch (e) {
    r = { error: e.name, code: e.code, isMcp: e instanceof m.McpOAuthError, message: e.message };
  }
  process.stdout.write(JSON.stringify(r));
`;

test('MCP_OAUTH_LIBRARY selects the library', () => {
  const lib = native().path;
  const r = probe({ MCP_OAUTH_LIBRARY: lib }, REPORT);
  assert.equal(r.path, path.resolve(lib));
  assert.match(r.version, /^0\./);
});

test('a missing library is a catchable McpOAuthError, and require() still works', () => {
  const r = probe({ MCP_OAUTH_LIBRARY: path.join(PACKAGE_ROOT, 'no-such-lib.so') }, REPORT);
  assert.equal(r.isMcp, true);
  assert.equal(r.error, 'UnsupportedError');
  assert.match(r.message, /cannot load/);
});

test('a library that is not libmcp_oauth is refused cleanly', () => {
  const r = probe({ MCP_OAUTH_LIBRARY: 'libc.so.6' }, REPORT);
  assert.equal(r.isMcp, true);
  assert.match(r.message, /not a usable libmcp_oauth/);
});

test('a library with another major version is refused', (t) => {
  // A stand-in exporting the whole C API, reporting version 9.0.0.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-oauth-stub-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'stub.c');
  const names = Object.values(PROTOTYPES).map((p) => /(\w+)\(/.exec(p)[1]);
  fs.writeFileSync(src, [
    'const char *mcp_oauth_version(void) { return "9.0.0"; }',
    ...names.filter((n) => n !== 'mcp_oauth_version').map((n) => `int ${n}() { return -13; }`),
  ].join('\n'));
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-o', path.join(dir, 'libstub.so'), src], { stdio: 'ignore' });
  } catch {
    t.skip('no C compiler');
    return;
  }
  const r = probe({ MCP_OAUTH_LIBRARY: path.join(dir, 'libstub.so') }, REPORT);
  assert.equal(r.isMcp, true);
  assert.equal(r.error, 'UnsupportedError');
  assert.match(r.message, /version 9\.0\.0; this binding needs major version 0/);
});

test('the library is loaded once per process', () => {
  assert.equal(native(), native());
});
