#!/usr/bin/env bash
# npm run bench:scale [-- --scale 0.1] [-- --compare] ...: the scale benchmark (issue #9). See scripts/bench-scale/main.ts.
# Needs: PostgreSQL on 127.0.0.1:5432 (PG_ADMIN_URL), Java 25 + Maven (the connector), Trino 476 in the cache
# (scripts/trino/download.sh). Ports (free ones): STEWARD_BENCH_TRINO_PORT (8141; +1000 internal HTTP),
# STEWARD_BENCH_CONSOLE_PORT (3941), STEWARD_BENCH_PROXY_PORT (3943).
set -euo pipefail
cd "$(dirname "$0")/../.."
export TRINO_PORT="${STEWARD_BENCH_TRINO_PORT:-8141}"
# One set of Trino secrets (certificate, service password) for every Trino the bench starts, before or after.
export TRINO_SECRETS_DIR="$PWD/.data/bench-scale/trino-secrets"
mkdir -p .data/bench-scale
eval "$(bash scripts/trino/secrets.sh)"
export STEWARD_TRINO_URL STEWARD_TRINO_PASSWORD NODE_EXTRA_CA_CERTS TRINO_SECRETS_DIR
export STEWARD_DB_QUIET=1
exec node --import tsx --import ./scripts/bench-scale/register.mjs scripts/bench-scale/main.ts "$@"
