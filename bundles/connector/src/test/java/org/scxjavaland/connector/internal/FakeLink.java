package org.scxjavaland.connector.internal;

import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkCounters;

/**
 * A deterministic kernel side for tests. Each round ({@link #notifyComplete}) it queues a few
 * records for pseudo-random pids: a pid that is not waiting wakes up (a new record); a waiting pid
 * is sometimes queued again, which supersedes its older record (enq_cnt semantics: a dispatch that
 * carries an older enq_cnt is cancelled). It checks every dispatch and counts: every queued record
 * must end up accepted exactly once or superseded. Allocation-free, so the connector's own
 * allocations can be measured.
 *
 * <p>It takes one dispatch a round unless told otherwise ({@link #takePerRound}), as if its
 * dispatched ring had room for one record until the next round: a round dispatches every task the
 * policy holds when the link takes them, and most tests need policies that hold tasks.
 */
final class FakeLink implements KernelLink {

    private static final int QUEUE_CAPACITY = 1 << 14;
    private static final long ROUND_LIMIT = 5_000_000;

    private final int nrCpus;
    private final int nrPids;
    private final int fullEvery;
    private final long[] enqCnt;       // newest record queued, per pid (index 1..nrPids)
    private final long[] ranEnqCnt;    // enq_cnt of the last accepted dispatch, per pid
    private final int[] queuedPid = new int[QUEUE_CAPACITY];
    private final long[] queuedEnq = new long[QUEUE_CAPACITY];
    private int queueHead;
    private int queueSize;
    private long random;

    /** Rounds so far (volatile: tests wait on it). */
    volatile long rounds;
    // Counters: written by the scheduling thread, read by the test after the thread ended.
    long queuedRecords;
    long superseded;
    long accepted;
    long cancelled;
    long duplicates;
    long bogus;
    long ringFull;
    private long dispatchCalls;
    private int takePerRound = 1;
    private int takenThisRound;

    private volatile int tasksPerRound;
    private volatile boolean draining;
    private volatile boolean exited;
    private volatile String exitReason;
    private volatile Thread schedulingThread;
    private volatile java.util.concurrent.CountDownLatch gate;
    private volatile boolean held;
    volatile boolean bypass;
    /** A thread that must not call the link any more (one abandoned in a policy call), and its calls since. */
    private volatile Thread forbidden;
    final java.util.concurrent.atomic.AtomicInteger forbiddenCalls = new java.util.concurrent.atomic.AtomicInteger();
    private String kind = "fake";
    private boolean supersedes = true;

    // The vtimes of the dispatches taken, when recording.
    private long[] vtimes = new long[0];
    private int vtimeCount;

    // Allocation probe over rounds [probeFrom, probeTo).
    private long probeFrom = -1;
    private long probeTo = -1;
    private long probeStart;
    private volatile long probedBytes = -1;

    /**
     * @param nrPids distinct tasks (pids 1..nrPids)
     * @param fullEvery every n-th dispatch is refused as if the ring were full (0: never)
     */
    FakeLink(int nrCpus, int nrPids, int fullEvery, long seed) {
        this.nrCpus = nrCpus;
        this.nrPids = nrPids;
        this.fullEvery = fullEvery;
        this.enqCnt = new long[nrPids + 1];
        this.ranEnqCnt = new long[nrPids + 1];
        this.random = seed;
    }

    /** Takes at most {@code n} dispatches a round (0: any number); refused ones count as ringFull. */
    FakeLink takePerRound(int n) {
        this.takePerRound = n;
        return this;
    }

    /** Reports {@code kind} as its kind. */
    FakeLink kind(String kind) {
        this.kind = kind;
        return this;
    }

    /** Records the vtime of the first {@code capacity} dispatches taken (read them after the loop ended). */
    FakeLink recordVtimes(int capacity) {
        vtimes = new long[capacity];
        return this;
    }

    /** The recorded vtimes, in dispatch order. */
    long[] vtimes() {
        return java.util.Arrays.copyOf(vtimes, vtimeCount);
    }

    /** Never queues a waiting task again: every record queued is the newest of its task. */
    FakeLink withoutSupersedes() {
        this.supersedes = false;
        return this;
    }

    /** Records queued per round from now on (0 stops the load). */
    FakeLink load(int perRound) {
        tasksPerRound = perRound;
        wakeup();
        return this;
    }

    /** Queues records for {@code count} pids now (from any thread only before scheduling starts). */
    FakeLink queueNow(int count) {
        for (int i = 0; i < count; i++) {
            int pid = 1 + (i % nrPids);
            boolean waiting = enqCnt[pid] > ranEnqCnt[pid];
            if (queue(pid) && waiting) {
                superseded++;
            }
        }
        return this;
    }

    /** Stops the load; the link exits once every task ran and nothing is queued. */
    void finish() {
        tasksPerRound = 0;
        draining = true;
        wakeup();
    }

    /** Measures what the scheduling thread allocates from round {@code from} to round {@code to}. */
    void probeAllocations(long from, long to) {
        probeFrom = from;
        probeTo = to;
    }

    /** Bytes the scheduling thread allocated over the probed rounds, -1 until measured. */
    long probedBytes() {
        return probedBytes;
    }

    /** Counts every later call of {@code thread} in {@link #forbiddenCalls} (wakeup, meant for any thread, aside). */
    void forbid(Thread thread) {
        forbidden = thread;
    }

