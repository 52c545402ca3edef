import { createHmac } from "node:crypto";
import { Trino } from "trino-client";
import { normalizeType } from "../../lib/policy/sql";
import { TRINO_URL, trinoHeaders } from "./trino";

// Queries for the real-Trino checks of the policy compiler: the column types Trino reports (with the client
// capability PARAMETRIC_DATETIME, so timestamp(3) is reported as such instead of "timestamp"), and the
// reference implementations of the mask methods of policy-model.md, written independently of lib/policy.

export interface TypedResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

export class TrinoQueryFailed extends Error {
  constructor(
    message: string,
    readonly errorName: string,
    readonly sql: string,
  ) {
    super(message);
  }
}

/**
 * Runs one statement as `user`; the reported column types are normalised (`decimal(12, 2)` -> `decimal(12,2)`).
 * `timeZone`: the session time zone (X-Trino-Time-Zone), which any user may choose.
 */
export async function queryTyped(user: string, sql: string, opts: { timeZone?: string } = {}): Promise<TypedResult> {
  const trino = Trino.create({
    server: TRINO_URL,
    source: "steward-e2e-matrix",
    extraHeaders: {
      ...trinoHeaders(user),
      "X-Trino-Client-Capabilities": "PARAMETRIC_DATETIME",
      ...(opts.timeZone ? { "X-Trino-Time-Zone": opts.timeZone } : {}),
    },
  });
  let columns: TypedResult["columns"] | undefined;
  const rows: unknown[][] = [];
  for await (const page of await trino.query(sql)) {
    if (page.error) throw new TrinoQueryFailed(`${page.error.errorName}: ${page.error.message}`, page.error.errorName, sql);
    columns ??= page.columns?.map((c) => ({ name: c.name, type: normalizeType(c.type) }));
    rows.push(...((page.data as unknown[][] | undefined) ?? []));
  }
  return { columns: columns ?? [], rows };
}

/** Runs `tasks` with at most `limit` in flight (Trino here has 2 busy cores: a few at a time is fastest). */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

// ---- reference implementations (policy-model.md), on the value's varchar form ------------------------------

export const redact = (s: string) => s.replace(/[A-Z]/g, "X").replace(/[a-z]/g, "x").replace(/[0-9]/g, "0");

/** Trino's length/substr count code points. */
export function showFirst(s: string, n: number): string {
  const cps = Array.from(s);
  return cps.slice(0, n).join("") + "X".repeat(Math.max(cps.length - n, 0));
}

export function showLast(s: string, n: number): string {
  const cps = Array.from(s);
  const keep = Math.min(n, cps.length);
  return "X".repeat(cps.length - keep) + cps.slice(cps.length - keep).join("");
}

export const hmacHex = (key: string, s: string) => createHmac("sha256", Buffer.from(key, "utf8")).update(Buffer.from(s, "utf8")).digest("hex");

/** Trino's round(double): half away from zero. */
export const roundHalfAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/** -0 and 0 are the same value to a reader; JSON from Trino may carry either. */
export const canon = (v: unknown): unknown => (typeof v === "number" && Object.is(v, -0) ? 0 : v);
