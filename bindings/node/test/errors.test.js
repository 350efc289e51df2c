'use strict';
// Every error class that can be triggered, lifetimes (close / double close /
// use after close), and that errors never kill the process nor leak secrets.

const test = require('node:test');
const assert = require('node:assert/strict');
const mcp = require('..');
const { startServer, clientConfig, closedPort, CLIENT_SECRET, PUBLIC_CLIENT_ID } = require('./helpers.js');

const {
  OAuthTokenManager, McpOAuthError, ConfigError, OAuthError, NetworkError, McpOAuthTimeoutError,
  ProtocolError, BadHandleError, InvalidArgumentError, UnsupportedError,
  AuthorizationRequiredError, ServerError, Status,
} = mcp;

let server;
const managers = [];
function manager(config) {
  const m = new OAuthTokenManager(config);
  managers.push(m);
  return m;
}

// Any unhandled rejection or uncaught exception fails the file.
const stray = [];
process.on('unhandledRejection', (err) => stray.push(err));
process.on('uncaughtException', (err) => stray.push(err));

test.before(async () => {
  server = await startServer();
});
test.after(async () => {
  for (const m of managers) m.close();
  await server.close();
  assert.deepEqual(stray, []);
});
test.beforeEach(async () => {
  await server.reset();
  await server.config({ token_lifetime_ms: 3_600_000, latency_ms: 0 });
});

/** assertRejects checks the class, the code, and that no secret leaked. */
async function rejectsWith(promise, Cls, code) {
  const err = await promise.then(
    () => assert.fail(`expected ${Cls.name}`),
    (e) => e,
  );
  assert.ok(err instanceof Cls, `got ${err?.name}: ${err?.message}`);
  assert.ok(err instanceof McpOAuthError);
  assert.ok(err instanceof Error);
  assert.equal(err.errno, code);
  assert.equal(err.code, `MCP_OAUTH_E_${err.codeName}`);
  assert.equal(err.name, Cls.name);
  assert.equal(err.details.code, code);
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0);
  assert.ok(!err.message.includes(CLIENT_SECRET), 'the message leaks the client secret');
  assert.ok(!JSON.stringify(err.details).includes(CLIENT_SECRET), 'the details leak the client secret');
  return err;
}

test('config errors name the field', () => {
  const cases = [
    [{ client_secret: 'x', token_url: 'https://as.example/token' }, 'client_id'],
    [{ client_id: 'a' }, 'token_url'],
    [{ client_id: 'a', token_url: 'http://as.example/token' }, 'token_url'], // non-loopback http
    [{ client_id: 'a', client_secret: 's', token_url: 'https://as.example/token', bogus: 1 }, 'bogus'],
    [{ client_id: 'a', client_secret: 's', token_url: 'https://as.example/token', scopes: 'mcp:read' }, 'scopes'],
    [{ client_id: 'a', client_secret: 's', token_url: 'https://as.example/token', http_timeout_seconds: -1 }, 'http_timeout_seconds'],
    [{ client_id: 'a', client_secret: 's', token_url: 'https://as.example/token', grant_type: 'password' }, 'grant_type'],
    [{ client_id: 'a', token_url: 'https://as.example/token' }, 'client_secret'], // client_credentials needs one
  ];
  for (const [config, field] of cases) {
    assert.throws(() => new OAuthTokenManager(config), (err) => {
      assert.ok(err instanceof ConfigError, `${JSON.stringify(config)}: got ${err}`);
      assert.equal(err.errno, Status.CONFIG);
      assert.equal(err.field, field, `${JSON.stringify(config)}: ${err.message}`);
      return true;
    });
  }
  for (const notAnObject of [null, undefined, 'client_id=a', [], 42]) {
    assert.throws(() => new OAuthTokenManager(notAnObject), ConfigError);
  }
});

test('a config error never echoes the secret', () => {
  const secret = 'super-secret-value-1234';
  assert.throws(
    () => new OAuthTokenManager({ client_id: 'a', client_secret: secret, token_url: 'ftp://x/token' }),
    (err) => err instanceof ConfigError && !err.message.includes(secret) && !JSON.stringify(err.details).includes(secret),
  );
});

test('undefined and null config members mean "not set"', async () => {
  const m = manager(clientConfig(server, { authorize_url: undefined, scopes: null, resource: undefined }));
  assert.equal(typeof await m.getToken(), 'string');
});

test('OAuthError: invalid_client with status 401 from a wrong secret', async () => {
  const m = manager(clientConfig(server, { client_secret: 'wrong-secret' }));
  const err = await rejectsWith(m.getToken(), OAuthError, Status.OAUTH);
  assert.equal(err.error, 'invalid_client');
  assert.equal(err.status, 401);
  assert.equal(typeof err.errorDescription, 'string');
  assert.equal(typeof err.errorUri, 'string');
  assert.ok(!err.message.includes('wrong-secret'));
});

