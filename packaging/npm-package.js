'use strict';
// Writes the package.json of an npm package that packaging/package.sh stages:
//
//   node npm-package.js platform <dir> <version> <os> <cpu> <library-file>
//       @mcp-oauth-client/<os>-<cpu>: only the library, with os/cpu (and libc
//       on Linux) so that npm installs it only where it runs
//   node npm-package.js main <dir> <version> <platform-package>...
//       mcp-oauth-client: bindings/node's package.json, with the platform
//       packages as optionalDependencies (npm installs the one that fits)

const fs = require('node:fs');
const path = require('node:path');

const REPOSITORY = { type: 'git', url: 'git+https://github.com/mcp-oauth-client/mcp-oauth-client.git' };
const [kind, dir, version, ...rest] = process.argv.slice(2);
const file = path.join(dir, 'package.json');

if (kind === 'platform') {
  const [os, cpu, library] = rest;
  const pkg = {
    name: `@mcp-oauth-client/${os}-${cpu}`,
    version,
    description: `libmcp_oauth for ${os} ${cpu}: the native library of the mcp-oauth-client package`,
    license: 'Apache-2.0',
    repository: REPOSITORY,
    homepage: 'https://github.com/mcp-oauth-client/mcp-oauth-client',
    os: [os],
    cpu: [cpu],
    ...(os === 'linux' ? { libc: ['glibc'] } : {}),
    files: [library, 'LICENSE'],
    preferUnplugged: true,
  };
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'README.md'),
    `# ${pkg.name}\n\nThe native library (${library}) of [mcp-oauth-client](https://www.npmjs.com/package/mcp-oauth-client) for ${os} ${cpu}. Install \`mcp-oauth-client\`, not this package: npm picks the platform package that fits.\n`);
} else if (kind === 'main') {
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (pkg.version !== version) throw new Error(`package.json has version ${pkg.version}, VERSION says ${version}`);
  pkg.optionalDependencies = Object.fromEntries(rest.map((name) => [name, version]));
  delete pkg.devDependencies;
  delete pkg.scripts;
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
} else {
  throw new Error(`usage: npm-package.js platform|main <dir> <version> ...`);
}
