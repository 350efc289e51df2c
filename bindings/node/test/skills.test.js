'use strict';
// The skills extension (SEP-2640) through McpClient against the real
// build/mcp-test-server, which serves the skill "greeting".

const test = require('node:test');
const assert = require('node:assert/strict');
const { ConfigError } = require('..');
const { ccSession } = require('./helpers.js');

let session;
let client;

test.before(async () => {
  session = await ccSession();
  ({ client } = session);
});
test.after(() => session.close());

test('skills (SEP-2640): list, then load one verified', async () => {
  const { skills } = await client.listSkills();
  assert.deepEqual(skills.map((s) => s.uri), ['skill://greeting/SKILL.md']);
  const loaded = await client.loadSkill('skill://greeting/SKILL.md');
  assert.deepEqual(loaded.files.map((f) => f.uri), ['skill://greeting/SKILL.md', 'skill://greeting/references/PHRASES.md']);
  assert.match(loaded.files[0].text, /Say hello\./);
  await assert.rejects(client.loadSkill('skill://nothing/SKILL.md'), ConfigError);
});
