// checks.js <dir> — prints why the scenario whose results are in <dir> failed
// by its checks, one reason a line, or nothing when they passed: the
// scenario's one checks.json must be readable, hold no FAILURE or WARNING
// and at least one SUCCESS (an empty list proves nothing). Used by run.sh.
'use strict';
const fs = require('fs');
const path = require('path');

const found = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name === 'checks.json') found.push(p);
  }
})(process.argv[2]);

if (found.length !== 1) {
  console.log(`${found.length} checks.json files`);
  process.exit(0);
}
let checks;
try {
  checks = JSON.parse(fs.readFileSync(found[0], 'utf8'));
} catch {
  console.log('unreadable checks.json');
  process.exit(0);
}
for (const c of checks) {
  if (c.status === 'FAILURE' || c.status === 'WARNING') console.log(`${c.id}:${c.status}`);
}
if (!checks.some((c) => c.status === 'SUCCESS')) console.log('no successful check');
