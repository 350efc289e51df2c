'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { generateCodeVerifier, generateCodeChallenge, libraryVersion, InvalidArgumentError } = require('..');

test('RFC 7636 Appendix B test vector', () => {
  assert.equal(
    generateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  );
});

test('verifiers are 43 unreserved characters and unique', () => {
  const seen = new Set();
  for (let i = 0; i < 50; i++) {
    const v = generateCodeVerifier();
    assert.match(v, /^[A-Za-z0-9\-._~]{43}$/);
    assert.match(generateCodeChallenge(v), /^[A-Za-z0-9_-]{43}$/);
    seen.add(v);
  }
  assert.equal(seen.size, 50);
});

test('invalid verifiers are refused', () => {
  for (const v of ['', 'short', 'a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(43)}!`, `${'é'.repeat(43)}`]) {
    assert.throws(() => generateCodeChallenge(v), InvalidArgumentError, JSON.stringify(v));
  }
  assert.equal(generateCodeChallenge('a'.repeat(128)).length, 43);
});

test('the library reports a compatible version', () => {
  assert.match(libraryVersion(), /^0\.\d+\.\d+/);
});
