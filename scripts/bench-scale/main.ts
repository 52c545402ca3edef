// The scale benchmark (issue #9): `npm run bench:scale [-- options]`. Results go to a file, not to timed tests.
//
// Seeds (through lib/server, see seed.ts) 10,000 data sources, 2,000 policies and 100,000 users with groups and
// attributes into a PostgreSQL database of its own, then measures against a running console and a running Trino
// with the steward connector:
//   - view-definition latency over HTTP (sequential: p50/p99; 32 concurrent connections: throughput, p99)
//   - console calls per Trino query (1 view, a 3-view join, SHOW TABLES, DESCRIBE), cold and cached, counted by a
//     reverse proxy between the connector (steward.console-url) and the console
//   - governed/direct wall-time ratio of a scan of tpch.sf1.orders with one mask and one row filter
//   - policy-save-to-enforced staleness (a policy saved through the console's HTTP API, a governed query polled)
//   - SHOW TABLES with 5,000 visible views, cold and cached
//   - the console's RSS after start, after warm-up and after the load
// With --compare the same measurements run first against the pre-change code (a git worktree at BEFORE_COMMIT,
// its own console build and connector build) and then against the current working tree (a snapshot copy, built),
// on the same seeded database.
//
// Options: --scale F (default 1 = full size)   --compare   --reseed (seed again even if the database exists)
//          --load-seconds N (20)   --requests N (sequential view definitions, 2000)   --reps N (ratio pairs, 7)
//          --keep-trees (keep the worktree and the snapshot with their builds, for the next run)
//          --skip-build (reuse the builds kept by --keep-trees)   --out FILE
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { startCountingProxy, type CountingProxy } from "./proxy";
import { createRealTables, planFor, seed, TPCH_VIEW, type SeedManifest } from "./seed";
import { queryTimes, trinoQuery, type TrinoTarget } from "./trino";

const BEFORE_COMMIT = "2a777e5";
const ROOT = path.resolve(import.meta.dirname, "../..");
const WORK = path.join(ROOT, ".data", "bench-scale");
const LOGS = path.join(WORK, "logs");

// ------------------------------------------------------------------------------------------------------------
// options
// ------------------------------------------------------------------------------------------------------------

