package org.scxjavaland.connector.internal;

import java.util.function.Consumer;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.api.SchedulerBackend;

/**
 * The connector's own policy, active whenever no policy bundle is: tasks run in the order they
 * arrived, on an idle CPU when there is one, else on any CPU, with the kernel side's default slice.
 * It keeps tasks flowing while no policy is installed, between two policies, and after a policy
 * failed. Allocation-free once warm.
 */
final class BuiltinFifo implements Policy {

    private final TaskRing queue = new TaskRing();
    private final DispatchedTask next = new DispatchedTask();
    private PolicyContext context;

    @Override
    public String name() {
        return SchedulerBackend.BUILTIN_FIFO;
    }

    @Override
    public void activate(PolicyContext context) {
        this.context = context;
        queue.clear();
    }

    @Override
    public void enqueue(QueuedTask task) {
        queue.addLast(task);
    }

    @Override
    public boolean dispatch() {
        if (queue.isEmpty()) {
            return true;
        }
        QueuedTask task = queue.get(0);
        next.prepare(task).cpu(DispatchedTask.CPU_IDLE);
        if (!context.dispatch(next)) {
            return false;
        }
        queue.removeFirst();
        return true;
    }

    @Override
    public int heldTasks() {
        return queue.size();
    }

    @Override
    public void deactivate(Consumer<QueuedTask> handBack) {
        for (int i = 0; i < queue.size(); i++) {
            handBack.accept(queue.get(i));
        }
        queue.clear();
        context = null;
    }
}
