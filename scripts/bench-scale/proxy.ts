// A counting reverse proxy between Trino's steward connector and the console: the governed catalog's
// steward.console-url points here, every request is forwarded to the console being measured (switchable), and
// each is counted under its path pattern (user, schema and view names replaced by {user}, {schema}, {view}).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface CountingProxy {
  port: number;
  setTarget(port: number): void;
  reset(): void;
  /** requests since the last reset, by pattern ("GET /api/trino/v1/epoch") */
  counts(): Record<string, number>;
  total(): number;
  /** distinct concrete paths seen since the last reset, with their counts */
  paths(): Record<string, number>;
  /** milliseconds from a request's arrival to the end of the console's answer, summed by pattern since the last reset */
  millis(): Record<string, number>;
  close(): Promise<void>;
}

export function pathPattern(method: string, rawUrl: string): string {
  const url = new URL(rawUrl, "http://x");
  const parts = url.pathname.split("/");
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] === "users" && parts[i + 1]) parts[i + 1] = "{user}";
    else if (parts[i] === "schemas" && parts[i + 1]) parts[i + 1] = "{schema}";
    else if (parts[i] === "views" && parts[i + 1]) parts[i + 1] = "{view}";
  }
  const query = [...url.searchParams.keys()].sort().join("&");
  return `${method} ${parts.join("/")}${query ? `?${query}` : ""}`;
}

export async function startCountingProxy(port: number): Promise<CountingProxy> {
  let target = 0;
  let byPattern = new Map<string, number>();
  let byPath = new Map<string, number>();
  let msByPattern = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    const key = pathPattern(req.method ?? "GET", req.url ?? "/");
    byPattern.set(key, (byPattern.get(key) ?? 0) + 1);
    const t0 = performance.now();
    const timings = msByPattern;
    res.on("finish", () => timings.set(key, (timings.get(key) ?? 0) + performance.now() - t0));
    const concrete = `${req.method} ${req.url}`;
    byPath.set(concrete, (byPath.get(concrete) ?? 0) + 1);
    const upstream = http.request(
      { host: "127.0.0.1", port: target, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${target}` }, agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", (e) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `bench proxy: ${e.message}` }));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    setTarget: (p) => {
      target = p;
    },
    reset: () => {
      byPattern = new Map();
      byPath = new Map();
      msByPattern = new Map();
    },
    counts: () => Object.fromEntries([...byPattern].sort()),
    total: () => [...byPattern.values()].reduce((a, b) => a + b, 0),
    paths: () => Object.fromEntries([...byPath].sort()),
    millis: () => Object.fromEntries([...msByPattern].sort().map(([k, v]) => [k, Math.round(v * 10) / 10])),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
