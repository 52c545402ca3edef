import "server-only";
import { callTrino, describeUnreachable, TrinoRefusedError, type TrinoRows } from "./trino-client";

// Statements Settings runs on Trino as the service user (test connection, CREATE CATALOG), against the URL in
// the form rather than the saved one; every failure becomes a TrinoAdminError with a message to show.

export class TrinoAdminError extends Error {}

const TIMEOUT_MS = 15_000;

export type StatementResult = TrinoRows;

export async function runStatement(server: string, user: string, sql: string): Promise<StatementResult> {
  try {
    return await callTrino({ server, user, sql, timeoutMs: TIMEOUT_MS });
  } catch (error) {
    if (error instanceof TrinoRefusedError) throw new TrinoAdminError(error.message);
    throw new TrinoAdminError((error as Error).message);
  }
}
/**
 * Whether Trino lets a client claim `user` with no credential: POST /v1/statement with X-Trino-User only. An
 * authenticating Trino answers 401 (https) or 403 "Authentication over HTTP is not enabled" (http); anything
 * that accepts the statement does not authenticate, so anybody can be the service user and read every backing
 * table. The accepted probe (SELECT 1) is cancelled at once.
 */
export async function acceptsClaimedUser(server: string, user: string): Promise<boolean> {
  let res: Response;
  try {
    res = await fetch(`${server}/v1/statement`, {
      method: "POST",
      body: "SELECT 1",
      headers: { "X-Trino-User": user, "X-Trino-Source": "steward-auth-probe" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new TrinoAdminError(describeUnreachable(error, server));
  }
  if (res.status !== 200) return false;
  const body = (await res.json().catch(() => null)) as { nextUri?: string } | null;
  if (body?.nextUri) await fetch(body.nextUri, { method: "DELETE", headers: { "X-Trino-User": user } }).catch(() => undefined);
  return true;
}

/** The version from `/v1/info` (no user needed), and whether the coordinator finished starting. */
export async function trinoInfo(server: string): Promise<{ version: string; starting: boolean }> {
  let res: Response;
  try {
    res = await fetch(`${server}/v1/info`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError") throw new TrinoAdminError(`Trino at ${server} did not answer within ${TIMEOUT_MS / 1000} s.`);
    throw new TrinoAdminError(describeUnreachable({ code: e.cause?.code, message: e.cause?.message ?? e.message }, server));
  }
  if (!res.ok) throw new TrinoAdminError(`Trino at ${server} answered HTTP ${res.status} on /v1/info: is this a Trino server?`);
  const body = (await res.json().catch(() => null)) as { nodeVersion?: { version?: string }; starting?: boolean } | null;
  if (!body?.nodeVersion?.version) throw new TrinoAdminError(`${server}/v1/info did not look like Trino's.`);
  return { version: body.nodeVersion.version, starting: Boolean(body.starting) };
}
