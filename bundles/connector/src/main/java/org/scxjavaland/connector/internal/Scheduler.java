package org.scxjavaland.connector.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.scxjavaland.api.Metrics;
import org.scxjavaland.api.OneLine;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.api.SwapReport;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector without OSGi: the policies registered, the scheduling thread on the attached
 * link, and the {@link SchedulerBackend} view of it all. Thread-safe. {@link ConnectorComponent}
 * adds the OSGi wiring by extending it, so that the scheduler itself is the registered service.
 *
 * <p>Which policy is wanted is the {@link PolicySelection}'s to say (a swap lasts until the
 * configured policy changes or the next swap). The wanted policy is active whenever it is
 * registered and has not failed since it was registered or last swapped to; a wanted policy that
 * failed is kept out until it is swapped to again or registered anew.
 *
 * <p>A configuration that names a policy nobody registered (while the host runs) does not take
 * the active policy away: it is logged, and the named policy becomes the wanted one when it
 * appears. Every change is carried out by the scheduling thread between two rounds; while no
 * thread runs (no link yet, or the link exited) changes only move the selection, which takes
 * effect when scheduling starts.
 */
public class Scheduler implements SchedulerBackend, AutoCloseable {

    /** Name of the scheduling thread. */
    public static final String THREAD_NAME = "scx-scheduler";

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private static final long SWAP_TIMEOUT_MS = 10_000;
    private static final long REGISTRY_TIMEOUT_MS = 5_000;
    private static final long QUERY_TIMEOUT_MS = 2_000;
    private static final long STOP_TIMEOUT_MS = 5_000;

    private final Object lock = new Object();
    private final PolicyRegistry registry = new PolicyRegistry();
    /** For what is asked of a policy off the scheduling thread: its name, as its service registers. */
    private final BoundedCall questions = new BoundedCall("scx-policy-question");
    private final SchedulerStats stats = new SchedulerStats();

    // Guarded by lock.
    private final PolicySelection selection;
    private String idleKind = "none";
    /** Policies that went away with no other of their name left, by name: an update is told by its bundle id. */
    private final Map<String, PolicyRegistry.Entry> departed = new HashMap<>();
    /** Of those, the ones not said to be gone yet (their bundle stopped only for now), by name. */
    private final Map<String, PolicyRegistry.Entry> unannounced = new HashMap<>();
    private boolean closed;
    /** The loop of the attached link, until detached; it may outlive its first thread. */
    private SchedulingLoop attached;

    private volatile SchedulingLoop loop;          // written under lock; non-null while it takes requests
    private volatile SchedulingLoop lastAttached;  // for awaitLoopEnd
    private volatile Thread schedulingThread;
    private volatile KernelLink link;              // attached, possibly exited
    private volatile Instant startedAt;
    /** The scheduling thread's stat file and its page faults when it started; null/-1 when unknown. */
    private volatile Path schedulingThreadStat;
    private volatile long pageFaultsAtStart = -1;
    private volatile String activeName = BUILTIN_FIFO;
    private volatile Instant activeSince = Instant.now();
    private volatile String lastFailure;
    private volatile String lastBadRecord;
    private volatile String lastAnnouncement;
    private volatile int queueDepth;

    /** @param policy the configured policy, wanted until a swap or a new configuration says otherwise */
    public Scheduler(String policy) {
        selection = new PolicySelection(policy);
    }

    // ---- configuration and the whiteboard ----------------------------------------------------

    /**
     * The configuration the connector starts with names {@code policy}: it becomes the wanted one,
     * active as soon as it is registered (until then the built-in FIFO schedules).
     */
    public void configurePolicy(String policy) {
        synchronized (lock) {
            if (!selection.configure(policy)) {
                return;
            }
        }
        LOG.info("Configured policy: {}.", policy);
        reconcileAndWait();
    }

