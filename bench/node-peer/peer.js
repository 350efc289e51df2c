#!/usr/bin/env node
'use strict';
// peer.js — the Node rows of `make bench`, ours and the MCP TypeScript SDK's
// (@modelcontextprotocol/sdk, installed by bench/run.sh from this
// directory's package-lock.json into build/node-peer) against the same
// running build/mcp-test-server, in one process:
//
//   node_cached_ours <median µs>     cached `await manager.getToken()` of the
//                                     Node binding, main thread
//   node_cached_sdk <median µs>      cached `await provider.tokens()` of the
//                                     SDK's ClientCredentialsProvider (what
//                                     StreamableHTTPClientTransport awaits
//                                     for every request's Authorization
//                                     header), warmed by a real connect
//   mcp_stampede_sdk <phase> <token> <AS metadata> <PRM> <401s>
//                                     100 concurrent client.callTool() on
//                                     one SDK session ("cold": from a fresh
//                                     provider through connect and the burst;
//                                     "expired": from the moment its 2 s
//                                     token expired through the burst)
//   mcp_call_tool_sdk <median µs> <p10> <p90>
//                                     sequential callTool("echo") round
//                                     trips, BATCHES batches of CALLS
//
// Usage: node bench/node-peer/peer.js <mcp-url> <authorization-server-url>
// (the SDK is resolved from build/node-peer, the binding from bindings/node).

const { setMaxListeners } = require('node:events');
const path = require('node:path');
const { createRequire } = require('node:module');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const sdk = createRequire(path.join(ROOT, 'build', 'node-peer', 'package.json'));

// --rss WHO <mcp-url> <as-url>: in a fresh process, "node_rss_kb <WHO> <kB>",
// the resident set after loading WHO's client only and getting one token
// ("bare": nothing loaded; "ours": the binding, client_credentials; "sdk":
// the TypeScript SDK's ClientCredentialsProvider through a real connect).
if (process.argv[2] === '--rss') {
  const [who, mcp, as] = process.argv.slice(3);
  const report = () => console.log(`node_rss_kb ${who} ${Math.round(process.memoryUsage().rss / 1024)}`);
  (async () => {
    if (who === 'ours') {
      const { OAuthTokenManager } = require(path.join(ROOT, 'bindings', 'node'));
      const m = new OAuthTokenManager({ client_id: 'test-client', client_secret: 'test-secret', token_url: `${as}/token` });
      await m.getToken();
      report();
      m.close();
    } else if (who === 'sdk') {
      const { Client } = sdk('@modelcontextprotocol/sdk/client/index.js');
      const { StreamableHTTPClientTransport } = sdk('@modelcontextprotocol/sdk/client/streamableHttp.js');
      const { ClientCredentialsProvider } = sdk('@modelcontextprotocol/sdk/client/auth-extensions.js');
      const provider = new ClientCredentialsProvider({ clientId: 'test-client', clientSecret: 'test-secret', expectedIssuer: as, scope: 'mcp:read' });
      const client = new Client({ name: 'bench-sdk-rss', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider }));
      if (!(await provider.tokens())?.access_token) throw new Error('no SDK token');
      report();
      await client.close();
    } else {
      report();
    }
  })().catch((err) => { console.error('peer.js:', err); process.exitCode = 1; });
  return;
}

const { Client } = sdk('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = sdk('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { ClientCredentialsProvider } = sdk('@modelcontextprotocol/sdk/client/auth-extensions.js');
const { OAuthTokenManager } = require(path.join(ROOT, 'bindings', 'node'));

const BATCHES = 21;
const CALLS = 100;
const BURST = 100;
const CACHED_ROUNDS = 101;
const CACHED_BATCH = 1000;

const [mcpUrl, asUrl] = process.argv.slice(2);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function quantiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return [s[s.length >> 1], s[Math.floor(s.length / 10)], s[Math.floor((s.length * 9) / 10)]];
}

/** perCall times CACHED_BATCH awaited calls per round; median µs per call. */
async function perCall(fn) {
  for (let i = 0; i < 20000; i++) await fn(); // warm up the JIT
  const samples = [];
  for (let r = 0; r < CACHED_ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < CACHED_BATCH; i++) await fn();
    samples.push(((performance.now() - t0) * 1000) / CACHED_BATCH);
  }
  return median(samples);
}

async function getJSON(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return res.json();
}

