'use strict';
// API misuse from Node, the counterpart of tests/c/test_misuse.c: calls after
// close, double close, configurations that are not JSON objects or not
// representable as JSON, strings C cannot carry (a NUL, a lone surrogate),
// 8 MiB strings, undefined and other wrong types where a string is expected,
// closing while async calls are pending, invalidate() with garbage, tool
// arguments that are not JSON, and McpClient use after close. Each must throw
// or reject with the documented McpOAuthError subclass, never crash the
// process or hang; every manager and client made here is closed at the end,
// and no error may escape unhandled. Against the real test server processes.

const test = require('node:test');
const assert = require('node:assert/strict');
const mcp = require('..');
const { startServer, startMcpServer, clientConfig, CLIENT_ID, CLIENT_SECRET, PUBLIC_CLIENT_ID } = require('./helpers.js');

const {
  OAuthTokenManager, McpClient, McpOAuthError, ConfigError, BadHandleError, InvalidArgumentError,
  StateMismatchError, Status,
} = mcp;

const HUGE = 8 << 20; // 8 MiB
const MAX_MESSAGE = 4096; // no error message may echo a huge argument back

let server;
let mcpServer;
const made = []; // every manager and client of this file
function track(x) {
  made.push(x);
  return x;
}
const manager = (config) => track(new OAuthTokenManager(config));
const codeConfig = () => ({
  client_id: PUBLIC_CLIENT_ID, token_url: server.tokenUrl, authorize_url: server.authorizeUrl, issuer: server.url,
});
const mcpAuth = () => ({ server_url: mcpServer.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: mcpServer.as });

const stray = [];
process.on('unhandledRejection', (err) => stray.push(err));
process.on('uncaughtException', (err) => stray.push(err));

test.before(async () => {
  server = await startServer();
  mcpServer = await startMcpServer();
});
test.after(async () => {
  // Clients before the managers they use; then nothing may be left open.
  for (const x of made.filter((y) => y instanceof McpClient)) await x.close();
  for (const x of made) if (!x.closed) x.close();
  assert.deepEqual(made.filter((x) => !x.closed), []);
  await server.close();
  await mcpServer.close();
  assert.deepEqual(stray, []);
});
test.beforeEach(async () => {
  await server.reset();
});

/** outcome settles f() (sync or async) to its value or its error. */
async function outcome(f) {
  try {
    return { value: await f() };
  } catch (err) {
    return { err };
  }
}

/** expectError checks that f() throws or rejects with Cls and a short message. */
async function expectError(f, Cls) {
  const { value, err } = await outcome(f);
  assert.ok(err, `expected ${Cls.name}, got the value ${String(value).slice(0, 80)}`);
  assert.ok(err instanceof Cls, `expected ${Cls.name}, got ${err.name}: ${String(err.message).slice(0, 200)}`);
  assert.ok(err instanceof McpOAuthError);
  assert.ok(err.message.length < MAX_MESSAGE, `a ${err.message.length}-character message`);
  assert.ok(JSON.stringify(err.details).length < MAX_MESSAGE);
  return err;
}

// --- calls after close, double close ---------------------------------------------

const afterClose = {
  getToken: (m) => m.getToken(),
  token: (m) => m.token(),
  invalidate: (m) => m.invalidate('anything'),
  beginAuthorization: (m) => m.beginAuthorization('http://127.0.0.1:9/cb'),
  beginAuthorizationAsync: (m) => m.beginAuthorizationAsync('http://127.0.0.1:9/cb'),
  completeAuthorization: (m) => m.completeAuthorization('http://127.0.0.1:9/cb?code=c&state=s'),
  authorizeInteractively: (m) => m.authorizeInteractively({ openCommand: 'true', timeoutSeconds: 0.1 }),
};
for (const [name, call] of Object.entries(afterClose)) {
  test(`manager after close: ${name} → BadHandleError`, async () => {
    const m = manager(codeConfig());
    m.close();
    const err = await expectError(() => call(m), BadHandleError);
    assert.equal(err.errno, Status.BAD_HANDLE);
  });
}

