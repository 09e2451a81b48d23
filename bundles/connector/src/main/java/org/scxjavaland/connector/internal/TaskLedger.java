package org.scxjavaland.connector.internal;

import java.util.Arrays;
import org.scxjavaland.api.QueuedTask;

/**
 * The connector's own record of every task given to the current holder (a policy or the built-in
 * FIFO) and not yet dispatched: pid to a copy of the task's newest record.
 *
 * <p>If a policy forgets tasks, throws, or disappears with its bundle, the ledger still knows what
 * it held, so nothing is lost. A newer record for a pid replaces the older one: the kernel side
 * cancels a dispatch that carries an older enqueue counter anyway.
 *
 * <p>An open-addressing table (linear probing, backward-shift deletion) of pooled {@link QueuedTask}
 * copies: it allocates only while growing, never per task once warm. Scheduling thread only.
 */
final class TaskLedger {

    /** {@link #checkOff}: the pid is held, but with a newer record (the handed-back one was superseded). */
    static final int SUPERSEDED = -2;
    /** {@link #checkOff}: the pid is not held, or this record was already checked off. */
    static final int UNKNOWN = -1;

    private static final int INITIAL_CAPACITY = 64;

    private int[] pids;
    private QueuedTask[] tasks;     // null marks a free slot
    private int[] checkMarks;       // == checkRound when checked off in the current check
    private long[] heldSince;       // the link's clock when the pid's first record still held came
    private int checkRound;
    private QueuedTask[] spares;    // copies no longer in use, kept for reuse
    private int spareCount;
    private int size;
    private int checkedCount;

    TaskLedger() {
        allocate(INITIAL_CAPACITY);
    }

    /** How many tasks are held. */
    int size() {
        return size;
    }

    /** Number of slots; iterate {@code 0..capacity()-1} and skip those where {@link #at} is null. */
    int capacity() {
        return tasks.length;
    }

    /** The task in {@code slot}, or null when the slot is free. */
    QueuedTask at(int slot) {
        return tasks[slot];
    }

    /** Records {@code task} (copied), replacing an older record of the same pid, held since time 0. */
    void record(QueuedTask task) {
        record(task, 0);
    }

    /**
     * Records {@code task} (copied), replacing an older record of the same pid; a pid not held yet
     * is held from {@code now} (the link's clock), a pid held already keeps its time.
     */
    void record(QueuedTask task, long now) {
        int pid = task.pid();
        int mask = tasks.length - 1;
        int i = home(pid, mask);
        while (tasks[i] != null) {
            if (pids[i] == pid) {
                tasks[i].copyFrom(task);
                return;
            }
            i = (i + 1) & mask;
        }
        if ((size + 1) * 2 > tasks.length) {
            grow();
            record(task, now);
            return;
        }
        QueuedTask copy = spareCount > 0 ? spares[--spareCount] : new QueuedTask();
        spares[spareCount] = null;
        tasks[i] = copy.copyFrom(task);
        pids[i] = pid;
        checkMarks[i] = 0;
        heldSince[i] = now;
        size++;
    }

    /** The link's clock when the task in {@code slot} became held (see {@link #record(QueuedTask, long)}). */
    long heldSince(int slot) {
        return heldSince[slot];
    }

    /** The slot of the task held longest, or -1 when none is held (a scan of every slot). */
    int oldest() {
        int oldest = -1;
        for (int i = 0; i < tasks.length; i++) {
            if (tasks[i] != null && (oldest < 0 || heldSince[i] - heldSince[oldest] < 0)) {
                oldest = i;
            }
        }
        return oldest;
    }

    /** The slot holding {@code pid}, or -1. */
    int find(int pid) {
        int mask = tasks.length - 1;
        int i = home(pid, mask);
        while (tasks[i] != null) {
            if (pids[i] == pid) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Forgets the task in {@code slot} (it was dispatched). */
    void removeAt(int slot) {
        spares[spareCount++] = tasks[slot];
        tasks[slot] = null;
        size--;
        // Backward-shift deletion: pull later entries of the probe chain into the hole.
        int mask = tasks.length - 1;
        int hole = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            if (tasks[j] == null) {
                return;
            }
            int k = home(pids[j], mask);
            boolean homeBetweenHoleAndJ = hole <= j ? hole < k && k <= j : hole < k || k <= j;
            if (homeBetweenHoleAndJ) {
                continue;
            }
            tasks[hole] = tasks[j];
            pids[hole] = pids[j];
            checkMarks[hole] = checkMarks[j];
            heldSince[hole] = heldSince[j];
            tasks[j] = null;
            hole = j;
        }
    }

    /** Forgets every task. */
    void clear() {
        for (int i = 0; i < tasks.length; i++) {
            if (tasks[i] != null) {
                spares[spareCount++] = tasks[i];
                tasks[i] = null;
            }
        }
        size = 0;
    }

    /** Starts checking off the tasks a policy hands back; every task starts unchecked. */
    void beginCheck() {
        checkRound++;
        if (checkRound == 0) {          // wrapped: old marks could collide
            Arrays.fill(checkMarks, 0);
            checkRound = 1;
        }
        checkedCount = 0;
    }

    /**
     * Checks off a handed-back task.
     *
     * @return the slot of the held record when {@code task} is it and was not checked off yet,
     *     {@link #SUPERSEDED} when a newer record of the pid is held, else {@link #UNKNOWN}
     */
    int checkOff(QueuedTask task) {
        int slot = find(task.pid());
        if (slot < 0) {
            return UNKNOWN;
        }
        long held = tasks[slot].enqCnt();
        if (task.enqCnt() < held) {
            return SUPERSEDED;
        }
        if (task.enqCnt() > held || checkMarks[slot] == checkRound) {
            return UNKNOWN;
        }
        checkMarks[slot] = checkRound;
        checkedCount++;
        return slot;
    }

    /** True if the task in {@code slot} was checked off since {@link #beginCheck}. */
    boolean checkedOff(int slot) {
        return checkMarks[slot] == checkRound;
    }

    /** How many tasks were checked off since {@link #beginCheck}. */
    int checkedCount() {
        return checkedCount;
    }

    private static int home(int pid, int mask) {
        int h = pid * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private void allocate(int capacity) {
        pids = new int[capacity];
        tasks = new QueuedTask[capacity];
        checkMarks = new int[capacity];
        heldSince = new long[capacity];
        spares = new QueuedTask[capacity];
        spareCount = 0;
        size = 0;
    }

    private void grow() {
        QueuedTask[] oldTasks = tasks;
        long[] oldSince = heldSince;
        QueuedTask[] oldSpares = spares;
        int oldSpareCount = spareCount;
        allocate(oldTasks.length * 2);
        for (int k = 0; k < oldTasks.length; k++) {
            if (oldTasks[k] != null) {
                insertOwned(oldTasks[k], oldSince[k]);
            }
        }
        System.arraycopy(oldSpares, 0, spares, 0, oldSpareCount);
        spareCount = oldSpareCount;
    }

    private void insertOwned(QueuedTask copy, long since) {
        int mask = tasks.length - 1;
        int i = home(copy.pid(), mask);
        while (tasks[i] != null) {
            i = (i + 1) & mask;
        }
        tasks[i] = copy;
        pids[i] = copy.pid();
        heldSince[i] = since;
        size++;
    }
}
