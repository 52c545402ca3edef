#!/usr/bin/env node
// Serves the built console (what `next start` does), with one difference: the client's address is the socket's.
// `next start` keeps an X-Forwarded-For the client sent (it only fills the header when absent), so a client
// could pick a new address for every sign-in attempt and never meet the per-address throttle. Here the header
// is replaced by the socket address, unless STEWARD_TRUSTED_PROXY=1 says a reverse proxy in front appends the
// real client address itself (then the last entry is the proxy's view, which lib/server/auth.ts reads).
//
// The connector's GETs under /api/trino/v1/ (the hot path of every Trino query) are answered by the same handlers
// Next's routes export, registered by instrumentation.ts, without going through Next's router (~2 ms a request
// here). STEWARD_VIEW_API_FAST_LANE=0 sends them through Next like everything else.
//
//   HOST=127.0.0.1 PORT=3000 node scripts/serve.mjs      (after `next build`)
import http from "node:http";
import path from "node:path";
import next from "next";

const dir = path.resolve(import.meta.dirname, "..");
const hostname = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
const trustProxy = process.env.STEWARD_TRUSTED_PROXY === "1";

const app = next({ dev: false, dir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const fastLane = process.env.STEWARD_VIEW_API_FAST_LANE !== "0";
/** lib/server/view-api-endpoints.ts serveViewApi, once instrumentation.ts has registered it (true: answered) */
const serveViewApi = (req, res) => globalThis[Symbol.for("steward.serveViewApi")]?.(req, res) === true;

const server = http.createServer((req, res) => {
  if (!trustProxy) {
    req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
    delete req.headers["x-real-ip"];
  }
  if (fastLane && req.url?.startsWith("/api/trino/v1/") && serveViewApi(req, res)) return;
  handle(req, res);
});
server.on("error", (error) => {
  console.error(`[serve] ${error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`[serve] Steward console on http://${hostname}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
