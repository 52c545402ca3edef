import "server-only";
import { randomBytes } from "node:crypto";
import { API_KEY_ENV, catalogPropertiesFile, createCatalogSql } from "@/lib/catalog-properties";
import { apiKeyNameSchema, integrationSettingsSchema, type IntegrationSettingsInput } from "@/lib/validations/integration";
import type { Actor } from "./actor";
import { requireRole } from "./actor";
import { getDb } from "./db";
import { ConflictError, NotFoundError, UpstreamError } from "./errors";
import { governanceWrite, type Tx } from "./governance";
import { parseInput } from "./handlers";
import { acceptsClaimedUser, runStatement, TrinoAdminError, trinoInfo } from "./trino-admin";
import { hashApiKey } from "./view-api";

export interface IntegrationSettings {
  trinoUrl: string;
  serviceUser: string;
  governedCatalog: string;
  consoleUrl: string;
}

/** The singleton integration row, created with a fresh per-installation HASH key on first use. */
export async function getIntegration(db?: Tx) {
  const client = db ?? (await getDb());
  const existing = await client.integration.findUnique({ where: { id: 1 } });
  if (existing) return existing;
  return client.integration.upsert({
    where: { id: 1 },
    create: { id: 1, hashKey: randomBytes(32).toString("hex") },
    update: {},
  });
}

export async function getIntegrationSettings(): Promise<IntegrationSettings> {
  const { trinoUrl, serviceUser, governedCatalog, consoleUrl } = await getIntegration();
  return { trinoUrl, serviceUser, governedCatalog, consoleUrl };
}

export async function updateIntegration(actor: Actor, raw: IntegrationSettingsInput): Promise<IntegrationSettings> {
  requireRole(actor, ["ADMIN"]);
  const input = parseInput(integrationSettingsSchema, raw);
  await getIntegration();
  const row = await governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.integration.update({ where: { id: 1 }, data: input }),
    () => ({ action: "integration.update", targetType: "integration", targetId: "1", details: { ...input } }),
  );
  return { trinoUrl: row.trinoUrl, serviceUser: row.serviceUser, governedCatalog: row.governedCatalog, consoleUrl: row.consoleUrl };
}

export function generateApiKey(): string {
  return `stw_${randomBytes(24).toString("base64url")}`;
}

/** Returns the key in clear exactly once; only its SHA-256 is stored. */
export async function createApiKey(actor: Actor, rawName: string, plaintext = generateApiKey()) {
  requireRole(actor, ["ADMIN"]);
  const { name } = parseInput(apiKeyNameSchema, { name: rawName });
  // No epoch bump: a snapshot looks an unknown hash up once (lib/server/view-snapshot.ts, authenticate), so adding a
  // key need not drop every process's compiled views and every connector's cache. Revoking does bump.
  const row = await governanceWrite(
    actor,
    { bumpEpoch: false },
    (tx) => tx.apiKey.create({ data: { name, prefix: plaintext.slice(0, 8), hash: hashApiKey(plaintext), createdById: actor.id } }),
    (k) => ({ action: "apikey.create", targetType: "apiKey", targetId: k.id, details: { name } }),
  );
  return { id: row.id, name: row.name, prefix: row.prefix, key: plaintext };
}

export async function revokeApiKey(actor: Actor, id: string) {
  requireRole(actor, ["ADMIN"]);
  const db = await getDb();
  const key = await db.apiKey.findUnique({ where: { id } });
  if (!key) throw new NotFoundError("No such API key.");
  if (key.revokedAt) return;
  // The epoch moves in the same transaction: every console process drops the key at its next request.
  await governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } }),
    () => ({ action: "apikey.revoke", targetType: "apiKey", targetId: id, details: { name: key.name } }),
  );
}

export async function listApiKeys(actor: Actor) {
  requireRole(actor, ["ADMIN"]);
  const db = await getDb();
  return db.apiKey.findMany({
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: "desc" },
  });
}

export type ConnectionTest =
  | { ok: true; version: string; user: string; catalogs: string[]; governedCatalogExists: boolean; authenticates: boolean }
  | { ok: false; error: string };

/**
 * Checks the given settings (not yet saved, so the form can test before saving): Trino's version from
 * /v1/info, then `SELECT 1` and the catalog list through trino-client as the service user.
 */
