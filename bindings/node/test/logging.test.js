'use strict';
// Logging: setLogHandler at the most verbose level during a whole flow
// (discovery, registration, client_credentials, refresh, an authorization
// code flow with PKCE) tells every step and quotes no credential; and
// NODE_DEBUG=mcp-oauth writes the events to stderr.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { OAuthTokenManager, setLogHandler, InvalidArgumentError } = require('..');
const { startMcpServer, controlRequest, authorizeRedirect, CLIENT_ID, CLIENT_SECRET } = require('./helpers.js');

test('a debug log of a whole flow tells each step and quotes no credential', async () => {
  const server = await startMcpServer(['-refresh-for-client-credentials']);
  const events = [];
  setLogHandler((e) => events.push(e));
  const managers = [];
  try {
    const registered = new OAuthTokenManager({ server_url: server.mcp, grant_type: 'client_credentials' });
    const machine = new OAuthTokenManager({ server_url: server.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as });
    const user = new OAuthTokenManager({ server_url: server.mcp });
    managers.push(registered, machine, user);
    const tok0 = await registered.getToken();
    const tok1 = await machine.getToken();
    machine.invalidate(tok1);
    const tok2 = await machine.getToken(); // the refresh_token grant
    const request = await user.beginAuthorizationAsync();
    await user.completeAuthorization(await authorizeRedirect(request.url));
    const tok3 = await user.getToken();
    const forms = (await controlRequest(server.as, 'GET', '/_test/token_requests')).map((r) => r.form);

    const names = new Set(events.map((e) => e.event));
    for (const name of ['discovery.start', 'discovery.resource_metadata', 'discovery.auth_server', 'discovery.done',
      'registration.request', 'registration.done', 'token.request', 'token.response', 'token.refresh',
      'authorization.begin', 'authorization.complete', 'http.request']) {
      assert.ok(names.has(name), `no ${name} event`);
    }
    const grants = new Set(events.filter((e) => e.event === 'token.request').map((e) => e.fields.grant_type));
    for (const g of ['client_credentials', 'refresh_token', 'authorization_code']) assert.ok(grants.has(g), g);
    assert.equal(events.find((e) => e.event === 'token.refresh').level, 'info');
    assert.equal(events.find((e) => e.event === 'token.request').level, 'debug');

    const secrets = [CLIENT_SECRET, tok0, tok1, tok2, tok3];
    for (const form of forms) {
      for (const p of ['code', 'code_verifier', 'refresh_token']) secrets.push(...(form[p] ?? []));
    }
    assert.ok(forms.some((f) => f.code) && forms.some((f) => f.code_verifier) && forms.some((f) => f.refresh_token));
    const text = JSON.stringify(events);
    for (const s of secrets) {
      assert.ok(s.length >= 8);
      assert.ok(!text.includes(s), 'the log quotes a credential');
    }

    // A level filters; null stops.
    events.length = 0;
    setLogHandler((e) => events.push(e), { level: 'info' });
    machine.invalidate(tok2);
    await machine.getToken();
    assert.ok(events.some((e) => e.event === 'token.refresh'));
    assert.ok(events.every((e) => e.level !== 'debug'));
    setLogHandler(null);
    events.length = 0;
    machine.invalidate(await machine.getToken());
    await machine.getToken();
    assert.deepEqual(events, []);
  } finally {
    setLogHandler(null);
    for (const m of managers) m.close();
    await server.close();
  }
});

test('setLogHandler checks its arguments', () => {
  assert.throws(() => setLogHandler('stderr'), InvalidArgumentError);
  assert.throws(() => setLogHandler(() => {}, { level: 'verbose' }), InvalidArgumentError);
});

test('NODE_DEBUG=mcp-oauth writes the events to stderr', async () => {
  const server = await startMcpServer();
  try {
    const script = `
      const { OAuthTokenManager } = require(${JSON.stringify(path.join(__dirname, '..'))});
      const m = new OAuthTokenManager({ server_url: ${JSON.stringify(server.mcp)}, client_id: ${JSON.stringify(CLIENT_ID)},
        client_secret: ${JSON.stringify(CLIENT_SECRET)}, issuer: ${JSON.stringify(server.as)} });
      m.getToken().then((t) => { process.stdout.write(t); m.close(); });`;
    const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, NODE_DEBUG: 'mcp-oauth' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /MCP-OAUTH \d+: DEBUG token\.request: token request grant_type=client_credentials/);
    assert.match(r.stderr, /MCP-OAUTH \d+: INFO token\.response: token issued/);
    assert.ok(r.stdout.length >= 8 && !r.stderr.includes(r.stdout), 'stderr quotes the token');
    assert.ok(!r.stderr.includes(CLIENT_SECRET));
  } finally {
    await server.close();
  }
});
