'use strict';
// Finds libmcp_oauth for this package. It never builds or installs anything:
// the library comes from the platform package npm installed, or from where
// the user points.
//
// Order:
//   1. $MCP_OAUTH_LIBRARY, when set (an explicit choice: used even if absent,
//      so a typo is an error, not a silent fallback);
//   2. in a checkout of the mcp-oauth repository: <repo>/build/libmcp_oauth.so
//      (what `make lib` builds, so the binding always tests the current engine);
//   3. the platform package, @mcp-oauth-client/<platform>-<arch> (an
//      optionalDependency: npm installs only the one whose os/cpu fit).

const fs = require('node:fs');
const path = require('node:path');

const PACKAGE_ROOT = path.resolve(__dirname, '..');

const LIBRARY_FILE =
  process.platform === 'darwin' ? 'libmcp_oauth.dylib'
    : process.platform === 'win32' ? 'mcp_oauth.dll'
      : 'libmcp_oauth.so';

/** The npm package that carries the library for this platform. */
const PLATFORM_PACKAGE = `@mcp-oauth-client/${process.platform}-${process.arch}`;

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

/** platformLibrary returns the library in the installed platform package, or null. */
function platformLibrary() {
  let manifest;
  try {
    manifest = require.resolve(`${PLATFORM_PACKAGE}/package.json`, { paths: [PACKAGE_ROOT] });
  } catch {
    return null;
  }
  const lib = path.join(path.dirname(manifest), LIBRARY_FILE);
  return fs.existsSync(lib) ? lib : null;
}

/** locate returns {path, source} of the library to load, or null. */
function locate() {
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
  const packaged = platformLibrary();
  if (packaged !== null) return { path: packaged, source: PLATFORM_PACKAGE };
  return null;
}

/** notFoundMessage says why no library was found and what to do. */
function notFoundMessage() {
  if (repoRoot() !== null) {
    return `mcp-oauth: libmcp_oauth was not found: run \`make lib\` in the repository (it builds build/${LIBRARY_FILE}), or set MCP_OAUTH_LIBRARY`;
  }
  return `mcp-oauth: libmcp_oauth was not found: no prebuilt library for ${process.platform}-${process.arch} is installed ` +
    `(the optional dependency ${PLATFORM_PACKAGE}; prebuilt: linux-x64, linux-arm64 with glibc 2.17+, win32-x64). ` +
    'Reinstall without --omit=optional, or build the library from the repository (`make lib`) and set MCP_OAUTH_LIBRARY to it';
}

module.exports = { locate, repoRoot, notFoundMessage, LIBRARY_FILE, PLATFORM_PACKAGE, PACKAGE_ROOT };
