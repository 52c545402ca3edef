import "server-only";
import { Trino } from "trino-client";
import { requireRole, type Actor } from "./actor";
import { NotFoundError, UpstreamError } from "./errors";
import { getIntegrationSettings } from "./integration";

// The console's Trino client: every statement runs as the integration's service user (the only user that
// may read backing catalogs). trino-client reports Trino's errors as `page.error` (not thrown) and has no
// timeout, so both are handled here and turned into messages an owner can act on.

const TIMEOUT_MS = 30_000;

export interface TableRef {
  catalog: string;
  schema: string;
  table: string;
}

export interface TrinoColumn {
  name: string;
  type: string;
}

export interface TrinoResult {
  columns: string[];
  rows: unknown[][];
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

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;

function unreachable(error: unknown, server: string): UpstreamError {
  const e = error as { code?: string; message?: string; response?: { status?: number } };
  const why =
    e.code === "ECONNREFUSED"
      ? "the connection was refused (is Trino running on that port?)"
      : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
        ? "its host name does not resolve"
        : e.response?.status
          ? `it answered HTTP ${e.response.status}`
          : (e.message ?? String(error));
  return new UpstreamError(`Trino at ${server} is not reachable: ${why}. An admin can check the Trino URL in Settings.`);
}

/** Runs one statement as the service user; a fresh client per statement so the user header is never shared. */
export async function runAsServiceUser(sql: string): Promise<TrinoResult> {
  const { trinoUrl, serviceUser } = await getIntegrationSettings();
  const trino = Trino.create({ server: trinoUrl, source: "steward-console", extraHeaders: { "X-Trino-User": serviceUser } });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamError(`Trino at ${trinoUrl} did not answer within ${TIMEOUT_MS / 1000} s.`)), TIMEOUT_MS);
  });
  const run = async (): Promise<TrinoResult> => {
    let columns: string[] | undefined;
    const rows: unknown[][] = [];
    let pages;
    try {
      pages = await trino.query(sql);
    } catch (error) {
      throw unreachable(error, trinoUrl);
    }
    try {
      for await (const page of pages) {
        if (page.error) {
          const { errorName, message } = page.error;
          if (NOT_FOUND.has(errorName)) throw new NotFoundError(`Trino: ${message}`);
          throw new TrinoQueryError(errorName, `Trino refused the query (${errorName}): ${message}`);
        }
        columns ??= page.columns?.map((c) => c.name);
        rows.push(...((page.data as unknown[][] | undefined) ?? []));
      }
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof UpstreamError) throw error;
      throw unreachable(error, trinoUrl);
    }
    return { columns: columns ?? [], rows };
  };
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
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
