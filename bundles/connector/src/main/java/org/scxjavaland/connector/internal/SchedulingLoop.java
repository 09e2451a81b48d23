package org.scxjavaland.connector.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.scxjavaland.api.OneLine;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.api.SwapReport;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LogBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the scheduling thread, for one link: the seed's loop (drain every queued task into
 * the active policy, let it dispatch, tell the link how many tasks are still held) until the link
 * exits or the connector stops it. Unlike the seed, which dispatches one task a round, a round
 * dispatches every task the policy holds, or as many as the connector's queue depth leaves room
 * for in the kernel's queues (see {@link #dispatchHeld}).
 *
 * <p>Exactly one holder takes tasks at a time: the active policy, or the {@link BuiltinFifo} when
 * there is none. Every task given to the holder is also recorded in the {@link TaskLedger} and
 * leaves it only when dispatched, so a swap, a policy that throws, forgets or vanishes loses
 * nothing: the ledger's tasks go to the next holder.
 *
 * <p>Swaps and queries from other threads arrive as {@link Request}s and are served between two
 * rounds, so a swap never overlaps a round. That is why the link's bypass is not turned on for a
 * swap: tasks queued meanwhile just wait in the ring, as they would during any round, and the swap
 * costs about as much as handing each held task over once. Bypass is turned on only when the
 * connector stops scheduling a link that is still running, so its tasks keep running without us.
 * What a swap does need is the vtime floor of {@link ActivationContext}: the next policy's vtimes
 * must not sort the previous one's already dispatched tasks to the back of the kernel's queues.
 *
 * <p><b>A policy call that does not return.</b> Every call of the holder is marked in its
 * activation's {@link CallState}. When one call lasts {@link StallGuard#HANG_NS}, the guard
 * abandons that thread and starts a new one on this same object, which fails the hung policy,
 * takes every task it held from the ledger (it cannot be asked to deactivate), installs the
 * fallback and goes on scheduling. The state that a thread stuck in a policy call may still read
 * (the batch it was enqueueing, the tasks it was handed) is replaced, not shared, and a thread
 * whose call returns after it was abandoned exits at once ({@link CallState.Abandoned}).
 *
 * <p>All fields below {@code requests} belong to the scheduling thread: the thread that runs the
 * loop now (a new one after an abandoned call takes them over, after the guard's compare-and-set).
 * A round allocates nothing.
 */
final class SchedulingLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulingLoop.class);

    /** Rounds spent handing the remaining tasks to the link when scheduling stops. */
    private static final int FLUSH_ROUNDS = 256;
    /**
     * A task a policy has held this long (by the link's clock) without dispatching it is starved:
     * the policy is failed and the fallback takes its tasks. Far above what a policy holds a task
     * here (a few ms in the swap storm), and above what the deadline policy held, working as it
     * should, on the VM lab's emulated kernel under load (3.08 s with 18 tasks held: its order
     * keeps a CPU-bound task behind sleepers; 1 s and 3 s both failed it there). Above the
     * kernel's default watchdog (5 s), which ejects first then: this catches a policy that hoards
     * tasks under a longer watchdog timeout. The system property {@code scx.connector.starve.ms}
     * replaces it (the tests use 3000).
     */
    static final long STARVE_NS = Long.getLong("scx.connector.starve.ms", 10_000) * 1_000_000L;
    /** How often, by the loop's clock, the ledger is scanned for a starved task. */
    private static final long STARVE_CHECK_NS = 100_000_000L;
    /**
     * The most that one gap between two rounds adds to the loop's clock. Starving is judged by
     * the time the policy had to dispatch: a JVM that stood still (a long GC pause, SIGSTOP, a
     * debugger) or a call that hung must not make the tasks held meanwhile look starved. A
     * quarter of the bound.
     */
    private static final long MAX_ROUND_GAP_NS = STARVE_NS / 4;
    /** Lines a minute about bad records from the kernel side, at most. */
    private static final int BAD_RECORD_LINES = 5;
    private static final long BAD_RECORD_WINDOW_NS = 60_000_000_000L;

    private final Scheduler host;
    private final KernelLink link;
    private final String linkKind;
    private final int nrCpus;
    private final SchedulerStats stats;
    private final ConcurrentLinkedQueue<Request<?>> requests = new ConcurrentLinkedQueue<>();
    private volatile boolean stopRequested;
    /** When the current round (or batch of requests) began, System.nanoTime; 0 while waiting in the link. */
    private volatile long busySinceNs;
    /** Read by a swap whose change an earlier request carried out. */
    private volatile SwapReport lastChange;
    /** The thread running the loop, once it runs. */
    private volatile Thread thread;
    /** Scheduling has stopped or the link exited: the loop hands its tasks back, bypass is its own. */
    private volatile boolean ending;
    private final CountDownLatch ended = new CountDownLatch(1);
    private StallGuard guard;
    private Thread guardThread;
    /** The link failed: the loop only drops its tasks, on whichever thread runs it. */
    private boolean broken;

    private final TaskLedger ledger = new TaskLedger();
    private final BuiltinFifo fifo = new BuiltinFifo();
    // Replaced when an abandoned thread might still read them (see takeOverFromHungCall).
    /** Tasks moving from the holder that leaves to the one that comes, in the leaving one's order. */
    private TaskRing handover = new TaskRing();
    /** The records drained in this round, in the order they came, for the holder's enqueue. */
    private TaskRing arrivals = new TaskRing();
    private QueuedTask scratch = new QueuedTask();
    private final QueuedTask incoming = new QueuedTask();
    private final Consumer<QueuedTask> handBack = this::takeBack;
    private int unknownHandBacks;
    /** The bound last given to the link ({@link KernelLink#queueBudget}); 0: none. */
    private long budgetSent;
    /** The link cannot count its queued tasks, so the queue depth is ignored: said once. */
    private boolean depthUncountedSaid;
    private final LogBudget badRecordLog = new LogBudget(BAD_RECORD_LINES, BAD_RECORD_WINDOW_NS);
    private final RecordCheck.Report badRecordReport = this::badRecord;

    private Policy active;
    private PolicyRegistry.Entry activeEntry;   // null while the built-in FIFO is the holder
    private String activeName;
    private volatile ActivationContext context; // volatile: the guard watches its calls
    /** The request being served, so that a new thread can answer it if this one is abandoned. */
    private Request<?> serving;
    /** Highest vtime sent to the link by the activations before the current one. */
    private long vtimeFloor;
    /**
     * The loop's clock: the link's, but with each gap between two rounds counted up to
     * {@link #MAX_ROUND_GAP_NS}. Tasks are held since, the holder installed at, and the ledger
     * scanned at times of this clock.
     */
    private long loopTime;
    private long lastRoundAt;
    private long installedAt;
    private long lastStarveCheck;

    SchedulingLoop(Scheduler host, KernelLink link, SchedulerStats stats) {
        this.host = host;
        this.link = link;
        this.linkKind = link.kind();
        this.nrCpus = link.nrCpus();
        this.stats = stats;
    }

    /** When the current round began (System.nanoTime), or 0 while the thread waits in the link (any thread). */
    long busySinceNs() {
        return busySinceNs;
    }

    /** The scheduling thread, or null before it runs (any thread). */
    Thread thread() {
        return thread;
    }

    /** True once the loop hands its tasks back (any thread): bypass is then the loop's to set. */
    boolean ending() {
        return ending;
    }

    /** The holder's activation, whose calls the guard watches; null between two (any thread). */
    ActivationContext context() {
        return context;
    }

    /** Queues a request for the next pause between rounds (any thread); follow with {@link #wake}. */
    void submit(Request<?> request) {
        requests.add(request);
    }

    /** Makes a round blocked in the link return soon (any thread). */
    void wake() {
        link.wakeup();
    }

    /** Asks the thread to stop after the current round (any thread). */
    void requestStop() {
        stopRequested = true;
        link.wakeup();
    }

    /** Waits until the loop has ended, on whichever thread ran it last; true if it has. */
    boolean awaitEnd(long timeoutMs) throws InterruptedException {
        return ended.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Serves requests nobody will serve any more on the calling thread (after the loop ended). */
    void serveLeftoversOffline() {
        Request<?> r;
        while ((r = requests.poll()) != null) {
            r.serveOffline();
        }
    }

    @Override
    public void run() {
        carryOn(null);
    }

    /**
     * The guard gave up on a policy call that did not return ({@code where}: where it hangs): a
     * new scheduling thread takes the loop over. Called by the guard right after its
     * compare-and-set, so the abandoned thread can no longer change anything here.
     */
    void continueOnNewThread(String where) {
        Thread next = new Thread(() -> carryOn(where), Scheduler.THREAD_NAME);
        next.setDaemon(true);
        next.start();
    }

    /**
     * The body of every scheduling thread of this loop: the first one starts it, a later one
     * ({@code hungAt} non-null) takes over from a thread abandoned in a policy call.
     */
    private void carryOn(String hungAt) {
        thread = Thread.currentThread();
        try {
            host.noteSchedulingThreadStarted();
            if (hungAt == null) {
                start();
            } else {
                takeOverFromHungCall(hungAt);
            }
            while (!stopRequested && !broken && !link.exited()) {
                busySinceNs = System.nanoTime();
                if (!requests.isEmpty()) {
                    serveRequests();
                }
                round();
            }
            busySinceNs = 0;
            ending = true;
            if (broken) {
                dropTasks();
            } else if (link.exited()) {
                LOG.info("The {} link exited: {}", linkKind, link.exitReason());
                dropTasks();
            } else {
                flushAndStop();
            }
        } catch (CallState.Abandoned e) {
            // A new thread runs the loop since the guard gave up on this one's policy call: touch nothing.
            LOG.debug("A policy call abandoned by the stall guard returned; its thread ends.");
            return;
        } catch (RuntimeException | Error e) {
            // A policy's failures are caught where it is called: this is the link (or the built-in FIFO) failing.
            LOG.error("The scheduling thread stops: {}.", OneLine.of(e), e);
            broken = true;
            busySinceNs = 0;
            ending = true;
            try {
                link.setBypass(true);
            } catch (RuntimeException ignored) {
                // the link is broken already; nothing more to ask of it
            }
            try {
                dropTasks();
            } catch (CallState.Abandoned abandoned) {
                return;     // the policy hung in deactivate: the new thread drops the tasks
            }
        }
        if (guard != null) {
            guard.stop(guardThread);
        }
        host.loopEnded(this);
        ended.countDown();
    }

    /** The first thread's start: the guard, then the built-in FIFO, then the policy the connector wants. */
    private void start() {
        busySinceNs = System.nanoTime();
        link.setBypass(false);
        guard = new StallGuard(this, link, host);
        guardThread = new Thread(guard, Scheduler.THREAD_NAME + "-guard");
        guardThread.setDaemon(true);
        guardThread.start();
        install(fifo, null, false);
        reconcile();
        host.noteActive(activeName);
    }

    /** One round of the seed's loop. */
    private void round() {
        QueuedTask task = incoming;
        long linkNow = link.now();
        long gap = linkNow - lastRoundAt;
        lastRoundAt = linkNow;
        loopTime += gap <= 0 ? 0 : Math.min(gap, MAX_ROUND_GAP_NS);
        long now = loopTime;
        ActivationContext current = context;
        TaskRing drained = arrivals;
        while (link.dequeue(task)) {
            if (!RecordCheck.usable(task, nrCpus, badRecordReport)) {
                continue;
            }
            ledger.record(task, now);    // the kernel's record; the policy sees vtime on its own scale
            task.vtime(current.toPolicyVtime(task.vtime()));
            drained.addLast(task);
        }
        if (!drained.isEmpty()) {
            enqueueArrivals(current, drained);
        }
        dispatchHeld();
        if (active != fifo && now - lastStarveCheck >= STARVE_CHECK_NS) {
            lastStarveCheck = now;
            checkStarvation(now);
        }
        int held = ledger.size();
        stats.heldTasks = held;
        busySinceNs = 0;
        guard.roundEnded();
        link.notifyComplete(held);
    }

    /** Gives the holder this round's records, in the order they came, in one marked call. */
    private void enqueueArrivals(ActivationContext current, TaskRing drained) {
        Policy holder = active;
        Throwable thrown = null;
        long mark = current.calls().enterPolicy("enqueue");
        try {
            for (int i = 0; i < drained.size(); i++) {
                holder.enqueue(drained.get(i));
            }
        } catch (RuntimeException | Error e) {
            thrown = e;     // the tasks it did not get are in the ledger: retiring it recovers them
        }
        current.calls().leavePolicy(mark);
        drained.clear();
        if (thrown != null) {
            activeFailed("enqueue", thrown);
        }
    }

    /**
     * Lets the holder dispatch, in one marked call, until it holds nothing, the link takes no more,
     * the queue depth is reached, or a call makes no progress (at most one call per task held or
     * per dispatch the depth leaves room for, and one call when it holds none).
     *
     * <p>Without a queue depth (the default) every task held goes to the kernel side's queues in
     * this round, ordered there by the vtime the policy gave it: the scheduling thread then runs
     * once for a batch of tasks, not once per task (each run is a round trip through user space, two
     * context switches on a real kernel). With a depth, the rest stay with the policy, which picks
     * the next one when the kernel's queues have room again (see {@link #dispatchRoom}).
     */
    private void dispatchHeld() {
        ActivationContext current = context;
        long room = dispatchRoom();
        current.allowDispatches(room);  // also bounds what the policy dispatches from enqueue until the next round
        if (room == 0) {
            return;     // the kernel's queues are full: the policy chooses when they have room
        }
        Policy holder = active;
        Throwable thrown = null;
        long mark = current.calls().enterPolicy("dispatch");
        try {
            for (long calls = Math.min(Math.max(1, ledger.size()), room); calls > 0; calls--) {
                int held = ledger.size();
                if (!holder.dispatch() || ledger.size() >= held) {
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            thrown = e;
        }
        current.calls().leavePolicy(mark);
        if (thrown != null) {
            activeFailed("dispatch", thrown);
        }
    }

    /**
     * How many tasks the link may take this round: {@code Long.MAX_VALUE} without a queue depth,
     * else the budget (the depth times the CPUs) less the tasks already dispatched that have not
     * started running ({@link KernelLink#queuedInKernel}), 0 when none. One budget for the
     * machine, not one per CPU: most dispatches name no CPU (an idle one, else the shared queue),
     * and a CPU with nothing queued takes from the shared queue and other CPUs' queues, so a count
     * per CPU would bound nothing a CPU waits for.
     */
    private long dispatchRoom() {
        int depth = host.queueDepth();
        long budget = Math.max(0, depth) * (long) nrCpus;
        if (budget != budgetSent) {
            budgetSent = budget;
            link.queueBudget(budget);
        }
        if (depth <= 0) {
            return Long.MAX_VALUE;
        }
        long queued = link.queuedInKernel();
        if (queued < 0) {
            if (!depthUncountedSaid) {
                depthUncountedSaid = true;
                LOG.warn("The {} link does not count the tasks queued in the kernel: queue depth {} is ignored.",
                        linkKind, depth);
            }
            return Long.MAX_VALUE;
        }
        return Math.max(0, budget - queued);
    }

    /** A record the kernel side should not have sent: counted, and logged a few lines a minute at most. */
    private void badRecord(QueuedTask task, String what, String done) {
        long count = ++stats.badRecords;
        if (badRecordLog.allow(System.nanoTime())) {
            long unlogged = badRecordLog.takeSuppressed();
            String line = "The " + linkKind + " link queued a bad record (pid " + task.pid() + ", " + what + "): " + done
                    + "; " + count + " bad records so far" + (unlogged == 0 ? "" : ", " + unlogged + " not logged") + ".";
            host.noteBadRecord(line);
            LOG.warn(line);
        }
    }

    private void serveRequests() {
        Request<?> r;
        while ((r = requests.poll()) != null) {
            serving = r;
            r.serve(this);
            serving = null;
        }
    }

    /** Makes the policy the connector wants the holder, if it is not already. */
    SwapReport reconcile() {
        PolicyRegistry.Entry wanted = host.desiredEntry();
        if (wanted == activeEntry) {
            return new SwapReport(activeName, activeName, 0, 0);
        }
        long start = System.nanoTime();
        String from = activeName;
        retire(false);
        int handedOver = handover.size();
        if (wanted == null) {
            install(fifo, null, true);
        } else {
            install(wanted.policy, wanted, true);
        }
        long took = System.nanoTime() - start;
        LOG.info("Active policy {} -> {}: {} tasks handed over in {} us.", from, activeName, handedOver, took / 1000);
        lastChange = new SwapReport(from, activeName, handedOver, took);
        return lastChange;
    }

    /** The last reconcile that changed the holder; null before any. */
    SwapReport lastChange() {
        return lastChange;
    }

    /** For {@link SchedulerBackend#selectCpu} asked from another thread. */
    int selectCpu(int pid, int prevCpu, long flags) {
        return link.selectCpu(pid, prevCpu, flags);
    }

    /**
     * For {@link SchedulerBackend#selectCpu} asked on the scheduling thread, so by the holder in
     * one of its calls: it goes through the holder's context like any other call it makes back.
     */
    int selectCpuForHolder(int pid, int prevCpu, long flags) {
        ActivationContext current = context;
        return current == null ? -1 : current.selectCpu(pid, prevCpu, flags);
    }

    /**
     * Deactivates the holder and fills {@link #handover} with every task it held: those it hands
     * back, in its order, then those it did not, from the ledger. The ledger itself is unchanged.
     *
     * @param afterFailure the holder threw just before: tasks it cannot hand back are expected
     */
    private void retire(boolean afterFailure) {
        Policy leaving = active;
        String name = activeName;
        PolicyRegistry.Entry entry = activeEntry;
        ActivationContext leavingContext = context;
        leavingContext.close();
        vtimeFloor = leavingContext.maxVtimeSent();  // it starts at the floor and only grows (unsigned)
        handover.clear();
        unknownHandBacks = 0;
        ledger.beginCheck();
        Throwable thrown = null;
        long mark = leavingContext.calls().enterPolicy("deactivate");
        try {
            leaving.deactivate(handBack);
        } catch (RuntimeException | Error e) {
            thrown = e;
        }
        leavingContext.calls().leavePolicy(mark);
        if (thrown != null) {
            failed(entry, name, "deactivate", thrown);
        }
        int missing = addUncheckedFromLedger();
        if (missing > 0) {
            if (afterFailure || thrown != null) {
                LOG.info("Recovered {} tasks of policy '{}' from the connector's ledger.", missing, name);
            } else {
                LOG.warn("Policy '{}' did not hand back {} of its {} tasks; the connector recovered them from its ledger.",
                        name, missing, ledger.size());
            }
        }
        if (unknownHandBacks > 0) {
            // Superseded records whose newer one already ran, or records never given: nothing to keep.
            LOG.debug("Policy '{}' handed back {} records the ledger does not hold; ignored.", name, unknownHandBacks);
        }
        active = null;
        activeEntry = null;
        context = null;
    }

    /** Adds to {@link #handover} every task of the ledger not checked off since its last check; returns how many. */
    private int addUncheckedFromLedger() {
        int missing = ledger.size() - ledger.checkedCount();
        if (missing > 0) {
            for (int slot = 0; slot < ledger.capacity(); slot++) {
                if (ledger.at(slot) != null && !ledger.checkedOff(slot)) {
                    handover.addLast(ledger.at(slot));
                }
            }
            stats.tasksRecovered += missing;
        }
        return missing;
    }

    /**
     * The handBack consumer, called by the holder in deactivate: only from inside that call on
     * the scheduling thread (a deactivate that returns after it was abandoned hands back nothing).
     */
    private void takeBack(QueuedTask task) {
        ActivationContext leaving = context;
        long mark = leaving == null ? CallState.REFUSED : leaving.calls().enterLink();
        if (mark == CallState.REFUSED) {
            return;
        }
        try {
            keep(task);
        } finally {
            leaving.calls().leaveLink(mark);
        }
    }

    /** Keeps the ledger's copy of a handed-back task if the holder really held it. */
    private void keep(QueuedTask task) {
        int slot = ledger.checkOff(task);
        if (slot >= 0) {
            handover.addLast(ledger.at(slot));
        } else if (slot == TaskLedger.UNKNOWN) {
            unknownHandBacks++;
        }
        // TaskLedger.SUPERSEDED: a newer record of that task is held and will be handed over instead.
    }

    /**
     * Activates {@code next} and gives it the {@link #handover} tasks. If it throws, it is retired
     * again and the fallback takes the tasks (see {@link #installWanted}).
     */
    private void install(Policy next, PolicyRegistry.Entry entry, boolean announce) {
        String name = entry == null ? SchedulerBackend.BUILTIN_FIFO : entry.name;
        ActivationContext installing = new ActivationContext(link, ledger, stats, name, nrCpus, vtimeFloor);
        context = installing;
        installedAt = loopTime;
        active = next;
        activeEntry = entry;
        activeName = name;
        CallState calls = installing.calls();
        String step = "activate";
        Throwable thrown = null;
        long mark = calls.enterPolicy(step);
        try {
            next.activate(installing);
        } catch (RuntimeException | Error e) {
            thrown = e;
        }
        calls.leavePolicy(mark);
        if (thrown == null && !handover.isEmpty()) {
            step = "enqueue";
            TaskRing given = handover;      // locals: an abandoned call must not reach a new thread's copies
            QueuedTask handed = scratch;
            mark = calls.enterPolicy(step);
            try {
                for (int i = 0; i < given.size(); i++) {
                    handed.copyFrom(given.get(i));
                    next.enqueue(handed.vtime(installing.toPolicyVtime(handed.vtime())));
                }
            } catch (RuntimeException | Error e) {
                thrown = e;
            }
            calls.leavePolicy(mark);
        }
        if (thrown != null) {
            if (next == fifo && thrown instanceof Error error) {
                throw error;
            } else if (next == fifo) {
                throw (RuntimeException) thrown;
            }
            failed(entry, name, step, thrown);
            retire(true);
            installWanted(announce);
            return;
        }
        handover.clear();
        link.policyActivated(name);
        if (announce) {
            host.noteActive(name);
        }

    }

    /**
     * Installs the holder the connector wants now: after a failure, the failed policy is out, so
     * this is the fallback (the configured policy), or the built-in FIFO when that is missing or
     * failed too. Each failure rules one more policy out, so this ends.
     */
    private void installWanted(boolean announce) {
        PolicyRegistry.Entry next = host.desiredEntry();
        if (next == null) {
            install(fifo, null, announce);
        } else {
            install(next.policy, next, announce);
        }
    }

    /**
     * Fails the holder if it has held a task for {@link #STARVE_NS} of the loop's clock (counted
     * from its activation at the earliest) without dispatching it: a policy whose dispatch returns true while it keeps
     * tasks, or dispatches only tasks it does not hold, or never reaches some of its tasks.
     */
    private void checkStarvation(long now) {
        int slot = ledger.oldest();
        if (slot < 0) {
            return;
        }
        long since = ledger.heldSince(slot) - installedAt > 0 ? ledger.heldSince(slot) : installedAt;
        long age = now - since;
        if (age <= STARVE_NS) {
            return;
        }
        String why = "held pid " + ledger.at(slot).pid() + " for " + age / 1_000_000 + " ms without dispatching it ("
                + ledger.size() + " tasks held, over " + STARVE_NS / 1_000_000 + " ms counts as starving them)";
        host.policyMisbehaved(activeEntry, why);
        String from = activeName;
        retire(true);
        installWanted(true);
        LOG.info("Active policy {} -> {} after it starved its tasks.", from, activeName);
    }

    /** The holder threw during a round: retire it and let the fallback take over. */
    private void activeFailed(String method, Throwable e) {
        if (active == fifo) {
            throw new IllegalStateException("the built-in FIFO failed in " + method, e);
        }
        failed(activeEntry, activeName, method, e);
        String from = activeName;
        retire(true);
        installWanted(true);
        LOG.info("Active policy {} -> {} after its failure.", from, activeName);
    }

    private void failed(PolicyRegistry.Entry entry, String name, String method, Throwable e) {
        if (entry == null) {
            LOG.error("The built-in FIFO failed in {} ({}).", method, OneLine.of(e), e);
            return;
        }
        host.policyFailed(entry, method, e);
    }

    /**
     * On the new thread, after the guard abandoned the holder's call that did not return: the
     * holder is failed (one line: the policy, the method, {@code where} it hangs), its tasks come
     * from the ledger, and the fallback takes them, unless scheduling is ending, when the built-in
     * FIFO hands them back. A request the old thread was serving is answered here.
     */
    private void takeOverFromHungCall(String where) {
        ActivationContext hung = context;
        String from = activeName;
        host.policyMisbehaved(activeEntry, "did not return from " + hung.calls().method() + " within "
                + StallGuard.HANG_NS / 1_000_000 + " ms (" + where + ")");
        recoverFromLedger(hung);
        Request<?> interrupted = serving;   // left set until answered: this thread may be abandoned too
        if (stopRequested || broken) {
            install(fifo, null, false);
        } else {
            installWanted(true);
        }
        LOG.info("Active policy {} -> {} on a new scheduling thread, {} tasks handed over.", from, activeName,
                ledger.size());
        if (interrupted != null) {
            interrupted.serve(this);
            serving = null;
        }
    }

    /**
     * Retires a holder that cannot be called any more: {@link #handover} gets what it already
     * held in order (tasks handed to it by a swap, or handed back by a deactivate that hung), as
     * far as the ledger still holds them, then every other task of the ledger. The buffers the
     * abandoned thread may still read are replaced, not reused.
     */
    private void recoverFromLedger(ActivationContext hung) {
        hung.close();
        vtimeFloor = hung.maxVtimeSent();
        TaskRing inOrder = handover;
        handover = new TaskRing();
        arrivals = new TaskRing();
        scratch = new QueuedTask();
        unknownHandBacks = 0;
        ledger.beginCheck();
        for (int i = 0; i < inOrder.size(); i++) {
            keep(inOrder.get(i));
        }
        int missing = addUncheckedFromLedger();
        if (missing > 0) {
            LOG.info("Recovered {} tasks of policy '{}' from the connector's ledger.", missing, activeName);
        }
        active = null;
        activeEntry = null;
        context = null;
    }

    /**
     * Scheduling stops but the link runs on: bypass on so new tasks no longer wait for us, then
     * hand the link every task still held (in the policy's order) or still queued, for a bounded
     * number of rounds.
     */
    private void flushAndStop() {
        link.setBypass(true);
        if (active != fifo) {
            retire(false);
            install(fifo, null, false);
        }
        for (int round = 0; round < FLUSH_ROUNDS && !link.exited(); round++) {
            int drained = 0;
            while (link.dequeue(incoming)) {
                if (!RecordCheck.usable(incoming, nrCpus, badRecordReport)) {
                    continue;
                }
                ledger.record(incoming);
                fifo.enqueue(incoming);
                drained++;
            }
            CallState calls = context.calls();
            context.allowDispatches(Long.MAX_VALUE);    // every task goes back, whatever the queue depth
            if (budgetSent != 0) {
                budgetSent = 0;
                link.queueBudget(0);
            }
            long mark = calls.enterPolicy("dispatch");
            while (fifo.heldTasks() > 0 && fifo.dispatch()) {
                // dispatch everything the link accepts
            }
            calls.leavePolicy(mark);
            if (drained == 0 && ledger.size() == 0) {
                break;
            }
            link.notifyComplete(ledger.size());
        }
        if (ledger.size() > 0) {
            LOG.warn("{} tasks were still held when scheduling stopped; the {} link takes them back.",
                    ledger.size(), linkKind);
        }
        dropTasks();
    }

    /** Deactivates the holder and forgets every task (the link exited or stops being ours). */
    private void dropTasks() {
        if (active != null) {
            retire(false);
        }
        handover.clear();
        ledger.clear();
        stats.heldTasks = 0;
    }
}
