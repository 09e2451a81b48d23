package org.scxjavaland.policy.deadline;

import java.util.Arrays;

/**
 * The held tasks in dispatch order (deadline, then enqueue time, then pid): a 4-ary min-heap of
 * deadlines over a table of pooled {@link TaskEntry}s.
 *
 * <p>The heap is two primitive arrays, a deadline and the index of the task's entry in the table
 * for each position: ordering the tasks reads a few contiguous cache lines, and moving a task up or
 * down the heap writes two numbers. The enqueue time and pid, which only break ties between equal
 * deadlines, stay in arrays indexed by entry. Deadlines and times are stored with their top bit
 * flipped, which makes the kernel's unsigned order a signed one ({@code a <u b} exactly when
 * {@code (a ^ MIN) < (b ^ MIN)}). Four children per node halve the depth of a binary heap; a
 * pop moves the hole at the root down to a leaf and lets the last task rise from there (the last
 * task is one of the latest, so it rarely rises far).
 *
 * <p>Nothing here allocates once the queue has grown to the largest number of tasks held so far
 * (its arrays double only when full).
 */
final class DeadlineQueue {
    private static final int INITIAL_CAPACITY = 64;
    private static final int ARITY = 4;
    /** The deadline of every heap position past the end: later than (or as late as) any task's. */
    private static final long NO_TASK = Long.MAX_VALUE;

    // The heap, by position: the task's deadline (top bit flipped) and its entry's index.
    private long[] deadlines = noTasks(new long[INITIAL_CAPACITY], 0);
    private int[] heap = new int[INITIAL_CAPACITY];
    private int size;

    // The table, by entry index: the entries, with their tie-breaking keys (time top bit flipped).
    private TaskEntry[] table = new TaskEntry[INITIAL_CAPACITY];
    private long[] stamps = new long[INITIAL_CAPACITY];
    private int[] pids = new int[INITIAL_CAPACITY];
    /** Indexes of the table's free entries: {@code free[0..freeCount)}. */
    private int[] free = new int[INITIAL_CAPACITY];
    private int freeCount;
    private int tableSize;

    /** How {@link #firstOfFour} chooses without branches: conditional moves, or arithmetic. */
    private final boolean conditionalMoves;

    /** A queue that chooses the faster way for the Java it runs on. */
    DeadlineQueue() {
        this(Runtime.version().feature() >= 25);
    }

    /** A queue that chooses among children with conditional moves or with arithmetic (tests try both). */
    DeadlineQueue(boolean conditionalMoves) {
        this.conditionalMoves = conditionalMoves;
    }

    int size() {
        return size;
    }

    /** A free entry to fill and {@link #insert}. */
    TaskEntry obtain() {
        if (freeCount == 0) {
            if (tableSize + ARITY >= table.length) {
                grow();
            }
            int index = tableSize++;
            table[index] = new TaskEntry(index);
            return table[index];
        }
        return table[free[--freeCount]];
    }

    /** Returns an entry that left the queue to the pool. */
    void recycle(TaskEntry entry) {
        free[freeCount++] = entry.index;
    }

    /** Adds an entry obtained from this queue, ordered by its deadline, then its timestamp, then its task's pid. */
    void insert(TaskEntry entry) {
        int index = entry.index;
        stamps[index] = entry.timestamp ^ Long.MIN_VALUE;
        pids[index] = entry.task.pid();
        siftUp(size++, entry.deadline ^ Long.MIN_VALUE, index);
    }

    /** Removes and returns the entry that runs first, or null when the queue is empty. */
    TaskEntry pollFirst() {
        if (size == 0) {
            return null;
        }
        TaskEntry first = table[heap[0]];
        int last = --size;
        long deadline = deadlines[last];
        int index = heap[last];
        deadlines[last] = NO_TASK;
        if (last > 0) {
            int hole = 0;
            for (int child = firstChild(hole); child < size; child = firstChild(hole)) {
                int best = firstOfFour(child);
                deadlines[hole] = deadlines[best];
                heap[hole] = heap[best];
                hole = best;
            }
            siftUp(hole, deadline, index);
        }
        return first;
    }

