#!/usr/bin/env node
// Minimal, dependency-free Trino client for scripts (Node >= 20: global fetch).
// Runs each statement through POST /v1/statement, follows nextUri, and fails (exit 1) on the first error.
//
//   node scripts/trino/query.mjs [options] "SQL" ["SQL" ...]
//   node scripts/trino/query.mjs [options] --file seed.sql      (statements split on ';', quotes/comments respected)
//   echo "SELECT 1" | node scripts/trino/query.mjs [options] -
//
// Options (env default in brackets):
//   --server URL     [TRINO_URL, else https://127.0.0.1:$TRINO_PORT, else https://127.0.0.1:8080]
//   --user NAME      [TRINO_USER, else steward]
//   --password PW    [TRINO_PASSWORD; for the service user of a local instance started by scripts/trino/start.sh,
//                    its secrets/service-password]. Trino authenticates every client (password over HTTPS).
//   --cacert FILE    [TRINO_CA_CERT, else the local instance's secrets/trino-cert.pem when the server is
//                    https://127.0.0.1:<port> or https://localhost:<port> and that file exists]
//   --catalog C, --schema S, --source S [steward-query]
//   --format tsv|json|none   tsv (default): header line + rows, tab separated; json: one JSON array per statement
//   --no-header      tsv without the header line
//   --quiet          print nothing for statements without result columns (DDL)
//   --timeout SEC    per statement [300]
// Exit codes: 0 ok, 1 query failed (message on stderr: "Query <id> failed: <ERROR_NAME>: <message>"), 2 usage / connection.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function usage(msg) {
  if (msg) process.stderr.write(`query.mjs: ${msg}\n`);
  process.stderr.write('usage: query.mjs [--server URL] [--user U] [--catalog C] [--schema S] [--format tsv|json|none] [--no-header] [--timeout SEC] (--file F | - | "SQL"...)\n');
  process.exit(2);
}

const opts = {
  server: process.env.TRINO_URL || `https://127.0.0.1:${process.env.TRINO_PORT || 8080}`,
  user: process.env.TRINO_USER || 'steward',
  password: process.env.TRINO_PASSWORD || undefined,
  cacert: process.env.TRINO_CA_CERT || undefined,
  catalog: undefined,
  schema: undefined,
  source: 'steward-query',
  format: 'tsv',
  header: true,
  quiet: false,
  timeout: 300,
};
const sqlParts = [];
let stdinText = '';
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++i];
  };
  switch (a) {
    case '--server': opts.server = val(); break;
    case '--user': opts.user = val(); break;
    case '--password': opts.password = val(); break;
    case '--cacert': opts.cacert = val(); break;
    case '--catalog': opts.catalog = val(); break;
    case '--schema': opts.schema = val(); break;
    case '--source': opts.source = val(); break;
    case '--format': opts.format = val(); break;
    case '--no-header': opts.header = false; break;
    case '--quiet': opts.quiet = true; break;
    case '--timeout': opts.timeout = Number(val()); break;
    case '--file': case '-f': sqlParts.push(readFileSync(val(), 'utf8')); break;
    case '-': stdinText = readFileSync(0, 'utf8'); sqlParts.push(stdinText); break;
    case '-h': case '--help': usage();
    // eslint-disable-next-line no-fallthrough
    default:
      if (a.startsWith('--')) usage(`unknown option ${a}`);
      sqlParts.push(a);
  }
}
if (!['tsv', 'json', 'none'].includes(opts.format)) usage(`bad --format ${opts.format}`);
if (!(opts.timeout > 0)) usage('bad --timeout');

// Split on ';' outside '...' strings, "..." identifiers, -- line comments and /* */ comments.
function splitStatements(text) {
  const out = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const n = text[i + 1];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === c) {
          if (text[j + 1] === c) { j += 2; continue; } // doubled quote
          break;
        }
        j++;
      }
      cur += text.slice(i, j + 1);
      i = j;
    } else if (c === '-' && n === '-') {
      const j = text.indexOf('\n', i);
      i = j === -1 ? text.length : j;
      cur += '\n';
    } else if (c === '/' && n === '*') {
      const j = text.indexOf('*/', i + 2);
      i = j === -1 ? text.length : j + 1;
      cur += ' ';
    } else if (c === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const statements = sqlParts.flatMap(splitStatements);
if (statements.length === 0) usage('no SQL given');

// A local instance started by start.sh keeps its certificate and the service password under
// .data/trino-<port>/secrets (TRINO_INSTANCE_DIR / TRINO_SECRETS_DIR move it).
const local = /^https:\/\/(127\.0\.0\.1|localhost):(\d+)\/?$/.exec(opts.server);
const repo = path.resolve(import.meta.dirname, '../..');
const secretsDir = local
  ? process.env.TRINO_SECRETS_DIR || path.join(process.env.TRINO_INSTANCE_DIR || path.join(repo, '.data', `trino-${local[2]}`), 'secrets')
  : undefined;
if (!opts.cacert && secretsDir && existsSync(path.join(secretsDir, 'trino-cert.pem'))) opts.cacert = path.join(secretsDir, 'trino-cert.pem');
if (!opts.password && secretsDir && opts.user === 'steward' && existsSync(path.join(secretsDir, 'service-password'))) {
  opts.password = readFileSync(path.join(secretsDir, 'service-password'), 'utf8').trim();
}
// fetch trusts extra CAs only through NODE_EXTRA_CA_CERTS, read at start-up: run again with it set.
if (opts.cacert && process.env.NODE_EXTRA_CA_CERTS !== opts.cacert) {
  const r = spawnSync(process.execPath, process.argv.slice(1), {
    stdio: ['pipe', 'inherit', 'inherit'],
    input: stdinText,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: opts.cacert, ...(opts.password ? { TRINO_PASSWORD: opts.password } : {}) },
  });
  process.exit(r.status ?? 2);
}
if (opts.server.startsWith('http:') && opts.password) {
  usage('refusing to send a password over plain http: use the https URL');
}

