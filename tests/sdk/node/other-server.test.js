'use strict';
// authFetch with the MCP TypeScript SDK against an MCP server the project
// did not write: the MCP Python SDK's MCPServer with its bearer middleware
// (tests/sdk/python_mcp_server.py, run with build/py-venv's Python, which
// bindings/python/run-tests.sh --install-only prepares), verifying tokens at
// the test authorization server's introspection endpoint. Step-up cannot be
// provoked there (its 403 names no scope): see mcp-sdk.test.js.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { OAuthTokenManager, authFetch, OAuthError } = require(path.join(ROOT, 'bindings', 'node'));
const { startServer } = require(path.join(ROOT, 'bindings', 'node', 'test', 'helpers.js'));

const PYTHON = process.env.MCP_OAUTH_SDK_PYTHON || path.join(ROOT, 'build', 'py-venv', 'bin', 'python');

let as;
let child;
let url;
const managers = [];

test.before(async () => {
  as = await startServer();
  child = spawn(PYTHON, [path.join(ROOT, 'tests', 'sdk', 'python_mcp_server.py'), as.url],
    { stdio: ['pipe', 'pipe', 'ignore'] });
  url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('python_mcp_server.py did not start in 30 s')), 30_000);
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line).mcp);
    });
    child.once('error', reject);
  });
});

test.after(async () => {
  for (const m of managers) m.close();
  if (child) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    await exited;
  }
  await as?.close();
});

async function connect(secret = 'test-secret') {
  // The server's authorization server (as) issued the secret.
  const m = new OAuthTokenManager({ server_url: url, client_id: 'test-client', client_secret: secret, issuer: as.url });
  managers.push(m);
  const client = new Client({ name: 'sdk-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: authFetch(m) }));
  return client;
}

const text = (result) => result.content.map((c) => c.text ?? '').join('');

test('connect, list, call; expiry and 100 concurrent calls: one token request each', async () => {
  const client = await connect();
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['add', 'echo']);
    assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'hé' } })), 'hé');

    const first = (await as.counts()).token;
    await as.revokeAccessTokens();
    assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'after' } })), 'after');
    assert.equal((await as.counts()).token, first + 1);

    await as.revokeAccessTokens();
    const results = await Promise.all(Array.from({ length: 100 },
      (_, i) => client.callTool({ name: 'add', arguments: { a: i, b: 1 } })));
    results.forEach((r, i) => assert.match(text(r), new RegExp(`\\b${i + 1}\\b`)));
    assert.equal((await as.counts()).token, first + 2);
  } finally {
    await client.close();
  }
});

test('a wrong secret: the SDK surfaces our OAuthError', async () => {
  await assert.rejects(connect('wrong-secret'), (err) => {
    assert.ok(err instanceof OAuthError, `${err.name}: ${err.message}`);
    assert.equal(err.error, 'invalid_client');
    return true;
  });
});
