package org.scxjavaland.trace;

import java.util.Arrays;

/**
 * One task's events turned into its bursts and sleeps, as {@link TracedTask} describes them. A burst
 * sums the CPU time of every run from a wake-up to the next sleep, however often it was preempted;
 * a sleep lasts from the stop that left the task not runnable to its next wake-up. Events that
 * do not follow from the state (after events were lost) are taken as they come: a run that
 * starts while one is open restarts it, a stop with no run open adds nothing.
 */
final class TaskHistory {
    private enum State { UNSEEN, RUNNABLE, RUNNING, SLEEPING }

    final int pid;
    int tgid;
    String comm = "";
    long weight = 100;
    int nrCpusAllowed;
    int lastCpu = -1;

    private State state = State.UNSEEN;
    /** True while the task waits for its first run after a wake-up (its latency is measured then). */
    private boolean waking;
    private long since;
    private long burst;
    /** True once a burst began inside the recording (its first wake-up or first run was seen). */
    private boolean started;
    /** True once it ran inside the recording: a task that only woke has nothing to replay. */
    private boolean ran;
    private long firstWake = -1;
    private long[] runs = new long[8];
    private long[] sleeps = new long[8];
    private int bursts;
    private long[] latencies = new long[8];
    private int wakeups;

    TaskHistory(int pid) {
        this.pid = pid;
    }

    /** Applies one event at {@code ts} (ns since the start of the recording) on {@code cpu}. */
    void on(TraceEventKind kind, long ts, int cpu) {
        lastCpu = cpu;
        switch (kind) {
            case WAKE -> wake(ts, true);
            case RUNNABLE -> {
                // A new task becomes runnable without waking (its first run's delay is measured); a task
                // whose properties change stops "not runnable" and comes straight back: no sleep.
                if (state == State.UNSEEN) {
                    wake(ts, true);
                } else if (state == State.SLEEPING && started) {
                    state = State.RUNNABLE;
                    since = ts;
                } else if (state == State.SLEEPING) {
                    wake(ts, false);
                }
            }
            case RUNNING -> {
                if (!started) {
                    started = true;
                    firstWake = firstWake < 0 ? ts : firstWake;
                }
                if (waking) {
                    latencies = add(latencies, wakeups++, ts - since);
                    waking = false;
                }
                state = State.RUNNING;
                ran = true;
                since = ts;
            }
            case PREEMPTED -> stop(ts, State.RUNNABLE);
            case SLEEP -> stop(ts, State.SLEEPING);
        }
    }

    private void wake(long ts, boolean measureLatency) {
        if (state == State.SLEEPING && started) {
            endBurst(ts - since);
        }
        if (!started) {
            started = true;
            firstWake = ts;
        }
        state = State.RUNNABLE;
        waking = measureLatency;
        since = ts;
    }

    private void stop(long ts, State next) {
        if (state == State.RUNNING && started) {
            burst += ts - since;
        }
        state = next;
        waking = false;
        since = ts;
    }

    private void endBurst(long sleep) {
        runs = add(runs, bursts, burst);
        sleeps = add(sleeps, bursts, sleep);
        bursts++;
        burst = 0;
    }

    private static long[] add(long[] to, int at, long value) {
        long[] array = at < to.length ? to : Arrays.copyOf(to, to.length * 2);
        array[at] = value;
        return array;
    }

    /**
     * The task as a replay reads it, the recording having ended at {@code endTs}; null when it never
     * woke or ran inside the recording (only its end was seen).
     */
    TracedTask toTracedTask(long endTs) {
        if (!started) {
            return null;
        }
        if (!ran) {
            // It woke and waited until the recording ended: no burst of it was seen.
            return new TracedTask(pid, tgid, comm, weight, nrCpusAllowed, -1, firstWake, new long[0], new long[0],
                    new long[0]);
        }
        long last = burst + (state == State.RUNNING ? Math.max(0, endTs - since) : 0);
        long[] run = Arrays.copyOf(runs, bursts + (last > 0 || state == State.SLEEPING || bursts == 0 ? 1 : 0));
        long[] sleep = Arrays.copyOf(sleeps, run.length);
        if (run.length > bursts) {
            run[bursts] = last;
        }
        if (run.length > 0) {
            sleep[run.length - 1] = -1;
        }
        return new TracedTask(pid, tgid, comm, weight, nrCpusAllowed, nrCpusAllowed == 1 ? lastCpu : -1, firstWake, run,
                sleep, Arrays.copyOf(latencies, wakeups));
    }
}
