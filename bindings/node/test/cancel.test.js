'use strict';
// manager.cancel() and the AbortSignal option, against the real test
// authorization server.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { getEventListeners } = require('node:events');
const {
  OAuthTokenManager, McpOAuthCancelledError, BadHandleError, InvalidArgumentError, McpOAuthError, Status,
} = require('..');
const { startServer, until, PUBLIC_CLIENT_ID, CLIENT_ID, CLIENT_SECRET } = require('./helpers.js');

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let server;
const managers = [];
function manager(config) {
  const m = new OAuthTokenManager(config);
  managers.push(m);
  return m;
}
const deviceManager = () => manager({
  client_id: PUBLIC_CLIENT_ID,
  token_url: server.tokenUrl,
  device_authorization_url: `${server.url}/device_authorization`,
  scopes: ['mcp:read'],
});

async function decide(userCode, action) {
  const res = await fetch(`${server.url}/_test/device`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_code: userCode, action }),
  });
  assert.equal(res.status, 200, await res.text());
}

async function tokenRequests(grant) {
  const c = await server.counts();
  return grant === undefined ? c.token : (c.token_by_grant[grant] ?? 0);
}

const polled = () => until(async () => (await tokenRequests(DEVICE_GRANT)) >= 1, 'the device code was polled');

test.before(async () => {
  server = await startServer();
});
test.after(async () => {
  for (const m of managers) m.close();
  await server.close();
});
test.beforeEach(async () => {
  await server.reset();
  // Poll every second; codes that expire after 20 s, so that a call left
  // polling fails a test instead of hanging it.
  await server.config({ device_interval_ms: 1000, device_code_lifetime_ms: 20_000 });
});

test('Status.CANCELLED and McpOAuthCancelledError', () => {
  assert.equal(Status.CANCELLED, -20);
  const err = new McpOAuthCancelledError('cancelled', { code: Status.CANCELLED });
  assert.ok(err instanceof McpOAuthError);
  assert.equal(err.codeName, 'CANCELLED');
  assert.equal(err.name, 'McpOAuthCancelledError');
  // The status may be given by number (errno or code) or by name.
  for (const opts of [{ errno: -20 }, { code: -20 }, { code: 'MCP_OAUTH_E_CANCELLED' }]) {
    const e = new McpOAuthCancelledError('cancelled', opts);
    assert.equal(e.code, 'MCP_OAUTH_E_CANCELLED', JSON.stringify(opts));
    assert.equal(e.errno, Status.CANCELLED, JSON.stringify(opts));
  }
});

test('cancel() ends device polling with McpOAuthCancelledError; the authorization stays pending', async () => {
  const m = deviceManager();
  const d = await m.beginDeviceAuthorization();
  const waiting = m.completeDeviceAuthorization();
  await polled();
  const polls = await tokenRequests(DEVICE_GRANT);
  m.cancel();
  await assert.rejects(waiting, (err) => {
    assert.ok(err instanceof McpOAuthCancelledError, String(err));
    assert.equal(err.errno, Status.CANCELLED);
    return true;
  });
  // Ended while waiting for the next poll (1 s away), not after it.
  assert.equal(await tokenRequests(DEVICE_GRANT), polls);
  await decide(d.userCode, 'approve');
  await m.completeDeviceAuthorization({ timeoutSeconds: 30 });
  assert.match(await m.getToken(), /^at_/);
});

test('cancel() ends getToken() waiting on a hanging token request', async () => {
  await server.fail({ count: 1, mode: 'hang' });
  const m = manager({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token_url: server.tokenUrl, http_timeout_seconds: 5 });
  const waiting = m.getToken();
  await until(async () => (await tokenRequests()) >= 1, 'the token request arrived');
  m.cancel();
  await assert.rejects(waiting, McpOAuthCancelledError); // not the TimeoutError of the 5 s timeout
  // The manager stays usable: the hung request times out or is joined, then a token.
  await m.getToken().catch((err) => assert.equal(err.errno, Status.TIMEOUT));
  assert.match(await m.getToken(), /^at_/);
});