export async function testTrinoConnection(actor: Actor, raw: IntegrationSettingsInput): Promise<ConnectionTest> {
  requireRole(actor, ["ADMIN"]);
  const s = parseInput(integrationSettingsSchema, raw);
  try {
    const info = await trinoInfo(s.trinoUrl);
    if (info.starting) return { ok: false, error: `Trino ${info.version} at ${s.trinoUrl} is still starting; try again in a moment.` };
    const one = await runStatement(s.trinoUrl, s.serviceUser, "SELECT 1");
    if (Number(one.rows[0]?.[0]) !== 1) return { ok: false, error: "SELECT 1 did not return 1." };
    const catalogs = (await runStatement(s.trinoUrl, s.serviceUser, "SHOW CATALOGS")).rows.map((r) => String(r[0]));
    // Enforcement assumes Trino authenticates: if anyone may claim the service user, everything is readable.
    const authenticates = !(await acceptsClaimedUser(s.trinoUrl, s.serviceUser));
    return { ok: true, version: info.version, user: s.serviceUser, catalogs, governedCatalogExists: catalogs.includes(s.governedCatalog), authenticates };
  } catch (error) {
    if (error instanceof TrinoAdminError) return { ok: false, error: error.message };
    throw error;
  }
}

/** The catalog file to deploy by hand and the statement the button runs: the key is `${ENV:STEWARD_API_KEY}`. */
export async function describeGovernedCatalog(actor: Actor) {
  requireRole(actor, ["ADMIN"]);
  const s = await getIntegrationSettings();
  const config = { catalog: s.governedCatalog, consoleUrl: s.consoleUrl, apiKeyEnv: API_KEY_ENV, serviceUser: s.serviceUser };
  return {
    catalog: s.governedCatalog,
    apiKeyEnv: API_KEY_ENV,
    fileName: `etc/catalog/${s.governedCatalog}.properties`,
    properties: catalogPropertiesFile(config),
    sql: createCatalogSql(config),
  };
}

/**
 * Runs CREATE CATALOG on Trino (needs `catalog.management=dynamic`) as the service user. The statement names the
 * API key only as `${ENV:STEWARD_API_KEY}` (Trino records every statement's text, so a key in it would be readable
 * in system.runtime.queries, the web UI and any event listener); Trino resolves it from its coordinator's
 * environment. Then one listing through the new catalog proves the key in that environment is accepted.
 */
export async function createGovernedCatalog(actor: Actor): Promise<{ catalog: string; apiKeyEnv: string; keyAccepted: boolean; keyProblem?: string }> {
  requireRole(actor, ["ADMIN"]);
  const s = await getIntegrationSettings();
  const sql = createCatalogSql({ catalog: s.governedCatalog, consoleUrl: s.consoleUrl, apiKeyEnv: API_KEY_ENV, serviceUser: s.serviceUser });
  try {
    await runStatement(s.trinoUrl, s.serviceUser, sql);
  } catch (error) {
    if (!(error instanceof TrinoAdminError)) throw error;
    if (/already exists/i.test(error.message)) throw new ConflictError(`Trino already has a catalog named ${s.governedCatalog}. Drop it first, or choose another name.`);
    if (new RegExp(`${API_KEY_ENV}`).test(error.message) && /environment|not set/i.test(error.message)) {
      throw new UpstreamError(
        `Trino's coordinator has no environment variable ${API_KEY_ENV}: set it to an API key created below and restart Trino, then create the catalog. (${error.message})`,
      );
    }
    if (/CATALOG_NOT_AVAILABLE|dynamic|not supported/i.test(error.message)) {
      throw new UpstreamError(`Trino cannot create catalogs here (${error.message}). Start it with catalog.management=dynamic, or deploy the properties file by hand.`);
    }
    throw new UpstreamError(`Trino did not create the catalog: ${error.message}`);
  }
  await governanceWrite(
    actor,
    { bumpEpoch: false },
    async () => null,
    () => ({
      action: "catalog.create",
      targetType: "catalog",
      targetId: s.governedCatalog,
      details: { trinoUrl: s.trinoUrl, consoleUrl: s.consoleUrl, serviceUser: s.serviceUser, apiKeyEnv: API_KEY_ENV },
    }),
  );
  // The connector calls the console with the key from Trino's environment: a listing shows whether it works.
  try {
    await runStatement(s.trinoUrl, s.serviceUser, `SHOW SCHEMAS FROM ${s.governedCatalog}`);
    return { catalog: s.governedCatalog, apiKeyEnv: API_KEY_ENV, keyAccepted: true };
  } catch (error) {
    if (!(error instanceof TrinoAdminError)) throw error;
    return { catalog: s.governedCatalog, apiKeyEnv: API_KEY_ENV, keyAccepted: false, keyProblem: error.message };
  }
}
