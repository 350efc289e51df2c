'use strict';
// authFetch against the test server's /protected resource.

const test = require('node:test');
const assert = require('node:assert/strict');
const { OAuthTokenManager, authFetch } = require('..');
const { startServer, clientConfig } = require('./helpers.js');

let server;
let m;

test.before(async () => {
  server = await startServer();
});
test.after(async () => {
  m?.close();
  await server.close();
});
test.beforeEach(async () => {
  m?.close();
  await server.reset();
  m = new OAuthTokenManager(clientConfig(server));
});

test('without a token /protected answers 401 with WWW-Authenticate', async () => {
  const res = await fetch(server.protectedUrl);
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/i);
});

test('injects the bearer token', async () => {
  const f = authFetch(m);
  const res = await f(server.protectedUrl, { headers: { 'x-extra': '1' } });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  const res2 = await f(new URL(server.protectedUrl));
  assert.equal(res2.status, 200);
  await res2.arrayBuffer();
  const counts = await server.counts();
  assert.equal(counts.token, 1);
  assert.equal(counts.protected, 2);
});

test('a Request object works and keeps its headers', async () => {
  const seen = [];
  const spy = async (input, init) => {
    seen.push(new Headers(init.headers));
    return fetch(input, init);
  };
  const f = authFetch(m, spy);
  const res = await f(new Request(server.protectedUrl, { headers: { 'x-kept': 'yes' } }));
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  assert.equal(seen[0].get('x-kept'), 'yes');
  assert.match(seen[0].get('authorization'), /^Bearer .+/);
});

test('on a 401 the token is invalidated and the request retried once', async () => {
  const f = authFetch(m);
  const t1 = await m.getToken();
  await server.revokeAccessTokens(); // the cached token is now rejected by /protected
  const res = await f(server.protectedUrl);
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  const t2 = await m.getToken();
  assert.notEqual(t2, t1);
  const counts = await server.counts();
  assert.equal(counts.token, 2);
  assert.equal(counts.protected, 2);
});

test('a 401 that persists: one retry with a new token, then TokenRejectedError', async () => {
  const calls = [];
  const bodies = [];
  const always401 = async (input, init) => {
    bodies.push(init.body);
    calls.push(new Headers(init.headers).get('authorization'));
    return new Response('no', { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
  };
  const f = authFetch(m, always401);
  await assert.rejects(f('http://127.0.0.1:1/anything', { method: 'POST', body: 'payload' }),
    { name: 'TokenRejectedError', error: 'invalid_token', status: 401 });
  assert.equal(calls.length, 2);
  assert.deepEqual(bodies, ['payload', 'payload']); // a replayable body is sent again
  assert.notEqual(calls[0], calls[1]);
});

test('a plain token source gets the 401 rule alone', async () => {
  let n = 0;
  const source = { getToken: async () => `t${n}`, invalidate: () => { n++; } };
  const statuses = [401, 401];
  const f = authFetch(source, async () => new Response(null, { status: statuses.shift() }));
  const res = await f('http://127.0.0.1:1/x');
  assert.equal(res.status, 401);
  assert.equal(statuses.length, 0); // sent twice, then handed back
});

test('a streamed body is not replayed', async () => {
  let calls = 0;
  const once401 = async () => {
    calls++;
    return new Response(null, { status: 401 });
  };
  const f = authFetch(m, once401);
  const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('x')); c.close(); } });
  const res = await f('http://127.0.0.1:1/upload', { method: 'POST', body, duplex: 'half' });
  assert.equal(res.status, 401);
  assert.equal(calls, 1);
});

test('token errors reject the fetch', async () => {
  const bad = new OAuthTokenManager(clientConfig(server, { client_secret: 'nope' }));
  try {
    await assert.rejects(authFetch(bad)(server.protectedUrl), { name: 'OAuthError' });
  } finally {
    bad.close();
  }
});
