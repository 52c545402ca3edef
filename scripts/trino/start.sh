#!/usr/bin/env bash
# Starts a local Trino $TRINO_VERSION for Steward on $TRINO_PORT, seeds memory.hr.employees, prints the URL.
#
#   TRINO_PORT=8080 STEWARD_API_KEY=stw_... STEWARD_CONSOLE_URL=http://127.0.0.1:3000 scripts/trino/start.sh
#   TRINO_WORKERS=1 TRINO_PORT=8091 STEWARD_API_KEY=stw_... scripts/trino/start.sh    # coordinator + 1 worker
#
# Env (besides env.sh: TRINO_PORT, TRINO_INSTANCE_DIR, STEWARD_CACHE, JAVA_HOME, TRINO_HEAP, TRINO_WORKERS,
# TRINO_WORKER_PORT, TRINO_WORKER_HEAP):
#   STEWARD_API_KEY          console API key for the governed catalog; unset -> no governed catalog (warning)
#   STEWARD_GOVERNED_CATALOG the governed catalog's name, default governed (e.g. immuta); the access rules follow it
#                            (access-rules.mjs): <name> and <name>_* are the read-only catalogs users may query
#   STEWARD_CONSOLE_URL      default http://127.0.0.1:3000
#   STEWARD_REQUEST_TIMEOUT  default 5s;  STEWARD_CACHE_TTL default 60s (connector catalog properties)
#   STEWARD_QUERY_AUDIT      1 (default): the query audit's event listener (etc/query-audit.properties) posts each
#                            query that read a governed view or was denied to the console; 0: off.
#                            STEWARD_QUERY_AUDIT_TIMEOUT (3s) bounds each post
#   TRINO_START_TIMEOUT      seconds to wait for /v1/info "starting":false, default 180
#   STEWARD_TRINO_DEMO_USERS users besides the service user who may sign in to Trino, default the demo personas
#                            "admin olivia gwen alice bob carol audrey"; STEWARD_TRINO_DEMO_PASSWORD (steward-demo)
#
# Authentication: clients reach Trino over HTTPS on $TRINO_PORT (self-signed certificate in secrets/) and must
# give a password (file password authenticator, etc/password.db). The service user's password is random per
# instance (secrets/service-password, mode 600): only the console (STEWARD_TRINO_PASSWORD) and these scripts
# know it, so nobody else can claim the service user. Plain HTTP ($TRINO_HTTP_PORT) serves only Trino's
# internal communication, signed with secrets/shared-secret; client authentication over it is refused.
#
# Already running: if this instance (same TRINO_INSTANCE_DIR) is running it is stopped and started again
# (a start always gives fresh config, fresh catalogs and freshly seeded data). If anything else answers on
# the port, the script fails and changes nothing.
#
# Instance layout ($TRINO_INSTANCE_DIR, default <repo>/.data/trino-$TRINO_PORT, rewritten at each start):
#   etc/     node.properties jvm.config config.properties log.properties access-control.properties catalog-store.properties
#            access-rules.json password-authenticator.properties password.db catalog/{tpch,memory,governed}.properties
#            query-audit.properties (the query audit's event listener, with the governed catalog)
#   secrets/ service-password shared-secret trino-tls.pem (key + certificate) trino-cert.pem; kept across starts
#   plugin/  tpch, memory -> symlinks into the cached server; steward = copy of trino-plugin/target/steward-plugin
#   data/    node.data-dir = Trino's working dir (launcher pid in data/var/run/launcher.pid; data/etc -> ../etc)
#   log/     server.log launcher.log http-request.log
# Access control: see scripts/trino/README.md and access-rules.json.
#
# Workers (TRINO_WORKERS=N > 0): N more Trino servers on this machine, each in $TRINO_INSTANCE_DIR/worker-<n>/
# (etc/ data/ plugin/ log/, like the coordinator's) with node.id steward-$TRINO_PORT-worker-<n>, plain HTTP on
# TRINO_WORKER_PORT+n-1 (internal communication only: no client port, no password), discovery.uri = the
# coordinator's internal HTTP port, the same internal shared secret. The coordinator then schedules no splits on
# itself (node-scheduler.include-coordinator=false). Workers have no catalog files: with dynamic catalog
# management the coordinator sends each task the properties of the catalogs it uses (so CREATE CATALOG works on
# workers too); the steward plugin is installed on every node. start.sh waits until the coordinator lists every
# worker as active (system.runtime.nodes) before seeding, so memory.hr.employees is written on the worker(s).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$HERE/env.sh"

