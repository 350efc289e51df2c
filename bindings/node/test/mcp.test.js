'use strict';
// MCP connections against the real build/mcp-test-server process: a
// bearer-protected MCP server (official go-sdk; Streamable HTTP at /mcp,
// HTTP+SSE at /sse) with its own authorization server (dynamic client
// registration; /authorize auto-approves with a 302 carrying code/state/iss).

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const mcp = require('..');
const { startMcpServer, authorizeRedirect, until, CLIENT_ID, CLIENT_SECRET, PACKAGE_ROOT } = require('./helpers.js');

const {
  OAuthTokenManager, McpClient, MultiServerMcpClient, McpOAuthError, McpError, BadHandleError,
  AuthorizationRequiredError, ResourceMismatchError, RegistrationError, ConfigError, TokenRejectedError,
  InvalidArgumentError, Status,
} = mcp;

let server;
const cleanup = [];
function track(x) {
  cleanup.push(x);
  return x;
}

// Any unhandled rejection or uncaught exception fails the file.
const stray = [];
process.on('unhandledRejection', (err) => stray.push(err));
process.on('uncaughtException', (err) => stray.push(err));

test.before(async () => {
  server = await startMcpServer();
});
test.after(async () => {
  for (const x of cleanup.reverse()) await x.close();
  await server.close();
  assert.deepEqual(stray, []);
});

/** A discovery-mode manager that knows only the MCP URL. */
function discoveryManager(url, extra = {}) {
  return track(new OAuthTokenManager({ server_url: url, client_name: 'node-binding-test', ...extra }));
}

/** A client_credentials manager found by discovery (server_url only). */
function credentialsManager(url) {
  return track(new OAuthTokenManager({ server_url: url, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as }));
}

/** authorize runs the authorization code flow headlessly; returns the authorize URL. */
async function authorize(manager) {
  const { url, state } = await manager.beginAuthorizationAsync();
  const location = await authorizeRedirect(url);
  assert.equal(new URL(location).searchParams.get('state'), state);
  await manager.completeAuthorization(location);
  return new URL(url);
}

/**
 * connectAuthorized connects, and when the user must authorize, authorizes
 * headlessly and connects again — what an application does.
 */
async function connectAuthorized(manager, url, options) {
  try {
    return track(await McpClient.connect(manager, url, options));
  } catch (err) {
    if (!(err instanceof AuthorizationRequiredError)) throw err;
    await authorize(manager);
    return track(await McpClient.connect(manager, url, options));
  }
}

function text(result) {
  assert.ok(Array.isArray(result.content), JSON.stringify(result));
  return result.content.filter((c) => c.type === 'text').map((c) => c.text).join('');
}

for (const transport of ['streamable_http', 'sse']) {
  test(`end to end over ${transport}: only the MCP URL known — discovery, dynamic registration, authorization code + PKCE, tools`, async () => {
    const url = transport === 'sse' ? server.sse : server.mcp;
    const before = await server.asCounts();
    const manager = discoveryManager(url);

    // First attempt: discovery and registration happen, then the user must authorize.
    const err = await McpClient.connect(manager, url, { transport }).then(() => null, (e) => e);
    assert.ok(err instanceof AuthorizationRequiredError, String(err));
    assert.equal(err.errno, Status.AUTHORIZATION_REQUIRED);

    const authorizeUrl = await authorize(manager);
    const q = authorizeUrl.searchParams;
    assert.equal(authorizeUrl.origin, server.as);
    assert.match(q.get('client_id'), /^dcr_/, 'a dynamically registered client');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(q.get('resource'), url);
    assert.ok(q.get('scope').split(' ').includes('mcp:read'), q.get('scope'));

    const client = track(await McpClient.connect(manager, url, { transport, clientName: 'node-test', timeoutSeconds: 30 }));
    assert.equal(client.serverUrl, url);
    assert.equal(client.transport, transport);
    assert.equal(client.closed, false);

    const tools = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    for (const n of ['add', 'echo', 'whoami', 'write_note']) assert.ok(names.includes(n), names.join(','));
    assert.equal(tools.find((t) => t.name === 'add').inputSchema.type, 'object');

    assert.equal(text(await client.callTool('echo', { text: `hello over ${transport}` })), `hello over ${transport}`);
    const sum = await client.callTool('add', { a: 2, b: 40 });
    assert.equal(sum.structuredContent.sum, 42);
    assert.notEqual(sum.isError, true);
    const who = (await client.callTool('whoami', {})).structuredContent;
    assert.equal(who.client_id, q.get('client_id'));
    assert.equal(who.subject, 'test-user');

    assert.deepEqual(await client.request('ping'), {});
    const viaRequest = await client.request('tools/call', { name: 'add', arguments: { a: 1, b: 1 } });
    assert.equal(viaRequest.structuredContent.sum, 2);

    const after = await server.asCounts();
    assert.equal(after.register - before.register, 1, 'one dynamic registration');
    assert.equal(after.authorize - before.authorize, 1, 'one authorization');
    await client.close();
    assert.equal(client.closed, true);
  });
}