    /**
     * The configuration changed while the host runs and names {@code policy}. A registered policy
     * (or the built-in FIFO) becomes the wanted one at once. A name nobody registered is not
     * trusted over what runs now: the active policy stays, the reason is logged, and the named
     * policy becomes the wanted one when a policy of that name appears.
     */
    public void reconfigurePolicy(String policy) {
        PolicySelection.Reconfigured outcome;
        String keeping;
        List<String> known;
        synchronized (lock) {
            outcome = selection.reconfigure(policy, registry.find(policy) != null);
            keeping = activeName;
            known = registry.names();
        }
        if (outcome == PolicySelection.Reconfigured.UNCHANGED) {
            return;
        }
        if (outcome == PolicySelection.Reconfigured.PENDING) {
            LOG.warn("The configured policy '{}' is not installed (the known policies are {}): '{}' stays active,"
                    + " and '{}' becomes active when a policy of that name appears.",
                    policy, String.join(", ", known), keeping, policy);
            return;
        }
        LOG.info("Configured policy: {}.", policy);
        reconcileAndWait();
    }

    /**
     * The queue depth: how many tasks per CPU the scheduling thread keeps dispatched and not yet
     * running in the kernel's queues; 0, the default, for no bound (see
     * {@link SchedulingLoop#dispatchHeld}). Read at every round, so a change applies at once.
     */
    public void setQueueDepth(int depth) {
        if (depth != queueDepth) {
            LOG.info(depth == 0 ? "Queue depth: unbounded." : "Queue depth: {} task(s) per CPU.", depth);
        }
        queueDepth = depth;
        KernelLink attachedLink = link;
        if (attachedLink != null) {
            attachedLink.wakeup();  // a loop waiting in the link with tasks held may dispatch more now
        }
    }

    /** The queue depth in force (any thread); 0: no bound. */
    int queueDepth() {
        return queueDepth;
    }

    /** What {@link #kind()} reports while no link is attached (the configured backend). */
    public void setIdleKind(String kind) {
        synchronized (lock) {
            idleKind = kind == null || kind.isEmpty() ? "none" : kind;
        }
    }

    /** A policy service appeared (from an unknown bundle); see {@link #addPolicy(Policy, PolicyRegistry.Origin)}. */
    public void addPolicy(Policy policy) {
        addPolicy(policy, PolicyRegistry.Origin.UNKNOWN);
    }

    /**
     * A policy service of the bundle {@code origin} appeared. Returns once the scheduling thread
     * has made it active if it is the wanted one. A policy whose bundle had the same one go away
     * before is an update, logged as such with the versions and the tasks handed over.
     */
    public void addPolicy(Policy policy, PolicyRegistry.Origin origin) {
        BoundedCall.Answer<String> asked = questions.ask(policy::name, StallGuard.HANG_NS / 1_000_000);
        if (!asked.answered()) {
            LOG.error("The policy service of {} was refused: its name() {}; fix or remove that bundle.",
                    bundleOf(origin), asked.problem());
            return;
        }
        String name = asked.value();
        if (name == null || name.isBlank() || BUILTIN_FIFO.equals(name)) {
            LOG.warn("A policy service named '{}'{} was ignored: a policy needs a name that is not blank and not {}.",
                    name, from(origin), BUILTIN_FIFO);
            return;
        }
        boolean pendingArrived;
        PolicyRegistry.Entry previous;
        synchronized (lock) {
            PolicyRegistry.Entry first = registry.find(name);
            registry.add(policy, name, origin);
            if (first != null) {
                LOG.warn("A second policy named '{}' was registered{}; the one{} stays in use while it is there.",
                        name, from(origin), from(first.origin));
            }
            previous = departed.remove(name);
            unannounced.remove(name);
            if (previous != null && (origin.bundleId() < 0 || previous.origin.bundleId() != origin.bundleId())) {
                previous = null;    // another bundle: not an update
            }
            pendingArrived = selection.registered(name);     // the policy a configuration asked for takes over now
        }
        if (previous != null) {
            SwapReport report = reconcileAndWait();
            boolean tookOver = report != null && name.equals(report.to()) && !name.equals(report.from());
            String handedOver = tookOver ? ", " + report.tasksHandedOver() + " tasks handed over" : "";
            announce(previous.origin.version().equals(origin.version())
                    ? "Policy '" + name + "'" + from(origin) + " is back: its bundle restarted" + handedOver + "."
                    : "Policy updated: " + name + " " + previous.origin.version() + " -> " + origin.version()
                            + handedOver + ".");
            return;
        }
        LOG.info(pendingArrived ? "Policy '{}'{} is available; it is the configured one, so it becomes active."
                : "Policy '{}'{} is available.", name, from(origin));
        reconcileAndWait();
    }

