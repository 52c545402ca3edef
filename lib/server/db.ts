// App entry point to the database. The implementation lives in ./db/client (no `server-only`
// there, so scripts and vitest can import it directly).
import "server-only";

export { closeDb, getDb, getDbHandle, openDb, defaultDataDir } from "./db/client";
export type { DbHandle, DbOptions, PrismaClient } from "./db/client";
