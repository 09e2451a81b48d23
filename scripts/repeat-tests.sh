#!/usr/bin/env bash
# Runs the unit and OSGi integration tests (not the VM tests) again and again, to catch a test whose
# outcome depends on timing or on the machine's speed, optionally with a CPU hog on each core.
# Prints one line per run and a summary with the failing tests and how often each failed.
#
#   scripts/repeat-tests.sh [--runs N] [--load] [-- MAVEN_ARGS...]
#     --runs N   how many runs (default 10)
#     --load     keep `stress-ng --cpu $(nproc)` running throughout
#   e.g. scripts/repeat-tests.sh --runs 10 --load
#        scripts/repeat-tests.sh --runs 20 -- -pl bundles/connector -Dtest=SchedulerTest
#
# The build must be installed once first (mvn install -DskipTests); each run is then
# mvn -o verify -Dvm.tests=false, with its report folder kept under target/repeat-tests/RUN.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=10
load=0
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --load) load=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "repeat-tests.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

out=target/repeat-tests
mkdir -p "$out"
hog=
if [ $load -eq 1 ]; then
  command -v stress-ng >/dev/null || { echo "repeat-tests.sh: --load needs stress-ng (scripts/setup-debian.sh installs it)." >&2; exit 1; }
  stress-ng --cpu "$(nproc)" --timeout 0 >/dev/null 2>&1 &
  hog=$!
  trap 'kill $hog 2>/dev/null' EXIT
fi

passed=0
: >"$out/failures.txt"
for ((i = 1; i <= runs; i++)); do
  log=$out/run-$i.log
  start=$(date +%s)
  if mvn -B -o verify -Dvm.tests=false "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    result=passed
  else
    result=FAILED
    # The failing tests, as Surefire and Failsafe name them: "Class.method:line ...".
    named=$(grep -E '^\[ERROR\]   [A-Za-z0-9_.$]+' "$log" | sed 's/^\[ERROR\]   //' | cut -d' ' -f1 || true)
    [ -n "$named" ] || named="(no test failed: the build did; see $log)"
    printf '%s\n' "$named" | sed "s/^/run $i: /" >>"$out/failures.txt"
  fi
  tests=$(grep -E 'Tests run: [0-9]+, Failures' "$log" | grep -v ' in ' | awk -F'[ ,]+' '{ t += $4 } END { print t + 0 }')
  echo "run $i of $runs: $result ($tests tests, $(( $(date +%s) - start )) s$([ $load -eq 1 ] && echo ', under load'))"
done
echo "$passed of $runs runs passed$([ $load -eq 1 ] && echo " with stress-ng --cpu $(nproc) running")."
if [ -s "$out/failures.txt" ]; then
  echo "Failing tests (runs in which each failed):"
  sed 's/^run [0-9]*: //' "$out/failures.txt" | sort | uniq -c | sort -rn
fi
[ "$passed" -eq "$runs" ]
