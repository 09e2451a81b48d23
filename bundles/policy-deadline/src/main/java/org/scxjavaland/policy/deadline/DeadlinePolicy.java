package org.scxjavaland.policy.deadline;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * The deadline policy: runs tasks in order of
 *
 * <pre>  deadline = vruntime + exec_runtime</pre>
 *
 * where vruntime is the CPU time the task has used, scaled down by its weight (fairness), and
 * exec_runtime the CPU time it has used since it last slept (responsiveness). A task that sleeps
 * often (an editor, a game, an audio thread) has little exec_runtime, so an early deadline, and
 * runs ahead of CPU-bound work, which piles up exec_runtime and waits. Two guards keep this
 * fair: a task that slept long gets at most one slice of vruntime credit, and exec_runtime counts
 * for at most 100 slices, so no CPU-bound task starves.
 *
 * <p>Each dispatch grants the minimum slice scaled by the task's weight, passes the deadline on
 * as the task's vtime (the kernel side orders its queues by it), and sends the task to an idle CPU
 * if one is found, else to whichever CPU frees up first (the kernel side looks for the idle CPU
 * as it carries the dispatch out: {@link DispatchedTask#CPU_IDLE}). A task that woke up (it slept:
 * its deadline is its vruntime, the earliest it can be) may wake up again without waiting for the
 * policy until it has used that slice ({@link DispatchedTask#FLAG_WAKE_DIRECT}): it would come
 * first anyway, and the kernel side still lets it preempt only tasks whose deadline is later.
 *
 * <p>{@code vruntimeNow}, the policy's virtual clock, survives a deactivate/activate cycle of the
 * same instance: the vtimes the kernel side reports back were measured on that clock, so
 * restarting it at 0 would let every new task jump ahead of every old one until it caught up. A
 * new instance (the bundle restarted) starts at 0, like the scheduler at boot.
 *
 * <p>Called from one scheduling thread; the options may be replaced from any thread
 * ({@link #settings(DeadlineSettings)}) and take effect from the next enqueue or dispatch.
 * Enqueue and dispatch allocate nothing once the policy has held its largest number of tasks.
 */
public class DeadlinePolicy implements Policy {
    /** The name the policy is selected by. */
    public static final String NAME = "deadline";

    private final DeadlineQueue tasks = new DeadlineQueue();
    private final DispatchedTask dispatched = new DispatchedTask();
    private volatile DeadlineSettings settings;
    private PolicyContext context;
    /** The latest vruntime reached: every task's weighted runtime so far, added up. */
    private long vruntimeNow;

    /** A policy with the seed's default options. */
    public DeadlinePolicy() {
        this(DeadlineSettings.DEFAULTS);
    }

    public DeadlinePolicy(DeadlineSettings settings) {
        this.settings = Objects.requireNonNull(settings);
    }

    /** Replaces the options; safe from any thread. */
    public void settings(DeadlineSettings settings) {
        this.settings = Objects.requireNonNull(settings);
    }

    public DeadlineSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void activate(PolicyContext context) {
        this.context = context;
    }

    @Override
    public void enqueue(QueuedTask task) {
        DeadlineSettings options = settings;
        TaskEntry entry = tasks.obtain();
        entry.task.copyFrom(task);
        entry.deadline = updateEnqueued(task, options.sliceNs());
        entry.timestamp = context.now();
        tasks.insert(entry);
    }

    /**
     * Charges the task for the slice it just used and returns its deadline. Advances
     * {@code vruntimeNow}; leaves the caller's record alone (the new vtime travels as the deadline).
     */
    private long updateEnqueued(QueuedTask task, long sliceNs) {
        long vtime;
        if (task.vtime() == 0) {
            // A new task starts level with the others.
            vtime = vruntimeNow;
        } else {
            // A sleeper gains at most one slice of credit over the others.
            vtime = Unsigned.max(task.vtime(), Unsigned.saturatingSub(vruntimeNow, sliceNs));
        }
        long usedNs = Unsigned.saturatingSub(task.stopTs(), task.startTs());
        long vslice = scaleByWeightInverse(task, usedNs);
        vtime += vslice;
        vruntimeNow += vslice;
        // Runtime since the last sleep counts, up to 100 slices so CPU-bound tasks still get their turn.
        return vtime + Unsigned.min(task.execRuntime(), 100 * sliceNs);
    }

    @Override
    public boolean dispatch() {
        TaskEntry first = tasks.pollFirst();
        if (first == null) {
            return true;
        }
        return dispatchTask(first, settings);
    }

    /** Sends the task to the kernel side; on failure keeps it, to be retried next round. */
    private boolean dispatchTask(TaskEntry entry, DeadlineSettings options) {
        QueuedTask task = entry.task;
        dispatched.prepare(task)
                .sliceNs(scaleByWeight(task, options.sliceNsMin()))
                .vtime(entry.deadline)
                .cpu(options.percpuLocal() ? task.cpu() : DispatchedTask.CPU_IDLE)
                .wakeDirect((task.flags() & QueuedTask.ENQ_WAKEUP) != 0);
        if (!context.dispatch(dispatched)) {
            tasks.insert(entry);
            return false;
        }
        tasks.recycle(entry);
        return true;
    }

    /** {@code value} in proportion to the task's weight (100 = nice 0). */
    private static long scaleByWeight(QueuedTask task, long value) {
        return Unsigned.divide(value * weightOf(task), 100);
    }

    /** {@code value} in inverse proportion to the task's weight: heavier tasks age slower. */
    private static long scaleByWeightInverse(QueuedTask task, long value) {
        return Unsigned.divide(value * 100, weightOf(task));
    }

    /** Weights are 1..10000; a zero would be a kernel-side bug, and must not stop scheduling. */
    private static long weightOf(QueuedTask task) {
        return task.weight() == 0 ? 1 : task.weight();
    }

    @Override
    public int heldTasks() {
        return tasks.size();
    }

    /** Gives the held tasks back in the order they would have run, each as it was enqueued. */
    @Override
    public void deactivate(Consumer<QueuedTask> handBack) {
        for (TaskEntry entry = tasks.pollFirst(); entry != null; entry = tasks.pollFirst()) {
            handBack.accept(entry.task);
            tasks.recycle(entry);
        }
        context = null;
    }

    @Override
    public Map<String, Object> configuration() {
        return settings.asMap();
    }

    @Override
    public String checkConfiguration(Map<String, ?> proposed) {
        try {
            DeadlineSettings.from(proposed);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage() + ".";
        }
    }
}
