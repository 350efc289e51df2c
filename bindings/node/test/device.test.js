'use strict';
// The device authorization grant (RFC 8628) against the real test
// authorization server, the user's decision made through its control API.

const test = require('node:test');
const assert = require('node:assert/strict');
const {
  OAuthTokenManager, AuthorizationDeniedError, McpOAuthTimeoutError, UnsupportedError, InvalidArgumentError,
  BadHandleError, Status,
} = require('..');
const { startServer, PUBLIC_CLIENT_ID, CLIENT_ID, CLIENT_SECRET } = require('./helpers.js');

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let server;
const managers = [];
function manager(extra = {}) {
  const m = new OAuthTokenManager({
    client_id: PUBLIC_CLIENT_ID,
    token_url: server.tokenUrl,
    device_authorization_url: `${server.url}/device_authorization`,
    scopes: ['mcp:read'],
    ...extra,
  });
  managers.push(m);
  return m;
}

/** decide approves or denies as the user would on the verification page. */
async function decide(userCode, action) {
  const res = await fetch(`${server.url}/_test/device`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_code: userCode, action }),
  });
  assert.equal(res.status, 200, await res.text());
}

async function devicePolls() {
  return (await server.counts()).token_by_grant[DEVICE_GRANT] ?? 0;
}

test.before(async () => {
  server = await startServer();
});
test.after(async () => {
  for (const m of managers) m.close();
  await server.close();
});
test.beforeEach(async () => {
  await server.reset();
  await server.config({ device_interval_ms: 1000 }); // poll every second, not five
});

test('beginDeviceAuthorization returns what to show the user', async () => {
  await server.config({ device_code_lifetime_ms: 120_000 });
  const d = await manager().beginDeviceAuthorization();
  assert.match(d.userCode, /^[A-Z]{4}-[A-Z]{4}$/);
  assert.equal(d.verificationUri, `${server.url}/device`);
  assert.equal(d.verificationUriComplete, `${server.url}/device?user_code=${d.userCode}`);
  assert.ok(d.expiresIn >= 119 && d.expiresIn <= 120, String(d.expiresIn));
  assert.equal(d.interval, 1);
  assert.deepEqual(Object.keys(d), ['userCode', 'verificationUri', 'verificationUriComplete', 'expiresIn', 'interval']);
  assert.equal((await server.counts()).device_authorization, 1);
});

test('approved: the manager then holds the tokens', async () => {
  const m = manager();
  const d = await m.beginDeviceAuthorization();
  await decide(d.userCode, 'approve');
  await m.completeDeviceAuthorization({ timeoutSeconds: 30 });
  const token = await m.token();
  assert.match(token.accessToken, /^at_/);
  assert.equal(token.scope, 'mcp:read');
  assert.equal(await devicePolls(), 1);
});

test('a timeout keeps the authorization pending', async () => {
  const m = manager();
  const d = await m.beginDeviceAuthorization();
  await assert.rejects(m.completeDeviceAuthorization({ timeoutSeconds: 1 }), (err) => {
    assert.ok(err instanceof McpOAuthTimeoutError);
    assert.equal(err.errno, Status.TIMEOUT);
    assert.notEqual(err.details.error, 'expired_token');
    return true;
  });
  await decide(d.userCode, 'approve');
  await m.completeDeviceAuthorization({ timeoutSeconds: 30 });
  assert.ok(await m.getToken());
});

test('denied', async () => {
  const m = manager();
  const d = await m.beginDeviceAuthorization();
  await decide(d.userCode, 'deny');
  await assert.rejects(m.completeDeviceAuthorization({ timeoutSeconds: 30 }), (err) => {
    assert.ok(err instanceof AuthorizationDeniedError);
    assert.equal(err.details.error, 'access_denied');
    return true;
  });
  await assert.rejects(m.completeDeviceAuthorization({ timeoutSeconds: 1 }), InvalidArgumentError, 'nothing pending any more');
});

test('expired codes', async () => {
  await server.config({ device_code_lifetime_ms: 1500 });
  const m = manager();
  await m.beginDeviceAuthorization();
  await assert.rejects(m.completeDeviceAuthorization({ timeoutSeconds: 30 }), (err) => {
    assert.ok(err instanceof McpOAuthTimeoutError);
    assert.equal(err.details.error, 'expired_token');
    return true;
  });
});

test('authorizeDevice hands the codes to an async prompt, and the event loop keeps running', async () => {
  await server.config({ device_auto_approve_polls: 2 });
  const m = manager();
  const shown = [];
  let ticks = 0;
  const ticker = setInterval(() => { ticks++; }, 50);
  try {
    await m.authorizeDevice(async (d) => { shown.push(d); }, { timeoutSeconds: 30 });
  } finally {
    clearInterval(ticker);
  }
  assert.equal(shown.length, 1);
  assert.ok(ticks > 5, `the event loop ticked ${ticks} times while polling`);
  assert.equal(await devicePolls(), 2);
  assert.ok(await m.getToken());
});

test('a failing prompt ends the flow before any poll', async () => {
  const m = manager();
  await assert.rejects(m.authorizeDevice(async () => { throw new Error('no terminal'); }), /no terminal/);
  assert.equal(await devicePolls(), 0);
  await assert.rejects(m.authorizeDevice('not a function'), InvalidArgumentError);
});

test('unsupported configurations and misuse', async () => {
  const cc = manager({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, device_authorization_url: null });
  await assert.rejects(cc.beginDeviceAuthorization(), UnsupportedError);
  await assert.rejects(cc.completeDeviceAuthorization(), InvalidArgumentError);
  await assert.rejects(cc.completeDeviceAuthorization({ timeoutSeconds: -1 }), InvalidArgumentError);

  const m = manager();
  m.close();
  await assert.rejects(m.beginDeviceAuthorization(), BadHandleError);
  await assert.rejects(m.completeDeviceAuthorization(), BadHandleError);
});
