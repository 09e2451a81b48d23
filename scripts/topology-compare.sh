#!/usr/bin/env bash
# The simulated machine's idle pick that follows the topology against the flat pick (the pick of
# the machine before topologies), on the same machine, the same workloads and the same seeds, with
# the deadline policy. Prints per workload and pick the median across seeds of each group's p50 and
# p99 wake-to-run latency and of the hogs' CPU-seconds per second, then the wake-ups' locality and
# the topology's costs (medians). Run by hand; it measures and prints, it asserts nothing.
#
#   mvn -B -o package -DskipTests -pl launcher -am     # first, from the top level
#   scripts/topology-compare.sh                         # or with the settings below
#
# TOPOLOGY   the machine (default nodes=2,llcs-per-node=2,cores-per-llc=4,threads-per-core=2)
# WORKLOADS  comma-separated names or files (default desktop-under-build,server,examples/workloads/server-numa.properties)
# SEEDS      how many seeds, 1..SEEDS (default 5)
# MS         virtual milliseconds a run (default 10000)
# PICKS      comma-separated among topology, flat and numa (topology with --numa-local)
#            (default topology,flat,numa)
# OUT        where each run's table goes (default target/topology-compare)
set -euo pipefail
cd "$(dirname "$0")/.."

start=launcher/target/scx_javaland/bin/scx_javaland
[ -x "$start" ] || { echo "$start is missing: mvn -B -o package -DskipTests -pl launcher -am" >&2; exit 1; }
topology=${TOPOLOGY:-nodes=2,llcs-per-node=2,cores-per-llc=4,threads-per-core=2}
workloads=${WORKLOADS:-desktop-under-build,server,examples/workloads/server-numa.properties}
seeds=${SEEDS:-5}
ms=${MS:-10000}
out=${OUT:-target/topology-compare}
picks=${PICKS:-topology,flat,numa}
mkdir -p "$out"

# A workload file's runs are named after the file, without its folder.
label() { basename "${1%.properties}"; }

for w in ${workloads//,/ }; do
    for pick in ${picks//,/ }; do
        case $pick in
            numa) how=(--sim-idle-pick topology --numa-local) ;;
            *) how=(--sim-idle-pick "$pick") ;;
        esac
        for seed in $(seq 1 "$seeds"); do
            "$start" --backend sim --policy deadline --workload "$w" --sim-topology "$topology" \
                "${how[@]}" --sim-mode fast --sim-duration-ms "$ms" --sim-seed "$seed" \
                >"$out/$(label "$w").$pick.$seed.txt" 2>"$out/$(label "$w").$pick.$seed.err"
        done
    done
done

echo "machine $topology, deadline policy, $ms ms of virtual time, seeds 1..$seeds: medians across seeds"
for workload in ${workloads//,/ }; do
    w=$(label "$workload")
    echo
    echo "== $workload"
    printf '%-12s %-9s %10s %10s %8s\n' group pick "p50(us)" "p99(us)" "cpu-s/s"
    groups=$(awk '/^group /{on=1; next} /^dispatches:/{on=0} on{print $1}' "$out/$w.${picks%%,*}.1.txt")
    for g in $groups; do
        for pick in ${picks//,/ }; do
            cat "$out/$w.$pick".*.txt | awk -v g="$g" -v pick="$pick" '
                $1 == g { p50[n] = $5; p99[n] = $6; cpu[n] = $10; n++ }
                function median(a,   k, i, j, t) {
                    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
                    return a[int((n - 1) / 2)]
                }
                END { printf "%-12s %-9s %10s %10s %8s\n", g, pick, median(p50), median(p99), median(cpu) }'
        done
    done
    printf '%-9s %9s %9s %9s %9s %9s %12s %12s\n' pick "same-cpu%" "sibling%" "same-llc%" "other-llc%" "other-node%" "smt-cpu-s" "refill-s"
    for pick in ${picks//,/ }; do
        cat "$out/$w.$pick".*.txt | awk -v pick="$pick" '
            /^wake-ups/ { gsub(/[(%),:]/, " "); a[n] = $6; b[n] = $10; c[n] = $14; d[n] = $18; e[n] = $22 }
            /^smt:/ { s[n] = $2; gsub(/[,]/, " "); r[n] = $(NF - 4); n++ }
            function median(x,   k, i, j, t) {
                for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }
                return x[int((n - 1) / 2)]
            }
            END { printf "%-9s %9s %9s %9s %9s %9s %12s %12s\n", pick, median(a), median(b), median(c), median(d), median(e), median(s), median(r) }'
    done
done
