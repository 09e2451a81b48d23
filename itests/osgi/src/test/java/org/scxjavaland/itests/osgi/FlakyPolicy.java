package org.scxjavaland.itests.osgi;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * A FIFO policy that misbehaves on demand: it throws from {@code enqueue} or {@code dispatch}, or
 * forgets its tasks instead of handing them back when deactivated. Test code, so it may allocate.
 */
final class FlakyPolicy implements Policy {

    static final String NAME = "flaky";

    /** What goes wrong. */
    enum Fault { NONE, THROW_IN_ENQUEUE, THROW_IN_DISPATCH, FORGET_TASKS }

    private final ArrayDeque<QueuedTask> tasks = new ArrayDeque<>();
    private final DispatchedTask decision = new DispatchedTask();
    private volatile Fault fault = Fault.NONE;
    private volatile int activations;
    private PolicyContext context;

    void fault(Fault fault) {
        this.fault = fault;
    }

    int activations() {
        return activations;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void activate(PolicyContext context) {
        this.context = context;
        activations++;
    }

    @Override
    public void enqueue(QueuedTask task) {
        if (fault == Fault.THROW_IN_ENQUEUE) {
            throw new IllegalStateException("flaky enqueue, as the test asked");
        }
        tasks.addLast(new QueuedTask().copyFrom(task));
    }

    @Override
    public boolean dispatch() {
        if (fault == Fault.THROW_IN_DISPATCH) {
            throw new IllegalStateException("flaky dispatch, as the test asked");
        }
        QueuedTask next = tasks.peekFirst();
        if (next == null) {
            return true;
        }
        if (!context.dispatch(decision.prepare(next).cpu(DispatchedTask.CPU_ANY))) {
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
        if (fault != Fault.FORGET_TASKS) {
            for (QueuedTask task : tasks) {
                handBack.accept(task);
            }
        }
        tasks.clear();
        context = null;
    }
}