    /**
     * A policy service is going away for good (as far as is known); see {@link #removePolicy(Policy, boolean)}.
     */
    public void removePolicy(Policy policy) {
        removePolicy(policy, false);
    }

    /**
     * A policy service is going away. Returns once the scheduling thread has taken its tasks back
     * (while its bundle is still there to answer deactivate) and the next holder has them.
     *
     * @param mayComeBack its bundle is stopping only for now (an update, a refresh, or an uninstall
     *        that {@link #bundleUninstalled} will tell): the last policy of its name is then not
     *        said to be gone yet, so that an update is told in one line, as an update, when the
     *        bundle registers it again
     */
    public void removePolicy(Policy policy, boolean mayComeBack) {
        String line;
        String deferred = null;
        synchronized (lock) {
            PolicyRegistry.Entry entry = registry.entryOf(policy);
            if (entry == null) {
                return;
            }
            PolicyRegistry.Entry inUse = registry.find(entry.name);
            registry.remove(policy);
            PolicyRegistry.Entry next = registry.find(entry.name);
            if (inUse != entry) {
                line = "A second policy named '" + entry.name + "'" + from(entry.origin) + " went away; the one"
                        + from(inUse.origin) + " stays in use.";
            } else if (next != null) {
                line = "Policy '" + entry.name + "'" + from(entry.origin) + " went away; the other policy named '"
                        + entry.name + "'" + from(next.origin) + " takes its place.";
            } else {
                line = mayComeBack ? null : gone(entry);
                deferred = mayComeBack ? "'" + entry.name + "'" + from(entry.origin) : null;
                departed.put(entry.name, entry);
                if (mayComeBack) {
                    unannounced.put(entry.name, entry);
                } else {
                    unannounced.remove(entry.name);
                }
            }
        }
        if (line == null) {
            LOG.debug("Policy {} went away while its bundle stops: it is said to be gone if the bundle is"
                    + " uninstalled, updated if it comes back.", deferred);
        } else {
            announce(line);
        }
        reconcileAndWait();
    }

    /**
     * The bundle {@code bundleId} was uninstalled: its policies that went away while it stopped
     * (and did not come back) are said to be gone now.
     */
    public void bundleUninstalled(long bundleId) {
        List<String> lines = new java.util.ArrayList<>();
        synchronized (lock) {
            unannounced.values().removeIf(entry -> {
                if (entry.origin.bundleId() == bundleId && bundleId >= 0 && registry.find(entry.name) == null) {
                    lines.add(gone(entry));
                    departed.remove(entry.name, entry);
                    return true;
                }
                return false;
            });
        }
        lines.forEach(this::announce);
    }

    private static String gone(PolicyRegistry.Entry entry) {
        return "Policy '" + entry.name + "'" + from(entry.origin) + " is no longer available.";
    }

    // ---- the link and the scheduling thread ---------------------------------------------------