function parseArgs(argv: string[]) {
  const o = {
    scale: 1,
    compare: false,
    reseed: false,
    loadSeconds: 20,
    requests: 2000,
    reps: 11,
    keepTrees: false,
    /** measure only these (substrings of the measurement names, comma-separated); empty: all */
    only: [] as string[],
    skipBuild: false,
    out: "",
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--scale") o.scale = Number(val());
    else if (a === "--compare") o.compare = true;
    else if (a === "--reseed") o.reseed = true;
    else if (a === "--load-seconds") o.loadSeconds = Number(val());
    else if (a === "--requests") o.requests = Number(val());
    else if (a === "--reps") o.reps = Number(val());
    else if (a === "--keep-trees") o.keepTrees = true;
    else if (a === "--only") o.only = val().split(",").map((x) => x.trim()).filter(Boolean);
    else if (a === "--skip-build") o.skipBuild = o.keepTrees = true;
    else if (a === "--out") o.out = val();
    else throw new Error(`unknown option ${a} (see the header of scripts/bench-scale/main.ts)`);
  }
  if (!(o.scale > 0 && o.scale <= 1)) throw new Error("--scale takes a number in (0, 1]");
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const ports = {
  trino: Number(process.env.TRINO_PORT ?? 8141),
  console: Number(process.env.STEWARD_BENCH_CONSOLE_PORT ?? 3941),
  proxy: Number(process.env.STEWARD_BENCH_PROXY_PORT ?? 3943),
};
const trino: TrinoTarget = { url: process.env.STEWARD_TRINO_URL ?? "", password: process.env.STEWARD_TRINO_PASSWORD ?? "" };
const startedAt = Date.now();
const log = (s: string) => console.error(`[bench:scale ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)}s] ${s}`);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------------------
// processes
// ------------------------------------------------------------------------------------------------------------

/** Runs a command to completion, output to a log file; throws with the log's tail on failure. */
async function run(cmd: string, args: string[], o: { cwd: string; env?: Record<string, string>; logName: string }): Promise<number> {
  mkdirSync(LOGS, { recursive: true });
  const file = path.join(LOGS, o.logName);
  const out = createWriteStream(file);
  const t0 = Date.now();
  const child = spawn(cmd, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const code: number = await new Promise((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  await new Promise((r) => out.end(r));
  if (code !== 0) {
    const tail = readFileSync(file, "utf8").split("\n").slice(-40).join("\n");
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${code}, ${file}):\n${tail}`);
  }
  return (Date.now() - t0) / 1000;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(true));
  });
}

function rssMb(pid: number): number | null {
  try {
    const kb = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    let total = kb(pid);
    // a console that forks workers: count its children too
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    for (const c of children) total += kb(c);
    return round(total / 1024, 1);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------------------------------
// code trees: the pre-change commit (git worktree) and the current working tree (snapshot copy)
// ------------------------------------------------------------------------------------------------------------

interface Tree {
  label: "before" | "after";
  describe: string;
  dir: string;
  commit: string;
  dirtyFiles?: string[];
  build: { ok: boolean; seconds: Record<string, number>; error?: string };
}

const NEXT_DIST = ".next-bench";

function git(...args: string[]): string {
  return execFileSync("git", ["-C", ROOT, ...args], { encoding: "utf8" }).trim();
}

async function sharedDeps(dir: string) {
  // node_modules as hard links (same file system, no copy), the Prisma client generated from the tree's own schema
  if (!existsSync(path.join(dir, "node_modules"))) execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
}

async function buildTree(t: Tree): Promise<void> {
  const s = t.build.seconds;
  try {
    await sharedDeps(t.dir);
    s.prismaGenerate = await run("bash", ["scripts/prisma-generate.sh"], { cwd: t.dir, logName: `${t.label}-prisma.log` });
    log(`${t.label}: next build (${NEXT_DIST})`);
    s.nextBuild = await run("npx", ["next", "build"], { cwd: t.dir, env: { NEXT_DIST_DIR: NEXT_DIST, NEXT_TELEMETRY_DISABLED: "1" }, logName: `${t.label}-next-build.log` });
    log(`${t.label}: connector build`);
    s.pluginBuild = await run("bash", ["scripts/trino/build-plugin.sh"], { cwd: t.dir, env: { SKIP_TESTS: "1", FORCE: "1" }, logName: `${t.label}-plugin-build.log` });
    writeFileSync(path.join(t.dir, ".bench-built"), JSON.stringify({ commit: t.commit, at: new Date().toISOString() }));
    t.build.ok = true;
    log(`${t.label}: built (${Object.entries(s).map(([k, v]) => `${k} ${round(v, 0)}s`).join(", ")})`);
  } catch (e) {
    t.build.ok = false;
    t.build.error = (e as Error).message;
    log(`${t.label}: BUILD FAILED: ${(e as Error).message.split("\n")[0]}`);
  }
}

async function prepareBefore(): Promise<Tree> {
  const dir = "/tmp/steward-bench-before";
  const commit = git("rev-parse", BEFORE_COMMIT);
  const t: Tree = { label: "before", describe: `commit ${BEFORE_COMMIT} (pre-change)`, dir, commit, build: { ok: false, seconds: {} } };
  const registered = git("worktree", "list", "--porcelain").includes(`worktree ${dir}\n`);
  if (registered && opts.skipBuild && existsSync(path.join(dir, ".bench-built"))) {
    t.build.ok = true;
    log(`before: reusing the built worktree ${dir}`);
    return t;
  }
  if (!registered) {
    rmSync(dir, { recursive: true, force: true });
    git("worktree", "add", "--detach", dir, commit);
  }
  await buildTree(t);
  return t;
}

async function prepareAfter(): Promise<Tree> {
  const dir = "/tmp/steward-bench-after";
  const head = git("rev-parse", "HEAD");
  const dirty = git("status", "--porcelain", "--untracked-files=all").split("\n").filter(Boolean);
  const t: Tree = {
    label: "after",
    describe: `working tree (HEAD ${head.slice(0, 7)} + ${dirty.length} changed/new files), snapshot ${new Date().toISOString()}`,
    dir,
    commit: head,
    dirtyFiles: dirty,
    build: { ok: false, seconds: {} },
  };
  if (opts.skipBuild && existsSync(path.join(dir, ".bench-built"))) {
    t.describe = `working tree snapshot kept from an earlier run (${readFileSync(path.join(dir, ".bench-built"), "utf8")})`;
    t.build.ok = true;
    log(`after: reusing the built snapshot ${dir}`);
    return t;
  }
  // a snapshot of the working tree (tracked + untracked, not ignored), so edits made meanwhile do not mix in
  mkdirSync(dir, { recursive: true });
  for (const entry of execFileSync("ls", ["-A", dir], { encoding: "utf8" }).split("\n").filter(Boolean)) {
    if (entry !== "node_modules") rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  const files = execFileSync("git", ["-C", ROOT, "ls-files", "-z", "-co", "--exclude-standard"]);
  const listFile = path.join(WORK, "after-files.lst");
  writeFileSync(listFile, files);
  execFileSync("bash", ["-c", `cd ${JSON.stringify(ROOT)} && tar --null --ignore-failed-read -T ${JSON.stringify(listFile)} -cf - 2>/dev/null | tar -xf - -C ${JSON.stringify(dir)}`]);
  await buildTree(t);
  return t;
}

function removeTrees(trees: Tree[]) {
  for (const t of trees) {
    if (t.label === "before") {
      try {
        git("worktree", "remove", "--force", t.dir);
      } catch (e) {
        log(`could not remove the worktree ${t.dir}: ${(e as Error).message}`);
      }
    }
    rmSync(t.dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------------------
// Trino and the console
// ------------------------------------------------------------------------------------------------------------

let apiKey = "";
let runningTrino: Tree | null = null;

function trinoEnv(t: Tree): Record<string, string> {
  return {
    TRINO_PORT: String(ports.trino),
    TRINO_INSTANCE_DIR: path.join(WORK, `trino-${t.label}`),
    TRINO_SECRETS_DIR: process.env.TRINO_SECRETS_DIR ?? path.join(WORK, "trino-secrets"),
    TRINO_WORKERS: "0",
    STEWARD_API_KEY: apiKey,
    STEWARD_CONSOLE_URL: `http://127.0.0.1:${ports.proxy}`,
    STEWARD_CACHE_TTL: "60s",
    // the product default is 5s; the pre-change console can take longer than that for 5,000 views
    STEWARD_REQUEST_TIMEOUT: "60s",
  };
}

async function startTrino(t: Tree): Promise<number> {
  if (runningTrino === t) return 0;
  await stopTrino();
  log(`Trino with the ${t.label} connector on port ${ports.trino}`);
  const s = await run("bash", ["scripts/trino/start.sh"], { cwd: t.dir, env: trinoEnv(t), logName: `trino-start-${t.label}.log` });
  runningTrino = t;
  await createRealTables(trino);
  return s;
}

async function stopTrino() {
  if (!runningTrino) return;
  const t = runningTrino;
  runningTrino = null;
  await run("bash", ["scripts/trino/stop.sh"], { cwd: t.dir, env: trinoEnv(t), logName: `trino-stop-${t.label}.log` }).catch((e) => log(`stop: ${e}`));
}

interface Console {
  pid: number;
  child: ChildProcess;
  startupMs: number;
  stop(): Promise<void>;
}

async function startConsole(t: Tree, databaseUrl: string): Promise<Console> {
  const logFile = createWriteStream(path.join(LOGS, `console-${t.label}.log`));
  const t0 = performance.now();
  const child = spawn(process.execPath, ["scripts/serve.mjs"], {
    cwd: t.dir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: NEXT_DIST,
      NEXT_TELEMETRY_DISABLED: "1",
      HOST: "127.0.0.1",
      PORT: String(ports.console),
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: "steward-bench-scale-secret",
      AUTH_URL: `http://127.0.0.1:${ports.console}/api/auth`,
      STEWARD_BOOTSTRAP_API_KEY: apiKey,
      STEWARD_CONSOLE_URL: `http://127.0.0.1:${ports.proxy}`,
      STEWARD_DB_QUIET: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(logFile);
  child.stderr!.pipe(logFile);
  let exited = false;
  child.on("exit", () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`the ${t.label} console exited at start (see ${path.join(LOGS, `console-${t.label}.log`)})`);
    if (performance.now() - t0 > 180_000) throw new Error(`the ${t.label} console did not answer /api/health within 180s`);
    const ok = await httpGet(ports.console, "/api/health", {}).then((r) => r.status === 200).catch(() => false);
    if (ok) break;
    await sleep(250);
  }
  return {
    pid: child.pid!,
    child,
    startupMs: performance.now() - t0,
    stop: async () => {
      if (exited) return;
      child.kill("SIGTERM");
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) child.kill("SIGKILL");
    },
  };
}

// ------------------------------------------------------------------------------------------------------------
// HTTP to the console
// ------------------------------------------------------------------------------------------------------------

const agents = new Map<number, http.Agent>();
function agentFor(n: number) {
  if (!agents.has(n)) agents.set(n, new http.Agent({ keepAlive: true, maxSockets: n }));
  return agents.get(n)!;
}

function httpGet(port: number, p: string, headers: Record<string, string>, sockets = 1): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get({ host: "127.0.0.1", port, path: p, headers, agent: agentFor(sockets), timeout: 120_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - t0 }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

const viewPath = ([u, s, v]: [string, string, string]) => `/api/trino/v1/users/${encodeURIComponent(u)}/schemas/${encodeURIComponent(s)}/views/${encodeURIComponent(v)}`;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : NaN);
  return {
    n: s.length,
    p50: round(q(0.5), 3),
    p90: round(q(0.9), 3),
    p99: round(q(0.99), 3),
    max: round(s[s.length - 1] ?? NaN, 3),
    mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1), 3),
  };
}

