#!/usr/bin/env bash
# Installs what a fresh machine lacks for the demo and the tests; every step is skipped when already done.
#   --with-postgres  also start the local PostgreSQL server if it is down (tests need it; the demo does not)
#   --with-chromium  also install Debian's chromium (browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "node (>= 20) is required"
command -v npm >/dev/null || die "npm is required"

stamp=node_modules/.steward-install-stamp
if [[ ! -f $stamp || package-lock.json -nt $stamp ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

if [[ ! -d generated/prisma || prisma/schema.prisma -nt generated/prisma ]]; then
  log "prisma generate"
  bash scripts/prisma-generate.sh >/dev/null
  touch generated/prisma
fi

for arg in "$@"; do
  case "$arg" in
    --with-postgres)
      if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not running on 127.0.0.1:5432 and pg_ctlcluster is missing"
        log "starting PostgreSQL"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
        pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL did not come up on 127.0.0.1:5432"
      fi
      ;;
    --with-chromium)
      if [[ ! -x /usr/bin/chromium ]]; then
        log "installing Debian's chromium (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq chromium >/dev/null
      fi
      [[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing after apt-get install chromium"
      ;;
    *) die "unknown option $arg" ;;
  esac
done
