#!/usr/bin/env bash
# Soak test on the real kernel: scx_javaland on the VM lab's sched_ext kernel for a long run
# (default 10 min) under a mixed load (stress-ng cpu, sock and vm stressors, plus a periodic 10 ms
# sleeper), swapping deadline -> fifo -> fair (the example policy) -> deadline ... every 5 s. It
# judges the run, prints a summary block, and exits 0 only when all of these hold:
#   - no ejection: sched_ext's state `enabled` at every sample (twice a second), enable_seq
#     unchanged, no ejection line in the log, the host still running at the end;
#   - every swap answered, in order, and no policy failed;
#   - the counters consistent: read over the host's monitor socket every --sample-secs, no total
#     ever falls, and user and kernel dispatches grow in every interval;
#   - heap and threads flat, comparing the end of the first minute with the end of the run: the
#     heap in use right after a full collection (jcmd GC.run, then GC.heap_info) grew by at most
#     --heap-bound-kib (default 2048), and the JVM's threads are the same, counted by name, apart
#     from the pools the JVM sizes by itself (JIT compiler and GC worker threads, the ForkJoin
#     common pool) and jcmd's own Attach Listener;
#   - the scheduling thread (scx-scheduler) took no page fault after the first minute (minflt +
#     majflt of /proc/PID/task/TID/stat) outside the swaps: a swap runs code the thread had not run
#     and may fault, so the faults between a swap's request and its answer are reported apart.
# The first minute is the warm-up. The sleeper's longest gap is reported, not judged.
#
#   scripts/soak.sh [--minutes N] [--swap-secs S] [--sample-secs S] [--heap-bound-kib K] [--out DIR]
#
# Needs the build (mvn install: launcher/target/scx_javaland and the example's jar) and the VM lab
# (itests/vm/vmlab/vmlab.sh setup). It boots one guest and runs this same script inside it
# (--in-guest); it is not part of ./test.sh or .ci/run. Under qemu's emulation (TCG) the figures
# say whether anything leaks, stalls or is ejected over time, not how fast hardware would be.
set -euo pipefail

minutes=10
swap_secs=5
sample_secs=30
heap_bound_kib=2048
out=
in_guest=false
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --swap-secs) swap_secs=$2; shift 2 ;;
    --sample-secs) sample_secs=$2; shift 2 ;;
    --heap-bound-kib) heap_bound_kib=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --in-guest) in_guest=true; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$minutes" "$swap_secs" "$sample_secs" "$heap_bound_kib"; do
  if ! [[ $n =~ ^[0-9]+$ ]] || [ "$n" -eq 0 ]; then
    echo "soak.sh: '$n' is not a positive whole number (see --help)" >&2; exit 2
  fi
done
[ "$minutes" -ge 2 ] || { echo "soak.sh: --minutes must be 2 or more: the first minute is the warm-up, compared with the last" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
layout=$top/launcher/target/scx_javaland
fair_jar=$top/examples/policy-fair/target/policy-fair-1.0.0.jar

# ---- on the host: check the build, boot one guest, run the guest part in it ----------------------
if [ "$in_guest" = false ]; then
  [ -x "$layout/bin/scx_javaland" ] || { echo "soak.sh: $layout is not built: run mvn install first." >&2; exit 1; }
  [ -f "$fair_jar" ] || { echo "soak.sh: $fair_jar is not built: run mvn install first." >&2; exit 1; }
  command -v stress-ng >/dev/null || { echo "soak.sh: stress-ng is missing: scripts/setup-debian.sh installs it." >&2; exit 1; }
  out=${out:-$top/target/soak-$(date +%Y%m%d-%H%M%S)}
  mkdir -p "$out"
  echo "soak.sh: $minutes min in the VM lab, a swap every $swap_secs s; output in $out" >&2
  # Boot, JVM start and the final readings take a few minutes under emulation on top of the run.
  rc=0
  bash "$top/itests/vm/vmlab/vmlab.sh" run --timeout $(( minutes * 60 + 1200 )) --smp 2 --mem 2048 --out "$out" \
    -- bash "$here/soak.sh" --in-guest --minutes "$minutes" --swap-secs "$swap_secs" --sample-secs "$sample_secs" \
    --heap-bound-kib "$heap_bound_kib" | tee "$out/results.txt" || rc=$?
  case $rc in
    0) echo "soak.sh: passed; results in $out/results.txt, logs beside it" >&2 ;;
    1) echo "soak.sh: FAILED (the reasons are at the end of $out/results.txt); logs in $out" >&2 ;;
    *) echo "soak.sh: the guest part did not finish (exit $rc; 4: scx_javaland did not attach, 124: the VM lab's" \
         "timeout, 125: no result); logs in $out" >&2 ;;
  esac
  exit "$rc"
