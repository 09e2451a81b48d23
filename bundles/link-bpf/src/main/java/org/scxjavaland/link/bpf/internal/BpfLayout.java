package org.scxjavaland.link.bpf.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxjavaland.link.bpf.ring.DispatchedRecord;
import org.scxjavaland.link.bpf.ring.QueuedRecord;
import org.scxjavaland.link.bpf.ring.TaskEventRecord;

/**
 * The Java mirror of bpf/intf.h: byte offsets of the structs user space reads and writes.
 * {@link #mismatches} compares them with the compiled object's BTF; the link refuses an object
 * that does not match, and the layout test runs the same check at build time.
 */
final class BpfLayout {
    /** struct jl_shared: the .bss variable {@code shared}. */
    static final class Shared {
        static final int NR_SCHEDULED = 0;
        static final int USERSCHED_PID = 8;
        static final int BYPASS = 12;
        static final int USERSCHED_YIELD = 16;
        static final int DISPATCH_GEN = 20;
        static final int QUEUE_BUDGET = 24;
        static final int RECORD_EVENTS = 28;
        static final int NR_USER_QUEUED = 32;
        static final int NR_RUNNING = 64;
        static final int NR_ONLINE_CPUS = 72;
        static final int NR_USER_DISPATCHES = 80;
        static final int NR_KERNEL_DISPATCHES = 88;
        static final int NR_CANCEL_DISPATCHES = 96;
        static final int NR_BOUNCE_DISPATCHES = 104;
        static final int NR_FAILED_DISPATCHES = 112;
        static final int NR_SCHED_CONGESTED = 120;
        static final int USERSCHED_LAST_RUN_AT = 128;
        static final int NR_USERSCHED_RUNS = 136;
        static final int USERSCHED_PARKED = 144;
        static final int USERSCHED_NEEDED = 148;
        static final int USERSCHED_CPU = 152;
        static final int USER_STALLED = 156;
        static final int NR_USER_STALLS = 160;
        static final int NR_PREEMPT_KICKS = 168;
        static final int NR_OVERDUE_PICKS = 176;
        static final int NR_STOLEN_PICKS = 184;
        static final int NR_STALL_RESCUES = 192;
        static final int NR_DIRECT_WAKEUPS = 200;
        static final int NR_WAKEUP_PREEMPTS = 208;
        static final int NR_YIELD_REQUEUES = 216;
        static final int NR_EVENTS_DROPPED = 224;
        static final int EXIT = 232;
        static final int SIZE = 1400;

        private Shared() {
        }
    }

    /** struct jl_exit_info, at {@link Shared#EXIT}. */
    static final class Exit {
        static final int KIND = 0;
        static final int EXIT_CODE = 8;
        static final int REASON = 16;
        static final int REASON_LEN = 128;
        static final int MSG = 144;
        static final int MSG_LEN = 1024;

        private Exit() {
        }
    }

    /** struct jl_config: the .rodata variable {@code cfg}, set before load. */
    static final class Config {
        static final int SLICE_NS = 0;
        static final int HOST_TGID = 8;
        static final int EXIT_DUMP_LEN = 12;
        static final int BUILTIN_IDLE = 16;
        static final int NUMA_LOCAL = 17;
        static final int PARTIAL = 18;
        static final int DEBUG = 19;
        static final int USER_STALL_MS = 20;
        static final int OPS_FLAGS_OFF = 24;
        static final int OPS_EXIT_DUMP_LEN_OFF = 28;
        static final int OPS_HOTPLUG_SEQ_OFF = 32;
        static final int OPS_TIMEOUT_MS_OFF = 36;
        static final int OPS_NAME_OFF = 40;
        static final int SIZE = 48;

        private Config() {
        }
    }

    /** struct jl_pick_cpu_args: ctx_in of the jl_pick_idle_cpu syscall program. */
    static final class PickCpuArgs {
        static final int PID = 0;
        static final int PREV_CPU = 4;
        static final int FLAGS = 8;
        static final int SIZE = 16;

        private PickCpuArgs() {
        }
    }

    private BpfLayout() {
    }

