package org.scxjavaland.connector.internal;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * A FIFO policy for tests that hangs in one method (activate, enqueue, dispatch or deactivate) at
 * a chosen call until released. Released, it goes on as a policy that does not know it was given
 * up on: it tries the link through its context (dispatch, selectCpu, now), hands its tasks back
 * if it was deactivating, and returns. What the context answered is kept for the test.
 */
final class HangingPolicy implements Policy {

    private final TestPolicy fifo;
    private final String name;
    private final String hangIn;
    private final long hangAtCall;
    private final CountDownLatch release = new CountDownLatch(1);
    private long calls;
    private PolicyContext context;

    /** The thread that hung, once it has. */
    volatile Thread hungThread;
    /** What the context answered after the release (null/0 until then). */
    volatile Boolean lateDispatch;
    volatile int lateSelectCpu;
    volatile long lateNow;
    /** True once the released call has returned into the connector. */
    volatile boolean returned;

    /** Hangs in {@code method} at its call number {@code atCall} (1 is the first). */
    HangingPolicy(String name, String method, long atCall) {
        this.name = name;
        this.fifo = new TestPolicy(name, TestPolicy.Order.FIFO);
        this.hangIn = method;
        this.hangAtCall = atCall;
    }

    /** Lets the hung call go on. */
    void release() {
        release.countDown();
    }

    /** The tasks the policy holds (read by the test while it hangs). */
    @Override
    public int heldTasks() {
        return fifo.heldTasks();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void activate(PolicyContext context) {
        this.context = context;
        maybeHang("activate");
        fifo.activate(context);
        endOfCall("activate");
    }

    @Override
    public void enqueue(QueuedTask task) {
        maybeHang("enqueue");
        fifo.enqueue(task);
        endOfCall("enqueue");
    }

    @Override
    public boolean dispatch() {
        maybeHang("dispatch");
        boolean result = fifo.dispatch();
        endOfCall("dispatch");
        return result;
    }

    @Override
    public void deactivate(Consumer<QueuedTask> handBack) {
        maybeHang("deactivate");
        fifo.deactivate(handBack);
        endOfCall("deactivate");
    }

    private void maybeHang(String method) {
        if (!method.equals(hangIn) || ++calls != hangAtCall) {
            return;
        }
        hungThread = Thread.currentThread();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lateDispatch = context.dispatch(new DispatchedTask().pid(1).cpu(DispatchedTask.CPU_ANY).sliceNs(1).enqCnt(1));
        lateSelectCpu = context.selectCpu(1, 0, 0);
        lateNow = context.now();
    }

    private void endOfCall(String method) {
        if (method.equals(hangIn) && calls == hangAtCall) {
            returned = true;
        }
    }
}
