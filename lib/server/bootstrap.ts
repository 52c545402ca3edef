import "server-only";
import { isUniqueViolation } from "./errors";
import { getDb } from "./db";
import { bumpEpoch, governanceWrite } from "./governance";
import { hashApiKey } from "./view-api";
import { getIntegration } from "./integration";

const BOOTSTRAP_KEY_NAME = "bootstrap (STEWARD_BOOTSTRAP_API_KEY)";

/**
 * Start-up work inside the server process: migrations (via getDb), the integration row, the demo seed
 * when STEWARD_SEED=demo, and a bootstrap API key for the connector when STEWARD_BOOTSTRAP_API_KEY is set.
 */
export async function bootstrap(): Promise<void> {
  const db = await getDb();
  await getIntegration(db);
  if (process.env.STEWARD_SEED === "demo") {
    const { seedDemo } = await import("./seed");
    await seedDemo();
  }
  const key = process.env.STEWARD_BOOTSTRAP_API_KEY;
  if (key) await ensureBootstrapApiKey(key);
  const trinoUrl = process.env.STEWARD_TRINO_URL;
  const consoleUrl = process.env.STEWARD_CONSOLE_URL;
  // the governed catalog's name as Trino's was started with (scripts/trino/start.sh, STEWARD_GOVERNED_CATALOG):
  // compiled views read the HASH key from <name>.steward_internal.hash_key
  const governedCatalog = process.env.STEWARD_GOVERNED_CATALOG;
  if (governedCatalog && !/^[a-z_][a-z0-9_]*$/.test(governedCatalog)) {
    throw new Error(`STEWARD_GOVERNED_CATALOG='${governedCatalog}' is not a plain lower-case catalog name ([a-z_][a-z0-9_]*)`);
  }
  if (trinoUrl || consoleUrl || governedCatalog) {
    await db.$transaction(async (tx) => {
      await tx.integration.update({
        where: { id: 1 },
        data: { ...(trinoUrl ? { trinoUrl } : {}), ...(consoleUrl ? { consoleUrl } : {}), ...(governedCatalog ? { governedCatalog } : {}) },
      });
      // every process's snapshot holds the integration row: a new one applies from the next request
      await bumpEpoch(tx);
    });
  }
}

/**
 * Creates the connector's key from STEWARD_BOOTSTRAP_API_KEY when it is not there (audited, by "system").
 * A key an admin revoked stays revoked, whatever the environment says: set a new key instead.
 */
export async function ensureBootstrapApiKey(key: string): Promise<"created" | "exists" | "revoked"> {
  const db = await getDb();
  const hash = hashApiKey(key);
  const existing = await db.apiKey.findUnique({ where: { hash }, select: { id: true, revokedAt: true } });
  if (existing?.revokedAt) {
    console.warn(
      `[steward] STEWARD_BOOTSTRAP_API_KEY is a key an administrator revoked (${existing.revokedAt.toISOString()}); it stays revoked. Create a new key in Settings or set another value.`,
    );
    return "revoked";
  }
  if (existing) return "exists";
  try {
    await governanceWrite(
      null,
      { bumpEpoch: false },
      (tx) => tx.apiKey.create({ data: { name: BOOTSTRAP_KEY_NAME, prefix: key.slice(0, 8), hash } }),
      (k) => ({ action: "apikey.create", targetType: "apiKey", targetId: k.id, details: { name: BOOTSTRAP_KEY_NAME, source: "STEWARD_BOOTSTRAP_API_KEY" } }),
    );
  } catch (error) {
    // Another console process created it at the same moment.
    if (isUniqueViolation(error)) return "exists";
    throw error;
  }
  return "created";
}
