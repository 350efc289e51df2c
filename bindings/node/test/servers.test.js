'use strict';
// One manager, several MCP servers, against a real build/mcp-test-server: one
// registration per authorization server, one token per resource (RFC 8707).

const test = require('node:test');
const assert = require('node:assert/strict');
const { OAuthTokenManager, McpClient } = require('..');
const { startMcpServer } = require('./helpers.js');

test('one manager on /mcp and /sse: one registration, a token for each resource', async () => {
  const mcp = await startMcpServer();
  const m = new OAuthTokenManager({ server_url: mcp.mcp, grant_type: 'client_credentials' });
  try {
    for (const [url, transport] of [[mcp.mcp, 'streamable_http'], [mcp.sse, 'sse']]) {
      const client = await McpClient.connect(m, url, { transport });
      try {
        assert.equal((await client.callTool('echo', { text: 'hi' })).content[0].text, 'hi');
      } finally {
        await client.close();
      }
    }
    assert.equal((await mcp.asCounts()).register, 1, 'one registration per authorization server');
    const res = await fetch(`${mcp.as}/_test/token_requests`);
    const resources = (await res.json()).map((r) => r.form.resource[0]);
    assert.deepEqual(resources, [mcp.mcp, mcp.sse], 'each token asked for its own resource');
  } finally {
    m.close();
    await mcp.close();
  }
});
