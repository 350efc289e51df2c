'use strict';
// authFetch as the `fetch` of the MCP TypeScript SDK's transports
// (@modelcontextprotocol/sdk, pinned in package-lock.json) against the real
// build/mcp-test-server: connect, list, call over Streamable HTTP and SSE,
// a server-side expiry (one token request), step-up on 403, 100 concurrent
// calls after expiry (one token request), several servers, typed errors.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { SSEClientTransport } = require('@modelcontextprotocol/sdk/client/sse.js');
const { OAuthTokenManager, authFetch, OAuthError } = require(path.join(ROOT, 'bindings', 'node'));
const { startMcpServer } = require(path.join(ROOT, 'bindings', 'node', 'test', 'helpers.js'));

let server;
const managers = [];

test.before(async () => {
  server = await startMcpServer();
});
test.after(async () => {
  for (const m of managers) m.close();
  await server?.close();
});

/** A client_credentials manager for url (default s.mcp), one of the MCP
 * endpoints of test server s, its secret issued by s's authorization server. */
function manager(s, url = s.mcp, secret = 'test-secret') {
  const m = new OAuthTokenManager({ server_url: url, client_id: 'test-client', client_secret: secret, issuer: s.as });
  managers.push(m);
  return m;
}

/** An MCP SDK client connected over `kind` with our fetch. */
async function connect(url, m, kind = 'streamable') {
  const opts = { fetch: authFetch(m) };
  const transport = kind === 'sse'
    ? new SSEClientTransport(new URL(url), opts)
    : new StreamableHTTPClientTransport(new URL(url), opts);
  const client = new Client({ name: 'sdk-test', version: '0.0.0' });
  await client.connect(transport);
  return client;
}

const revoke = (s) => fetch(`${s.as}/_test/revoke_access_tokens`, { method: 'POST', body: '{}' }).then((r) => r.text());
const tokenRequests = async (s) => (await s.asCounts()).token;
const text = (result) => result.content.map((c) => c.text ?? '').join('');

for (const kind of ['streamable', 'sse']) {
  test(`${kind}: connect, list, call`, async () => {
    const url = kind === 'sse' ? server.sse : server.mcp;
    const client = await connect(url, manager(server, url), kind);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['add', 'ask', 'echo', 'wait', 'whoami', 'write_note']);
      assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'héllo' } })), 'héllo');
      const added = await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } });
      assert.deepEqual(added.structuredContent, { sum: 42 });
    } finally {
      await client.close();
    }
  });
}

test('a token the server sees expired: exactly one token request, the call succeeds', async () => {
  const client = await connect(server.mcp, manager(server));
  try {
    await client.callTool({ name: 'echo', arguments: { text: 'warm' } });
    const before = await tokenRequests(server);
    await revoke(server);
    assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'after' } })), 'after');
    assert.equal(await tokenRequests(server), before + 1);
  } finally {
    await client.close();
  }
});

test('403 insufficient_scope: step-up, then success', async () => {
  const client = await connect(server.mcp, manager(server));
  try {
    const who = async () => (await client.callTool({ name: 'whoami', arguments: {} })).structuredContent.scopes;
    assert.ok(!(await who()).includes('mcp:write'));
    const saved = await client.callTool({ name: 'write_note', arguments: { text: 'n' } });
    assert.ok(!saved.isError && text(saved).includes('saved note'), JSON.stringify(saved));
    assert.ok((await who()).includes('mcp:write'));
  } finally {
    await client.close();
  }
});

test('100 concurrent calls after expiry: one token request', async () => {
  const client = await connect(server.mcp, manager(server));
  try {
    await client.callTool({ name: 'echo', arguments: { text: 'warm' } });
    const before = await tokenRequests(server);
    await revoke(server);
    const results = await Promise.all(Array.from({ length: 100 },
      (_, i) => client.callTool({ name: 'add', arguments: { a: i, b: 1 } })));
    assert.deepEqual(results.map((r) => r.structuredContent.sum), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(await tokenRequests(server), before + 1);
  } finally {
    await client.close();
  }
});

test('several servers at once, one manager each', async () => {
  const other = await startMcpServer();
  try {
    const clients = await Promise.all([server, other].map((s) => connect(s.mcp, manager(s))));
    const who = await Promise.all(clients.map((c) => c.callTool({ name: 'whoami', arguments: {} })));
    assert.deepEqual(who.map((r) => r.structuredContent.client_id), ['test-client', 'test-client']);
    await Promise.all(clients.map((c) => c.close()));
  } finally {
    await other.close();
  }
});

test('a wrong secret: the SDK surfaces our OAuthError', async () => {
  await assert.rejects(connect(server.mcp, manager(server, server.mcp, 'wrong-secret')), (err) => {
    assert.ok(err instanceof OAuthError, `${err.name}: ${err.message}`);
    assert.equal(err.error, 'invalid_client');
    assert.ok(!err.message.includes('wrong-secret'));
    return true;
  });
});

test('DPoP-bound tokens: the DPoP scheme and a fresh proof on every request, nonces answered (RFC 9449)', async () => {
  const dpop = await startMcpServer(['-dpop-required', '-dpop-nonce']);
  try {
    const m = manager(dpop);
    const client = await connect(dpop.mcp, m);
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'echo'));
      assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'bound' } })), 'bound');
    } finally {
      await client.close();
    }
    assert.equal((await m.token()).tokenType, 'DPoP');
    assert.equal((await dpop.asCounts()).dpop_proofs, 1, 'one token request succeeded');
    assert.ok((await dpop.mcpCounts()).dpop_requests >= 3, 'initialize, tools/list, tools/call each with a valid proof');
  } finally {
    await dpop.close();
  }
});