test('double close, and dispose after close', () => {
  const m = manager(clientConfig(server));
  m.close();
  m.close();
  m[Symbol.dispose]?.();
  assert.equal(m.closed, true);
});

// --- configurations ------------------------------------------------------------

const notAnObject = {
  'JSON text': '{"client_id":"a"}',
  'invalid JSON text': '{not json',
  undefined,
  null: null,
  array: [['client_id', 'a']],
  number: 42,
  'a Buffer': Buffer.from('{"client_id":"a"}'),
};
for (const [name, config] of Object.entries(notAnObject)) {
  test(`config not an object: ${name} → ConfigError`, async () => {
    await expectError(() => manager(config), ConfigError);
  });
}

const circular = { client_id: 'a' };
circular.scopes = [circular];
const notJSON = {
  NaN: [{ http_timeout_seconds: NaN }, ConfigError],
  Infinity: [{ refresh_margin_seconds: Infinity }, ConfigError],
  BigInt: [{ http_timeout_seconds: 10n }, ConfigError],
  circular: [circular, ConfigError],
  'lone surrogate value': [{ client_id: 'cli\ud800ent' }, InvalidArgumentError],
  'lone surrogate in a scope': [{ scopes: ['mcp:\udc80read'] }, InvalidArgumentError],
  'lone surrogate member name': [{ '\ud83d': 1 }, InvalidArgumentError],
  'wrong JSON type': [{ client_id: 5 }, ConfigError],
};
for (const [name, [extra, Cls]] of Object.entries(notJSON)) {
  test(`config not representable: ${name} → ${Cls.name}`, async () => {
    await expectError(() => manager({ ...clientConfig(server), ...extra }), Cls);
  });
}

test('config with a NUL (sent as \\u0000) in a URL → ConfigError naming it', async () => {
  const err = await expectError(() => manager(clientConfig(server, { token_url: `${server.tokenUrl}\0` })), ConfigError);
  assert.equal(err.field, 'token_url');
});

test('an 8 MiB valid configuration works; its refused request is reported briefly', async () => {
  const m = manager(clientConfig(server, { scopes: ['s'.repeat(HUGE)] }));
  await expectError(() => m.getToken(), McpOAuthError);
  m.close();
});

test('an 8 MiB invalid configuration → ConfigError without echoing it', async () => {
  const err = await expectError(() => manager(clientConfig(server, { token_url: `http://as.example/${'t'.repeat(HUGE)}` })), ConfigError);
  assert.equal(err.field, 'token_url');
});

// --- string arguments: wrong types, NUL, lone surrogates, huge ------------------