test('client_credentials found by discovery (server_url only), both transports', async () => {
  for (const [url, transport] of [[server.mcp, 'streamable_http'], [server.sse, 'sse']]) {
    const manager = credentialsManager(url);
    const client = track(await McpClient.connect(manager, url, { transport }));
    const who = (await client.callTool('whoami')).structuredContent;
    assert.equal(who.client_id, CLIENT_ID);
    assert.equal(who.subject, CLIENT_ID);
    assert.equal(text(await client.callTool('echo', { text: 'cc' })), 'cc');
    assert.equal(typeof await manager.getToken(), 'string', 'the manager holds the token the client used');
    await client.close();
  }
});

test('step-up: write_note needs mcp:write (client_credentials widens the scope by itself)', async () => {
  const manager = credentialsManager(server.mcp);
  const client = track(await McpClient.connect(manager, server.mcp));
  assert.ok(!(await client.callTool('whoami')).structuredContent.scopes.includes('mcp:write'));
  const before = await server.mcpCounts();
  const res = await client.callTool('write_note', { text: 'from node' });
  assert.notEqual(res.isError, true, JSON.stringify(res));
  assert.match(text(res), /saved note/);
  assert.ok((await server.mcpCounts()).forbidden > before.forbidden, 'the server answered 403 insufficient_scope first');
  assert.ok((await client.callTool('whoami')).structuredContent.scopes.includes('mcp:write'));
});

test('step-up with a user: AuthorizationRequiredError, authorize the wider scope, retry on the same client', async () => {
  const manager = discoveryManager(server.mcp);
  const client = await connectAuthorized(manager, server.mcp);
  const err = await client.callTool('write_note', { text: 'x' }).then(() => null, (e) => e);
  assert.ok(err instanceof AuthorizationRequiredError, String(err));
  const authorizeUrl = await authorize(manager);
  assert.ok(authorizeUrl.searchParams.get('scope').split(' ').includes('mcp:write'), authorizeUrl.searchParams.get('scope'));
  assert.match(text(await client.callTool('write_note', { text: 'y' })), /saved note/);
});

