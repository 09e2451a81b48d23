package org.scxjavaland.connector.internal;

import org.scxjavaland.api.QueuedTask;

/**
 * A first-in first-out queue of task copies that reuses its {@link QueuedTask} objects: it
 * allocates only while growing, never per task once warm. Scheduling thread only.
 */
final class TaskRing {

    private QueuedTask[] slots = new QueuedTask[64];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Appends a copy of {@code task}. */
    void addLast(QueuedTask task) {
        if (size == slots.length) {
            grow();
        }
        int i = (head + size) & (slots.length - 1);
        QueuedTask copy = slots[i];
        if (copy == null) {
            copy = new QueuedTask();
            slots[i] = copy;
        }
        copy.copyFrom(task);
        size++;
    }

    /** The {@code index}-th task from the head (0 is the oldest); valid until the ring changes. */
    QueuedTask get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return slots[(head + index) & (slots.length - 1)];
    }

    /** Drops the oldest task. */
    void removeFirst() {
        if (size == 0) {
            throw new IllegalStateException("the ring is empty");
        }
        head = (head + 1) & (slots.length - 1);
        size--;
    }

    /** Drops every task (the copies stay for reuse). */
    void clear() {
        head = 0;
        size = 0;
    }

    private void grow() {
        QueuedTask[] bigger = new QueuedTask[slots.length * 2];
        for (int i = 0; i < slots.length; i++) {
            bigger[i] = slots[(head + i) & (slots.length - 1)];
        }
        slots = bigger;
        head = 0;
    }
}
