'use strict';
// Packaging: `npm pack` ships the library; the tarball installs into another
// folder and works with require, import and TypeScript; the type tests of
// test/types check against the installed declarations (one tsc run).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const { PACKAGE_ROOT, REPO_ROOT } = require('./helpers.js');

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const VECTOR = ['dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'];

function run(cmd, args, cwd, extraEnv = {}) {
  const env = { ...process.env, ...extraEnv };
  delete env.MCP_OAUTH_LIBRARY; // the installed package must find its own copy
  delete env.NODE_OPTIONS;
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

// The package's inputs (what `npm pack` ships, the library it copies in, the
// type tests, this file, Node's and TypeScript's versions): when a run with the
// same inputs passed, its stamp in build/node-pack/ says so and the pack,
// install and type check are not repeated (each costs seconds of CPU).
function inputsHash() {
  const h = crypto.createHash('sha256');
  const add = (file) => {
    h.update(path.relative(PACKAGE_ROOT, file));
    h.update(fs.readFileSync(file));
  };
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else add(p);
    }
  };
  walk(path.join(PACKAGE_ROOT, 'lib'));
  walk(path.join(PACKAGE_ROOT, 'scripts'));
  walk(path.join(PACKAGE_ROOT, 'test', 'types'));
  for (const f of ['index.d.ts', 'package.json', 'README.md']) add(path.join(PACKAGE_ROOT, f));
  add(__filename);
  const built = path.join(REPO_ROOT, 'build', 'libmcp_oauth.so'); // what prepack copies in
  add(fs.existsSync(built) ? built : path.join(PACKAGE_ROOT, 'native', 'libmcp_oauth.so'));
  h.update(process.version);
  h.update(require('typescript/package.json').version);
  return h.digest('hex').slice(0, 32);
}

test('npm pack tarball installs into another folder and works, with the types', { timeout: 600_000 }, (t) => {
  const cacheDir = path.join(REPO_ROOT, 'build', 'node-pack');
  const stamp = fs.existsSync(path.join(REPO_ROOT, 'build')) ? path.join(cacheDir, inputsHash()) : null;
  if (stamp !== null && fs.existsSync(stamp)) {
    t.diagnostic(`inputs unchanged since a passing run (${path.relative(REPO_ROOT, stamp)})`);
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-oauth-pack-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const packed = JSON.parse(run(NPM, ['pack', '--json', '--pack-destination', tmp], PACKAGE_ROOT));
  const files = packed[0].files.map((f) => f.path);
  for (const f of ['package.json', 'lib/index.js', 'lib/index.mjs', 'lib/native.js', 'lib/mcp.js', 'index.d.ts', 'native/libmcp_oauth.so', 'README.md']) {
    assert.ok(files.includes(f), `${f} missing from the tarball: ${files.join(' ')}`);
  }
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('node_modules/')), files.join(' '));
  const tarball = path.join(tmp, packed[0].filename);

  const project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
  assert.ok(fs.existsSync(path.join(project, 'node_modules', 'mcp-oauth-client', 'native', 'libmcp_oauth.so')));

  const cjs = run(process.execPath, ['-e', `
    const m = require('mcp-oauth-client');
    console.log(m.generateCodeChallenge(${JSON.stringify(VECTOR[0])}));
  `], project).trim();
  assert.equal(cjs, VECTOR[1]);

  fs.writeFileSync(path.join(project, 'esm.mjs'), `
    import { generateCodeChallenge, OAuthTokenManager } from 'mcp-oauth-client';
    import mcp from 'mcp-oauth-client';
    if (mcp.OAuthTokenManager !== OAuthTokenManager) throw new Error('two copies');
    console.log(generateCodeChallenge(${JSON.stringify(VECTOR[0])}));
  `);
  assert.equal(run(process.execPath, ['esm.mjs'], project).trim(), VECTOR[1]);

  // The library that loaded is the packaged one.
  const where = run(process.execPath, ['-e', `
    require('mcp-oauth-client').libraryVersion();
    console.log(require(require.resolve('mcp-oauth-client').replace(/index\\.js$/, 'native.js')).native().path);
  `], project).trim();
  assert.equal(fs.realpathSync(where), fs.realpathSync(path.join(project, 'node_modules', 'mcp-oauth-client', 'native', 'libmcp_oauth.so')));

  // TypeScript in the consumer, against the installed declarations: one tsc
  // run over a consumer's file and the type tests of test/types (which
  // import 'mcp-oauth-client' too).
  fs.writeFileSync(path.join(project, 'use.ts'), `
    import { OAuthTokenManager, type McpOAuthConfig } from 'mcp-oauth-client';
    const c: McpOAuthConfig = { client_id: 'a', token_url: 'http://127.0.0.1:1/token' };
    export async function f(): Promise<string> { return new OAuthTokenManager(c).getToken(); }
  `);
  const typeTests = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'test', 'types', 'tsconfig.json'), 'utf8'));
  for (const f of typeTests.files) fs.copyFileSync(path.join(PACKAGE_ROOT, 'test', 'types', f), path.join(project, f));
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { ...typeTests.compilerOptions, typeRoots: [path.join(PACKAGE_ROOT, 'node_modules', '@types')] },
    files: ['use.ts', ...typeTests.files],
  }));
  const tsc = require.resolve('typescript/bin/tsc');
  run(process.execPath, [tsc, '-p', project], project);

  if (stamp !== null) {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  }
});
