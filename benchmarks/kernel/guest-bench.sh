#!/bin/bash
# One round of the kernel benchmark suite, inside the VM lab's guest: for each scheduler in ORDER
# (eevdf, the kernel's default, or a javaland policy), every workload, with the same tools and
# parameters. Writes key=value lines on stdout (scheduler.workload.figure=value), and the raw
# outputs into $VMLAB_OUT. benchmarks/kernel/bench.sh boots the guest and runs this; by hand:
#   bash itests/vm/vmlab/vmlab.sh run --out /tmp/b -- bash benchmarks/kernel/guest-bench.sh \
#     $PWD/launcher/target/scx_javaland eevdf,deadline,fifo quick
#
#   usage: guest-bench.sh LAYOUT ORDER [ci|quick|full] [SCHBENCH] [BUILD_TREE]
#   A scheduler POLICY+dN runs the policy with --queue-depth N (e.g. deadline+d1).
#   ci: the short version KernelBenchVmIT runs in every build (a few seconds per workload)
#
# Environment: SCX_BENCH_WORKLOADS, a comma-separated subset of the workloads to run (idle,
# cyclictest, sysbench, hackbench, stress_cpu, pipe, sock, schbench, build; default all);
# SCX_BENCH_ARGS, more arguments for scx_javaland, where %p stands for the policy and %o for the
# output folder (e.g. "--record %o/%p.trace").
set -u
LAYOUT=${1:?the scx_javaland layout (launcher/target/scx_javaland)}
ORDER=${2:?schedulers, comma-separated: eevdf,deadline,fifo}
MODE=${3:-full}
SCHBENCH=${4:-}     # a schbench binary, when one was built (not in Debian)
BUILD_TREE=${5:-}   # an unpacked source tree to build with make -j (full mode)
OUT=${VMLAB_OUT:-/tmp/bench-out}
HERE=$(cd "$(dirname "$0")" && pwd)
SE=/sys/kernel/sched_ext
HOME_DIR=/tmp/scx_javaland
mkdir -p "$OUT"

