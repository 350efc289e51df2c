'use strict';
// The right error class (issue 16): an unreachable MCP server rejects with
// NetworkError, not McpError; a URL that is not an MCP server (a typo'd
// path, the authorization server's own URL) is refused at login and at
// connect with "no MCP server at URL (HTTP 404)"; a step-up names the
// missing scope.

const test = require('node:test');
const assert = require('node:assert/strict');
const { OAuthTokenManager, McpClient, NetworkError, DiscoveryError, AuthorizationRequiredError, Status } = require('..');
const { startMcpServer, closedPort, authorizeRedirect, CLIENT_ID, CLIENT_SECRET } = require('./helpers.js');

let server;
test.before(async () => {
  server = await startMcpServer();
});
test.after(async () => {
  await server.close();
});

const notMcpUrls = () => [`${new URL(server.mcp).origin}/mpc`, `${server.as}/`];

for (const transport of ['streamable_http', 'sse', 'auto']) {
  test(`an unreachable MCP server is a NetworkError (${transport})`, async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const manager = new OAuthTokenManager({ server_url: url });
    try {
      await assert.rejects(McpClient.connect(manager, url, { transport, timeoutSeconds: 10 }),
        (err) => err instanceof NetworkError && err.errno === Status.NETWORK && err.code === 'MCP_OAUTH_E_NETWORK');
    } finally {
      manager.close();
    }
  });

  test(`connecting to a URL that is not an MCP server says so (${transport})`, async () => {
    const url = notMcpUrls()[0];
    const manager = new OAuthTokenManager({ server_url: url, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as });
    try {
      await assert.rejects(McpClient.connect(manager, url, { transport, timeoutSeconds: 10 }),
        (err) => err instanceof DiscoveryError && err.message === `mcp-oauth: no MCP server at ${url} (HTTP 404)`);
    } finally {
      manager.close();
    }
  });
}

test('logging in to a URL that is not an MCP server says so', async () => {
  for (const url of notMcpUrls()) {
    const manager = new OAuthTokenManager({ server_url: url });
    try {
      await assert.rejects(manager.beginAuthorizationAsync(), (err) => err instanceof DiscoveryError &&
        err.message === `mcp-oauth: no MCP server at ${url} (HTTP 404)` && err.details.status === 404);
    } finally {
      manager.close();
    }
  }
});

test('a step-up names the missing scope, not "no token is held"', async () => {
  const manager = new OAuthTokenManager({ server_url: server.mcp, scopes: ['mcp:read'] });
  try {
    const { url } = await manager.beginAuthorizationAsync();
    await manager.completeAuthorization(await authorizeRedirect(url));
    const client = await McpClient.connect(manager, server.mcp);
    try {
      const named = (err) => err instanceof AuthorizationRequiredError &&
        err.message.includes('requires scope "mcp:write", which the token was not granted') &&
        !err.message.includes('no token is held');
      await assert.rejects(client.callTool('write_note', { text: 'n' }), named);
      await assert.rejects(manager.getToken(), named, 'every call until the user authorizes says so');
      assert.ok(manager.status().stepUpScopes.includes('mcp:write'));
    } finally {
      await client.close();
    }
  } finally {
    manager.close();
  }
});
