'use strict';
// A fleet sharing one Redis token store (config token_store): Node processes
// with separate caches make one token request between them. redis-server
// (Debian's package; `make test-go` installs it) runs on a free loopback
// port with its files in a temporary directory.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { startServer, clientConfig, closedPort, sleep, PACKAGE_ROOT } = require('./helpers.js');

function haveRedis() {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.MCP_OAUTH_REQUIRE_REDIS) throw new Error('redis-server is not installed (make test-go installs it)');
    return false;
  }
}

function pong(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.once('data', (d) => { s.destroy(); resolve(d.toString().startsWith('+PONG')); });
    s.once('error', () => resolve(false));
  });
}

// A worker: one process, one manager, one token, printed.
const WORKER = `
const { OAuthTokenManager } = require(${JSON.stringify(PACKAGE_ROOT)});
const m = new OAuthTokenManager(JSON.parse(process.argv[1]));
m.getToken().then((t) => { console.log(t); m.close(); }, (e) => { console.error(e.message); process.exit(1); });
`;

function run(config) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WORKER, JSON.stringify(config)], {
      env: { ...process.env, MCP_OAUTH_STORE_KEY: Buffer.alloc(32, 9).toString('base64') },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`worker: ${err}`))));
  });
}

test('8 processes on a cold Redis store make one token request', { skip: !haveRedis() && 'redis-server is not installed' }, async () => {
  const port = await closedPort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-oauth-redis-'));
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
    '--save', '', '--appendonly', 'no', '--logfile', path.join(dir, 'log')], { stdio: 'ignore' });
  const server = await startServer();
  try {
    for (let i = 0; !(await pong(port)); i++) {
      assert.ok(i < 1000, 'redis-server did not start');
      await sleep(10);
    }
    await server.config({ latency_ms: 200 }); // the first request is in flight when the others start
    const config = clientConfig(server, { token_store: `redis://127.0.0.1:${port}/0` });
    const tokens = await Promise.all(Array.from({ length: 8 }, () => run(config)));
    assert.equal(new Set(tokens).size, 1, 'every process holds the one token');
    assert.equal((await server.counts()).token, 1);
  } finally {
    await server.close();
    redis.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
