#!/bin/bash
# scx_javaland as a user runs it, on the VM lab's sched_ext kernel: bin/scx_javaland as root with
# the BPF backend, a CPU-bound and a sleeping load, policy swaps through gogo's shell on the
# launcher's standard input, SIGTERM, partial mode, kill -9, the kernel ending the scheduler by
# itself (SysRq-S), and the errors a user can meet.
# LauncherVmIT runs it in two boots (PART main, then restarts: each fits its own timeout, as every
# JVM start is slow under emulation) and checks what they leave:
#   stdout        key=value lines (the script's own observations)
#   $VMLAB_OUT/   each instance's stdout and stderr (main.*, second.*, nobody.*, partial.*, sysrq.*)
#                 (also oldlib.*, nolib.*, rejected.*) and the loads' output (cpu-load.out, sleep-load.out)
#
#   usage: launcher-in-guest.sh LAYOUT [LOAD_SECS] [SWAPS] [STATS_SECS] [OLD_LIBBPF_DIR] [STALLING_JAR] [REJECTED_OBJ] [PART] [FAIR_JAR]
#   PART: main (the main instance: load, swaps, stall, SIGSTOP, hotplug, SIGTERM, a second instance),
#   restarts (the errors before attach, partial mode, kill -9, SysRq-S), or all (default).
#   LAYOUT is launcher/target/scx_javaland (or an unpacked distribution): it is copied to /tmp.
#   LOAD_SECS bounds the load under which the policies are swapped; it is stopped when the swaps end.
#   SWAPS swaps go round deadline -> fifo -> fair (FAIR_JAR, the example policy) -> deadline ...,
#   or between deadline and fifo without FAIR_JAR.
# By hand: bash itests/vm/vmlab/vmlab.sh run --out /tmp/o -- bash <this file> $PWD/launcher/target/scx_javaland
# "A && say X || say Y" is an if-else here: say (an echo) does not fail.
# shellcheck disable=SC2015
set -u
LAYOUT=${1:?the scx_javaland layout (launcher/target/scx_javaland)}
LOAD_SECS=${2:-300}
SWAPS=${3:-200}
STATS_SECS=${4:-0.1}
OLD_LIBBPF=${5:-}   # a folder holding an older libbpf.so.1, for the "too old" error
STALLING_JAR=${6:-} # a policy bundle whose first dispatch hangs, for the stall guard
REJECTED_OBJ=${7:-} # a BPF object with a program the verifier refuses
PART=${8:-all}
FAIR_JAR=${9:-}     # the example fair policy, swapped to with deadline and fifo
OUT=${VMLAB_OUT:-/tmp/scx-out}
SE=/sys/kernel/sched_ext
HOME_DIR=/tmp/scx_javaland
SCX=$HOME_DIR/bin/scx_javaland
mkdir -p "$OUT"

