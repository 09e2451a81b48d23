package org.scxjavaland.sim.internal;

import java.util.Arrays;

/**
 * The machine's timers: a binary min-heap of event ids (0..capacity-1) keyed by virtual time, at
 * most one pending time per id. Equal times come out in id order, so a run is deterministic.
 * Primitive arrays only: scheduling, rescheduling, cancelling and polling allocate nothing.
 */
final class EventHeap {
    private final int[] heap;
    private final int[] position;
    private final long[] time;
    private int size;

    EventHeap(int capacity) {
        heap = new int[capacity];
        position = new int[capacity];
        time = new long[capacity];
        Arrays.fill(position, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Time of the earliest event; only when not empty. */
    long peekTime() {
        return time[heap[0]];
    }

    /** Sets (or moves) the event of {@code id} to time {@code at}. */
    void schedule(int id, long at) {
        int i = position[id];
        if (i < 0) {
            time[id] = at;
            heap[size] = id;
            position[id] = size;
            siftUp(size++);
            return;
        }
        long old = time[id];
        time[id] = at;
        if (at < old) {
            siftUp(i);
        } else {
            siftDown(i);
        }
    }

    void cancel(int id) {
        int i = position[id];
        if (i < 0) {
            return;
        }
        position[id] = -1;
        int last = heap[--size];
        if (i == size) {
            return;
        }
        heap[i] = last;
        position[last] = i;
        siftDown(i);
        siftUp(position[last]);
    }

    /** Removes and returns the id of the earliest event; only when not empty. */
    int poll() {
        int id = heap[0];
        cancel(id);
        return id;
    }

    private boolean before(int a, int b) {
        return time[a] < time[b] || (time[a] == time[b] && a < b);
    }

    private void siftUp(int i) {
        int id = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int p = heap[parent];
            if (!before(id, p)) {
                break;
            }
            heap[i] = p;
            position[p] = i;
            i = parent;
        }
        heap[i] = id;
        position[id] = i;
    }

    private void siftDown(int i) {
        int id = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, id)) {
                break;
            }
            heap[i] = c;
            position[c] = i;
            i = child;
        }
        heap[i] = id;
        position[id] = i;
    }
}
