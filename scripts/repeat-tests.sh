#!/usr/bin/env bash
# Runs the tests again and again, to catch a test whose outcome depends on timing or on the
# machine's speed, optionally with a CPU hog on each core. Prints one line per run and a summary
# with the failing tests and how often each failed.
#
#   scripts/repeat-tests.sh [--runs N] [--load] [-- MAVEN_ARGS...]
#   scripts/repeat-tests.sh --clean-clones N [--load]
#     --runs N          how many runs of the unit and OSGi tests in this tree (default 10): each is
#                       mvn -o verify -Dvm.tests=false MAVEN_ARGS (install the build once first:
#                       mvn install -DskipTests)
#     --clean-clones N  instead, N runs of the whole ./test.sh, each in a fresh git clone of this
#                       tree's commit in a temporary folder, as CI runs it (bash .ci/run there);
#                       uncommitted changes are not in the clones. The environment passes through:
#                       VM_TESTS=false skips the kernel tests, MAVEN_OPTS=-Dmaven.repo.local=DIR
#                       keeps the clones' `mvn install` out of ~/.m2
#     --load            keep `stress-ng --cpu $(nproc)` running throughout
#   e.g. scripts/repeat-tests.sh --runs 10 --load
#        scripts/repeat-tests.sh --runs 20 -- -pl bundles/connector -Dtest=SchedulerTest
#        VM_TESTS=false scripts/repeat-tests.sh --clean-clones 3
#
# Each run's output is kept in target/repeat-tests/run-N.log (clone-N.log for clean clones); the
# clones themselves are removed after their run. Exits 0 only when every run passed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=10
clones=0
load=0
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --clean-clones) clones=$2; shift 2 ;;
    --load) load=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "repeat-tests.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$runs" "$clones"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "repeat-tests.sh: '$n' is not a number of runs (see --help)" >&2; exit 2; }
done
if [ "$clones" -gt 0 ]; then
  [ $# -eq 0 ] || { echo "repeat-tests.sh: --clean-clones runs .ci/run as CI does, without Maven arguments" \
    "(pass Maven's options through MAVEN_OPTS)" >&2; exit 2; }
  runs=$clones
  commit=$(git rev-parse HEAD)
  [ -z "$(git status --porcelain --untracked-files=no)" ] \
    || echo "repeat-tests.sh: this tree has uncommitted changes; the clones hold commit ${commit:0:12} only." >&2
fi

out=target/repeat-tests
mkdir -p "$out"
hog=
clone=
cleanup() {
  [ -z "$hog" ] || kill "$hog" 2>/dev/null || true
  [ -z "$clone" ] || rm -rf "$clone"
}
trap cleanup EXIT
if [ $load -eq 1 ]; then
  command -v stress-ng >/dev/null || { echo "repeat-tests.sh: --load needs stress-ng (scripts/setup-debian.sh installs it)." >&2; exit 1; }
  stress-ng --cpu "$(nproc)" --timeout 0 >/dev/null 2>&1 &
  hog=$!
fi

# One run, its output into the log $1: the tests of this tree (Maven arguments after it), or
# ./test.sh in a fresh clone.
run_once() {
  local log=$1 rc=0 tree
  shift
  if [ "$clones" -eq 0 ]; then
    mvn -B -o verify -Dvm.tests=false "$@" >"$log" 2>&1
    return
  fi
  clone=$(mktemp -d "${TMPDIR:-/tmp}/scx-javaland-clone.XXXXXX")
  # mktemp's 0700 would keep other users out of the tree, as a checkout does not (the OSGi tests
  # write into it as the user nobody).
  chmod 755 "$clone"
  tree=$clone/scx_javaland
  {
    git clone -q --no-checkout "$PWD" "$tree" \
      && { git -C "$tree" cat-file -e "$commit^{commit}" 2>/dev/null || git -C "$tree" fetch -q origin "$commit"; } \
      && git -C "$tree" checkout -q --detach "$commit" \
      && (cd "$tree" && bash .ci/run)
  } >"$log" 2>&1 || rc=$?
  rm -rf "$clone"
  clone=
  return $rc
}

passed=0
: >"$out/failures.txt"
for ((i = 1; i <= runs; i++)); do
  log=$out/$([ "$clones" -gt 0 ] && echo clone || echo run)-$i.log
  start=$(date +%s)
  if run_once "$log" "$@"; then
    passed=$((passed + 1))
    result=passed
  else
    result=FAILED
    # The failing tests, as Surefire and Failsafe name them: "Class.method:line ..." (not Maven's
    # "mvn <args> -rf :module" hint, indented alike).
    named=$(grep -E '^\[ERROR\]   [A-Za-z0-9_$]+\.[A-Za-z0-9_.$]+' "$log" | sed 's/^\[ERROR\]   //' | cut -d' ' -f1 || true)
    [ -n "$named" ] || named="(no test failed: the build did)"
    printf '%s\n' "$named" | sed "s/^/run $i: /" >>"$out/failures.txt"
  fi
  # Each module's summary line (the per-class lines end in "in CLASS"); none when the build failed first.
  tests=$(awk -F'[ ,]+' '/Tests run: [0-9]+, Failures/ && !/ in / { t += $4 } END { print t + 0 }' "$log")
  echo "run $i of $runs: $result ($tests tests, $(( $(date +%s) - start )) s$([ "$clones" -gt 0 ] && echo ', clean clone')$([ $load -eq 1 ] && echo ', under load'))$([ $result = FAILED ] && echo "; see $log")"
done
what=$([ "$clones" -gt 0 ] && echo "clean-clone runs of ./test.sh (commit ${commit:0:12})" || echo runs)
echo "$passed of $runs $what passed$([ $load -eq 1 ] && echo " with stress-ng --cpu $(nproc) running")."
if [ -s "$out/failures.txt" ]; then
  echo "Failing tests (runs in which each failed):"
  sed 's/^run [0-9]*: //' "$out/failures.txt" | sort | uniq -c | sort -rn
fi
[ "$passed" -eq "$runs" ]
