package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Pointer;
import org.scxjavaland.link.bpf.BpfOptions;
import org.scxjavaland.link.bpf.internal.BpfLayout.Config;

/**
 * The user's options written into the opened BPF object before it loads: the read-only variable
 * {@code cfg}, which the BPF side reads, and the fields of the struct_ops map that the kernel
 * reads (flags, exit dump length, watchdog timeout, hotplug sequence), at the offsets the BPF side
 * left in {@code cfg} for user space.
 */
final class ObjectOptions {

    /** The flag the BPF object's own initializer sets, kept when user space adds its own. */
    static final long SCX_OPS_ENQ_LAST = 1L << 1;
    static final long SCX_OPS_SWITCH_PARTIAL = 1L << 3;
    static final long SCX_OPS_BUILTIN_IDLE_PER_NODE = 1L << 6;

    private ObjectOptions() {
    }

    /** Writes {@code options} and the host's process id into {@code cfg}. */
    static void writeConfig(BpfOptions options, Pointer cfg, int hostTgid) {
        cfg.setLong(Config.SLICE_NS, options.sliceUsMin() * 1000L);
        cfg.setInt(Config.HOST_TGID, hostTgid);
        cfg.setInt(Config.EXIT_DUMP_LEN, options.effectiveExitDumpLen());
        cfg.setByte(Config.BUILTIN_IDLE, (byte) (options.builtinIdle() ? 1 : 0));
        cfg.setByte(Config.NUMA_LOCAL, (byte) (options.numaLocal() ? 1 : 0));
        cfg.setByte(Config.PARTIAL, (byte) (options.partial() ? 1 : 0));
        cfg.setByte(Config.DEBUG, (byte) (options.verbose() ? 1 : 0));
        cfg.setInt(Config.USER_STALL_MS, options.userStallMs());
    }

    /**
     * Writes {@code options} into the struct_ops data {@code ops}, at the offsets in {@code cfg}.
     *
     * @param hotplugSeq sched_ext's hotplug sequence as the kernel shows it, empty when unknown
     */
    static void writeOps(BpfOptions options, Pointer ops, Pointer cfg, String hotplugSeq) {
        int flagsOff = cfg.getInt(Config.OPS_FLAGS_OFF);
        long flags = ops.getLong(flagsOff);
        if (options.partial()) {
            flags |= SCX_OPS_SWITCH_PARTIAL;
        }
        if (options.numaLocal()) {
            flags |= SCX_OPS_BUILTIN_IDLE_PER_NODE;
        }
        ops.setLong(flagsOff, flags);
        ops.setInt(cfg.getInt(Config.OPS_EXIT_DUMP_LEN_OFF), options.exitDumpLen());
        ops.setInt(cfg.getInt(Config.OPS_TIMEOUT_MS_OFF), options.timeoutMs());
        if (!hotplugSeq.isEmpty()) {
            // A hotplug between this read and the attach makes the kernel refuse us with a restart request.
            ops.setLong(cfg.getInt(Config.OPS_HOTPLUG_SEQ_OFF), Long.parseUnsignedLong(hotplugSeq));
        }
    }
}
