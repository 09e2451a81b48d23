package org.scxjavaland.policy.deadline;

import java.util.Arrays;

/**
 * The held tasks in dispatch order: a binary min-heap of {@link TaskEntry}, plus the pool of free
 * entries. Nothing here allocates once the heap and the pool have grown to the largest number of
 * tasks held so far (each doubles only when full).
 */
final class DeadlineQueue {
    private static final int INITIAL_CAPACITY = 64;

    private TaskEntry[] heap = new TaskEntry[INITIAL_CAPACITY];
    private int size;
    private TaskEntry[] spare = new TaskEntry[INITIAL_CAPACITY];
    private int spareCount;

    int size() {
        return size;
    }

    /** A free entry to fill and {@link #insert}. */
    TaskEntry obtain() {
        return spareCount > 0 ? spare[--spareCount] : new TaskEntry();
    }

    /** Returns an entry that left the queue to the pool. */
    void recycle(TaskEntry entry) {
        if (spareCount == spare.length) {
            spare = Arrays.copyOf(spare, spare.length * 2);
        }
        spare[spareCount++] = entry;
    }

    void insert(TaskEntry entry) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        int slot = size++;
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (!entry.runsBefore(heap[parent])) {
                break;
            }
            heap[slot] = heap[parent];
            slot = parent;
        }
        heap[slot] = entry;
    }

    /** Removes and returns the entry that runs first, or null when the queue is empty. */
    TaskEntry pollFirst() {
        if (size == 0) {
            return null;
        }
        TaskEntry first = heap[0];
        TaskEntry last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(last);
        }
        return first;
    }

    private void siftDown(TaskEntry entry) {
        int slot = 0;
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < size && heap[right].runsBefore(heap[child])) {
                child = right;
            }
            if (!heap[child].runsBefore(entry)) {
                break;
            }
            heap[slot] = heap[child];
            slot = child;
        }
        heap[slot] = entry;
    }
}
