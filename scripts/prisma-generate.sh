#!/usr/bin/env bash
# Generate the Prisma client (generated/prisma) offline.
# The Prisma CLI insists on a schema-engine binary and would try to download one; generate does not
# use it, so point it at a stub that exists (and fails clearly if something does try to run it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY="$PWD/scripts/prisma/schema-engine-stub.sh"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
exec node_modules/.bin/prisma generate "$@"
