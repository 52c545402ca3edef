#!/usr/bin/env node
// Writes Trino's password file (file password authenticator): one `user:iterations:salt:hash` line per user,
// PBKDF2-HMAC-SHA1 in lower-case hex as Trino's EncryptionUtil expects.
//
//   node scripts/trino/password-file.mjs OUT --service-user steward --service-password-file F [--user name:password ...]
//
// The service user's password comes from a file (never from the command line, which other users can read in
// the process list). Demo personas are added with --user; their password is the demo's published one.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const ITERATIONS = 10_000;

function usage(msg) {
  process.stderr.write(`password-file.mjs: ${msg}\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const out = argv.shift();
if (!out) usage('no output file');
const users = new Map();
let serviceUser;
let servicePasswordFile;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => argv[++i] ?? usage(`${a} needs a value`);
  if (a === '--service-user') serviceUser = val();
  else if (a === '--service-password-file') servicePasswordFile = val();
  else if (a === '--user') {
    const v = val();
    const at = v.indexOf(':');
    if (at <= 0) usage(`--user wants name:password, got '${v}'`);
    users.set(v.slice(0, at).toLowerCase(), v.slice(at + 1));
  } else usage(`unknown argument ${a}`);
}
if (!serviceUser || !servicePasswordFile) usage('--service-user and --service-password-file are required');
const servicePassword = readFileSync(servicePasswordFile, 'utf8').trim();
if (servicePassword.length < 16) usage(`${servicePasswordFile} holds no usable password`);
if (users.has(serviceUser)) usage(`--user may not name the service user ${serviceUser}`);
users.set(serviceUser, servicePassword);

export function hashLine(user, password) {
  if (!/^[a-z0-9_.@-]+$/.test(user)) usage(`user name '${user}' has characters Trino's password file cannot hold`);
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha1');
  return `${user}:${ITERATIONS}:${salt.toString('hex')}:${hash.toString('hex')}`;
}

const text = [...users].map(([u, p]) => hashLine(u, p)).join('\n') + '\n';
writeFileSync(`${out}.tmp`, text, { mode: 0o600 });
renameSync(`${out}.tmp`, out);
