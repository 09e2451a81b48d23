package org.scxjavaland.benchmarks;

import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.link.bpf.ring.DispatchedRecord;
import org.scxjavaland.link.bpf.ring.QueuedRecord;
import org.scxjavaland.link.bpf.ring.RingMemory;
import org.scxjavaland.link.bpf.ring.RingReader;
import org.scxjavaland.link.bpf.ring.RingWriter;

/**
 * A kernel link over the benchmark's two rings, for running the real connector: records are read
 * and written as the BPF link reads and writes them (same reader, writer and codecs; the clock is
 * {@link System#nanoTime}, as the BPF link's), and at the end of each round, where the BPF side
 * would run the dispatched tasks, the simulated kernel runs them and queues them again. The CPU
 * time that takes is counted apart, so that the scheduling thread's own work per task can be told.
 */
final class RingLink implements KernelLink {
    private final RingReader queued;
    private final RingWriter dispatched;
    private final SimulatedKernel kernel;
    private final int nrCpus;
    private volatile boolean exited;
    /** Tasks dispatched so far (scheduling thread only; published once a round, not per task). */
    private long dispatchedSoFar;
    // Published by the scheduling thread at the end of each round, read by the benchmark's thread.
    private volatile long tasksOut;
    private volatile long kernelCpuNs;

    RingLink(RingMemory queuedRing, RingMemory dispatchedRing, SimulatedKernel kernel, int nrCpus) {
        this.queued = new RingReader(queuedRing, QueuedRecord.SIZE);
        this.dispatched = new RingWriter(dispatchedRing);
        this.kernel = kernel;
        this.nrCpus = nrCpus;
    }

    long tasksOut() {
        return tasksOut;
    }

    /** The scheduling thread's CPU time spent in the simulated kernel so far. */
    long kernelCpuNs() {
        return kernelCpuNs;
    }

    void exit() {
        exited = true;
    }

    @Override
    public String kind() {
        return "bench";
    }

    @Override
    public int nrCpus() {
        return nrCpus;
    }

    @Override
    public long now() {
        return System.nanoTime();
    }

    @Override
    public boolean dequeue(QueuedTask into) {
        return QueuedRecord.read(queued, into);
    }

    @Override
    public boolean dispatch(DispatchedTask task) {
        if (!DispatchedRecord.write(dispatched, task)) {
            return false;
        }
        dispatchedSoFar++;
        return true;
    }

    @Override
    public int selectCpu(int pid, int prevCpu, long flags) {
        return -1;
    }

    /** Where the BPF side runs what was dispatched: here the simulated kernel, its CPU time counted apart. */
    @Override
    public void notifyComplete(long nrPending) {
        long start = ConnectorPath.THREADS.getCurrentThreadCpuTime();
        kernel.runDispatched();
        kernelCpuNs += ConnectorPath.THREADS.getCurrentThreadCpuTime() - start;
        tasksOut = dispatchedSoFar;
    }

    @Override
    public void wakeup() {
    }

    @Override
    public boolean exited() {
        return exited;
    }

    @Override
    public String exitReason() {
        return exited ? "the benchmark ended" : null;
    }

    @Override
    public LinkCounters counters() {
        return new LinkCounters(0, nrCpus, 0, tasksOut, 0, 0, 0, 0, 0);
    }

    @Override
    public void setBypass(boolean bypass) {
    }
}
