import "server-only";
import { randomBytes } from "node:crypto";
import type { Actor } from "./actor";
import { requireRole } from "./actor";
import { getDb } from "./db";
import { NotFoundError } from "./errors";
import { governanceWrite, type Tx } from "./governance";
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

export async function updateIntegration(actor: Actor, input: IntegrationSettings): Promise<IntegrationSettings> {
  requireRole(actor, ["ADMIN"]);
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
export async function createApiKey(actor: Actor, name: string, plaintext = generateApiKey()) {
  requireRole(actor, ["ADMIN"]);
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
  await governanceWrite(
    actor,
    { bumpEpoch: false },
    (tx) => tx.apiKey.update({ where: { id }, data: { revokedAt: key.revokedAt ?? new Date() } }),
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