async function viewDefinitionsSequential(pairs: [string, string, string][], n: number, maxSeconds: number) {
  const auth = { authorization: `Bearer ${apiKey}` };
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  const deadline = performance.now() + maxSeconds * 1000;
  for (let i = 0; i < n && performance.now() < deadline; i++) {
    const r = await httpGet(ports.console, viewPath(pairs[i % pairs.length]!), auth);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    samples.push(r.ms);
  }
  return { unit: "ms per GET .../views/{view}, sequential, one keep-alive connection", ...stats(samples), statuses };
}

async function epochSequential(n: number) {
  const auth = { authorization: `Bearer ${apiKey}` };
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push((await httpGet(ports.console, "/api/trino/v1/epoch", auth)).ms);
  return { unit: "ms per GET /api/trino/v1/epoch, sequential: the floor of an authenticated view API request", ...stats(samples) };
}

async function viewDefinitionsLoaded(pairs: [string, string, string][], concurrency: number, seconds: number) {
  const auth = { authorization: `Bearer ${apiKey}` };
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const pair = pairs[next++ % pairs.length]!;
      try {
        const r = await httpGet(ports.console, viewPath(pair), auth, concurrency);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        samples.push(r.ms);
      } catch (e) {
        statuses[`error ${(e as Error).message}`] = (statuses[`error ${(e as Error).message}`] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  const ok = statuses["200"] ?? 0;
  return {
    unit: `ms per GET .../views/{view}, ${concurrency} concurrent keep-alive connections`,
    concurrency,
    seconds: round(elapsed, 1),
    definitionsPerSecond: round(ok / elapsed, 1),
    ...stats(samples),
    statuses,
  };
}

/** Auth.js credentials sign-in (CSRF token + form post); returns the Cookie header of the session. */
async function signIn(username: string, password: string): Promise<string> {
  const base = `http://127.0.0.1:${ports.console}`;
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ username, password, csrfToken, callbackUrl: base }).toString(),
  });
  keep(res);
  if (![...jar.keys()].some((k) => /session-token/.test(k))) throw new Error(`sign-in as ${username} failed (HTTP ${res.status})`);
  return cookie();
}