STEWARD_CONSOLE_URL="${STEWARD_CONSOLE_URL:-http://127.0.0.1:3000}"
STEWARD_REQUEST_TIMEOUT="${STEWARD_REQUEST_TIMEOUT:-5s}"
STEWARD_CACHE_TTL="${STEWARD_CACHE_TTL:-60s}"
TRINO_START_TIMEOUT="${TRINO_START_TIMEOUT:-180}"
I="$TRINO_INSTANCE_DIR"
[[ "$TRINO_WORKERS" =~ ^[0-9]+$ ]] || steward_die "TRINO_WORKERS must be a number (got '$TRINO_WORKERS')"
WORKER_PORTS=()
for ((n = 1; n <= TRINO_WORKERS; n++)); do WORKER_PORTS+=("$(steward_worker_port "$n")"); done

steward_check_tools
command -v node >/dev/null 2>&1 || steward_die "node (>= 20) not found; it runs scripts/trino/query.mjs for the seed"
command -v curl >/dev/null 2>&1 || steward_die "curl not found"

# Open files: Trino wants >= 4096.
hard="$(ulimit -Hn)"
if [[ "$hard" == unlimited || "$hard" -ge 65536 ]]; then ulimit -n 65536; elif [[ "$hard" -ge 4096 ]]; then ulimit -n "$hard"; else
  steward_die "open-file hard limit is $hard; Trino needs >= 4096 (raise it, e.g. in /etc/security/limits.conf)"
fi

SERVER="$("$HERE/download.sh" | tail -n 1)"
[[ -x "$SERVER/bin/launcher" ]] || steward_die "download.sh did not produce a server ($SERVER)"

# launcher_in DIR ARGS...: bin/launcher for the node whose instance dir is DIR (the coordinator's is $I).
launcher_in() {
  local d="$1"
  shift
  "$SERVER/bin/launcher" --etc-dir "$d/etc" --data-dir "$d/data" --jvm-dir "$JAVA_HOME" \
    --launcher-log-file "$d/log/launcher.log" --server-log-file "$d/log/server.log" "$@"
}
launcher() { launcher_in "$I" "$@"; }

# --- something already on the port? -------------------------------------------------------------------
running=0
for d in "$I" "$I"/worker-*; do
  if [[ -f "$d/data/var/run/launcher.pid" ]] && launcher_in "$d" status >/dev/null 2>&1; then running=1; fi
done
if [[ "$running" == 1 ]]; then
  steward_log "instance $I (or a worker of it) is already running; stopping it first (start = fresh config and data)"
  "$HERE/stop.sh"
fi
for port in "$TRINO_PORT" "$TRINO_HTTP_PORT" "${WORKER_PORTS[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    info="$(curl -sk -m 2 "https://127.0.0.1:$port/v1/info" || curl -s -m 2 "http://127.0.0.1:$port/v1/info" || true)"
    if [[ "$info" == *'"nodeVersion"'* ]]; then what="a Trino not started from $I (/v1/info: ${info:0:200})"; else what="something that is not Trino"; fi
    steward_die "port $port is already in use by $what. Stop it, or pick another TRINO_PORT (HTTP uses TRINO_HTTP_PORT=$TRINO_HTTP_PORT, workers TRINO_WORKER_PORT=$TRINO_WORKER_PORT and up)."
  fi
done
steward_ensure_secrets

