package com.example.scx.shortest;

import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * Shortest expected run first: of the tasks it holds, the one whose last run was the shortest
 * goes next (the CPU time it used since the policy last saw it, {@code stopTs - startTs}; a task
 * never seen yet counts as 0). A task held for {@link #MAX_WAIT_NS} goes first, the oldest such
 * first, so a long-running task is delayed, never starved.
 *
 * <p>Its order is not a vtime: every dispatch carries vtime 0, as the FIFO policy's do, so the
 * kernel's queues keep the order tasks reach them in. With the connector's default, unbounded
 * queue depth, every task goes to the kernel as soon as it arrives and this policy behaves as a
 * FIFO; with a small depth ({@code --queue-depth 1}) it holds the waiting tasks and picks the
 * shortest when a CPU frees up. Compare it with {@code fifo} both ways.
 *
 * <p>Held tasks are kept in arrival order in an array and scanned at each dispatch: linear in the
 * tasks held, which stay few with a small depth. Allocation-free once warm.
 */
@Component(service = Policy.class, property = "scx.policy.name=shortest-first")
public class ShortestFirstPolicy implements Policy {

    /** How long a task may be passed over before it goes first. */
    static final long MAX_WAIT_NS = 50_000_000;

    private QueuedTask[] held = new QueuedTask[64];
    private long[] heldSince = new long[64];
    private int size;
    private final DispatchedTask dispatched = new DispatchedTask();
    private PolicyContext context;

    @Override
    public String name() {
        return "shortest-first";
    }

    @Override
    public void activate(PolicyContext context) {
        this.context = context;
    }

    @Override
    public void enqueue(QueuedTask task) {
        if (size == held.length) {
            held = java.util.Arrays.copyOf(held, size * 2);
            heldSince = java.util.Arrays.copyOf(heldSince, size * 2);
        }
        if (held[size] == null) {
            held[size] = new QueuedTask();
        }
        held[size].copyFrom(task);
        heldSince[size] = context.now();
        size++;
    }

    @Override
    public boolean dispatch() {
        if (size == 0) {
            return true;
        }
        int next = pick(context.now());
        dispatched.prepare(held[next])
                .cpu(DispatchedTask.CPU_IDLE) // an idle CPU if the kernel side finds one, else any
                .vtime(0);
        if (!context.dispatch(dispatched)) {
            return false; // keep it; try again next round
        }
        remove(next);
        return true;
    }

    /** The index of the task to run next: the oldest if it waited too long, else the shortest expected run. */
    int pick(long now) {
        if (now - heldSince[0] >= MAX_WAIT_NS) {
            return 0;
        }
        int best = 0;
        long bestRun = expectedRun(held[0]);
        for (int i = 1; i < size; i++) {
            long run = expectedRun(held[i]);
            if (run < bestRun) {
                best = i;
                bestRun = run;
            }
        }
        return best;
    }

    /** The CPU time the task used since the policy last saw it: how long it is likely to run now. */
    static long expectedRun(QueuedTask task) {
        return Math.max(0, task.stopTs() - task.startTs());
    }

    /** Removes entry {@code i}, keeping the others in arrival order (its copy goes to the end, for reuse). */
    private void remove(int i) {
        QueuedTask copy = held[i];
        System.arraycopy(held, i + 1, held, i, size - i - 1);
        System.arraycopy(heldSince, i + 1, heldSince, i, size - i - 1);
        size--;
        held[size] = copy;
    }

    @Override
    public int heldTasks() {
        return size;
    }

    @Override
    public void deactivate(Consumer<QueuedTask> handBack) {
        for (int i = 0; i < size; i++) {
            handBack.accept(held[i]);
        }
        size = 0;
        context = null;
    }
}
