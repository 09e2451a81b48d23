package org.scxjavaland.policy.deadline;

import org.scxjavaland.api.QueuedTask;

/**
 * One held task: its record exactly as enqueued, and its place in the dispatch order (deadline,
 * then enqueue time, then pid: {@link DeadlineQueue} keeps copies of these keys to sort by).
 * Pooled by its queue, which knows it by {@link #index}.
 */
final class TaskEntry {
    /** The record as it was enqueued; never modified, so it can be handed back unchanged. */
    final QueuedTask task = new QueuedTask();
    /** Where the queue keeps this entry and its keys. */
    final int index;
    /** vruntime + recent runtime: the smaller, the sooner the task runs. Unsigned. */
    long deadline;
    /** When the task was enqueued (the machine's clock): breaks ties between equal deadlines. */
    long timestamp;

    TaskEntry(int index) {
        this.index = index;
    }
}
