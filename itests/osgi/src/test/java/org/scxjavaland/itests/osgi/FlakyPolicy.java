package org.scxjavaland.itests.osgi;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * A FIFO policy that misbehaves on demand: it throws from {@code enqueue} or {@code dispatch},
 * forgets its tasks instead of handing them back when deactivated, or hangs in a method until
 * released (then tries to dispatch, as a policy that does not know it was given up on would); and
 * its name, options and check of proposed options can throw, hang or run out of heap. Test code,
 * so it may allocate.
 */
final class FlakyPolicy implements Policy {

    static final String NAME = "flaky";
    /** The configuration PID it says it reads its options from (scx:config needs one). */
    static final String PID = "org.scxjavaland.itests.flaky";

    /** What goes wrong. */
    enum Fault { NONE, THROW_IN_ENQUEUE, THROW_IN_DISPATCH, FORGET_TASKS,
        HANG_IN_ACTIVATE, HANG_IN_ENQUEUE, HANG_IN_DISPATCH, HANG_IN_DEACTIVATE }

    /** What goes wrong in name(), configuration() or checkConfiguration(). */
    enum Answer { FINE, THROW, HANG, OUT_OF_HEAP }

    private final ArrayDeque<QueuedTask> tasks = new ArrayDeque<>();
    private final DispatchedTask decision = new DispatchedTask();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Fault fault = Fault.NONE;
    private volatile Answer nameAnswer = Answer.FINE;
    private volatile Answer optionsAnswer = Answer.FINE;
    private volatile Answer checkAnswer = Answer.FINE;
    private volatile int activations;
    private volatile Thread hungThread;
    private volatile Boolean lateDispatch;
    private volatile PolicyContext context;

    void fault(Fault fault) {
        this.fault = fault;
    }

    FlakyPolicy name(Answer answer) {
        this.nameAnswer = answer;
        return this;
    }

    void options(Answer answer) {
        this.optionsAnswer = answer;
    }

    void check(Answer answer) {
        this.checkAnswer = answer;
    }

    /** The thread that hung, once one has. */
    Thread hungThread() {
        return hungThread;
    }

    /** What its dispatch after the release got from the context; null before. */
    Boolean lateDispatch() {
        return lateDispatch;
    }

    /** Lets every hung call, and every hung question, return. */
    void release() {
        release.countDown();
    }

    int activations() {
        return activations;
    }

    @Override
    public String name() {
        answer(nameAnswer, "name");
        return NAME;
    }

    @Override
    public Map<String, Object> configuration() {
        answer(optionsAnswer, "configuration");
        return Map.of("x", 1L);
    }

    @Override
    public String checkConfiguration(Map<String, ?> proposed) {
        answer(checkAnswer, "checkConfiguration");
        return null;
    }

    private void answer(Answer answer, String method) {
        switch (answer) {
            case THROW -> throw new IllegalStateException("flaky " + method + ", as the test asked");
            case HANG -> awaitRelease();
            case OUT_OF_HEAP -> throw new OutOfMemoryError("Java heap space");
            default -> { }
        }
    }

    private void hangIf(Fault hang) {
        if (fault != hang) {
            return;
        }
        fault = Fault.NONE;
        hungThread = Thread.currentThread();
        awaitRelease();
        lateDispatch = context.dispatch(new DispatchedTask().pid(1).cpu(DispatchedTask.CPU_ANY).sliceNs(1).enqCnt(1));
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void activate(PolicyContext context) {
        this.context = context;
        activations++;
        hangIf(Fault.HANG_IN_ACTIVATE);
    }

    @Override
    public void enqueue(QueuedTask task) {
        if (fault == Fault.THROW_IN_ENQUEUE) {
            throw new IllegalStateException("flaky enqueue, as the test asked");
        }
        hangIf(Fault.HANG_IN_ENQUEUE);
        tasks.addLast(new QueuedTask().copyFrom(task));
    }

    @Override
    public boolean dispatch() {
        if (fault == Fault.THROW_IN_DISPATCH) {
            throw new IllegalStateException("flaky dispatch, as the test asked");
        }
        hangIf(Fault.HANG_IN_DISPATCH);
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
        hangIf(Fault.HANG_IN_DEACTIVATE);
        if (fault != Fault.FORGET_TASKS) {
            for (QueuedTask task : tasks) {
                handBack.accept(task);
            }
        }
        tasks.clear();
        context = null;
    }
}
