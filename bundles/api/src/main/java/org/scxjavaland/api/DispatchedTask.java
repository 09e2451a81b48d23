package org.scxjavaland.api;

/**
 * A policy's decision for one task (the 40-byte {@code dispatched} record): where it runs, for
 * how long, and with which virtual time the kernel side orders it.
 *
 * <p>Mutable and reusable: a policy keeps one instance and fills it again for every dispatch.
 */
public final class DispatchedTask {
    /** CPU value meaning "any CPU": the kernel side puts the task on the shared queue. */
    public static final int CPU_ANY = 1 << 20;

    /**
     * CPU value meaning "an idle CPU, else any": the kernel side picks an idle CPU the task may
     * use (its previous one first) as it carries the dispatch out, and puts it on the shared
     * queue when none is idle. The same as asking {@link PolicyContext#selectCpu} first, without
     * its cost (on a real kernel, a system call per task), and with a fresher view of which CPUs
     * are idle.
     *
     * @since 1.1
     */
    public static final int CPU_IDLE = CPU_ANY | 1;

    /**
     * Flag: the task's next wake-ups need not wait for the policy, until the task has used the
     * slice of this dispatch ({@link #sliceNs()}, or the kernel side's default). Until then the
     * kernel side runs the waking task at once on an idle CPU, or in place of a running task whose
     * vtime is later than this dispatch's by more than that slice (preempting it); otherwise the
     * wake-up comes to the policy as usual. The CPU time the task uses meanwhile is in its next
     * {@link QueuedTask} ({@code stopTs - startTs} covers every run since the policy last saw it).
     *
     * <p>A wake-up that waits for the policy costs a round trip through user space: on a real
     * kernel the scheduling thread must get a CPU, decide, and give it back before the task can
     * run. This flag spares it to the tasks the policy would put first anyway when they wake, such
     * as those that sleep often; the slice bounds how long the policy goes without seeing them.
     *
     * @since 1.4
     */
    public static final long FLAG_WAKE_DIRECT = 1L << 48;

    private int pid;
    private int cpu;
    private long flags;
    private long sliceNs;
    private long vtime;
    private long enqCnt;

    /**
     * Starts a dispatch of {@code task}: copies its pid, cpu, flags and enqueue counter (echoed to
     * the kernel side unchanged) and clears the slice and vtime.
     */
    public DispatchedTask prepare(QueuedTask task) {
        pid = task.pid();
        cpu = task.cpu();
        flags = task.flags();
        enqCnt = task.enqCnt();
        sliceNs = 0;
        vtime = 0;
        return this;
    }

    public int pid() { return pid; }
    /** Target CPU, or {@link #CPU_ANY}, or {@link #CPU_IDLE}. */
    public int cpu() { return cpu; }
    public long flags() { return flags; }
    /** Time slice in ns; 0 lets the kernel side use its default slice. */
    public long sliceNs() { return sliceNs; }
    /** Virtual time (deadline) used to order the task on its dispatch queue. */
    public long vtime() { return vtime; }
    public long enqCnt() { return enqCnt; }

    public DispatchedTask pid(int pid) { this.pid = pid; return this; }
    public DispatchedTask cpu(int cpu) { this.cpu = cpu; return this; }
    public DispatchedTask flags(long flags) { this.flags = flags; return this; }

    /**
     * Sets or clears {@link #FLAG_WAKE_DIRECT}.
     *
     * @since 1.4
     */
    public DispatchedTask wakeDirect(boolean allowed) {
        flags = allowed ? flags | FLAG_WAKE_DIRECT : flags & ~FLAG_WAKE_DIRECT;
        return this;
    }
    public DispatchedTask sliceNs(long sliceNs) { this.sliceNs = sliceNs; return this; }
    public DispatchedTask vtime(long vtime) { this.vtime = vtime; return this; }
    public DispatchedTask enqCnt(long enqCnt) { this.enqCnt = enqCnt; return this; }

    /** Copies every field of {@code other} into this object. */
    public DispatchedTask copyFrom(DispatchedTask other) {
        pid = other.pid;
        cpu = other.cpu;
        flags = other.flags;
        sliceNs = other.sliceNs;
        vtime = other.vtime;
        enqCnt = other.enqCnt;
        return this;
    }

    @Override
    public String toString() {
        return "DispatchedTask[pid=" + pid + ", cpu=" + (cpu == CPU_ANY ? "ANY" : cpu == CPU_IDLE ? "IDLE" : Integer.toString(cpu))
                + ", flags=" + flags + ", sliceNs=" + sliceNs + ", vtime=" + vtime + ", enqCnt=" + enqCnt + "]";
    }
}