    /** Every offset above, and the record layouts of bundles/link, by C struct and member. */
    static Map<String, Map<String, Integer>> expected() {
        Map<String, Map<String, Integer>> all = new LinkedHashMap<>();
        all.put("jl_shared", Map.ofEntries(
                Map.entry("nr_scheduled", Shared.NR_SCHEDULED),
                Map.entry("usersched_pid", Shared.USERSCHED_PID),
                Map.entry("bypass", Shared.BYPASS),
                Map.entry("usersched_yield", Shared.USERSCHED_YIELD),
                Map.entry("dispatch_gen", Shared.DISPATCH_GEN),
                Map.entry("queue_budget", Shared.QUEUE_BUDGET),
                Map.entry("record_events", Shared.RECORD_EVENTS),
                Map.entry("nr_user_queued", Shared.NR_USER_QUEUED),
                Map.entry("nr_running", Shared.NR_RUNNING),
                Map.entry("nr_online_cpus", Shared.NR_ONLINE_CPUS),
                Map.entry("nr_user_dispatches", Shared.NR_USER_DISPATCHES),
                Map.entry("nr_kernel_dispatches", Shared.NR_KERNEL_DISPATCHES),
                Map.entry("nr_cancel_dispatches", Shared.NR_CANCEL_DISPATCHES),
                Map.entry("nr_bounce_dispatches", Shared.NR_BOUNCE_DISPATCHES),
                Map.entry("nr_failed_dispatches", Shared.NR_FAILED_DISPATCHES),
                Map.entry("nr_sched_congested", Shared.NR_SCHED_CONGESTED),
                Map.entry("usersched_last_run_at", Shared.USERSCHED_LAST_RUN_AT),
                Map.entry("nr_usersched_runs", Shared.NR_USERSCHED_RUNS),
                Map.entry("usersched_parked", Shared.USERSCHED_PARKED),
                Map.entry("usersched_needed", Shared.USERSCHED_NEEDED),
                Map.entry("usersched_cpu", Shared.USERSCHED_CPU),
                Map.entry("user_stalled", Shared.USER_STALLED),
                Map.entry("nr_user_stalls", Shared.NR_USER_STALLS),
                Map.entry("nr_preempt_kicks", Shared.NR_PREEMPT_KICKS),
                Map.entry("nr_overdue_picks", Shared.NR_OVERDUE_PICKS),
                Map.entry("nr_stolen_picks", Shared.NR_STOLEN_PICKS),
                Map.entry("nr_stall_rescues", Shared.NR_STALL_RESCUES),
                Map.entry("nr_direct_wakeups", Shared.NR_DIRECT_WAKEUPS),
                Map.entry("nr_wakeup_preempts", Shared.NR_WAKEUP_PREEMPTS),
                Map.entry("nr_yield_requeues", Shared.NR_YIELD_REQUEUES),
                Map.entry("nr_events_dropped", Shared.NR_EVENTS_DROPPED),
                Map.entry("exit", Shared.EXIT)));
        all.put("jl_exit_info", Map.of(
                "kind", Exit.KIND, "exit_code", Exit.EXIT_CODE, "reason", Exit.REASON, "msg", Exit.MSG));
        all.put("jl_config", Map.ofEntries(
                Map.entry("slice_ns", Config.SLICE_NS),
                Map.entry("host_tgid", Config.HOST_TGID),
                Map.entry("exit_dump_len", Config.EXIT_DUMP_LEN),
                Map.entry("builtin_idle", Config.BUILTIN_IDLE),
                Map.entry("numa_local", Config.NUMA_LOCAL),
                Map.entry("partial", Config.PARTIAL),
                Map.entry("debug", Config.DEBUG),
                Map.entry("user_stall_ms", Config.USER_STALL_MS),
                Map.entry("ops_flags_off", Config.OPS_FLAGS_OFF),
                Map.entry("ops_exit_dump_len_off", Config.OPS_EXIT_DUMP_LEN_OFF),
                Map.entry("ops_hotplug_seq_off", Config.OPS_HOTPLUG_SEQ_OFF),
                Map.entry("ops_timeout_ms_off", Config.OPS_TIMEOUT_MS_OFF),
                Map.entry("ops_name_off", Config.OPS_NAME_OFF)));
        all.put("jl_pick_cpu_args", Map.of(
                "pid", PickCpuArgs.PID, "prev_cpu", PickCpuArgs.PREV_CPU, "flags", PickCpuArgs.FLAGS));
        // The ring records, as bundles/link's codecs read and write them (DESIGN.md's protocol).
        all.put("jl_queued_task", QueuedRecord.offsets());
        all.put("jl_dispatched_task", DispatchedRecord.offsets());
        all.put("jl_task_event", TaskEventRecord.offsets());
        return all;
    }

    /** Struct sizes the Java side relies on. */
    static Map<String, Integer> expectedSizes() {
        return Map.of("jl_shared", Shared.SIZE, "jl_config", Config.SIZE, "jl_pick_cpu_args", PickCpuArgs.SIZE,
                "jl_queued_task", QueuedRecord.SIZE, "jl_dispatched_task", DispatchedRecord.SIZE,
                "jl_task_event", TaskEventRecord.SIZE);
    }

    /** What differs between this class and the object's BTF, one line each; empty when they agree. */
    static List<String> mismatches(Btf btf) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Integer>> struct : expected().entrySet()) {
            Map<String, Integer> actual = btf.memberOffsets(struct.getKey());
            if (actual.isEmpty()) {
                out.add("struct " + struct.getKey() + " is missing");
                continue;
            }
            for (Map.Entry<String, Integer> member : struct.getValue().entrySet()) {
                Integer offset = actual.get(member.getKey());
                if (!member.getValue().equals(offset)) {
                    out.add(struct.getKey() + "." + member.getKey() + " is at " + offset + ", expected " + member.getValue());
                }
            }
        }
        for (Map.Entry<String, Integer> size : expectedSizes().entrySet()) {
            int actual = btf.structSize(size.getKey());
            if (actual != size.getValue()) {
                out.add("struct " + size.getKey() + " takes " + actual + " bytes, expected " + size.getValue());
            }
        }
        return out;
    }
}
