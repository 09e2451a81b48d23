package org.scxjavaland.connector.internal;

import org.scxjavaland.link.KernelLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the scheduling thread from outside. When one round (a policy's call, a swap) has not
 * finished for {@link #STALL_NS}, it turns the link's bypass on, so the kernel side runs newly
 * runnable tasks by itself instead of queueing them for a thread that does not answer; when the
 * round ends, bypass goes off again. Tasks the policy already holds wait for it (or, after the
 * kernel's watchdog timeout, return to the fair class).
 *
 * <p>It cannot help through a stop-the-world pause, when every Java thread waits: the BPF side
 * covers those by running the JVM's own threads itself, and the heap is fixed and touched up front.
 */
final class StallGuard implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StallGuard.class);

    /** A round longer than this is a stall: far above a round's microseconds, far below the kernel's watchdog. */
    static final long STALL_NS = 500_000_000L;
    /** A fifth of the stall: seen within 600 ms, at 10 looks a second (it was 20: an idle cost). */
    private static final long CHECK_MS = 100;
    private static final int WHERE_FRAMES = 4;

    private final SchedulingLoop loop;
    private final KernelLink link;
    private final Scheduler host;
    private volatile boolean stopped;
    private boolean bypassed;   // the guard's thread only
    private long stallBegan;

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

    /** Where {@code thread} is, as its innermost frames (a hung policy names itself there). */
    static String where(Thread thread) {
        if (thread == null) {
            return "thread unknown";
        }
        StackTraceElement[] frames = thread.getStackTrace();
        StringBuilder at = new StringBuilder("at ");
        for (int i = 0; i < Math.min(WHERE_FRAMES, frames.length); i++) {
            if (i > 0) {
                at.append(" < ");
            }
            at.append(frames[i].getClassName().substring(frames[i].getClassName().lastIndexOf('.') + 1))
                    .append('.').append(frames[i].getMethodName());
        }
        return frames.length == 0 ? thread.getState().toString().toLowerCase(java.util.Locale.ROOT) : at.toString();
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                Thread.sleep(CHECK_MS);
            } catch (InterruptedException e) {
                break;
            }
            long since = loop.busySinceNs();
            boolean stalled = since != 0 && System.nanoTime() - since > STALL_NS;
            if (stalled && !bypassed && !stopped) {
                bypassed = true;
                stallBegan = since;
                link.setBypass(true);
                LOG.warn("The scheduling thread has been in one round for over {} ms (policy '{}', {}): the kernel side"
                        + " now runs new tasks by itself until the round ends.", STALL_NS / 1_000_000,
                        host.activePolicy(), where(loop.thread()));
            } else if (!stalled && bypassed && !stopped) {
                bypassed = false;
                link.setBypass(false);
                LOG.info("The scheduling thread is back after about {} ms: bypass off.",
                        (System.nanoTime() - stallBegan) / 1_000_000);
            }
        }
    }
}
