package org.scxjavaland.policy.fifo;

import org.scxjavaland.api.QueuedTask;

/**
 * The held tasks in arrival order: a ring of {@link QueuedTask} copies, reused slot by slot.
 * Grows by doubling only when full, so once it has held its largest number of tasks nothing here
 * allocates.
 */
final class ArrivalQueue {
    private QueuedTask[] slots = newSlots(64); // a power of two, so that masking wraps an index
    private int head;
    private int size;

    private static QueuedTask[] newSlots(int capacity) {
        QueuedTask[] slots = new QueuedTask[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new QueuedTask();
        }
        return slots;
    }

    int size() {
        return size;
    }

    /** Copies {@code task} in behind the others. */
    void addLast(QueuedTask task) {
        if (size == slots.length) {
            grow();
        }
        slots[(head + size) & (slots.length - 1)].copyFrom(task);
        size++;
    }

    /** The task that arrived first (still held), or null when empty. */
    QueuedTask first() {
        return size == 0 ? null : slots[head];
    }

    /** Forgets the first task; its slot will be reused. */
    void removeFirst() {
        head = (head + 1) & (slots.length - 1);
        size--;
    }

    /** Doubles the ring, keeping the held tasks in order and their objects. */
    private void grow() {
        QueuedTask[] bigger = new QueuedTask[slots.length * 2];
        for (int i = 0; i < slots.length; i++) {
            bigger[i] = slots[(head + i) & (slots.length - 1)];
        }
        for (int i = slots.length; i < bigger.length; i++) {
            bigger[i] = new QueuedTask();
        }
        slots = bigger;
        head = 0;
    }
}
