'use strict';
// Finds libmcp_oauth for this package, and builds it with Go when it is
// missing from a source checkout. Used by the runtime loader (lib/native.js)
// and by the install/prepack script (scripts/install.js).
//
// Order:
//   1. $MCP_OAUTH_LIBRARY, when set (an explicit choice: used even if absent,
//      so a typo is an error, not a silent fallback);
//   2. in a checkout of the mcp-oauth repository: <repo>/build/libmcp_oauth.so
//      (what `make lib` builds, so the binding always tests the current engine);
//   3. the copy shipped in the package: <package>/native/libmcp_oauth.so;
//   4. in a checkout, when allowed: build it with `go build -buildmode=c-shared`
//      into <package>/native/.

const fs = require('node:fs');
const path = require('node:path');
const childProcess = require('node:child_process');

const PACKAGE_ROOT = path.resolve(__dirname, '..');

const LIBRARY_FILE =
  process.platform === 'darwin' ? 'libmcp_oauth.dylib'
    : process.platform === 'win32' ? 'mcp_oauth.dll'
      : 'libmcp_oauth.so';

const PACKAGED_LIBRARY = path.join(PACKAGE_ROOT, 'native', LIBRARY_FILE);

function realpathOrNull(p) {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/**
 * repoRoot returns the root of the mcp-oauth checkout this package lives in
 * (as bindings/node), or null when the package was installed from a tarball
 * or copied elsewhere.
 */
function repoRoot() {
  const pkg = realpathOrNull(PACKAGE_ROOT);
  if (pkg === null) return null;
  const root = path.resolve(pkg, '..', '..');
  if (realpathOrNull(path.join(root, 'bindings', 'node')) !== pkg) return null;
  if (!fs.existsSync(path.join(root, 'go.mod')) || !fs.existsSync(path.join(root, 'capi'))) return null;
  return root;
}

/**
 * locate returns {path, source} of the library to load, or null.
 * With {build: true} it builds the library from a checkout when none exists.
 */
function locate({ build = false, log = defaultLog } = {}) {
  const fromEnv = process.env.MCP_OAUTH_LIBRARY;
  if (fromEnv) {
    // A bare file name is left to the system's library search path.
    const p = fromEnv.includes('/') || fromEnv.includes(path.sep) ? path.resolve(fromEnv) : fromEnv;
    return { path: p, source: 'MCP_OAUTH_LIBRARY' };
  }

  const root = repoRoot();
  if (root !== null) {
    const built = path.join(root, 'build', LIBRARY_FILE);
    if (fs.existsSync(built)) return { path: built, source: 'repository build' };
  }
  if (fs.existsSync(PACKAGED_LIBRARY)) return { path: PACKAGED_LIBRARY, source: 'package' };
  if (build && root !== null && !process.env.MCP_OAUTH_NO_BUILD) {
    buildLibrary(root, PACKAGED_LIBRARY, log);
    return { path: PACKAGED_LIBRARY, source: 'built from source' };
  }
  return null;
}

function defaultLog(msg) {
  process.stderr.write(`mcp-oauth: ${msg}\n`);
}

/**
 * buildLibrary runs `go build -buildmode=c-shared ./capi` in the checkout and
 * moves the result to `out` atomically (several processes may race here, e.g.
 * parallel test files).
 */
function buildLibrary(root, out, log = defaultLog) {
  const go = process.env.GO || 'go';
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmpDir = fs.mkdtempSync(path.join(path.dirname(out), '.build-'));
  const tmp = path.join(tmpDir, LIBRARY_FILE);
  const ldflags = process.platform === 'linux'
    ? '-s -w -extldflags=-Wl,-soname,libmcp_oauth.so.0'
    : '-s -w';
  log(`building ${LIBRARY_FILE} with Go (once; set MCP_OAUTH_LIBRARY to use another build)`);
  try {
    childProcess.execFileSync(
      go,
      ['build', '-buildmode=c-shared', '-trimpath', `-ldflags=${ldflags}`, '-o', tmp, './capi'],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CGO_ENABLED: '1' } },
    );
    fs.renameSync(tmp, out);
  } catch (err) {
    const why = err.code === 'ENOENT' ? `the Go toolchain ("${go}") was not found` : err.message;
    throw new Error(`mcp-oauth: could not build ${LIBRARY_FILE}: ${why}`);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

/**
 * requireKoffi loads koffi. When it is missing from a source checkout — npm
 * links a folder outside the project (`npm install /path/to/bindings/node`)
 * without installing its dependencies — it installs the runtime dependencies
 * into <package>/node_modules once (with `install: true`) and loads it.
 */
function requireKoffi({ install = false, log = defaultLog } = {}) {
  try {
    return require('koffi');
  } catch (err) {
    if (err.code !== 'MODULE_NOT_FOUND' || !install || repoRoot() === null || process.env.MCP_OAUTH_NO_BUILD) throw err;
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  log('installing the runtime dependency koffi into bindings/node/node_modules (npm links a folder without its dependencies)');
  try {
    childProcess.execFileSync(
      npm,
      ['install', '--omit=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'],
      { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' },
    );
  } catch (err) {
    throw new Error(`mcp-oauth: could not install koffi: ${err.message}`);
  }
  return require('koffi');
}

module.exports = { locate, repoRoot, buildLibrary, requireKoffi, LIBRARY_FILE, PACKAGED_LIBRARY, PACKAGE_ROOT };
