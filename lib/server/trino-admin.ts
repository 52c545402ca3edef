import "server-only";
import { BasicAuth, Trino } from "trino-client";

// Statements Settings runs on Trino as the service user (test connection, CREATE CATALOG). trino-client has
// no timeout option, so each call races a timer; an error Trino reports arrives as `page.error`, not thrown.

export class TrinoAdminError extends Error {}

const TIMEOUT_MS = 15_000;

function explain(error: unknown, server: string): string {
  const e = error as { code?: string; message?: string; response?: { status?: number } };
  if (e.code === "ECONNREFUSED") return `Trino refused the connection at ${server}: is it running on that port?`;
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") return `The host of ${server} could not be resolved.`;
  if (e.code === "ECONNRESET") return `Trino at ${server} closed the connection.`;
  if (e.response?.status) return `Trino at ${server} answered HTTP ${e.response.status}.`;
  return e.message || String(error);
}

async function withTimeout<T>(what: string, p: Promise<T>, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TrinoAdminError(`${what} did not answer within ${ms / 1000} s.`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface StatementResult {
  columns: string[];
  rows: unknown[][];
}

/** Runs one statement as `user`; throws TrinoAdminError with Trino's message (or why it was unreachable). */
export async function runStatement(server: string, user: string, sql: string): Promise<StatementResult> {
  const trino = Trino.create({ server, source: "steward-console", auth: new BasicAuth(user) });
  return withTimeout(`Trino at ${server}`, (async () => {
    let columns: string[] | undefined;
    const rows: unknown[][] = [];
    try {
      for await (const page of await trino.query(sql)) {
        if (page.error) throw new TrinoAdminError(`${page.error.errorName}: ${page.error.message}`);
        columns ??= page.columns?.map((c) => c.name);
        rows.push(...((page.data as unknown[][] | undefined) ?? []));
      }
    } catch (error) {
      if (error instanceof TrinoAdminError) throw error;
      throw new TrinoAdminError(explain(error, server));
    }
    return { columns: columns ?? [], rows };
  })());
}

/** The version from `/v1/info` (no user needed), and whether the coordinator finished starting. */
export async function trinoInfo(server: string): Promise<{ version: string; starting: boolean }> {
  let res: Response;
  try {
    res = await fetch(`${server}/v1/info`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError") throw new TrinoAdminError(`Trino at ${server} did not answer within ${TIMEOUT_MS / 1000} s.`);
    throw new TrinoAdminError(explain({ code: e.cause?.code, message: `Could not reach Trino at ${server}: ${e.cause?.message ?? e.message}` }, server));
  }
  if (!res.ok) throw new TrinoAdminError(`Trino at ${server} answered HTTP ${res.status} on /v1/info: is this a Trino server?`);
  const body = (await res.json().catch(() => null)) as { nodeVersion?: { version?: string }; starting?: boolean } | null;
  if (!body?.nodeVersion?.version) throw new TrinoAdminError(`${server}/v1/info did not look like Trino's.`);
  return { version: body.nodeVersion.version, starting: Boolean(body.starting) };
}
