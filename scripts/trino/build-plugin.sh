#!/usr/bin/env bash
# Builds the steward connector (trino-plugin/, Maven, Java 25) into trino-plugin/target/steward-plugin/:
# the plugin jar plus its runtime dependencies, ready to copy into Trino's plugin/ directory.
# Prints that directory on the last line of stdout (Maven's own output goes to stderr).
#
#   SKIP_TESTS=1   build without running the JUnit tests
#   FORCE=1        build even when the output is newer than every source
#   JAVA_HOME      a JDK >= 25; if unset or older, /usr/lib/jvm/temurin-25-jdk-amd64 is used
#
# Up to date = the output is newer than pom.xml and everything under src/. A tested build also satisfies
# SKIP_TESTS=1; an untested one does not satisfy a later run that wants the tests.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/../.." && pwd)/trino-plugin"
target="$project/target"
out="$target/steward-plugin"
default_java_home=/usr/lib/jvm/temurin-25-jdk-amd64

log() { printf '[build-plugin] %s\n' "$*" >&2; }
die() { printf '[build-plugin] ERROR: %s\n' "$*" >&2; exit 1; }

java_major() {
  local v
  [[ -x "$1/bin/java" ]] || return 1
  v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  printf '%s' "${v%%.*}"
}

java_home=""
for candidate in "${JAVA_HOME:-}" "$default_java_home"; do
  [[ -n "$candidate" ]] || continue
  major="$(java_major "$candidate" || true)"
  if [[ -n "$major" && "$major" -ge 25 ]]; then
    java_home="$candidate"
    break
  fi
done
[[ -n "$java_home" ]] || die "Java 25 not found (JAVA_HOME='${JAVA_HOME:-}', and no JDK at $default_java_home); install Temurin 25 or point JAVA_HOME at a JDK >= 25"
command -v mvn >/dev/null 2>&1 || die "mvn (Apache Maven >= 3.6.3) not found on PATH"
[[ -f "$project/pom.xml" ]] || die "$project/pom.xml not found"

skip_tests=0
[[ "${SKIP_TESTS:-0}" == 1 ]] && skip_tests=1
tested_stamp="$target/.steward-plugin.tested"
untested_stamp="$target/.steward-plugin.untested"

up_to_date() {
  [[ -f "$1" ]] && compgen -G "$out/*.jar" >/dev/null \
    && [[ -z "$(find "$project/pom.xml" "$project/src" -newer "$1" -print -quit)" ]]
}

mkdir -p "$target"
# Concurrent builds (demo and tests) would empty the plugin directory under each other.
exec 9>"$target/.steward-plugin.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi

if [[ "${FORCE:-0}" != 1 ]] && { up_to_date "$tested_stamp" || { [[ "$skip_tests" == 1 ]] && up_to_date "$untested_stamp"; }; }; then
  log "up to date"
  printf '%s\n' "$out"
  exit 0
fi

stamp="$untested_stamp"
mvn_args=(-q -B -Dstyle.color=never package)
if [[ "$skip_tests" == 1 ]]; then
  mvn_args+=(-DskipTests)
  log "building without tests (JAVA_HOME=$java_home)"
else
  stamp="$tested_stamp"
  log "building and testing (JAVA_HOME=$java_home)"
fi

# Taken before the build, so a source edited while Maven runs is still newer than the stamp.
touch "$stamp.new"
rm -f "$tested_stamp" "$untested_stamp"
started=$SECONDS
(
  cd "$project"
  # Maven 3.8's bundled Guava uses sun.misc.Unsafe, which Java 25 warns about on every run; Debian's Maven
  # also prints bare colour resets even in batch mode (stripped below).
  JAVA_HOME="$java_home" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn "${mvn_args[@]}"
) 2>&1 | sed -u -e $'s/\x1b\\[0m//g' -e '/^$/d' >&2 || { rm -f "$stamp.new"; die "Maven build failed (see above)"; }
mv "$stamp.new" "$stamp"

compgen -G "$out/*.jar" >/dev/null || die "build finished but $out holds no jar"
if [[ "$skip_tests" == 0 ]]; then
  tests="$(cat "$target"/surefire-reports/*.txt 2>/dev/null | awk -F'[ ,]+' '/^Tests run:/ {n += $3} END {print n + 0}')"
  log "built in $((SECONDS - started))s, $tests tests passed"
else
  log "built in $((SECONDS - started))s"
fi
printf '%s\n' "$out"