# --- lay out the instance -----------------------------------------------------------------------------
if ((TRINO_WORKERS > 0)); then
  steward_log "preparing instance $I (port $TRINO_PORT; $TRINO_WORKERS worker(s), HTTP port(s) ${WORKER_PORTS[*]})"
else
  steward_log "preparing instance $I (port $TRINO_PORT)"
fi
mkdir -p "$I/data" "$I/log"
rm -rf "$I/etc" "$I/plugin"
# Workers of an earlier start with more workers than now: gone (stopped above).
for w in "$I"/worker-*; do
  [[ -d "$w" ]] || continue
  n="${w##*/worker-}"
  if ! [[ "$n" =~ ^[0-9]+$ ]] || ((n > TRINO_WORKERS)); then rm -rf "$w"; fi
done
mkdir -p "$I/etc/catalog" "$I/plugin"

cat >"$I/etc/node.properties" <<EOF
node.environment=steward
node.id=steward-$TRINO_PORT
node.data-dir=$I/data
node.internal-address=127.0.0.1
EOF

# jvm_config HEAP: the JVM options of every node.
jvm_config() {
  cat <<EOF
-server
-Xmx$1
-XX:G1HeapRegionSize=32M
-XX:+ExplicitGCInvokesConcurrent
-XX:+ExitOnOutOfMemoryError
-XX:-OmitStackTraceInFastThrow
-XX:ReservedCodeCacheSize=256M
-XX:+EnableDynamicAgentLoading
-Djdk.attach.allowAttachSelf=true
-Djdk.nio.maxCachedBufferSize=2000000
-Dfile.encoding=UTF-8
--add-modules=jdk.incubator.vector
--enable-native-access=ALL-UNNAMED
--sun-misc-unsafe-memory-access=allow
EOF
}
jvm_config "$TRINO_HEAP" >"$I/etc/jvm.config"

# The launcher runs Trino with the data dir as working directory, and some Trino files are only ever
# looked up relative to it (etc/catalog-store.properties, etc/access-control.properties): data/etc -> ../etc.
# Everything that can be configured is configured with absolute paths anyway.
ln -sfn ../etc "$I/data/etc"
cat >"$I/etc/config.properties" <<EOF
coordinator=true
node-scheduler.include-coordinator=$( ((TRINO_WORKERS > 0)) && echo false || echo true)
http-server.http.port=$TRINO_HTTP_PORT
http-server.https.enabled=true
http-server.https.port=$TRINO_PORT
http-server.https.keystore.path=$TRINO_SECRETS_DIR/trino-tls.pem
http-server.authentication.type=PASSWORD
password-authenticator.config-files=$I/etc/password-authenticator.properties
internal-communication.shared-secret=$(cat "$TRINO_SECRETS_DIR/shared-secret")
# Statistics: EXPLAIN and SHOW STATS on a governed view would show the backing table's estimates (its whole row
# count; with connectors that keep column statistics, min/max/distinct counts) to a user whose rows are filtered.
# The stats calculator is off by default and access-rules.json lets only the service user turn it on for a
# session. Price: no cost-based join reordering. STEWARD_TRINO_HIDE_STATS=0 keeps statistics for everyone.
enable-stats-calculator=$([[ "${STEWARD_TRINO_HIDE_STATS:-1}" == 0 ]] && echo true || echo false)
discovery.uri=http://127.0.0.1:$TRINO_HTTP_PORT
plugin.dir=$I/plugin
catalog.management=dynamic
access-control.config-files=$I/etc/access-control.properties
http-server.log.path=$I/log/http-request.log
EOF

# Catalog store (dynamic catalog management): CREATE CATALOG writes here; start.sh wipes it at each start.
cat >"$I/etc/catalog-store.properties" <<EOF
catalog.config-dir=$I/etc/catalog
EOF

cat >"$I/etc/log.properties" <<EOF
io.trino=INFO
EOF

