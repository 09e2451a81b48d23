/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scx_javaland: what the BPF side and user space (Java, in bundles/link-bpf) share.
 *
 * Every layout here is mirrored by hand in Java; BpfLayoutTest in link-bpf checks the Java
 * offsets against the BTF of the compiled object, so a change here that is not made there too
 * fails the build. All fields are native-endian and naturally aligned (x86-64, LP64).
 */
#ifndef __JAVALAND_INTF_H
#define __JAVALAND_INTF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum jl_consts {
	JL_COMM_LEN = 16,
	/* Dispatched record's cpu meaning "any CPU": the task goes to the shared queue. */
	JL_CPU_ANY = 1 << 20,
	/*
	 * Dispatched record's cpu meaning "an idle CPU, else any": the BPF side picks the idle CPU
	 * as it carries the dispatch out, which saves user space a system call per task.
	 */
	JL_CPU_IDLE = (1 << 20) | 1,
	/*
	 * Dispatch queues: one per CPU (id = cpu), the shared one, the scheduling thread's own, and
	 * the host process's other threads'.
	 */
	JL_MAX_CPUS = 1 << 20,
	JL_SHARED_DSQ = JL_MAX_CPUS,
	JL_SCHED_DSQ = JL_MAX_CPUS + 1,
	JL_HOST_DSQ = JL_MAX_CPUS + 2,
	JL_EXIT_REASON_LEN = 128,
	JL_EXIT_MSG_LEN = 1024,
	/* The kernel's default exit dump length (used when the option is 0). */
	JL_EXIT_DUMP_DFL_LEN = 32768,
};

/*
 * Flags of a dispatched record that are the BPF side's, not the kernel's (SCX_ENQ_* leaves these
 * bits unused; they are never passed on to the kernel).
 *
 * JL_DISPATCH_WAKE_DIRECT: the policy lets the task's next wake-ups skip user space until the task
 * has used the slice of this dispatch: a waking task then runs at once on an idle CPU, or in place
 * of a running task of the users whose vtime is later than its own by more than that slice. The
 * CPU time it uses meanwhile comes back in its next queued record (see start_ts).
 */
#define JL_DISPATCH_WAKE_DIRECT	(1ULL << 48)

/* A task that became runnable, queued to user space (`queued` RINGBUF): 88 bytes. */
struct jl_queued_task {
	__s32 pid;
	__s32 cpu;		/* CPU it last ran on */
	__u64 nr_cpus_allowed;
	__u64 flags;		/* SCX_ENQ_* of the enqueue */
	__u64 start_ts;		/* stop_ts minus the CPU time it used since its last record (ns) */
	__u64 stop_ts;		/* last time it stopped running (ns) */
	__u64 exec_runtime;	/* CPU time since it last slept (ns) */
	__u64 weight;		/* 1..10000, 100 for nice 0 */
	__u64 vtime;		/* 0 for a task user space has never dispatched */
	__u64 enq_cnt;		/* bumped on each queueing; echoed back by the dispatch */
	char comm[JL_COMM_LEN];
};

/* User space's decision for one task (`dispatched` USER_RINGBUF): 40 bytes. */
struct jl_dispatched_task {
	__s32 pid;
	__s32 cpu;		/* target CPU or JL_CPU_ANY */
	__u64 flags;
	__u64 slice_ns;		/* 0: the default slice */
	__u64 vtime;		/* orders the task on its dispatch queue */
	__u64 enq_cnt;		/* from the queued record: an older one cancels the dispatch */
};

/* What happened to a task, in a struct jl_task_event. */
enum jl_task_event_kind {
	JL_EVENT_WAKE = 1,	/* ops.runnable with SCX_ENQ_WAKEUP */
	JL_EVENT_RUNNABLE = 2,	/* ops.runnable without it: a new task, or a property change */
	JL_EVENT_RUNNING = 3,	/* ops.running */
	JL_EVENT_PREEMPTED = 4,	/* ops.stopping, still runnable */
	JL_EVENT_SLEEP = 5,	/* ops.stopping, no longer runnable */
};

/*
 * One state change of any task, written while user space records (shared.record_events) to the
 * `task_events` RINGBUF, which a recorder thread reads (not the scheduling thread): 56 bytes.
 */
struct jl_task_event {
	__u64 ts;		/* scx_bpf_now(), as the queued records' times */
	__s32 pid;
	__s32 tgid;
	__s32 cpu;
	__u32 kind;		/* enum jl_task_event_kind */
	__u64 weight;
	__u32 nr_cpus_allowed;
	__u32 pad;
	char comm[JL_COMM_LEN];
};

/* ctx_in of the jl_pick_idle_cpu syscall program. */
struct jl_pick_cpu_args {
	__s32 pid;
	__s32 prev_cpu;
	__u64 flags;
};

