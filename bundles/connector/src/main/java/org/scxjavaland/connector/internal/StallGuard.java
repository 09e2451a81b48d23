package org.scxjavaland.connector.internal;

import org.scxjavaland.link.KernelLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the scheduling thread from outside, for two things.
 *
 * <p><b>A long round.</b> When one round (a policy's call, a swap) has not finished for
 * {@link #STALL_NS}, it turns the link's bypass on, so the kernel side runs newly runnable tasks
 * by itself instead of queueing them for a thread that does not answer; when a round ends, bypass
 * goes off again (the loop tells the guard, see {@link #roundEnded}).
 *
 * <p><b>A policy call that does not return.</b> When one call of a policy (activate, a round's
 * enqueues, dispatch, deactivate) has lasted {@link #HANG_NS}, well under the kernel's watchdog
 * (5 s by default), the guard gives up on that thread: it marks the call abandoned in the
 * activation's {@link CallState}, only if the thread is still inside the policy's own code (never
 * inside the connector or the link), and starts a new scheduling thread that goes on with the
 * same {@link SchedulingLoop}: the policy is failed with one line naming it, the method and where
 * it hangs, and the fallback takes every task it held, from the ledger. The old thread, if its
 * call ever returns, ends without touching anything. The built-in FIFO is never abandoned.
 *
 * <p>Time is counted by the guard's own looks, each adding at most {@link #MAX_LOOK_GAP_NS}: a JVM
 * that stood still (a long GC pause, SIGSTOP, a debugger) does not make a call look hung. Neither
 * watch helps through such a pause, when every Java thread waits: the BPF side covers those by
 * running the JVM's own threads itself, and the heap is fixed and touched up front.
 */
final class StallGuard implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StallGuard.class);

    /** A round longer than this is a stall: far above a round's microseconds, far below the kernel's watchdog. */
    static final long STALL_NS = 500_000_000L;
    /**
     * A policy call this long is given up on. Under the kernel's default watchdog (5 s) with room
     * for the takeover; the system property {@code scx.connector.hang.ms} replaces it (the tests
     * use 1000).
     */
    static final long HANG_NS = Long.getLong("scx.connector.hang.ms", 2_000) * 1_000_000L;
    /** A fifth of the stall: seen within 600 ms, at 10 looks a second (it was 20: an idle cost). */
    private static final long CHECK_MS = 100;
    /** The most one gap between two looks adds to a call's time. */
    private static final long MAX_LOOK_GAP_NS = 3 * CHECK_MS * 1_000_000L;
    private static final int WHERE_FRAMES = 4;

    private final SchedulingLoop loop;
    private final KernelLink link;
    private final Scheduler host;
    private volatile boolean stopped;
    /** Bypass on and off, by the guard or by the loop when a round ends. */
    private final Object bypassLock = new Object();
    private volatile boolean bypassed;
    private long stallBegan;            // under bypassLock
    // The guard's thread only.
    private CallState watched;
    private long watchedMark;
    private long watchedNs;

    StallGuard(SchedulingLoop loop, KernelLink link, Scheduler host) {
        this.loop = loop;
        this.link = link;
        this.host = host;
    }

    /** Ends the guard; returns once it will not touch the link any more. */
    void stop(Thread guardThread) {
        stopped = true;
        guardThread.interrupt();
        try {
            guardThread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Where {@code thread} is, as its innermost frames (a hung policy names itself there); when
     * the policy's method the loop called is further out, it follows after "...".
     */
    static String where(Thread thread) {
        if (thread == null) {
            return "thread unknown";
        }
        StackTraceElement[] frames = thread.getStackTrace();
        if (frames.length == 0) {
            return thread.getState().toString().toLowerCase(java.util.Locale.ROOT);
        }
        StringBuilder at = new StringBuilder("at ");
        int shown = Math.min(WHERE_FRAMES, frames.length);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                at.append(" < ");
            }
            at.append(frame(frames[i]));
        }
        int called = calledByTheLoop(frames);
        if (called >= shown) {
            at.append(called > shown ? " < ... < " : " < ").append(frame(frames[called]));
        }
        return at.toString();
    }

    /** The index of the frame the scheduling loop called (the policy's method), or -1. */
    private static int calledByTheLoop(StackTraceElement[] frames) {
        for (int i = 1; i < frames.length; i++) {
            if (frames[i].getClassName().equals(SchedulingLoop.class.getName())) {
                return i - 1;
            }
        }
        return -1;
    }

    private static String frame(StackTraceElement frame) {
        String type = frame.getClassName();
        return type.substring(type.lastIndexOf('.') + 1) + '.' + frame.getMethodName();
    }

    @Override
    public void run() {
        long lastLook = System.nanoTime();
        while (!stopped) {
            try {
                Thread.sleep(CHECK_MS);
            } catch (InterruptedException e) {
                break;
            }
            long now = System.nanoTime();
            long gap = Math.min(now - lastLook, MAX_LOOK_GAP_NS);
            lastLook = now;
            if (stopped) {
                break;
            }
            watchTheRound(now);
            watchThePolicyCall(gap);
        }
    }

    /** Bypass on while a round lasts over {@link #STALL_NS}, off when one ends; the loop's own once it is ending. */
    private void watchTheRound(long now) {
        if (loop.ending()) {
            return;
        }
        long since = loop.busySinceNs();
        boolean stalled = since != 0 && now - since > STALL_NS;
        if (stalled && !bypassed) {
            startBypass(since);
        } else if (!stalled && bypassed) {
            endBypass();
        }
    }

    /**
     * The scheduling thread ended a round: after a stall, bypass goes off at once rather than at
     * the guard's next look (on the simulated machine in fast mode, seconds of machine time pass
     * between two looks). A volatile read when there was no stall.
     */
    void roundEnded() {
        if (bypassed) {
            endBypass();
        }
    }

    private void startBypass(long since) {
        synchronized (bypassLock) {
            if (bypassed || loop.busySinceNs() != since) {
                return;         // the round ended meanwhile
            }
            bypassed = true;
            stallBegan = since;
            link.setBypass(true);
        }
        LOG.warn("The scheduling thread has been in one round for over {} ms (policy '{}', {}): the kernel side"
                + " now runs new tasks by itself until the round ends.", STALL_NS / 1_000_000,
                host.activePolicy(), where(loop.thread()));
    }

    private void endBypass() {
        long lasted;
        synchronized (bypassLock) {
            if (!bypassed) {
                return;
            }
            bypassed = false;
            link.setBypass(false);
            lasted = System.nanoTime() - stallBegan;
        }
        LOG.info("The scheduling thread is back after about {} ms: bypass off.", lasted / 1_000_000);
    }

    /** Gives up on a policy call that has lasted {@link #HANG_NS}: a new thread takes the loop over. */
    private void watchThePolicyCall(long gap) {
        ActivationContext current = loop.context();
        CallState calls = current == null ? null : current.calls();
        long mark = calls == null ? 0 : calls.observe();
        if (calls != watched || mark != watchedMark) {
            watched = calls;            // another call: its time starts now
            watchedMark = mark;
            watchedNs = 0;
            return;
        }
        if (calls == null || !calls.inAbandonableCall(mark)) {
            return;
        }
        watchedNs += gap;
        if (watchedNs < HANG_NS || !calls.abandon(mark)) {
            return;
        }
        // The hung thread can no longer change the loop: it exits as soon as its call returns.
        String where = where(calls.owner());
        watched = null;
        loop.continueOnNewThread(where);
    }
}
