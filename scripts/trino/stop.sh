#!/usr/bin/env bash
# Stops the Trino instance started by start.sh for $TRINO_PORT (or $TRINO_INSTANCE_DIR): the coordinator and
# every worker of it ($TRINO_INSTANCE_DIR/worker-*, whatever TRINO_WORKERS says now), all at the same time.
# Per node: bin/launcher stop (SIGTERM), wait up to TRINO_STOP_TIMEOUT (default 30s), then SIGKILL.
# Only this instance's servers are touched (their pid files, else their own processes). Exit 0 if none ran.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$HERE/env.sh"

I="$TRINO_INSTANCE_DIR"
TRINO_STOP_TIMEOUT="${TRINO_STOP_TIMEOUT:-30}"
SERVER="$TRINO_SERVER_DIR"

# stop_node DIR LABEL: DIR is a node's instance dir (etc/, data/); LABEL names it in the log.
stop_node() {
  local dir="$1" label="$2" pidfile="$1/data/var/run/launcher.pid" pid=""
  [[ -f "$pidfile" ]] && pid="$(tr -dc '0-9' <"$pidfile")"
  # A pid from an old boot may belong to another process now: only act if its command line names this node's
  # data dir. Without a usable pid file (a start that died early), look for this node's own server process.
  if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-Dnode.data-dir=$dir/data "; then
    rm -f "$pidfile"
    pid="$(pgrep -f -- "-Dnode.data-dir=$dir/data( |$)" | head -n 1 || true)"
    [[ -n "$pid" ]] || return 1
  fi
  steward_log "stopping $label (pid $pid)"
  local t0
  t0=$(date +%s)
  if [[ -x "$SERVER/bin/launcher" ]]; then
    timeout "$TRINO_STOP_TIMEOUT" "$SERVER/bin/launcher" --etc-dir "$dir/etc" --data-dir "$dir/data" stop >/dev/null 2>&1 || true
  else
    kill -TERM "$pid" 2>/dev/null || true
  fi
  while kill -0 "$pid" 2>/dev/null && (( $(date +%s) - t0 < TRINO_STOP_TIMEOUT )); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    steward_log "$label still running after ${TRINO_STOP_TIMEOUT}s; killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$pidfile"
  steward_log "stopped $label in $(( $(date +%s) - t0 ))s"
}

t0=$(date +%s)
pids=()
stop_node "$I" "Trino coordinator on port $TRINO_PORT" & pids+=($!)
for w in "$I"/worker-*; do
  [[ -d "$w/data" ]] || continue
  stop_node "$w" "Trino ${w##*/} of port $TRINO_PORT" & pids+=($!)
done
stopped=0
for p in "${pids[@]}"; do if wait "$p"; then stopped=$((stopped + 1)); fi; done
if (( stopped == 0 )); then
  steward_log "no Trino instance running in $I (nothing to stop)"
elif (( ${#pids[@]} > 1 )); then
  steward_log "stopped $stopped node(s) in $(( $(date +%s) - t0 ))s"
fi