fi

# ---- in the guest --------------------------------------------------------------------------------
# Every step checks what it needs and the verdict sums them up: no errexit from here on (nor an end
# on an unset variable: every figure starts as -1 or empty). Loops that run all along use shell
# builtins only: fork and exec crawl under emulation.
set +eu +o pipefail
OUT=${VMLAB_OUT:-/tmp/soak-out}
SE=/sys/kernel/sched_ext
HOME_DIR=/tmp/scx_javaland
SOCKET=$HOME_DIR/data/monitor/stats.sock
JCMD=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/jcmd
mkdir -p "$OUT"
say() { echo "$1=$2"; echo "soak: $1=$2" >/dev/console 2>/dev/null || true; }
FAILS=()
fail() { FAILS+=("$1"); }
# Sleeps without forking: a read that times out on a FIFO nobody writes.
mkfifo /tmp/never && exec 9<>/tmp/never
nap() { read -r -t "$1" -u 9 _ || true; }
# NOW: whole seconds since boot.
tick() { local up; read -r up _ </proc/uptime; NOW=${up%.*}; }
await_state() { # STATE SECS
  local i=0 st
  while [ $i -lt $(( $2 * 20 )) ]; do
    read -r st <$SE/state
    [ "$st" = "$1" ] && return 0
    nap 0.05; i=$((i + 1))
  done
  return 1
}

