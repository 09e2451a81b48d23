#!/usr/bin/env bash
# What scx_javaland --record costs on the BPF side, and how large a recording grows, on the VM
# lab's sched_ext kernel (one boot, record-in-guest.sh): `perf bench sched pipe` and `hackbench`
# under the deadline policy with and without --record, alternating, medians and ratio; then a
# minute recorded under stress-ng --cpu 2 plus cyclictest -i 10000, and an idle minute.
#
#   benchmarks/kernel/record-bench.sh [--rounds N] [--size-secs S]
#
# Needs the build (mvn install) and the VM lab. Run it as a measurement: nothing else on the host
# (prefix with chrt -f 1 as root to keep other work out of the figures).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rounds=3
size_secs=60
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --size-secs) size_secs=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "record-bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
layout=$top/launcher/target/scx_javaland
[ -x "$layout/bin/scx_javaland" ] || { echo "record-bench.sh: $layout is not built: run mvn install first." >&2; exit 1; }
out=$(mktemp)
VMLAB_TCG_THREAD=single bash "$top/itests/vm/vmlab/vmlab.sh" run --timeout $((900 + rounds * 240 + 2 * size_secs)) -- \
  bash "$here/record-in-guest.sh" "$layout" "$rounds" "$size_secs" | tee "$out"
python3 - "$out" "$size_secs" <<'PY'
import re, statistics, sys
lines = dict(l.split('=', 1) for l in open(sys.argv[1]).read().splitlines() if '=' in l and not l.startswith('vmlab'))
secs = float(sys.argv[2])
def med(metric, case):
    v = [float(x) for k, x in lines.items() if k.endswith(f'.{case}.{metric}') and x.strip()]
    return statistics.median(v), min(v), max(v), len(v)
print('\n| workload | unit | without --record | with --record | ratio |\n|---|---|---|---|---|')
for metric, unit in (('pipe_us_per_op', 'us/op'), ('hackbench_s', 's')):
    p, r = med(metric, 'plain'), med(metric, 'record')
    print(f'| {metric} | {unit} | {p[0]:.2f} ({p[1]:.2f}-{p[2]:.2f}) | {r[0]:.2f} ({r[1]:.2f}-{r[2]:.2f}) | {r[0] / p[0]:.2f}x |')
pat = re.compile(r'Recorded (\d+) events of (\d+) tasks \((\d+) bytes, (\d+) events dropped')
print('\n| recording | events/min | tasks | MiB/min | bytes/event | dropped |\n|---|---|---|---|---|---|')
for name in ('busy', 'idle'):
    m = pat.search(lines.get(f'{name}.line', ''))
    if m:
        ev, tasks, size, dropped = map(int, m.groups())
        print(f'| {name} | {ev * 60 / secs:.0f} | {tasks} | {size * 60 / secs / 2**20:.2f} | {size / max(ev, 1):.1f} | {dropped} |')
for k, v in lines.items():
    if k.endswith('.record.line'):
        print(f'{k}: {v}')
PY
rm -f "$out"
