package org.scxjavaland.connector.internal;

import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.link.KernelLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PolicyContext} one activation of a policy gets. Closed when the activation ends: a
 * stale context dispatches nothing. Allocation-free.
 *
 * <p><b>The ledger.</b> Every dispatch is checked against it before it reaches the link:
 * <ul>
 * <li>the held record of the pid: sent, and forgotten by the ledger once the link took it;</li>
 * <li>an older record of a held pid: sent (the kernel side cancels it, as it would without us);</li>
 * <li>a pid the ledger does not hold: dropped and counted. Usually an older record whose newer one
 * was dispatched already (the kernel side would cancel it), else a task dispatched twice: either
 * way no task runs twice.</li>
 * <li>a record newer than any the policy was given: dropped, counted, and logged once per
 * activation, since only a broken policy makes one up.</li>
 * </ul>
 *
 * <p><b>The vtime floor.</b> The kernel side orders its dispatch queues by the vtime each policy
 * chose, and policies choose on scales of their own: a FIFO sends 0, a deadline policy sends
 * deadlines far above it. Tasks the previous policy left queued in the kernel would then wait
 * behind every task of the next one, until the watchdog ejects the scheduler. So an activation
 * works on a scale of its own, shifted by {@code vtimeFloor}, the highest vtime sent before it on
 * this link: a vtime goes out as {@code policy vtime + floor}, never below what earlier policies
 * queued, and comes back in a task's next record as {@code kernel vtime - floor}, so the policy
 * sees its own numbers again (the kernel side reports the vtime of a task's last dispatch). A
 * task last dispatched by an earlier activation comes back as vtime 1: long asleep by this
 * policy's clock, which a fair policy clamps to its own present. The first activation on a link
 * has floor 0: it sees and sends vtimes unchanged. The policy's {@link DispatchedTask} is restored
 * after the call.
 *
 * <p><b>Who may call.</b> Only the scheduling thread that created the context, from inside a call
 * of the policy the loop marked in {@link #calls()}: a call that reaches the link or the ledger
 * marks itself there first, so the {@link StallGuard} never abandons a thread inside them, and
 * once the guard abandoned a hung call, whatever that thread asks later is refused (false, or -1)
 * while a new thread schedules.
 */
final class ActivationContext implements PolicyContext {

    private static final Logger LOG = LoggerFactory.getLogger(ActivationContext.class);

    private final KernelLink link;
    private final TaskLedger ledger;
    private final SchedulerStats stats;
    private final String policyName;
    private final int nrCpus;
    private final long vtimeFloor;
    private final CallState calls;
    private long maxVtimeSent;
    private boolean open = true;
    private boolean madeUpLogged;
    /** Dispatches the link may still take before the connector's queue depth is reached (see {@link #allowDispatches}). */
    private long room = Long.MAX_VALUE;

    /** @param vtimeFloor the highest vtime sent to this link before this activation */
    ActivationContext(KernelLink link, TaskLedger ledger, SchedulerStats stats, String policyName, int nrCpus,
            long vtimeFloor) {
        this.link = link;
        this.ledger = ledger;
        this.stats = stats;
        this.policyName = policyName;
        this.nrCpus = nrCpus;
        this.vtimeFloor = vtimeFloor;
        this.maxVtimeSent = vtimeFloor;
        this.calls = new CallState(!SchedulerBackend.BUILTIN_FIFO.equals(policyName));
    }

    /** Where the scheduling thread is in this activation; the loop marks each call of the policy there. */
    CallState calls() {
        return calls;
    }

    /** Ends this activation: later calls dispatch nothing. */
    void close() {
        open = false;
    }

    /** The highest vtime sent to the link so far, this activation or before: the next one's floor. */
    long maxVtimeSent() {
        return maxVtimeSent;
    }

    /**
     * From now on the link takes at most {@code dispatches} more records: a dispatch beyond them
     * fails as one the link refuses (the policy keeps the task), so that however many tasks a
     * policy dispatches in one call, the kernel's queues never hold more than the connector's
     * queue depth allows. {@code Long.MAX_VALUE}: no bound.
     */
    void allowDispatches(long dispatches) {
        room = dispatches;
    }

    @Override
    public int nrCpus() {
        return nrCpus;
    }

    /**
     * The link's clock, read for every call as the seed does (equal deadlines then go in the order
     * the tasks arrived). Reading a clock cannot hang and changes nothing, so it needs no mark in
     * the call state: a check that the caller may ask is enough, without the compare-and-set of a
     * marked call into the link.
     */
    @Override
    public long now() {
        return calls.mayRead() ? link.now() : -1;
    }

    @Override
    public int selectCpu(int pid, int prevCpu, long flags) {
        long mark = calls.enterLink();
        if (mark == CallState.REFUSED) {
            return -1;
        }
        try {
            return link.selectCpu(pid, prevCpu, flags);
        } finally {
            calls.leaveLink(mark);
        }
    }

    @Override
    public boolean dispatch(DispatchedTask task) {
        long mark = calls.enterLink();
        if (mark == CallState.REFUSED) {
            return false;
        }
        try {
            return open && dispatchHeld(task);
        } finally {
            calls.leaveLink(mark);
        }
    }

    /** A dispatch checked against the ledger, on its way to the link. */
    private boolean dispatchHeld(DispatchedTask task) {
        int slot = ledger.find(task.pid());
        if (slot < 0) {
            stats.droppedDispatches++;
            return true;
        }
        if (task.enqCnt() > ledger.at(slot).enqCnt()) {
            madeUp(task);
            return true;
        }
        if (room <= 0) {
            return false;
        }
        boolean current = task.enqCnt() == ledger.at(slot).enqCnt();
        long policyVtime = task.vtime();
        long sentVtime = aboveFloor(policyVtime);
        task.vtime(sentVtime);
        boolean taken = link.dispatch(task);
        task.vtime(policyVtime);
        if (!taken) {
            return false;
        }
        room--;
        if (Long.compareUnsigned(sentVtime, maxVtimeSent) > 0) {
            maxVtimeSent = sentVtime;
        }
        if (current) {
            ledger.removeAt(slot);
        }
        return true;
    }

    /** A vtime of this policy's scale as the kernel side gets it (saturating at the top of the u64 range). */
    private long aboveFloor(long vtime) {
        long shifted = vtime + vtimeFloor;
        return Long.compareUnsigned(shifted, vtimeFloor) < 0 ? -1L : shifted;
    }

    /**
     * A vtime the kernel side reported, on this policy's scale: 0 stays 0 (a task never
     * dispatched), and one sent by an earlier activation becomes 1.
     */
    long toPolicyVtime(long kernelVtime) {
        if (kernelVtime == 0) {
            return 0;
        }
        return Long.compareUnsigned(kernelVtime, vtimeFloor) > 0 ? kernelVtime - vtimeFloor : 1;
    }

    private void madeUp(DispatchedTask task) {
        stats.droppedDispatches++;
        if (!madeUpLogged) {
            madeUpLogged = true;
            LOG.warn("Policy '{}' dispatched pid {} with enq_cnt {}, newer than any record it was given; the connector"
                    + " dropped that dispatch and only counts further ones.", policyName, task.pid(), task.enqCnt());
        }
    }
}
