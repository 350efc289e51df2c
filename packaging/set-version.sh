#!/usr/bin/env bash
# Writes the version in the repository's VERSION file (the one place it is
# set) into every copy that a language needs at build or run time:
#
#   packaging/set-version.sh          # after editing VERSION
#
# internal/release's TestVersionCopies fails while any copy differs, and
# names this script. The pkg-config file and the dist artifacts read VERSION
# when they are made.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
v="$(tr -d '[:space:]' <VERSION)"
if ! [[ "$v" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
    echo "set-version: VERSION must be MAJOR.MINOR.PATCH, not '$v'" >&2
    exit 1
fi
major="${BASH_REMATCH[1]}" minor="${BASH_REMATCH[2]}" patch="${BASH_REMATCH[3]}"
number=$((major * 1000000 + minor * 1000 + patch))

sed -i -E "s/^const Version = \"[^\"]*\"/const Version = \"$v\"/" core/version.go
sed -i -E "s/(mcp_oauth_version\(void\) \{ return )\"[^\"]*\"/\1\"$v\"/" capi/statics.go
sed -i -E \
    -e "s/^(#define MCP_OAUTH_VERSION_MAJOR) [0-9]+/\1 $major/" \
    -e "s/^(#define MCP_OAUTH_VERSION_MINOR) [0-9]+/\1 $minor/" \
    -e "s/^(#define MCP_OAUTH_VERSION_PATCH) [0-9]+/\1 $patch/" \
    -e "s/^(#define MCP_OAUTH_VERSION) \"[^\"]*\"/\1 \"$v\"/" \
    -e "s/^(#define MCP_OAUTH_VERSION_NUMBER) [0-9]+/\1 $number/" \
    include/mcp_oauth.h
sed -i -E "s/^VERSION = \"[^\"]*\"/VERSION = \"$v\"/" bindings/python/src/mcp_oauth_client/_version.py
# package.json, and the root package's two entries in package-lock.json.
node -e '
const fs = require("fs");
const v = process.argv[1];
for (const f of ["bindings/node/package.json", "bindings/node/package-lock.json"]) {
  const j = JSON.parse(fs.readFileSync(f, "utf8"));
  j.version = v;
  if (j.packages && j.packages[""]) j.packages[""].version = v;
  if (j.optionalDependencies) for (const k of Object.keys(j.optionalDependencies)) j.optionalDependencies[k] = v;
  if (j.packages && j.packages[""] && j.packages[""].optionalDependencies)
    for (const k of Object.keys(j.packages[""].optionalDependencies)) j.packages[""].optionalDependencies[k] = v;
  fs.writeFileSync(f, JSON.stringify(j, null, 2) + "\n");
}' "$v"
sed -i -E "s/\`mcp-oauth [0-9]+\.[0-9]+\.[0-9]+\`/\`mcp-oauth $v\`/" docs/cli.md
echo "set-version: $v (number $number)"
