package org.scxjavaland.connector.internal;

import java.util.function.Consumer;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * A policy for tests: FIFO or LIFO over an array of reused copies (allocation-free once warm),
 * with faults to inject: throw once in a method, forget tasks on deactivate, dispatch tasks twice,
 * a choice of vtimes and CPUs, and greedy dispatches (every task held in one call).
 */
final class TestPolicy implements Policy {

    enum Order { FIFO, LIFO }

    private static final int CAPACITY = 1 << 16;

    private final String name;
    private final Order order;
    private final QueuedTask[] tasks = new QueuedTask[CAPACITY];
    /** Each slot's arrival number (with {@link #arrivalVtimes}). */
    private final long[] arrivals = new long[CAPACITY];
    private final DispatchedTask next = new DispatchedTask();
    private int head;
    private int size;
    private PolicyContext context;

    private String failIn = "";
    private long failAfter;
    private long calls;
    private int forgetEvery;
    private boolean dispatchTwice;
    private long vtimeBase;
    private boolean arrivalVtimes;
    private boolean anyCpu;
    private boolean greedy;

    // Read by the test thread between swaps or after the scheduling thread ended.
    volatile int activations;
    volatile int deactivations;
    volatile int lastHandedBack;
    volatile long enqueued;
    volatile long dispatches;

    TestPolicy(String name, Order order) {
        this.name = name;
        this.order = order;
    }

    /** Throws once from {@code method} (activate, enqueue, dispatch or deactivate): at its call number {@code after + 1}. */
    TestPolicy failIn(String method, long after) {
        this.failIn = method;
        this.failAfter = after;
        return this;
    }

    /** On deactivate, keeps quiet about every n-th task instead of handing it back. */
    TestPolicy forgetEvery(int n) {
        this.forgetEvery = n;
        return this;
    }

    /** Sends vtimes {@code base}, {@code base + 1}, ... (default: base 0). */
    TestPolicy vtimes(long base) {
        this.vtimeBase = base;
        return this;
    }

    /** Sends each task's arrival number as its vtime: the kernel's queues then order FIFO and LIFO alike. */
    TestPolicy arrivalVtimes() {
        this.arrivalVtimes = true;
        return this;
    }

    /** Sends every task to any CPU instead of asking selectCpu. */
    TestPolicy anyCpu() {
        this.anyCpu = true;
        return this;
    }

    /** Dispatches every task it holds in one call, until the connector refuses one. */
    TestPolicy greedy() {
        this.greedy = true;
        return this;
    }

    /** Dispatches each task a second time after its real dispatch. */
    TestPolicy dispatchTwice() {
        this.dispatchTwice = true;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void activate(PolicyContext context) {
        maybeFail("activate");
        this.context = context;
        head = 0;
        size = 0;
        activations++;
    }

    @Override
    public void enqueue(QueuedTask task) {
        maybeFail("enqueue");
        if (size == CAPACITY) {
            throw new IllegalStateException("test policy full");
        }
        int slot = (head + size) & (CAPACITY - 1);
        if (tasks[slot] == null) {
            tasks[slot] = new QueuedTask();     // allocated once per slot, while warming up
        }
        tasks[slot].copyFrom(task);
        arrivals[slot] = ++enqueued;
        size++;
    }

    @Override
    public boolean dispatch() {
        maybeFail("dispatch");
        do {
            if (size == 0) {
                return true;
            }
            if (!dispatchOne()) {
                return false;
            }
        } while (greedy);
        return true;
    }

    private boolean dispatchOne() {
        int index = order == Order.FIFO ? head : (head + size - 1) & (CAPACITY - 1);
        QueuedTask task = tasks[index];
        long vtime = arrivalVtimes ? arrivals[index] : vtimeBase == 0 ? 0 : vtimeBase + dispatches;
        next.prepare(task).sliceNs(1_000_000).vtime(vtime);
        int cpu = anyCpu ? -1 : context.selectCpu(task.pid(), task.cpu(), task.flags());
        next.cpu(cpu >= 0 ? cpu : DispatchedTask.CPU_ANY);
        if (!context.dispatch(next)) {
            return false;
        }
        if (order == Order.FIFO) {
            head = (head + 1) & (CAPACITY - 1);
        }
        size--;
        dispatches++;
        if (dispatchTwice) {
            context.dispatch(next);
        }
        return true;
    }

    @Override
    public int heldTasks() {
        return size;
    }

    @Override
    public void deactivate(Consumer<QueuedTask> handBack) {
        maybeFail("deactivate");
        int handed = 0;
        for (int i = 0; i < size; i++) {
            if (forgetEvery > 0 && i % forgetEvery == 0) {
                continue;
            }
            handBack.accept(tasks[(head + i) & (CAPACITY - 1)]);
            handed++;
        }
        lastHandedBack = handed;
        size = 0;
        context = null;
        deactivations++;
    }

    private void maybeFail(String method) {
        if (failIn.equals(method) && ++calls == failAfter + 1) {
            throw new IllegalStateException(name + " broke in " + method);
        }
    }
}