test('NetworkError on a closed port', async () => {
  const port = await closedPort();
  const m = manager({ client_id: 'a', client_secret: 'b', token_url: `http://127.0.0.1:${port}/token` });
  await rejectsWith(m.getToken(), NetworkError, Status.NETWORK);
});

test('McpOAuthTimeoutError when the server hangs', async () => {
  const before = (await server.counts()).token;
  await server.fail({ count: 1, mode: 'hang' });
  const m = manager(clientConfig(server, { http_timeout_seconds: 1 }));
  // The hanging request reached the server and the configured timeout ended
  // it (a lost timeout would hang until the runner's own).
  await rejectsWith(m.getToken(), McpOAuthTimeoutError, Status.TIMEOUT);
  assert.ok((await server.counts()).token > before, 'the request reached the server');
});

test('ProtocolError on a malformed body', async () => {
  await server.fail({ count: 1, status: 200, body: 'this is not json', content_type: 'application/json' });
  const m = manager(clientConfig(server));
  await rejectsWith(m.getToken(), ProtocolError, Status.PROTOCOL);
  // The failure was one-shot: the next call succeeds.
  assert.equal(typeof await m.getToken(), 'string');
});

test('ServerError: an HTTP error status without an OAuth body', async () => {
  await server.fail({ count: 3, status: 503, body: 'maintenance', content_type: 'text/plain' });
  const m = manager(clientConfig(server));
  const err = await rejectsWith(m.getToken(), ServerError, Status.SERVER);
  assert.equal(err.status, 503);
  assert.equal((await server.counts()).token, 3, 'a transient failure is tried 3 times');
});

test('a transient failure is retried for a caller without a token', async () => {
  await server.fail({ count: 2, status: 502, body: 'bad gateway', content_type: 'text/plain' });
  const m = manager(clientConfig(server));
  assert.equal(typeof await m.getToken(), 'string');
  assert.equal((await server.counts()).token, 3);
});

test('a failed cold fetch is shared by every waiter, and rejected for each', async () => {
  await server.fail({ count: 1, status: 500, body: '{"error":"server_error"}', content_type: 'application/json' });
  const m = manager(clientConfig(server));
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => m.getToken()));
  assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof McpOAuthError));
  assert.equal((await server.counts()).token, 1);
});

test('a failing background refresh never escapes as an uncaught error', async () => {
  // Lifetime 4 s, margin 2 s: from ~2 s on, getToken() nudges the engine in
  // the background; the server now fails every token request.
  await server.config({ token_lifetime_ms: 4000 });
  const m = manager(clientConfig(server, { refresh_margin_seconds: 2 }));
  const { accessToken: t1, expiresAt } = await m.token();
  await server.fail({ count: 1000, status: 503, body: 'down', content_type: 'text/plain' });
  // In the refresh window each call nudges a refresh, which fails: the
  // callers keep the still-valid token until a failed refresh was seen.
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  while ((await server.counts()).token < 2) {
    assert.equal(await m.getToken(), t1); // still valid: served at once
    await pause();
  }
  assert.equal(await m.getToken(), t1);
  // Past its expiry (as the library reported it) the failure reaches the
  // caller as a rejection.
  while (Date.now() <= expiresAt.getTime()) await pause();
  await rejectsWith(m.getToken(), ServerError, Status.SERVER);
  await server.reset();
  assert.notEqual(await m.getToken(), t1);
  assert.deepEqual(stray, []);
});

test('AuthorizationRequiredError: authorization_code grant without a token', async () => {
  const m = manager({ client_id: PUBLIC_CLIENT_ID, token_url: server.tokenUrl, authorize_url: server.authorizeUrl });
  await rejectsWith(m.getToken(), AuthorizationRequiredError, Status.AUTHORIZATION_REQUIRED);
});

test('UnsupportedError: authorization without authorize_url', async () => {
  const m = manager(clientConfig(server));
  await assert.rejects(m.beginAuthorization('http://127.0.0.1/cb'), UnsupportedError);
});

test('InvalidArgumentError for wrong argument types', async () => {
  const m = manager(clientConfig(server));
  assert.throws(() => m.invalidate(42), InvalidArgumentError);
  await assert.rejects(m.beginAuthorization(42), InvalidArgumentError);
  await assert.rejects(m.completeAuthorization(undefined), InvalidArgumentError);
  assert.throws(() => mcp.generateCodeChallenge('too-short'), InvalidArgumentError);
  assert.throws(() => mcp.generateCodeChallenge(undefined), InvalidArgumentError);
});