    /** Starts the scheduling thread on {@code link}. */
    public void attach(KernelLink link) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the scheduler is closed");
            }
            if (loop != null) {
                throw new IllegalStateException("the scheduler still runs on a link; detach it first");
            }
            this.link = link;
            schedulingThreadStat = null;
            pageFaultsAtStart = -1;
            SchedulingLoop next = new SchedulingLoop(this, link, stats);
            loop = next;
            attached = next;
            lastAttached = next;
            startedAt = Instant.now();
            activeSince = null;
            Thread thread = new Thread(next, THREAD_NAME);
            thread.setDaemon(true);
            schedulingThread = thread;
            thread.start();
        }
        LOG.info("Scheduling the {} machine ({} CPUs).", link.kind(), link.nrCpus());
    }

    /** Stops the scheduling thread (its tasks go back to the link) and forgets the link. */
    public void detach() {
        SchedulingLoop running;
        SchedulingLoop stopping;
        synchronized (lock) {
            running = loop;
            stopping = attached;
            attached = null;
        }
        if (running != null) {
            running.requestStop();
        }
        if (stopping != null && stopping.thread() != Thread.currentThread()) {
            boolean ended;
            try {
                ended = stopping.awaitEnd(STOP_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended = false;
            }
            if (!ended) {
                LOG.warn("The scheduling thread did not stop within {} s: the active policy seems stuck in a call;"
                        + " it stops when that call returns.", STOP_TIMEOUT_MS / 1000);
            }
        }
        synchronized (lock) {
            link = null;
        }
    }

    /** Stops scheduling for good. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        detach();
        questions.close();
    }

    /** True while a scheduling thread runs. */
    public boolean scheduling() {
        return loop != null;
    }

    /** Waits until the scheduling thread has ended by itself (the link exited); true if it has. */
    public boolean awaitLoopEnd(long timeoutMs) throws InterruptedException {
        SchedulingLoop l = lastAttached;
        return l == null || l.awaitEnd(timeoutMs);
    }

    // ---- SchedulerBackend -----------------------------------------------------------------------

    @Override
    public String kind() {
        KernelLink l = link;
        if (l != null) {
            return l.kind();
        }
        synchronized (lock) {
            return idleKind;
        }
    }

    @Override
    public int nrCpus() {
        KernelLink l = link;
        return l == null ? 0 : l.nrCpus();
    }

    @Override
    public int selectCpu(int pid, int prevCpu, long flags) {
        SchedulingLoop running = loop;
        if (running != null && Thread.currentThread() == running.thread()) {
            return running.selectCpuForHolder(pid, prevCpu, flags);     // the holder asks, in one of its calls
        }
        Request<Integer> request = new Request<>(l -> l.selectCpu(pid, prevCpu, flags),
                () -> selectCpuOffline(pid, prevCpu, flags));
        submit(request);
        try {
            return request.await(QUERY_TIMEOUT_MS);
        } catch (TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public Metrics metrics() {
        KernelLink l = link;
        if (l == null) {
            return Metrics.ZERO;
        }
        LinkCounters c = l.counters();
        // The kernel side's counters, with what only user space knows: the tasks the policy holds,
        // the scheduling thread's page faults; a dispatch the connector dropped is one the kernel
        // side would have cancelled: count it there.
        long base = pageFaultsAtStart;
        long now = base < 0 ? -1 : ProcessStat.pageFaults(schedulingThreadStat);
        long faults = now < 0 ? 0 : Math.max(0, now - base);
        return new Metrics(c.nrRunning(), c.nrCpus(), c.nrQueued(), stats.heldTasks, faults,
                c.nrUserDispatches(), c.nrKernelDispatches(), c.nrCancelDispatches() + stats.droppedDispatches,
                c.nrBounceDispatches(),
                c.nrFailedDispatches(), c.nrSchedCongested());
    }

    @Override
    public String activePolicy() {
        return activeName;
    }

    @Override
    public Instant activeSince() {
        return activeSince;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    /** The registered policies' names and {@link #BUILTIN_FIFO}, sorted: every name {@link #swap} accepts. */
    @Override
    public List<String> availablePolicies() {
        return registry.names();
    }

    @Override
    public Policy policyInUse(String name) {
        PolicyRegistry.Entry entry = name == null ? null : registry.find(name);
        return entry == null ? null : entry.policy;
    }

    @Override
    public String failure(String name) {
        PolicyRegistry.Entry entry = name == null ? null : registry.find(name);
        return entry == null ? null : entry.failure;
    }

    @Override
    public SwapReport swap(String policyName) {
        if (Thread.currentThread() == schedulingThread) {
            throw new IllegalStateException("A policy cannot swap policies from the scheduling thread;"
                    + " call swap from another thread.");
        }
        long failuresBefore;
        String activeWhenAsked;
        synchronized (lock) {
            PolicyRegistry.Entry entry = policyName == null ? null : registry.find(policyName);
            if (entry == null && !BUILTIN_FIFO.equals(policyName)) {
                throw new IllegalArgumentException("No policy named '" + policyName + "' is available; the known"
                        + " policies are " + String.join(", ", registry.names()) + ".");
            }
            if (entry != null) {
                entry.failure = null;       // asked for by name: give it another chance
            }
            selection.swapTo(policyName);
            failuresBefore = stats.policyFailures;
            activeWhenAsked = activeName;
        }
        Request<SwapReport> request = reconcileRequest();
        submit(request);
        SwapReport report;
        try {
            report = request.await(SWAP_TIMEOUT_MS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The scheduling thread did not take the swap within "
                    + SWAP_TIMEOUT_MS / 1000 + " s: policy '" + activeName + "' seems stuck in a call;"
                    + " the swap happens when it returns.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the swap to " + policyName + ".");
        }
        if (!report.to().equals(policyName) && stats.policyFailures != failuresBefore && lastFailure != null) {
            throw new IllegalStateException(lastFailure);
        }
        SchedulingLoop running = loop;
        SwapReport earlier = running == null ? null : running.lastChange();
        if (report.from().equals(report.to()) && !report.to().equals(activeWhenAsked) && earlier != null
                && earlier.from().equals(activeWhenAsked) && earlier.to().equals(report.to())) {
            // A request queued before this one (a policy that had just arrived) made the change.
            return earlier;
        }
        return report;
    }

    // ---- what the tests and tools look at ------------------------------------------------------

    /** The last change of the registry logged (a policy gone, updated), in one line; null before any. */
    public String lastAnnouncement() {
        return lastAnnouncement;
    }

    /** The last policy failure, in one line; null when none happened. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Records from the link with values no task has, dropped or repaired, since this scheduler was made. */
    public long badRecords() {
        return stats.badRecords;
    }

    /** The last line logged about a bad record from the link; null before any. */
    public String lastBadRecord() {
        return lastBadRecord;
    }

    /** Tasks policies did not hand back, recovered from the ledger, since this scheduler was made. */
    public long tasksRecovered() {
        return stats.tasksRecovered;
    }

    /** Dispatches of records a policy no longer held (superseded, or sent twice), dropped by the connector. */
    public long droppedDispatches() {
        return stats.droppedDispatches;
    }

    // ---- called by the scheduling loop ------------------------------------------------------------

    /** The registry entry of the policy that should be active, or null for the built-in FIFO. */
    PolicyRegistry.Entry desiredEntry() {
        synchronized (lock) {
            String holder = holderName();
            return BUILTIN_FIFO.equals(holder) ? null : registry.find(holder);
        }
    }

    /**
     * Called by the scheduling thread as it starts (the first, or one taking over from a thread
     * abandoned in a policy call): its page faults are counted from now on.
     */
    void noteSchedulingThreadStarted() {
        schedulingThread = Thread.currentThread();
        Path stat = ProcessStat.currentThreadStat();
        schedulingThreadStat = stat;
        pageFaultsAtStart = ProcessStat.pageFaults(stat);
    }

    /** The line logged about a bad record (the scheduling thread). */
    void noteBadRecord(String line) {
        lastBadRecord = line;
    }

    /** {@code name} is the active policy now. */
    void noteActive(String name) {
        synchronized (lock) {
            noteActiveLocked(name);
        }
    }

    /**
     * A policy threw: it stays out until swapped to or re-registered, the fallback (the configured
     * policy) takes its tasks; logs the reason in one line.
     */
    void policyFailed(PolicyRegistry.Entry entry, String method, Throwable e) {
        policyMisbehaved(entry, "failed in " + method + " (" + OneLine.of(e) + ")");
        LOG.debug("Policy '{}' failure in {}:", entry.name, method, e);
    }

    /**
     * A policy did something that rules it out ({@code why}: what it did, in words): as for a
     * throw, it stays out until swapped to or re-registered, and the fallback takes its tasks.
     */
    void policyMisbehaved(PolicyRegistry.Entry entry, String why) {
        String next;
        synchronized (lock) {
            entry.failure = why;
            next = holderName();
        }
        String line = "Policy '" + entry.name + "' " + why + ": it is deactivated and '" + next + "' takes its tasks;"
                + " it stays out until its bundle is updated or restarted, or scx:use names it.";
        lastFailure = line;
        stats.policyFailures++;
        LOG.error(line);
    }

    /** The loop has ended: further requests are served offline. */
    void loopEnded(SchedulingLoop ended) {
        synchronized (lock) {
            if (loop == ended) {
                loop = null;
                schedulingThread = null;
                startedAt = null;
            }
            stats.heldTasks = 0;
            noteActiveLocked(holderName());
        }
        ended.serveLeftoversOffline();
    }

    // ---- inside ---------------------------------------------------------------------------------

    /** The name of the policy that should hold the tasks now (caller holds lock). */
    private String holderName() {
        return selection.holder(name -> {
            PolicyRegistry.Entry entry = registry.find(name);
            return entry != null && !entry.failed();
        });
    }

    private void noteActiveLocked(String name) {
        if (!name.equals(activeName) || activeSince == null) {
            activeSince = Instant.now();
        }
        activeName = name;
    }

    private Request<SwapReport> reconcileRequest() {
        return new Request<>(SchedulingLoop::reconcile, this::reconcileOffline);
    }

    /** No scheduling thread: only the selection moves. */
    private SwapReport reconcileOffline() {
        long start = System.nanoTime();
        synchronized (lock) {
            String from = activeName;
            String to = holderName();
            noteActiveLocked(to);
            return new SwapReport(from, to, 0, System.nanoTime() - start);
        }
    }

    /**
     * Lets the scheduling thread act on a change of the registry or the configuration, and waits for it.
     *
     * @return what the scheduling thread did, or null when it could not be waited for
     */
    private SwapReport reconcileAndWait() {
        Request<SwapReport> request = reconcileRequest();
        submit(request);
        if (Thread.currentThread() == schedulingThread) {
            return null;            // a policy registering services from the scheduling thread: cannot wait for ourselves
        }
        try {
            return request.await(REGISTRY_TIMEOUT_MS);
        } catch (TimeoutException e) {
            LOG.warn("The scheduling thread did not take the policy change within {} s: policy '{}' seems stuck in"
                    + " a call; the change happens when it returns.", REGISTRY_TIMEOUT_MS / 1000, activeName);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("The policy change failed: {}.", OneLine.of(e));
        }
        return null;
    }

    private void announce(String line) {
        lastAnnouncement = line;
        LOG.info(line);
    }

    /** "bundle NAME VERSION" for a log line that has no policy name to go by. */
    private static String bundleOf(PolicyRegistry.Origin origin) {
        return origin.bundleId() < 0 ? "an unknown bundle" : "bundle " + origin;
    }

    /** " (bundle version)" for a log line, or nothing when the origin is unknown. */
    private static String from(PolicyRegistry.Origin origin) {
        return origin.bundleId() < 0 ? "" : " (" + origin + ")";
    }

    private void submit(Request<?> request) {
        SchedulingLoop running;
        synchronized (lock) {
            running = loop;
            if (running != null) {
                running.submit(request);
            }
        }
        if (running == null) {
            request.serveOffline();
        } else {
            running.wake();
        }
    }

    private int selectCpuOffline(int pid, int prevCpu, long flags) {
        synchronized (lock) {
            KernelLink l = link;
            return l == null || loop != null ? -1 : l.selectCpu(pid, prevCpu, flags);
        }
    }
}
