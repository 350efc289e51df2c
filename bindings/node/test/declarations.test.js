'use strict';
// The koffi declaration table is copied from the header: check it stays so.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { PROTOTYPES, koffiPrototype } = require('../lib/native.js');

const HEADER = path.resolve(__dirname, '..', '..', '..', 'include', 'mcp_oauth.h');
const haveHeader = fs.existsSync(HEADER);
const squash = (s) => s.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();

test('every prototype appears verbatim in include/mcp_oauth.h', { skip: !haveHeader && 'no header (installed package)' }, () => {
  const header = squash(fs.readFileSync(HEADER, 'utf8'));
  for (const [name, proto] of Object.entries(PROTOTYPES)) {
    assert.ok(header.includes(`${squash(proto)};`), `${name}: ${proto}`);
  }
});

test('every function of the header is declared', { skip: !haveHeader && 'no header' }, () => {
  const header = fs.readFileSync(HEADER, 'utf8');
  const declared = new Set(Object.values(PROTOTYPES).map((p) => /(\w+)\(/.exec(p)[1]));
  const inHeader = [...header.matchAll(/^(?:MCP_OAUTH_API )?[a-z][\w\s*]*?\b(mcp_\w+)\s*\(/gm)].map((m) => m[1]);
  assert.ok(inHeader.length >= 13, `found only ${inHeader.join(', ')}`);
  for (const name of inHeader) assert.ok(declared.has(name), `${name} is not declared`);
  assert.equal(declared.size, new Set(inHeader).size);
});

test('the argument order of the header holds: inputs, then outputs, then out_error last', { skip: !haveHeader && 'no header' }, () => {
  // include/mcp_oauth.h's conventions: the handle (if any), the inputs, the
  // output parameters (`out...`), the optional `char **out_error` last.
  const header = squash(fs.readFileSync(HEADER, 'utf8'));
  const protos = [...header.matchAll(/\b(?:int|void|const char \*) ?\*?(mcp_\w+)\(([^)]*)\);/g)];
  assert.ok(protos.length >= 13, `found only ${protos.length}`);
  for (const [, name, args] of protos) {
    const params = args === 'void' ? [] : args.split(',').map((a) => /(\w+)$/.exec(a.trim())[1]);
    const firstOut = params.findIndex((p) => p.startsWith('out'));
    if (firstOut < 0) continue;
    assert.ok(params.slice(firstOut).every((p) => p.startsWith('out')), `${name}(${params.join(', ')}): an input after an output`);
    const err = params.indexOf('out_error');
    assert.ok(err < 0 || err === params.length - 1, `${name}: out_error is not last`);
  }
});

test('koffi adaptations: _Out_ parameters and owned strings', () => {
  assert.equal(
    koffiPrototype(PROTOTYPES.get_token_json),
    'int mcp_oauth_get_token_json(mcp_oauth *h, _Out_ mcp_oauth_owned_str *out_json, _Out_ mcp_oauth_owned_str *out_error)',
  );
  assert.equal(
    koffiPrototype(PROTOTYPES.new),
    'int mcp_oauth_new(const char *config_json, _Out_ mcp_oauth **out, _Out_ mcp_oauth_owned_str *out_error)',
  );
  assert.equal(
    koffiPrototype(PROTOTYPES.generation_ptr),
    'int mcp_oauth_generation_ptr(mcp_oauth *h, _Out_ const uint32_t **out)',
  );
  assert.equal(koffiPrototype(PROTOTYPES.version), PROTOTYPES.version);
  assert.equal(koffiPrototype(PROTOTYPES.invalidate), PROTOTYPES.invalidate);
});

test('index.d.ts declares exactly the runtime exports', () => {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export declare (?:class|function|const) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declared, Object.keys(require('..')).sort());
});
