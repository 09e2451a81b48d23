#!/usr/bin/env bash
# Runs scx_javaland from this source tree: installs what Debian must provide (once), builds
# when a source is newer than the last build, then starts it with the given options.
# Without a sched_ext kernel (or without root) it schedules the simulated machine.
set -euo pipefail
cd "$(dirname "$0")"

scripts/setup-debian.sh

start=launcher/target/scx_javaland/bin/scx_javaland
if [ ! -x "$start" ] || [ -n "$(find pom.xml bundles launcher bpf -newer "$start" \
        \( -name '*.java' -o -name '*.c' -o -name '*.h' -o -name 'pom.xml' -o -name '*.properties' -o -name '*.cfg' \) \
        -not -path '*/target/*' -print -quit)" ]; then
  echo "Building scx_javaland (mvn install, tests skipped; ./test.sh runs them)..." >&2
  # Debian's Maven prints colour resets even in batch mode: strip them from what reaches the user.
  mvn -B -q install -DskipTests -pl launcher -am 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2
  touch "$start"
fi
exec "$start" "$@"