    /** Puts a task at {@code slot}, a free position, or above it where it belongs. */
    private void siftUp(int slot, long deadline, int index) {
        while (slot > 0) {
            int parent = (slot - 1) / ARITY;
            if (!runsBefore(deadline, index, deadlines[parent], heap[parent])) {
                break;
            }
            deadlines[slot] = deadlines[parent];
            heap[slot] = heap[parent];
            slot = parent;
        }
        deadlines[slot] = deadline;
        heap[slot] = index;
    }

    /**
     * The position among {@code child..child + 3} whose task runs first. Positions past the end hold
     * {@link #NO_TASK} deadlines, so that the common case (four distinct deadlines) is three
     * comparisons without a branch: their outcome is a coin toss, which a branch would mispredict
     * half of the time.
     */
    private int firstOfFour(int child) {
        long d0 = deadlines[child];
        long d1 = deadlines[child + 1];
        long d2 = deadlines[child + 2];
        long d3 = deadlines[child + 3];
        if (d0 == d1 || d2 == d3) {
            return firstOfFourWithTies(child);
        }
        if (conditionalMoves) {
            // The JIT makes conditional moves of these from Java 25 (measured; Java 17 makes branches).
            long low01 = Math.min(d0, d1);
            long low23 = Math.min(d2, d3);
            if (low01 == low23) {
                return firstOfFourWithTies(child);
            }
            int best01 = d1 < d0 ? child + 1 : child;
            int best23 = d3 < d2 ? child + 3 : child + 2;
            return low23 < low01 ? best23 : best01;
        }
        // The same by arithmetic: Java 17's JIT turns Math.min of longs and ?: on them into branches.
        long pick1 = -lessThan(d1, d0);
        long pick3 = -lessThan(d3, d2);
        long low01 = d0 ^ ((d0 ^ d1) & pick1);
        long low23 = d2 ^ ((d2 ^ d3) & pick3);
        if (low01 == low23) {
            return firstOfFourWithTies(child);
        }
        int best01 = child + (int) (pick1 & 1);
        int best23 = child + 2 + (int) (pick3 & 1);
        int pick23 = (int) -lessThan(low23, low01);
        return best01 ^ ((best01 ^ best23) & pick23);
    }

    /** 1 when {@code a < b} (signed), else 0, by arithmetic alone (the sign of a - b, corrected for overflow). */
    private static long lessThan(long a, long b) {
        long difference = a - b;
        return (difference ^ ((a ^ b) & (difference ^ a))) >>> 63;
    }

    private int firstOfFourWithTies(int child) {
        int best = child;
        int end = Math.min(child + ARITY, size);
        for (int other = child + 1; other < end; other++) {
            if (runsBefore(deadlines[other], heap[other], deadlines[best], heap[best])) {
                best = other;
            }
        }
        return best;
    }

    /** The seed's order: deadline, then enqueue time, then pid (deadline and time flipped). */
    private boolean runsBefore(long deadline, int index, long otherDeadline, int otherIndex) {
        if (deadline != otherDeadline) {
            return deadline < otherDeadline;
        }
        long stamp = stamps[index];
        long otherStamp = stamps[otherIndex];
        if (stamp != otherStamp) {
            return stamp < otherStamp;
        }
        return pids[index] < pids[otherIndex];
    }

    private static int firstChild(int position) {
        return position * ARITY + 1;
    }

    /** Doubles the table and the heap together: the heap never holds more tasks than the table has entries. */
    private void grow() {
        int capacity = table.length * 2;
        deadlines = noTasks(Arrays.copyOf(deadlines, capacity), table.length);
        heap = Arrays.copyOf(heap, capacity);
        table = Arrays.copyOf(table, capacity);
        stamps = Arrays.copyOf(stamps, capacity);
        pids = Arrays.copyOf(pids, capacity);
        free = Arrays.copyOf(free, capacity);
    }

    private static long[] noTasks(long[] array, int from) {
        Arrays.fill(array, from, array.length, NO_TASK);
        return array;
    }
}
