'use strict';
// The configuration in Node style (issue 16): camelCase keys as well as the
// engine's snake_case members, from one table generated from core's Config
// (lib/configkeys.js); a member given both ways, or an unknown key, is a
// ConfigError naming it.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { OAuthTokenManager, ConfigError, MultiServerMcpClient } = require('..');
const { CAMEL_KEYS } = require('../lib/configkeys.js');
const { startServer, CLIENT_ID, CLIENT_SECRET } = require('./helpers.js');

let server;
const managers = [];
function manager(config) {
  const m = new OAuthTokenManager(config);
  managers.push(m);
  return m;
}

test.before(async () => {
  server = await startServer();
});
test.after(async () => {
  for (const m of managers) await m.close();
  await server.close();
});

test('camelCase keys configure the manager', async () => {
  const m = manager({
    clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: server.tokenUrl,
    scopes: ['mcp:read'], httpTimeoutSeconds: 5, tokenEndpointAuthMethod: 'client_secret_post',
  });
  assert.match(await m.getToken(), /^at_/);
});

test('the two spellings mix, one per member', async () => {
  const m = manager({ clientId: CLIENT_ID, client_secret: CLIENT_SECRET, token_url: server.tokenUrl, refreshMarginSeconds: 10 });
  assert.match(await m.getToken(), /^at_/);
  // undefined / null in one spelling is "not set": no conflict.
  manager({ clientId: CLIENT_ID, client_id: undefined, client_secret: CLIENT_SECRET, tokenUrl: server.tokenUrl, token_url: null });
});

test('a member given both ways is a ConfigError naming it', () => {
  assert.throws(
    () => new OAuthTokenManager({ clientId: 'a', client_id: 'a', client_secret: 's', token_url: server.tokenUrl }),
    (err) => err instanceof ConfigError && err.field === 'client_id' && /clientId/.test(err.message) && /client_id/.test(err.message),
  );
  assert.throws(
    () => new OAuthTokenManager({ client_id: 'a', client_secret: 's', token_url: server.tokenUrl, httpTimeoutSeconds: 1, http_timeout_seconds: 2 }),
    (err) => err instanceof ConfigError && err.field === 'http_timeout_seconds',
  );
});

test('an unknown key, in either style, is still a ConfigError naming it', () => {
  for (const bogus of ['clientIdd', 'client_idd', 'ClientId', 'client-id']) {
    assert.throws(
      () => new OAuthTokenManager({ client_id: 'a', client_secret: 's', token_url: server.tokenUrl, [bogus]: 'x' }),
      (err) => err instanceof ConfigError && err.field === bogus,
      bogus,
    );
  }
});

test("a MultiServerMcpClient's auth configuration takes camelCase keys", async () => {
  const multi = new MultiServerMcpClient({
    a: { url: 'http://127.0.0.1:9/mcp', auth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: server.tokenUrl } },
  });
  assert.match(await multi.manager('a').getToken(), /^at_/);
  await multi.close();
  assert.throws(() => new MultiServerMcpClient({ a: { url: 'http://127.0.0.1:9/mcp', auth: { serverUrl: 'http://127.0.0.1:9/mcp', server_url: 'http://127.0.0.1:9/mcp' } } }),
    (err) => err instanceof ConfigError && err.field === 'server_url');
});

test('the camelCase table maps each multi-word member of McpOAuthConfigFields, mechanically', () => {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  const block = dts.slice(dts.indexOf('export interface McpOAuthConfigFields {'));
  const members = [...block.slice(0, block.indexOf('\n}')).matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]);
  assert.ok(members.includes('idp_client_id') && members.includes('client_id'));
  const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  assert.deepEqual(CAMEL_KEYS, Object.fromEntries(members.filter((m) => m.includes('_')).map((m) => [camel(m), m])));
});
