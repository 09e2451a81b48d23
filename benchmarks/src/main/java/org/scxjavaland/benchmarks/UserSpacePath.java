package org.scxjavaland.benchmarks;

import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.bpf.ring.DispatchedRecord;
import org.scxjavaland.link.bpf.ring.QueuedRecord;
import org.scxjavaland.link.bpf.ring.RingMemory;
import org.scxjavaland.link.bpf.ring.RingReader;
import org.scxjavaland.link.bpf.ring.RingWriter;

/**
 * What the connector's scheduling thread does with a batch, without the connector: drain the
 * queued ring into the policy (read as the BPF link reads it: records of one size, damage skipped),
 * then let the policy dispatch through the dispatched ring. Also the
 * policy's context: a virtual clock, and an idle-CPU answer that is cheap (the real one asks the
 * BPF side through a syscall, which this benchmark does not measure).
 */
final class UserSpacePath implements PolicyContext {
    private final RingReader queued;
    private final RingWriter dispatched;
    private final QueuedTask received = new QueuedTask();
    private final Policy policy;
    private long clock;
    private int sent;

    UserSpacePath(RingMemory queuedRing, RingMemory dispatchedRing, Policy policy) {
        this.queued = new RingReader(queuedRing, QueuedRecord.SIZE);
        this.dispatched = new RingWriter(dispatchedRing);
        this.policy = policy;
        policy.activate(this);
    }

    /** Decodes every queued record and enqueues it; returns how many. */
    int drainQueued() {
        int count = 0;
        while (QueuedRecord.read(queued, received)) {
            policy.enqueue(received);
            count++;
        }
        return count;
    }

    /** Lets the policy dispatch up to {@code batch} tasks; returns how many records it sent. */
    int dispatch(int batch) {
        sent = 0;
        for (int i = 0; i < batch; i++) {
            if (!policy.dispatch()) {
                break;
            }
        }
        return sent;
    }

    /** Lets the policy dispatch every task it holds, as the connector's rounds do; returns how many records it sent. */
    int dispatchAll() {
        return dispatch(policy.heldTasks());
    }

    int heldTasks() {
        return policy.heldTasks();
    }

    @Override
    public int nrCpus() {
        return 4;
    }

    @Override
    public long now() {
        return ++clock;
    }

    @Override
    public int selectCpu(int pid, int prevCpu, long flags) {
        return (pid & 7) == 0 ? prevCpu : -1;
    }

    @Override
    public boolean dispatch(DispatchedTask task) {
        if (!DispatchedRecord.write(dispatched, task)) {
            return false;
        }
        sent++;
        return true;
    }
}