test('MultiServerMcpClient: two servers, two transports, named tools', async () => {
  const shared = discoveryManager(server.mcp);
  await authorize(shared); // the "math" server's user authorization, done up front
  const multi = track(new MultiServerMcpClient({
    notes: { url: server.sse, transport: 'sse', auth: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as } },
    math: { url: server.mcp, auth: shared, client_name: 'multi-test', timeout_seconds: 30 },
  }));
  assert.deepEqual(multi.servers, ['notes', 'math']);
  assert.equal(multi.manager('math'), shared);
  assert.ok(multi.manager('notes') instanceof OAuthTokenManager);

  const tools = await multi.getTools();
  const byServer = (s) => tools.filter((t) => t.server === s).map((t) => t.name).sort();
  assert.deepEqual(byServer('notes'), byServer('math'));
  assert.ok(byServer('notes').includes('echo'));
  assert.equal(tools.length, byServer('notes').length * 2);

  assert.equal((await multi.callTool('math', 'add', { a: 20, b: 22 })).structuredContent.sum, 42);
  assert.equal(text(await multi.callTool('notes', 'echo', { text: 'via sse' })), 'via sse');
  assert.equal((await multi.callTool('notes', 'whoami')).structuredContent.client_id, CLIENT_ID);
  const notes = await multi.session('notes');
  assert.equal(notes.transport, 'sse');
  assert.equal(await multi.session('notes'), notes, 'one connection per server');
  assert.equal(await multi.connect(), multi);
  assert.deepEqual((await multi.getTools('math')).map((t) => t.name).sort(), byServer('math'));

  await assert.rejects(multi.callTool('nowhere', 'echo', {}), InvalidArgumentError);
  const ownedManager = multi.manager('notes');
  await multi.close();
  await multi.close(); // idempotent
  assert.equal(notes.closed, true);
  assert.equal(ownedManager.closed, true, 'a manager made from a configuration is closed');
  assert.equal(shared.closed, false, 'a manager passed in stays open');
  await assert.rejects(multi.getTools(), BadHandleError);
});

test('MultiServerMcpClient: defaults to discovery, reports which server needs authorization', async () => {
  const multi = track(new MultiServerMcpClient({ open: { url: server.mcp } }));
  const err = await multi.getTools().then(() => null, (e) => e);
  assert.ok(err instanceof AuthorizationRequiredError, String(err));
  assert.equal(err.server, 'open');
  await authorize(multi.manager('open'));
  const tools = await multi.getTools();
  assert.ok(tools.every((t) => t.server === 'open') && tools.length >= 4);
  await multi.close();

  assert.throws(() => new MultiServerMcpClient({ a: { transport: 'sse' } }), ConfigError);
  assert.throws(() => new MultiServerMcpClient({ a: { url: server.mcp, transport: 'websocket' } }), ConfigError);
  assert.throws(() => new MultiServerMcpClient({ a: { url: server.mcp, bogus: 1 } }), ConfigError);
  assert.throws(() => new MultiServerMcpClient({ a: { url: server.mcp, timeout_seconds: 'soon' } }), ConfigError);
  assert.throws(() => new MultiServerMcpClient({ a: { url: server.mcp, auth: 'token' } }), ConfigError);
  assert.throws(() => new MultiServerMcpClient({ a: { url: server.mcp, auth: { bogus: 1 } } }), ConfigError);
  assert.throws(() => new MultiServerMcpClient(null), ConfigError);
});