test('strings C cannot carry unchanged are refused, not altered (regression)', async () => {
  // A NUL used to cut the string short in the engine, a lone surrogate to
  // reach it as U+FFFD, and NaN in the configuration to mean "not set".
  const m = manager({ client_id: PUBLIC_CLIENT_ID, token_url: server.tokenUrl, authorize_url: `${server.url}/authorize` });
  await assert.rejects(m.beginAuthorization('http://127.0.0.1:9/cb\0evil'), InvalidArgumentError);
  assert.throws(() => m.invalidate('tok\ud800'), InvalidArgumentError);
  await rejectsWith(m.completeAuthorization('http://127.0.0.1:9/cb?state=a\0b'), InvalidArgumentError, Status.INVALID_ARGUMENT);
  await rejectsWith(m.authorizeInteractively({ openCommand: 42 }), InvalidArgumentError, Status.INVALID_ARGUMENT);
  assert.throws(() => new OAuthTokenManager(clientConfig(server, { client_id: 'a\udc00' })), InvalidArgumentError);
  assert.throws(() => new OAuthTokenManager(clientConfig(server, { http_timeout_seconds: NaN })), ConfigError);
});

test('close, double close, use after close', async () => {
  const m = new OAuthTokenManager(clientConfig(server));
  const token = await m.getToken();
  assert.equal(m.closed, false);
  m.close();
  assert.equal(m.closed, true);
  m.close(); // idempotent
  await rejectsWith(m.getToken(), BadHandleError, Status.BAD_HANDLE);
  await rejectsWith(m.token(), BadHandleError, Status.BAD_HANDLE);
  await rejectsWith(m.completeAuthorization('http://127.0.0.1/cb?code=x&state=y'), BadHandleError, Status.BAD_HANDLE);
  assert.throws(() => m.invalidate(token), BadHandleError);
  await assert.rejects(m.beginAuthorization('http://127.0.0.1/cb'), BadHandleError);
});

test('close while a fetch is in flight settles the caller', async () => {
  await server.config({ latency_ms: 300 });
  const m = new OAuthTokenManager(clientConfig(server));
  const pending = m.getToken();
  m.close();
  const outcome = await pending.then((t) => typeof t, (e) => e);
  // The engine completes the call normally or answers "bad handle".
  assert.ok(outcome === 'string' || outcome instanceof BadHandleError, String(outcome));
  await assert.rejects(m.getToken(), BadHandleError);
});

test('the engine reports a freed handle as bad handle, never a crash', () => {
  const { native, take } = require('../lib/native.js');
  const { fn } = native();
  const out = [null];
  assert.equal(fn.new(JSON.stringify(clientConfig(server)), out, [null]), Status.OK);
  assert.equal(fn.free(out[0]), Status.OK);
  assert.equal(fn.free(out[0]), Status.BAD_HANDLE);
  const err = [null];
  assert.equal(fn.get_token_json(out[0], [null], err), Status.BAD_HANDLE);
  const details = JSON.parse(take(err));
  assert.equal(details.code, Status.BAD_HANDLE);
  assert.equal(err[0], null);
});

test('a manager dropped without close() is collected and released by the finalizer', async () => {
  require('node:v8').setFlagsFromString('--expose-gc');
  const gc = require('node:vm').runInNewContext('gc');
  // The package's registry holds the raw handle, not the manager, so the
  // manager can be collected; ours observes that it was.
  let collected = false;
  const observer = new FinalizationRegistry(() => {
    collected = true;
  });
  (() => observer.register(new OAuthTokenManager(clientConfig(server)), 0))();
  for (let i = 0; i < 50 && !collected; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.ok(collected, 'the manager was never collected');
  gc();
  await new Promise((resolve) => setTimeout(resolve, 5)); // the package's finalizer ran mcp_oauth_free
});

test('errors carry no control characters from a server (issue 12 item 5)', async () => {
  const attack = '\x1b]0;pwned\x07\x1b[2J\x1b]52;c;eA==\x07\x9b2J\u202eevil';
  await server.fail({ count: 1, status: 400, body: JSON.stringify({ error: 'invalid_client', error_description: attack }) });
  const m = manager(clientConfig(server));
  const err = await rejectsWith(m.getToken(), OAuthError, Status.OAUTH);
  // eslint-disable-next-line no-control-regex
  const raw = /[\x00-\x1f\x7f-\x9f\u202e]/;
  for (const text of [err.message, err.errorDescription, JSON.stringify(err.details)]) {
    assert.ok(!raw.test(text), `raw control characters in ${JSON.stringify(text)}`);
  }
  assert.ok(err.errorDescription.includes('\\x1b]0;pwned'));
});
