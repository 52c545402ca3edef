import "server-only";
import { getIntegrationSettings } from "./integration";
import { callTrino, TrinoRefusedError } from "./trino-client";

// Statements run through Trino as a given user (`X-Trino-User`), the real enforcement path: Trino asks our
// connector for that user's view. Used by "view as user" only. The outcome is returned as a value: a Trino
// error here is a result to show, not a failure of the page.

export interface UserQueryColumn {
  name: string;
  type: string;
}

export type UserQueryResult =
  | { ok: true; columns: UserQueryColumn[]; rows: unknown[][]; truncated: boolean }
  | { ok: false; error: string; errorName?: string };

export async function queryAsUser(user: string, sql: string, opts: { maxRows?: number } = {}): Promise<UserQueryResult> {
  const { trinoUrl, serviceUser } = await getIntegrationSettings();
  try {
    // authenticated as the service user, impersonating `user`: Trino checks and enforces as `user`
    const r = await callTrino({ server: trinoUrl, user, principal: serviceUser, sql, maxRows: opts.maxRows ?? 100, source: "steward-console-preview" });
    return { ok: true, ...r };
  } catch (error) {
    if (error instanceof TrinoRefusedError) return { ok: false, error: error.trinoMessage, errorName: error.errorName };
    return { ok: false, error: `${(error as Error).message}.` };
  }
}
