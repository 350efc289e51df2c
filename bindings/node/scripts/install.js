#!/usr/bin/env node
'use strict';
// Makes sure libmcp_oauth is available to the package.
//
//   node scripts/install.js            (npm "install"): build the library with
//       Go only when none is found (see lib/locate.js for the search order).
//   node scripts/install.js --package  (npm "prepack"): put the current library
//       into native/ so that `npm pack` ships it: copied from the repository's
//       build/ when present and different, else built with Go.
//
// npm 11 skips the install scripts of dependencies unless they are approved;
// the runtime loader then does the same check on first use, so the package
// works either way.

const fs = require('node:fs');
const path = require('node:path');
const { locate, repoRoot, buildLibrary, requireKoffi, LIBRARY_FILE, PACKAGED_LIBRARY } = require('../lib/locate.js');

function log(msg) {
  process.stderr.write(`mcp-oauth: ${msg}\n`);
}

function sameFile(a, b) {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.size === sb.size && Math.trunc(sa.mtimeMs) === Math.trunc(sb.mtimeMs);
  } catch {
    return false;
  }
}

function packageLibrary() {
  const root = repoRoot();
  if (root === null) {
    if (fs.existsSync(PACKAGED_LIBRARY)) return;
    throw new Error(`mcp-oauth: ${PACKAGED_LIBRARY} is missing and this is not a source checkout`);
  }
  const built = path.join(root, 'build', LIBRARY_FILE);
  if (!fs.existsSync(built)) {
    buildLibrary(root, PACKAGED_LIBRARY, log);
    return;
  }
  if (sameFile(built, PACKAGED_LIBRARY)) return;
  fs.mkdirSync(path.dirname(PACKAGED_LIBRARY), { recursive: true });
  const tmp = `${PACKAGED_LIBRARY}.tmp-${process.pid}`;
  fs.copyFileSync(fs.realpathSync(built), tmp); // dereference the .so -> .so.0 symlink
  const st = fs.statSync(built);
  fs.utimesSync(tmp, st.atime, st.mtime);
  fs.renameSync(tmp, PACKAGED_LIBRARY);
  log(`packaged ${path.relative(process.cwd(), built)} as native/${LIBRARY_FILE}`);
}

try {
  if (process.argv.includes('--package')) {
    packageLibrary();
  } else {
    const found = locate({ build: true, log });
    if (found === null) {
      throw new Error(`mcp-oauth: ${LIBRARY_FILE} is missing: this package has no native/ copy and is not in a source checkout to build from`);
    }
    if (found.source === 'MCP_OAUTH_LIBRARY' && path.isAbsolute(found.path) && !fs.existsSync(found.path)) {
      log(`warning: MCP_OAUTH_LIBRARY=${found.path} does not exist`);
    }
    // A checkout linked into another project gets no dependencies from npm.
    requireKoffi({ install: true, log });
  }
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
