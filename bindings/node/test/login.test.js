'use strict';
// The manager's own login (config member `login`) against the real test
// servers: callers that need a user share one login — the interactive flow
// driven by tests/c/browser.sh as open_command, or the device grant
// auto-approved by the test authorization server.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { OAuthTokenManager, McpClient, AuthorizationRequiredError } = require('..');
const { startServer, startMcpServer, PUBLIC_CLIENT_ID } = require('./helpers.js');

const BROWSER = path.resolve(__dirname, '../../../tests/c/browser.sh');

let server;
const managers = [];
function manager(config) {
  const m = new OAuthTokenManager(config);
  managers.push(m);
  return m;
}

function browserLogin(extra = {}) {
  return {
    client_id: PUBLIC_CLIENT_ID,
    token_url: server.tokenUrl,
    authorize_url: `${server.url}/authorize`,
    redirect_uri: 'http://127.0.0.1:0/callback',
    login: 'browser',
    open_command: BROWSER,
    ...extra,
  };
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
});

test('concurrent getToken calls needing a user share one browser login', async () => {
  const m = manager(browserLogin());
  const tokens = await Promise.all(Array.from({ length: 6 }, () => m.getToken()));
  assert.equal(new Set(tokens).size, 1);
  assert.equal((await server.counts()).authorize, 1);
});

test('login none is the default: the caller is asked', async () => {
  const m = manager(browserLogin({ login: undefined, open_command: undefined }));
  await assert.rejects(m.getToken(), AuthorizationRequiredError);
  assert.equal((await server.counts()).authorize, 0);
});

test('the device login is one grant and shows its code on stderr once', async () => {
  await server.config({ device_interval_ms: 1000, device_auto_approve_polls: 1 });
  // A child process, so that its standard error can be read.
  const script = `
    const { OAuthTokenManager } = require(${JSON.stringify(path.resolve(__dirname, '..'))});
    const m = new OAuthTokenManager(JSON.parse(process.argv[1]));
    Promise.all([1, 2, 3, 4].map(() => m.getToken())).then((t) => {
      process.stdout.write(String(new Set(t).size));
      m.close();
    });`;
  const config = {
    client_id: PUBLIC_CLIENT_ID,
    token_url: server.tokenUrl,
    device_authorization_url: `${server.url}/device_authorization`,
    login: 'device',
  };
  const { stdout, stderr } = await new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, JSON.stringify(config)], { timeout: 60_000 }, (err, stdout, stderr) =>
      (err ? reject(err) : resolve({ stdout, stderr })));
  });
  assert.equal(stdout, '1', 'every caller has the one token');
  assert.equal(stderr.split('enter the code').length - 1, 1, stderr);
  assert.ok(stderr.includes(`${server.url}/device`), stderr);
  assert.equal((await server.counts()).device_authorization, 1);
});

test('an McpClient logs in by itself', async () => {
  const mcp = await startMcpServer();
  try {
    const m = manager({ server_url: mcp.mcp, login: 'browser', open_command: BROWSER });
    const client = await McpClient.connect(m, mcp.mcp);
    try {
      const results = await Promise.all([0, 1, 2].map((i) => client.callTool('echo', { text: String(i) })));
      assert.deepEqual(results.map((r) => r.content[0].text), ['0', '1', '2']);
    } finally {
      await client.close();
    }
    assert.equal((await mcp.asCounts()).authorize, 1);
  } finally {
    await mcp.close();
  }
});

// -- the application's login function (onAuthorizationRequired) -------------

const { authorizeRedirect } = require('./helpers.js');

function codeConfig() {
  return {
    client_id: PUBLIC_CLIENT_ID,
    token_url: server.tokenUrl,
    authorize_url: `${server.url}/authorize`,
    redirect_uri: 'http://127.0.0.1:9/callback',
  };
}

test('onAuthorizationRequired is called once for concurrent getToken calls', async () => {
  const urls = [];
  const m = new OAuthTokenManager(codeConfig(), {
    onAuthorizationRequired: async (url) => {
      urls.push(url);
      return authorizeRedirect(url);
    },
  });
  managers.push(m);
  const tokens = await Promise.all(Array.from({ length: 6 }, () => m.getToken()));
  assert.equal(new Set(tokens).size, 1);
  assert.equal(urls.length, 1);
  assert.equal((await server.counts()).authorize, 1);
});

test('onAuthorizationRequired drives an McpClient', async () => {
  const mcp = await startMcpServer();
  try {
    let calls = 0;
    const m = new OAuthTokenManager({ server_url: mcp.mcp }, {
      onAuthorizationRequired: (url) => {
        calls++;
        return authorizeRedirect(url);
      },
    });
    managers.push(m);
    const client = await McpClient.connect(m, mcp.mcp);
    try {
      assert.equal((await client.callTool('echo', { text: 'x' })).content[0].text, 'x');
    } finally {
      await client.close();
    }
    assert.equal(calls, 1);
  } finally {
    await mcp.close();
  }
});

test('a failing onAuthorizationRequired rejects the call; a bad one is refused', async () => {
  const m = new OAuthTokenManager(codeConfig(), {
    onAuthorizationRequired: async () => { throw new Error('the user closed the window'); },
  });
  managers.push(m);
  await assert.rejects(m.getToken(), /closed the window/);
  const nothing = new OAuthTokenManager(codeConfig(), { onAuthorizationRequired: () => undefined });
  managers.push(nothing);
  await assert.rejects(nothing.getToken(), /redirected to/);
  assert.throws(() => new OAuthTokenManager(codeConfig(), { onAuthorizationRequired: 'xdg-open' }), /must be a function/);
});

test('onDeviceAuthorization shows the code once for concurrent getToken calls', async () => {
  await server.config({ device_interval_ms: 1000, device_auto_approve_polls: 1 });
  const shown = [];
  const m = new OAuthTokenManager({
    client_id: PUBLIC_CLIENT_ID,
    token_url: server.tokenUrl,
    device_authorization_url: `${server.url}/device_authorization`,
  }, { onDeviceAuthorization: (d) => { shown.push(d); } });
  managers.push(m);
  const tokens = await Promise.all(Array.from({ length: 4 }, () => m.getToken()));
  assert.equal(new Set(tokens).size, 1);
  assert.equal(shown.length, 1);
  assert.equal(shown[0].verificationUri, `${server.url}/device`);
  assert.equal((await server.counts()).device_authorization, 1);
  assert.throws(() => new OAuthTokenManager(codeConfig(), {
    onDeviceAuthorization: () => {}, onAuthorizationRequired: (u) => u,
  }), /not both/);
});
