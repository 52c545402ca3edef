#!/usr/bin/env bash
# The one test command (npm test, and .ci/run): unit tests, the connector's JUnit tests, then a real Trino
# with our connector, a real PostgreSQL and the console under Playwright on Debian's Chromium; then (full run
# only) the enforcement specs again on a two-node Trino, coordinator + worker (TWO_NODE_SPECS below).
#
#   STEWARD_TEST_TRINO_WORKERS=N   run the (only) e2e pass on a coordinator + N workers instead of one node, e.g.
#                                  STEWARD_TEST_TRINO_WORKERS=1 bash scripts/test-all.sh --only-e2e e2e/two-nodes.spec.ts
#   STEWARD_TEST_TWO_NODES=0       full run without the second, two-node pass
#   STEWARD_TEST_PORT (3917), STEWARD_TEST_TRINO_PORT (8091), STEWARD_TEST_DB (steward_e2e), STEWARD_RESULTS_DIR,
#   NEXT_DIST_DIR: ports, database, results and build dir, to run beside another checkout's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
# --only-e2e [playwright args]: skip unit and connector tests (for working on one spec); CI runs everything.
ONLY_E2E=0
if [[ "${1:-}" == --only-e2e ]]; then ONLY_E2E=1; shift; fi
export STEWARD_TEST_TRINO_WORKERS="${STEWARD_TEST_TRINO_WORKERS:-0}"
[[ "$STEWARD_TEST_TRINO_WORKERS" =~ ^[0-9]+$ ]] || { echo "STEWARD_TEST_TRINO_WORKERS must be a number" >&2; exit 2; }
# The second pass of a full run: the specs where Trino enforces (a worker now runs the splits).
TWO_NODE_SPECS=(e2e/two-nodes.spec.ts e2e/catalog-name.spec.ts e2e/trino-enforcement.spec.ts e2e/hash-key.spec.ts e2e/policy-matrix.spec.ts)
# The two-node pass also names the governed catalog as an admin may (issue 10.4): Trino's access rules and the
# console follow STEWARD_GOVERNED_CATALOG, and the specs query it by that name.
TWO_NODE_CATALOG=immuta
TWO_NODES=0
if [[ $ONLY_E2E == 0 && "$STEWARD_TEST_TRINO_WORKERS" == 0 && "${STEWARD_TEST_TWO_NODES:-1}" != 0 ]]; then TWO_NODES=1; fi
export STEWARD_RESULTS_DIR="${STEWARD_RESULTS_DIR:-$ROOT/test-results}"
RESULTS="$STEWARD_RESULTS_DIR"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

step() { printf '\n==== %s (%ss)\n' "$*" "$SECONDS" >&2; }
die() { printf '[test] ERROR: %s\n' "$*" >&2; exit 1; }

step "setup"
bash scripts/setup.sh --with-postgres --with-chromium

export STEWARD_TEST_PORT="${STEWARD_TEST_PORT:-3917}"
export TRINO_PORT="${STEWARD_TEST_TRINO_PORT:-8091}"
export STEWARD_TEST_DB="${STEWARD_TEST_DB:-steward_e2e}"
export STEWARD_API_KEY="stw_test_$(node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("hex"))')"
export STEWARD_CONSOLE_URL="http://127.0.0.1:$STEWARD_TEST_PORT"
# Trino authenticates (HTTPS + password): STEWARD_TRINO_URL (https), STEWARD_TRINO_PASSWORD (the service user's,
# for the console and the tests), NODE_EXTRA_CA_CERTS (Node trusts the instance's self-signed certificate).
eval "$(bash scripts/trino/secrets.sh)"
# Short cache so the tests also see the TTL path; the epoch check makes changes immediate anyway.
export STEWARD_CACHE_TTL=30s STEWARD_REQUEST_TIMEOUT=3s

trino_pid=""
cleanup() {
  if [[ -n "$trino_pid" ]]; then kill "$trino_pid" 2>/dev/null || true; fi
  bash scripts/trino/stop.sh >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [[ $ONLY_E2E == 0 ]]; then
  step "unit tests (vitest)"
  npx vitest run --reporter=default --reporter=json --outputFile.json="$RESULTS/vitest.json"

  step "connector: build and JUnit tests (Maven)"
  bash scripts/trino/build-plugin.sh
else
  SKIP_TESTS=1 bash scripts/trino/build-plugin.sh >/dev/null
fi

step "Trino: download (cached) and start in the background ($((STEWARD_TEST_TRINO_WORKERS + 1)) node(s))"
(TRINO_WORKERS="$STEWARD_TEST_TRINO_WORKERS" TRINO_WORKER_HEAP=1G bash scripts/trino/start.sh >"$RESULTS/trino-start.log" 2>&1
  echo $? >"$RESULTS/trino-start.rc") &
trino_pid=$!

step "console: production build"
npx next build >"$RESULTS/next-build.log" 2>&1 || { tail -n 60 "$RESULTS/next-build.log" >&2; die "next build failed"; }

step "database: fresh $STEWARD_TEST_DB"
export DATABASE_URL="$(node scripts/db/create-test-db.mjs "$STEWARD_TEST_DB")"

step "waiting for Trino"
wait "$trino_pid" || true
trino_pid=""
if [[ "$(cat "$RESULTS/trino-start.rc" 2>/dev/null)" != 0 ]]; then
  tail -n 80 "$RESULTS/trino-start.log" >&2
  die "Trino did not start"
fi

step "end-to-end tests (Playwright on /usr/bin/chromium, real Trino with $((STEWARD_TEST_TRINO_WORKERS + 1)) node(s), real PostgreSQL)"
set +e
npx playwright test "$@"
e2e_rc=$?
set -e

if [[ $TWO_NODES == 1 ]]; then
  # Same ports, one cluster at a time: the single-node Trino is stopped first. A fresh database, so the specs
  # start from the demo seed as in the first pass. Results in $RESULTS/two-nodes/ (summarize-tests.mjs adds them).
  step "Trino: two nodes (coordinator + 1 worker)"
  two_rc=1
  if ! bash scripts/trino/stop.sh >"$RESULTS/trino-stop.log" 2>&1; then
    cat "$RESULTS/trino-stop.log" >&2
    printf '[test] ERROR: could not stop the single-node Trino; two-node pass not run\n' >&2
  elif ! STEWARD_GOVERNED_CATALOG="$TWO_NODE_CATALOG" TRINO_WORKERS=1 TRINO_WORKER_HEAP=1G bash scripts/trino/start.sh >"$RESULTS/trino-two-nodes-start.log" 2>&1; then
    tail -n 80 "$RESULTS/trino-two-nodes-start.log" >&2
    printf '[test] ERROR: the two-node Trino did not start; two-node pass not run\n' >&2
  else
    export DATABASE_URL="$(node scripts/db/create-test-db.mjs "${STEWARD_TEST_DB}_2n")"
    step "end-to-end tests on two Trino nodes: ${TWO_NODE_SPECS[*]}"
    set +e
    STEWARD_GOVERNED_CATALOG="$TWO_NODE_CATALOG" STEWARD_RESULTS_DIR="$RESULTS/two-nodes" STEWARD_TEST_TRINO_WORKERS=1 npx playwright test "${TWO_NODE_SPECS[@]}"
    two_rc=$?
    set -e
  fi
  if [[ $e2e_rc == 0 ]]; then e2e_rc=$two_rc; fi
fi

step "summary"
node scripts/summarize-tests.mjs "$RESULTS" $([[ $ONLY_E2E == 1 ]] && echo --no-junit)
exit "$e2e_rc"