# Each observation also goes to the console: when the guest is killed at the timeout, the harness
# prints the console's tail, which then says how far the script got.
say() { echo "$1=$2"; echo "launcher-in-guest: $1=$2" >/dev/console 2>/dev/null; }
# Sleeps without forking (fork+exec crawls under TCG): a read that times out on a FIFO nobody writes.
mkfifo /tmp/never && exec 9<>/tmp/never
nap() { read -r -t "$1" -u 9 _ || true; }
# true when the section of part $1 runs
in_part() { [ "$PART" = all ] || [ "$PART" = "$1" ]; }
# waits up to $2 seconds for the sched_ext state $1
await_state() {
  local want=$1 i=0 st
  while [ $i -lt $(( $2 * 20 )) ]; do
    read -r st <$SE/state
    [ "$st" = "$want" ] && return 0
    nap 0.05
    i=$((i + 1))
  done
  return 1
}
# waits up to $2 seconds for a line matching $1 in file $3
await_line() {
  local i=0
  while [ $i -lt $(( $2 * 10 )) ]; do
    grep -q -- "$1" "$3" 2>/dev/null && return 0
    nap 0.1
    i=$((i + 1))
  done
  return 1
}
now_ms() { local up; read -r up _ </proc/uptime; up=${up/./}; echo $((10#$up * 10)); }
# on-CPU time (ns) of the thread named $2 in process $1, from its schedstat
thread_ns() {
  local t name
  for t in /proc/"$1"/task/*; do
    read -r name <"$t/comm" 2>/dev/null || continue
    if [ "$name" = "$2" ]; then read -r ns _ <"$t/schedstat"; echo "$ns"; return; fi
  done
  echo -1
}

# Page faults (minor + major) of each thread of process $1, as "tid name count" lines.
thread_faults() {
  local t name line rest
  for t in /proc/"$1"/task/*; do
    read -r name <"$t/comm" 2>/dev/null || continue
    read -r line <"$t/stat" 2>/dev/null || continue
    rest=${line##*) }
    # shellcheck disable=SC2086 # the fields: field n of stat is $((n - 2)) here: minflt is field 10, majflt 12
    set -- $rest
    echo "${t##*/} ${name// /_} $(( $8 + ${10} ))"
  done
}

# A home of its own, writable (data/ is created at start) and root's (the launcher checks that as root).
cp -a "$LAYOUT" "$HOME_DIR" || { say copy_error "$LAYOUT"; exit 3; }
[ -n "$STALLING_JAR" ] && cp "$STALLING_JAR" "$HOME_DIR/deploy/"
# (the deploy guard admits only what root alone can change)
[ -n "$FAIR_JAR" ] && cp "$FAIR_JAR" "$HOME_DIR/deploy/policy-fair.jar" && chmod 0644 "$HOME_DIR/deploy/policy-fair.jar"
# Emulation runs tasks many times slower than hardware against a real-time watchdog: give it 20 s.
echo "timeout_ms = 20000" >>"$HOME_DIR/etc/org.scxjavaland.bpf.cfg"
export SCX_JAVA_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch ${VMLAB_JAVA_OPTS:-}"
read -r st <$SE/state; say state_at_boot "$st"
say kernel "$(uname -r)"

if in_part main; then
# ---- the main instance: deadline, --stats, gogo on stdin ---------------------------------------
mkfifo /tmp/gogo && exec 3<>/tmp/gogo
gogo() { echo "$*" >&3; }
t0=$(now_ms)
"$SCX" --backend bpf --stats "$STATS_SECS" --shell <&3 >"$OUT/main.out" 2>"$OUT/main.err" &
MAIN=$!
if ! await_state enabled 120; then
  say main_attach error; say main_alive "$(kill -0 $MAIN 2>/dev/null && echo true || echo false)"
  kill -9 $MAIN 2>/dev/null; exit 4
fi
say main_attach_ms $(( $(now_ms) - t0 ))
await_line '^\[javaland\]\|\[javaland\] tasks' 30 "$OUT/main.out" && say stats_line seen || say stats_line missing
read -r st <$SE/state; say state_attached "$st"
read -r ops <$SE/root/ops; say ops "$ops"
read -r seq0 <$SE/enable_seq 2>/dev/null || seq0=unreadable-before
read -r all <$SE/switch_all 2>/dev/null || all='?'; say switch_all "$all"
policies=(fifo deadline)
if [ -n "$FAIR_JAR" ]; then
  policies=(fifo fair deadline)
  await_line "Policy 'fair' .*is available" 120 "$OUT/main.err" && say fair_available true || say fair_available false
fi

# ---- a second instance while javaland is attached ----------------------------------------------
SCX_JAVA_OPTS="-Xms48m -Xmx48m ${VMLAB_JAVA_OPTS:-} -Dscx.data=/tmp/second-data" "$SCX" --backend bpf \
  </dev/null >"$OUT/second.out" 2>"$OUT/second.err"
say second_exit $?

# ---- the load: CPU-bound and sleeping, under deadline, then swaps under it until they end --------
load_start=$(now_ms)
cd /tmp || exit 3   # stress-ng wants a writable working directory
stress-ng --cpu 4 --timeout "${LOAD_SECS}s" --metrics-brief >"$OUT/cpu-load.out" 2>&1 &
CPU_LOAD=$!
stress-ng --sleep 2 --sleep-max 16 --timeout "${LOAD_SECS}s" --metrics-brief >"$OUT/sleep-load.out" 2>&1 &
SLEEP_LOAD=$!
nap 6
# steady load, no swap yet: the scheduling thread's page faults here must be none. The snapshots
# enclose the monitor lines between mark=warm and mark=steady-end, so both counts cover the same time.
warm_ns=$(thread_ns $MAIN scx-scheduler)
thread_faults $MAIN >/tmp/faults.warm
gogo "echo mark=warm"
nap 3
gogo "echo mark=steady-end"
await_line 'mark=steady-end' 60 "$OUT/main.out"
thread_faults $MAIN >/tmp/faults.steady

# sched_ext's state, sampled every 50 ms while the policies are swapped
rm -f /tmp/stop-sampler
( n=0; bad=0
  while [ ! -e /tmp/stop-sampler ]; do
    read -r s <$SE/state; n=$((n + 1)); [ "$s" = enabled ] || bad=$((bad + 1)); nap 0.05
  done
  echo "state_samples=$n"; echo "state_not_enabled=$bad" ) >/tmp/sampler.out &
SAMPLER=$!
gogo "echo mark=swaps-begin"
swap_start=$(now_ms)
for ((i = 0; i < SWAPS; i++)); do
  gogo "scx:use ${policies[$(( i % ${#policies[@]} ))]}"; nap 0.2
done
gogo "echo mark=swaps-end"
await_line 'mark=swaps-end' 60 "$OUT/main.out"
say swaps_ms $(( $(now_ms) - swap_start ))
# The load ran through every swap: both still run now. Then they stop (SIGINT: stress-ng ends its
# stressors and reports as at its timeout).
say load_alive_at_swaps_end "$(kill -0 $CPU_LOAD 2>/dev/null && kill -0 $SLEEP_LOAD 2>/dev/null && echo true || echo false)"
kill -INT $CPU_LOAD $SLEEP_LOAD 2>/dev/null
# (SIGTERM, which it handles alike, if SIGINT has not ended it within 60 s: a background job starts
# with SIGINT ignored, until stress-ng sets its handler)
i=0; while { kill -0 $CPU_LOAD || kill -0 $SLEEP_LOAD; } 2>/dev/null && [ $i -lt 600 ]; do nap 0.1; i=$((i + 1)); done
kill -TERM $CPU_LOAD $SLEEP_LOAD 2>/dev/null
wait $CPU_LOAD; say cpu_load_exit $?
wait $SLEEP_LOAD; say sleep_load_exit $?
say load_ms $(( $(now_ms) - load_start ))
# ---- a policy that hangs for 2 s: the stall guard lets the kernel side run new tasks meanwhile --
if [ -n "$STALLING_JAR" ]; then
  gogo "echo mark=stall"
  gogo "scx:use stalling"; nap 3
  gogo "scx:use deadline"
  gogo "echo mark=stall-end"
  await_line 'mark=stall-end' 30 "$OUT/main.out" && say stall_step 'done' || say stall_step stuck
fi
# ---- the whole JVM stops (SIGSTOP: as a long GC pause or a debugger would) for 3 s under load: the
# BPF side notices that nobody reads the queued ring and runs new tasks itself; a periodic sleeper
# keeps being woken; after SIGCONT user space schedules again --------------------------------------
stress-ng --cpu 2 --timeout 20s >/dev/null 2>&1 &
STOP_LOAD=$!
# A 10 ms periodic sleeper that notes each wakeup on the clock of /proc/uptime (CLOCK_BOOTTIME).
python3 -c '
import sys, time
clock = time.CLOCK_BOOTTIME
end = time.clock_gettime(clock) + 14; woken = []
while time.clock_gettime(clock) < end:
    time.sleep(0.01); woken.append(time.clock_gettime(clock))
open(sys.argv[1], "w").write("".join("%.4f\n" % t for t in woken))' /tmp/sleeper.times &
SLEEPER=$!
nap 4
gogo "echo mark=sigstop"
nap 1
kill -STOP $MAIN; read -r stopped_at _ </proc/uptime; say sigstop sent
# sched_ext's state every 0.1 s while the JVM is stopped
n=0; bad=0
for ((i = 0; i < 30; i++)); do
  read -r st <$SE/state; n=$((n + 1)); [ "$st" = enabled ] || bad=$((bad + 1)); nap 0.1
done
say state_samples_while_stopped $n; say state_not_enabled_while_stopped $bad; say state_while_stopped "$st"
read -r continued_at _ </proc/uptime; kill -CONT $MAIN; say sigcont sent
wait $SLEEPER
# The stop's window (SIGSTOP sent to SIGCONT sent), the sleeper's wakeups within it, and its longest
# gap between two wakeups that overlaps it.
awk -v a="$stopped_at" -v b="$continued_at" '
  { if ($1 >= a && $1 <= b) n++; if (NR > 1 && $1 > a && prev < b && $1 - prev > gap) gap = $1 - prev; prev = $1 }
  END { printf "stop_window_ms=%d\nsleeper_wakeups_while_stopped=%d\nlongest_sleeper_gap_ms=%d\nsleeper_wakeups=%d\n",
        (b - a) * 1000, n, gap * 1000, NR }' /tmp/sleeper.times
gogo "echo mark=after-sigcont"
await_line 'mark=after-sigcont' 60 "$OUT/main.out" && say after_sigcont answered || say after_sigcont silent
nap 3
gogo "echo mark=after-sigcont-3s"
await_line 'mark=after-sigcont-3s' 60 "$OUT/main.out"
kill $STOP_LOAD 2>/dev/null; wait $STOP_LOAD 2>/dev/null
touch /tmp/stop-sampler; wait $SAMPLER; cat /tmp/sampler.out

gogo "echo mark=load-done"
done_ns=$(thread_ns $MAIN scx-scheduler)
thread_faults $MAIN >/tmp/faults.done
# per thread name: faults between warm-up and the end of the load (a thread started meanwhile
# counts whole; one that ended meanwhile is missing)
declare -A at_warm=() after_warm=()
while read -r tid name n; do at_warm[$tid]=$n; done </tmp/faults.warm
while read -r tid name n; do
  after_warm[$name]=$(( ${after_warm[$name]:-0} + n - ${at_warm[$tid]:-0} ))
done </tmp/faults.done
for name in "${!after_warm[@]}"; do echo "faults_after_warmup.$name=${after_warm[$name]}"; done
declare -A steady=()
while read -r tid name n; do
  [ -n "${at_warm[$tid]:-}" ] && steady[$name]=$(( ${steady[$name]:-0} + n - ${at_warm[$tid]} ))
done </tmp/faults.steady
for name in "${!steady[@]}"; do echo "faults_steady.$name=${steady[$name]}"; done
say scheduler_thread_ns $(( done_ns - warm_ns ))
gogo "scx:status"
nap 2
read -r st <$SE/state; say state_after_load "$st"
read -r seq1 <$SE/enable_seq 2>/dev/null || seq1=unreadable-after
say enable_seq_unchanged "$([ "$seq0" = "$seq1" ] && echo true || echo "false ($seq0 -> $seq1)")"
say main_alive "$(kill -0 $MAIN 2>/dev/null && echo true || echo false)"

# ---- CPU hotplug (suspend does it to every CPU but the first): each change makes the kernel ask
# for a restart, and the launcher loads the scheduler again ----------------------------------------
# waits up to $2 seconds for enable_seq to move past $1 with the state enabled
await_reenabled() {
  local i=0 seq st
  while [ $i -lt $(( $2 * 20 )) ]; do
    read -r seq <$SE/enable_seq; read -r st <$SE/state
    [ "$seq" != "$1" ] && [ "$st" = enabled ] && return 0
    nap 0.05
    i=$((i + 1))
  done
  return 1
}
for change in offline:0 online:1; do
  name=${change%:*}
  read -r seq <$SE/enable_seq
  t0=$(now_ms)
  echo "${change#*:}" >/sys/devices/system/cpu/cpu1/online
  # shellcheck disable=SC2320 # the echo's status: whether the kernel took the change
  say "cpu1_${name}_exit" $?
  if await_reenabled "$seq" 60; then
    say "cpu1_${name}_to_enabled_ms" $(( $(now_ms) - t0 ))
  else
    say "cpu1_${name}_to_enabled_ms" never
  fi
done
read -r ops <$SE/root/ops; say ops_after_hotplug "$ops"
say main_alive_after_hotplug "$(kill -0 $MAIN 2>/dev/null && echo true || echo false)"

# ---- SIGTERM: clean detach, exit 0 ---------------------------------------------------------------
t0=$(now_ms)
kill -TERM $MAIN
wait $MAIN; say main_exit $?
say main_stop_ms $(( $(now_ms) - t0 ))
read -r st <$SE/state; say state_after_sigterm "$st"
exec 3>&-
fi # main

# ---- the errors a user can meet before anything is attached. One after the other: both vCPUs are
# one host thread under single-threaded TCG, so starting them together gains nothing. A small heap
# each: no need to pre-touch 256 MB to be told what is wrong. ----------------------------------------
if in_part restarts; then
MAIN_JAVA_OPTS=$SCX_JAVA_OPTS
SCX_JAVA_OPTS="-Xms48m -Xmx48m ${VMLAB_JAVA_OPTS:-}"
# not root: the BPF link's own sentence, exit 1
t0=$(now_ms)
setpriv --reuid=65534 --regid=65534 --clear-groups \
  env SCX_JAVA_OPTS="$SCX_JAVA_OPTS -Dscx.data=/tmp/nobody-data" "$SCX" --backend bpf \
  </dev/null >"$OUT/nobody.out" 2>"$OUT/nobody.err"
say nobody_exit $?
say nobody_ms $(( $(now_ms) - t0 ))
# libbpf too old: bookworm's 1.1 put first in the library path
if [ -n "$OLD_LIBBPF" ]; then
  LD_LIBRARY_PATH="$OLD_LIBBPF:$LD_LIBRARY_PATH" \
    SCX_JAVA_OPTS="$SCX_JAVA_OPTS -Djna.library.path=$OLD_LIBBPF -Dscx.data=/tmp/oldlib-data" "$SCX" --backend bpf \
    </dev/null >"$OUT/oldlib.out" 2>"$OUT/oldlib.err"
  say oldlib_exit $?
fi
# a libbpf that does not load: an empty file in its place, in a mount namespace of its own
LIBBPF=$(readlink -f /usr/lib/x86_64-linux-gnu/libbpf.so.1)
# shellcheck disable=SC2016 # $1 and $@ are the inner shell's
unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' hide "$LIBBPF" \
  env SCX_JAVA_OPTS="$SCX_JAVA_OPTS -Dscx.data=/tmp/nolib-data" "$SCX" --backend bpf \
  </dev/null >"$OUT/nolib.out" 2>"$OUT/nolib.err"
say nolib_exit $?
# a BPF object the kernel's verifier refuses
if [ -n "$REJECTED_OBJ" ]; then
  SCX_JAVA_OPTS="$SCX_JAVA_OPTS -Dscx.bpf.object=$REJECTED_OBJ -Dscx.data=/tmp/rejected-data" "$SCX" --backend bpf \
    </dev/null >"$OUT/rejected.out" 2>"$OUT/rejected.err"
  say rejected_exit $?
fi
SCX_JAVA_OPTS=$MAIN_JAVA_OPTS

# ---- partial mode (auto picks bpf here), then kill -9 -------------------------------------------
t0=$(now_ms)
SCX_JAVA_OPTS="$SCX_JAVA_OPTS -Dscx.data=/tmp/partial-data" "$SCX" --backend auto -p --stats 1 \
  </dev/null >"$OUT/partial.out" 2>"$OUT/partial.err" &
PARTIAL=$!
if await_state enabled 120; then
  say partial_attach_ms $(( $(now_ms) - t0 ))
  read -r all <$SE/switch_all 2>/dev/null || all='?'; say partial_switch_all "$all"
  # Three busy loops moved to SCHED_EXT (policy 7; bookworm's chrt has no --ext), one plain sleeper.
  ext_pids=()
  for i in 1 2 3; do
    python3 -c 'import os; os.sched_setscheduler(0, 7, os.sched_param(0)); os.execvp("sh", ["sh", "-c", "while :; do :; done"])' &
    ext_pids+=("$!")
  done
  python3 -c 'import time
while True: time.sleep(0.01)' &
  PLAIN=$!
  # Python starts slowly under emulation beside the JVM's start: wait until all three have switched.
  for _ in $(seq 240); do
    n=0
    for p in "${ext_pids[@]}"; do grep -qE '^policy +: +7$' "/proc/$p/sched" 2>/dev/null && n=$((n + 1)); done
    [ "$n" -eq 3 ] && break
    nap 0.5
  done
  nap 2
  for p in "${ext_pids[@]}"; do
    grep -E '^(policy|ext\.enabled)' "/proc/$p/sched" | tr -d ' ' | sed "s/^/partial.ext_task./"
  done | sort | uniq -c | sed 's/^ *//'
  grep -E '^(policy|ext\.enabled)' /proc/$PLAIN/sched | tr -d ' ' | sed "s/^/partial.plain_task./"
  read -r st <$SE/state; say partial_state "$st"
  # kill -9: the kernel takes the scheduler down itself; every task goes back to the fair class.
  kill -KILL $PARTIAL; wait $PARTIAL 2>/dev/null; say partial_kill_exit $?
  await_state disabled 20 && say state_after_kill9 disabled || { read -r st <$SE/state; say state_after_kill9 "$st"; }
  # shellcheck disable=SC2116 # the point: a command substitution (a fork) still works
  say after_kill9_command "$(echo works)"
  say after_kill9_python "$(python3 -c 'print(6 * 7)')"
  kill -KILL "${ext_pids[@]}" $PLAIN 2>/dev/null
else
  say partial_attach error
  kill -KILL $PARTIAL 2>/dev/null
fi

# ---- the next start on the data folder the instance killed with -9 left behind: nothing of that one
# is used or stays. Then the kernel ends the scheduler by itself (SysRq-S): the launcher says why and
# exits 1 ----------------------------------------------------------------------------------------------
DATA=/tmp/partial-data
SOCKET=$DATA/monitor/stats.sock
# Asks the host serving at $1 for its counters, waiting up to $2 s for one to answer: the counters'
# line (nr_running=... nr_user_dispatches=...), or the error that ended the wait.
counters() {
  python3 -c '
import socket, sys, time
end = time.monotonic() + float(sys.argv[2])
while True:
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(sys.argv[1]); break
    except OSError as e:
        s.close()
        if time.monotonic() >= end:
            print(type(e).__name__); sys.exit(0)
        time.sleep(0.5)
s.sendall(b"metrics\n"); print(s.makefile().readline().strip())' "$1" "$2"
}
ls -A $DATA >/tmp/partial-data.before 2>/dev/null; say data_left_by_kill9 "$(tr '\n' ' ' </tmp/partial-data.before)"
# What kill -9 left: every file (inode, change time and path: a file made anew differs in one of them
# at least), among them the monitor socket, which nobody answers.
find $DATA \( -type f -o -type s \) -printf '%i %C@ %P\n' | sort >/tmp/partial-data.files
say kill9_left_files "$(wc -l </tmp/partial-data.files)"
[ -S $SOCKET ] && say stale_socket_left present || say stale_socket_left missing
say stale_socket_answers "$(counters $SOCKET 0)"
# And what a kill can leave too: a copy cut short in .incoming/ (killed while copying), and the copy
# of a jar removed from deploy/ while the host was down.
mkdir -p $DATA/guarded/.incoming $DATA/guarded/deploy
echo 'cut short' >$DATA/guarded/.incoming/policy.jar1234.part
echo 'removed' >$DATA/guarded/deploy/removed-while-down.jar
t0=$(now_ms)
SCX_JAVA_OPTS="$SCX_JAVA_OPTS -Dscx.data=$DATA" "$SCX" --backend bpf \
  </dev/null >"$OUT/sysrq.out" 2>"$OUT/sysrq.err" &
SYSRQ=$!
if await_state enabled 120; then
  say restart_after_kill9_attach_ms $(( $(now_ms) - t0 ))
  read -r st <$SE/state; say restart_after_kill9_state "$st"
  read -r ops <$SE/root/ops; say restart_after_kill9_ops "$ops"
  # The monitor socket is the new host's (it is served once the scheduler runs): it answers, and
  # user space dispatches under a small load.
  say restart_counters_before_load "$(counters $SOCKET 120)"
  stress-ng --cpu 2 --timeout 3s >/dev/null 2>&1
  say restart_counters_after_load "$(counters $SOCKET 10)"
  # None of the killed instance's files is there as it was (each is gone or made anew), the copies
  # are those of deploy/ and etc/ now, and the planted leftovers are gone.
  find $DATA \( -type f -o -type s \) -printf '%i %C@ %P\n' | sort >/tmp/partial-data.after
  say kill9_files_kept_after_restart "$(comm -12 /tmp/partial-data.files /tmp/partial-data.after | tr '\n' ' ')"
  say incoming_copies_after_restart "$(find $DATA/guarded/.incoming -mindepth 1 2>/dev/null | wc -l)"
  [ -e $DATA/guarded/deploy/removed-while-down.jar ] && say removed_jar_copy_after_restart present \
    || say removed_jar_copy_after_restart gone
  differ=""
  for f in "$HOME_DIR"/deploy/*.jar "$HOME_DIR"/etc/*.cfg; do
    copy=$DATA/guarded/$(basename "$(dirname "$f")")/$(basename "$f")
    cmp -s "$f" "$copy" || differ="$differ $copy"
  done
  say guarded_copies_differing_after_restart "${differ:-none}"
  echo 1 >/proc/sys/kernel/sysrq
  echo S >/proc/sysrq-trigger
  wait $SYSRQ; say sysrq_exit $?
  say sysrq_stop_ms $(( $(now_ms) - t0 ))
else
  say sysrq_attach error
  kill -KILL $SYSRQ 2>/dev/null
fi
fi # restarts
read -r st <$SE/state; say final_state "$st"
exit 0
