import "server-only";
import { Trino } from "trino-client";

// The one loop over trino-client that every console caller shares. trino-client reports Trino's errors as
// `page.error` (not thrown) and has no timeout; here both become typed errors: TrinoRefusedError (Trino
// analysed or ran the statement and said no) and TrinoUnreachableError (it could not be asked in time).

export interface TrinoCall {
  server: string;
  /** Sent as X-Trino-User; a fresh client per call, so users never share a header. */
  user: string;
  /**
   * Who authenticates (the integration's service user); when it differs from `user`, Trino checks that it may
   * impersonate `user` (only the service user may: scripts/trino/access-rules.json). Default: `user`.
   */
  principal?: string;
  sql: string;
  source?: string;
  /** Keep at most this many rows, then cancel the query. */
  maxRows?: number;
  timeoutMs?: number;
  /** Ask for exact datetime types: without it Trino reports timestamp(3) as "timestamp". */
  parametricDatetime?: boolean;
}

export interface TrinoRows {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  truncated: boolean;
}

export class TrinoRefusedError extends Error {
  override name = "TrinoRefusedError";
  constructor(
    readonly errorName: string,
    readonly errorType: string,
    readonly trinoMessage: string,
    readonly location: { line: number; column: number } | undefined,
  ) {
    super(`${errorName}: ${trinoMessage}`);
  }
}

export class TrinoUnreachableError extends Error {
  override name = "TrinoUnreachableError";
}

export function describeUnreachable(error: unknown, server: string): string {
  const e = error as { code?: string; message?: string; response?: { status?: number } };
  const why =
    e.code === "ECONNREFUSED"
      ? "the connection was refused (is Trino running on that port?)"
      : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
        ? "its host name does not resolve"
        : e.code === "ECONNRESET"
          ? "it closed the connection"
          : e.response?.status
            ? `it answered HTTP ${e.response.status}`
            : (e.message ?? String(error));
  return `Trino at ${server} is not reachable: ${why}`;
}

/**
 * The service user's password for an authenticating Trino (STEWARD_TRINO_PASSWORD, known only to the console and
 * whoever runs Trino). Sent only over https: a password on plain http would cross the network in clear.
 */
export function trinoAuthorization(server: string, principal: string): string | undefined {
  const password = process.env.STEWARD_TRINO_PASSWORD;
  if (!password) return undefined;
  if (!server.toLowerCase().startsWith("https:")) {
    throw new TrinoUnreachableError(`Trino at ${server} is plain http: Steward sends the service user's password only over https`);
  }
  return `Basic ${Buffer.from(`${principal}:${password}`).toString("base64")}`;
}

export async function callTrino(call: TrinoCall): Promise<TrinoRows> {
  const timeoutMs = call.timeoutMs ?? 30_000;
  const headers: Record<string, string> = { "X-Trino-User": call.user };
  // Set by hand rather than with trino-client's BasicAuth, which would overwrite X-Trino-User with the principal.
  const authorization = trinoAuthorization(call.server, call.principal ?? call.user);
  if (authorization) headers.Authorization = authorization;
  if (call.parametricDatetime) headers["X-Trino-Client-Capabilities"] = "PARAMETRIC_DATETIME";
  const trino = Trino.create({ server: call.server, source: call.source ?? "steward-console", extraHeaders: headers });
  let queryId: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (queryId) void trino.cancel(queryId).catch(() => undefined);
      reject(new TrinoUnreachableError(`Trino at ${call.server} did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
  });
  const run = async (): Promise<TrinoRows> => {
    let pages;
    try {
      pages = await trino.query(call.sql);
    } catch (error) {
      throw new TrinoUnreachableError(describeUnreachable(error, call.server));
    }
    let columns: TrinoRows["columns"] | undefined;
    const rows: unknown[][] = [];
    let truncated = false;
    try {
      for await (const page of pages) {
        queryId ??= page.id;
        if (page.error) {
          const e = page.error as { errorName: string; errorType: string; message: string; errorLocation?: { lineNumber: number; columnNumber: number } };
          const loc = e.errorLocation ? { line: e.errorLocation.lineNumber, column: e.errorLocation.columnNumber } : undefined;
          throw new TrinoRefusedError(e.errorName, e.errorType, e.message, loc);
        }
        columns ??= page.columns?.map((c) => ({ name: c.name, type: c.type }));
        for (const row of (page.data as unknown[][] | undefined) ?? []) {
          if (call.maxRows === undefined || rows.length < call.maxRows) rows.push(row);
          else truncated = true;
        }
        if (truncated) {
          if (page.id) await trino.cancel(page.id).catch(() => undefined);
          break;
        }
      }
    } catch (error) {
      if (error instanceof TrinoRefusedError) throw error;
      throw new TrinoUnreachableError(describeUnreachable(error, call.server));
    }
    return { columns: columns ?? [], rows, truncated };
  };
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