async function consoleJson(method: string, p: string, cookie: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${ports.console}${p}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

// ------------------------------------------------------------------------------------------------------------
// measurements with Trino
// ------------------------------------------------------------------------------------------------------------

let flushEpoch: () => Promise<void> = async () => {};

async function counted(proxy: CountingProxy, sql: string, user: string) {
  await sleep(300); // anything still in flight from the previous statement lands before the reset
  proxy.reset();
  const r = await trinoQuery(trino, sql, { user, timeoutMs: 600_000 });
  await sleep(300);
  const byEndpoint = proxy.counts();
  const sum = (match: (k: string) => boolean) =>
    Object.entries(byEndpoint)
      .filter(([k]) => match(k))
      .reduce((a, [, v]) => a + v, 0);
  // Off the query's path, reported apart: the connector's epoch watch (a long poll held by the console until the
  // epoch moves) and the query audit's posts (sent after the query ended, batched).
  const watch = (k: string) => k.startsWith("GET /api/trino/v1/epoch?") && k.includes("after");
  const audit = (k: string) => k.startsWith("POST /api/trino/v1/query-events");
  return {
    ms: round(r.ms, 1),
    rows: r.rows.length,
    calls: sum((k) => !watch(k) && !audit(k)),
    definitionCalls: sum((k) => /\/views\/\{view\}$/.test(k)),
    watchCalls: sum(watch),
    auditPosts: sum(audit),
    byEndpoint,
    consoleMs: proxy.millis(),
  };
}

async function coldAndWarm(proxy: CountingProxy, sql: string, user: string) {
  await flushEpoch();
  const cold = await counted(proxy, sql, user);
  const warm = [];
  for (let i = 0; i < 3; i++) warm.push(await counted(proxy, sql, user));
  const last = warm[warm.length - 1]!;
  return { sql, user, cold, warm: { ...last, ms: round(stats(warm.map((w) => w.ms)).p50, 1), runsMs: warm.map((w) => w.ms) } };
}

async function governedVsDirect(proxy: CountingProxy, manifest: SeedManifest, reps: number) {
  const reader = manifest.personas.reader;
  const [schema, view] = TPCH_VIEW.split(".") as [string, string];
  const def = await httpGet(ports.console, viewPath([reader, schema, view]), { authorization: `Bearer ${apiKey}` });
  if (def.status !== 200) throw new Error(`view definition of ${TPCH_VIEW} for ${reader}: HTTP ${def.status} ${def.body.slice(0, 200)}`);
  const viewSql = (JSON.parse(def.body) as { view: { sql: string } }).view.sql;
  const select = "SELECT count(*) AS n, sum(length(clerk)) AS clerk_chars, sum(totalprice) AS total";
  const governedSql = `${select} FROM governed.${TPCH_VIEW}`;
  const directSql = `${select} FROM (\n${viewSql}\n) AS v`;
  const timed = async (sql: string, user?: string) => {
    proxy.reset();
    const r = await trinoQuery(trino, sql, { user, timeoutMs: 600_000 });
    return { ms: round(r.ms, 1), rows: r.rows, consoleCalls: proxy.total(), trino: await queryTimes(trino, r.queryId).catch(() => ({})) };
  };
  const governed = () => timed(governedSql, reader);
  const direct = () => timed(directSql);
  const g0 = await governed();
  const d0 = await direct();
  if (JSON.stringify(g0.rows) !== JSON.stringify(d0.rows)) throw new Error(`governed and direct answers differ: ${JSON.stringify(g0.rows)} vs ${JSON.stringify(d0.rows)}`);
  const runs: { governed: Awaited<ReturnType<typeof timed>>; direct: Awaited<ReturnType<typeof timed>> }[] = [];
  for (let i = 0; i < reps; i++) {
    // alternate the order, so neither side always runs on a warmer Trino
    if (i % 2 === 0) {
      const g = await governed();
      runs.push({ governed: g, direct: await direct() });
    } else {
      const d = await direct();
      runs.push({ governed: await governed(), direct: d });
    }
  }
  const ratios = runs.map((r) => round(r.governed.ms / r.direct.ms, 3));
  return {
    governedSql,
    direct: "the same SELECT over the view's SQL from the view API, as the service user",
    answer: g0.rows[0],
    governedMs: runs.map((r) => r.governed.ms),
    directMs: runs.map((r) => r.direct.ms),
    ratios,
    medianGovernedMs: stats(runs.map((r) => r.governed.ms)).p50,
    medianDirectMs: stats(runs.map((r) => r.direct.ms)).p50,
    medianRatio: stats(ratios).p50,
    governedConsoleCalls: runs.map((r) => r.governed.consoleCalls),
    trinoTimesMs: runs.map((r) => ({ governed: r.governed.trino, direct: r.direct.trino })),
  };
}

async function staleness(manifest: SeedManifest, reps: number) {
  const cookie = await signIn(manifest.personas.governor, manifest.personas.password);
  const reader = manifest.personas.reader;
  const sql = `SELECT max(status) FROM governed.${manifest.realSchema}.t1`;
  const probe = async () => (await trinoQuery(trino, sql, { user: reader })).rows[0]?.[0] ?? null;
  if ((await probe()) === null) throw new Error(`${sql} is NULL before any policy: nothing to observe`);
  const pollUntil = async (want: (v: unknown) => boolean, since: number) => {
    for (let q = 1; ; q++) {
      const v = await probe();
      if (want(v)) return { ms: round(performance.now() - since, 1), queries: q };
      if (performance.now() - since > 120_000) throw new Error("not enforced within 120 s");
    }
  };
  const out = [];
  for (let i = 0; i < reps; i++) {
    const body = {
      name: `bench staleness ${Date.now()}-${i}`,
      scope: "LOCAL",
      dataSourceId: manifest.realDataSourceIds.t1,
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["status"] }, mask: { method: "NULL" } },
    };
    const s0 = performance.now();
    const created = await consoleJson("POST", "/api/policies", cookie, body);
    const saved = performance.now();
    const enforce = await pollUntil((v) => v === null, saved);
    const d0 = performance.now();
    await consoleJson("DELETE", `/api/policies/${created.id}`, cookie);
    const deleted = performance.now();
    const lift = await pollUntil((v) => v !== null, deleted);
    out.push({ saveMs: round(saved - s0, 1), enforcedAfterMs: enforce.ms, queriesUntilEnforced: enforce.queries, deleteMs: round(deleted - d0, 1), liftedAfterMs: lift.ms, queriesUntilLifted: lift.queries });
  }
  return {
    how: "POST /api/policies (a governor's session) adds a NULL mask on t1.status; SELECT max(status) as the reader is run back to back until it is NULL; then DELETE, until it is not",
    reps: out,
    medianEnforcedAfterMs: stats(out.map((r) => r.enforcedAfterMs)).p50,
    maxQueriesUntilEnforced: Math.max(...out.map((r) => r.queriesUntilEnforced)),
    medianLiftedAfterMs: stats(out.map((r) => r.liftedAfterMs)).p50,
  };
}

