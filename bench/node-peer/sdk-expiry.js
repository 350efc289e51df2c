#!/usr/bin/env node
'use strict';
// sdk-expiry.js — a row of `make bench`: 100 concurrent callTool() through
// the MCP TypeScript SDK (StreamableHTTPClientTransport, installed by
// bench/run.sh into build/node-peer) right after the session's token
// expired, authorized by our authFetch (the transport's `fetch`) or by the
// SDK's own ClientCredentialsProvider (`authProvider`), against the same
// running build/mcp-test-server. Prints, per contender,
//
//   sdk_expiry_ts <ours|sdk> <token requests> <p50 ms> <p90 ms>
//
// token requests counted from the expiry through the burst; latencies of
// the 100 calls from the burst's start.
//
// Usage: node bench/node-peer/sdk-expiry.js <mcp-url> <authorization-server-url>

const path = require('node:path');
const { createRequire } = require('node:module');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const sdk = createRequire(path.join(ROOT, 'build', 'node-peer', 'package.json'));
const { Client } = sdk('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = sdk('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { ClientCredentialsProvider } = sdk('@modelcontextprotocol/sdk/client/auth-extensions.js');
const { OAuthTokenManager, authFetch } = require(path.join(ROOT, 'bindings', 'node'));

const BURST = 100;
const LIFETIME_MS = 2000;
const [mcpUrl, asUrl] = process.argv.slice(2);

async function control(p, body) {
  const res = await fetch(asUrl + p, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: HTTP ${res.status}`);
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

async function burstAfterExpiry(transportOptions) {
  const client = new Client({ name: 'bench-sdk-expiry', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), transportOptions));
  try {
    await client.callTool({ name: 'echo', arguments: { text: 'warm' } });
    await new Promise((resolve) => setTimeout(resolve, LIFETIME_MS + 100)); // the token expires
    const before = (await control('/_test/counts')).token;
    const t0 = performance.now();
    const latencies = await Promise.all(Array.from({ length: BURST }, async () => {
      const res = await client.callTool({ name: 'echo', arguments: { text: 'bench' } });
      if (res.isError) throw new Error(`tools/call failed: ${JSON.stringify(res)}`);
      return performance.now() - t0;
    }));
    const tokens = (await control('/_test/counts')).token - before;
    return { tokens, latencies: latencies.sort((a, b) => a - b) };
  } finally {
    await client.close();
  }
}

function report(who, { tokens, latencies }) {
  const q = (f) => latencies[Math.floor(latencies.length * f)].toFixed(1);
  console.log(`sdk_expiry_ts ${who} ${tokens} ${q(0.5)} ${q(0.9)}`);
}

async function main() {
  await control('/_test/config', { token_lifetime_ms: LIFETIME_MS });
  try {
    const manager = new OAuthTokenManager({
      server_url: mcpUrl, client_id: 'test-client', client_secret: 'test-secret', issuer: asUrl,
    });
    try {
      report('ours', await burstAfterExpiry({ fetch: authFetch(manager) }));
    } finally {
      manager.close();
    }
    const provider = new ClientCredentialsProvider({
      clientId: 'test-client', clientSecret: 'test-secret', expectedIssuer: asUrl, scope: 'mcp:read',
    });
    report('sdk', await burstAfterExpiry({ authProvider: provider }));
  } finally {
    await control('/_test/config', { token_lifetime_ms: 3600 * 1000 });
  }
}

main().catch((err) => {
  console.error('sdk-expiry.js:', err);
  process.exitCode = 1;
});