test('errors: unknown tool, bad arguments, closed client, closed manager', async () => {
  const manager = credentialsManager(server.mcp);
  const client = track(await McpClient.connect(manager, server.mcp));

  // Unknown tool: the server answers with a JSON-RPC error (or an isError result).
  const unknown = await client.callTool('no_such_tool', {}).then((r) => r, (e) => e);
  if (unknown instanceof Error) {
    assert.ok(unknown instanceof McpError, String(unknown));
    assert.ok(unknown instanceof McpOAuthError);
    assert.equal(unknown.errno, Status.MCP);
    assert.equal(typeof unknown.rpcCode, 'number');
    assert.equal(unknown.details.rpc_code, unknown.rpcCode);
    assert.match(unknown.message, /no_such_tool/);
  } else {
    assert.equal(unknown.isError, true);
  }
  // Wrong arguments for a real tool.
  const wrong = await client.callTool('add', { a: 'x' }).then((r) => r, (e) => e);
  assert.ok(wrong instanceof McpError || wrong.isError === true, String(wrong));

  const method = await client.request('sampling/createMessage', {}).then(() => null, (e) => e);
  assert.ok(method instanceof ConfigError, String(method));
  assert.equal(method.field, 'method');
  await assert.rejects(client.callTool('echo', 'not an object'), InvalidArgumentError);
  await assert.rejects(client.callTool('echo', [1]), InvalidArgumentError);
  await assert.rejects(client.callTool(42), InvalidArgumentError);
  assert.equal(text(await client.callTool('echo', { text: 'still fine' })), 'still fine');

  // Closed client: BadHandleError at once, close is idempotent.
  const closing = client.close();
  assert.equal(client.closed, true);
  assert.equal(client.close(), closing);
  await closing;
  for (const call of [() => client.listTools(), () => client.callTool('echo', {}), () => client.request('ping')]) {
    const e = await call().then(() => null, (x) => x);
    assert.ok(e instanceof BadHandleError, String(e));
    assert.equal(e.errno, Status.BAD_HANDLE);
  }

  // Connection options and manager checks.
  await assert.rejects(McpClient.connect(manager, server.mcp, { transport: 'websocket' }), ConfigError);
  await assert.rejects(McpClient.connect(manager, server.mcp, { timeoutSeconds: -1 }), ConfigError);
  await assert.rejects(McpClient.connect(manager, server.mcp, { bogus: true }), ConfigError);
  await assert.rejects(McpClient.connect({}, server.mcp), InvalidArgumentError);
  await assert.rejects(McpClient.connect(manager, 42), InvalidArgumentError);
  assert.throws(() => new McpClient(), TypeError);
  const gone = new OAuthTokenManager({ server_url: server.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as });
  gone.close();
  await assert.rejects(McpClient.connect(gone, server.mcp), BadHandleError);
});

test('errors: protected resource metadata for another resource → ResourceMismatchError', async () => {
  const other = await startMcpServer(['-prm-resource', 'https://other.example/mcp']);
  try {
    const machine = { server_url: other.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: other.as };
    for (const config of [{ server_url: other.mcp }, machine]) {
      const manager = track(new OAuthTokenManager(config));
      const err = await McpClient.connect(manager, other.mcp).then(() => null, (e) => e);
      assert.ok(err instanceof ResourceMismatchError, String(err));
      assert.equal(err.errno, Status.RESOURCE_MISMATCH);
    }
    const counts = await other.asCounts();
    assert.equal(counts.token, 0, 'no token request was made');
    assert.equal(counts.authorize, 0);
  } finally {
    await other.close();
  }
});