const session = new Map(); // X-Trino-Set-Session survives across statements of one invocation
let catalog = opts.catalog;
let schema = opts.schema;

function headers() {
  const h = { 'X-Trino-User': opts.user, 'X-Trino-Source': opts.source };
  if (opts.password) h.Authorization = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
  if (catalog) h['X-Trino-Catalog'] = catalog;
  if (schema) h['X-Trino-Schema'] = schema;
  if (session.size) h['X-Trino-Session'] = [...session].map(([k, v]) => `${k}=${v}`).join(',');
  return h;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function request(method, url, body, deadline) {
  // Retry 502/503/504 (and 429) as the Trino client protocol asks; connection errors fail at once.
  for (let attempt = 0; ; attempt++) {
    let res;
    try {
      res = await fetch(url, { method, body, headers: headers(), signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) });
    } catch (e) {
      const why = e.name === 'TimeoutError' ? `timed out after ${opts.timeout}s` : (e.cause?.code || e.cause?.message || e.message);
      process.stderr.write(`query.mjs: cannot reach Trino at ${opts.server}: ${why}\n`);
      process.exit(2);
    }
    if ([429, 502, 503, 504].includes(res.status) && Date.now() < deadline) {
      await sleep(Math.min(100 * 2 ** attempt, 2000));
      continue;
    }
    const text = await res.text();
    if (res.status !== 200) {
      throw new Error(`HTTP ${res.status} from ${method} ${url}: ${text.slice(0, 500)}`);
    }
    for (const [k, v] of res.headers) {
      if (k === 'x-trino-set-catalog') catalog = v;
      else if (k === 'x-trino-set-schema') schema = v;
      else if (k === 'x-trino-set-session') {
        const eq = v.indexOf('=');
        session.set(v.slice(0, eq).trim(), v.slice(eq + 1).trim());
      } else if (k === 'x-trino-clear-session') session.delete(v.trim());
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`malformed JSON from ${method} ${url}: ${text.slice(0, 200)}`);
    }
  }
}

function cell(v) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v).replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

async function run(sql) {
  const deadline = Date.now() + opts.timeout * 1000;
  let r = await request('POST', `${opts.server.replace(/\/$/, '')}/v1/statement`, sql, deadline);
  let columns;
  const rows = [];
  for (;;) {
    if (r.columns && !columns) columns = r.columns;
    if (r.data) rows.push(...r.data);
    if (r.error) {
      const e = r.error;
      const err = new Error(`Query ${r.id} failed: ${e.errorName || e.errorType || 'ERROR'}: ${e.message}`);
      err.trino = e;
      throw err;
    }
    if (!r.nextUri) break;
    if (Date.now() > deadline) {
      await fetch(r.nextUri, { method: 'DELETE', headers: headers() }).catch(() => {});
      throw new Error(`Query ${r.id} timed out after ${opts.timeout}s`);
    }
    r = await request('GET', r.nextUri, undefined, deadline);
  }
  return { columns: columns || [], rows, updateType: r.updateType, updateCount: r.updateCount };
}

for (const sql of statements) {
  let res;
  try {
    res = await run(sql);
  } catch (e) {
    const first = sql.replace(/\s+/g, ' ').slice(0, 120);
    process.stderr.write(`${e.message}\n  statement: ${first}${sql.length > 120 ? ' ...' : ''}\n`);
    process.exit(1);
  }
  if (opts.format === 'none') continue;
  if (opts.format === 'json') {
    process.stdout.write(JSON.stringify({ columns: res.columns.map((c) => c.name), rows: res.rows, updateType: res.updateType, updateCount: res.updateCount }) + '\n');
    continue;
  }
  const ddl = res.updateType && !['SELECT', 'SHOW', 'EXPLAIN', 'DESCRIBE'].includes(res.updateType) && res.rows.length <= 1;
  if (ddl && opts.quiet) continue;
  if (opts.header && res.columns.length) process.stdout.write(res.columns.map((c) => c.name).join('\t') + '\n');
  for (const row of res.rows) process.stdout.write(row.map(cell).join('\t') + '\n');
}
