#!/usr/bin/env bash
# Soak test on the real kernel: scx_javaland on the VM lab's sched_ext kernel for a long run
# (default 10 min) under a mixed load (stress-ng cpu, sock and vm stressors, plus a periodic
# 10 ms sleeper), swapping among deadline, fifo and the example fair policy every 5 s. It prints
# one key=value line per observation and a summary: ejections, sched_ext state samples that were
# not "enabled", swaps done, policy failures, heap and thread count samples of the JVM, the
# scheduling thread's page faults after warm-up, the sleeper's longest gap.
#
#   scripts/soak.sh [--minutes N] [--swap-secs S] [--sample-secs S] [--out DIR]
#
# Needs the build (mvn install: launcher/target/scx_javaland and the example's jar) and the VM lab
# (itests/vm/vmlab/vmlab.sh setup). It boots one guest and runs this same script inside it
# (--in-guest); it is not part of ./test.sh or .ci/run. Under qemu's emulation (TCG) the figures
# say whether anything leaks, stalls or is ejected over time, not how fast hardware would be.
set -euo pipefail

minutes=10
swap_secs=5
sample_secs=30
out=
in_guest=false
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --swap-secs) swap_secs=$2; shift 2 ;;
    --sample-secs) sample_secs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --in-guest) in_guest=true; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
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
  # Boot, JVM start and the final samples take a few minutes under emulation on top of the run.
  rc=0
  bash "$top/itests/vm/vmlab/vmlab.sh" run --timeout $(( minutes * 60 + 1200 )) --smp 2 --mem 2048 --out "$out" \
    -- bash "$here/soak.sh" --in-guest --minutes "$minutes" --swap-secs "$swap_secs" --sample-secs "$sample_secs" \
    | tee "$out/results.txt" || rc=$?
  echo "soak.sh: the guest part exited with $rc; results in $out/results.txt, logs beside it" >&2
  exit "$rc"
fi

