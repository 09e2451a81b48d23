package org.scxjavaland.connector.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkCounters;

/**
 * A kernel link around another (the simulated machine) that counts every task crossing it: each
 * record the connector takes is a task in, each dispatch the machine accepts is a task out. At
 * the end of every round the connector says how many tasks it still holds, which must be tasks in
 * minus tasks out; a dispatch of a task not held, or a task queued again while held, is counted
 * too; and the age of the oldest held task, in machine time, tells whether one is stranded.
 *
 * <p>The same bookkeeping as the OSGi tests' counting link, for the connector's unit tests. The
 * scheduling methods run on the scheduling thread; the counts are read from the test's thread.
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
    private volatile long maxHeldNs;
    /** Pid to the machine time user space took it (scheduling thread only). */
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
        for (long since : held.values()) {
            if (now - since > maxHeldNs) {
                maxHeldNs = now - since;
            }
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
    /** The longest a task waited in user space, in machine ns. */
    long maxHeldNs() { return maxHeldNs; }

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