test('an attacker AS named by the protected resource metadata receives no client secret', async () => {
  // The attacker's MCP server names its own authorization server, which
  // accepts test-client's secret: a leak shows as a token request there.
  const attacker = await startMcpServer();
  try {
    const quickStart = { server_url: attacker.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    let err = null;
    try {
      await track(new OAuthTokenManager(quickStart)).getToken(); // the attack as it went before the fix
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.field, 'issuer');
    assert.match(err.message, /issued them/);
    // With the client's real issuer (another authorization server).
    const manager = track(new OAuthTokenManager({ ...quickStart, issuer: server.as }));
    await assert.rejects(manager.getToken(), (e) => e instanceof RegistrationError && /registered with issuer/.test(e.message));
    await assert.rejects(McpClient.connect(manager, attacker.mcp), RegistrationError);
    const counts = await attacker.asCounts();
    assert.equal(counts.token, 0, 'no token request reached the attacker');
    assert.equal(counts.metadata, 0, 'the attacker was not even asked for its metadata');
  } finally {
    await attacker.close();
  }
});

test('errors: tokens issued for another resource → TokenRejectedError with the challenge', async () => {
  const manager = track(new OAuthTokenManager({
    server_url: server.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as, resource: 'https://other.example/mcp',
  }));
  const err = await McpClient.connect(manager, server.mcp).then(() => null, (e) => e);
  assert.ok(err instanceof TokenRejectedError, String(err));
  assert.equal(err.errno, Status.TOKEN_REJECTED);
  assert.equal(err.status, 401);
  assert.equal(err.error, 'invalid_token');
  assert.ok(!err.message.includes(await manager.getToken()));
});

test('errors: no dynamic registration and no client_id → RegistrationError', async () => {
  const other = await startMcpServer(['-no-registration']);
  try {
    const manager = track(new OAuthTokenManager({ server_url: other.mcp }));
    const err = await McpClient.connect(manager, other.mcp).then(() => null, (e) => e);
    assert.ok(err instanceof RegistrationError, String(err));
    assert.equal(err.errno, Status.REGISTRATION);
    assert.equal(typeof err.error, 'string');
    assert.equal(typeof err.status, 'number');
    await assert.rejects(manager.beginAuthorizationAsync(), RegistrationError);
  } finally {
    await other.close();
  }
});

test('the event loop keeps running while connect and calls wait on the network', async () => {
  // connect: the AS holds the token response; the loop answers other
  // promises (a fetch of the AS's counters) meanwhile, and sees the token
  // request arrive before connect settles.
  const tokensBefore = (await server.asCounts()).token;
  await server.asConfig({ latency_ms: 1000 });
  let client;
  try {
    let settled = false;
    const connecting = McpClient.connect(credentialsManager(server.mcp), server.mcp)
      .finally(() => { settled = true; });
    await until(async () => (await server.asCounts()).token > tokensBefore, 'the token request reached the AS');
    assert.equal(settled, false, 'connect settled before the loop saw its token request: the loop was blocked');
    client = track(await connecting);
  } finally {
    await server.asConfig({ latency_ms: 0 });
  }
  // A call: the tool "wait" answers only when cancelled; the loop sees it
  // reach the server, then aborts it.
  const waitsBefore = (await server.mcpCounts()).tool_calls?.wait ?? 0;
  const controller = new AbortController();
  let settled = false;
  const waiting = client.callTool('wait', {}, { signal: controller.signal }).finally(() => { settled = true; });
  await until(async () => ((await server.mcpCounts()).tool_calls?.wait ?? 0) > waitsBefore, 'the call reached the server');
  assert.equal(settled, false);
  controller.abort();
  await assert.rejects(waiting, (err) => err.name === 'AbortError');
  assert.match(JSON.stringify(await client.callTool('echo', { text: 'tick' })), /tick/);
});

test('concurrent calls on one client', async () => {
  const client = track(await McpClient.connect(credentialsManager(server.mcp), server.mcp));
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.callTool('add', { a: i, b: 1 })));
  assert.deepEqual(results.map((r) => r.structuredContent.sum), Array.from({ length: 20 }, (_, i) => i + 1));
});

