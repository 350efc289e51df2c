'use strict';
// MCP 2026-07-28 and the auth extensions against the real
// build/mcp-test-server process: DPoP (RFC 9449) with nonces at both
// servers, authorization-server migration (SEP-2352) and workload identity
// federation (RFC 7523 §2.1).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { OAuthTokenManager, McpClient, AuthorizationRequiredError, ConfigError, InsufficientScopeError } = require('..');
const { startMcpServer, authorizeRedirect, controlRequest, CLIENT_ID, CLIENT_SECRET } = require('./helpers.js');

const text = (result) => result.content.map((c) => c.text ?? '').join('');

/** withServer runs fn against a fresh MCP test server started with args. */
async function withServer(args, fn) {
  const server = await startMcpServer(args);
  const closing = [];
  try {
    await fn(server, (x) => {
      closing.push(x);
      return x;
    });
  } finally {
    for (const x of closing.reverse()) await x.close();
    await server.close();
  }
}

test('DPoP with nonces at the authorization server and the MCP server', () =>
  withServer(['-dpop-required', '-dpop-nonce'], async (server, track) => {
    const manager = track(new OAuthTokenManager({ server_url: server.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as }));
    const client = track(await McpClient.connect(manager, server.mcp));
    assert.equal(text(await client.callTool('echo', { text: 'one' })), 'one');
    assert.equal(text(await client.callTool('echo', { text: 'two' })), 'two');
    assert.equal((await manager.token()).tokenType, 'DPoP');
    assert.equal((await server.asCounts()).dpop_proofs, 1);
    assert.ok((await server.mcpCounts()).dpop_requests >= 3);
  }));

test('authorization-server migration: a user client registers and authorizes again', () =>
  withServer([], async (server, track) => {
    const manager = track(new OAuthTokenManager({ server_url: server.mcp }));
    await assert.rejects(McpClient.connect(manager, server.mcp), AuthorizationRequiredError);
    await manager.completeAuthorization(await authorizeRedirect((await manager.beginAuthorizationAsync()).url));
    const client = track(await McpClient.connect(manager, server.mcp));
    assert.equal(text(await client.callTool('echo', { text: 'before' })), 'before');

    const { as: as2 } = await server.migrateAS();
    await assert.rejects(client.callTool('echo', { text: 'x' }), AuthorizationRequiredError);
    const { url } = await manager.beginAuthorizationAsync();
    assert.ok(url.startsWith(as2), 'the user goes to the new authorization server');
    await manager.completeAuthorization(await authorizeRedirect(url));
    assert.equal(text(await client.callTool('echo', { text: 'after' })), 'after');
    assert.equal((await controlRequest(as2, 'GET', '/_test/counts')).register, 1);
  }));

test('workload identity from a token, a file and a command', () =>
  withServer(['-workload-tokens'], async (server, track) => {
    const { token } = await server.workloadToken('node-job');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-oauth-wif-')), 'jwt');
    fs.writeFileSync(file, token, { mode: 0o600 });
    for (const extra of [
      { workload_identity_token: token },
      { workload_identity_token_file: file },
      { workload_identity_token_command: [process.execPath, '-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`] },
    ]) {
      const manager = track(new OAuthTokenManager({ server_url: server.mcp, ...extra }));
      const client = track(await McpClient.connect(manager, server.mcp));
      const me = (await client.callTool('whoami', {})).structuredContent;
      assert.equal(me.client_id, 'workload:node-job');
    }
    assert.equal((await server.asCounts()).workload_grants, 3);
    assert.throws(
      () => new OAuthTokenManager({ server_url: server.mcp, workload_identity_token: token, workload_identity_token_file: file }),
      ConfigError,
    );
  }));

test('a step-up whose scope is not granted stops with InsufficientScopeError', () =>
  withServer(['-withhold-scopes', 'mcp:write'], async (server, track) => {
    const manager = track(new OAuthTokenManager({ server_url: server.mcp }));
    await assert.rejects(McpClient.connect(manager, server.mcp), AuthorizationRequiredError);
    await manager.completeAuthorization(await authorizeRedirect((await manager.beginAuthorizationAsync()).url));
    const client = track(await McpClient.connect(manager, server.mcp));
    await assert.rejects(client.callTool('write_note', { text: 'x' }), (err) =>
      err instanceof AuthorizationRequiredError && err.message.includes('mcp:write'));
    const { url } = await manager.beginAuthorizationAsync();
    await assert.rejects(manager.completeAuthorization(await authorizeRedirect(url)), (err) =>
      err instanceof InsufficientScopeError && err.message.includes('mcp:write'));
  }));