test('cancel() with nothing in progress is harmless; after close() it throws', async () => {
  const m = manager({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token_url: server.tokenUrl });
  m.cancel();
  const token = await m.getToken();
  m.cancel();
  assert.equal(await m.getToken(), token);
  m.close();
  assert.throws(() => m.cancel(), BadHandleError);
});

test('an aborted signal ends completeDeviceAuthorization with signal.reason', async () => {
  const m = deviceManager();
  const d = await m.beginDeviceAuthorization();
  const controller = new AbortController();
  const waiting = m.completeDeviceAuthorization({ signal: controller.signal });
  await polled();
  const polls = await tokenRequests(DEVICE_GRANT);
  controller.abort();
  await assert.rejects(waiting, (err) => {
    assert.equal(err, controller.signal.reason);
    assert.ok(err instanceof DOMException);
    assert.equal(err.name, 'AbortError');
    return true;
  });
  assert.equal(await tokenRequests(DEVICE_GRANT), polls, 'ended while waiting for the next poll, not after it');
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'the abort listener was removed');
  await decide(d.userCode, 'approve');
  await m.completeDeviceAuthorization({ timeoutSeconds: 30 }); // still pending
  assert.equal(await tokenRequests(DEVICE_GRANT), polls + 1);
});

test('AbortSignal.timeout() rejects with its TimeoutError and stops the polling', async () => {
  const m = deviceManager();
  const polledBefore = [];
  let userCode;
  await assert.rejects(
    m.authorizeDevice(async (d) => {
      userCode = d.userCode;
      polledBefore.push(await tokenRequests(DEVICE_GRANT));
    }, { signal: AbortSignal.timeout(1500) }),
    (err) => err instanceof DOMException && err.name === 'TimeoutError',
  );
  assert.deepEqual(polledBefore, [0]);
  // No call is left polling: once approved, the authorization is still
  // pending for the next call, whose one poll redeems it (a poller left
  // behind would have redeemed it, or polled once more).
  const polls = await tokenRequests(DEVICE_GRANT);
  await decide(userCode, 'approve');
  await m.completeDeviceAuthorization({ timeoutSeconds: 30 });
  assert.equal(await tokenRequests(DEVICE_GRANT), polls + 1);
});

test('an abort that comes before the call reached the engine still ends it', async () => {
  // koffi runs async calls on libuv's thread pool (4 threads by default):
  // with all of them blocked polling, a fifth call waits in the queue, and
  // an abort then comes before it has started.
  const size = Number(process.env.UV_THREADPOOL_SIZE || 4);
  const others = [];
  for (let i = 0; i < size; i++) {
    others.push(deviceManager());
    await others[i].beginDeviceAuthorization();
  }
  const m = deviceManager();
  await m.beginDeviceAuthorization();
  const busy = others.map((other) => ({ other, polling: other.completeDeviceAuthorization().catch((err) => err) }));
  await until(async () => (await tokenRequests(DEVICE_GRANT)) >= size, 'every pool thread polled');
  const controller = new AbortController();
  const waiting = m.completeDeviceAuthorization({ signal: controller.signal });
  controller.abort(new Error('stop'));
  const polls = await tokenRequests(DEVICE_GRANT);
  for (const { other } of busy) other.cancel(); // frees the pool: the queued call starts now
  for (const { polling } of busy) assert.ok((await polling) instanceof McpOAuthCancelledError);
  await assert.rejects(waiting, /^Error: stop$/);
  assert.equal(await tokenRequests(DEVICE_GRANT), polls, 'the aborted call never polled');
});

test('an already aborted signal starts nothing', async () => {
  const m = deviceManager();
  const reason = new Error('gave up');
  const signal = AbortSignal.abort(reason);
  await assert.rejects(m.authorizeDevice(() => {}, { signal }), (err) => err === reason);
  await assert.rejects(m.completeDeviceAuthorization({ signal }), (err) => err === reason);
  await assert.rejects(m.authorizeInteractively({ openCommand: 'true', signal }), (err) => err === reason);
  assert.equal((await server.counts()).device_authorization, 0);
  await assert.rejects(m.completeDeviceAuthorization({ signal: 'no' }), InvalidArgumentError);
});

