#!/bin/sh
# Stand-in for Prisma's native schema-engine binary, which cannot be downloaded here.
# `prisma generate/validate/format` only need PRISMA_SCHEMA_ENGINE_BINARY to name an existing file;
# anything that actually starts the engine (prisma migrate/db ...) fails loudly instead of
# silently doing nothing.
echo "steward: the native Prisma schema engine is not available offline." >&2
echo "  create a migration: npm run db:migrate:new -- <name>" >&2
echo "  check for drift:    npm run db:check" >&2
echo "  migration status:   npm run db:status" >&2
echo "  (migrations are applied by the app on first database use)" >&2
exit 1