# ---- in the guest --------------------------------------------------------------------------------
OUT=${VMLAB_OUT:-/tmp/soak-out}
SE=/sys/kernel/sched_ext
HOME_DIR=/tmp/scx_javaland
mkdir -p "$OUT"
say() { echo "$1=$2"; echo "soak: $1=$2" >/dev/console 2>/dev/null || true; }
# Sleeps without forking (fork+exec crawls under TCG): a read that times out on a FIFO nobody writes.
mkfifo /tmp/never && exec 9<>/tmp/never
nap() { read -r -t "$1" -u 9 _ || true; }
now_s() { local up; read -r up _ </proc/uptime; echo "${up%.*}"; }
await_state() { # STATE SECS
  local i=0 st
  while [ $i -lt $(( $2 * 20 )) ]; do
    read -r st <$SE/state
    [ "$st" = "$1" ] && return 0
    nap 0.05; i=$((i + 1))
  done
  return 1
}
# minflt + majflt of the thread named $2 of process $1, -1 when it is not there
thread_faults() {
  local t name line rest
  for t in /proc/"$1"/task/*; do
    read -r name <"$t/comm" 2>/dev/null || continue
    [ "$name" = "$2" ] || continue
    read -r line <"$t/stat" 2>/dev/null || continue
    rest=${line##*) }; set -- $rest
    echo $(( $8 + ${10} )); return
  done
  echo -1
}
status_field() { awk -v k="$2:" '$1 == k { print $2 }' /proc/"$1"/status 2>/dev/null; } # PID FIELD
# the JVM's heap in use after its last collection, in KiB, as jcmd reports it ("used NK" of the heap line)
heap_kib() {
  command -v jcmd >/dev/null || { echo -1; return; }
  timeout 120 jcmd "$1" GC.heap_info 2>/dev/null | awk '/garbage-first heap|def new generation|PSYoungGen|heap/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?/, "", v); print v; exit } }' || echo -1
}

cp -a "$layout" "$HOME_DIR"
cp "$fair_jar" "$HOME_DIR/deploy/"
chmod 0644 "$HOME_DIR/deploy/"*.jar
# Emulation runs tasks many times slower than hardware against a real-time watchdog: give it 20 s.
echo "timeout_ms = 20000" >>"$HOME_DIR/etc/org.scxjavaland.bpf.cfg"
export SCX_JAVA_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch ${VMLAB_JAVA_OPTS:-}"
say kernel "$(uname -r)"
say minutes "$minutes"; say swap_secs "$swap_secs"

mkfifo /tmp/gogo && exec 3<>/tmp/gogo
gogo() { echo "$*" >&3; }
"$HOME_DIR/bin/scx_javaland" --backend bpf --stats 10 --shell <&3 >"$OUT/soak.out" 2>"$OUT/soak.err" &
JL=$!
if ! await_state enabled 300; then
  say attach error; kill -9 $JL 2>/dev/null; exit 4
fi
read -r seq0 <$SE/enable_seq 2>/dev/null || seq0=unreadable
# the fair policy comes from deploy/: wait until the host knows it
i=0
until grep -q "Policy 'fair'" "$OUT/soak.err" "$OUT/soak.out" 2>/dev/null || [ $i -ge 600 ]; do nap 0.1; i=$((i + 1)); done
say fair_installed "$([ $i -lt 600 ] && echo true || echo false)"

# ---- the load ------------------------------------------------------------------------------------
secs=$(( minutes * 60 ))
cd /tmp   # stress-ng wants a writable working directory
stress-ng --cpu 2 --sock 1 --vm 1 --vm-bytes 64M --timeout "$(( secs + 60 ))s" --metrics-brief \
  >"$OUT/stress.out" 2>&1 &
STRESS=$!
# A periodic sleeper (10 ms): its longest gap between two wakeups says whether anything stalled.
python3 -c '
import time, sys
end = time.monotonic() + float(sys.argv[1]); last = time.monotonic(); gap = 0.0; n = 0
while time.monotonic() < end:
    time.sleep(0.01); t = time.monotonic(); gap = max(gap, t - last); last = t; n += 1
print("sleeper_max_gap_ms=%d" % (gap * 1000)); print("sleeper_wakeups=%d" % n)' "$secs" >"$OUT/sleeper.out" &
SLEEPER=$!

# ---- the run: a swap every swap_secs, state every second, JVM samples every sample_secs ---------
policies=(fifo fair deadline)
start=$(now_s); next_swap=$(( start + swap_secs )); next_sample=$start
swaps=0; state_samples=0; not_enabled=0; warm_faults=-1; threads_min=-1; threads_max=-1
warm_up=$(( start + 60 ))
while [ $(( $(now_s) - start )) -lt "$secs" ] && kill -0 $JL 2>/dev/null; do
  t=$(now_s)
  read -r st <$SE/state; state_samples=$((state_samples + 1))
  if [ "$st" != enabled ]; then not_enabled=$((not_enabled + 1)); say state_not_enabled_at_s "$(( t - start )) $st"; fi
  if [ "$t" -ge "$next_swap" ]; then
    gogo "scx:use ${policies[$(( swaps % 3 ))]}"
    swaps=$((swaps + 1)); next_swap=$(( t + swap_secs ))
  fi
  if [ "$t" -ge "$next_sample" ]; then
    threads=$(status_field $JL Threads); rss=$(status_field $JL VmRSS)
    faults=$(thread_faults $JL scx-scheduler)
    [ "$t" -ge "$warm_up" ] && [ "$warm_faults" -lt 0 ] && warm_faults=$faults
    [ "$threads_min" -lt 0 ] || [ "$threads" -lt "$threads_min" ] && threads_min=$threads
    [ "$threads" -gt "$threads_max" ] && threads_max=$threads
    say sample "t=$(( t - start ))s threads=$threads rss_kib=$rss heap_used_kib=$(heap_kib $JL) sched_faults=$faults"
    next_sample=$(( t + sample_secs ))
  fi
  nap 1
done
end_faults=$(thread_faults $JL scx-scheduler)
read -r seq1 <$SE/enable_seq 2>/dev/null || seq1=unreadable
alive=$(kill -0 $JL 2>/dev/null && echo true || echo false)
say final_sample "threads=$(status_field $JL Threads) rss_kib=$(status_field $JL VmRSS) heap_used_kib=$(heap_kib $JL)"

# ---- stop and sum up -----------------------------------------------------------------------------
kill $STRESS 2>/dev/null || true
wait $SLEEPER 2>/dev/null || true
gogo "scx:stop"
i=0; while kill -0 $JL 2>/dev/null && [ $i -lt 1200 ]; do nap 0.1; i=$((i + 1)); done
kill -9 $JL 2>/dev/null && say stop forced || say stop clean
wait $STRESS 2>/dev/null || true

logs=("$OUT/soak.out" "$OUT/soak.err")
say duration_s "$(( $(now_s) - start ))"
say host_alive_at_end "$alive"
say swaps_sent "$swaps"
say swaps_logged "$(cat "${logs[@]}" | grep -c 'Active policy .* -> .*tasks handed over' || true)"
say ejections "$(cat "${logs[@]}" | grep -c 'was ejected' || true)"
say enable_seq_unchanged "$([ "$seq0" = "$seq1" ] && echo true || echo "false ($seq0 -> $seq1)")"
say state_samples "$state_samples"
say state_not_enabled "$not_enabled"
say policy_failures "$(cat "${logs[@]}" | grep -c "^.*Policy '.*' \(failed in\|held pid\)" || true)"
say stall_guard_lines "$(cat "${logs[@]}" | grep -c 'has been in one round' || true)"
say user_stall_lines "$(cat "${logs[@]}" | grep -c 'User space had stopped reading' || true)"
say bad_record_lines "$(cat "${logs[@]}" | grep -c 'bad record\|damaged record' || true)"
say threads_min_max "$threads_min $threads_max"
say sched_faults_after_warm_up "$([ "$warm_faults" -ge 0 ] && [ "$end_faults" -ge 0 ] && echo $(( end_faults - warm_faults )) || echo unknown)"
cat "$OUT/sleeper.out" 2>/dev/null || say sleeper missing
grep -m1 'bogo ops' "$OUT/stress.out" >/dev/null 2>&1 && say stress_ran true || say stress_ran unknown
# the last monitor line: the counters at the end
grep '\[javaland\] tasks' "$OUT/soak.out" | tail -1 | sed 's/^/last_stats_line=/' || true