const badArguments = {
  'invalidate(undefined)': (m) => m.invalidate(),
  'invalidate(null)': (m) => m.invalidate(null),
  'invalidate(42)': (m) => m.invalidate(42),
  'invalidate(Buffer)': (m) => m.invalidate(Buffer.from('token')),
  'beginAuthorization(42)': (m) => m.beginAuthorization(42),
  'beginAuthorizationAsync({})': (m) => m.beginAuthorizationAsync({}),
  'completeAuthorization(undefined)': (m) => m.completeAuthorization(),
  'completeAuthorization(URL object)': (m) => m.completeAuthorization(new URL('http://127.0.0.1:9/cb')),
  'authorizeInteractively openCommand 1': (m) => m.authorizeInteractively({ openCommand: 1, timeoutSeconds: 0.1 }),
  'authorizeInteractively timeoutSeconds "10"': (m) => m.authorizeInteractively({ timeoutSeconds: '10' }),
  'generateCodeChallenge(null)': () => mcp.generateCodeChallenge(null),
  'invalidate lone surrogate': (m) => m.invalidate('tok\udc80en'),
  'beginAuthorization lone surrogate': (m) => m.beginAuthorization('http://127.0.0.1:9/\ud800'),
  'completeAuthorization lone surrogate': (m) => m.completeAuthorization('http://127.0.0.1:9/cb?state=\udfff'),
  'authorizeInteractively lone surrogate': (m) => m.authorizeInteractively({ openCommand: 'xdg-open\ud800' }),
  'generateCodeChallenge lone surrogate': () => mcp.generateCodeChallenge(`${'v'.repeat(42)}\ud800`),
  'invalidate NUL': (m) => m.invalidate('tok\0en'),
  'beginAuthorization NUL': (m) => m.beginAuthorization('http://127.0.0.1:9/cb\0.evil'),
  'completeAuthorization NUL': (m) => m.completeAuthorization('http://127.0.0.1:9/cb?state=a\0b'),
  'authorizeInteractively NUL': (m) => m.authorizeInteractively({ openCommand: 'true\0' }),
  'generateCodeChallenge NUL': () => mcp.generateCodeChallenge(`${'v'.repeat(42)}\0`),
  'generateCodeChallenge 8 MiB': () => mcp.generateCodeChallenge('v'.repeat(HUGE)),
};
for (const [name, call] of Object.entries(badArguments)) {
  test(`${name} → InvalidArgumentError`, async () => {
    const m = manager(codeConfig());
    const err = await expectError(() => call(m), InvalidArgumentError);
    assert.equal(err.errno, Status.INVALID_ARGUMENT);
  });
}

test('8 MiB string arguments: refused or used, never echoed', async () => {
  const m = manager(codeConfig());
  await expectError(() => m.completeAuthorization(`http://127.0.0.1:9/cb?code=c&state=${'s'.repeat(HUGE)}`), StateMismatchError);
  m.invalidate('t'.repeat(HUGE)); // not the cached token: nothing happens
  const begin = await outcome(() => m.beginAuthorization(`http://127.0.0.1:9/${'p'.repeat(HUGE)}`));
  if (begin.err) await expectError(() => Promise.reject(begin.err), McpOAuthError);
  else assert.ok(begin.value.url.length > HUGE);
});

// --- invalidate with garbage ----------------------------------------------------

test('invalidate with garbage keeps the cached token', async () => {
  const m = manager(clientConfig(server));
  const token = await m.getToken();
  for (const junk of ['', ' ', 'Bearer x', '\x01\x02\x7f', 'é'.repeat(100), '😀', 'a'.repeat(10000)]) m.invalidate(junk);
  assert.equal(await m.getToken(), token);
  const other = manager(clientConfig(server));
  m.invalidate(await other.getToken());
  assert.equal(await m.getToken(), token);
  assert.equal((await server.counts()).token, 2);
});

// --- closing while async calls are pending ----------------------------------------

/** untilTokenRequest resolves once the server has received a token request. */
async function untilTokenRequest() {
  while ((await server.counts()).token === 0) await new Promise((resolve) => setImmediate(resolve));
}

test('close while 16 getToken calls wait on a slow token endpoint', async () => {
  await server.config({ latency_ms: 2000 });
  const m = manager(clientConfig(server, { http_timeout_seconds: 10 }));
  const pending = Array.from({ length: 16 }, () => outcome(() => m.getToken()));
  await untilTokenRequest(); // the engine call is in flight
  m.close();
  const results = await Promise.all(pending);
  for (const { value, err } of results) {
    assert.equal(value, undefined, 'a token was served after close() (latency 2 s)');
    assert.ok(err instanceof BadHandleError, `${err?.name}: ${err?.message}`);
  }
});

test('close while calls of every kind are pending', async () => {
  await server.config({ latency_ms: 500 });
  const m = manager(codeConfig());
  const begun = await m.beginAuthorization('http://127.0.0.1:9/cb');
  const location = await fetch(begun.url, { redirect: 'manual' }).then((r) => r.headers.get('location'));
  const pending = [
    outcome(() => m.completeAuthorization(location)), // the code exchange, slowed down
    outcome(() => m.getToken()),
    outcome(() => m.token()),
    outcome(() => m.beginAuthorizationAsync('http://127.0.0.1:9/cb')),
    outcome(() => m.invalidate('x')),
  ];
  await untilTokenRequest();
  m.close();
  for (const { err } of await Promise.all(pending)) {
    if (err) assert.ok(err instanceof McpOAuthError, `${err.name}: ${err.message}`);
  }
  await expectError(() => m.getToken(), BadHandleError);
});

