'use strict';
// The authorization code flow with PKCE, run headlessly: the test server's
// /authorize auto-approves with a 302 whose Location carries code, state, iss.

const test = require('node:test');
const assert = require('node:assert/strict');
const {
  OAuthTokenManager, StateMismatchError, AuthorizationDeniedError, IssuerMismatchError, Status,
} = require('..');
const { startServer, authorizeRedirect, PUBLIC_CLIENT_ID, CLIENT_ID, CLIENT_SECRET } = require('./helpers.js');

const REDIRECT_URI = 'http://127.0.0.1:8765/callback';

let server;
const managers = [];
function manager(extra = {}) {
  const m = new OAuthTokenManager({
    client_id: PUBLIC_CLIENT_ID,
    token_url: server.tokenUrl,
    authorize_url: server.authorizeUrl,
    redirect_uri: REDIRECT_URI,
    scopes: ['mcp:read'],
    ...extra,
  });
  managers.push(m);
  return m;
}

test.before(async () => {
  server = await startServer();
});
test.after(async () => {
  for (const m of managers) m.close();
  await server.close();
});
test.beforeEach(() => server.reset());

test('headless authorization code flow with PKCE', async () => {
  const m = manager();
  const { url, state } = await m.beginAuthorization();
  const u = new URL(url);
  assert.equal(u.origin + u.pathname, server.authorizeUrl);
  const q = u.searchParams;
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('client_id'), PUBLIC_CLIENT_ID);
  assert.equal(q.get('redirect_uri'), REDIRECT_URI);
  assert.equal(q.get('state'), state);
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(q.get('scope'), 'mcp:read');

  const location = await authorizeRedirect(url);
  const back = new URL(location);
  assert.equal(back.searchParams.get('state'), state);
  assert.ok(back.searchParams.get('code'));
  await m.completeAuthorization(location);

  const token = await m.getToken();
  assert.equal(typeof token, 'string');
  assert.equal(await m.getToken(), token);
  const counts = await server.counts();
  assert.equal(counts.authorize, 1);
  assert.equal(counts.token, 1);

  // A state is usable once.
  await assert.rejects(m.completeAuthorization(location), StateMismatchError);
});

test('an explicit redirect URI and several flows at once', async () => {
  const m = manager({ redirect_uri: undefined });
  const a = await m.beginAuthorization('http://127.0.0.1:9001/a');
  const b = await m.beginAuthorization('http://localhost:9002/b');
  assert.notEqual(a.state, b.state);
  assert.equal(new URL(a.url).searchParams.get('redirect_uri'), 'http://127.0.0.1:9001/a');
  const locB = await authorizeRedirect(b.url);
  const locA = await authorizeRedirect(a.url);
  await m.completeAuthorization(locB);
  await m.completeAuthorization(locA);
  assert.equal(typeof await m.getToken(), 'string');
});

