#!/usr/bin/env bash
# Downloads Trino $TRINO_VERSION once into $STEWARD_CACHE/trino-$TRINO_VERSION/ and unpacks it:
#   dl/                     the Maven artifacts while downloading (removed when complete; they stay in ~/.m2)
#   server/                 bin/ lib/ plugin/ (plugin/tpch and plugin/memory added from the zips)
#   .complete               marker written last; without it everything below is redone
# Idempotent and safe to run concurrently (flock). Prints the server dir as its last line.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

MARKER="$TRINO_DIST_DIR/.complete"
PLUGINS=(tpch memory)

if [[ -f "$MARKER" && -x "$TRINO_SERVER_DIR/bin/launcher" ]]; then
  echo "$TRINO_SERVER_DIR"
  exit 0
fi

steward_check_tools
mkdir -p "$TRINO_DIST_DIR"
exec 9>"$TRINO_DIST_DIR.lock"
if ! flock -n 9; then
  steward_log "another download of Trino $TRINO_VERSION is running; waiting for it"
  flock 9
fi
if [[ -f "$MARKER" && -x "$TRINO_SERVER_DIR/bin/launcher" ]]; then
  echo "$TRINO_SERVER_DIR"
  exit 0
fi

started=$(date +%s)
steward_log "downloading Trino $TRINO_VERSION into $TRINO_DIST_DIR (Maven Central via mvn; ~220 MB the first time)"
DL="$TRINO_DIST_DIR/dl"
mkdir -p "$DL"

fetch() { # groupId:artifactId:version:type -> $DL/<artifactId>-<version>.<type>
  local artifact="$1" file="$2"
  if [[ -s "$DL/$file" ]] && verify "$DL/$file"; then
    return 0
  fi
  rm -f "$DL/$file"
  local log="$DL/mvn-${file}.log"
  if ! mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$artifact" -DoutputDirectory="$DL" -Dmdep.overWriteReleases=true >"$log" 2>&1 9>&-; then
    tail -n 30 "$log" >&2
    steward_die "mvn could not download $artifact (log: $log)"
  fi
  [[ -s "$DL/$file" ]] || steward_die "mvn finished but $DL/$file is missing (log: $log)"
  verify "$DL/$file" || steward_die "$DL/$file is corrupt (delete it and retry)"
}

verify() { # a truncated archive must not count as downloaded
  case "$1" in
    *.tar.gz) gzip -t "$1" 2>/dev/null ;;
    *.zip) unzip -tq "$1" >/dev/null 2>&1 ;;
  esac
}

fetch "io.trino:trino-server-core:$TRINO_VERSION:tar.gz" "trino-server-core-$TRINO_VERSION.tar.gz"
for p in "${PLUGINS[@]}"; do
  fetch "io.trino:trino-$p:$TRINO_VERSION:zip" "trino-$p-$TRINO_VERSION.zip"
done

steward_log "unpacking"
TMP="$TRINO_DIST_DIR/server.tmp"
rm -rf "$TMP" "$TRINO_SERVER_DIR"
mkdir -p "$TMP"
tar -xzf "$DL/trino-server-core-$TRINO_VERSION.tar.gz" -C "$TMP"
mv "$TMP/trino-server-core-$TRINO_VERSION" "$TMP/server"
for p in "${PLUGINS[@]}"; do
  unzip -q "$DL/trino-$p-$TRINO_VERSION.zip" -d "$TMP/zip-$p"
  [[ -d "$TMP/zip-$p/trino-$p-$TRINO_VERSION" ]] || steward_die "trino-$p-$TRINO_VERSION.zip has no trino-$p-$TRINO_VERSION/ directory"
  rm -rf "$TMP/server/plugin/$p"
  mv "$TMP/zip-$p/trino-$p-$TRINO_VERSION" "$TMP/server/plugin/$p"
  rmdir "$TMP/zip-$p"
done
[[ -x "$TMP/server/bin/launcher" ]] || steward_die "unpacked server has no bin/launcher"
mv "$TMP/server" "$TRINO_SERVER_DIR"
rmdir "$TMP"
date -u +%FT%TZ >"$MARKER"
rm -rf "$DL" # the artifacts stay in ~/.m2; a redo re-copies them from there
steward_log "Trino $TRINO_VERSION ready in $(( $(date +%s) - started ))s: $TRINO_SERVER_DIR"
echo "$TRINO_SERVER_DIR"
