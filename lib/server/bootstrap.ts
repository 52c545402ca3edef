import "server-only";
import { getDb } from "./db";
import { hashApiKey } from "./view-api";
import { getIntegration } from "./integration";

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
  if (key) {
    await db.apiKey.upsert({
      where: { hash: hashApiKey(key) },
      create: { name: "bootstrap (STEWARD_BOOTSTRAP_API_KEY)", prefix: key.slice(0, 8), hash: hashApiKey(key) },
      update: { revokedAt: null },
    });
  }
  const trinoUrl = process.env.STEWARD_TRINO_URL;
  const consoleUrl = process.env.STEWARD_CONSOLE_URL;
  if (trinoUrl || consoleUrl) {
    await db.integration.update({
      where: { id: 1 },
      data: { ...(trinoUrl ? { trinoUrl } : {}), ...(consoleUrl ? { consoleUrl } : {}) },
    });
  }
}
