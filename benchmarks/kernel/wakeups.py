#!/usr/bin/python3
"""Where a waking task loses its time, from the kernel's own tracing: reads a tracefs text trace with
the sched_waking and sched_switch events and, for one thread, measures each wake-up from
sched_waking to the sched_switch that runs it, and says what ran on that CPU in between:

  via_sched   javaland's scheduling thread (scx-scheduler) ran, on any CPU, between the wake-up and
              the run: the wake-up may have gone through user space (its two steps: waking to the
              scheduling thread's first run, then to the task)
  direct      otherwise, if nothing ran on its CPU in between: it was the next task there
  other       otherwise: another task ran on its CPU first (a CPU-bound task's slice, a kernel
              thread, ...), or that CPU went idle first (swapper)

With the timer events (hrtimer_start, hrtimer_expire_entry) also in the trace, it measures the
thread's sleep timers' lateness too: from the time the timer was set for to the time its interrupt
ran it, the part of a periodic sleeper's latency that comes before any scheduler sees the wake-up
(large under emulation, where a timer interrupt waits for the emulator to turn to its CPU).

Prints key=value lines prefixed with PREFIX (scheduler.workload.), times in microseconds.

  usage: wakeups.py TRACE TID PREFIX
"""
import re
import sys

EVENT = re.compile(r"^\s*.+?-(\d+)\s+\[(\d+)\]\s+\S+\s+([\d.]+): (sched_waking|sched_switch): (.*)$")
WAKING = re.compile(r"pid=(\d+) prio=(\d+)")
SWITCH = re.compile(r"next_comm=(.*?) next_pid=(\d+) next_prio=(\d+)")
SCHED_THREAD = "scx-scheduler"
TIMER_SET = re.compile(r"^\s*.+?-(\d+)\s+\[\d+\].*hrtimer_start: hrtimer=(\S+) function=hrtimer_wakeup .*softexpires=(\d+)")
TIMER_RUN = re.compile(r"hrtimer_expire_entry: hrtimer=(\S+) function=hrtimer_wakeup now=(\d+)")


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]


def analyse(lines, tid):
    """[(wake_to_run_us, kind, wake_to_sched_us or None)] of every traced wake-up of tid, and its priority."""
    waking_at = None
    switches_since = []   # (cpu, comm, time) of the switches since the wake-up
    found = []
    prio = None
    for line in lines:
        m = EVENT.match(line)
        if not m:
            continue
        cpu, t, name, body = int(m.group(2)), float(m.group(3)), m.group(4), m.group(5)
        if name == "sched_waking":
            w = WAKING.search(body)
            if w and int(w.group(1)) == tid and waking_at is None:
                waking_at, switches_since, prio = t, [], int(w.group(2))
            continue
        s = SWITCH.search(body)
        if not s or waking_at is None:
            continue
        if int(s.group(2)) != tid:
            switches_since.append((cpu, s.group(1), t))
            continue
        # the exact name: the stall guard's thread is scx-scheduler-g(uard), cut to 15 characters
        sched_at = next((at for (_, comm, at) in switches_since if comm == SCHED_THREAD), None)
        before_here = [comm for (c, comm, _) in switches_since if c == cpu]
        kind = "via_sched" if sched_at is not None else ("direct" if not before_here else "other")
        found.append(((t - waking_at) * 1e6, kind, None if sched_at is None else (sched_at - waking_at) * 1e6))
        waking_at = None
    return found, prio


def timer_lateness(lines, tid):
    """Microseconds from each of tid's sleep timers' set time (its soft expiry) to its interrupt."""
    set_for = {}
    late = []
    for line in lines:
        m = TIMER_SET.match(line)
        if m:
            if int(m.group(1)) == tid:
                set_for[m.group(2)] = int(m.group(3))
            continue
        m = TIMER_RUN.search(line)
        if m and m.group(1) in set_for:
            late.append((int(m.group(2)) - set_for.pop(m.group(1))) / 1000)
    return late


def main(path, tid, prefix):
    with open(path, errors="replace") as f:
        lines = f.readlines()
    found, prio = analyse(lines, int(tid))
    late = timer_lateness(lines, int(tid))
    if late:
        for p in (50, 90, 99):
            print("%stimer_late_p%d_us=%.0f" % (prefix, p, percentile(late, p)))
    print("%swakeups_traced=%d" % (prefix, len(found)))
    if not found:
        return
    print("%sthread_prio=%d" % (prefix, prio))  # 120: SCHED_OTHER at nice 0; below 100: a real-time thread
    all_us = [w for (w, _, _) in found]
    for p in (50, 90, 99):
        print("%swake_to_run_p%d_us=%.0f" % (prefix, p, percentile(all_us, p)))
    print("%swake_to_run_max_us=%.0f" % (prefix, max(all_us)))
    for kind in ("direct", "via_sched", "other"):
        got = [w for (w, k, _) in found if k == kind]
        print("%s%s_share=%.2f" % (prefix, kind, len(got) / len(found)))
        if got:
            print("%s%s_p50_us=%.0f" % (prefix, kind, percentile(got, 50)))
            print("%s%s_p90_us=%.0f" % (prefix, kind, percentile(got, 90)))
    to_sched = [s for (_, k, s) in found if k == "via_sched"]
    if to_sched:
        print("%swake_to_sched_p50_us=%.0f" % (prefix, percentile(to_sched, 50)))
        print("%ssched_to_run_p50_us=%.0f" % (prefix, percentile(
            [w - s for (w, k, s) in found if k == "via_sched"], 50)))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
