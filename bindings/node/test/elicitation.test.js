'use strict';
// Elicitation through McpClient.setElicitationHandler against the real
// build/mcp-test-server, whose tool "ask" sends an elicitation request (a
// form with defaults, or a URL) and returns the answer it received.

const test = require('node:test');
const assert = require('node:assert/strict');
const { InvalidArgumentError } = require('..');
const { ccSession } = require('./helpers.js');

let session;
let client;

test.before(async () => {
  session = await ccSession();
  ({ client } = session);
});
test.after(() => session.close());

async function ask(args = {}) {
  const result = await client.callTool('ask', args);
  assert.ok(!result.isError, JSON.stringify(result));
  return JSON.parse(result.content[0].text);
}

test('without a handler every request is declined at once', async () => {
  assert.equal((await ask()).action, 'decline');
});

test('a function answers a form; omitted fields get the defaults', async () => {
  const seen = [];
  client.setElicitationHandler((request) => {
    seen.push(request);
    return { action: 'accept', content: { name: 'JS' } };
  });
  assert.deepEqual(await ask(), { action: 'accept', content: { name: 'JS', count: 3 } });
  assert.equal(seen[0].mode, 'form');
  assert.equal(seen[0].message, 'Who are you?');
  assert.equal(seen[0].requestedSchema.properties.count.default, 3);
});

test('an async function answers a URL request, awaiting without deadlock', async () => {
  const seen = [];
  client.setElicitationHandler(async (request) => {
    seen.push(request);
    await new Promise((resolve) => setImmediate(resolve));
    // Another call on the same client from inside the handler: all calls run off the main thread.
    await client.listTools();
    return { action: 'accept' };
  });
  const answer = await ask({ url: 'https://example.com/connect' });
  assert.equal(answer.action, 'accept');
  assert.equal(answer.content, null);
  assert.deepEqual(seen[0], { mode: 'url', message: 'Open this page to continue.', url: 'https://example.com/connect', elicitationId: 'ask-1' });
});

test('null declines, a throwing handler or an unsendable answer cancels, null handler declines', async () => {
  client.setElicitationHandler(() => null);
  assert.equal((await ask()).action, 'decline');
  client.setElicitationHandler(async () => { throw new Error('no user here'); });
  assert.equal((await ask()).action, 'cancel');
  client.setElicitationHandler(() => ({ action: 'maybe' }));
  assert.equal((await ask()).action, 'cancel');
  client.setElicitationHandler(null);
  assert.equal((await ask()).action, 'decline');
  assert.throws(() => client.setElicitationHandler('yes'), InvalidArgumentError);
});