    private void checkCaller() {
        if (Thread.currentThread() == forbidden) {
            forbiddenCalls.incrementAndGet();
        }
    }

    /** Pids whose newest record never ran. */
    int stranded() {
        int n = 0;
        for (int pid = 1; pid <= nrPids; pid++) {
            if (enqCnt[pid] > ranEnqCnt[pid]) {
                n++;
            }
        }
        return n;
    }

    String summary() {
        return "queued=" + queuedRecords + " accepted=" + accepted + " superseded=" + superseded + " cancelled="
                + cancelled + " duplicates=" + duplicates + " bogus=" + bogus + " stranded=" + stranded()
                + " ringFull=" + ringFull + " rounds=" + rounds;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public int nrCpus() {
        return nrCpus;
    }

    @Override
    public long now() {
        checkCaller();
        return rounds * 1_000;
    }

    @Override
    public boolean dequeue(QueuedTask into) {
        checkCaller();
        if (queueSize == 0) {
            return false;
        }
        int pid = queuedPid[queueHead];
        long enq = queuedEnq[queueHead];
        queueHead = (queueHead + 1) & (QUEUE_CAPACITY - 1);
        queueSize--;
        long ts = rounds * 1_000;
        into.pid(pid).cpu(pid % nrCpus).nrCpusAllowed(nrCpus).flags(0).startTs(ts).stopTs(ts + 500)
                .execRuntime(500).weight(QueuedTask.DEFAULT_WEIGHT).vtime(0).enqCnt(enq);
        return true;
    }

    @Override
    public boolean dispatch(DispatchedTask task) {
        checkCaller();
        dispatchCalls++;
        if ((fullEvery > 0 && dispatchCalls % fullEvery == 0) || (takePerRound > 0 && takenThisRound >= takePerRound)) {
            ringFull++;
            return false;
        }
        takenThisRound++;
        if (vtimeCount < vtimes.length) {
            vtimes[vtimeCount++] = task.vtime();
        }
        int pid = task.pid();
        if (pid < 1 || pid > nrPids || task.enqCnt() > enqCnt[pid]) {
            bogus++;
        } else if (task.enqCnt() < enqCnt[pid]) {
            cancelled++;
        } else if (ranEnqCnt[pid] == task.enqCnt()) {
            duplicates++;
        } else {
            accepted++;
            ranEnqCnt[pid] = task.enqCnt();
        }
        return true;
    }

    @Override
    public int selectCpu(int pid, int prevCpu, long flags) {
        checkCaller();
        return (pid & 1) == 0 ? prevCpu : -1;
    }

    /** The next round's end waits in {@link #notifyComplete} until {@link #release()}. */
    void holdNextRound() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    /** True while a round's end is held. */
    boolean held() {
        return held;
    }

    void release() {
        java.util.concurrent.CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    @Override
    public void notifyComplete(long nrPending) {
        checkCaller();
        java.util.concurrent.CountDownLatch g = gate;
        if (g != null) {
            held = true;
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held = false;
        }
        schedulingThread = Thread.currentThread();
        rounds++;
        takenThisRound = 0;
        probe();
        int perRound = bypass ? 0 : tasksPerRound;   // in bypass the kernel side runs new tasks itself
        for (int i = 0; i < perRound; i++) {
            int pid = 1 + (int) (nextRandom() % nrPids);
            if (enqCnt[pid] == ranEnqCnt[pid]) {
                queue(pid);                         // it ran: it wakes up again
            } else if (supersedes && nextRandom() % 8 == 0 && queue(pid)) {
                superseded++;                       // still waiting: queued again, the older record is void
            }
        }
        if (draining && queueSize == 0 && (nrPending == 0 || rounds % 1024 == 0) && stranded() == 0) {
            exitReason = "the test finished";
            exited = true;
        } else if (rounds >= ROUND_LIMIT) {
            exitReason = "round limit reached";
            exited = true;
        } else if (perRound == 0 && !draining && queueSize == 0 && nrPending == 0) {
            LockSupport.parkNanos(200_000);         // idle, as a kernel side blocks until there is work
        }
    }

    @Override
    public void wakeup() {
        Thread t = schedulingThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean exited() {
        checkCaller();
        return exited;
    }

    @Override
    public String exitReason() {
        return exitReason;
    }

    @Override
    public LinkCounters counters() {
        return new LinkCounters(0, nrCpus, queueSize, accepted, 0, cancelled, 0, ringFull, 0);
    }

    @Override
    public void setBypass(boolean on) {
        checkCaller();
        bypass = on;
    }

    private boolean queue(int pid) {
        if (queueSize == QUEUE_CAPACITY) {
            return false;
        }
        enqCnt[pid]++;
        int tail = (queueHead + queueSize) & (QUEUE_CAPACITY - 1);
        queuedPid[tail] = pid;
        queuedEnq[tail] = enqCnt[pid];
        queueSize++;
        queuedRecords++;
        return true;
    }

    private long nextRandom() {
        random = random * 6364136223846793005L + 1442695040888963407L;
        return (random >>> 33);
    }

    private void probe() {
        if (rounds == probeFrom) {
            probeStart = allocatedBytes();
        } else if (rounds == probeTo) {
            probedBytes = allocatedBytes() - probeStart;
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
