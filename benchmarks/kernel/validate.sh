#!/usr/bin/env bash
# Does the simulated machine tell the truth? Records a run on the VM lab's sched_ext kernel under
# each policy (a periodic SCHED_OTHER sleeper, cyclictest, among CPU hogs, stress-ng), replays
# each recording on the simulated machine with every policy, and puts side by side the kernel's
# measured wake-up latencies (its own trace: sched_waking to sched_switch; and the recording) and
# the simulator's predicted ones. Then the report: per policy, p50 and p99, kernel and simulator,
# their ratio, and whether the simulator ranks the policies as the kernel does.
#
#   benchmarks/kernel/validate.sh [--rounds N] [--quick|--full] [--policies deadline,fifo] [--seeds N] [--out DIR] [--realtime]
#
# The sleeper wakes 300 times per policy and round; --full 1000 times, --quick 200 (the short
# version, which KernelValidationVmIT runs in every build). --realtime runs qemu as a real-time
# process (see bench.sh). Needs the build (mvn install) and the VM lab.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rounds=1
mode=quick
policies=deadline,fifo
seeds=3
out=$top/benchmarks/kernel/target/validate-$(date +%Y%m%d-%H%M%S)
realtime=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --quick) mode=ci; shift ;;
    --full) mode=full; shift ;;
    --policies) policies=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --realtime) realtime=(chrt -f 1); shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "validate.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

layout=$top/launcher/target/scx_javaland
[ -x "$layout/bin/scx_javaland" ] || { echo "validate.sh: $layout is not built: run mvn install first." >&2; exit 1; }
for tool in cyclictest stress-ng; do
  command -v "$tool" >/dev/null || { echo "validate.sh: $tool is missing: scripts/setup-debian.sh installs it." >&2; exit 1; }
done

if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "validate.sh: $out is not empty: give a new folder, so that nothing of an earlier run is taken for this one's." >&2
  exit 2
fi
mkdir -p "$out"
failed=0
{
  echo "command=$0 --rounds $rounds --mode $mode --policies $policies --seeds $seeds ${realtime[*]:+--realtime}"
  echo "commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "host=$(uname -n) $(nproc) CPUs"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$out/about.txt"

IFS=, read -r -a list <<<"$policies"
for ((r = 1; r <= rounds; r++)); do
  # Rotate the order from round to round, as bench.sh does; EEVDF runs too, for reference.
  order=()
  for ((i = 0; i < ${#list[@]}; i++)); do order+=("${list[$(( (i + r - 1) % ${#list[@]} ))]}"); done
  order_csv=$(IFS=,; echo "${order[*]},eevdf")
  dir=$out/round$r
  mkdir -p "$dir"
  echo "validate.sh: round $r of $rounds: recording on the kernel ($order_csv, $mode)" >&2
  VMLAB_TCG_THREAD=${VMLAB_TCG_THREAD:-single} "${realtime[@]}" bash "$top/itests/vm/vmlab/vmlab.sh" run --timeout 3600 \
    --env SCX_BENCH_WORKLOADS=cyclictest --env "SCX_BENCH_ARGS=--record %o/%p.trace --record-seconds 1800" \
    --out "$dir" -- bash "$here/guest-bench.sh" "$layout" "$order_csv" "$mode" \
    >"$dir/results.txt" 2>"$dir/harness.err" || { echo "validate.sh: round $r's guest exited with $?" >&2; failed=1; }
  for p in "${list[@]}"; do
    if [ ! -s "$dir/$p.trace" ]; then
      echo "validate.sh: round $r made no recording under $p (see $dir/harness.err)" >&2
      failed=1
      continue
    fi
    # The machine's own cost of scheduling, measured in the same guest: the scheduling thread's CPU
    # time per task it dispatched (under emulation, many times what it is on hardware). The
    # simulator charges its per-task cost twice per task (the record read, the dispatch written).
    per_dispatch_ns=$(sed -n "s/^$p\.cyclictest\.sched_cpu_per_user_dispatch_ns=\([0-9]*\)$/\1/p" "$dir/results.txt")
    costs=()
    if [ -n "$per_dispatch_ns" ] && [ "$per_dispatch_ns" -gt 1 ]; then
      costs=(--sched-round-ns 0 --sched-task-ns $((per_dispatch_ns / 2)))
    fi
    echo "validate.sh: round $r: replaying the recording made under $p with $policies ${costs[*]}" >&2
    "$layout/bin/scx_javaland-compare" --policies "$policies" --workloads "trace:$dir/$p.trace" --seeds "$seeds" \
      "${costs[@]}" --out "$dir/sim-$p" >"$dir/sim-$p.out" 2>&1 || { echo "validate.sh: the replay of $p's recording exited with $?" >&2; failed=1; }
  done
done

/usr/bin/python3 "$here/validate_report.py" "$out" "$policies"
echo "validate.sh: report in $out/validation.md" >&2
exit $failed
