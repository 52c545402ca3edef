import "server-only";
import { requireRole, type Actor } from "./actor";
import { NotFoundError, UpstreamError } from "./errors";
import { getIntegrationSettings } from "./integration";
import { callTrino, TrinoRefusedError, TrinoUnreachableError, type TrinoRows } from "./trino-client";
import { quoteIdent, quoteLiteral } from "@/lib/policy";

// Browsing Trino as the integration's service user (the only user that may read backing catalogs).

export interface TableRef {
  catalog: string;
  schema: string;
  table: string;
}

export interface TrinoColumn {
  name: string;
  type: string;
}

/** Trino answered with an error for the statement (as opposed to being unreachable). */
export class TrinoQueryError extends UpstreamError {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

const NOT_FOUND = new Set(["CATALOG_NOT_FOUND", "SCHEMA_NOT_FOUND", "TABLE_NOT_FOUND", "COLUMN_NOT_FOUND"]);

/** Runs one statement as the service user, mapping Trino's answers to 404 / 502 messages an owner can act on. */
export async function runAsServiceUser(sql: string): Promise<TrinoRows> {
  const { trinoUrl, serviceUser } = await getIntegrationSettings();
  try {
    return await callTrino({ server: trinoUrl, user: serviceUser, sql });
  } catch (error) {
    if (error instanceof TrinoRefusedError) {
      if (NOT_FOUND.has(error.errorName)) throw new NotFoundError(`Trino: ${error.trinoMessage}`);
      throw new TrinoQueryError(error.errorName, `Trino refused the query (${error.errorName}): ${error.trinoMessage}`);
    }
    if (error instanceof TrinoUnreachableError) throw new UpstreamError(`${error.message}. An admin can check the Trino URL in Settings.`);
    throw error;
  }
}

/**
 * Catalogs a data owner may register tables from: all the service user sees except `system` and the
 * governed catalog(s) — the configured one and any other catalog served by our own connector.
 */
async function browsableCatalogs(): Promise<string[]> {
  const { governedCatalog } = await getIntegrationSettings();
  const { rows } = await runAsServiceUser("SELECT catalog_name, connector_name FROM system.metadata.catalogs ORDER BY catalog_name");
  return rows
    .map(([name, connector]) => ({ name: String(name), connector: String(connector) }))
    .filter((c) => c.name !== "system" && c.name.toLowerCase() !== governedCatalog.toLowerCase() && c.connector !== "steward")
    .map((c) => c.name);
}

/** Refuses a catalog that browsing hides, so nobody registers a governed view (or system table) as a source. */
export async function assertBrowsableCatalog(catalog: string): Promise<void> {
  if (!(await browsableCatalogs()).includes(catalog)) {
    throw new NotFoundError(`Catalog '${catalog}' is not available for registration.`);
  }
}

export async function listCatalogs(actor: Actor): Promise<string[]> {
  requireRole(actor, ["DATA_OWNER"]);
  return browsableCatalogs();
}

export async function listSchemas(actor: Actor, catalog: string): Promise<string[]> {
  requireRole(actor, ["DATA_OWNER"]);
  await assertBrowsableCatalog(catalog);
  const { rows } = await runAsServiceUser(
    `SELECT schema_name FROM ${quoteIdent(catalog)}.information_schema.schemata WHERE schema_name <> 'information_schema' ORDER BY schema_name`,
  );
  return rows.map((r) => String(r[0]));
}

export async function listTables(actor: Actor, catalog: string, schema: string): Promise<{ name: string; kind: "table" | "view" }[]> {
  requireRole(actor, ["DATA_OWNER"]);
  await assertBrowsableCatalog(catalog);
  const { rows } = await runAsServiceUser(
    `SELECT table_name, table_type FROM ${quoteIdent(catalog)}.information_schema.tables WHERE table_schema = ${quoteLiteral(schema)} ORDER BY table_name`,
  );
  return rows.map(([name, type]) => ({ name: String(name), kind: String(type).toUpperCase() === "VIEW" ? "view" : "table" }));
}

/**
 * The columns of a backing table as Trino reports them (name and type signature, in order). No actor:
 * callers check their own authorization (browsing needs DATA_OWNER, re-sync needs to manage the source).
 */
export async function readTableColumns(ref: TableRef): Promise<TrinoColumn[]> {
  const { rows } = await runAsServiceUser(
    `SELECT column_name, data_type FROM ${quoteIdent(ref.catalog)}.information_schema.columns ` +
      `WHERE table_schema = ${quoteLiteral(ref.schema)} AND table_name = ${quoteLiteral(ref.table)} ORDER BY ordinal_position`,
  );
  if (rows.length === 0) {
    throw new NotFoundError(`Trino has no table ${ref.catalog}.${ref.schema}.${ref.table} (or the service user cannot see it).`);
  }
  return rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
}

export async function describeTable(actor: Actor, ref: TableRef): Promise<TrinoColumn[]> {
  requireRole(actor, ["DATA_OWNER"]);
  await assertBrowsableCatalog(ref.catalog);
  return readTableColumns(ref);
}
