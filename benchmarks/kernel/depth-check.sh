#!/bin/bash
# What a queue depth of 1 costs on the real kernel, a short check in one VM lab boot: the launcher
# with the deadline policy and --queue-depth 1, then without a depth, each under 4 CPU hogs with a
# SCHED_OTHER cyclictest (300 periods of 10 ms), then hackbench and perf bench sched pipe; key=value
# lines on stdout and the console.
#   VMLAB_TCG_THREAD=single bash itests/vm/vmlab/vmlab.sh run --timeout 800 -- \
#       bash benchmarks/kernel/depth-check.sh $PWD/launcher/target/scx_javaland
LAYOUT=$1
say() { echo "$1=$2"; echo "diag: $1=$2" >/dev/console; }
run() {
DEPTH=$1
rm -rf /tmp/jl
cp -a "$LAYOUT" /tmp/jl; echo "timeout_ms = 20000" >>/tmp/jl/etc/org.scxjavaland.bpf.cfg
export SCX_JAVA_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch $VMLAB_JAVA_OPTS"
/tmp/jl/bin/scx_javaland --backend bpf --policy deadline --queue-depth "$DEPTH" --stats 1 </dev/null >/tmp/jl.out 2>/tmp/jl.err &
JL=$!
for _ in $(seq 1 600); do [ "$(cat /sys/kernel/sched_ext/state)" = enabled ] && break; sleep 0.1; done
say "d$DEPTH.state" "$(cat /sys/kernel/sched_ext/state)"
sleep 5
say "d$DEPTH.before" "$(tail -1 /tmp/jl.out)"
stress-ng --cpu 4 --timeout 15s >/dev/null 2>&1 &
HOGS=$!
sleep 2
say "d$DEPTH.hogs" "$(tail -1 /tmp/jl.out)"
timeout 60 cyclictest -t1 --policy=other -i 10000 -l 300 -h 200000 --histfile=/tmp/h -q; say "d$DEPTH.cyclic_rc" $?
say "d$DEPTH.after_cyclic" "$(tail -1 /tmp/jl.out)"
awk '/^[0-9]/ { n=$1+0; c=$2+0; if (c>0) { for (k=0;k<c;k++) v[t++]=n } } END { if (t) printf "samples=%d p50=%d p99=%d\n", t, v[int(t*0.5)], v[int(t*0.99)] }' /tmp/h | while read -r l; do say "d$DEPTH.cyclic" "$l"; done
wait $HOGS
say "d$DEPTH.state_end" "$(cat /sys/kernel/sched_ext/state)"
timeout 120 hackbench -g 4 -l 20 2>&1 | grep Time | while read -r l; do say "d$DEPTH.hackbench" "$l"; done
timeout 120 perf bench sched pipe -l 500 2>&1 | grep usecs/op | while read -r l; do say "d$DEPTH.pipe" "$l"; done
grep -E "watchdog|eject|stall|WARN|ERROR" /tmp/jl.err | head -5 | while read -r l; do say "d$DEPTH.err" "$l"; done
kill -TERM $JL; wait $JL; say "d$DEPTH.exit" $?
}
run 1
run 0
