'use strict';
// The binding in worker_threads: each worker loads the (already loaded)
// library and runs its own manager, concurrently with the main thread.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { OAuthTokenManager } = require('..');
const { startServer, clientConfig } = require('./helpers.js');

let server;
test.before(async () => {
  server = await startServer();
});
test.after(() => server.close());

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const mcp = require(workerData.pkg);
(async () => {
  const m = new mcp.OAuthTokenManager(workerData.config);
  try {
    const first = await m.getToken();
    let same = 0;
    for (let i = 0; i < 1000; i++) if ((await m.getToken()) === first) same++;
    const challenge = mcp.generateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    let badSecret = null;
    const bad = new mcp.OAuthTokenManager({ ...workerData.config, client_secret: 'wrong' });
    try { await bad.getToken(); } catch (e) { badSecret = e instanceof mcp.OAuthError ? e.error : String(e); }
    bad.close();
    parentPort.postMessage({ first, same, challenge, badSecret });
  } finally {
    m.close();
  }
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

function runWorker(config) {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { pkg: path.resolve(__dirname, '..'), config },
    });
    let result;
    w.once('message', (msg) => { result = msg; });
    w.once('error', reject);
    w.once('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`worker exit ${code}: ${JSON.stringify(result)}`))));
  });
}

test('three workers and the main thread use the binding at once', async () => {
  await server.reset();
  const main = new OAuthTokenManager(clientConfig(server));
  try {
    const [mainToken, ...results] = await Promise.all([
      main.getToken(),
      runWorker(clientConfig(server)),
      runWorker(clientConfig(server)),
      runWorker(clientConfig(server)),
    ]);
    for (const r of results) {
      assert.equal(r.error, undefined, r.error);
      assert.equal(r.same, 1000);
      assert.equal(r.challenge, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
      assert.equal(r.badSecret, 'invalid_client');
      assert.notEqual(r.first, mainToken);
    }
    assert.equal(new Set(results.map((r) => r.first)).size, 3);
    assert.equal(await main.getToken(), mainToken);
    const counts = await server.counts();
    assert.equal(counts.token_by_grant.client_credentials, 4 + 3); // 4 good + 3 wrong secrets
  } finally {
    main.close();
  }
});

test('a worker that exits without close() does not disturb the process', async () => {
  const src = `
    const { workerData, parentPort } = require('node:worker_threads');
    const mcp = require(workerData.pkg);
    const m = new mcp.OAuthTokenManager(workerData.config);
    m.getToken().then((t) => { parentPort.postMessage(t); process.exit(0); });
  `;
  const token = await new Promise((resolve, reject) => {
    const w = new Worker(src, { eval: true, workerData: { pkg: path.resolve(__dirname, '..'), config: clientConfig(server) } });
    let t;
    w.once('message', (msg) => { t = msg; });
    w.once('error', reject);
    w.once('exit', () => resolve(t));
  });
  assert.equal(typeof token, 'string');
  const m = new OAuthTokenManager(clientConfig(server));
  assert.equal(typeof await m.getToken(), 'string');
  m.close();
});