test('a client garbage-collected without close() is closed by the FinalizationRegistry', () => {
  // Closing a Streamable HTTP session sends one DELETE: the MCP server counts it.
  const countsUrl = new URL('/_test/mcp_counts', server.mcp).toString();
  const script = `
    const mcp = require(${JSON.stringify(PACKAGE_ROOT)});
    const requests = async () => (await (await fetch(${JSON.stringify(countsUrl)})).json()).requests;
    (async () => {
      let m = new mcp.OAuthTokenManager({ server_url: ${JSON.stringify(server.mcp)}, client_id: 'test-client', client_secret: 'test-secret', issuer: ${JSON.stringify(server.as)} });
      let c = await mcp.McpClient.connect(m, ${JSON.stringify(server.mcp)});
      await c.callTool('echo', { text: 'x' });
      const before = await requests();
      c = null; m = null;
      let after = before;
      for (let i = 0; i < 100 && after === before; i++) {
        global.gc();
        await new Promise((r) => setTimeout(r, 20));
        after = await requests();
      }
      console.log(after - before);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '1', 'the session was closed (one DELETE)');
});

test('error classes of the MCP status codes carry their members', () => {
  const { errorFor } = require('../lib/errors.js');
  const fallback = (c) => `status ${c}`;
  const rpc = errorFor(Status.MCP, JSON.stringify({ code: -15, message: 'unknown tool', rpc_code: -32602 }), fallback);
  assert.ok(rpc instanceof McpError);
  assert.equal(rpc.rpcCode, -32602);
  assert.equal(errorFor(Status.MCP, null, fallback).rpcCode, null);
  const reg = errorFor(Status.REGISTRATION, JSON.stringify({
    code: -18, message: 'registration refused', error: 'invalid_client_metadata', error_description: 'bad redirect', status: 400,
  }), fallback);
  assert.ok(reg instanceof RegistrationError);
  assert.deepEqual([reg.error, reg.errorDescription, reg.status], ['invalid_client_metadata', 'bad redirect', 400]);
  for (const [code, Cls, name] of [
    [Status.DISCOVERY, mcp.DiscoveryError, 'DISCOVERY'],
    [Status.RESOURCE_MISMATCH, ResourceMismatchError, 'RESOURCE_MISMATCH'],
    [Status.INSUFFICIENT_SCOPE, mcp.InsufficientScopeError, 'INSUFFICIENT_SCOPE'],
  ]) {
    const e = errorFor(code, null, fallback);
    assert.ok(e instanceof Cls && e instanceof McpOAuthError);
    assert.equal(e.codeName, name);
    assert.equal(e.name, Cls.name);
  }
});

test('the README examples of "MCP connections" run as written', async () => {
  const fs = require('node:fs');
  const readme = fs.readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## MCP connections'));
  const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).slice(0, 2);
  assert.equal(blocks.length, 2);
  const redirect = `
    async function openBrowserAndWaitForRedirect(url) {
      const res = await fetch(url, { redirect: 'manual' });
      return new URL(res.headers.get('location'), url).toString();
    }`;
  const run = async (code) => {
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, ['-e', `(async () => {\n${code}\nconsole.log('done');\n})().catch((e) => { console.error(e); process.exit(1); });`],
      { cwd: PACKAGE_ROOT, env: { ...process.env, SECRET: CLIENT_SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const status = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(status, 0, err);
    assert.equal(out.trim(), 'done');
  };
  await run(`${redirect}\n${blocks[0].replaceAll('https://mcp.example.com/mcp', server.mcp)}`);
  await run(`
    const manager = new (require('mcp-oauth-client').OAuthTokenManager)({ server_url: ${JSON.stringify(server.mcp)}, client_id: '${CLIENT_ID}', client_secret: '${CLIENT_SECRET}', issuer: '${server.as}' });
    ${blocks[1].replaceAll('https://notes.example.com/sse', server.sse).replaceAll('https://math.example.com/mcp', server.mcp).replaceAll("'my-client'", `'${CLIENT_ID}'`).replaceAll("'https://auth.example.com'", `'${server.as}'`)}
    if (sum.structuredContent.sum !== 3 || !tools.some((t) => t.server === 'notes')) throw new Error('unexpected results');
    manager.close();`);
});

test('close() while calls are in flight, and a manager closed under an open client', async () => {
  const manager = credentialsManager(server.mcp);
  for (let i = 0; i < 10; i++) {
    const client = await McpClient.connect(manager, server.mcp);
    const calls = Array.from({ length: 4 }, () => client.callTool('echo', { text: 'x' }).then(
      (r) => assert.equal(text(r), 'x'),
      (e) => assert.ok(e instanceof BadHandleError || e instanceof McpError, String(e)),
    ));
    client.close();
    await Promise.all(calls);
  }
  const own = new OAuthTokenManager({ server_url: server.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as });
  const client = await McpClient.connect(own, server.mcp);
  await own.close(); // freed once the promise settles
  const err = await client.callTool('echo', { text: 'y' }).then(() => null, (e) => e);
  assert.ok(err instanceof McpOAuthError, String(err));
  await client.close();
});

test('Node idioms (issue 16): beginAuthorization() is asynchronous, in discovery mode too', async () => {
  const manager = discoveryManager(server.mcp);
  const pending = manager.beginAuthorization();
  assert.ok(pending instanceof Promise, 'beginAuthorization() returns a promise: the engine call runs off the main thread');
  const { url, state } = await pending; // discovery and dynamic registration happened meanwhile
  assert.equal(new URL(url).searchParams.get('state'), state);
  // The former name is the same call.
  const again = await manager.beginAuthorizationAsync();
  assert.notEqual(again.state, state);
  // Argument errors reject rather than throw.
  const bad = manager.beginAuthorization(42);
  assert.ok(bad instanceof Promise);
  await assert.rejects(bad, InvalidArgumentError);
});

test('Node idioms (issue 16): every async call takes { signal }; an aborted one rejects with its reason and starts nothing', async () => {
  const manager = credentialsManager(server.mcp);
  const client = track(await McpClient.connect(manager, server.mcp));
  const multi = track(new MultiServerMcpClient({ a: { url: server.mcp, auth: manager } }));
  const reason = new Error('stop');
  const signal = AbortSignal.abort(reason);
  const calls = {
    getToken: () => manager.getToken({ signal }),
    token: () => manager.token({ signal }),
    handleResponse: () => manager.handleResponse(401, 'Bearer', 'x', 0, { signal }),
    beginAuthorization: () => manager.beginAuthorization(undefined, { signal }),
    completeAuthorization: () => manager.completeAuthorization('http://127.0.0.1:9/cb?code=c&state=s', { signal }),
    authorizeInteractively: () => manager.authorizeInteractively({ signal }),
    beginDeviceAuthorization: () => manager.beginDeviceAuthorization({ signal }),
    completeDeviceAuthorization: () => manager.completeDeviceAuthorization({ signal }),
    authorizeDevice: () => manager.authorizeDevice(() => {}, { signal }),
    'McpClient.connect': () => McpClient.connect(manager, server.mcp, { signal }),
    listTools: () => client.listTools({ signal }),
    callTool: () => client.callTool('echo', { text: 'x' }, { signal }),
    request: () => client.request('ping', null, { signal }),
    listSkills: () => client.listSkills({ signal }),
    loadSkill: () => client.loadSkill('skill://x/SKILL.md', { signal }),
    'multi.session': () => multi.session('a', { signal }),
    'multi.connect': () => multi.connect({ signal }),
    'multi.getTools': () => multi.getTools(null, { signal }),
    'multi.callTool': () => multi.callTool('a', 'echo', { text: 'x' }, { signal }),
  };
  for (const [name, call] of Object.entries(calls)) {
    await assert.rejects(call(), (err) => err === reason, name);
  }
  // Nothing was cancelled: the objects stay usable.
  assert.equal(text(await client.callTool('echo', { text: 'still' })), 'still');
  assert.equal((await multi.getTools('a')).length > 0, true);
});

test('Node idioms (issue 16): close() is asynchronous everywhere, with Symbol.asyncDispose and Symbol.dispose', async () => {
  const own = new OAuthTokenManager({ server_url: server.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as });
  const client = await McpClient.connect(own, server.mcp);
  const multi = new MultiServerMcpClient({ a: { url: server.mcp, auth: { serverUrl: server.mcp, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, issuer: server.as } } });
  for (const x of [own, client, multi]) {
    assert.equal(typeof x[Symbol.asyncDispose], 'function', x.constructor.name);
    assert.equal(typeof x[Symbol.dispose], 'function', x.constructor.name);
  }
  await client[Symbol.asyncDispose]();
  assert.equal(client.closed, true);
  const closing = own.close();
  assert.ok(closing instanceof Promise);
  assert.equal(own.closed, true, 'closed at once');
  assert.equal(own.close(), closing, 'idempotent: the same promise');
  assert.equal(await closing, undefined);
  multi[Symbol.dispose](); // starts close() without waiting
  await assert.rejects(multi.getTools(), BadHandleError);
  assert.equal(await multi.close(), undefined);
});
