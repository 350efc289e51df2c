'use strict';
// Packaging: what `npm pack` ships, where the library is found; the types check.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { PACKAGE_ROOT } = require('./helpers.js');
const { native } = require('../lib/native.js');

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

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

// Installing the packages as a user would (the tarballs of `make dist`, the
// main package and its platform package, into a fresh folder without Go) is
// packaging/dist-test.sh's part (LICENSE is copied in by make dist); here: what
// the main package ships.
test('npm pack ships the binding and its types, and no library, test or install script', () => {
  const packed = JSON.parse(run(NPM, ['pack', '--dry-run', '--json'], PACKAGE_ROOT));
  const files = packed[0].files.map((f) => f.path).sort();
  for (const f of ['package.json', 'lib/index.js', 'lib/index.mjs', 'lib/native.js', 'lib/locate.js', 'lib/mcp.js', 'index.d.ts', 'README.md']) {
    assert.ok(files.includes(f), `${f} missing from the tarball: ${files.join(' ')}`);
  }
  assert.ok(!files.some((f) => /^(test|bench|scripts|native|node_modules)\//.test(f) || /\.(so|dll|dylib)$/.test(f)), files.join(' '));
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.license, 'Apache-2.0');
  assert.deepEqual(Object.keys(pkg.scripts).filter((s) => /install|prepare|prepack/.test(s)), []);
  assert.ok(pkg.engines.node && pkg.types && pkg.exports['.'] && pkg.files.length > 0);
});

test('the library is found in the platform package, and nothing is built or installed on require', (t) => {
  // A copy of the package outside the checkout, with a platform package
  // (made by packaging/npm-package.js, as make dist does) beside it.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-oauth-locate-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const modules = path.join(tmp, 'node_modules');
  const main = path.join(modules, 'mcp-oauth-client');
  fs.mkdirSync(main, { recursive: true });
  for (const f of ['lib', 'index.d.ts', 'package.json']) fs.cpSync(path.join(PACKAGE_ROOT, f), path.join(main, f), { recursive: true });
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules', 'koffi'), path.join(modules, 'koffi'));
  const code = `
    const n = require(${JSON.stringify(path.join(main, 'lib', 'native.js'))});
    try { console.log(JSON.stringify({ path: n.native().path, source: n.native().source })); }
    catch (e) { console.log(JSON.stringify({ error: e.message })); }`;
  // No Go and no npm on PATH: nothing may be built or installed.
  const probe = () => JSON.parse(execFileSync(process.execPath, ['-e', code],
    { cwd: tmp, env: { ...process.env, MCP_OAUTH_LIBRARY: '', PATH: '' }, encoding: 'utf8' }));

  const missing = probe();
  assert.match(missing.error, /no prebuilt library .* is installed/);
  assert.deepEqual(fs.readdirSync(main).sort(), ['index.d.ts', 'lib', 'package.json']); // nothing built or fetched

  const { LIBRARY_FILE, PLATFORM_PACKAGE } = require('../lib/locate.js');
  const platform = path.join(modules, ...PLATFORM_PACKAGE.split('/'));
  fs.mkdirSync(platform, { recursive: true });
  fs.copyFileSync(fs.realpathSync(native().path), path.join(platform, LIBRARY_FILE));
  const [os_, cpu] = PLATFORM_PACKAGE.split('/')[1].split('-');
  execFileSync(process.execPath, [path.join(PACKAGE_ROOT, '..', '..', 'packaging', 'npm-package.js'), 'platform', platform, '0.0.0', os_, cpu, LIBRARY_FILE]);
  const found = probe();
  assert.equal(found.source, PLATFORM_PACKAGE);
  assert.equal(found.path, path.join(platform, LIBRARY_FILE));
});
