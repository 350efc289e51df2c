// The ESM entry point exposes the same objects as the CommonJS one.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as ns from 'mcp-oauth-client';
import mcp, { OAuthTokenManager, generateCodeChallenge, McpOAuthError, OAuthError } from 'mcp-oauth-client';

const require = createRequire(import.meta.url);

test('import and require share one module', () => {
  const cjs = require('mcp-oauth-client');
  assert.equal(mcp, cjs);
  assert.equal(OAuthTokenManager, cjs.OAuthTokenManager);
  assert.ok(new OAuthError('x', { code: -6 }) instanceof McpOAuthError);
  assert.equal(generateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  for (const name of Object.keys(cjs)) assert.equal(ns[name], cjs[name], name);
});
