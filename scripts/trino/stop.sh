#!/usr/bin/env bash
# Stops the Trino instance started by start.sh for $TRINO_PORT (or $TRINO_INSTANCE_DIR):
# bin/launcher stop (SIGTERM), wait up to TRINO_STOP_TIMEOUT (default 30s), then bin/launcher kill (SIGKILL).
# Only this instance's server is touched (its pid file, else its own process). Exit 0 if it was not running.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$HERE/env.sh"

I="$TRINO_INSTANCE_DIR"
TRINO_STOP_TIMEOUT="${TRINO_STOP_TIMEOUT:-30}"
SERVER="$TRINO_SERVER_DIR"
PIDFILE="$I/data/var/run/launcher.pid"

pid=""
[[ -f "$PIDFILE" ]] && pid="$(tr -dc '0-9' <"$PIDFILE")"
# A pid from an old boot may belong to another process now: only act if its command line names this instance.
# Without a usable pid file (a start that died early), look for this instance's own server process.
if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$I/"; then
  rm -f "$PIDFILE"
  pid="$(pgrep -f -- "-Dnode.data-dir=$I/data" | head -n 1 || true)"
  if [[ -z "$pid" ]]; then
    steward_log "no Trino instance running in $I (nothing to stop)"
    exit 0
  fi
fi

steward_log "stopping Trino on port $TRINO_PORT (pid $pid)"
t0=$(date +%s)
if [[ -x "$SERVER/bin/launcher" ]]; then
  timeout "$TRINO_STOP_TIMEOUT" "$SERVER/bin/launcher" --etc-dir "$I/etc" --data-dir "$I/data" stop >/dev/null 2>&1 || true
else
  kill -TERM "$pid" 2>/dev/null || true
fi
while kill -0 "$pid" 2>/dev/null && (( $(date +%s) - t0 < TRINO_STOP_TIMEOUT )); do sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then
  steward_log "still running after ${TRINO_STOP_TIMEOUT}s; killing pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
fi
rm -f "$PIDFILE"
steward_log "stopped in $(( $(date +%s) - t0 ))s"