# SCHED_TID: the scheduling thread of process $1 (empty when there is none).
find_sched_tid() {
  local t name
  SCHED_TID=
  for t in /proc/"$1"/task/*; do
    read -r name <"$t/comm" 2>/dev/null || continue
    if [ "$name" = scx-scheduler ]; then SCHED_TID=${t##*/}; return; fi
  done
}
# SCHED_FAULTS: minor + major page faults of thread SCHED_TID of the host (-1 when it is gone).
sched_faults() {
  local line rest
  SCHED_FAULTS=-1
  [ -n "$SCHED_TID" ] || return
  read -r line <"/proc/$JL/task/$SCHED_TID/stat" 2>/dev/null || return
  rest=${line##*) }
  # shellcheck disable=SC2086 # the fields of stat after the name: field n is $((n - 2)) here
  set -- $rest
  SCHED_FAULTS=$(( $8 + ${10} ))
}
# THREADS and RSS_KIB of process $1, from its status.
proc_status() {
  local key value rest
  THREADS=-1; RSS_KIB=-1
  while read -r key value rest; do
    case $key in Threads:) THREADS=$value ;; VmRSS:) RSS_KIB=$value ;; esac
  done <"/proc/$1/status"
}
# The threads of process $1 by name into the associative array named $2, the JVM's self-sizing
# pools and jcmd's Attach Listener aside; THREADS_ALL counts every thread.
jvm_threads() {
  local -n into=$2
  local t name
  into=()
  THREADS_ALL=0
  for t in /proc/"$1"/task/*; do
    read -r name <"$t/comm" 2>/dev/null || continue
    THREADS_ALL=$((THREADS_ALL + 1))
    # shellcheck disable=SC2004 # an associative array's key: the $ is needed
    case $name in
      "C1 CompilerThre" | "C2 CompilerThre" | "GC Thread#"* | "G1 Conc#"* | "G1 Refine#"* | ForkJoinPool* | "Attach Listener") ;;
      *) into[$name]=$(( ${into[$name]:-0} + 1 )) ;;
    esac
  done
}
# HEAP_KIB: the heap in use right after a full collection (-1 when it cannot be read): jcmd makes
# the JVM collect (GC.run), then reads its heap (GC.heap_info: G1's total, or the generations' sum).
# The class histogram goes to jcmd.out with it: when the heap grows, the two say what grew.
printf 'GC.run\nGC.heap_info\nGC.class_histogram\n' >/tmp/heap.jcmd
heap_after_gc() {
  local v
  HEAP_KIB=-1
  [ -x "$JCMD" ] || return
  v=$(timeout 300 "$JCMD" -J-Dsun.tools.attach.attachTimeout=120000 "$1" -f /tmp/heap.jcmd 2>&1 | tee -a "$OUT/jcmd.out" \
    | awk '{ v = ""; for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v) } }
           /garbage-first heap/ { g1 = v } / generation +total|PSYoungGen +total|ParOldGen +total/ { sum += v }
           END { if (g1 != "") print g1; else if (sum > 0) print sum }')
  [[ $v =~ ^[0-9]+$ ]] && HEAP_KIB=$v
}

# gogo's answers, read from the host's stdout as it grows (no fork): ANSWERS counts the "active
# policy: A -> B" lines, LAST_TO is the last B.
OUT_PARTIAL=; ANSWERS=0; LAST_TO=
drain_out() {
  local line=
  while :; do
    if IFS= read -r -u 7 line; then
      line=$OUT_PARTIAL$line; OUT_PARTIAL=
      case $line in
        *"active policy: "*" -> "*) ANSWERS=$((ANSWERS + 1)); LAST_TO=${line##* -> }; LAST_TO=${LAST_TO%%,*} ;;
      esac
    else
      OUT_PARTIAL=$OUT_PARTIAL$line   # a line not finished yet
      return
    fi
  done
}
# Asks for a swap to $1 and waits (at most 60 s) for its answer; after the warm-up the scheduling
# thread's page faults meanwhile count in SWAP_FAULTS, apart from the others.
SWAPS_SENT=0; SWAPS_UNANSWERED=0; SWAPS_WRONG=0; SWAP_FAULTS=0; WARM=false
swap() {
  local want=$1 before f0 i=0
  drain_out; before=$ANSWERS
  sched_faults; f0=$SCHED_FAULTS
  gogo "scx:use $want"
  SWAPS_SENT=$((SWAPS_SENT + 1))
  while [ "$ANSWERS" -eq "$before" ] && [ $i -lt 600 ]; do nap 0.1; drain_out; i=$((i + 1)); done
  sched_faults
  if [ "$ANSWERS" -eq "$before" ]; then
    SWAPS_UNANSWERED=$((SWAPS_UNANSWERED + 1)); say swap_unanswered "$SWAPS_SENT (to $want)"
  elif [ "$LAST_TO" != "$want" ]; then
    SWAPS_WRONG=$((SWAPS_WRONG + 1)); say swap_answered_otherwise "$SWAPS_SENT (to $want, answered $LAST_TO)"
  fi
  if [ "$WARM" = true ] && [ "$f0" -ge 0 ] && [ "$SCHED_FAULTS" -ge 0 ]; then
    SWAP_FAULTS=$((SWAP_FAULTS + SCHED_FAULTS - f0))
  fi
}

cp -a "$layout" "$HOME_DIR"
cp "$fair_jar" "$HOME_DIR/deploy/"
chmod 0644 "$HOME_DIR/deploy/"*.jar   # the deploy guard admits only what root alone can change
# Emulation runs tasks many times slower than hardware against a real-time watchdog: give it 20 s.
echo "timeout_ms = 20000" >>"$HOME_DIR/etc/org.scxjavaland.bpf.cfg"
export SCX_JAVA_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch -Xlog:gc:file=$OUT/gc.log ${VMLAB_JAVA_OPTS:-}"
say kernel "$(uname -r)"
say minutes "$minutes"; say swap_secs "$swap_secs"; say sample_secs "$sample_secs"
[ -x "$JCMD" ] || fail "no jcmd at $JCMD (the JDK's; install openjdk-17-jdk-headless): the heap cannot be read"

mkfifo /tmp/gogo && exec 3<>/tmp/gogo
gogo() { echo "$*" >&3; }
: >"$OUT/soak.out"
exec 7<"$OUT/soak.out"   # read by drain_out as it grows
"$HOME_DIR/bin/scx_javaland" --backend bpf --stats 10 --shell <&3 >>"$OUT/soak.out" 2>"$OUT/soak.err" &
JL=$!
if ! await_state enabled 300; then
  say attach error; kill -9 $JL 2>/dev/null; exit 4
fi
read -r seq0 <$SE/enable_seq 2>/dev/null || seq0=unreadable
# The fair policy comes from deploy/: wait until the host knows it.
i=0
until grep -q "Policy 'fair' .*is available" "$OUT/soak.err" 2>/dev/null || [ $i -ge 240 ]; do nap 0.5; i=$((i + 1)); done
if [ $i -lt 240 ]; then say fair_available true; else say fair_available false; fail "the example fair policy never became available"; fi

# ---- the counters, over the monitor socket (one connection all along), every sample_secs ----------
rm -f /tmp/soak.stop
python3 - "$SOCKET" "$sample_secs" /tmp/soak.stop /tmp/counters.connected >"$OUT/counters.out" 2>&1 <<'EOF' &
import os, socket, sys, time
path, every, stop, connected = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
TOTALS = ["nr_page_faults", "nr_user_dispatches", "nr_kernel_dispatches", "nr_cancel_dispatches",
          "nr_bounce_dispatches", "nr_failed_dispatches", "nr_sched_congested"]
GAUGES = ["nr_running", "nr_cpus", "nr_queued", "nr_scheduled"]
end = time.monotonic() + 300
while True:
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(path); break
    except OSError as e:
        s.close()
        if time.monotonic() > end:
            print("counters_socket=%s" % type(e).__name__); sys.exit(0)
        time.sleep(1)
open(connected, "w").close()
f = s.makefile("rw")
samples, errors, problems = [], 0, []
no_user = no_kernel = 0
def ask():
    f.write("metrics\n"); f.flush()
    line = f.readline()
    if not line:
        raise EOFError("the host closed the socket")
    if line.startswith("error"):
        return None
    return dict((k, int(v)) for k, v in (p.split("=") for p in line.split()))
def check(prev, now):
    global no_user, no_kernel
    for k in TOTALS:
        if now[k] < prev[k]:
            problems.append("%s fell from %d to %d" % (k, prev[k], now[k]))
    for k in GAUGES:
        if now[k] < 0:
            problems.append("%s is %d" % (k, now[k]))
    if now["nr_cpus"] != prev["nr_cpus"]:
        problems.append("nr_cpus went from %d to %d" % (prev["nr_cpus"], now["nr_cpus"]))
    no_user += now["nr_user_dispatches"] == prev["nr_user_dispatches"]
    no_kernel += now["nr_kernel_dispatches"] == prev["nr_kernel_dispatches"]
try:
    while True:
        last = os.path.exists(stop)
        m = ask()
        if m is None:
            errors += 1
        else:
            if samples:
                check(samples[-1], m)
            samples.append(m)
        if last:
            break
        wake = time.monotonic() + every
        while time.monotonic() < wake and not os.path.exists(stop):
            time.sleep(0.5)
except (OSError, EOFError) as e:
    problems.append("the monitor socket failed: %s" % e)
print("counter_samples=%d" % len(samples))
print("counter_error_answers=%d" % errors)
print("counter_intervals_without_user_dispatch=%d" % no_user)
print("counter_intervals_without_kernel_dispatch=%d" % no_kernel)
print("counter_problems=%d" % len(problems))
for p in problems[:10]:
    print("counter_problem=%s" % p)
if samples:
    print("counters_first=%s" % " ".join("%s=%d" % kv for kv in samples[0].items()))
    print("counters_last=%s" % " ".join("%s=%d" % kv for kv in samples[-1].items()))
EOF
COUNTERS=$!
i=0; until [ -e /tmp/counters.connected ] || ! kill -0 $COUNTERS 2>/dev/null || [ $i -ge 600 ]; do nap 0.5; i=$((i + 1)); done

# ---- sched_ext's state, twice a second, until the end ----------------------------------------------
( n=0; bad=0
  while [ ! -e /tmp/soak.stop ]; do
    read -r s <$SE/state; n=$((n + 1))
    if [ "$s" != enabled ]; then bad=$((bad + 1)); [ $bad -le 5 ] && echo "state_not_enabled_sample=$n $s"; fi
    nap 0.5
  done
  echo "state_samples=$n"; echo "state_not_enabled=$bad" ) >"$OUT/state.out" &
SAMPLER=$!

# ---- the load ------------------------------------------------------------------------------------
secs=$(( minutes * 60 ))
cd /tmp || exit 3   # stress-ng wants a writable working directory
stress-ng --cpu 2 --sock 1 --vm 1 --vm-bytes 64M --timeout "$(( secs + 300 ))s" --metrics-brief \
  >"$OUT/stress.out" 2>&1 &
STRESS=$!
# A periodic sleeper (10 ms): its longest gap between two wakeups says whether anything stalled.
python3 -c '
import time, sys
end = time.monotonic() + float(sys.argv[1]); last = time.monotonic(); gap = 0.0; n = 0
while time.monotonic() < end:
    time.sleep(0.01); t = time.monotonic(); gap = max(gap, t - last); last = t; n += 1
print("longest_sleeper_gap_ms=%d" % (gap * 1000)); print("sleeper_wakeups=%d" % n)' "$secs" >"$OUT/sleeper.out" &
SLEEPER=$!

# ---- the run: a swap every swap_secs, a sample line every sample_secs; the first minute's readings --
declare -A FIRST_THREADS=() LAST_THREADS=()
policies=(fifo fair deadline)
tick; start=$NOW; end=$(( start + secs )); warm_at=$(( start + 60 ))
next_swap=$(( start + swap_secs )); next_sample=$start
HEAP_FIRST=-1; HEAP_LAST=-1; THREADS_FIRST=-1; THREADS_LAST=-1; FAULTS_WARM=-1; FAULTS_END=-1; WARM_TID=; END_TID=
while tick && [ "$NOW" -lt "$end" ] && kill -0 $JL 2>/dev/null; do
  if [ "$WARM" = false ] && [ "$NOW" -ge "$warm_at" ]; then
    # The end of the first minute: the heap after a full collection, the threads (after jcmd, whose
    # Attach Listener is then there at both readings), the scheduling thread's faults.
    heap_after_gc $JL; HEAP_FIRST=$HEAP_KIB
    jvm_threads $JL FIRST_THREADS; THREADS_FIRST=$THREADS_ALL
    find_sched_tid $JL; WARM_TID=$SCHED_TID; sched_faults; FAULTS_WARM=$SCHED_FAULTS
    WARM=true
    gogo "echo mark=warm"
    tick; say first_minute "t=$(( NOW - start ))s heap_after_gc_kib=$HEAP_FIRST threads=$THREADS_FIRST sched_faults=$FAULTS_WARM"
  fi
  if [ "$NOW" -ge "$next_swap" ]; then
    swap "${policies[$(( SWAPS_SENT % ${#policies[@]} ))]}"
    next_swap=$(( next_swap + swap_secs )); tick; [ "$next_swap" -ge "$NOW" ] || next_swap=$NOW
  fi
  if [ "$NOW" -ge "$next_sample" ]; then
    proc_status $JL; find_sched_tid $JL; sched_faults
    say sample "t=$(( NOW - start ))s threads=$THREADS rss_kib=$RSS_KIB sched_faults=$SCHED_FAULTS swaps=$SWAPS_SENT"
    next_sample=$(( NOW + sample_secs ))
  fi
  nap 1
done
tick; duration=$(( NOW - start ))
alive=false; kill -0 $JL 2>/dev/null && alive=true
# The end: the scheduling thread's faults first (jcmd's collection is not the run's), then the heap and the threads.
SCHED_TID=$WARM_TID; sched_faults; FAULTS_END=$SCHED_FAULTS
find_sched_tid $JL; END_TID=$SCHED_TID
heap_after_gc $JL; HEAP_LAST=$HEAP_KIB
jvm_threads $JL LAST_THREADS; THREADS_LAST=$THREADS_ALL
read -r seq1 <$SE/enable_seq 2>/dev/null || seq1=unreadable
say last_minute "t=${duration}s heap_after_gc_kib=$HEAP_LAST threads=$THREADS_LAST sched_faults=$FAULTS_END"
load_alive=false; kill -0 $STRESS 2>/dev/null && load_alive=true

# ---- stop everything --------------------------------------------------------------------------------
touch /tmp/soak.stop
wait $COUNTERS; wait $SAMPLER
kill -INT $STRESS 2>/dev/null   # stress-ng ends its stressors and reports, as at its timeout
i=0; while kill -0 $STRESS 2>/dev/null && [ $i -lt 300 ]; do nap 0.1; i=$((i + 1)); done
kill -KILL $STRESS 2>/dev/null; wait $STRESS
wait $SLEEPER
gogo "scx:stop"
i=0; while kill -0 $JL 2>/dev/null && [ $i -lt 1200 ]; do nap 0.1; i=$((i + 1)); done
if kill -9 $JL 2>/dev/null; then say stop forced; else say stop clean; fi

# ---- the figures and the verdict --------------------------------------------------------------------
cat "$OUT/counters.out" "$OUT/state.out" "$OUT/sleeper.out" 2>/dev/null
value() { sed -n "s/^$1=//p" "${@:2}" | head -1; } # KEY FILE...
logs=("$OUT/soak.out" "$OUT/soak.err")
ejections=$(cat "${logs[@]}" | grep -c 'was ejected')
policy_failures=$(cat "${logs[@]}" | grep -c "Policy '.*' \(failed in\|held pid\)")
state_samples=$(value state_samples "$OUT/state.out"); state_bad=$(value state_not_enabled "$OUT/state.out")
counter_samples=$(value counter_samples "$OUT/counters.out")
gap=$(value longest_sleeper_gap_ms "$OUT/sleeper.out"); wakeups=$(value sleeper_wakeups "$OUT/sleeper.out")
say duration_s "$duration"
say swaps_sent "$SWAPS_SENT"
say ejection_lines "$ejections"
say enable_seq_unchanged "$([ "$seq0" = "$seq1" ] && echo true || echo "false ($seq0 -> $seq1)")"
say policy_failures "$policy_failures"
say load_ran_throughout "$load_alive"
say stall_guard_lines "$(cat "${logs[@]}" | grep -c 'has been in one round')"
say user_stall_lines "$(cat "${logs[@]}" | grep -c 'User space had stopped reading')"
grep '\[javaland\] tasks' "$OUT/soak.out" | tail -1 | sed 's/^/last_stats_line=/'

[ "$alive" = true ] || fail "scx_javaland did not run to the end (see soak.err)"
[ "$ejections" -eq 0 ] || fail "$ejections ejection line(s) in the log"
[ "$seq0" = "$seq1" ] || fail "sched_ext's enable_seq went from $seq0 to $seq1: the scheduler was detached or ejected"
if [ "${state_samples:-0}" -eq 0 ]; then fail "sched_ext's state was not sampled"; fi
[ "${state_bad:-1}" -eq 0 ] || fail "${state_bad:-?} of $state_samples samples of sched_ext's state were not 'enabled'"
[ "$SWAPS_SENT" -gt 0 ] || fail "no swap was made"
[ "$SWAPS_UNANSWERED" -eq 0 ] || fail "$SWAPS_UNANSWERED of $SWAPS_SENT swaps got no answer within 60 s"
[ "$SWAPS_WRONG" -eq 0 ] || fail "$SWAPS_WRONG of $SWAPS_SENT swaps were answered with another policy"
[ "$policy_failures" -eq 0 ] || fail "$policy_failures policy failure line(s) in the log"
[ "$load_alive" = true ] || fail "the load (stress-ng) ended before the run did"
[ "${counter_samples:-0}" -ge 2 ] || fail "the counters were read ${counter_samples:-0} times over the monitor socket ($(value counters_socket "$OUT/counters.out"))"
for key in counter_problems counter_intervals_without_user_dispatch counter_intervals_without_kernel_dispatch; do
  n=$(value $key "$OUT/counters.out")
  [ "${n:-1}" -eq 0 ] || fail "$key=${n:-?} ($(value counter_problem "$OUT/counters.out"))"
done
if [ "$HEAP_FIRST" -lt 0 ] || [ "$HEAP_LAST" -lt 0 ]; then
  fail "the heap could not be read (jcmd, see jcmd.out): first $HEAP_FIRST, last $HEAP_LAST"
elif [ $(( HEAP_LAST - HEAP_FIRST )) -gt "$heap_bound_kib" ]; then
  fail "the heap after a full collection grew by $(( HEAP_LAST - HEAP_FIRST )) KiB ($HEAP_FIRST -> $HEAP_LAST), over $heap_bound_kib"
fi
threads_changed=""
declare -A seen=()
for name in "${!FIRST_THREADS[@]}" "${!LAST_THREADS[@]}"; do
  [ -z "${seen[$name]:-}" ] || continue
  seen[$name]=1
  [ "${FIRST_THREADS[$name]:-0}" = "${LAST_THREADS[$name]:-0}" ] \
    || threads_changed="$threads_changed '$name' ${FIRST_THREADS[$name]:-0} -> ${LAST_THREADS[$name]:-0};"
done
[ "$WARM" = true ] || fail "the run ended before the first minute did"
[ -z "$threads_changed" ] || fail "the JVM's threads changed (by name, first minute -> last):$threads_changed"
sched_faults_outside=unknown
if [ -z "$WARM_TID" ] || [ "$END_TID" != "$WARM_TID" ]; then
  fail "the scheduling thread at the end ($END_TID) is not the one after warm-up ($WARM_TID)"
elif [ "$FAULTS_WARM" -lt 0 ] || [ "$FAULTS_END" -lt 0 ]; then
  fail "the scheduling thread's page faults could not be read"
else
  sched_faults_outside=$(( FAULTS_END - FAULTS_WARM - SWAP_FAULTS ))
  [ "$sched_faults_outside" -eq 0 ] || fail "the scheduling thread took $sched_faults_outside page fault(s) after warm-up outside the swaps"
fi
say sched_faults_after_warm_up "$sched_faults_outside"
say sched_faults_in_swaps_after_warm_up "$SWAP_FAULTS"

echo "---- soak summary ----------------------------------------------------------------------------"
echo "duration            ${duration} s of ${secs} s asked ($(uname -r), TCG), a swap every ${swap_secs} s"
echo "swaps               $SWAPS_SENT sent, $(( SWAPS_SENT - SWAPS_UNANSWERED - SWAPS_WRONG )) answered as asked (fifo -> fair -> deadline -> ...)"
echo "ejections           $ejections ejection lines; sched_ext state: ${state_bad:-?} of ${state_samples:-?} samples not enabled; enable_seq $seq0 -> $seq1"
echo "longest sleeper gap ${gap:-?} ms (10 ms sleeper, ${wakeups:-?} wakeups)"
echo "heap after full GC  first minute $HEAP_FIRST KiB, last minute $HEAP_LAST KiB (flat: at most +$heap_bound_kib KiB)"
echo "JVM threads         first minute $THREADS_FIRST, last minute $THREADS_LAST (flat: the same by name, the JVM's self-sizing pools aside)"
echo "page faults         scheduling thread after warm-up: $sched_faults_outside outside swaps (flat: 0), $SWAP_FAULTS during swaps (reported)"
echo "counters            ${counter_samples:-0} readings over the monitor socket, every ${sample_secs} s: $(value counter_problems "$OUT/counters.out") problems (a total that fell, a negative gauge), intervals without a user dispatch $(value counter_intervals_without_user_dispatch "$OUT/counters.out"), without a kernel dispatch $(value counter_intervals_without_kernel_dispatch "$OUT/counters.out")"
if [ ${#FAILS[@]} -eq 0 ]; then
  echo "verdict             PASSED"
  exit 0
fi
echo "verdict             FAILED:"
printf '  - %s\n' "${FAILS[@]}"
exit 1
