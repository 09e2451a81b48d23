package org.scxjavaland.itests.vm.bpf;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * A FIFO whose first dispatch after each activation hangs for {@link #STALL_MS}: the policy a
 * user's bug would make, to see on the real kernel that the connector's stall guard lets the BPF
 * side run new tasks meanwhile. Packed into a bundle of its own by {@link StallingPolicyBundle}.
 */
public final class StallingPolicy implements Policy {

    static final String NAME = "stalling";
    static final long STALL_MS = 2_000;

    private final ArrayDeque<QueuedTask> tasks = new ArrayDeque<>();
    private final DispatchedTask next = new DispatchedTask();
    private PolicyContext context;
    private boolean stallNext;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void activate(PolicyContext context) {
        this.context = context;
        stallNext = true;
    }

    @Override
    public void enqueue(QueuedTask task) {
        tasks.addLast(new QueuedTask().copyFrom(task));
    }

    @Override
    public boolean dispatch() {
        if (stallNext) {
            stallNext = false;
            try {
                Thread.sleep(STALL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        QueuedTask task = tasks.peekFirst();
        if (task == null) {
            return true;
        }
        int cpu = context.selectCpu(task.pid(), task.cpu(), task.flags());
        if (!context.dispatch(next.prepare(task).cpu(cpu >= 0 ? cpu : DispatchedTask.CPU_ANY))) {
            return false;
        }
        tasks.removeFirst();
        return true;
    }

    @Override
    public int heldTasks() {
        return tasks.size();
    }

    @Override
    public void deactivate(Consumer<QueuedTask> handBack) {
        for (QueuedTask task; (task = tasks.pollFirst()) != null; ) {
            handBack.accept(task);
        }
        context = null;
    }
}
