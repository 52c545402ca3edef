# shellcheck shell=bash
# Common settings for the Steward Trino runtime scripts. Source it; do not execute it.
#
#   TRINO_VERSION        476 (see docs/architecture.md: why not 483). Change here + the Maven property.
#   STEWARD_CACHE        download cache, default ~/.cache/steward (server lands in $STEWARD_CACHE/trino-$TRINO_VERSION/)
#   JAVA_HOME            default /usr/lib/jvm/temurin-25-jdk-amd64 (Trino 476 needs Java >= 24.0.1; we use 25)
#   TRINO_PORT           default 8080 (demo); tests use 8091. Clients use HTTPS on this port (password auth)
#   TRINO_HTTP_PORT      default TRINO_PORT+1000: plain HTTP, internal communication only (shared secret);
#                        Trino refuses any client authentication over it ("Authentication over HTTP is not enabled")
#   TRINO_INSTANCE_DIR   default <repo>/.data/trino-$TRINO_PORT (etc/, data/, plugin/, log/)
#   TRINO_HEAP           default 2G (-Xmx)
#   TRINO_WORKERS        default 0 (one node: the coordinator runs the splits). N > 0: start.sh also starts N workers
#                        on this machine (instance dirs $TRINO_INSTANCE_DIR/worker-<n>) and the coordinator runs none
#   TRINO_WORKER_PORT    default TRINO_PORT+2001: plain-HTTP port of worker 1 (worker n: +n-1); internal only
#   TRINO_WORKER_HEAP    default 1G (-Xmx of each worker)

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "env.sh must be sourced, not executed" >&2
  exit 1
fi

STEWARD_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STEWARD_REPO="$(cd "$STEWARD_SCRIPTS_DIR/../.." && pwd)"

export TRINO_VERSION=476
export STEWARD_CACHE="${STEWARD_CACHE:-$HOME/.cache/steward}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export TRINO_PORT="${TRINO_PORT:-8080}"
export TRINO_INSTANCE_DIR="${TRINO_INSTANCE_DIR:-$STEWARD_REPO/.data/trino-$TRINO_PORT}"
export TRINO_HEAP="${TRINO_HEAP:-2G}"
export TRINO_HTTP_PORT="${TRINO_HTTP_PORT:-$((TRINO_PORT + 1000))}"
export TRINO_WORKERS="${TRINO_WORKERS:-0}"
export TRINO_WORKER_PORT="${TRINO_WORKER_PORT:-$((TRINO_PORT + 2001))}"
export TRINO_WORKER_HEAP="${TRINO_WORKER_HEAP:-1G}"
export TRINO_URL="https://127.0.0.1:$TRINO_PORT"
# Secrets of this instance, made once by steward_ensure_secrets and kept across restarts (etc/ is rewritten at
# each start, secrets/ is not): the service user's password (known only to the console and the scripts), the
# internal shared secret, and the self-signed TLS key + certificate (clients trust trino-cert.pem).
export TRINO_SECRETS_DIR="${TRINO_SECRETS_DIR:-$TRINO_INSTANCE_DIR/secrets}"
export TRINO_CA_CERT="$TRINO_SECRETS_DIR/trino-cert.pem"
export TRINO_SERVICE_PASSWORD_FILE="$TRINO_SECRETS_DIR/service-password"

# Where download.sh puts the unpacked server (bin/, lib/, plugin/{tpch,memory,...}).
export TRINO_DIST_DIR="$STEWARD_CACHE/trino-$TRINO_VERSION"
export TRINO_SERVER_DIR="$TRINO_DIST_DIR/server"
export STEWARD_PLUGIN_BUILD_DIR="$STEWARD_REPO/trino-plugin/target/steward-plugin"

export PATH="$JAVA_HOME/bin:$PATH"

# Creates the instance's secrets if missing (idempotent; files mode 600, the certificate 644).
steward_ensure_secrets() {
  command -v openssl >/dev/null 2>&1 || steward_die "openssl not found; it makes Trino's self-signed TLS certificate"
  local d="$TRINO_SECRETS_DIR"
  mkdir -p "$d" && chmod 700 "$d"
  local f
  for f in service-password shared-secret; do
    if [[ ! -s "$d/$f" ]]; then
      (umask 077; openssl rand -hex 24 >"$d/$f.tmp" && mv "$d/$f.tmp" "$d/$f")
    fi
  done
  if [[ ! -s "$d/trino-tls.pem" || ! -s "$d/trino-cert.pem" ]]; then
    (
      umask 077
      openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$d/trino-key.pem" -out "$d/trino-cert.pem.tmp" >/dev/null 2>&1 || steward_die "openssl could not make a certificate"
      cat "$d/trino-key.pem" "$d/trino-cert.pem.tmp" >"$d/trino-tls.pem"
      rm -f "$d/trino-key.pem"
      mv "$d/trino-cert.pem.tmp" "$d/trino-cert.pem"
    )
    chmod 644 "$d/trino-cert.pem"
  fi
}

# Worker n (1-based) of this instance: its directory and its HTTP port.
steward_worker_dir() { printf '%s/worker-%s' "$TRINO_INSTANCE_DIR" "$1"; }
steward_worker_port() { printf '%s' "$((TRINO_WORKER_PORT + $1 - 1))"; }

steward_log() { printf '[trino] %s\n' "$*" >&2; }
steward_die() { printf '[trino] ERROR: %s\n' "$*" >&2; exit 1; }

steward_check_tools() {
  if [[ ! -x "$JAVA_HOME/bin/java" ]]; then
    steward_die "Java 25 not found at JAVA_HOME=$JAVA_HOME (install Temurin 25, or point JAVA_HOME at a JDK >= 24.0.1)"
  fi
  local v major
  v="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  major="${v%%.*}"
  if [[ -z "$major" || "$major" -lt 24 ]]; then
    steward_die "Trino $TRINO_VERSION needs Java >= 24.0.1; $JAVA_HOME/bin/java is version '${v:-unknown}' (set JAVA_HOME to a JDK 25, e.g. /usr/lib/jvm/temurin-25-jdk-amd64)"
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    steward_die "mvn (Apache Maven) not found on PATH; it is needed to download Trino from Maven Central"
  fi
}