GOVERNED_CATALOG="${STEWARD_GOVERNED_CATALOG:-governed}"
node "$HERE/access-rules.mjs" "$GOVERNED_CATALOG" >"$I/etc/access-rules.json" || steward_die "cannot write the access rules for catalog '$GOVERNED_CATALOG'"

# Who may sign in: the service user (its random password) and the demo personas (their published password).
demo_users=()
for u in ${STEWARD_TRINO_DEMO_USERS-admin olivia gwen alice bob carol audrey}; do
  demo_users+=(--user "$u:${STEWARD_TRINO_DEMO_PASSWORD:-steward-demo}")
done
node "$HERE/password-file.mjs" "$I/etc/password.db" --service-user steward \
  --service-password-file "$TRINO_SERVICE_PASSWORD_FILE" "${demo_users[@]}" || steward_die "could not write the password file"
(
  umask 077
  cat >"$I/etc/password-authenticator.properties" <<EOF
password-authenticator.name=file
file.password-file=$I/etc/password.db
EOF
)
chmod 600 "$I/etc/config.properties"
cat >"$I/etc/access-control.properties" <<EOF
access-control.name=file
security.config-file=$I/etc/access-rules.json
EOF

for p in tpch memory; do
  [[ -d "$SERVER/plugin/$p" ]] || steward_die "$SERVER/plugin/$p is missing (delete $TRINO_DIST_DIR and rerun)"
  ln -s "$SERVER/plugin/$p" "$I/plugin/$p"
  printf 'connector.name=%s\n' "$p" >"$I/etc/catalog/$p.properties"
done
[[ -d "$SERVER/plugin/password-authenticators" ]] || steward_die "$SERVER/plugin/password-authenticators is missing (delete $TRINO_DIST_DIR and rerun)"
ln -s "$SERVER/plugin/password-authenticators" "$I/plugin/password-authenticators"

if [[ -d "$STEWARD_PLUGIN_BUILD_DIR" ]] && compgen -G "$STEWARD_PLUGIN_BUILD_DIR/*.jar" >/dev/null; then
  # A copy, so a rebuild of the plugin cannot change jars under a running server.
  cp -r "$STEWARD_PLUGIN_BUILD_DIR" "$I/plugin/steward"
  have_plugin=1
else
  have_plugin=0
  steward_log "WARNING: $STEWARD_PLUGIN_BUILD_DIR not built (run scripts/trino/build-plugin.sh); starting without the steward connector"
fi

if [[ -z "${STEWARD_API_KEY:-}" ]]; then
  steward_log "WARNING: STEWARD_API_KEY is not set; starting without the governed catalog"
elif [[ "$have_plugin" == 0 ]]; then
  steward_log "WARNING: no steward plugin; starting without the governed catalog"
else
  (
    umask 077
    cat >"$I/etc/catalog/$GOVERNED_CATALOG.properties" <<EOF
connector.name=steward
steward.console-url=$STEWARD_CONSOLE_URL
steward.api-key=$STEWARD_API_KEY
steward.request-timeout=$STEWARD_REQUEST_TIMEOUT
steward.cache-ttl=$STEWARD_CACHE_TTL
steward.service-user=steward
EOF
  )
  steward_log "governed catalog $GOVERNED_CATALOG -> $STEWARD_CONSOLE_URL"
  # Query audit (docs/architecture.md, "Query audit"): the plugin's event listener posts each query that read a
  # governed view or was denied to the console. Coordinator only (workers run no metadata). The key comes from
  # the environment Trino runs in (${ENV:...}), so it is not written here a second time. STEWARD_QUERY_AUDIT=0: off.
  if [[ "${STEWARD_QUERY_AUDIT:-1}" != 0 ]]; then
    export STEWARD_API_KEY
    cat >"$I/etc/query-audit.properties" <<EOF
event-listener.name=steward-query-audit
steward.console-url=$STEWARD_CONSOLE_URL
steward.api-key=\${ENV:STEWARD_API_KEY}
steward.request-timeout=${STEWARD_QUERY_AUDIT_TIMEOUT:-3s}
steward.queue-size=1000
EOF
    echo "event-listener.config-files=$I/etc/query-audit.properties" >>"$I/etc/config.properties"
    steward_log "query audit -> $STEWARD_CONSOLE_URL/api/trino/v1/query-events"
  fi
