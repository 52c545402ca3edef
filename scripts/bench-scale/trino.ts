// A minimal Trino client for the scale bench: the statement protocol over HTTPS (POST /v1/statement, follow
// nextUri), authenticated as the service user, optionally impersonating a user (X-Trino-User), as the console's
// "View as user" does. Node trusts the instance's certificate through NODE_EXTRA_CA_CERTS (run.sh sets it).

export interface TrinoResult {
  columns: string[];
  rows: unknown[][];
  ms: number;
  queryId: string;
}

export class TrinoError extends Error {
  constructor(
    message: string,
    readonly errorName?: string,
  ) {
    super(message);
  }
}

export interface TrinoTarget {
  url: string;
  password: string;
  serviceUser?: string;
}

export async function trinoQuery(t: TrinoTarget, sql: string, opts: { user?: string; timeoutMs?: number; catalog?: string; schema?: string } = {}): Promise<TrinoResult> {
  const principal = t.serviceUser ?? "steward";
  const headers: Record<string, string> = {
    "X-Trino-User": opts.user ?? principal,
    "X-Trino-Source": "steward-bench-scale",
    Authorization: `Basic ${Buffer.from(`${principal}:${t.password}`).toString("base64")}`,
  };
  if (opts.catalog) headers["X-Trino-Catalog"] = opts.catalog;
  if (opts.schema) headers["X-Trino-Schema"] = opts.schema;
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  const t0 = performance.now();
  const call = async (method: string, url: string, body?: string) => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(url, { method, body, headers, signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) });
      if ([429, 502, 503, 504].includes(res.status) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 1000)));
        continue;
      }
      const text = await res.text();
      if (res.status !== 200) throw new TrinoError(`HTTP ${res.status} from Trino: ${text.slice(0, 300)}`);
      return JSON.parse(text) as {
        id: string;
        nextUri?: string;
        columns?: { name: string }[];
        data?: unknown[][];
        error?: { message: string; errorName: string };
      };
    }
  };
  let r = await call("POST", `${t.url.replace(/\/$/, "")}/v1/statement`, sql);
  const rows: unknown[][] = [];
  let columns: string[] | undefined;
  for (;;) {
    if (r.columns && !columns) columns = r.columns.map((c) => c.name);
    if (r.data) rows.push(...r.data);
    if (r.error) throw new TrinoError(`Query ${r.id} failed: ${r.error.errorName}: ${r.error.message}`, r.error.errorName);
    if (!r.nextUri) break;
    if (Date.now() > deadline) throw new TrinoError(`Query ${r.id} timed out`);
    r = await call("GET", r.nextUri);
  }
  return { columns: columns ?? [], rows, ms: performance.now() - t0, queryId: r.id };
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const toMs = (d: unknown) => {
  const m = /^([\d.]+)\s*(ns|us|ms|s|m|h|d)$/.exec(String(d));
  return m ? Math.round(Number(m[1]) * UNITS[m[2]!]! * 10) / 10 : null;
};

/** Where Trino says a finished query spent its time (GET /v1/query/{id}), in ms. */
export async function queryTimes(t: TrinoTarget, queryId: string): Promise<Record<string, number | null>> {
  const principal = t.serviceUser ?? "steward";
  const res = await fetch(`${t.url.replace(/\/$/, "")}/v1/query/${encodeURIComponent(queryId)}`, {
    headers: { "X-Trino-User": principal, Authorization: `Basic ${Buffer.from(`${principal}:${t.password}`).toString("base64")}` },
  });
  if (!res.ok) return {};
  const s = ((await res.json()) as { queryStats?: Record<string, unknown> }).queryStats ?? {};
  return {
    elapsed: toMs(s.elapsedTime),
    queued: toMs(s.queuedTime),
    analysis: toMs(s.analysisTime),
    planning: toMs(s.planningTime),
    execution: toMs(s.executionTime),
  };
}
