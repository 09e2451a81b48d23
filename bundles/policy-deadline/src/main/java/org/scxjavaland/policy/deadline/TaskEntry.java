package org.scxjavaland.policy.deadline;

import org.scxjavaland.api.QueuedTask;

/** One held task: its record exactly as enqueued, and where it stands in the dispatch order. Pooled. */
final class TaskEntry {
    /** The record as it was enqueued; never modified, so it can be handed back unchanged. */
    final QueuedTask task = new QueuedTask();
    /** vruntime + recent runtime: the smaller, the sooner the task runs. Unsigned. */
    long deadline;
    /** When the task was enqueued (the machine's clock): breaks ties between equal deadlines. */
    long timestamp;

    /** The total order of dispatch: deadline, then enqueue time, then pid. */
    boolean runsBefore(TaskEntry other) {
        if (deadline != other.deadline) {
            return Long.compareUnsigned(deadline, other.deadline) < 0;
        }
        if (timestamp != other.timestamp) {
            return Long.compareUnsigned(timestamp, other.timestamp) < 0;
        }
        return task.pid() < other.task.pid();
    }
}