say() { echo "$1=$2"; echo "guest-bench: $1=$2" >/dev/console 2>/dev/null; }
# Sleeps without forking (fork+exec crawls under emulation): a read that times out on a FIFO.
mkfifo /tmp/never && exec 9<>/tmp/never
nap() { read -r -t "$1" -u 9 _ || true; }
now() { local up; read -r up _ </proc/uptime; echo "$up"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

if [ "$MODE" = ci ]; then
  CYCLIC_LOOPS=200; SYSBENCH_S=2; HACKBENCH_LOOPS=20; STRESS_S=2; PIPE_LOOPS=500; SOCK_S=2; SCHBENCH_S=3; IDLE_S=5
elif [ "$MODE" = quick ]; then
  CYCLIC_LOOPS=300; SYSBENCH_S=4; HACKBENCH_LOOPS=50; STRESS_S=4; PIPE_LOOPS=1000; SOCK_S=4; SCHBENCH_S=5; IDLE_S=20
else
  CYCLIC_LOOPS=1000; SYSBENCH_S=10; HACKBENCH_LOOPS=200; STRESS_S=10; PIPE_LOOPS=5000; SOCK_S=15; SCHBENCH_S=15; IDLE_S=60
fi
cd /tmp || exit 3   # stress-ng wants a writable working directory

# ---- javaland: start, stop, and what it costs ----------------------------------------------------
cp -a "$LAYOUT" "$HOME_DIR" || { say copy_error "$LAYOUT"; exit 3; }
# Emulation runs tasks many times slower than hardware against a real-time watchdog: give it 20 s.
echo "timeout_ms = 20000" >>"$HOME_DIR/etc/org.scxjavaland.bpf.cfg"
export SCX_JAVA_OPTS="${SCX_BENCH_JAVA_OPTS:--Xms256m -Xmx256m -XX:+AlwaysPreTouch} ${VMLAB_JAVA_OPTS:-}"
JL_PID=

await_state() { # STATE SECS
  local i=0 st
  while [ $i -lt $(( $2 * 20 )) ]; do
    read -r st <$SE/state
    [ "$st" = "$1" ] && return 0
    nap 0.05; i=$((i + 1))
  done
  return 1
}
# the scheduling thread's on-CPU ns, and the JVM's per-thread CPU ticks, of process $JL_PID
sched_ns() {
  local t name ns
  for t in /proc/"$JL_PID"/task/*; do
    read -r name <"$t/comm" 2>/dev/null || continue
    [ "$name" = scx-scheduler ] && { read -r ns _ <"$t/schedstat"; echo "$ns"; return; }
  done
  echo 0
}
thread_ticks() { # FILE: "name ticks" per thread (utime + stime), and the scheduling thread's apart
  local t line rest name
  for t in /proc/"$JL_PID"/task/*; do
    read -r name <"$t/comm" 2>/dev/null || continue
    read -r line <"$t/stat" 2>/dev/null || continue
    rest=${line##*) }
    # shellcheck disable=SC2086 # the fields of stat, split on purpose
    set -- $rest
    echo "${name// /_} $(( ${12} + ${13} ))"
    [ "$name" = scx-scheduler ] && { echo "sched_user_ticks ${12}"; echo "sched_system_ticks ${13}"; }
  done >"$1"
}
# the counters javaland prints with --stats 1: the sum of the user/kernel dispatch deltas and the
# scheduling thread's CPU, between two marks
counters_at() { # the latest cumulative line: u k from the log's sums so far
  awk '/dispatch -> u:/ { for (i = 1; i <= NF; i++) { if ($i == "u:") u += $(i+1); if ($i == "k:") k += $(i+1) } }
       END { printf "%d %d\n", u, k }' "$OUT/$1.launcher.out"
}

start_javaland() { # POLICY or POLICY+dN (with --queue-depth N)
  local policy=$1 t0 t1 depth=()
  case $1 in *+d*) depth=(--queue-depth "${1##*+d}") ;; esac
  t0=$(now)
  local extra=${SCX_BENCH_ARGS:-}
  extra=${extra//%p/$policy}; extra=${extra//%o/$OUT}
  # shellcheck disable=SC2086  # the extra arguments are words on purpose
  "$HOME_DIR/bin/scx_javaland" --backend bpf --policy "${1%%+*}" "${depth[@]}" --stats 1 $extra </dev/null \
    >"$OUT/$policy.launcher.out" 2>"$OUT/$policy.launcher.err" &
  JL_PID=$!
  if ! await_state enabled 300; then
    say "$policy.start.error" "not attached within 300 s"; kill -9 $JL_PID 2>/dev/null; JL_PID=; return 1
  fi
  t1=$(now)
  say "$policy.start.to_enabled_s" "$(elapsed "$t0" "$t1")"
  # the first interval with a user dispatch: the policy schedules
  local i=0
  until grep -q 'dispatch -> u: *[1-9]' "$OUT/$policy.launcher.out" 2>/dev/null || [ $i -ge 600 ]; do nap 0.1; i=$((i + 1)); done
  say "$policy.start.to_first_user_dispatch_s" "$(elapsed "$t0" "$(now)")"
  grep -o 'attached (load [0-9]* ms, attach [0-9]* ms)' "$OUT/$policy.launcher.err" | head -1 \
    | sed 's/attached (load \([0-9]*\) ms, attach \([0-9]*\) ms)/\1 \2/' | { read -r l a; say "$policy.start.load_ms" "$l"; say "$policy.start.attach_ms" "$a"; }
  say "$policy.start.stall_guard_lines" "$(grep -c 'has been in one round' "$OUT/$policy.launcher.err")"
  # warm-up under a mixed load, so that the JIT has compiled the scheduling path before measuring
  stress-ng --cpu 2 --sleep 2 --timeout "$([ "$MODE" = ci ] && echo 4 || echo 10)s" >/dev/null 2>&1
}

stop_javaland() { # POLICY
  [ -n "$JL_PID" ] || return
  kill -TERM $JL_PID; wait $JL_PID; say "$1.stop.exit" $?
  await_state disabled 60 || say "$1.stop.error" "still $(cat $SE/state)"
  JL_PID=
}

# ---- measuring one workload under one scheduler --------------------------------------------------
# Runs "$@" as workload NAME of scheduler S with javaland's cost around it when javaland runs.
measure() { # S NAME COMMAND...
  local s=$1 name=$2; shift 2
  local ns0=0 ns1 c0 c1 u0 u1 k0 k1 t0 t1
  if [ -n "$JL_PID" ]; then
    ns0=$(sched_ns); thread_ticks /tmp/ticks0; c0=$(counters_at "$s")
  fi
  t0=$(now)
  "$@" >"$OUT/$s.$name.out" 2>&1
  local rc=$?
  t1=$(now)
  say "$s.$name.exit" $rc
  say "$s.$name.wall_s" "$(elapsed "$t0" "$t1")"
  if [ -n "$JL_PID" ]; then
    nap 1.2   # the stats line of the last interval
    ns1=$(sched_ns); thread_ticks /tmp/ticks1; c1=$(counters_at "$s")
    read -r u0 k0 <<<"$c0"; read -r u1 k1 <<<"$c1"
    say "$s.$name.user_dispatches" $((u1 - u0))
    say "$s.$name.kernel_dispatches" $((k1 - k0))
    say "$s.$name.sched_thread_ms" $(( (ns1 - ns0) / 1000000 ))
    [ $((u1 - u0)) -gt 0 ] && say "$s.$name.sched_cpu_per_user_dispatch_us" $(( (ns1 - ns0) / 1000 / (u1 - u0) ))
    [ $((u1 - u0)) -gt 0 ] && say "$s.$name.sched_cpu_per_user_dispatch_ns" $(( (ns1 - ns0) / (u1 - u0) ))
    # the JVM's CPU by thread name (threads of one name added up), in ticks of 10 ms
    awk 'NR == FNR { a[$1] += $2; next } { b[$1] += $2 } END { for (n in b) if (b[n] - a[n] > 0) printf "%s %d\n", n, b[n] - a[n] }' \
      /tmp/ticks0 /tmp/ticks1 | grep -v '^sched_' | sort -k2 -nr | head -8 | while read -r n d; do say "$s.$name.jvm_ticks.$n" "$d"; done
    # where the scheduling thread's CPU goes: its own code, or the kernel (system calls, switches)
    awk 'NR == FNR { a[$1] = $2; next } /^sched_/ { printf "%s %d\n", $1, $2 - a[$1] }' /tmp/ticks0 /tmp/ticks1 \
      | while read -r n d; do say "$s.$name.$n" "$d"; done
  fi
}

# Percentiles (us) of a cyclictest histogram file: "bucket count" lines, one bucket per us.
cyclic_percentiles() { # S FILE
  awk -v s="$1" '/^[0-9]/ { n = $1 + 0; c = $2 + 0; if (c > 0) { h[n] += c; total += c; if (n > max) max = n } }
    /Histogram Overflows/ { over = $4 + 0 }
    END {
      total += over
      split("50 90 99 99.9", ps, " ")
      for (i = 1; i <= 4; i++) { want[i] = total * ps[i] / 100 }
      run = 0; k = 1
      for (n = 0; n <= max && k <= 4; n++) { run += h[n]; while (k <= 4 && run >= want[k]) { printf "%s.cyclictest.p%s_us=%d\n", s, ps[k], n; k++ } }
      while (k <= 4) { printf "%s.cyclictest.p%s_us=overflow\n", s, ps[k]; k++ }
      printf "%s.cyclictest.samples=%d\n%s.cyclictest.overflows=%d\n", s, total, s, over
    }' "$2"
}

# The kernel's own tracing of who runs when (tracefs): sched_waking and sched_switch, and the sleep
# timers' setting and firing (their lateness), for wakeups.py.
TRACING=/sys/kernel/tracing
[ -d $TRACING/events ] || mount -t tracefs nodev $TRACING 2>/dev/null
trace_start() {
  [ -d $TRACING/events/sched ] || return 0
  echo 0 >$TRACING/tracing_on; echo >$TRACING/trace; echo 16384 >$TRACING/buffer_size_kb
  for e in sched/sched_waking sched/sched_switch timer/hrtimer_start timer/hrtimer_expire_entry; do
    [ -d $TRACING/events/$e ] && echo 1 >$TRACING/events/$e/enable
  done
  echo 1 >$TRACING/tracing_on
}
trace_stop() { # FILE
  [ -d $TRACING/events/sched ] || return 0
  echo 0 >$TRACING/tracing_on
  for e in sched/sched_waking sched/sched_switch timer/hrtimer_start timer/hrtimer_expire_entry; do
    [ -d $TRACING/events/$e ] && echo 0 >$TRACING/events/$e/enable
  done
  cat $TRACING/trace >"$1"
}

# cyclictest (run by timeout), noting its measuring thread's id (its thread besides the main one)
# in /tmp/cyclic.tid for wakeups.py
# shellcheck disable=SC2317 # called through measure
run_cyclictest() {
  timeout $(( CYCLIC_LOOPS / 10 + 120 )) \
    cyclictest -t1 --policy=other -i 10000 -l "$CYCLIC_LOOPS" -h 200000 --histfile=/tmp/cyclic.hist -q &
  local pid=$! child t tries=0
  : >/tmp/cyclic.tid
  while [ ! -s /tmp/cyclic.tid ] && [ "$tries" -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
    read -r child _ </proc/"$pid"/task/"$pid"/children 2>/dev/null
    for t in /proc/"${child:-none}"/task/*; do
      [ -e "$t" ] && [ "${t##*/}" != "$child" ] && echo "${t##*/}" >/tmp/cyclic.tid
    done
    nap 0.1; tries=$((tries + 1))
  done
  wait "$pid"
}

wanted() { # WORKLOAD: true when SCX_BENCH_WORKLOADS is unset or names it
  [ -z "${SCX_BENCH_WORKLOADS:-}" ] && return 0
  [[ ",$SCX_BENCH_WORKLOADS," == *",$1,"* ]]
}

run_workloads() { # S
  local s=$1
  # 0. nothing to do: what javaland's own threads cost while nothing changes (its --stats 1 line
  # included, which the suite asks for)
  if wanted idle; then
    measure "$s" idle nap $IDLE_S
  fi
  # 1. a periodic SCHED_OTHER sleeper (10 ms) under 4 CPU hogs: its wake-up latency. No -p: with
  # it, this cyclictest (rt-tests 2.4) makes the thread SCHED_FIFO whatever --policy says, and
  # real-time threads never reach sched_ext. thread_prio=120 below shows it was SCHED_OTHER.
  if wanted cyclictest; then
    stress-ng --cpu 4 --timeout $(( CYCLIC_LOOPS / 100 + 8 ))s >/dev/null 2>&1 &
    local hogs=$!
    nap 2
    trace_start
    measure "$s" cyclictest run_cyclictest
    trace_stop "$OUT/$s.cyclictest.trace"
    kill $hogs 2>/dev/null; wait $hogs 2>/dev/null
    cyclic_percentiles "$s" /tmp/cyclic.hist
    grep '^# Max Latencies' /tmp/cyclic.hist | awk -v s="$s" '{ printf "%s.cyclictest.max_us=%d\n", s, $4 }'
    # from the trace: the measuring thread's wake-up to run, and the steps it went through
    local tid
    tid=$(head -1 /tmp/cyclic.tid)
    [ -n "$tid" ] && [ -s "$OUT/$s.cyclictest.trace" ] && /usr/bin/python3 "$HERE/wakeups.py" "$OUT/$s.cyclictest.trace" "$tid" "$s.cyclictest."
  fi
  # 2. sysbench threads: 4 threads taking a mutex and yielding
  if wanted sysbench; then
    measure "$s" sysbench timeout $(( SYSBENCH_S + 120 )) sysbench threads --threads=4 --time=$SYSBENCH_S run
    awk -v s="$s" '/total number of events:/ { printf "%s.sysbench.events_per_s=%.1f\n", s, $5 / '"$SYSBENCH_S"' }' "$OUT/$s.sysbench.out"
  fi
  # 3. hackbench: 4 groups of senders and receivers over sockets
  if wanted hackbench; then
    measure "$s" hackbench timeout 600 hackbench -g 4 -l $HACKBENCH_LOOPS
    awk -v s="$s" '/^Time:/ { printf "%s.hackbench.time_s=%s\n", s, $2 }' "$OUT/$s.hackbench.out"
  fi
  # 4. stress-ng CPU hogs: throughput
  if wanted stress_cpu; then
    measure "$s" stress_cpu timeout $(( STRESS_S + 120 )) stress-ng --cpu 4 --timeout ${STRESS_S}s --metrics-brief
    awk -v s="$s" '/stress-ng: .*metrc:.* cpu / { printf "%s.stress_cpu.bogo_ops_per_s=%s\n", s, $(NF-1) }' "$OUT/$s.stress_cpu.out"
  fi
  # 5. perf bench sched pipe: two tasks passing a token
  if wanted pipe; then
    measure "$s" pipe timeout 600 perf bench sched pipe -l $PIPE_LOOPS
    awk -v s="$s" '/usecs\/op/ { printf "%s.pipe.us_per_op=%s\n", s, $1 }' "$OUT/$s.pipe.out"
  fi
  # 6. the anchor's socket test: socket messages under CPU load
  if wanted sock; then
    measure "$s" sock timeout $(( SOCK_S + 120 )) stress-ng -c 2 --sock 2 -M -t ${SOCK_S}s --metrics-brief
    awk -v s="$s" '/stress-ng: .*metrc:.* sock / { printf "%s.sock.bogo_ops_per_s=%s\n", s, $(NF-1) }' "$OUT/$s.sock.out"
  fi
  # 7. schbench with two CPU hogs: request wake-up latency and requests/s
  if wanted schbench; then
    if [ -n "$SCHBENCH" ] && [ -x "$SCHBENCH" ]; then
      stress-ng --cpu 2 --timeout $(( SCHBENCH_S + 10 ))s >/dev/null 2>&1 &
      hogs=$!
      measure "$s" schbench timeout $(( SCHBENCH_S + 120 )) "$SCHBENCH" -m 1 -t 2 -r $SCHBENCH_S
      kill $hogs 2>/dev/null; wait $hogs 2>/dev/null
      awk -v s="$s" '/Wakeup Latencies/ { w = 1 } /Request Latencies/ { w = 0 } w && /99.0th:/ { printf "%s.schbench.wakeup_p99_us=%s\n", s, $2 }
        /RPS percentiles/ { r = 1 } r && /50.0th:/ { printf "%s.schbench.rps_p50=%s\n", s, $2; r = 0 }' "$OUT/$s.schbench.out"
    fi
  fi
  # 8. a parallel build of a real source tree (full mode)
  if wanted build; then
    if [ "$MODE" = full ] && [ -n "$BUILD_TREE" ] && [ -d "$BUILD_TREE" ]; then
      rm -rf /tmp/build && cp -a "$BUILD_TREE" /tmp/build
      measure "$s" build timeout 1800 make -C /tmp/build -j2 libz.a
    fi
  fi
}

read -r st <$SE/state; say state_at_boot "$st"
say kernel "$(uname -r)"
say order "$ORDER"
say mode "$MODE"
# A first start on the fresh installation, which a user makes once: the JVM writes its class-data
# archive as that start ends, and every start measured below takes it up, as a user's later ones do.
first=
for s in ${ORDER//,/ }; do [ -z "$first" ] && [ "$s" != eevdf ] && first=$s; done
if [ -n "$first" ]; then
  t0=$(now)
  "$HOME_DIR/bin/scx_javaland" --backend bpf --policy "${first%%+*}" </dev/null >"$OUT/first-start.out" 2>"$OUT/first-start.err" &
  JL_PID=$!
  await_state enabled 300 && say javaland.first_start.to_enabled_s "$(elapsed "$t0" "$(now)")"
  kill -TERM $JL_PID; wait $JL_PID
  await_state disabled 60 || true
  JL_PID=
  "$HOME_DIR/bin/scx_javaland" -V >/dev/null 2>&1   # the script takes up the archive the exit wrote
  say javaland.first_start.class_archive "$(cd "$HOME_DIR/data/cds" 2>/dev/null && echo *)"
fi

for s in ${ORDER//,/ }; do
  if [ "$s" != eevdf ]; then
    start_javaland "$s" || continue
  fi
  read -r st <$SE/state; say "$s.state" "$st"
  run_workloads "$s"
  if [ "$s" != eevdf ]; then
    read -r st <$SE/state; say "$s.state_after" "$st"
    stop_javaland "$s"
  fi
done
exit 0
