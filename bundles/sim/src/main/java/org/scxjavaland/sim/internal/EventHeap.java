package org.scxjavaland.sim.internal;

import java.util.Arrays;

/**
 * The machine's timers: a binary min-heap of event ids (0..capacity-1) keyed by virtual time, at
 * most one pending time per id. Equal times come out in id order, so a run is deterministic.
 * Primitive arrays only: scheduling, rescheduling, cancelling and polling allocate nothing.
 */
final class EventHeap {
    /** Event ids in heap order. */
    private final int[] heap;
    /** The time of {@code heap[i]}, beside it: comparisons need no look-up by id. */
    private final long[] heapTime;
    /** Where each id is in the heap, or -1. */
    private final int[] position;
    private int size;

    EventHeap(int capacity) {
        heap = new int[capacity];
        heapTime = new long[capacity];
        position = new int[capacity];
        Arrays.fill(position, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Time of the earliest event; only when not empty. */
    long peekTime() {
        return heapTime[0];
    }

    /** Sets (or moves) the event of {@code id} to time {@code at}. */
    void schedule(int id, long at) {
        int i = position[id];
        if (i < 0) {
            siftUp(size++, id, at);
            return;
        }
        if (at < heapTime[i]) {
            siftUp(i, id, at);
        } else {
            siftDown(i, id, at);
        }
    }

    void cancel(int id) {
        int i = position[id];
        if (i < 0) {
            return;
        }
        position[id] = -1;
        int lastIndex = --size;
        if (i == lastIndex) {
            return;
        }
        int last = heap[lastIndex];
        long lastTime = heapTime[lastIndex];
        if (before(lastTime, last, heapTime[i], id)) {
            siftUp(i, last, lastTime);
        } else {
            siftDown(i, last, lastTime);
        }
    }

    /** Removes and returns the id of the earliest event; only when not empty. */
    int poll() {
        int id = heap[0];
        position[id] = -1;
        int lastIndex = --size;
        if (lastIndex > 0) {
            siftDown(0, heap[lastIndex], heapTime[lastIndex]);
        }
        return id;
    }

    /** The order of events: by time, equal times by id (every pair differs, so the order is total). */
    private static boolean before(long timeA, int a, long timeB, int b) {
        return timeA < timeB || (timeA == timeB && a < b);
    }

    /** Puts {@code id} at {@code at} into the hole at {@code i}, moving it towards the root. */
    private void siftUp(int i, int id, long at) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int p = heap[parent];
            long parentTime = heapTime[parent];
            if (!before(at, id, parentTime, p)) {
                break;
            }
            heap[i] = p;
            heapTime[i] = parentTime;
            position[p] = i;
            i = parent;
        }
        heap[i] = id;
        heapTime[i] = at;
        position[id] = i;
    }

    /** Puts {@code id} at {@code at} into the hole at {@code i}, moving it towards the leaves. */
    private void siftDown(int i, int id, long at) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int c = heap[child];
            long childTime = heapTime[child];
            int right = child + 1;
            if (right < size && before(heapTime[right], heap[right], childTime, c)) {
                child = right;
                c = heap[right];
                childTime = heapTime[right];
            }
            if (!before(childTime, c, at, id)) {
                break;
            }
            heap[i] = c;
            heapTime[i] = childTime;
            position[c] = i;
            i = child;
        }
        heap[i] = id;
        heapTime[i] = at;
        position[id] = i;
    }
}
