'use strict';
// Packaging: `npm pack` ships the library; the tarball installs into another
// folder and works with require, import and TypeScript; the types check.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { PACKAGE_ROOT } = require('./helpers.js');

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const VECTOR = ['dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'];

function run(cmd, args, cwd, extraEnv = {}) {
  const env = { ...process.env, ...extraEnv };
  delete env.MCP_OAUTH_LIBRARY; // the installed package must find its own copy
  delete env.NODE_OPTIONS;
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

test('types: tsc --noEmit on a TypeScript file using the declarations', () => {
  const tsc = require.resolve('typescript/bin/tsc');
  run(process.execPath, [tsc, '-p', path.join('test', 'types'), '--noEmit'], PACKAGE_ROOT);
});

test('npm pack tarball installs into another folder and works', { timeout: 600_000 }, (t) => {
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

  // TypeScript in the consumer, against the installed declarations.
  fs.writeFileSync(path.join(project, 'use.ts'), `
    import { OAuthTokenManager, type McpOAuthConfig } from 'mcp-oauth-client';
    const c: McpOAuthConfig = { client_id: 'a', token_url: 'http://127.0.0.1:1/token' };
    export async function f(): Promise<string> { return new OAuthTokenManager(c).getToken(); }
  `);
  const tsc = require.resolve('typescript/bin/tsc');
  run(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node',
    '--typeRoots', path.join(PACKAGE_ROOT, 'node_modules', '@types'), 'use.ts'], project);
});
