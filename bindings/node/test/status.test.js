'use strict';
// manager.status() and client.status() after real token flows against
// build/mcp-test-server: the fields, and never a token or a secret; closing
// a client whose token expired requests no token (issue 16).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { OAuthTokenManager, McpClient, BadHandleError } = require('..');
const { startMcpServer, authorizeRedirect, CLIENT_ID, CLIENT_SECRET } = require('./helpers.js');

let server;
test.before(async () => {
  server = await startMcpServer();
});
test.after(async () => {
  await server.close();
});

/** storedSecrets lists every token and secret a file store holds. */
function storedSecrets(dir) {
  const found = [];
  for (const name of fs.readdirSync(dir, { recursive: true })) {
    if (!String(name).endsWith('.json')) continue;
    const doc = JSON.parse(fs.readFileSync(path.join(dir, String(name)), 'utf8'));
    for (const key of ['access_token', 'refresh_token', 'client_secret', 'dpop_key']) {
      if (doc[key]) found.push(doc[key]);
    }
  }
  return found;
}

function assertShowsNone(status, secrets) {
  const text = JSON.stringify(status);
  for (const s of secrets) assert.ok(!text.includes(s), 'a token or secret is in the status');
}

test('status after an authorization code login: the fields, and no token or secret', async () => {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-oauth-status-'));
  fs.chmodSync(store, 0o700);
  const manager = new OAuthTokenManager({ server_url: server.mcp, token_store_dir: store });
  try {
    const before = manager.status();
    assert.equal(before.hasToken, false);
    assert.equal(before.discovered, false);
    assert.equal(before.expiresAt, null);
    assert.deepEqual(before.store, { kind: 'file', dir: store, location: '' });

    const { url } = await manager.beginAuthorizationAsync();
    assert.equal(manager.status().pendingAuthorizations, 1);
    await manager.completeAuthorization(await authorizeRedirect(url));

    const client = await McpClient.connect(manager, server.mcp);
    try {
      const st = client.status();
      assert.equal(st.serverUrl, server.mcp);
      assert.equal(st.transport, 'streamable_http');
      assert.ok(st.sessionId);
      assert.ok(st.protocolVersion);
      assert.ok(st.serverName);
      const auth = st.auth;
      assert.equal(auth.hasToken, true);
      assert.equal(auth.hasRefreshToken, true);
      assert.equal(auth.tokenType, 'Bearer');
      assert.ok(auth.scopes.includes('mcp:read'));
      assert.equal(auth.issuer, server.as);
      assert.equal(auth.tokenEndpoint, `${server.as}/token`);
      assert.equal(auth.resource, server.mcp);
      assert.equal(auth.clientSource, 'dynamic_registration');
      assert.match(auth.clientId, /^dcr_/);
      assert.equal(auth.pendingAuthorizations, 0);
      assert.ok(auth.expiresAt instanceof Date);
      assert.ok(auth.expiresInSeconds > 3000 && auth.expiresInSeconds <= 3600);
      const secrets = storedSecrets(store);
      assert.ok(secrets.length >= 2, 'the store holds the access and refresh tokens');
      assertShowsNone(st, secrets);
      assertShowsNone(manager.status(), secrets);
    } finally {
      await client.close();
    }
    assert.throws(() => client.status(), BadHandleError);
  } finally {
    manager.close();
    fs.rmSync(store, { recursive: true, force: true });
  }
  assert.throws(() => manager.status(), BadHandleError);
});

test('status of a client credentials session over SSE shows no secret', async () => {
  const manager = new OAuthTokenManager({ server_url: server.sse, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as });
  const client = await McpClient.connect(manager, server.sse, { transport: 'sse' });
  try {
    const token = await manager.getToken();
    const st = client.status();
    assert.equal(st.transport, 'sse');
    assert.equal(st.sessionId, '');
    assert.equal(st.auth.clientSource, 'configured');
    assert.equal(st.auth.clientId, CLIENT_ID);
    assert.equal(st.auth.grantType, 'client_credentials');
    assert.equal(st.auth.store, null);
    assertShowsNone(st, [token, CLIENT_SECRET]);
  } finally {
    await client.close();
    manager.close();
  }
});

test('closing a client whose token expired requests no token', async () => {
  const own = await startMcpServer();
  try {
    await own.asConfig({ token_lifetime_ms: 1000 });
    const manager = new OAuthTokenManager({
      server_url: own.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: own.as, refresh_margin_seconds: 0,
    });
    try {
      const client = await McpClient.connect(manager, own.mcp);
      assert.ok(client.status().sessionId);
      const deadline = Date.now() + 15_000;
      while (client.status().auth.hasToken) { // until the library stops handing it out
        assert.ok(Date.now() < deadline);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const requested = (await own.asCounts()).token;
      await client.close();
      assert.equal((await own.asCounts()).token, requested);
    } finally {
      manager.close();
    }
  } finally {
    await own.close();
  }
});
