#!/bin/bash
# What --record costs and how large a recording grows, in one guest boot of the VM lab (run by
# record-bench.sh on the host):
#   record-in-guest.sh LAYOUT ROUNDS SIZE_SECS
# ROUNDS times: scx_javaland (deadline) with and without --record, in an order that alternates
# from round to round, each running `perf bench sched pipe` and `hackbench`; then two recordings
# of SIZE_SECS each, one busy (stress-ng --cpu 2 and cyclictest -i 10000) and one idle.
# key=value lines on stdout.
set -u
LAYOUT=${1:?the scx_javaland layout}
ROUNDS=${2:-3}
SIZE_SECS=${3:-60}
HOME_DIR=/tmp/scx_javaland
SE=/sys/kernel/sched_ext
say() { echo "$1=$2"; echo "record-bench: $1=$2" >/dev/console 2>/dev/null; }
mkfifo /tmp/never && exec 9<>/tmp/never
nap() { read -r -t "$1" -u 9 _ || true; }
await() { # $1 pattern, $2 seconds, $3 file
  local i=0
  while [ $i -lt $(( $2 * 10 )) ]; do grep -q -- "$1" "$3" 2>/dev/null && return 0; nap 0.1; i=$((i + 1)); done
  return 1
}
cd /tmp || exit 3
cp -a "$LAYOUT" "$HOME_DIR" || exit 3
echo "timeout_ms = 20000" >>"$HOME_DIR/etc/org.scxjavaland.bpf.cfg"
export SCX_JAVA_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch ${VMLAB_JAVA_OPTS:-}"
mkdir -m 0755 /tmp/rec

# Starts scx_javaland with the options given, waits until it schedules; SCX = its pid.
start() {
  local log=$1; shift
  "$HOME_DIR/bin/scx_javaland" --backend bpf "$@" </dev/null >"/tmp/$log.out" 2>"/tmp/$log.err" &
  SCX=$!
  await "Active policy builtin-fifo -> deadline" 180 "/tmp/$log.err" || { say "${log}_start" failed; cat "/tmp/$log.err" >&2; }
  nap 2
}
stop() { kill -TERM "$SCX"; wait "$SCX"; }

for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="plain record"; else order="record plain"; fi
  for c in $order; do
    if [ "$c" = record ]; then start "r$r$c" --record "/tmp/rec/bench-$r.trace" --record-seconds 600; else start "r$r$c"; fi
    say "r$r.$c.pipe_us_per_op" "$(perf bench sched pipe -l 20000 2>&1 | awk '/usecs\/op/ {print $1}')"
    say "r$r.$c.hackbench_s" "$(hackbench -g 4 -l 200 2>&1 | awk '/^Time:/ {print $2}')"
    stop
    if [ "$c" = record ]; then
      say "r$r.record.line" "$(grep -o 'Recorded .*' "/tmp/r$r$c.err")"
    fi
  done
done

# The size of a minute: busy, then idle.
start busy --record /tmp/rec/busy.trace --record-seconds "$SIZE_SECS"
stress-ng --cpu 2 --timeout $((SIZE_SECS + 30))s >/dev/null 2>&1 &
LOAD1=$!
cyclictest -t1 --policy=other -i 10000 -D $((SIZE_SECS + 30)) -q >/dev/null 2>&1 &
LOAD2=$!
await 'Recorded [0-9]* events' $((SIZE_SECS + 120)) /tmp/busy.err
say busy.line "$(grep -o 'Recorded .*' /tmp/busy.err)"
kill -TERM $LOAD1 $LOAD2 2>/dev/null; wait $LOAD1 $LOAD2 2>/dev/null
stop
start idle --record /tmp/rec/idle.trace --record-seconds "$SIZE_SECS"
await 'Recorded [0-9]* events' $((SIZE_SECS + 120)) /tmp/idle.err
say idle.line "$(grep -o 'Recorded .*' /tmp/idle.err)"
stop
read -r st <$SE/state; say state_after "$st"
