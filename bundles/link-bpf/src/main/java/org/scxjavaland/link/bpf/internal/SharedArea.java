package org.scxjavaland.link.bpf.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.link.bpf.internal.BpfLayout.Exit;
import org.scxjavaland.link.bpf.internal.BpfLayout.Shared;

/**
 * The BPF side's {@code shared} variable (struct jl_shared in .bss), mapped into this process.
 * Plain fields are read with acquire and written with release semantics (they pair with the BPF
 * side's plain and atomic accesses on x86-64). Each field has one writer: nothing here is updated
 * by both sides.
 */
public final class SharedArea {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer bss;
    private final int base;

    /** @param bss the mapped .bss; {@code base} the offset of {@code shared} in it */
    SharedArea(ByteBuffer bss, int base) {
        this.bss = bss.order(ByteOrder.nativeOrder());
        this.base = base;
    }

    private long load(int offset) {
        return (long) LONGS.getAcquire(bss, base + offset);
    }

    private int loadInt(int offset) {
        return (int) INTS.getAcquire(bss, base + offset);
    }

    public void publishNrScheduled(long tasks) {
        LONGS.setRelease(bss, base + Shared.NR_SCHEDULED, tasks);
    }

    /** The connector's bound on tasks dispatched and not yet running (queue depth times CPUs); 0: none. */
    public void setQueueBudget(int tasks) {
        INTS.setVolatile(bss, base + Shared.QUEUE_BUDGET, tasks);
    }

    /** Tasks a user-space dispatch put on a dispatch queue that have not started running (the BPF side's count). */
    public long nrUserQueued() {
        return load(Shared.NR_USER_QUEUED);
    }

    public void setUserschedPid(int tid) {
        INTS.setVolatile(bss, base + Shared.USERSCHED_PID, tid);
    }

    public void setBypass(boolean on) {
        INTS.setVolatile(bss, base + Shared.BYPASS, on ? 1 : 0);
    }

    /**
     * Tells the BPF side that records were written to the dispatched ring since its last look (it
     * drains the ring only then). The scheduling thread is the only writer.
     */
    public void announceDispatches() {
        INTS.setRelease(bss, base + Shared.DISPATCH_GEN, (int) INTS.getOpaque(bss, base + Shared.DISPATCH_GEN) + 1);
    }

    /** Turns the BPF side's recording of every task's state changes on or off (the task_events ring). */
    public void setRecordEvents(boolean on) {
        INTS.setVolatile(bss, base + Shared.RECORD_EVENTS, on ? 1 : 0);
    }

    /** Task events the BPF side lost while recording because the task_events ring was full. */
    public long nrEventsDropped() {
        return load(Shared.NR_EVENTS_DROPPED);
    }

    /** Tells the BPF side that the scheduling thread is about to yield and may be parked. */
    public void announceYield() {
        INTS.setVolatile(bss, base + Shared.USERSCHED_YIELD, 1);
    }

    public long nrUserschedRuns() {
        return load(Shared.NR_USERSCHED_RUNS);
    }

    /** How often the BPF side found user space stalled (see BpfOptions#userStallMs). */
    public long nrUserStalls() {
        return load(Shared.NR_USER_STALLS);
    }

    /** True while the BPF side runs new tasks by itself because user space stalled. */
    public boolean userStalled() {
        return loadInt(Shared.USER_STALLED) != 0;
    }

    /** How often a wakeup preempted a CPU so that the scheduling thread would run at once. */
    public long nrPreemptKicks() {
        return load(Shared.NR_PREEMPT_KICKS);
    }

    /** Wake-ups the BPF side ran without user space (an idle CPU, or in place of a later task). */
    public long nrDirectWakeups() {
        return load(Shared.NR_DIRECT_WAKEUPS);
    }

    /** Of the direct wake-ups, those that preempted a running task. */
    public long nrWakeupPreempts() {
        return load(Shared.NR_WAKEUP_PREEMPTS);
    }

    /**
     * The counters as the BPF side keeps them, with {@code nrQueued} (the queued ring's) added.
     */
    public LinkCounters counters(long nrQueued) {
        return new LinkCounters(load(Shared.NR_RUNNING), load(Shared.NR_ONLINE_CPUS), nrQueued,
                load(Shared.NR_USER_DISPATCHES), load(Shared.NR_KERNEL_DISPATCHES), load(Shared.NR_CANCEL_DISPATCHES),
                load(Shared.NR_BOUNCE_DISPATCHES), load(Shared.NR_FAILED_DISPATCHES), load(Shared.NR_SCHED_CONGESTED));
    }

    /** enum scx_exit_kind of the exit, 0 while the scheduler runs. */
    public int exitKind() {
        return loadInt(Shared.EXIT + Exit.KIND);
    }

    public long exitCode() {
        return load(Shared.EXIT + Exit.EXIT_CODE);
    }

    public String exitReason() {
        return string(Shared.EXIT + Exit.REASON, Exit.REASON_LEN);
    }

    public String exitMessage() {
        return string(Shared.EXIT + Exit.MSG, Exit.MSG_LEN);
    }

    private String string(int offset, int max) {
        return cString(bss, base + offset, max);
    }

    /** The NUL-terminated string at {@code offset} (at most {@code max} bytes). */
    static String cString(ByteBuffer buffer, int offset, int max) {
        int len = 0;
        while (len < max && buffer.get(offset + len) != 0) {
            len++;
        }
        byte[] bytes = new byte[len];
        buffer.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
