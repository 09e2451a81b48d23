package org.scxjavaland.itests.osgi;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkCounters;

/**
 * A kernel link that counts every task crossing it, around a real simulated machine: each record
 * the connector takes (a task in) and each dispatch the machine accepts (a task out), per pid.
 *
 * <p>At the end of every round the connector says how many tasks user space still holds; here
 * that number must equal tasks in minus tasks out, every round, whatever policy is active or
 * being swapped. A task dispatched that was not held, or queued again while held, is counted
 * too. And the age of the oldest held task tells whether one is stranded: a task user space
 * forgot would grow old until the machine's watchdog ends the run.
 *
 * <p>The scheduling methods run on the connector's scheduling thread; the counts are read from
 * the test's thread.
 */
final class CountingLink implements KernelLink {

    private final KernelLink machine;

    private final AtomicLong tasksIn = new AtomicLong();
    private final AtomicLong tasksOut = new AtomicLong();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong roundsOff = new AtomicLong();
    private final AtomicLong unknownDispatches = new AtomicLong();
    private final AtomicLong requeuedWhileHeld = new AtomicLong();
    private volatile String firstDiscrepancy;
    private volatile long oldestHeldNs;
    private volatile long maxHeldNs;
    private volatile long lastSliceNs;
    private volatile long minSliceNs = Long.MAX_VALUE;
    private volatile long maxSliceNs;

    /** Pid to the machine time it was taken by user space (scheduling thread only). */
    private final Map<Integer, Long> held = new HashMap<>();

    CountingLink(KernelLink machine) {
        this.machine = machine;
    }

    @Override
    public boolean dequeue(QueuedTask into) {
        if (!machine.dequeue(into)) {
            return false;
        }
        tasksIn.incrementAndGet();
        if (held.put(into.pid(), machine.now()) != null) {
            requeuedWhileHeld.incrementAndGet();
            note("pid " + into.pid() + " was queued again while user space held it");
        }
        return true;
    }

    @Override
    public boolean dispatch(DispatchedTask task) {
        if (!machine.dispatch(task)) {
            return false;
        }
        tasksOut.incrementAndGet();
        long slice = task.sliceNs();
        lastSliceNs = slice;
        if (slice < minSliceNs) {
            minSliceNs = slice;
        }
        if (slice > maxSliceNs) {
            maxSliceNs = slice;
        }
        if (held.remove(task.pid()) == null) {
            unknownDispatches.incrementAndGet();
            note("pid " + task.pid() + " was dispatched but user space did not hold it");
        }
        return true;
    }

    @Override
    public void notifyComplete(long nrPending) {
        rounds.incrementAndGet();
        long inUserSpace = tasksIn.get() - tasksOut.get();
        if (inUserSpace != nrPending) {
            roundsOff.incrementAndGet();
            note("a round ended with " + nrPending + " tasks said to be held, but " + tasksIn.get() + " in and "
                    + tasksOut.get() + " out leave " + inUserSpace);
        }
        long now = machine.now();
        long oldest = 0;
        for (long since : held.values()) {
            oldest = Math.max(oldest, now - since);
        }
        oldestHeldNs = oldest;
        if (oldest > maxHeldNs) {
            maxHeldNs = oldest;
        }
        machine.notifyComplete(nrPending);
    }

    private void note(String discrepancy) {
        if (firstDiscrepancy == null) {
            firstDiscrepancy = discrepancy;
        }
    }

    long tasksIn() { return tasksIn.get(); }
    long tasksOut() { return tasksOut.get(); }
    long rounds() { return rounds.get(); }
    /** Rounds whose held count did not match tasks in minus tasks out. */
    long roundsOff() { return roundsOff.get(); }
    long unknownDispatches() { return unknownDispatches.get(); }
    long requeuedWhileHeld() { return requeuedWhileHeld.get(); }
    /** The first thing that did not add up, or null. */
    String firstDiscrepancy() { return firstDiscrepancy; }
    /** Age, in machine ns, of the oldest task user space held at the last round's end. */
    long oldestHeldNs() { return oldestHeldNs; }
    /** The largest such age seen since {@link #resetMaxHeld}. */
    long maxHeldNs() { return maxHeldNs; }
    void resetMaxHeld() { maxHeldNs = 0; }
    /** The slice of the last dispatch the machine accepted, in ns. */
    long lastSliceNs() { return lastSliceNs; }
    /** The shortest and longest slices dispatched since {@link #resetSlices} (the test reads them between rounds). */
    long minSliceNs() { return minSliceNs; }
    long maxSliceNs() { return maxSliceNs; }
    void resetSlices() {
        minSliceNs = Long.MAX_VALUE;
        maxSliceNs = 0;
    }

    // The rest is the machine's.

    @Override public String kind() { return machine.kind(); }
    @Override public int nrCpus() { return machine.nrCpus(); }
    @Override public long now() { return machine.now(); }
    @Override public int selectCpu(int pid, int prevCpu, long flags) { return machine.selectCpu(pid, prevCpu, flags); }
    @Override public void wakeup() { machine.wakeup(); }
    @Override public boolean exited() { return machine.exited(); }
    @Override public String exitReason() { return machine.exitReason(); }
    @Override public LinkCounters counters() { return machine.counters(); }
    @Override public void setBypass(boolean bypass) { machine.setBypass(bypass); }
}