/** counts reads the test servers' counters the figures need. */
async function counts() {
  const as = await getJSON(`${asUrl}/_test/counts`);
  const mcp = await getJSON(`${new URL(mcpUrl).origin}/_test/mcp_counts`);
  return { token: as.token, asMetadata: as.metadata, prm: mcp.metadata, unauthorized: mcp.unauthorized };
}

async function setLifetimeMs(ms) {
  const res = await fetch(`${asUrl}/_test/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token_lifetime_ms: ms }),
  });
  if (!res.ok) throw new Error(`POST /_test/config: ${res.status}`);
}

/**
 * unlimitedListeners is fetch, with no listener limit on the request's
 * AbortSignal. The SDK's transport passes one AbortController's signal to
 * every request it sends, and undici (Node's fetch) keeps an abort listener
 * on that signal for each request until the request is garbage-collected:
 * over this benchmark's thousands of tool calls the listeners pile up past
 * undici's limit of 1,500 and Node prints MaxListenersExceededWarning
 * (traced to @modelcontextprotocol/sdk's shared/transport.js fetch, none to
 * our binding). The warnings are the peer's; lifting the limit on that one
 * signal keeps `make bench` quiet without changing what is measured.
 */
function unlimitedListeners(url, init) {
  if (init?.signal) setMaxListeners(0, init.signal);
  return fetch(url, init);
}

/** sdkSession connects a fresh SDK client with its client-credentials provider. */
async function sdkSession() {
  const provider = new ClientCredentialsProvider({
    clientId: 'test-client',
    clientSecret: 'test-secret',
    expectedIssuer: asUrl,
    // The test MCP server's tools need mcp:read; this provider sends only
    // the scope it is given (ours takes it from the server's challenge).
    scope: 'mcp:read',
  });
  const client = new Client({ name: 'bench-sdk-peer', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch: unlimitedListeners }));
  return { client, provider };
}

async function callEcho(client) {
  const res = await client.callTool({ name: 'echo', arguments: { text: 'bench' } });
  if (res.isError || res.content?.[0]?.text !== 'bench') throw new Error(`tools/call answered ${JSON.stringify(res)}`);
}

function printDelta(phase, a, b) {
  console.log(`mcp_stampede_sdk ${phase} ${b.token - a.token} ${b.asMetadata - a.asMetadata} ` +
    `${b.prm - a.prm} ${b.unauthorized - a.unauthorized}`);
}

async function burst(client) {
  await Promise.all(Array.from({ length: BURST }, () => callEcho(client)));
}

async function main() {
  if (!mcpUrl || !asUrl) {
    console.error('usage: node peer.js <mcp-url> <authorization-server-url>');
    process.exit(2);
  }

  // Cached token, main thread: ours (the binding) and the SDK's provider.
  const manager = new OAuthTokenManager({ client_id: 'test-client', client_secret: 'test-secret', token_url: `${asUrl}/token` });
  try {
    await manager.getToken();
    console.log(`node_cached_ours ${(await perCall(() => manager.getToken())).toFixed(3)}`);
  } finally {
    manager.close();
  }
  const warm = await sdkSession();
  if (!(await warm.provider.tokens())?.access_token) throw new Error('the SDK provider holds no token after connect');
  console.log(`node_cached_sdk ${(await perCall(async () => (await warm.provider.tokens()).access_token)).toFixed(3)}`);

  // 100 concurrent tool calls: cold, then right after expiry.
  let before = await counts();
  const cold = await sdkSession();
  await burst(cold.client);
  printDelta('cold', before, await counts());
  await cold.client.close();

  await setLifetimeMs(2000);
  try {
    const expiring = await sdkSession();
    await new Promise((resolve) => setTimeout(resolve, 2100)); // its token expires
    before = await counts();
    await burst(expiring.client);
    printDelta('expired', before, await counts());
    await expiring.client.close();
  } finally {
    await setLifetimeMs(3600 * 1000);
  }

  // tools/call round trips on the warm session (1 h tokens).
  for (let i = 0; i < CALLS; i++) await callEcho(warm.client);
  const perBatch = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) await callEcho(warm.client);
    perBatch.push(((performance.now() - t0) * 1000) / CALLS);
  }
  console.log(`mcp_call_tool_sdk ${quantiles(perBatch).map((x) => x.toFixed(1)).join(' ')}`);
  await warm.client.close();
}

main().catch((err) => {
  console.error('peer.js:', err);
  process.exitCode = 1;
});