test('a confidential client runs the same flow', async () => {
  const m = manager({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  const { url } = await m.beginAuthorization();
  await m.completeAuthorization(await authorizeRedirect(url));
  assert.equal(typeof await m.getToken(), 'string');
});

test('state mismatch', async () => {
  const m = manager();
  const { url } = await m.beginAuthorization();
  const location = new URL(await authorizeRedirect(url));
  location.searchParams.set('state', 'not-the-state');
  const err = await m.completeAuthorization(location.toString()).then(() => null, (e) => e);
  assert.ok(err instanceof StateMismatchError, String(err));
  assert.equal(err.errno, Status.STATE_MISMATCH);
  assert.ok(!err.message.includes(location.searchParams.get('code')), 'the message leaks the code');
});

test('access_denied', async () => {
  await server.deny({ error: 'access_denied' });
  const m = manager();
  const { url } = await m.beginAuthorization();
  const location = await authorizeRedirect(url);
  assert.equal(new URL(location).searchParams.get('error'), 'access_denied');
  const err = await m.completeAuthorization(location).then(() => null, (e) => e);
  assert.ok(err instanceof AuthorizationDeniedError, String(err));
  assert.equal(err.errno, Status.AUTHORIZATION_DENIED);
  assert.equal(err.error, 'access_denied');
  assert.equal((await server.counts()).token, 0);
});

test('issuer mismatch (RFC 9207)', async () => {
  const m = manager({ issuer: 'https://not-this-server.example' });
  const { url } = await m.beginAuthorization();
  const location = await authorizeRedirect(url);
  await assert.rejects(m.completeAuthorization(location), IssuerMismatchError);
});

test('completeAuthorization: aborting its signal ends a slow code exchange (issue 16)', async () => {
  const m = manager();
  const { url } = await m.beginAuthorization();
  const location = await authorizeRedirect(url);
  await server.config({ latency_ms: 30_000 });
  try {
    const controller = new AbortController();
    const exchange = m.completeAuthorization(location, { signal: controller.signal });
    while ((await server.counts()).token === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await assert.rejects(exchange, (err) => err.name === 'AbortError');
  } finally {
    await server.config({ latency_ms: 0 });
  }
});

test('authorizeInteractively: loopback listener and a (headless) browser', async () => {
  const browser = require('node:path').resolve(__dirname, '../../../tests/c/browser.sh');
  const m = manager({ redirect_uri: 'http://127.0.0.1:0/callback' });
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 5);
  await m.authorizeInteractively({ openCommand: browser, timeoutSeconds: 10 });
  clearInterval(timer);
  assert.equal(typeof await m.getToken(), 'string');
  assert.ok(ticks > 0, 'the event loop kept running');
  const err = await m.authorizeInteractively({ openCommand: 'true', timeoutSeconds: 0.3 }).then(() => null, (e) => e);
  assert.equal(err && err.errno, Status.TIMEOUT);
});

test('authorizeInteractively: the open command sees process.env as it is now (issue 16)', async () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const browser = path.resolve(__dirname, '../../../tests/c/browser.sh');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-oauth-env-'));
  const seen = path.join(dir, 'seen');
  const opener = path.join(dir, 'open.sh');
  fs.writeFileSync(opener, '#!/bin/sh\n' +
    `printf '%s|%s' "$MCP_OAUTH_SET_LATE" "\${HOME-unset}" > '${seen}'\n` +
    `exec '${browser}' "$1"\n`, { mode: 0o700 });
  const m = manager({ redirect_uri: 'http://127.0.0.1:0/callback' }); // the library is loaded by now
  const home = process.env.HOME;
  process.env.MCP_OAUTH_SET_LATE = 'set-after-load';
  delete process.env.HOME;
  try {
    await m.authorizeInteractively({ openCommand: opener, timeoutSeconds: 10 });
  } finally {
    delete process.env.MCP_OAUTH_SET_LATE;
    if (home !== undefined) process.env.HOME = home;
  }
  assert.equal(fs.readFileSync(seen, 'utf8'), 'set-after-load|unset');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('authorizeInteractively: openCommand may be a function (issue 16)', async () => {
  const { spawn } = require('node:child_process');
  const browser = require('node:path').resolve(__dirname, '../../../tests/c/browser.sh');
  const m = manager({ redirect_uri: 'http://127.0.0.1:0/callback' });
  const shown = [];
  await m.authorizeInteractively({
    openCommand: (url) => {
      shown.push(url);
      spawn(browser, [url], { stdio: 'ignore' });
    },
    timeoutSeconds: 10,
  });
  assert.equal(shown.length, 1);
  assert.match(shown[0], /\/authorize\?/);
  assert.equal(typeof await m.getToken(), 'string');
  // A throw ends the login with that error; so does a rejection (which
  // comes after the wait began: the wait is cancelled).
  const thrown = new Error('no browser here');
  await assert.rejects(m.authorizeInteractively({ openCommand: () => { throw thrown; }, timeoutSeconds: 10 }), (e) => e === thrown);
  const rejected = new Error('the user closed the window');
  await assert.rejects(m.authorizeInteractively({ openCommand: async () => { throw rejected; }, timeoutSeconds: 10 }), (e) => e === rejected);
  // The manager stays usable.
  assert.equal(typeof await m.getToken(), 'string');
});

test('authorizeInteractively: Infinity is no timeout, huge values are clamped (issue 12 item 8)', async () => {
  const browser = require('node:path').resolve(__dirname, '../../../tests/c/browser.sh');
  for (const timeoutSeconds of [Infinity, 1e300, 1e10]) {
    const m = manager({ redirect_uri: 'http://127.0.0.1:0/callback' });
    await m.authorizeInteractively({ openCommand: browser, timeoutSeconds });
    assert.equal(typeof await m.getToken(), 'string', `timeoutSeconds ${timeoutSeconds}`);
  }
  for (const timeoutSeconds of [NaN, -1, -Infinity]) {
    const m = manager({ redirect_uri: 'http://127.0.0.1:0/callback' });
    const err = await m.authorizeInteractively({ openCommand: browser, timeoutSeconds }).then(() => null, (e) => e);
    assert.equal(err && err.errno, Status.INVALID_ARGUMENT, `timeoutSeconds ${timeoutSeconds}`);
    assert.match(err.message, /timeout_seconds/);
  }
});
