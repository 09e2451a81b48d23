package org.scxjavaland.connector.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.api.SwapReport;
import org.scxjavaland.link.KernelLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the scheduling thread, for one link: the seed's loop (drain every queued task into
 * the active policy, let it dispatch once, tell the link how many tasks are still held) until the
 * link exits or the connector stops it.
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
 * <p>All fields below {@code requests} belong to the scheduling thread. A round allocates nothing.
 */
final class SchedulingLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulingLoop.class);

    /** Rounds spent handing the remaining tasks to the link when scheduling stops. */
    private static final int FLUSH_ROUNDS = 256;

    private final Scheduler host;
    private final KernelLink link;
    private final String linkKind;
    private final int nrCpus;
    private final SchedulerStats stats;
    private final ConcurrentLinkedQueue<Request<?>> requests = new ConcurrentLinkedQueue<>();
    private volatile boolean stopRequested;
    /** When the current round (or batch of requests) began, System.nanoTime; 0 while waiting in the link. */
    private volatile long busySinceNs;
    /** The thread running the loop, once it runs. */
    private volatile Thread thread;

    private final TaskLedger ledger = new TaskLedger();
    private final BuiltinFifo fifo = new BuiltinFifo();
    /** Tasks moving from the holder that leaves to the one that comes, in the leaving one's order. */
    private final TaskRing handover = new TaskRing();
    private final QueuedTask incoming = new QueuedTask();
    private final QueuedTask scratch = new QueuedTask();
    private final Consumer<QueuedTask> handBack = this::takeBack;
    private int unknownHandBacks;

    private Policy active;
    private PolicyRegistry.Entry activeEntry;   // null while the built-in FIFO is the holder
    private String activeName;
    private ActivationContext context;
    /** Highest vtime sent to the link by the activations before the current one. */
    private long vtimeFloor;

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

    /** Serves requests nobody will serve any more on the calling thread (after the loop ended). */
    void serveLeftoversOffline() {
        Request<?> r;
        while ((r = requests.poll()) != null) {
            r.serveOffline();
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            host.noteSchedulingThreadStarted();
            link.setBypass(false);
            install(fifo, null, false);
            reconcile();
            host.noteActive(activeName);
            StallGuard guard = new StallGuard(this, link, host);
            Thread guardThread = new Thread(guard, Scheduler.THREAD_NAME + "-guard");
            guardThread.setDaemon(true);
            guardThread.start();
            try {
                while (!stopRequested && !link.exited()) {
                    busySinceNs = System.nanoTime();
                    if (!requests.isEmpty()) {
                        serveRequests();
                    }
                    round();
                }
            } finally {
                busySinceNs = 0;
                guard.stop(guardThread);
            }
            if (link.exited()) {
                LOG.info("The {} link exited: {}", linkKind, link.exitReason());
                dropTasks();
            } else {
                flushAndStop();
            }
        } catch (RuntimeException | Error e) {
            // A policy's failures are caught where it is called: this is the link (or the built-in FIFO) failing.
            LOG.error("The scheduling thread stops: {}.", Scheduler.oneLine(e), e);
            try {
                link.setBypass(true);
            } catch (RuntimeException ignored) {
                // the link is broken already; nothing more to ask of it
            }
            dropTasks();
        } finally {
            host.loopEnded(this);
        }
    }

    /** One round of the seed's loop. */
    private void round() {
        QueuedTask task = incoming;
        while (link.dequeue(task)) {
            ledger.record(task);    // the kernel's record; the policy sees vtime on its own scale
            task.vtime(context.toPolicyVtime(task.vtime()));
            try {
                active.enqueue(task);
            } catch (RuntimeException | Error e) {
                activeFailed("enqueue", e);
            }
        }
        try {
            active.dispatch();
        } catch (RuntimeException | Error e) {
            activeFailed("dispatch", e);
        }
        int held = ledger.size();
        stats.heldTasks = held;
        busySinceNs = 0;
        link.notifyComplete(held);
    }

    private void serveRequests() {
        Request<?> r;
        while ((r = requests.poll()) != null) {
            r.serve(this);
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
        return new SwapReport(from, activeName, handedOver, took);
    }

    /** For {@link SchedulerBackend#selectCpu} asked from another thread. */
    int selectCpu(int pid, int prevCpu, long flags) {
        return link.selectCpu(pid, prevCpu, flags);
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
        context.close();
        vtimeFloor = context.maxVtimeSent();  // it starts at the floor and only grows (unsigned)
        handover.clear();
        unknownHandBacks = 0;
        ledger.beginCheck();
        boolean failedNow = false;
        try {
            leaving.deactivate(handBack);
        } catch (RuntimeException | Error e) {
            failed(entry, name, "deactivate", e);
            failedNow = true;
        }
        int missing = ledger.size() - ledger.checkedCount();
        if (missing > 0) {
            for (int slot = 0; slot < ledger.capacity(); slot++) {
                if (ledger.at(slot) != null && !ledger.checkedOff(slot)) {
                    handover.addLast(ledger.at(slot));
                }
            }
            stats.tasksRecovered += missing;
            if (afterFailure || failedNow) {
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

    /** The handBack consumer: keeps the ledger's copy of each task the policy really held. */
    private void takeBack(QueuedTask task) {
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
     * again and the built-in FIFO takes the tasks.
     */
    private void install(Policy next, PolicyRegistry.Entry entry, boolean announce) {
        String name = entry == null ? SchedulerBackend.BUILTIN_FIFO : entry.name;
        context = new ActivationContext(link, ledger, stats, name, nrCpus, vtimeFloor);
        active = next;
        activeEntry = entry;
        activeName = name;
        String step = "activate";
        try {
            next.activate(context);
            step = "enqueue";
            for (int i = 0; i < handover.size(); i++) {
                QueuedTask handed = scratch.copyFrom(handover.get(i));
                next.enqueue(handed.vtime(context.toPolicyVtime(handed.vtime())));
            }
        } catch (RuntimeException | Error e) {
            if (next == fifo) {
                throw e;
            }
            failed(entry, name, step, e);
            retire(true);
            install(fifo, null, announce);
            return;
        }
        handover.clear();
        link.policyActivated(name);
        if (announce) {
            host.noteActive(name);
        }
    }

    /** The holder threw during a round: retire it and let the built-in FIFO take over. */
    private void activeFailed(String method, Throwable e) {
        if (active == fifo) {
            throw new IllegalStateException("the built-in FIFO failed in " + method, e);
        }
        failed(activeEntry, activeName, method, e);
        retire(true);
        install(fifo, null, true);
    }

    private void failed(PolicyRegistry.Entry entry, String name, String method, Throwable e) {
        if (entry == null) {
            LOG.error("The built-in FIFO failed in {} ({}).", method, Scheduler.oneLine(e), e);
            return;
        }
        host.policyFailed(entry, method, e);
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
                ledger.record(incoming);
                fifo.enqueue(incoming);
                drained++;
            }
            while (fifo.heldTasks() > 0 && fifo.dispatch()) {
                // dispatch everything the link accepts
            }
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
