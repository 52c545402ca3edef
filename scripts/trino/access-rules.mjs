#!/usr/bin/env node
// Prints Trino's file-based access rules (access-rules.json) for a governed catalog named as the admin chose:
// every rule the template writes for `governed|governed_.*` is written for `<name>|<name>_.*` instead.
//
//   node scripts/trino/access-rules.mjs immuta > etc/access-rules.json
import { readFileSync } from 'node:fs';
import path from 'node:path';

const TEMPLATE_CATALOGS = 'governed|governed_.*';
const name = process.argv[2] ?? 'governed';
if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
  process.stderr.write(`access-rules.mjs: '${name}' is not a plain lower-case catalog name ([a-z_][a-z0-9_]*)\n`);
  process.exit(2);
}
const rules = JSON.parse(readFileSync(path.join(import.meta.dirname, 'access-rules.json'), 'utf8'));
let replaced = 0;
const walk = (v) => {
  if (Array.isArray(v)) return v.map(walk);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => {
      if (k === 'catalog' && x === TEMPLATE_CATALOGS) {
        replaced++;
        return [k, `${name}|${name}_.*`];
      }
      return [k, walk(x)];
    }));
  }
  return v;
};
const out = walk(rules);
if (replaced === 0) {
  process.stderr.write(`access-rules.mjs: the template has no rule for '${TEMPLATE_CATALOGS}'\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
