'use strict';
// Test helpers: the real authorization server process (build/oauth-test-server)
// and small utilities. Every server is killed when its test file ends.

const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');

const PACKAGE_ROOT = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(PACKAGE_ROOT, '..', '..');
const SERVER_BIN = process.env.MCP_OAUTH_TEST_SERVER || path.join(REPO_ROOT, 'build', 'oauth-test-server');
const MCP_SERVER_BIN = process.env.MCP_OAUTH_MCP_TEST_SERVER || path.join(REPO_ROOT, 'build', 'mcp-test-server');

const CLIENT_ID = 'test-client';
const CLIENT_SECRET = 'test-secret';
const PUBLIC_CLIENT_ID = 'public-client';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * until polls `condition` (a read of a test server's counters, say) every
 * 20 ms until it holds: an event to wait for, not a time. timeoutMs only
 * guards against a hang.
 */
async function until(condition, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

/**
 * controlRequest calls a test server's JSON control API (/_test/...) at base
 * and returns the parsed answer (null for an empty body).
 */
async function controlRequest(base, method, p, body) {
  const res = await fetch(base + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status}: ${text}`);
  return text === '' ? null : JSON.parse(text);
}

/**
 * startServer runs the test authorization server with -watch-stdin (it exits
 * when our stdin pipe closes, even if this process dies) and resolves once it
 * has printed its base URL.
 */
async function startServer(args = []) {
  const child = spawn(SERVER_BIN, ['-watch-stdin', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('test server did not start in 10 s')), 10_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim().replace(/\/$/, ''));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${SERVER_BIN}: ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`test server exited with ${code} before printing its URL`));
    });
  });
  child.stdout.resume(); // keep draining the request log, if any

  const control = (method, p, body) => controlRequest(url, method, p, body);

  return {
    url,
    tokenUrl: `${url}/token`,
    authorizeUrl: `${url}/authorize`,
    protectedUrl: `${url}/protected`,
    counts: () => control('GET', '/_test/counts'),
    reset: () => control('POST', '/_test/reset', {}),
    config: (cfg) => control('POST', '/_test/config', cfg),
    fail: (f) => control('POST', '/_test/fail', f),
    deny: (d = { error: 'access_denied' }) => control('POST', '/_test/deny', d),
    revokeAccessTokens: () => control('POST', '/_test/revoke_access_tokens', {}),
    revokeRefreshTokens: () => control('POST', '/_test/revoke_refresh_tokens', {}),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * startMcpServer runs build/mcp-test-server with -watch-stdin (a
 * bearer-protected MCP server and its own authorization server) and resolves
 * to {mcp, sse, as, asCounts(), asConfig(cfg), mcpCounts(), close()}.
 */
async function startMcpServer(args = []) {
  const child = spawn(MCP_SERVER_BIN, ['-watch-stdin', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ep = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('MCP test server did not start in 10 s')), 10_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line));
      } catch (err) {
        reject(new Error(`MCP test server printed ${line}: ${err.message}`));
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${MCP_SERVER_BIN}: ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`MCP test server exited with ${code} before printing its endpoints`));
    });
  });
  child.stdout.resume();

  const mcpOrigin = new URL(ep.mcp).origin;
  const asBase = ep.as.replace(/\/$/, '');

  return {
    mcp: ep.mcp,
    sse: ep.sse,
    as: asBase,
    asCounts: () => controlRequest(asBase, 'GET', '/_test/counts'),
    asConfig: (cfg) => controlRequest(asBase, 'POST', '/_test/config', cfg),
    mcpCounts: () => controlRequest(mcpOrigin, 'GET', '/_test/mcp_counts'),
    migrateAS: () => controlRequest(mcpOrigin, 'POST', '/_test/migrate_as', {}),
    workloadToken: (sub) => controlRequest(asBase, 'POST', '/_test/workload_token', { sub }),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** clientConfig is the confidential test client's configuration. */
function clientConfig(server, extra = {}) {
  return { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token_url: server.tokenUrl, ...extra };
}

/** closedPort returns a loopback port with nothing listening on it. */
async function closedPort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** authorizeRedirect follows /authorize headlessly and returns its Location. */
async function authorizeRedirect(url) {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
  return new URL(location, url).toString();
}

/**
 * ccSession starts a test MCP server and connects a client-credentials
 * McpClient to it; close() ends all three.
 */
async function ccSession() {
  const { OAuthTokenManager, McpClient } = require('..');
  const server = await startMcpServer();
  const manager = new OAuthTokenManager({ server_url: server.mcp, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, issuer: server.as });
  const client = await McpClient.connect(manager, server.mcp, { timeoutSeconds: 20 });
  return {
    client,
    async close() {
      await client.close();
      manager.close();
      await server.close();
    },
  };
}

module.exports = {
  ccSession,
  controlRequest,
  PACKAGE_ROOT,
  REPO_ROOT,
  SERVER_BIN,
  MCP_SERVER_BIN,
  CLIENT_ID,
  CLIENT_SECRET,
  PUBLIC_CLIENT_ID,
  sleep,
  until,
  startServer,
  startMcpServer,
  clientConfig,
  closedPort,
  authorizeRedirect,
};
