package org.scxjavaland.connector.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the thread that created one {@link ActivationContext} is, as far as that activation goes:
 * in the connector's loop, in a call of the policy, or in the link (or the ledger) on the policy's
 * behalf; or abandoned by the {@link StallGuard} in a policy call that did not return.
 *
 * <p>The state is one atomic word, {@code calls << 2 | where}, so each policy call has its own
 * mark: the guard abandons only the call it saw hang, and only with a compare-and-set from
 * {@link #IN_POLICY}, so a thread inside the connector or the link is never abandoned. Once
 * abandoned, the state never changes again: the loop goes on on a new thread with a new context,
 * and this one refuses everything its old thread asks. Only the owner (the creating thread) may
 * pass: a hung policy that wakes up later, or calls from its own threads, cannot reach the link
 * while another thread schedules.
 *
 * <p>Cost: a release store and a compare-and-set per policy call (a batch of enqueues, or one
 * dispatch), a compare-and-set and a store per call the policy makes back into the link, and a
 * volatile read for one that only reads ({@link #mayRead}). No allocation.
 */
final class CallState {

    static final int IN_LOOP = 0;
    static final int IN_POLICY = 1;
    static final int IN_LINK = 2;
    static final int ABANDONED = 3;
    /** What {@link #enterLink} returns when the caller may not go on. */
    static final long REFUSED = -1;

    private static final long WHERE = 3;

    private final AtomicLong state = new AtomicLong(IN_LOOP);
    private final Thread owner = Thread.currentThread();
    private final boolean abandonable;
    private long calls;                 // the owner's
    private String method = "";       // written before the release store that publishes it

    /** @param abandonable false for the connector's own built-in FIFO, which never hangs */
    CallState(boolean abandonable) {
        this.abandonable = abandonable;
    }

    /**
     * The owner is about to call the policy's {@code method}.
     *
     * @return the mark to give {@link #leavePolicy} when the call returns
     */
    long enterPolicy(String method) {
        this.method = method;
        long mark = ++calls << 2 | IN_POLICY;
        state.setRelease(mark);
        return mark;
    }

    /**
     * The policy's call returned (or threw).
     *
     * @throws Abandoned when the guard gave up on this call meanwhile: the thread must unwind and
     *     touch nothing
     */
    void leavePolicy(long mark) {
        if (!state.compareAndSet(mark, mark & ~WHERE | IN_LOOP)) {
            throw Abandoned.INSTANCE;
        }
    }

    /**
     * The policy calls back into the connector: allowed only to the owner, inside a policy call
     * that was not abandoned; the state is {@link #IN_LINK} until {@link #leaveLink}.
     *
     * @return the mark to give {@link #leaveLink}, or {@link #REFUSED}
     */
    long enterLink() {
        long mark = state.get();
        if ((mark & WHERE) != IN_POLICY || Thread.currentThread() != owner
                || !state.compareAndSet(mark, mark & ~WHERE | IN_LINK)) {
            return REFUSED;
        }
        return mark;
    }

    /**
     * True when the policy may ask something that reads but changes nothing (the link's clock):
     * the owner, inside a policy call. One volatile read, no mark: nothing such a call does can
     * hang or needs undoing if the guard gives up on the policy's call a moment later.
     */
    boolean mayRead() {
        return (state.get() & WHERE) == IN_POLICY && Thread.currentThread() == owner;
    }

    /** Back in the policy's call after {@link #enterLink}. */
    void leaveLink(long mark) {
        state.setRelease(mark);
    }

    /** The state now (for the guard): compare two observations to tell one call from the next. */
    long observe() {
        return state.get();
    }

    /** True if {@code observed} is a policy call the guard may give up on. */
    boolean inAbandonableCall(long observed) {
        return abandonable && (observed & WHERE) == IN_POLICY;
    }

    /** Gives up on the call observed (for the guard); false if it has moved on since. */
    boolean abandon(long observed) {
        return inAbandonableCall(observed) && state.compareAndSet(observed, ABANDONED);
    }

    /** The policy method of the last call entered. */
    String method() {
        return method;
    }

    /** The thread that created the context, the only one it lets through. */
    Thread owner() {
        return owner;
    }

    /**
     * Thrown on a thread whose policy call was abandoned, once the call returns: the loop lets it
     * through every catch, and the thread ends without touching anything. Preallocated, without a
     * stack trace.
     */
    static final class Abandoned extends Error {
        private static final long serialVersionUID = 1L;
        static final Abandoned INSTANCE = new Abandoned();

        private Abandoned() {
            super("the scheduling thread's policy call was abandoned", null, false, false);
        }
    }
}