fi

# --- workers ------------------------------------------------------------------------------------------
# Each worker: its own node.id, data dir and HTTP port; discovery at the coordinator's internal HTTP port; the
# same shared secret (internal requests are signed with it; a worker refuses unsigned ones). No HTTPS and no
# password authenticator: clients only ever talk to the coordinator (workers serve no /v1/statement). No access
# control (the coordinator checks every statement) and no catalog files (dynamic catalog management: the
# coordinator ships the catalogs a task uses with the task, the governed catalog's API key included).
for ((n = 1; n <= TRINO_WORKERS; n++)); do
  W="$(steward_worker_dir "$n")"
  rm -rf "$W/etc" "$W/plugin"
  mkdir -p "$W/etc" "$W/data" "$W/log" "$W/plugin"
  ln -sfn ../etc "$W/data/etc"
  cat >"$W/etc/node.properties" <<EOF
node.environment=steward
node.id=steward-$TRINO_PORT-worker-$n
node.data-dir=$W/data
node.internal-address=127.0.0.1
EOF
  jvm_config "$TRINO_WORKER_HEAP" >"$W/etc/jvm.config"
  (
    umask 077
    cat >"$W/etc/config.properties" <<EOF
coordinator=false
http-server.http.port=${WORKER_PORTS[$((n - 1))]}
discovery.uri=http://127.0.0.1:$TRINO_HTTP_PORT
internal-communication.shared-secret=$(cat "$TRINO_SECRETS_DIR/shared-secret")
plugin.dir=$W/plugin
catalog.management=dynamic
http-server.log.path=$W/log/http-request.log
EOF
  )
  cp "$I/etc/log.properties" "$W/etc/log.properties"
  for p in tpch memory; do ln -s "$SERVER/plugin/$p" "$W/plugin/$p"; done
  if [[ "$have_plugin" == 1 ]]; then cp -r "$STEWARD_PLUGIN_BUILD_DIR" "$W/plugin/steward"; fi
done

# --- start and wait -----------------------------------------------------------------------------------
# log_tail [DIR]: the last lines of a node's logs (default the coordinator's), to stderr.
log_tail() {
  local d="${1:-$I}"
  for f in "$d/log/launcher.log" "$d/log/server.log"; do
    [[ -s "$f" ]] && { echo "----- last lines of $f" >&2; tail -n 40 "$f" >&2; }
  done
  return 0
}
# The launcher's daemon child writes the pid file after `launcher start` returns, so a first status check
# can miss it: only a server absent on three checks in a row (pid file and process list) has exited.
node_alive() {
  launcher_in "$1" status >/dev/null 2>&1 || pgrep -f -- "-Dnode.data-dir=$1/data( |$)" >/dev/null 2>&1
}
server_alive() { node_alive "$I"; }

t0=$(date +%s)
steward_log "starting Trino $TRINO_VERSION (Java: $JAVA_HOME)"
: >"$I/log/server.log"
: >"$I/log/launcher.log"
launcher start >/dev/null || { log_tail; steward_die "bin/launcher start failed"; }
# The workers start alongside; each keeps announcing itself until the coordinator's discovery answers.
for ((n = 1; n <= TRINO_WORKERS; n++)); do
  W="$(steward_worker_dir "$n")"
  : >"$W/log/server.log"
  : >"$W/log/launcher.log"
  launcher_in "$W" start >/dev/null || { log_tail "$W"; steward_die "bin/launcher start failed for worker $n ($W)"; }
done

