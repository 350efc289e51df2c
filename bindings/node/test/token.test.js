'use strict';
// Token fetch, cache, single-flight, background refresh, invalidation and the
// event loop, against the real test authorization server.

const test = require('node:test');
const assert = require('node:assert/strict');
const { OAuthTokenManager } = require('..');
const { native } = require('../lib/native.js');
const { startServer, clientConfig, sleep, until } = require('./helpers.js');

let server;
const managers = [];
function manager(extra) {
  const m = new OAuthTokenManager(clientConfig(server, extra));
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
test.beforeEach(async () => {
  await server.reset();
  await server.config({ token_lifetime_ms: 3_600_000, latency_ms: 0 });
});

test('fetches a token once and serves it from the cache', async () => {
  const m = manager({ scopes: ['mcp:read', 'mcp:write'] });
  const t1 = await m.getToken();
  assert.equal(typeof t1, 'string');
  assert.ok(t1.length > 0);
  for (let i = 0; i < 1000; i++) assert.equal(await m.getToken(), t1);
  const tok = await m.token();
  assert.equal(tok.accessToken, t1);
  assert.equal(tok.tokenType, 'Bearer');
  assert.ok(tok.expiresAt instanceof Date);
  const ttl = tok.expiresAt.getTime() - Date.now();
  assert.ok(ttl > 3_500_000 && ttl <= 3_600_000, `expiresAt ${tok.expiresAt.toISOString()}`);
  assert.equal(typeof tok.scope, 'string');
  assert.ok(Object.isFrozen(tok));
  const counts = await server.counts();
  assert.equal(counts.token, 1);
});

test('a cached getToken() does not call into the library', async (t) => {
  // The binding reaches the engine for a token only through an .async call
  // (a synchronous one would cost ~100 µs on the main thread): count every
  // .async call of every library function over 20,000 cached calls.
  const m = manager();
  const t1 = await m.getToken();
  let calls = 0;
  for (const f of Object.values(native().fn)) {
    const original = f.async;
    f.async = function counted(...args) {
      calls++;
      return original.apply(this, args);
    };
    t.after(() => { f.async = original; });
  }
  for (let i = 0; i < 20_000; i++) if ((await m.getToken()) !== t1) assert.fail('token changed');
  assert.equal(calls, 0, `${calls} calls into the library`);
  // The counting sees a real call: invalidate, then a fetch.
  m.invalidate(t1);
  assert.notEqual(await m.getToken(), t1);
  assert.ok(calls >= 2, `only ${calls} calls counted`);
});

test('a token without expires_in: expiresAt is null and it is still cached', async () => {
  await server.config({ token_lifetime_ms: -1 });
  const m = manager();
  const tok = await m.token();
  assert.equal(tok.expiresAt, null);
  for (let i = 0; i < 100; i++) assert.equal(await m.getToken(), tok.accessToken);
  assert.equal((await server.counts()).token, 1);
});

test('100 concurrent getToken() on a cold cache make exactly one token request', async () => {
  const m = manager();
  const tokens = await Promise.all(Array.from({ length: 100 }, () => m.getToken()));
  assert.equal(new Set(tokens).size, 1);
  assert.equal((await server.counts()).token, 1);
});

test('two managers do not share tokens', async () => {
  const a = manager();
  const b = manager();
  const [ta, tb] = await Promise.all([a.getToken(), b.getToken()]);
  assert.notEqual(ta, tb);
  assert.equal((await server.counts()).token, 2);
});

test('invalidate: a new token is fetched after the server revoked the old one', async () => {
  const m = manager();
  const t1 = await m.getToken();
  await server.revokeAccessTokens();
  m.invalidate(t1);
  const t2 = await m.getToken();
  assert.notEqual(t2, t1);
  assert.equal(await m.getToken(), t2);
  assert.equal((await server.counts()).token, 2);
  // Invalidating a token that is no longer cached keeps the current one.
  m.invalidate(t1);
  assert.equal(await m.getToken(), t2);
  assert.equal((await server.counts()).token, 2);
});

test('the hot path never returns an invalidated token', async () => {
  const m = manager();
  let prev = await m.getToken();
  for (let i = 0; i < 20; i++) {
    m.invalidate(prev);
    // Immediately, synchronously after invalidate: no cached shortcut may hand it out.
    const [a, b] = await Promise.all([m.getToken(), m.token()]);
    assert.notEqual(a, prev, `round ${i}`);
    assert.equal(b.accessToken, a);
    prev = a;
  }
  assert.equal((await server.counts()).token, 21);
});

test('invalidate during the refresh window does not hand out the old token', async () => {
  // In the refresh window getToken() answers from the cache and starts one
  // engine call in the background, which may still resolve to the old token.
  await server.config({ token_lifetime_ms: 4000 });
  const m = manager({ refresh_margin_seconds: 2 });
  const t1 = await m.getToken();
  await server.config({ latency_ms: 300 });
  await until(async () => {
    assert.equal(await m.getToken(), t1); // served from the cache
    return (await server.counts()).token === 2;
  }, 'the refresh is in flight');
  m.invalidate(t1);
  const t2 = await m.getToken();
  assert.notEqual(t2, t1);
});

test('the event loop keeps running while getToken waits on a slow server', async () => {
  // The server holds the token request for 2 s. If getToken blocked the
  // event loop, the test's own requests to the server could not run until it
  // had returned; here they do, and see the request held.
  await server.config({ latency_ms: 2000 });
  const m = manager();
  let settled = false;
  const waiting = m.getToken().finally(() => { settled = true; });
  await until(async () => (await server.counts()).token === 1, 'the token request arrived');
  assert.equal(settled, false, 'getToken settled before the server answered');
  assert.match(await waiting, /^at_/);
});

test('proactive refresh: callers get the valid token at once, then the new one', async () => {
  // Lifetime 4 s, margin 2 s: refresh from ~2 s on, valid until ~3.8 s. The
  // server holds the refresh for 1.5 s: a caller that waited on it would get
  // the new token, so getting the old one while the refresh is in flight
  // shows it did not wait.
  await server.config({ token_lifetime_ms: 4000 });
  const m = manager({ refresh_margin_seconds: 2 });
  const t1 = await m.getToken();
  assert.equal((await server.counts()).token, 1);
  await server.config({ latency_ms: 1500 });
  // Each call in the refresh window nudges the refresh; wait until it arrived.
  await until(async () => {
    assert.equal(await m.getToken(), t1);
    return (await server.counts()).token === 2;
  }, 'the refresh request arrived');
  assert.equal(await m.getToken(), t1, 'a caller waited for the refresh');
  let t2 = t1;
  await until(async () => (t2 = await m.getToken()) !== t1, 'the refreshed token is handed out');
  assert.equal((await server.counts()).token, 2);
  assert.equal(await m.getToken(), t2);
});

test('an expired token is never handed out', async () => {
  // Lifetime 1 s, no server latency: after expiry the cache must not answer.
  await server.config({ token_lifetime_ms: 1000 });
  const m = manager({ refresh_margin_seconds: 0 });
  const t1 = await m.token();
  // Wait for the token's own expiry, as the library reported it.
  while (Date.now() <= t1.expiresAt.getTime()) await sleep(t1.expiresAt.getTime() - Date.now() + 1);
  const t2 = await m.token();
  assert.notEqual(t2.accessToken, t1.accessToken);
  assert.ok(t2.expiresAt.getTime() > Date.now());
});
