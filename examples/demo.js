// mcp-oauth from Node: a token by client_credentials, then a PKCE
// authorization code flow run headlessly (the "browser" is a fetch whose
// redirect Location is handed back to the library).
//
// Then, given MCP server URLs, the MCP part: the client starts knowing only
// the server URL, discovers its authorization server, registers itself,
// authorizes (headlessly) and calls a tool, over each transport.
//
// Usage: node examples/demo.js <authorization-server-url> [<mcp-url> <mcp-sse-url>]
'use strict';
const {
  OAuthTokenManager, McpClient, AuthorizationRequiredError, generateCodeVerifier, generateCodeChallenge,
} = require('../bindings/node');

// The browser's part, headless: the authorization server redirects at once.
async function browserRedirect(url) {
  const res = await fetch(url, { redirect: 'manual' });
  return res.headers.get('location');
}

async function mcpToolCall(serverUrl, transport) {
  const manager = new OAuthTokenManager({ server_url: serverUrl, client_name: 'mcp-oauth Node demo' });
  try {
    let client;
    try {
      client = await McpClient.connect(manager, serverUrl, { transport });
    } catch (err) {
      if (!(err instanceof AuthorizationRequiredError)) throw err;
      const { url } = await manager.beginAuthorization(); // discovered and registered: a user must approve
      await manager.completeAuthorization(await browserRedirect(url));
      client = await McpClient.connect(manager, serverUrl, { transport });
    }
    const result = await client.callTool('echo', { text: 'hello over OAuth' });
    console.log(`[Node] MCP ${transport} tools/call echo -> ${result.content[0].text}`);
    await client.close();
  } finally {
    manager.close();
  }
}

async function main(issuer, mcpUrl, sseUrl) {
  const machine = new OAuthTokenManager({
    client_id: 'test-client',
    client_secret: 'test-secret',
    token_url: `${issuer}/token`,
    scopes: ['mcp:read', 'mcp:write'],
  });
  try {
    const token = await machine.getToken();
    console.log(`[Node] client_credentials token: ${token.slice(0, 12)}... (${token.length} chars)`);
  } finally {
    machine.close();
  }

  const user = new OAuthTokenManager({
    client_id: 'public-client',
    token_url: `${issuer}/token`,
    authorize_url: `${issuer}/authorize`,
    issuer,
    scopes: ['mcp:read'],
  });
  try {
    const { url } = await user.beginAuthorization('http://127.0.0.1:8976/callback');
    console.log(`[Node] open in a browser: ${url.slice(0, 70)}...`);
    await user.completeAuthorization(await browserRedirect(url));
    const full = await user.token();
    console.log(`[Node] authorization_code+PKCE token: ${full.accessToken.slice(0, 12)}... expires ${full.expiresAt.toISOString()}`);
  } finally {
    await user.close();
  }
  const verifier = generateCodeVerifier();
  console.log(`[Node] PKCE: verifier of ${verifier.length} chars -> challenge ${generateCodeChallenge(verifier)}`);

  if (mcpUrl) {
    await mcpToolCall(mcpUrl, 'streamable_http');
    await mcpToolCall(sseUrl, 'sse');
  }
}

main(...process.argv.slice(2, 5)).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
