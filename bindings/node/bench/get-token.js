#!/usr/bin/env node
'use strict';
// Benchmark of the hot path: a cached `await manager.getToken()` on the main
// thread, against a JS floor and the raw calls into the Go library (sync on
// the main thread, sync on a worker thread, .async), all in one run.
//
//   node bench/get-token.js [--rounds N]
//
// Needs build/oauth-test-server (or MCP_OAUTH_TEST_SERVER) for a real token.

const { performance } = require('node:perf_hooks');
const { Worker } = require('node:worker_threads');
const path = require('node:path');
const { OAuthTokenManager } = require('..');
const { native, take } = require('../lib/native.js');
const { startServer, clientConfig } = require('../test/helpers.js');
const koffi = require('koffi');

const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 101;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** perCallBatched times `batch` awaited calls per round; returns median µs per call. */
async function perCallBatched(fn, batch) {
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    samples.push(((performance.now() - t0) * 1000) / batch);
  }
  return median(samples);
}

function perCallSync(fn, batch) {
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push(((performance.now() - t0) * 1000) / batch);
  }
  return median(samples);
}

function workerSyncCall(config, rounds) {
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { performance } = require('node:perf_hooks');
    const { native, take } = require(workerData.nativePath);
    const { fn } = native();
    const h = [null];
    if (fn.new(JSON.stringify(workerData.config), h, [null]) !== 0) throw new Error('new failed');
    const out = [null];
    const err = [null];
    const call = () => {
      if (fn.get_token_json(h[0], out, err) !== 0) throw new Error('get_token_json failed');
      const json = koffiDecode(out[0]);
      fn.string_free(out[0]);
      out[0] = null;
    };
    const koffiDecode = (p) => require(workerData.koffiPath).decode.string(p);
    call();
    const samples = [];
    for (let r = 0; r < workerData.rounds; r++) {
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) call();
      samples.push((performance.now() - t0) * 10);
    }
    fn.free(h[0]);
    samples.sort((a, b) => a - b);
    parentPort.postMessage(samples[samples.length >> 1]);
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(src, {
      eval: true,
      workerData: {
        nativePath: path.resolve(__dirname, '..', 'lib', 'native.js'),
        koffiPath: require.resolve('koffi'),
        config,
        rounds,
      },
    });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

async function main() {
  const server = await startServer();
  let manager = null;
  let fn = null;
  const raw = [null];
  try {
    manager = new OAuthTokenManager(clientConfig(server));
    fn = native().fn;
    const cached = await manager.getToken();

    // A second handle for the raw calls (the manager's handle is private).
    if (fn.new(JSON.stringify(clientConfig(server)), raw, [null]) !== 0) throw new Error('mcp_oauth_new failed');
    const out = [null];
    const err = [null];
    // One call into Go; the string is decoded in JS and freed off-thread (take).
    const rawSync = () => {
      if (fn.get_token_json(raw[0], out, err) !== 0) throw new Error('get_token_json failed');
      take(out);
    };
    // What a koffi.disposable return type does: the free is a second Go call.
    const rawSyncFree = () => {
      if (fn.get_token_json(raw[0], out, err) !== 0) throw new Error('get_token_json failed');
      koffi.decode.string(out[0]);
      fn.string_free(out[0]);
      out[0] = null;
    };
    rawSync();
    const rawAsync = () => new Promise((resolve, reject) => {
      const o = [null];
      fn.get_token_json.async(raw[0], o, [null], (e, rc) => {
        take(o);
        if (e || rc !== 0) reject(e ?? new Error(`rc ${rc}`));
        else resolve();
      });
    });
    await rawAsync();

    // JS floor: an async function returning a cached string, awaited.
    const holder = { token: cached };
    const floor = async () => holder.token;

    // Warm up the JIT on every path.
    for (let i = 0; i < 20000; i++) {
      await manager.getToken();
      await floor();
    }
    for (let i = 0; i < 50; i++) rawSync();

    const rows = [];
    rows.push(['JS floor: await asyncFn() returning a string', await perCallBatched(floor, 1000)]);
    rows.push(['cached await manager.getToken() (main thread)', await perCallBatched(() => manager.getToken(), 1000)]);
    rows.push(['cached await manager.token() (main thread)', await perCallBatched(() => manager.token(), 1000)]);
    rows.push(['sync mcp_oauth_version() via koffi (main thread)', perCallSync(() => fn.version(), 5)]);
    rows.push(['sync mcp_oauth_get_token_json via koffi (main thread)', perCallSync(rawSync, 5)]);
    rows.push(['  + sync mcp_oauth_string_free (= koffi.disposable)', perCallSync(rawSyncFree, 5)]);
    rows.push(['sync mcp_oauth_get_token_json via koffi (worker thread)', await workerSyncCall(clientConfig(server), ROUNDS)]);
    rows.push(['await mcp_oauth_get_token_json.async (main thread)', await perCallBatched(rawAsync, 10)]);
    rows.push(['cold await manager.getToken() after invalidate (loopback HTTP)', await perCallBatched(async () => {
      manager.invalidate(await manager.getToken());
      await manager.getToken();
    }, 1)]);

    const counts = await server.counts();
    if (counts.token !== 3 + ROUNDS) console.warn(`warning: ${counts.token} token requests (expected ${3 + ROUNDS})`);

    const base = rows[1][1];
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log(`node ${process.version}, ${ROUNDS} rounds, median per call`);
    console.log(`${'path'.padEnd(w)}  ${'median µs'.padStart(10)}  ${'× cached getToken'.padStart(18)}`);
    console.log(`${'-'.repeat(w)}  ${'-'.repeat(10)}  ${'-'.repeat(18)}`);
    for (const [name, us] of rows) {
      console.log(`${name.padEnd(w)}  ${us.toFixed(3).padStart(10)}  ${(us / base).toFixed(1).padStart(18)}`);
    }
    const goal = 5;
    console.log(`\ncached getToken median ${base.toFixed(3)} µs: ${base <= goal ? 'within' : 'OVER'} the ${goal} µs goal; ` +
      `${(rows[4][1] / base).toFixed(0)}× cheaper than one synchronous main-thread call into Go`);
  } finally {
    if (raw[0] !== null) fn.free(raw[0]);
    manager?.close();
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