test('an abort while the prompt runs ends authorizeDevice before polling', async () => {
  const m = deviceManager();
  const controller = new AbortController();
  await assert.rejects(
    m.authorizeDevice(() => controller.abort(), { signal: controller.signal }),
    (err) => err.name === 'AbortError',
  );
  assert.equal(await tokenRequests(DEVICE_GRANT), 0);
});

test('an aborted signal ends authorizeInteractively', async () => {
  // The "browser" records the URL it was given: the engine is then waiting.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-oauth-cancel-'));
  const opened = path.join(dir, 'opened');
  const browser = path.join(dir, 'browser.sh');
  fs.writeFileSync(browser, `#!/bin/sh\necho "$1" > ${opened}.tmp && mv ${opened}.tmp ${opened}\n`, { mode: 0o755 });
  try {
    const m = manager({
      client_id: PUBLIC_CLIENT_ID, token_url: server.tokenUrl, authorize_url: server.authorizeUrl,
      redirect_uri: 'http://127.0.0.1:0/callback',
    });
    const controller = new AbortController();
    const waiting = m.authorizeInteractively({ openCommand: browser, timeoutSeconds: 60, signal: controller.signal });
    await until(async () => fs.existsSync(opened), 'the browser was opened');
    assert.match(fs.readFileSync(opened, 'utf8'), /\/authorize\?/);
    controller.abort();
    await assert.rejects(waiting, (err) => err.name === 'AbortError');
    assert.equal(await tokenRequests(), 0);
    assert.ok((await m.beginAuthorization()).url.startsWith(server.authorizeUrl), 'the manager stays usable');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an AbortSignal ends getToken waiting for a hanging token request (issue 12 item 9)', async () => {
  await server.fail({ count: 1, mode: 'hang' });
  const m = manager({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token_url: server.tokenUrl, http_timeout_seconds: 600 });
  const controller = new AbortController();
  const waiting = m.getToken({ signal: controller.signal });
  await until(async () => (await tokenRequests()) >= 1, 'the token request reached the server');
  controller.abort();
  await assert.rejects(waiting, (err) => err.name === 'AbortError');
  await assert.rejects(m.token({ signal: AbortSignal.abort() }), (err) => err.name === 'AbortError');
});

test('an AbortSignal ends McpClient.callTool blocked on the server (issue 12 item 9)', async () => {
  const { startMcpServer } = require('./helpers.js');
  const { McpClient } = require('..');
  const srv = await startMcpServer();
  const m = manager({ server_url: srv.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: srv.as });
  const client = await McpClient.connect(m, srv.mcp, { timeoutSeconds: 3600 });
  try {
    const controller = new AbortController();
    const waiting = client.callTool('wait', {}, { signal: controller.signal });
    await until(async () => ((await srv.mcpCounts()).tool_calls?.wait ?? 0) >= 1, 'the call reached the server');
    controller.abort();
    await assert.rejects(waiting, (err) => err.name === 'AbortError');
    const res = await client.callTool('echo', { text: 'still here' });
    assert.match(JSON.stringify(res), /still here/, 'the session stays usable');
    await assert.rejects(client.listTools({ signal: AbortSignal.abort() }), (err) => err.name === 'AbortError');
  } finally {
    await client.close();
    await srv.close();
  }
});

test('an AbortSignal ends MultiServerMcpClient.callTool blocked on the server (mcp_client_multi_cancel)', async () => {
  const { startMcpServer } = require('./helpers.js');
  const { MultiServerMcpClient } = require('..');
  const srv = await startMcpServer();
  const multi = new MultiServerMcpClient({
    notes: { url: srv.mcp, timeoutSeconds: 3600, auth: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: srv.as } },
  });
  try {
    const controller = new AbortController();
    const waiting = multi.callTool('notes', 'wait', {}, { signal: controller.signal });
    await until(async () => ((await srv.mcpCounts()).tool_calls?.wait ?? 0) >= 1, 'the call reached the server');
    controller.abort();
    await assert.rejects(waiting, (err) => err.name === 'AbortError');
    const res = await multi.callTool('notes', 'echo', { text: 'still here' });
    assert.match(JSON.stringify(res), /still here/, 'the client stays usable');
    await assert.rejects(multi.getTools(null, { signal: AbortSignal.abort() }), (err) => err.name === 'AbortError');
  } finally {
    await multi.close();
    await srv.close();
  }
});