// ------------------------------------------------------------------------------------------------------------
// one phase: one code tree, all measurements
// ------------------------------------------------------------------------------------------------------------

async function measure<T>(errors: Record<string, string>, name: string, fn: () => Promise<T>): Promise<T | null> {
  if (opts.only.length && !opts.only.some((o) => name.includes(o))) return null;
  log(`  ${name}`);
  try {
    return await fn();
  } catch (e) {
    errors[name] = (e as Error).message;
    log(`  ${name} FAILED: ${(e as Error).message.split("\n")[0]}`);
    return null;
  }
}

async function phase(t: Tree, manifest: SeedManifest, databaseUrl: string, proxy: CountingProxy) {
  const errors: Record<string, string> = {};
  const result: Record<string, unknown> = { code: t.describe, commit: t.commit, build: t.build, loadavgAtStart: os.loadavg().map((x) => round(x, 2)) };
  if (!t.build.ok) return { ...result, skipped: "did not build" };
  await startTrino(t);
  log(`${t.label}: console on port ${ports.console}`);
  const c = await startConsole(t, databaseUrl);
  proxy.setTarget(ports.console);
  try {
    const rss: Record<string, number | null> = { afterStart: rssMb(c.pid) };
    const pairs = manifest.samplePairs;
    const first = await httpGet(ports.console, viewPath(pairs[0]!), { authorization: `Bearer ${apiKey}` });
    result.console = { startupMs: round(c.startupMs, 0), firstDefinitionMs: round(first.ms, 1), firstDefinitionStatus: first.status };
    // Every (user, view) the measurements below ask for is asked once first: those first answers (the user's
    // context and subscriptions loaded, the view compiled) are reported apart, the measurements are of warm answers.
    log(`  warm-up: the first definition of each (user, view)`);
    result.viewDefinitionFirst = await viewDefinitionsSequential(pairs, Math.min(opts.requests, pairs.length), 120);
    rss.afterWarmup = rssMb(c.pid);
    result.epochUnloaded = await measure(errors, "baseline: GET /api/trino/v1/epoch, sequential", () => epochSequential(500));
    result.viewDefinitionUnloaded = await measure(errors, "view definitions, sequential", () => viewDefinitionsSequential(pairs, opts.requests, 90));
    result.definitionAfterEpochBump = await measure(errors, "first view definition after an epoch bump", async () => {
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        await flushEpoch();
        ms.push(round((await httpGet(ports.console, viewPath(pairs[i]!), { authorization: `Bearer ${apiKey}` })).ms, 1));
      }
      return { how: "a governance write moves the epoch; then one GET .../views/{view} (any rebuild of the console's state lands on it)", ms, median: stats(ms).p50 };
    });
    result.viewDefinitionLoaded = await measure(errors, "view definitions, 32 concurrent", () => viewDefinitionsLoaded(pairs, 32, opts.loadSeconds));
    rss.afterLoad = rssMb(c.pid);

    const reader = manifest.personas.reader;
    const s = manifest.realSchema;
    const calls: Record<string, unknown> = {};
    // Trino was just (re)started: the connector's epoch watch starts with the catalog's first query. The counts
    // below are of a running connector whose cache is cold (a governance write dropped it), not of its first query.
    await trinoQuery(trino, "SHOW SCHEMAS FROM governed", { user: reader, timeoutMs: 600_000 });
    await sleep(1000);
    calls.oneView = await measure(errors, "calls: 1 view", () => coldAndWarm(proxy, `SELECT count(*) FROM governed.${s}.t1`, reader));
    calls.threeViews = await measure(errors, "calls: 3-view join", () =>
      coldAndWarm(proxy, `SELECT count(*) FROM governed.${s}.t1 a JOIN governed.${s}.t2 b ON a.id = b.id JOIN governed.${s}.t3 c ON a.id = c.id`, reader),
    );
    calls.showTables = await measure(errors, "calls: SHOW TABLES", () => coldAndWarm(proxy, `SHOW TABLES FROM governed.${s}`, reader));
    calls.describe = await measure(errors, "calls: DESCRIBE", () => coldAndWarm(proxy, `DESCRIBE governed.${s}.t1`, reader));
    result.callsPerQuery = calls;
    result.showTablesWide = await measure(errors, `SHOW TABLES with ${manifest.plan.wideViews} views`, async () => {
      const sql = `SHOW TABLES FROM governed.${manifest.wideSchema}`;
      const wide = manifest.personas.wide;
      const both = await coldAndWarm(proxy, sql, wide);
      // the connector cold but the console's state already rebuilt for the new epoch (by another request)
      await flushEpoch();
      await httpGet(ports.console, viewPath(pairs[0]!), { authorization: `Bearer ${apiKey}` });
      const connectorCold = await counted(proxy, sql, wide);
      return { views: manifest.plan.wideViews, ...both, connectorColdConsoleWarm: connectorCold };
    });
    result.columnsWide = await measure(errors, `information_schema.columns of ${manifest.plan.wideViews} views`, async () => {
      // catalog browsing that needs every definition (a BI tool reading columns): the bulk answer, ~3.5 kB a view
      const sql = `SELECT count(*) FROM governed.information_schema.columns WHERE table_schema = '${manifest.wideSchema}'`;
      await flushEpoch();
      const cold = await counted(proxy, sql, manifest.personas.wide);
      // the pre-change connector asks per view (minutes): its cache (60 s) has expired before a "warm" run starts
      if (cold.ms > 30_000) return { views: manifest.plan.wideViews, sql, cold, warm: { ...cold, ms: null, skipped: "the cold run outlasted the cache" } };
      const warm = await counted(proxy, sql, manifest.personas.wide);
      return { views: manifest.plan.wideViews, sql, cold, warm };
    });
    result.governedDirect = await measure(errors, "governed/direct on tpch.sf1.orders", () => governedVsDirect(proxy, manifest, opts.reps));
    result.staleness = await measure(errors, "policy-save-to-enforced staleness", () => staleness(manifest, 3));
    rss.end = rssMb(c.pid);
    result.consoleRssMb = rss;
  } finally {
    await c.stop();
  }
  result.errors = errors;
  result.loadavgAtEnd = os.loadavg().map((x) => round(x, 2));
  return result;
}

