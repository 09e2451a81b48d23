package com.example.scx.fair;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * A fair policy: tasks run in order of their virtual runtime (CPU time scaled by weight), so
 * every task gets CPU in proportion to its weight, and nothing else counts.
 *
 * <p>Compare it with the deadline policy, which adds the runtime since the last sleep to favour
 * tasks that sleep often: here a game and a compiler are treated alike.
 *
 * <p>The scheduling path allocates nothing once warm: entries are recycled through a free list,
 * and the queues keep their arrays.
 */
@Component(service = Policy.class, property = "scx.policy.name=fair")
public class FairPolicy implements Policy {

    /** Slice given to every dispatched task, in ns. */
    static final long SLICE_NS = 5_000_000;

    /** One held task: the record as received, and the virtual runtime it is ordered by. */
    static final class Entry {
        final QueuedTask task = new QueuedTask();
        long vruntime;
        long seq;
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>(256,
            Comparator.comparingLong((Entry e) -> e.vruntime).thenComparingLong(e -> e.seq));
    private final ArrayDeque<Entry> free = new ArrayDeque<>(256);
    private final DispatchedTask dispatched = new DispatchedTask();
    private PolicyContext context;
    private long minVruntime;
    private long seq;

    @Override
    public String name() {
        return "fair";
    }

    @Override
    public void activate(PolicyContext context) {
        this.context = context;
    }

    @Override
    public void enqueue(QueuedTask task) {
        Entry e = free.isEmpty() ? new Entry() : free.poll();
        e.task.copyFrom(task);
        // A task that slept long may not bank more than one slice of credit.
        long ran = Math.max(0, task.stopTs() - task.startTs()) * 100 / task.weight();
        e.vruntime = Math.max(task.vtime(), minVruntime - SLICE_NS) + ran;
        e.seq = seq++;
        queue.add(e);
    }

    @Override
    public boolean dispatch() {
        Entry e = queue.poll();
        if (e == null) {
            return true;
        }
        dispatched.prepare(e.task)
                .cpu(DispatchedTask.CPU_IDLE) // an idle CPU if the kernel side finds one, else any
                .sliceNs(SLICE_NS)
                .vtime(e.vruntime);
        if (!context.dispatch(dispatched)) {
            queue.add(e); // keep it; try again next round
            return false;
        }
        minVruntime = Math.max(minVruntime, e.vruntime);
        free.add(e);
        return true;
    }

    @Override
    public int heldTasks() {
        return queue.size();
    }

    @Override
    public void deactivate(Consumer<QueuedTask> handBack) {
        for (Entry e; (e = queue.poll()) != null; ) {
            handBack.accept(e.task);
            free.add(e);
        }
        context = null;
    }
}
