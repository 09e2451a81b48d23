#!/usr/bin/env bash
# The kernel benchmark suite: javaland's policies against the kernel's default scheduler (EEVDF)
# on the VM lab's sched_ext kernel, with third-party tools (rt-tests, sysbench, perf, stress-ng,
# schbench when built, a parallel build of a Debian source package). One guest boot per round runs
# every scheduler; the order rotates from round to round. Then the report: medians with their
# spread, ratios against EEVDF, plots.
#
#   benchmarks/kernel/bench.sh [--rounds N] [--quick] [--schedulers eevdf,deadline,fifo] [--out DIR] [--realtime]
#
# --realtime runs qemu as a real-time (SCHED_FIFO) process, as root: the guest's clock follows the
# host's, so on a host busy with other work a guest that waits for a CPU sees its tasks stall; this
# keeps other work on the host from reaching into the figures (both schedulers alike).
#
# Needs the build (mvn install) and the VM lab (itests/vm/vmlab/vmlab.sh setup). Everything runs
# under qemu's software emulation (TCG): the figures compare schedulers in the same guest and mode,
# not with hardware.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rounds=3
mode=full
schedulers=eevdf,deadline,fifo
out=$top/benchmarks/kernel/target/run-$(date +%Y%m%d-%H%M%S)
realtime=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --quick) mode=quick; shift ;;
    --schedulers) schedulers=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --realtime) realtime=(chrt -f 1); shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

layout=$top/launcher/target/scx_javaland
[ -x "$layout/bin/scx_javaland" ] || { echo "bench.sh: $layout is not built: run mvn install first." >&2; exit 1; }
for tool in cyclictest hackbench sysbench perf stress-ng; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing: scripts/setup-debian.sh installs it." >&2; exit 1; }
done
cache=${VMLAB_CACHE:-$HOME/.cache/scx-javaland-vmlab}/bench
schbench=$cache/schbench/schbench
[ -x "$schbench" ] || schbench=
tree=
if [ "$mode" = full ]; then
  tree=$("$here/source-tree.sh" "$cache")
fi

mkdir -p "$out"
{
  echo "command=$0 --rounds $rounds $([ "$mode" = quick ] && echo --quick) --schedulers $schedulers ${realtime[*]:+--realtime}"
  echo "commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "host=$(uname -n) $(nproc) CPUs"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "schbench=${schbench:-not built}"
  echo "build_tree=${tree:-none}"
} >"$out/about.txt"

IFS=, read -r -a list <<<"$schedulers"
for ((r = 1; r <= rounds; r++)); do
  # Rotate the order: each scheduler goes first in some round, as the guest warms up.
  order=()
  for ((i = 0; i < ${#list[@]}; i++)); do order+=("${list[$(( (i + r - 1) % ${#list[@]} ))]}"); done
  order_csv=$(IFS=,; echo "${order[*]}")
  echo "bench.sh: round $r of $rounds ($order_csv, $mode)" >&2
  mkdir -p "$out/round$r"
  VMLAB_TCG_THREAD=${VMLAB_TCG_THREAD:-single} "${realtime[@]}" bash "$top/itests/vm/vmlab/vmlab.sh" run --timeout 5400 \
    --out "$out/round$r" -- bash "$here/guest-bench.sh" "$layout" "$order_csv" "$mode" "$schbench" "$tree" \
    >"$out/round$r/results.txt" 2>"$out/round$r/harness.err" || echo "bench.sh: round $r exited with $?" >&2
done

/usr/bin/python3 "$here/report.py" "$out"
echo "bench.sh: report in $out/report.md" >&2