// ------------------------------------------------------------------------------------------------------------
// the report
// ------------------------------------------------------------------------------------------------------------

type Phase = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function table(phases: Record<string, Phase>, manifest: SeedManifest) {
  const labels = Object.keys(phases);
  const v = (p: Phase, get: (p: Phase) => unknown) => {
    try {
      const x = get(p);
      return x === undefined || x === null || (typeof x === "number" && Number.isNaN(x)) ? "-" : String(x);
    } catch {
      return "-";
    }
  };
  const calls = (x: { calls: number; definitionCalls: number } | null | undefined) => (x ? `${x.calls} (${x.definitionCalls} def)` : "-");
  const rows: [string, (p: Phase) => unknown, string][] = [
    ["view definition p50, unloaded (ms)", (p) => p.viewDefinitionUnloaded.p50, "<= 0.5"],
    ["view definition p99, unloaded (ms)", (p) => p.viewDefinitionUnloaded.p99, "<= 2"],
    ["  first definition of each (user, view) p50 / p99 (ms)", (p) => `${p.viewDefinitionFirst.p50} / ${p.viewDefinitionFirst.p99}`, ""],
    ["definitions/s at 32 concurrent", (p) => p.viewDefinitionLoaded.definitionsPerSecond, ">= 3000"],
    ["p99 at 32 concurrent (ms)", (p) => p.viewDefinitionLoaded.p99, "<= 20"],
    ["baseline: GET /epoch p50 / p99 (ms)", (p) => `${p.epochUnloaded.p50} / ${p.epochUnloaded.p99}`, ""],
    ["first definition after start (ms)", (p) => p.console.firstDefinitionMs, ""],
    ["first definition after an epoch bump (ms)", (p) => p.definitionAfterEpochBump.median, ""],
    ["calls, 1 view: cold / cached", (p) => `${calls(p.callsPerQuery.oneView.cold)} / ${calls(p.callsPerQuery.oneView.warm)}`, "<= 1 per view / 0"],
    ["calls, 3-view join: cold / cached", (p) => `${calls(p.callsPerQuery.threeViews.cold)} / ${calls(p.callsPerQuery.threeViews.warm)}`, "<= 3 / 0"],
    ["calls, SHOW TABLES: cold / cached", (p) => `${calls(p.callsPerQuery.showTables.cold)} / ${calls(p.callsPerQuery.showTables.warm)}`, ""],
    ["calls, DESCRIBE: cold / cached", (p) => `${calls(p.callsPerQuery.describe.cold)} / ${calls(p.callsPerQuery.describe.warm)}`, "<= 1 def / 0"],
    [`SHOW TABLES, ${manifest.plan.wideViews} views: cold (ms)`, (p) => p.showTablesWide.cold.ms, "<= 1000"],
    [`SHOW TABLES, ${manifest.plan.wideViews} views: cold, console warm (ms)`, (p) => p.showTablesWide.connectorColdConsoleWarm.ms, "<= 1000"],
    [`SHOW TABLES, ${manifest.plan.wideViews} views: cached (ms)`, (p) => p.showTablesWide.warm.ms, "<= 1000"],
    [`SHOW TABLES, ${manifest.plan.wideViews} views: calls cold / cached`, (p) => `${calls(p.showTablesWide.cold)} / ${calls(p.showTablesWide.warm)}`, ""],
    [`information_schema.columns, ${manifest.plan.wideViews} views: cold / cached (ms)`, (p) => `${p.columnsWide.cold.ms} / ${p.columnsWide.warm.ms}`, ""],
    [`  calls cold / cached; console ms cold`, (p) => `${calls(p.columnsWide.cold)} / ${calls(p.columnsWide.warm)}; ${Object.values(p.columnsWide.cold.consoleMs as Record<string, number>).reduce((a, b) => a + b, 0).toFixed(0)}`, ""],
    [`  SHOW TABLES cold: console ms`, (p) => Object.values(p.showTablesWide.cold.consoleMs as Record<string, number>).reduce((a, b) => a + b, 0).toFixed(0), ""],
    ["governed/direct, tpch sf1 orders (median)", (p) => p.governedDirect.medianRatio, "<= 1.05"],
    ["  governed / direct median (ms)", (p) => `${p.governedDirect.medianGovernedMs} / ${p.governedDirect.medianDirectMs}`, ""],
    ["policy save -> enforced (median ms)", (p) => p.staleness.medianEnforcedAfterMs, ""],
    ["  queries until enforced (max)", (p) => p.staleness.maxQueriesUntilEnforced, "1"],
    ["console RSS after start / load (MB)", (p) => `${p.consoleRssMb.afterStart} / ${p.consoleRssMb.afterLoad}`, ""],
  ];
  const head = ["metric", ...labels.map((l) => `${l}`), "target"];
  const body = rows.map(([name, get, target]) => [name, ...labels.map((l) => v(phases[l]!, get)), target]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(" | ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
}

// ------------------------------------------------------------------------------------------------------------
// main
// ------------------------------------------------------------------------------------------------------------

async function main() {
  mkdirSync(LOGS, { recursive: true });
  if (!trino.url || !trino.password) throw new Error("run through `npm run bench:scale` (scripts/bench-scale/run.sh sets the Trino secrets)");
  for (const [what, port] of Object.entries(ports)) {
    if (what === "trino") continue; // start.sh restarts its own instance and refuses a foreign one
    if (!(await portFree(port))) throw new Error(`port ${port} (${what}) is in use; set STEWARD_BENCH_${what.toUpperCase()}_PORT`);
  }
  const keyFile = path.join(WORK, "api-key");
  if (!existsSync(keyFile)) writeFileSync(keyFile, `stw_bench_${randomBytes(18).toString("hex")}`, { mode: 0o600 });
  apiKey = readFileSync(keyFile, "utf8").trim();

  const plan = planFor(opts.scale);
  log(`scale ${opts.scale}: ${plan.users} users, ${plan.dataSources} data sources (${plan.wideViews} in one schema), ${plan.policies} policies; compare: ${opts.compare}`);

  const trees: Tree[] = [];
  if (opts.compare) trees.push(await prepareBefore());
  trees.push(await prepareAfter());
  const usable = trees.filter((t) => t.build.ok);
  if (usable.length === 0) throw new Error("nothing built; see the logs in .data/bench-scale/logs");

  const proxy = await startCountingProxy(ports.proxy);
  const phases: Record<string, Phase> = {};
  let manifest: SeedManifest | null = null;
  const { createDatabase, databaseUrl } = await import("../db/create-test-db.mjs");
  const dbName = `steward_bench_scale_${String(opts.scale).replace(".", "_")}`;
  const url = databaseUrl(dbName);
  process.env.DATABASE_URL = url;
  const manifestFile = path.join(WORK, `${dbName}.json`);
  try {
    await startTrino(usable[0]!);
    const { getDb, closeDb } = await import("../../lib/server/db");
    if (!opts.reseed && existsSync(manifestFile)) {
      manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as SeedManifest;
      const db = await getDb().catch(() => null);
      const ok = db && (await db.user.count({ where: { username: "bench_admin" } }).catch(() => 0)) === 1;
      if (ok) log(`reusing the seeded database ${dbName} (--reseed to seed again)`);
      else manifest = null;
      if (!ok) await closeDb();
    }
    if (!manifest) {
      log(`seeding ${dbName}`);
      rmSync(manifestFile, { force: true });
      await createDatabase(dbName);
      const t0 = Date.now();
      manifest = await seed({ plan, database: dbName, trino, consoleUrl: `http://127.0.0.1:${ports.proxy}`, log });
      log(`seeded in ${round((Date.now() - t0) / 1000, 0)}s: ${JSON.stringify(manifest.counts)}`);
      writeFileSync(manifestFile, JSON.stringify(manifest));
    }
    const { governanceWrite } = await import("../../lib/server/governance");
    // Any governance write moves the epoch: the connector drops its cache at its next metadata call ("cold").
    flushEpoch = async () => {
      await governanceWrite(null, { bumpEpoch: true }, async () => null, () => ({ action: "bench.cache_flush", targetType: "system" }));
    };
    for (const t of trees) {
      log(`=== ${t.label}: ${t.describe}`);
      phases[`${t.label}`] = await phase(t, manifest, url, proxy).catch((e) => ({ code: t.describe, failed: (e as Error).message }));
    }
    await closeDb();
  } finally {
    await stopTrino();
    await proxy.close();
    for (const a of agents.values()) a.destroy();
    if (!opts.keepTrees) removeTrees(trees);
  }

  const loadavg = os.loadavg().map((x) => round(x, 2));
  const out = {
    generatedAt: new Date().toISOString(),
    command: `npm run bench:scale -- ${process.argv.slice(2).join(" ")}`.trim(),
    wallSeconds: round((Date.now() - startedAt) / 1000, 0),
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
      loadavgAtEnd: loadavg,
      note: "one machine runs PostgreSQL, Trino (1 node, 2 GB heap), the console and the load generator; other builds may share the CPUs",
      postgres: "127.0.0.1:5432",
      trino: "476, one node, steward.cache-ttl=60s, steward.request-timeout=60s (product default 5s)",
    },
    seed: { ...manifest, samplePairs: manifest.samplePairs.length },
    phases,
    columns: Object.fromEntries(Object.entries(phases).map(([k, p]) => [k, p.code])),
  };
  const file = opts.out || path.join(ROOT, "bench", opts.scale === 1 ? "scale-results.json" : `scale-results.scale-${opts.scale}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nscale ${opts.scale} (${manifest.counts.users} users, ${manifest.counts.dataSources} data sources, ${manifest.counts.policies} policies)`);
  for (const [k, p] of Object.entries(phases)) console.log(`  ${k}: ${p.code}${p.failed ? ` -- FAILED: ${p.failed}` : ""}${p.skipped ? ` -- skipped: ${p.skipped}` : ""}`);
  console.log(`\n${table(phases, manifest)}\n`);
  for (const [k, p] of Object.entries(phases)) for (const [m, e] of Object.entries((p.errors ?? {}) as Record<string, string>)) console.log(`  ${k}: ${m} failed: ${e.split("\n")[0]}`);
  console.log(`written ${path.relative(ROOT, file)} (${out.wallSeconds}s)`);
}

main().then(
  () => process.exit(0),
  async (e) => {
    console.error(`[bench:scale] ERROR: ${(e as Error).stack ?? e}`);
    await stopTrino().catch(() => {});
    process.exit(1);
  },
);