misses=0
while :; do
  info="$(curl -s -m 2 --cacert "$TRINO_CA_CERT" "$TRINO_URL/v1/info" || true)"
  if [[ "$info" == *'"starting":false'* ]]; then
    break
  fi
  if server_alive; then misses=0; else misses=$((misses + 1)); fi
  if (( misses >= 3 )); then
    log_tail
    steward_die "Trino exited during startup (logs: $I/log/)"
  fi
  if (( $(date +%s) - t0 >= TRINO_START_TIMEOUT )); then
    log_tail
    steward_die "Trino did not become ready within ${TRINO_START_TIMEOUT}s (still running; stop it with TRINO_PORT=$TRINO_PORT scripts/trino/stop.sh)"
  fi
  sleep 1
done
[[ "$info" == *'"environment":"steward"'* ]] || steward_die "the server on port $TRINO_PORT is not ours: $info"
t1=$(date +%s)
steward_log "ready in $((t1 - t0))s"

if [[ "$have_plugin" == 1 ]] && ! grep -q 'Registering connector steward' "$I/log/server.log"; then
  log_tail
  steward_die "the steward plugin was installed in $I/plugin/steward but Trino did not register connector 'steward'"
fi

# NODE_EXTRA_CA_CERTS set here, so query.mjs need not start Node a second time to trust the certificate
service_query() {
  NODE_EXTRA_CA_CERTS="$TRINO_CA_CERT" TRINO_PASSWORD="$(cat "$TRINO_SERVICE_PASSWORD_FILE")" node "$HERE/query.mjs" \
    --server "$TRINO_URL" --cacert "$TRINO_CA_CERT" --user steward "$@"
}

# Workers: ready when the coordinator lists each as an active node (its node id, from system.runtime.nodes).
if ((TRINO_WORKERS > 0)); then
  while :; do
    active="$(service_query --format tsv --no-header \
      "SELECT node_id FROM system.runtime.nodes WHERE NOT coordinator AND state = 'active' ORDER BY node_id" 2>/dev/null || true)"
    missing=()
    for ((n = 1; n <= TRINO_WORKERS; n++)); do
      grep -qx "steward-$TRINO_PORT-worker-$n" <<<"$active" || missing+=("$n")
    done
    ((${#missing[@]} == 0)) && break
    for n in "${missing[@]}"; do
      W="$(steward_worker_dir "$n")"
      if ! node_alive "$W"; then
        sleep 2
        node_alive "$W" || { log_tail "$W"; steward_die "worker $n exited during startup (logs: $W/log/)"; }
      fi
    done
    if (( $(date +%s) - t0 >= TRINO_START_TIMEOUT )); then
      for n in "${missing[@]}"; do log_tail "$(steward_worker_dir "$n")"; done
      steward_die "worker(s) ${missing[*]} not active on the coordinator within ${TRINO_START_TIMEOUT}s (still running; stop with TRINO_PORT=$TRINO_PORT scripts/trino/stop.sh)"
    fi
    sleep 1
  done
  for ((n = 1; n <= TRINO_WORKERS; n++)); do
    W="$(steward_worker_dir "$n")"
    if [[ "$have_plugin" == 1 ]] && ! grep -q 'Registering connector steward' "$W/log/server.log"; then
      log_tail "$W"
      steward_die "the steward plugin was installed in $W/plugin/steward but worker $n did not register connector 'steward'"
    fi
  done
  t1=$(date +%s)
  steward_log "$TRINO_WORKERS worker(s) active in $((t1 - t0))s"
fi

# --- seed ---------------------------------------------------------------------------------------------
steward_log "seeding memory.hr.employees (as steward)"
seeded=0
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if out="$(service_query --format none --file "$HERE/seed-hr.sql" 2>&1)"; then
    seeded=1
    break
  fi
  # Right after startup the coordinator may not have announced itself as a worker yet.
  if [[ "$out" == *NO_NODES_AVAILABLE* ]]; then sleep 1; continue; fi
  break
done
if [[ "$seeded" != 1 ]]; then
  echo "$out" >&2
  steward_die "seeding failed (Trino is still running; logs: $I/log/)"
fi
t2=$(date +%s)
steward_log "seeded in $((t2 - t1))s"
echo "$TRINO_URL"
