#!/bin/bash
# scx_javaland --record on the VM lab's sched_ext kernel (RecorderVmIT runs it):
#   record-in-guest.sh LAYOUT SECONDS
# copies LAYOUT (launcher/target/scx_javaland) to /tmp, starts a CPU-bound loop and a sleeper that
# sleeps 10 ms at a time (its name: sleeper10ms), runs scx_javaland --backend bpf --record for
# SECONDS, waits for the recorder's closing line, stops scx_javaland with SIGTERM, and leaves the
# trace (run.trace) and scx_javaland's output (record.out, record.err) in $VMLAB_OUT, with
# key=value lines on stdout.
set -u
LAYOUT=${1:?the scx_javaland layout (launcher/target/scx_javaland)}
SECONDS_TO_RECORD=${2:-8}
OUT=${VMLAB_OUT:-/tmp/scx-out}
HOME_DIR=/tmp/scx_javaland
SE=/sys/kernel/sched_ext
mkdir -p "$OUT"
say() { echo "$1=$2"; echo "record-in-guest: $1=$2" >/dev/console 2>/dev/null; }
mkfifo /tmp/never && exec 9<>/tmp/never
nap() { read -r -t "$1" -u 9 _ || true; }
await_line() {
  local i=0
  while [ $i -lt $(( $2 * 10 )) ]; do
    grep -q -- "$1" "$3" 2>/dev/null && return 0
    nap 0.1
    i=$((i + 1))
  done
  return 1
}

cp -a "$LAYOUT" "$HOME_DIR" || { say copy_error "$LAYOUT"; exit 3; }
echo "timeout_ms = 20000" >>"$HOME_DIR/etc/org.scxjavaland.bpf.cfg"
export SCX_JAVA_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch ${VMLAB_JAVA_OPTS:-}"
# Root's own folder for the trace (as root, scx_javaland writes only where root alone can).
mkdir -m 0755 /tmp/rec

sh -c 'while :; do :; done' &
BUSY=$!
python3 -c "
import time
open('/proc/self/comm', 'w').write('sleeper10ms')
while True:
    time.sleep(0.01)
" &
SLEEPER=$!
say kernel "$(uname -r)"
say busy_pid $BUSY
say sleeper_pid $SLEEPER

"$HOME_DIR/bin/scx_javaland" --backend bpf --record /tmp/rec/run.trace --record-seconds "$SECONDS_TO_RECORD" \
  </dev/null >"$OUT/record.out" 2>"$OUT/record.err" &
SCX=$!
if await_line 'Recorded [0-9]* events' $(( SECONDS_TO_RECORD + 240 )) "$OUT/record.err"; then
  say recorder_line seen
else
  say recorder_line missing
fi
read -r st <$SE/state; say state_while_running "$st"
kill -TERM $SCX
wait $SCX; say scx_exit $?
read -r st <$SE/state; say state_after "$st"
kill -9 $BUSY $SLEEPER 2>/dev/null
say trace_mode "$(stat -c %a /tmp/rec/run.trace)"
say trace_owner "$(stat -c %u /tmp/rec/run.trace)"
say trace_bytes "$(stat -c %s /tmp/rec/run.trace)"
cp /tmp/rec/run.trace "$OUT/run.trace" 2>/dev/null