/* Why the scheduler stopped, copied from the kernel's exit info by ops.exit. */
struct jl_exit_info {
	__s32 kind;		/* enum scx_exit_kind; 0 while attached. Written last. */
	__u32 pad;
	__s64 exit_code;	/* SCX_ECODE_ACT_RESTART set: user space should start again */
	char reason[JL_EXIT_REASON_LEN];
	char msg[JL_EXIT_MSG_LEN];
};

/*
 * The one variable of .bss, mapped by user space. The first cache line is written by user
 * space, the rest by the BPF side. Tasks waiting in the queued ring are not counted here:
 * user space reads that from the ring's own positions.
 */
struct jl_shared {
	/* Written by user space. */
	__u64 nr_scheduled;	/* tasks the policy holds, published at the end of each round */
	__u32 usersched_pid;	/* thread id of the scheduling thread; 0 until it is known */
	__u32 bypass;		/* 1: enqueue puts every task on the shared queue directly */
	__u32 usersched_yield;	/* set right before the scheduling thread yields */
	__u32 dispatch_gen;	/* bumped after each record written to the dispatched ring */
	/*
	 * The connector's queue depth times the CPUs: user space keeps at most this many tasks
	 * dispatched and not yet running (nr_user_queued plus the records in the dispatched ring);
	 * 0 for no bound. The scheduling thread, holding tasks, has news only while there is room.
	 */
	__u32 queue_budget;
	__u32 record_events;	/* 1: every task's state changes go to the task_events ring */
	/*
	 * Written by the BPF side (here, not with the counters below, so that the layout after this
	 * line stays as it was): tasks a user-space dispatch put on a dispatch queue that have not
	 * started running. Each such task is counted once (task_ctx.user_queued) and leaves the count
	 * when it runs, or leaves the queues without running (dequeue, a class change, exit).
	 */
	__u64 nr_user_queued;
	__u32 pad0[6];

	/* The counters (the metrics without nr_scheduled and nr_page_faults). */
	__u64 nr_running;
	__u64 nr_online_cpus;
	__u64 nr_user_dispatches;
	__u64 nr_kernel_dispatches;
	__u64 nr_cancel_dispatches;
	__u64 nr_bounce_dispatches;
	__u64 nr_failed_dispatches;
	__u64 nr_sched_congested;

	/* The scheduling thread as the BPF side sees it. */
	__u64 usersched_last_run_at;
	__u64 nr_usersched_runs;
	__u32 usersched_parked;	/* pid of the scheduling thread while it is held back, else 0 */
	__u32 usersched_needed;	/* 1: run it at the next chance (heartbeat, wakeup) */
	__s32 usersched_cpu;
	__u32 user_stalled;	/* 1 while user space leaves queued tasks unread too long (see cfg) */
	__u64 nr_user_stalls;	/* how often that began */
	__u64 nr_preempt_kicks;	/* CPUs preempted so that the scheduling thread runs at once */
	__u64 nr_overdue_picks;	/* users' tasks a CPU took first, having left them USER_WAIT_MAX_NS */
	__u64 nr_stolen_picks;	/* users' tasks a CPU took from another CPU's queue */
	__u64 nr_stall_rescues;	/* tasks queued to a stopped user space that the BPF side ran */
	__u64 nr_direct_wakeups; /* wake-ups run without user space (an idle CPU, or a preemption) */
	__u64 nr_wakeup_preempts; /* of those, the ones that preempted a running task */
	__u64 nr_yield_requeues; /* tasks that yielded, put back in the kernel without user space */
	__u64 nr_events_dropped; /* task events lost while recording: the task_events ring was full */

	struct jl_exit_info exit;
};

/*
 * The one variable of .rodata. user space sets the options before load; the ops_* offsets are
 * filled in by the compiler and tell user space where to write into the struct_ops map's data
 * (which follows this build's vmlinux.h).
 */
struct jl_config {
	__u64 slice_ns;		/* slice of the tasks the BPF side dispatches itself */
	__u32 host_tgid;	/* every thread of this process is dispatched directly */
	__u32 exit_dump_len;	/* bytes of the exit dump copied for user space */
	__u8 builtin_idle;	/* pick idle CPUs in the kernel (select_cpu, enqueue) */
	__u8 numa_local;	/* keep idle CPU picks in the task's NUMA node */
	__u8 partial;		/* only SCHED_EXT tasks are scheduled (SCX_OPS_SWITCH_PARTIAL) */
	__u8 debug;		/* trace scheduling events with bpf_printk */
	/*
	 * User space counts as stalled (the whole JVM stopped: a long GC pause, SIGSTOP, a debugger)
	 * when it has not read the queued ring for this long while tasks wait there; the BPF side
	 * then runs new tasks by itself until user space reads again. 0: never.
	 */
	__u32 user_stall_ms;

	__u32 ops_flags_off;
	__u32 ops_exit_dump_len_off;
	__u32 ops_hotplug_seq_off;
	__u32 ops_timeout_ms_off;
	__u32 ops_name_off;
};

#endif /* __JAVALAND_INTF_H */
