#!/usr/bin/env bash
# The demo: installs what is missing, builds the console and the connector, starts a real Trino with the
# governed catalog and the console on the embedded database (PGlite, under .data/pglite), seeded with the
# personas and the HR table, then prints what to try. Ctrl-C stops everything.
#   PORT (console, default 3000), TRINO_PORT (default 8080), STEWARD_DATA_DIR (default .data/pglite),
#   STEWARD_GOVERNED_CATALOG (default governed: the catalog users query)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export PORT="${PORT:-3000}" TRINO_PORT="${TRINO_PORT:-8080}"
# The governed catalog's name (STEWARD_GOVERNED_CATALOG, default governed): Trino's access rules and the console follow it.
export STEWARD_GOVERNED_CATALOG="${STEWARD_GOVERNED_CATALOG:-governed}"
G="$STEWARD_GOVERNED_CATALOG"
LOGS="$ROOT/.data/logs"
mkdir -p "$LOGS"

say() { printf '[demo] %s\n' "$*" >&2; }

bash scripts/setup.sh
if [[ -n "${DATABASE_URL:-}" ]]; then say "using DATABASE_URL"; else say "using the embedded database in ${STEWARD_DATA_DIR:-.data/pglite}"; fi

# Secrets on disk are readable by their owner only (mode 600), also ones an older demo left readable.
secret_file() { # secret_file <path> <node expression printing the secret>
  [[ -s $1 ]] || (umask 077 && node -e "process.stdout.write($2)" >"$1")
  chmod 600 "$1"
}
keyfile="$ROOT/.data/demo-api-key"
secret_file "$keyfile" '"stw_demo_" + require("crypto").randomBytes(18).toString("hex")'
export STEWARD_API_KEY="$(cat "$keyfile")"
secretfile="$ROOT/.data/auth-secret"
secret_file "$secretfile" 'require("crypto").randomBytes(32).toString("hex")'
export AUTH_SECRET="${AUTH_SECRET:-$(cat "$secretfile")}"
export STEWARD_CONSOLE_URL="http://127.0.0.1:$PORT"
# Trino authenticates every client (HTTPS + password). This gives the console the https URL, the service user's
# password (random, in .data/trino-$TRINO_PORT/secrets/, mode 600) and trust in Trino's self-signed certificate.
eval "$(bash scripts/trino/secrets.sh)"

say "building the connector"
SKIP_TESTS=1 bash scripts/trino/build-plugin.sh >/dev/null

say "starting Trino on $TRINO_PORT in the background (first run downloads it once; log: $LOGS/trino-start.log)"
bash scripts/trino/start.sh >"$LOGS/trino-start.log" 2>&1 &
trino_job=$!

if [[ ! -f .next/BUILD_ID || -n "$(find app components lib instrumentation.ts -newer .next/BUILD_ID -print -quit)" ]]; then
  say "building the console"
  npx next build >"$LOGS/next-build.log" 2>&1 || { tail -n 40 "$LOGS/next-build.log" >&2; exit 1; }
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_busy "$PORT"; then
  say "port $PORT is already in use (another console?): stop it or choose another PORT"
  kill "$trino_job" 2>/dev/null || true
  exit 1
fi

server_pid=""
stop_all() {
  trap - EXIT INT TERM
  say "stopping"
  # The console runs in its own process group: next start forks next-server, which must go too.
  [[ -n "$server_pid" ]] && kill -- "-$server_pid" 2>/dev/null || true
  bash scripts/trino/stop.sh >/dev/null 2>&1 || true
}
trap stop_all EXIT
trap "exit 130" INT TERM

say "starting the console on $PORT (log: $LOGS/console.log)"
STEWARD_SEED=demo STEWARD_BOOTSTRAP_API_KEY="$STEWARD_API_KEY" HOST=127.0.0.1 setsid node scripts/serve.mjs >"$LOGS/console.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null || { tail -n 40 "$LOGS/console.log" >&2; say "the console did not start"; exit 1; }

wait "$trino_job" || { tail -n 40 "$LOGS/trino-start.log" >&2; say "Trino did not start"; exit 1; }

q="node scripts/trino/query.mjs --server $STEWARD_TRINO_URL"
cat <<MSG

Steward is running.
  Console  http://127.0.0.1:$PORT   (password for every persona: steward-demo)
           admin (admin) · olivia (data owner) · gwen (governor) · alice (analyst, EU) · bob (analyst, US)
           carol (hr) · audrey (auditor)
  Trino    $STEWARD_TRINO_URL   governed catalog: $G
           HTTPS with a self-signed certificate (.data/trino-$TRINO_PORT/secrets/trino-cert.pem); every client
           signs in: the personas with steward-demo; the service user 'steward' only with its secret password

Try, in another terminal:
  $q --user alice --password steward-demo "SELECT name, email, ssn, region FROM $G.hr.employees LIMIT 5"
      -> alice is subscribed: ssn is NULL, email redacted, only EU rows
  $q --user alice --password steward-demo "SELECT region, count(*) FROM $G.hr.employees GROUP BY region"
  $q --user bob --password steward-demo "SHOW TABLES FROM $G.hr"
      -> "Schema 'hr' does not exist": bob is not subscribed; sign in as bob to request access, then as olivia to approve it
  $q --user alice --password steward-demo "SELECT * FROM memory.hr.employees"
      -> Access Denied: only the service user reads the backing table
  $q --user steward --password guess "SELECT * FROM memory.hr.employees"
      -> Access Denied: nobody may claim the service user without its password

Ctrl-C stops the console and Trino.
MSG
wait "$server_pid"
