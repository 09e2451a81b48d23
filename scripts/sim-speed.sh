#!/usr/bin/env bash
# The simulator's speed, measured by hand (no test depends on it): desktop-under-build in fast
# mode with the deadline policy, driven by the connector's scheduling thread (SimulatorSpeed),
# on 4, 64 and 1024 CPUs, once with C1 only (as the start script runs the JVM, except for a long
# fast simulation) and once with the full JIT (C2); then the user's command end to end through the
# start script, with the JIT it picks (C2 for that command) and with C1 only.
#
#   mvn -B -o package -DskipTests -pl benchmarks,launcher -am     # first, from the top level
#   scripts/sim-speed.sh                                           # or with the settings below
#
# VIRTUAL_S   virtual seconds of a measured run, one per CPU count (default 600,60,10)
# REPEAT      measured runs per CPU count; the table shows the median (default 3)
# CPUS        CPU counts (default 4,64,1024)
# E2E_MS      --sim-duration-ms of the end-to-end command (default 600000; 0 skips it)
# E2E_REPEAT  end-to-end runs (default 3)
# JIT         c1, c2 or both (default both)
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
start=launcher/target/scx_javaland/bin/scx_javaland
for f in "$jar" "$start"; do
    [ -e "$f" ] || { echo "$f is missing: mvn -B -o package -DskipTests -pl benchmarks,launcher -am" >&2; exit 1; }
done
virtual_s=${VIRTUAL_S:-600,60,10}
repeat=${REPEAT:-3}
cpus=${CPUS:-4,64,1024}
e2e_ms=${E2E_MS:-600000}
e2e_repeat=${E2E_REPEAT:-3}
jit=${JIT:-both}

bench() { # JVM flags...
    java -Xms256m -Xmx256m -XX:+AlwaysPreTouch "$@" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "$jar" org.scxjavaland.benchmarks.SimulatorSpeed --cpus "$cpus" --virtual-s "$virtual_s" --repeat "$repeat"
}
if [ "$jit" != c2 ]; then
    echo "== C1 only (-XX:TieredStopAtLevel=1), as the start script runs the JVM but for a long fast simulation"
    bench -XX:TieredStopAtLevel=1
    echo
fi
if [ "$jit" != c1 ]; then
    echo "== with the full JIT (C2), as the start script runs a long fast simulation"
    bench
    echo
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
output=$(mktemp)   # the last end-to-end run's output: a file of our own, not a guessable name in /tmp
trap 'rm -f "$output"' EXIT
wall() { # arguments of the start script; prints its wall seconds
    local t0 t1
    t0=$(date +%s.%N)
    "$start" "$@" </dev/null >"$output" 2>&1 || { cat "$output" >&2; exit 1; }
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}
if [ "$e2e_ms" != 0 ]; then
    cmd=(--workload desktop-under-build --sim-cpus 64 --sim-mode fast --sim-duration-ms "$e2e_ms")
    wall "${cmd[@]:0:6}" --sim-duration-ms 1 >/dev/null # makes the class-data archive
    # C2, the start script's own choice for this command, then C1 only as before; the start-up (a
    # run of 1 ms, for which the script would pick C1) with the same JIT as the command.
    for opts in -XX:TieredStopAtLevel=4 -XX:TieredStopAtLevel=1; do
        echo "== end to end: SCX_JAVA_OPTS=$opts $start ${cmd[*]}"
        startups=(); runs=()
        for _ in $(seq "$e2e_repeat"); do
            startups+=("$(SCX_JAVA_OPTS=$opts wall "${cmd[@]:0:6}" --sim-duration-ms 1)")
            runs+=("$(SCX_JAVA_OPTS=$opts wall "${cmd[@]}")")
        done
        grep -E '^(policy|dispatches)' "$output" || true
        s=$(printf '%s\n' "${startups[@]}" | median)
        r=$(printf '%s\n' "${runs[@]}" | median)
        echo "start-up (1 ms of virtual time): ${startups[*]} s, median $s s"
        echo "the command: ${runs[*]} s, median $r s; beyond start-up $(echo "$r - $s" | bc) s;" \
            "one virtual hour about $(echo "($r - $s) * 3600000 / $e2e_ms" | bc) s beyond start-up"
    done
fi
