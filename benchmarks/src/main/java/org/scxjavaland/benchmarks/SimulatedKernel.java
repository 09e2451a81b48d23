package org.scxjavaland.benchmarks;

import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.bpf.ring.DispatchedRecord;
import org.scxjavaland.link.bpf.ring.QueuedRecord;
import org.scxjavaland.link.bpf.ring.RingMemory;
import org.scxjavaland.link.bpf.ring.RingReader;
import org.scxjavaland.link.bpf.ring.RingWriter;

/**
 * The kernel's half of the loop, just enough of it to feed the user-space path realistic records:
 * it takes the dispatched records, "runs" each task for a while on a virtual clock, and queues it
 * again, as the BPF side would once the task stopped. One task in four is CPU-bound (runs 5 ms and
 * never sleeps, so its runtime since the last sleep keeps growing); the others run 50 to 500 us and
 * sleep. Weights vary from 50 to 200.
 */
final class SimulatedKernel {
    private final RingWriter queued;
    private final RingReader dispatched;
    private final QueuedTask record = new QueuedTask().nrCpusAllowed(4).comm("bench-task");
    private final DispatchedTask drained = new DispatchedTask();
    private final long[] vtime;
    private final long[] execRuntime;
    private final long[] enqCnt;
    private long clock;

    SimulatedKernel(RingMemory queuedRing, RingMemory dispatchedRing, int nrTasks) {
        this.queued = RingWriter.kernelSide(queuedRing);
        this.dispatched = new RingReader(dispatchedRing);
        this.vtime = new long[nrTasks + 1];
        this.execRuntime = new long[nrTasks + 1];
        this.enqCnt = new long[nrTasks + 1];
    }

    /** Queues a task that never ran (vtime 0). */
    void queueNew(int pid) {
        queue(pid, 0, 0);
    }

    /** Runs every task user space dispatched and queues it again; returns how many. */
    int runDispatched() {
        int count = 0;
        while (DispatchedRecord.read(dispatched, drained)) {
            int pid = drained.pid();
            // The kernel side keeps the vtime user space sent (the deadline) as the task's own.
            vtime[pid] = drained.vtime();
            long used = runtimeOf(pid);
            long start = clock;
            clock += used;
            execRuntime[pid] = isCpuBound(pid) ? execRuntime[pid] + used : used;
            queue(pid, start, clock);
            count++;
        }
        return count;
    }

    private static boolean isCpuBound(int pid) {
        return pid % 4 == 0;
    }

    private static long runtimeOf(int pid) {
        return isCpuBound(pid) ? 5_000_000L : 50_000L + (pid * 7_919L) % 450_000L;
    }

    private static long weightOf(int pid) {
        return pid % 10 == 0 ? 200 : pid % 10 == 5 ? 50 : 100;
    }

    private void queue(int pid, long startTs, long stopTs) {
        record.pid(pid).cpu(pid & 3).flags(0).startTs(startTs).stopTs(stopTs).execRuntime(execRuntime[pid])
                .weight(weightOf(pid)).vtime(vtime[pid]).enqCnt(++enqCnt[pid]);
        if (!QueuedRecord.write(queued, record)) {
            throw new IllegalStateException("the queued ring is full: user space fell behind");
        }
    }
}
