package org.scxjavaland.link.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.link.LogBudget;
import org.scxjavaland.link.TaskEventSink;
import org.scxjavaland.link.TaskEventSource;
import org.scxjavaland.link.bpf.internal.BpfSession;
import org.scxjavaland.link.bpf.internal.Os;
import org.scxjavaland.link.bpf.internal.SystemChecks;
import org.scxjavaland.link.bpf.ring.DispatchedRecord;
import org.scxjavaland.link.bpf.ring.QueuedRecord;
import org.scxjavaland.link.bpf.ring.RingReader;
import org.scxjavaland.link.bpf.ring.RingWriter;
import org.scxjavaland.link.bpf.ring.TaskEventRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel link to a real sched_ext kernel. {@link #open} checks the machine and loads
 * scx_javaland's BPF scheduler; the scheduler is attached when the scheduling thread first asks
 * for tasks (or by {@link #attach()}), so nothing waits in the queue before someone takes it; and
 * {@link #close()} detaches it, which gives every task back to the kernel's fair class.
 *
 * <p>The scheduling path reads and writes the two rings in mapped memory and makes no native call
 * per task, except {@link #selectCpu} (one {@code BPF_PROG_TEST_RUN} of the idle-CPU program). The
 * scheduling thread rests in {@link #notifyComplete}: it yields, and the BPF side holds it back
 * until there is work (or, with {@code partial}, it sleeps on the queued ring's fd).
 */
public final class BpfLink implements KernelLink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BpfLink.class);
    private static final long CLOSE_GRACE_NANOS = 2_000_000_000L;
    /** Lines a minute about damaged records in the queued ring, at most. */
    private static final int BAD_RECORD_LINES = 5;
    private static final long BAD_RECORD_WINDOW_NS = 60_000_000_000L;

    private final BpfOptions options;
    private final Path schedExt;
    private final byte[] object;
    private final int hostTgid;
    private final Object lock = new Object();

    /** Current session; replaced (under {@link #lock}) on a restart, by the scheduling thread. */
    private volatile BpfSession session;
    private volatile String failure;
    private volatile String lastExit;
    private volatile LinkCounters lastCounters = LinkCounters.ZERO;
    /** Dispatch counters of the sessions before a restart, so that they keep growing. */
    private volatile LinkCounters carried = LinkCounters.ZERO;
    private volatile boolean closing;
    private volatile boolean acknowledged;
    private volatile boolean bypass;
    private volatile Thread schedThread;
    private boolean closed;
    private int restarts;
    /** The recording of task events that is on, or null (under {@link #lock}). */
    private TaskEvents recording;
    /** The BPF side's count of user stalls when the scheduling thread last looked (its own). */
    private long userStallsSeen;

    // The scheduling thread's own, rebuilt on a restart.
    private RingReader reader;
    private RingWriter writer;
    /** The connector's bound (see {@link #queueBudget}), written again into a new session's shared area. */
    private int queueBudget;
    /** The reader's count of damaged records when last logged. */
    private long badRecordsSeen;
    private final LogBudget badRecordLog = new LogBudget(BAD_RECORD_LINES, BAD_RECORD_WINDOW_NS);

    private BpfLink(BpfOptions options, Path schedExt, byte[] object, int hostTgid, BpfSession first) {
        this.options = options;
        this.schedExt = schedExt;
        this.object = object;
        this.hostTgid = hostTgid;
        use(first);
    }

    /**
     * Checks the machine (sched_ext, root, no other scheduler, libbpf) and loads the BPF side
     * (not attached yet).
     *
     * @throws BpfLinkException with one sentence saying what is wrong and what to do
     */
    public static BpfLink open(BpfOptions options) throws BpfLinkException {
        Path schedExt = SystemChecks.SCHED_EXT;
        SystemChecks.checkKernel(schedExt, Os.euid(), SystemChecks.kernelRelease());
        SystemChecks.checkLibbpf();
        byte[] object = BpfSession.bundledObject();
        int tgid = Os.pid();
        return new BpfLink(options, schedExt, object, tgid, BpfSession.load(options, object, tgid, schedExt));
    }

    private void use(BpfSession next) {
        userStallsSeen = 0; // a new session counts from 0
        reader = new RingReader(next.queuedMemory(), QueuedRecord.SIZE);
        badRecordsSeen = 0;
        writer = new RingWriter(next.dispatchedMemory());
        next.shared().setQueueBudget(queueBudget);
        session = next;
    }

    /** Attaches the scheduler now (it is otherwise attached on the scheduling thread's first call). */
    public void attach() throws BpfLinkException {
        synchronized (lock) {
            if (closing) {
                throw new BpfLinkException("The BPF link is closed: open a new one.");
            }
            attachLocked();
        }
    }

    private void attachLocked() throws BpfLinkException {
        BpfSession view = session;
        if (view.attached()) {
            return;
        }
        if (options.lockMemory() && restarts == 0) {
            String problem = Os.lockMemory();
            if (problem != null) {
                LOG.warn("Locking the process's memory failed ({}): the scheduling thread may wait for page faults.", problem);
            }
        }
        view.shared().setBypass(bypass);
        view.attach(schedExt);
    }

    /** Time the kernel took to load the BPF side, in ns. */
    public long loadNanos() {
        return session.loadNanos();
    }

    /** Time the kernel took to attach the scheduler, in ns (0 before it is attached). */
    public long attachNanos() {
        return session.attachNanos();
    }

    /** How often the scheduler was started again at the kernel's request (CPU hotplug). */
    public int restarts() {
        return restarts;
    }

    @Override
    public String kind() {
        return "bpf";
    }

    @Override
    public int nrCpus() {
        return session.nrCpus();
    }

    /** CLOCK_MONOTONIC, in ns: the clock the BPF side's timestamps are compared with. */
    @Override
    public long now() {
        return System.nanoTime();
    }

    /**
     * Called first by every scheduling-path method: adopts the calling thread as the scheduling
     * thread, attaches on first use, and stays off the mapped memory once the link is closing.
     */
    private boolean ready() {
        if (Thread.currentThread() != schedThread) {
            adoptCurrentThread();
        }
        if (closing) {
            acknowledged = true;
            return false;
        }
        if (failure != null) {
            return false;
        }
        if (!session.attached()) {
            try {
                synchronized (lock) {
                    attachLocked();
                }
            } catch (BpfLinkException e) {
                fail(e);
                return false;
            }
        }
        return true;
    }

    private void adoptCurrentThread() {
        schedThread = Thread.currentThread();
        int tid = Os.tid();
        session.shared().setUserschedPid(tid);
        LOG.debug("Scheduling thread {} is tid {}.", schedThread.getName(), tid);
    }

    private void fail(BpfLinkException e) {
        failure = e.getMessage();
        LOG.error("{}", e.getMessage());
        if (!e.detail().isEmpty()) {
            LOG.error("{}", e.detail());
        }
    }

    @Override
    public boolean dequeue(QueuedTask into) {
        if (!ready()) {
            return false;
        }
        boolean got = QueuedRecord.read(reader, into);
        if (reader.badRecords() != badRecordsSeen) {
            noteBadRecords();
        }
        return got;
    }

    /** The queued ring had damaged records, skipped by the reader: say so, a few lines a minute at most. */
    private void noteBadRecords() {
        badRecordsSeen = reader.badRecords();
        if (badRecordLog.allow(System.nanoTime())) {
            long unlogged = badRecordLog.takeSuppressed();
            LOG.warn("The queued ring had a damaged record, skipped: {} ({} damaged so far{}); the tasks behind it are"
                    + " read as usual.", reader.lastBadRecord(), badRecordsSeen,
                    unlogged == 0 ? "" : ", " + unlogged + " times not logged");
        }
    }

    /** Damaged records the queued ring had, skipped (diagnostics; the scheduling thread's count). */
    public long badRecords() {
        return badRecordsSeen;
    }

    @Override
    public boolean dispatch(DispatchedTask task) {
        if (!ready()) {
            return false;
        }
        if (!DispatchedRecord.write(writer, task)) {
            return false;
        }
        session.shared().announceDispatches();
        return true;
    }

    /**
     * The BPF side's count of tasks on its dispatch queues by a user-space dispatch, plus the
     * records in the dispatched ring it has not carried out yet (a record it is carrying out may
     * be in both for a moment: the count is then one too high, never too low).
     */
    @Override
    public long queuedInKernel() {
        if (!ready()) {
            return 0;
        }
        return session.shared().nrUserQueued() + writer.unreadBytes() / DispatchedRecord.SPAN;
    }

    @Override
    public void queueBudget(long tasks) {
        queueBudget = (int) Math.min(Integer.MAX_VALUE, Math.max(0, tasks));
        if (ready()) {
            session.shared().setQueueBudget(queueBudget);
        }
    }

    @Override
    public int selectCpu(int pid, int prevCpu, long flags) {
        if (Thread.currentThread() == schedThread) {
            return closing ? -1 : session.pickIdleCpu(pid, prevCpu, flags);
        }
        synchronized (lock) {
            return closing ? -1 : session.pickIdleCpuFromAnyThread(pid, prevCpu, flags);
        }
    }

    @Override
    public void notifyComplete(long nrPending) {
        if (!ready()) {
            return;
        }
        BpfSession view = session;
        view.shared().publishNrScheduled(nrPending);
        if (view.shared().exitKind() != 0) {
            onExit(view);
            return;
        }
        long stalls = view.shared().nrUserStalls();
        if (stalls != userStallsSeen) {
            userStallsSeen = stalls;
            LOG.info("User space had stopped reading the tasks queued to it for over {} ms (the whole JVM stopped: a long"
                    + " pause, SIGSTOP, a debugger); the BPF side ran new tasks by itself meanwhile ({} times so far).",
                    options.userStallMs(), stalls);
        }
        view.rest(nrPending);
    }

    /** The scheduler stopped: remember why, and start again when the kernel asks for it. */
    private void onExit(BpfSession view) {
        String why = view.exitLine();
        if (!view.restartRequested()) {
            noteExit(view);
            return;
        }
        LOG.info("The kernel asked scx_javaland to start again ({}): reloading the BPF scheduler.", why);
        try {
            view.detach();
            SystemChecks.awaitDisabled(schedExt, CLOSE_GRACE_NANOS);
            BpfSession next = BpfSession.load(options, object, hostTgid, schedExt);
            synchronized (lock) {
                carried = withCarried(view.counters());
                use(next);
                view.close();
                restarts++;
                session.shared().setUserschedPid(Os.tid());
                attachLocked();
            }
        } catch (BpfLinkException e) {
            fail(e);
        }
    }

    /** Logs why the scheduler ended (with the kernel's dump when it was ejected), once. */
    private void noteExit(BpfSession view) {
        if (lastExit == null) {
            lastExit = view.exitLine();
            logExit(view, lastExit);
        }
    }

    private void logExit(BpfSession view, String why) {
        String dump = view.exitDump();
        if (view.shared().exitKind() >= 1024) {
            LOG.error("scx_javaland's BPF scheduler was ejected: {}", why);
            if (!dump.isEmpty()) {
                LOG.error("Kernel debug dump:\n{}", dump);
            }
        } else {
            LOG.info("scx_javaland's BPF scheduler stopped: {}", why);
        }
    }

    @Override
    public void wakeup() {
        synchronized (lock) {
            if (!closing) {
                session.wakeup();
            }
        }
    }

    @Override
    public boolean exited() {
        if (closing) {
            if (Thread.currentThread() == schedThread) {
                acknowledged = true;
            }
            return true;
        }
        if (failure != null) {
            return true;
        }
        if (Thread.currentThread() == schedThread) {
            // The loop asks before its round ends: the exit is told here, or never.
            boolean exited = exitedWithoutRestart(session);
            if (exited) {
                noteExit(session);
            }
            return exited;
        }
        synchronized (lock) {
            return closing || exitedWithoutRestart(session);
        }
    }

    private static boolean exitedWithoutRestart(BpfSession view) {
        return view.shared().exitKind() != 0 && !view.restartRequested();
    }

    @Override
    public String exitReason() {
        if (failure != null) {
            return failure;
        }
        synchronized (lock) {
            if (closed || session.shared().exitKind() == 0) {
                return lastExit;
            }
            return session.exitLine();
        }
    }

    @Override
    public LinkCounters counters() {
        synchronized (lock) {
            return closed ? lastCounters : withCarried(session.counters());
        }
    }

    /** {@code now} with the dispatch counters of earlier sessions added (gauges stay as they are). */
    private LinkCounters withCarried(LinkCounters now) {
        LinkCounters c = carried;
        return new LinkCounters(now.nrRunning(), now.nrCpus(), now.nrQueued(),
                now.nrUserDispatches() + c.nrUserDispatches(), now.nrKernelDispatches() + c.nrKernelDispatches(),
                now.nrCancelDispatches() + c.nrCancelDispatches(), now.nrBounceDispatches() + c.nrBounceDispatches(),
                now.nrFailedDispatches() + c.nrFailedDispatches(), now.nrSchedCongested() + c.nrSchedCongested());
    }

    @Override
    public void setBypass(boolean on) {
        synchronized (lock) {
            bypass = on;
            if (!closed) {
                session.shared().setBypass(on);
            }
        }
    }

    /**
     * The BPF side's published count of tasks a user-space dispatch put on a dispatch queue that
     * have not started running (without the records still in the dispatched ring; diagnostics).
     */
    public long userQueuedInKernel() {
        synchronized (lock) {
            return closed ? 0 : session.shared().nrUserQueued();
        }
    }

    /** What the BPF side counted as the scheduling thread's runs (diagnostics). */
    public long schedulerRuns() {
        synchronized (lock) {
            return closed ? 0 : session.shared().nrUserschedRuns();
        }
    }

    /** How often the BPF side found user space stalled and ran new tasks by itself (diagnostics). */
    public long userStalls() {
        synchronized (lock) {
            return closed ? 0 : session.shared().nrUserStalls();
        }
    }

    /** How often a wakeup preempted a CPU for the scheduling thread (diagnostics). */
    public long preemptKicks() {
        synchronized (lock) {
            return closed ? 0 : session.shared().nrPreemptKicks();
        }
    }

    /**
     * Turns on the BPF side's recording: from now on it writes every task's state changes to its
     * task_events ring (4 MiB), which the returned source reads. A restart (CPU hotplug) carries the
     * recording over to the new BPF scheduler, minus the events in between.
     */
    @Override
    public TaskEventSource recordTaskEvents() {
        synchronized (lock) {
            if (closing) {
                return null;
            }
            if (recording != null) {
                throw new IllegalStateException("A recording of task events is already on.");
            }
            recording = new TaskEvents();
            recording.follow(session);
            return recording;
        }
    }

    /**
     * The task_events ring of the current session. Records are copied out under {@link #lock} (the
     * ring is unmapped when a session closes) and handed to the sink outside it.
     */
    private final class TaskEvents implements TaskEventSource {
        private static final int BATCH = 4096;
        private final ByteBuffer batch = ByteBuffer.allocateDirect(BATCH * TaskEventRecord.SIZE).order(ByteOrder.nativeOrder());
        private final byte[] comm = new byte[16];
        private BpfSession readFrom;
        private RingReader eventReader;
        /** Events the sessions before the current one dropped, and the current one's. */
        private long droppedBefore;
        private long droppedNow;
        private boolean stopped;

        /** Reads {@code view}'s ring from now on: what an earlier recording left there is skipped. */
        private void follow(BpfSession view) {
            droppedBefore += droppedNow;
            droppedNow = 0;
            readFrom = view;
            eventReader = new RingReader(view.taskEventsMemory(), TaskEventRecord.SIZE);
            while (eventReader.next() != RingReader.NONE) {
                eventReader.release();
            }
            view.shared().setRecordEvents(true);
        }

        @Override
        public int drain(TaskEventSink sink, int max) {
            int n = 0;
            synchronized (lock) {
                if (stopped || closing) {
                    return 0;
                }
                if (session != readFrom) {
                    follow(session);
                }
                droppedNow = readFrom.shared().nrEventsDropped();
                n = TaskEventRecord.copyOut(eventReader, batch, Math.min(max, BATCH));
            }
            TaskEventRecord.decodeAll(batch, n, comm, sink);
            return n;
        }

        @Override
        public long dropped() {
            synchronized (lock) {
                return droppedBefore + droppedNow;
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (stopped) {
                    return;
                }
                stopped = true;
                if (!closing && session == readFrom) {
                    droppedNow = readFrom.shared().nrEventsDropped();
                    readFrom.shared().setRecordEvents(false);
                }
                recording = null;
            }
        }
    }

    /**
     * Detaches the scheduler (every task goes back to the kernel's fair class) and frees the BPF
     * side. Waits up to 2 s for the scheduling thread to leave the mapped memory.
     */
    @Override
    public void close() {
        BpfSession view;
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            view = session;
            lastCounters = withCarried(view.counters());
        }
        view.detach();
        // Detaching runs the BPF side's exit callback before it returns: keep the kernel's reason.
        if (lastExit == null && view.shared().exitKind() != 0) {
            lastExit = view.exitLine();
        }
        Thread thread = schedThread;
        boolean threadOut = thread == null || thread == Thread.currentThread() || awaitAcknowledged(thread);
        synchronized (lock) {
            closed = true;
            if (threadOut) {
                view.close();
            } else {
                LOG.warn("The scheduling thread did not leave the BPF link within 2 s; its mapped memory stays until exit.");
            }
        }
        if (lastExit == null) {
            lastExit = "unregistered from user space (the link was closed)";
        }
    }

    private boolean awaitAcknowledged(Thread thread) {
        long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
        while (!acknowledged && thread.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return acknowledged || !thread.isAlive();
    }
}
