package org.scxjavaland.sim.internal;

/**
 * A dispatch queue (DSQ) ordered by virtual time, like the BPF side's vtime-ordered DSQs: the
 * smallest vtime (compared as unsigned, as the kernel does) runs first; equal vtimes run in
 * insertion order. A FIFO queue is the same queue with every vtime equal.
 *
 * <p>Kept as a sorted array window [head, head+size): taking the first element is O(1), an
 * insertion shifts the elements after it (usually few: vtimes mostly grow). Allocates only to
 * grow, which stops once the queue has held the most tasks it will hold.
 */
final class VtimeQueue {
    private long[] vtimes;
    private SimTask[] tasks;
    private int head;
    private int size;

    VtimeQueue(int capacity) {
        int n = Math.max(4, capacity);
        vtimes = new long[n];
        tasks = new SimTask[n];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Inserts {@code task} after every task of a smaller or equal vtime. */
    void add(SimTask task, long vtime) {
        if (head + size == tasks.length) {
            makeRoom();
        }
        int end = head + size;
        int at = end;
        // Usually the new task goes last: check that before searching.
        if (size > 0 && Long.compareUnsigned(vtimes[end - 1], vtime) > 0) {
            int lo = head;
            int hi = end - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(vtimes[mid], vtime) > 0) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            at = lo;
            System.arraycopy(vtimes, at, vtimes, at + 1, end - at);
            System.arraycopy(tasks, at, tasks, at + 1, end - at);
        }
        vtimes[at] = vtime;
        tasks[at] = task;
        size++;
    }

    /** Removes and returns the first task, or null. */
    SimTask poll() {
        if (size == 0) {
            return null;
        }
        return removeAt(head);
    }

    /** Removes and returns the first task allowed to run on {@code cpu}, or null. */
    SimTask pollRunnableOn(int cpu) {
        int end = head + size;
        for (int i = head; i < end; i++) {
            if (tasks[i].mayRunOn(cpu)) {
                return removeAt(i);
            }
        }
        return null;
    }

    /** True if some task of the queue may run on {@code cpu}. */
    boolean hasRunnableOn(int cpu) {
        int end = head + size;
        for (int i = head; i < end; i++) {
            if (tasks[i].mayRunOn(cpu)) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        java.util.Arrays.fill(tasks, head, head + size, null);
        head = 0;
        size = 0;
    }

    private SimTask removeAt(int i) {
        SimTask t = tasks[i];
        if (i == head) {
            tasks[head] = null;
            head++;
        } else {
            int end = head + size;
            System.arraycopy(vtimes, i + 1, vtimes, i, end - i - 1);
            System.arraycopy(tasks, i + 1, tasks, i, end - i - 1);
            tasks[end - 1] = null;
        }
        size--;
        if (size == 0) {
            head = 0;
        }
        return t;
    }

    /** Moves the window to the start of the arrays, growing them when they are full. */
    private void makeRoom() {
        if (size * 2 > tasks.length) {
            int n = tasks.length * 2;
            vtimes = copy(vtimes, n);
            SimTask[] t = new SimTask[n];
            System.arraycopy(tasks, head, t, 0, size);
            tasks = t;
        } else {
            System.arraycopy(vtimes, head, vtimes, 0, size);
            System.arraycopy(tasks, head, tasks, 0, size);
            java.util.Arrays.fill(tasks, size, head + size, null);
        }
        head = 0;
    }

    private long[] copy(long[] from, int n) {
        long[] to = new long[n];
        System.arraycopy(from, head, to, 0, size);
        return to;
    }
}