// --- McpClient ------------------------------------------------------------------

const clientAfterClose = {
  listTools: (c) => c.listTools(),
  callTool: (c) => c.callTool('echo', { text: 'x' }),
  request: (c) => c.request('ping'),
};
for (const [name, call] of Object.entries(clientAfterClose)) {
  test(`McpClient after close: ${name} → BadHandleError`, async () => {
    const m = manager(mcpAuth());
    const client = track(await McpClient.connect(m, mcpServer.mcp));
    const closing = client.close();
    assert.equal(client.close(), closing, 'close is idempotent');
    await closing;
    await expectError(() => call(client), BadHandleError);
  });
}

const circularArgs = { text: 'x' };
circularArgs.self = circularArgs;
const badToolCalls = {
  'arguments as JSON text': ['echo', '{"text":"x"}'],
  'arguments as invalid JSON text': ['echo', '{not json'],
  'arguments as an array': ['echo', ['x']],
  'arguments with a BigInt': ['echo', { n: 1n }],
  'circular arguments': ['echo', circularArgs],
  'arguments with NaN': ['echo', { n: NaN }],
  'arguments with a lone surrogate': ['echo', { text: '\ud800' }],
  'name undefined': [undefined, {}],
  'name with a NUL': ['echo\0', {}],
  'name with a lone surrogate': ['ec\ud800ho', {}],
};
test('callTool with bad names or arguments → InvalidArgumentError', async (t) => {
  const client = track(await McpClient.connect(manager(mcpAuth()), mcpServer.mcp));
  for (const [name, [tool, args]] of Object.entries(badToolCalls)) {
    await t.test(name, async () => {
      await expectError(() => client.callTool(tool, args), InvalidArgumentError);
    });
  }
  await t.test('request with params as text, a method undefined or with a NUL', async () => {
    await expectError(() => client.request('ping', '{}'), InvalidArgumentError);
    await expectError(() => client.request(undefined), InvalidArgumentError);
    await expectError(() => client.request('ping\0'), InvalidArgumentError);
  });
  const echoed = await client.callTool('echo', { text: 'still fine' });
  assert.equal(echoed.content[0].text, 'still fine');
  await client.close();
});

test('McpClient.connect with bad arguments', async () => {
  const m = manager(mcpAuth());
  await expectError(() => McpClient.connect(m, undefined), InvalidArgumentError);
  await expectError(() => McpClient.connect(m, `${mcpServer.mcp}\0`), InvalidArgumentError);
  await expectError(() => McpClient.connect(m, `${mcpServer.mcp}\ud800`), InvalidArgumentError);
  await expectError(() => McpClient.connect(m, mcpServer.mcp, { clientName: 'n\udc00' }), InvalidArgumentError);
  await expectError(() => McpClient.connect('not a manager', mcpServer.mcp), InvalidArgumentError);
  m.close();
  await expectError(() => McpClient.connect(m, mcpServer.mcp), BadHandleError);
});

test('McpClient closed while 8 tool calls are pending: each completes or is BadHandleError', async () => {
  const client = track(await McpClient.connect(manager(mcpAuth()), mcpServer.mcp));
  const pending = Array.from({ length: 8 }, (_, i) => outcome(() => client.callTool('echo', { text: `x${i}` })));
  await client.close();
  for (const [i, { value, err }] of (await Promise.all(pending)).entries()) {
    if (err) assert.ok(err instanceof BadHandleError, `${err.name}: ${err.message}`);
    else assert.equal(value.content[0].text, `x${i}`);
  }
});
