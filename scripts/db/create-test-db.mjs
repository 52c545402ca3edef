#!/usr/bin/env node
// Create a fresh, empty PostgreSQL database (dropped first if it exists) and print its DATABASE_URL.
//   node scripts/db/create-test-db.mjs steward_test            -> prints postgresql://.../steward_test
//   node scripts/db/create-test-db.mjs --drop steward_test     -> drops it
// Server: PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres). Does not start PostgreSQL.
import { pathToFileURL } from "node:url";
import pg from "pg";

export const DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

function adminUrl() {
  return process.env.PG_ADMIN_URL || DEFAULT_ADMIN_URL;
}

function checkName(name) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name ?? "")) {
    throw new Error(`invalid database name ${JSON.stringify(name)} (use [a-z_][a-z0-9_]*, at most 63 characters)`);
  }
  if (["postgres", "template0", "template1"].includes(name)) throw new Error(`refusing to touch ${name}`);
}

async function withAdmin(fn) {
  const url = adminUrl();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (e) {
    const u = new URL(url);
    throw new Error(`PostgreSQL is not reachable at ${u.host} (${e.code ?? e.message}); is it running?`, { cause: e });
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The DATABASE_URL of database `name` on the admin server. */
export function databaseUrl(name) {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropDatabase(name) {
  checkName(name);
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Drop (if present) and create database `name`; returns its DATABASE_URL. */
export async function createDatabase(name) {
  checkName(name);
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  return databaseUrl(name);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const drop = args[0] === "--drop";
  const name = drop ? args[1] : args[0];
  try {
    if (drop) await dropDatabase(name);
    else console.log(await createDatabase(name));
  } catch (e) {
    console.error(`create-test-db: ${e.message}`);
    process.exit(1);
  }
}
