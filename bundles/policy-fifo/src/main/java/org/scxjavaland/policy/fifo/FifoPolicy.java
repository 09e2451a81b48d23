package org.scxjavaland.policy.fifo;

import java.util.Map;
import java.util.function.Consumer;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * First in, first out: tasks are dispatched in the order they became runnable, each to an idle
 * CPU when the kernel side finds one, else to whichever CPU frees up first. Every dispatch carries
 * the same slice ({@code slice_us}; 0, the default, lets the kernel side use its own default
 * slice) and the same vtime, 0, so the kernel side's vtime-ordered queues keep dispatch order.
 *
 * <p>A baseline to compare other policies against, and the smallest example of a policy: enqueue
 * and dispatch allocate nothing once the policy has held its largest number of tasks.
 */
public class FifoPolicy implements Policy {
    /** The name the policy is selected by. */
    public static final String NAME = "fifo";
    /** Configuration key: the slice granted per dispatch, in microseconds; 0 for the kernel side's default. */
    public static final String SLICE_US = "slice_us";

    private static final long NSEC_PER_USEC = 1_000;
    private static final long MAX_SLICE_US = Long.MAX_VALUE / NSEC_PER_USEC;

    private final ArrivalQueue tasks = new ArrivalQueue();
    private final DispatchedTask dispatched = new DispatchedTask();
    private volatile long sliceUs;
    private PolicyContext context;

    @Override
    public String name() {
        return NAME;
    }

    /** The slice granted per dispatch in microseconds, 0 meaning the kernel side's default. */
    public long sliceUs() {
        return sliceUs;
    }

    /** Replaces the slice; safe from any thread, used from the next dispatch. */
    public void sliceUs(long sliceUs) {
        this.sliceUs = checkSliceUs(sliceUs);
    }

    @Override
    public void activate(PolicyContext context) {
        this.context = context;
    }

    @Override
    public void enqueue(QueuedTask task) {
        tasks.addLast(task);
    }

    @Override
    public boolean dispatch() {
        QueuedTask first = tasks.first();
        if (first == null) {
            return true;
        }
        dispatched.prepare(first)
                .sliceNs(sliceUs * NSEC_PER_USEC)
                .cpu(DispatchedTask.CPU_IDLE);
        if (!context.dispatch(dispatched)) {
            return false;
        }
        tasks.removeFirst();
        return true;
    }

    @Override
    public int heldTasks() {
        return tasks.size();
    }

    /** Gives the held tasks back in arrival order, each as it was enqueued. */
    @Override
    public void deactivate(Consumer<QueuedTask> handBack) {
        for (QueuedTask first = tasks.first(); first != null; first = tasks.first()) {
            handBack.accept(first);
            tasks.removeFirst();
        }
        context = null;
    }

    @Override
    public Map<String, Object> configuration() {
        return Map.of(SLICE_US, sliceUs);
    }

    @Override
    public String checkConfiguration(Map<String, ?> proposed) {
        try {
            sliceUsFrom(proposed);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage() + ".";
        }
    }

    /**
     * The slice named by configuration properties: 0 when absent (a ConfigAdmin configuration
     * replaces the previous one whole); a number or the string a {@code .cfg} file gives.
     *
     * @throws IllegalArgumentException with the reason, when the value is invalid
     */
    static long sliceUsFrom(Map<String, ?> properties) {
        Object value = properties.get(SLICE_US);
        if (value == null) {
            return 0;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return checkSliceUs(((Number) value).longValue());
        }
        if (value instanceof String) {
            try {
                return checkSliceUs(Long.parseLong(((String) value).trim()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(SLICE_US + " must be a whole number of microseconds (0 for the kernel side's default), not '"
                + value + "'");
    }

    private static long checkSliceUs(long us) {
        if (us < 0 || us > MAX_SLICE_US) {
            throw new IllegalArgumentException(SLICE_US + " must be between 0 (the kernel side's default) and "
                    + MAX_SLICE_US + " microseconds, not " + us);
        }
        return us;
    }
}
