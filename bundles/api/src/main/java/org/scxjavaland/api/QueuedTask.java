package org.scxjavaland.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A task that became runnable, as the kernel side reported it (the 88-byte {@code queued} record).
 *
 * <p>Instances are mutable and reused: the connector hands a policy the same object again and
 * again, so a policy that keeps a task past the call copies it ({@link #copyFrom}) into an
 * object of its own. Nothing here allocates, so the scheduling path stays garbage-free.
 */
public final class QueuedTask {
    /** Length of the comm field, in bytes, including the terminating NUL when shorter. */
    public static final int COMM_LEN = 16;

    /** Default weight of a task of nice 0; weights range over 1..10000. */
    public static final long DEFAULT_WEIGHT = 100;
    /**
     * {@link #flags()} bit of a task that became runnable by waking up (the kernel's
     * SCX_ENQ_WAKEUP); without it the task was preempted or used up its slice.
     *
     * @since 1.4
     */
    public static final long ENQ_WAKEUP = 1L;

    private int pid;
    private int cpu;
    private long nrCpusAllowed;
    private long flags;
    private long startTs;
    private long stopTs;
    private long execRuntime;
    private long weight = DEFAULT_WEIGHT;
    private long vtime;
    private long enqCnt;
    /** The command name's 16 bytes as two words, byte i at bits 8 * (i % 8) of word i / 8. */
    private long commFirst;
    private long commSecond;

    /** Thread id of the task. */
    public int pid() { return pid; }
    /** CPU the task last ran on (or was woken on). */
    public int cpu() { return cpu; }
    /** How many CPUs the task's affinity mask allows; 1 means the task is pinned. */
    public long nrCpusAllowed() { return nrCpusAllowed; }
    /** Enqueue flags passed by the kernel (SCX_ENQ_*). */
    public long flags() { return flags; }
    /**
     * {@link #stopTs()} minus the CPU time the task used since the policy last saw it (its last
     * record), in ns of the machine's clock: {@code stopTs - startTs} is what to charge. Usually
     * one run; several when the task ran without the policy meanwhile (an idle CPU took it at
     * wake-up, or {@link DispatchedTask#FLAG_WAKE_DIRECT}).
     */
    public long startTs() { return startTs; }
    /** When the task last stopped running, in ns of the machine's clock. */
    public long stopTs() { return stopTs; }
    /** CPU time used since the task last slept, in ns. */
    public long execRuntime() { return execRuntime; }
    /** Scheduling weight, 1..10000, 100 for nice 0. */
    public long weight() { return weight; }
    /** The task's virtual time as the kernel side keeps it; 0 for a task never scheduled. */
    public long vtime() { return vtime; }
    /** Enqueue counter; a dispatch carrying an older one is cancelled by the kernel side. */
    public long enqCnt() { return enqCnt; }

    /** The task's command name (allocates a String: not for the scheduling path). */
    public String comm() {
        byte[] bytes = new byte[COMM_LEN];
        int len = 0;
        while (len < COMM_LEN && (bytes[len] = commByte(len)) != 0) {
            len++;
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    /** Byte {@code i} of the raw, NUL-padded command name. */
    public byte commByte(int i) {
        Objects.checkIndex(i, COMM_LEN);
        return (byte) (commWord(i >>> 3) >>> ((i & 7) * 8));
    }

    /**
     * Bytes {@code 8 * index} to {@code 8 * index + 7} of the raw command name, byte {@code 8 * index + k}
     * at bits {@code 8k} (little-endian whatever the machine): what a record codec copies in one step.
     *
     * @param index 0 or 1
     * @since 1.5
     */
    public long commWord(int index) {
        Objects.checkIndex(index, 2);
        return index == 0 ? commFirst : commSecond;
    }

    public QueuedTask pid(int pid) { this.pid = pid; return this; }
    public QueuedTask cpu(int cpu) { this.cpu = cpu; return this; }
    public QueuedTask nrCpusAllowed(long n) { this.nrCpusAllowed = n; return this; }
    public QueuedTask flags(long flags) { this.flags = flags; return this; }
    public QueuedTask startTs(long ts) { this.startTs = ts; return this; }
    public QueuedTask stopTs(long ts) { this.stopTs = ts; return this; }
    public QueuedTask execRuntime(long ns) { this.execRuntime = ns; return this; }
    public QueuedTask weight(long weight) { this.weight = weight; return this; }
    public QueuedTask vtime(long vtime) { this.vtime = vtime; return this; }
    public QueuedTask enqCnt(long enqCnt) { this.enqCnt = enqCnt; return this; }
    public QueuedTask commByte(int i, byte b) {
        Objects.checkIndex(i, COMM_LEN);
        int shift = (i & 7) * 8;
        long word = (commWord(i >>> 3) & ~(0xFFL << shift)) | ((b & 0xFFL) << shift);
        return i < 8 ? commWords(word, commSecond) : commWords(commFirst, word);
    }

    /**
     * Sets the whole raw command name from two words laid out as {@link #commWord(int)} returns them.
     *
     * @since 1.5
     */
    public QueuedTask commWords(long first, long second) {
        commFirst = first;
        commSecond = second;
        return this;
    }

    /** Sets the command name, truncated to 15 bytes and NUL-padded (allocates: not for the hot path). */
    public QueuedTask comm(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(bytes.length, COMM_LEN - 1);
        commWords(0, 0);
        for (int i = 0; i < len; i++) {
            commByte(i, bytes[i]);
        }
        return this;
    }

    /** Copies every field of {@code other} into this object, without allocating. */
    public QueuedTask copyFrom(QueuedTask other) {
        pid = other.pid;
        cpu = other.cpu;
        nrCpusAllowed = other.nrCpusAllowed;
        flags = other.flags;
        startTs = other.startTs;
        stopTs = other.stopTs;
        execRuntime = other.execRuntime;
        weight = other.weight;
        vtime = other.vtime;
        enqCnt = other.enqCnt;
        commFirst = other.commFirst;
        commSecond = other.commSecond;
        return this;
    }

    @Override
    public String toString() {
        return "QueuedTask[pid=" + pid + ", comm=" + comm() + ", cpu=" + cpu + ", nrCpusAllowed=" + nrCpusAllowed
                + ", flags=" + flags + ", startTs=" + startTs + ", stopTs=" + stopTs + ", execRuntime=" + execRuntime
                + ", weight=" + weight + ", vtime=" + vtime + ", enqCnt=" + enqCnt + "]";
    }
}
