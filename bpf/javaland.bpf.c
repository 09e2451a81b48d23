/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scx_javaland: the BPF side of a sched_ext scheduler whose policy runs in user space, in Java.
 *
 * Every runnable task is queued to user space through the `queued` ring buffer; the policy
 * orders the tasks and sends its decisions back through the `dispatched` user ring buffer,
 * which ops.dispatch drains into one dispatch queue per CPU or the shared one.
 *
 * A few tasks never wait for user space: per-CPU kernel threads and the memory-reclaim threads
 * (on the CPU's local queue), and every other thread of the host process (the JVM's GC, JIT and
 * safepoint threads must never queue behind the scheduler they belong to: they have a queue of
 * their own, taken before the users' tasks).
 *
 * The scheduling thread is the one task that decides for the others, so when it has news (tasks
 * queued to it, a round it was interrupted in) a CPU takes it before anything else, and a
 * wakeup that finds every CPU busy preempts one for it: a waking task then waits for one
 * round of the policy, not for a CPU-bound task's slice to end. With nothing new but tasks it
 * still holds, it runs when a CPU has nothing else to do: that is when the policy picks the
 * next task. With nothing at all it is held back ("parked"); a heartbeat timer makes it run at
 * least once a second, and checks that user space still reads the queued ring.
 */
#include "jl_sched_ext.h"
#include "intf.h"

char _license[] SEC("license") = "GPL";

#define HEARTBEAT_NS		JL_NSEC_PER_SEC
/* A wakeup that preempted a CPU for the scheduling thread is not repeated within this time. */
#define PREEMPT_KICK_GAP_NS	(2 * JL_NSEC_PER_MSEC)
/*
 * The longest a CPU leaves the users' tasks sent to it waiting while the scheduling thread and
 * the host's threads, which come first, keep it busy: then it takes one of them first.
 */
#define USER_WAIT_MAX_NS	(10 * JL_NSEC_PER_MSEC)

/* Options, set by user space before load (see struct jl_config). */
const volatile struct jl_config cfg = {
	.slice_ns = 1000000,
	.builtin_idle = 1,
	.exit_dump_len = JL_EXIT_DUMP_DFL_LEN,
	.user_stall_ms = 500,
	.ops_flags_off = __builtin_offsetof(struct sched_ext_ops, flags),
	.ops_exit_dump_len_off = __builtin_offsetof(struct sched_ext_ops, exit_dump_len),
	.ops_hotplug_seq_off = __builtin_offsetof(struct sched_ext_ops, hotplug_seq),
	.ops_timeout_ms_off = __builtin_offsetof(struct sched_ext_ops, timeout_ms),
	.ops_name_off = __builtin_offsetof(struct sched_ext_ops, name),
};

/*
 * Never used: they put the ring records' types into the object's BTF, where user space checks
 * its view of their layout.
 */
const volatile struct jl_queued_task queued_record_layout;
const volatile struct jl_dispatched_task dispatched_record_layout;
const volatile struct jl_task_event task_event_layout;

/* State and counters shared with user space (mapped by it). */
struct jl_shared shared;

/* The kernel's exit dump, for user space; resized to cfg.exit_dump_len before load. */
char exit_dump[JL_EXIT_DUMP_DFL_LEN] SEC(".data.exit_dump");

static u32 nr_cpu_ids;

/* The scheduling thread as only the BPF side needs to know it. */
static bool sched_on_cpu;		/* running now */
static bool sched_interrupted;		/* runnable again in the middle of a round */
static u64 sched_preempt_kick_at;	/* when a CPU was last preempted for it; 0 once it ran */

/* The user-stall guard: the queued ring's consumer position, and since when it has not moved. */
static u64 ring_cons_seen;
static u64 ring_cons_seen_at;

/* Sizes are powers of two (one record and its 8-byte header: 96 and 48 bytes). */
#define QUEUED_RECORD_BYTES	96
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 512 * 1024);
} queued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 256 * 1024);
} dispatched SEC(".maps");

/*
 * Every task's state changes while user space records (shared.record_events); read by a recorder
 * thread that polls it, so no wake-up is sent (BPF_RB_NO_WAKEUP). 4 MiB: 65,536 events (56 bytes and an 8-byte header each).
 */
#define TASK_EVENT_RECORD_BYTES	64
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);
} task_events SEC(".maps");

/* What the BPF side remembers of each task. */
struct task_ctx {
	u64 start_ts;
	u64 stop_ts;
	u64 exec_runtime;
	u64 enq_cnt;
	/* CPU time used since its last record: the policy charges it all with the next one. */
	u64 unreported_ns;
	/*
	 * With JL_DISPATCH_WAKE_DIRECT, the slice of its last dispatch: it may wake without user space
	 * until unreported_ns reaches it. 0: every wake-up goes to user space.
	 */
	u64 wake_budget_ns;
	u64 slice_ns;		/* the slice of its last dispatch by user space */
	u32 yielded;		/* it called sched_yield() while others waited for its CPU */
	u32 user_queued;	/* counted in shared.nr_user_queued (see count_user_queued) */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

/*
 * Which task each record queued to user space was for, by the record's sequence number (slot =
 * sequence modulo QUEUED_REFS, more than the ring holds): while user space is stopped, the BPF
 * side runs the tasks it had queued to it (see rescue_queued).
 */
#define QUEUED_REFS		8192
struct queued_ref {
	s32 pid;
	u32 pad;
	u64 enq_cnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, QUEUED_REFS);
	__type(key, u32);
	__type(value, struct queued_ref);
} queued_refs SEC(".maps");

static u64 queued_seq;		/* records queued to user space so far */
static u32 drained_gen;		/* shared.dispatch_gen when the dispatched ring was last drained empty */
static u64 rescued_seq;		/* records below this one were rescued (or read) */

/* What the BPF side remembers of each CPU (only that CPU's ops.dispatch reads and writes it). */
struct cpu_ctx {
	u64 users_looked_at;	/* when it last looked at the users' queues */
	u64 running_vtime;	/* the vtime of the users' task it runs */
	u64 running_since;	/* when that task started running */
	u64 running_slice;	/* the slice it started with */
	u32 running_user;	/* 1 while it runs a task of the users */
	s32 running_pid;	/* that task */
	s32 preempted_pid;	/* the task a direct wake-up preempted here, until it is queued again */
	u32 pad;
	u64 preempted_slice_left; /* what was left of its slice */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct cpu_ctx);
} cpu_ctxs SEC(".maps");

struct heartbeat {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct heartbeat);
} heartbeat SEC(".maps");

#define dbg(fmt, args...)						\
	do {								\
		if (cfg.debug)						\
			bpf_printk(fmt, ##args);			\
	} while (0)

static __always_inline void count(u64 *counter)
{
	__sync_fetch_and_add(counter, 1);
}

static struct task_ctx *task_ctx(const struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctxs, (struct task_struct *)p, 0, 0);
}

/*
 * @tctx's task is on a dispatch queue by a user-space dispatch: counted in shared.nr_user_queued,
 * once, until uncount_user_queued (user space bounds that count with its queue depth).
 */
static void count_user_queued(struct task_ctx *tctx)
{
	if (!__sync_lock_test_and_set(&tctx->user_queued, 1))
		__sync_fetch_and_add(&shared.nr_user_queued, 1);
}

/*
 * @tctx's task runs, or left its dispatch queue without running (dequeued, queued again, gone
 * from sched_ext): no longer counted. Each count is taken back once, whoever comes first.
 */
static void uncount_user_queued(struct task_ctx *tctx)
{
	if (tctx && tctx->user_queued && __sync_lock_test_and_set(&tctx->user_queued, 0))
		__sync_fetch_and_sub(&shared.nr_user_queued, 1);
}

static __always_inline bool is_usersched(const struct task_struct *p)
{
	return shared.usersched_pid && p->pid == (s32)shared.usersched_pid;
}

static __always_inline bool is_host_thread(const struct task_struct *p)
{
	return cfg.host_tgid && p->tgid == (s32)cfg.host_tgid;
}

static __always_inline bool comm_starts_with(const struct task_struct *p, const char *prefix, int len)
{
	for (int i = 0; i < len; i++)
		if (p->comm[i] != prefix[i])
			return false;
	return true;
}

/*
 * Kernel threads that run on the CPU they woke on without asking user space: per-CPU ones
 * (ksoftirqd, kworkers, ...) and the memory-reclaim threads, which can stall the whole machine
 * when they wait.
 */
static bool is_urgent_kthread(const struct task_struct *p)
{
	if (!(p->flags & JL_PF_KTHREAD))
		return false;
	if (p->nr_cpus_allowed == 1 || (p->flags & JL_PF_KSWAPD))
		return true;
	return comm_starts_with(p, "kswapd", 6) || comm_starts_with(p, "kcompactd", 9) ||
	       comm_starts_with(p, "khugepaged", 10);
}

/*
 * Every other kernel thread (rcu_preempt, unbound kworkers, ...) does not wait for user space
 * either: the JVM itself waits for them (an RCU grace period, a work item flushed), so one that
 * sat in the queued ring behind a scheduling thread that waits for it would stall both until the
 * kernel's watchdog fired.
 */
static __always_inline bool is_kthread(const struct task_struct *p)
{
	return p->flags & JL_PF_KTHREAD;
}

static __always_inline u64 ring_pending(void)
{
	return bpf_ringbuf_query(&queued, BPF_RB_AVAIL_DATA);
}

/*
 * True when user space may dispatch more: it bounds the tasks it keeps dispatched and not yet
 * running (its queue depth), and the queues are below that bound, or it has no bound.
 */
static __always_inline bool queues_have_room(void)
{
	u32 budget = shared.queue_budget;

	return !budget || shared.nr_user_queued < budget;
}

/*
 * True when the scheduling thread has something to decide now: tasks queued to it, or tasks held
 * by the policy while the queues have room for them (one is dispatched a round: with the held ones
 * left for an idle CPU, a CPU-bound load kept them waiting past the kernel's watchdog; with a
 * queue depth, a CPU whose queues ran low takes the scheduling thread first, which picks the next
 * task), a run asked for (heartbeat, wakeup), or a round it was interrupted in.
 */
static bool usersched_has_news(void)
{
	return ring_pending() || (shared.nr_scheduled && queues_have_room()) || shared.usersched_needed ||
	       sched_interrupted;
}

/* True when it has anything to do at all: news, or tasks it still holds. */
static bool usersched_has_work(void)
{
	return shared.nr_scheduled || usersched_has_news();
}

/* True while new tasks go to the shared queue without user space. */
static __always_inline bool bypassing(void)
{
	return shared.bypass || shared.user_stalled;
}

/*
 * True while @cpu is being taken offline. The kernel then hangs a callback on its run queue that
 * pushes every task away (balance_push), and the CPU stays online, and idle to the idle-CPU
 * pick, until an RCU grace period has passed: a task sent to it meanwhile only bounces back,
 * and if it is sent there again and again nothing runs and the offline never completes. Other
 * balance callbacks are short-lived; taking one for this only sends a task to the shared queue.
 */
static bool cpu_leaving(s32 cpu)
{
	struct rq *rq = bpf_per_cpu_ptr(&runqueues, cpu);

	return rq && rq->balance_callback;
}

/*
 * Picks and claims an idle CPU @p may use, a CPU of a wholly idle core first, @near_cpu's node first
 * with numa_local; -EBUSY when none. With numa_local the kernel tracks idle CPUs per node
 * (SCX_OPS_BUILTIN_IDLE_PER_NODE), and scx_bpf_pick_idle_cpu() is then a scheduler error that
 * ejects us ("per-node idle tracking is enabled"): the node's variant must be used.
 */
static s32 pick_idle_near(const struct task_struct *p, s32 near_cpu)
{
	if (cfg.numa_local && bpf_ksym_exists(scx_bpf_pick_idle_cpu_node))
		return scx_bpf_pick_idle_cpu_node(p->cpus_ptr, scx_bpf_cpu_node(near_cpu), 0);
	return scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
}

/*
 * Idle-CPU pick with the kernel's default policy, limited to the task's node when asked;
 * -EBUSY when no CPU that stays is idle. Only from ops.select_cpu, ops.enqueue and syscalls.
 */
static s32 pick_idle_cpu(struct task_struct *p, s32 prev_cpu)
{
	s32 cpu = jl_select_idle_cpu(p, prev_cpu, 0, cfg.numa_local ? SCX_PICK_IDLE_IN_NODE : 0);

	return cpu >= 0 && cpu_leaving(cpu) ? -JL_EBUSY : cpu;
}

/*
 * Claims an idle CPU for @p as ops.dispatch carries out a user-space decision (where the
 * default policy cannot be asked): its previous CPU if idle, else any idle CPU it may use, in
 * its node when asked; -EBUSY when none.
 */
static s32 claim_idle_cpu(struct task_struct *p, s32 prev_cpu)
{
	s32 cpu;

	if (bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr) && scx_bpf_test_and_clear_cpu_idle(prev_cpu))
		cpu = prev_cpu;
	else
		cpu = pick_idle_near(p, prev_cpu);
	return cpu >= 0 && cpu_leaving(cpu) ? -JL_EBUSY : cpu;
}

/*
 * True when the task @cpu runs may be preempted for the scheduling thread: a task of the users,
 * not a kernel thread, the host's own, the scheduling thread or the idle task.
 */
static bool runs_user_task(s32 cpu)
{
	struct task_struct *curr;

	if (!bpf_ksym_exists(scx_bpf_cpu_curr))
		return false;
	curr = scx_bpf_cpu_curr(cpu);
	return curr && curr->pid && !(curr->flags & JL_PF_KTHREAD) && !is_host_thread(curr) &&
	       !is_usersched(curr);
}

/*
 * The scheduling thread has news but no CPU: make one run ops.dispatch, where it is taken first.
 * An idle CPU if there is one; else, for a task that woke up (it waits for the policy's
 * decision), a CPU running a task of the users is preempted, @prefer_cpu's first.
 */
static void kick_for_usersched(struct task_struct *p, s32 prefer_cpu, bool wakeup)
{
	s32 this_cpu = bpf_get_smp_processor_id(), cpu;
	u64 now;

	if (sched_on_cpu || cfg.partial)
		return;	/* it reads the ring before it rests; in partial mode the ring wakes it */
	cpu = pick_idle_near(p, prefer_cpu);
	if (cpu >= 0) {
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
		return;
	}
	if (!wakeup)
		return;	/* the CPU the task leaves passes through ops.dispatch anyway */
	now = scx_bpf_now();
	if (sched_preempt_kick_at && now - sched_preempt_kick_at < PREEMPT_KICK_GAP_NS)
		return;	/* one is on its way */
	if (runs_user_task(prefer_cpu))
		cpu = prefer_cpu;
	else if (runs_user_task(this_cpu))
		cpu = this_cpu;
	else
		return;	/* kernel or host work runs: the scheduling thread comes right after it */
	sched_preempt_kick_at = now;
	count(&shared.nr_preempt_kicks);
	scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT);
}

/* Puts the scheduling thread on its own dispatch queue; ops.dispatch decides when a CPU takes it. */
static void insert_usersched_dsq(struct task_struct *p, u64 enq_flags)
{
	jl_dsq_insert(p, JL_SCHED_DSQ, SCX_SLICE_DFL, enq_flags);
}

/*
 * The scheduling thread became runnable. After a yield (user space sets usersched_yield right
 * before it) it is held back until there is work; woken from a sleep, or preempted in the
 * middle of a round, it goes on at once.
 */
static void usersched_runnable(struct task_struct *p, u64 enq_flags)
{
	if (!__sync_lock_test_and_set(&shared.usersched_yield, 0)) {
		sched_interrupted = true;
	} else if (!usersched_has_work()) {
		__sync_lock_test_and_set(&shared.usersched_parked, p->pid);
		/* Work may have arrived while parking: whoever takes the pid back queues the thread. */
		if (!usersched_has_work() || !__sync_lock_test_and_set(&shared.usersched_parked, 0))
			return;
	}
	insert_usersched_dsq(p, enq_flags);
	/*
	 * After a yield or a preemption the CPU it leaves passes through ops.dispatch next; woken in
	 * the middle of a round (a lock, a safepoint) it must not wait for a slice to end.
	 */
	if (usersched_has_news())
		kick_for_usersched(p, scx_bpf_task_cpu(p), sched_interrupted && (enq_flags & SCX_ENQ_WAKEUP));
}

/* From ops.dispatch: unparks the scheduling thread onto its queue. */
static void unpark_usersched(void)
{
	struct task_struct *p;
	u32 pid;

	if (!shared.usersched_parked)
		return;
	/* The parked pid, not usersched_pid: the scheduling thread may have changed since. */
	pid = __sync_lock_test_and_set(&shared.usersched_parked, 0);
	if (!pid)
		return;
	p = bpf_task_from_pid(pid);
	if (!p)
		return;	/* it exited */
	insert_usersched_dsq(p, 0);
	bpf_task_release(p);
}

static struct cpu_ctx *cpu_ctx_of(s32 cpu)
{
	u32 key = 0;

	return bpf_map_lookup_percpu_elem(&cpu_ctxs, &key, cpu);
}

/*
 * True when @p may wake without user space: the policy said so with its last dispatch, and the
 * task has used less than that dispatch's slice since the policy last saw it.
 */
static bool may_wake_direct(const struct task_struct *p, struct task_ctx *tctx)
{
	return tctx && tctx->wake_budget_ns && tctx->unreported_ns < tctx->wake_budget_ns && p->scx.dsq_vtime &&
	       !bypassing();
}

/*
 * Nanoseconds since @t, a time another CPU may have read: the CPUs' clocks can be a little apart,
 * and a time slightly ahead of this CPU's must not wrap around into a huge run.
 */
static u64 time_since(u64 t)
{
	u64 now = scx_bpf_now();

	return now > t ? now - t : 0;
}

/*
 * True when @cpu runs a task of the users that the waking @p comes before, in the policy's order,
 * and that has had its turn: its vtime is later than @p's by more than @p's slice (@margin: a
 * task alike is not preempted), and it has run for a quarter of that slice (a task preempted at
 * once again and again would do little but travel to user space and back).
 */
static bool comes_before_running(const struct task_struct *p, u64 margin, s32 cpu)
{
	struct cpu_ctx *cctx;

	if (cpu < 0 || cpu >= nr_cpu_ids || !bpf_cpumask_test_cpu(cpu, p->cpus_ptr) || cpu_leaving(cpu))
		return false;
	cctx = cpu_ctx_of(cpu);
	return cctx && cctx->running_user && !jl_vtime_before_eq(cctx->running_vtime, p->scx.dsq_vtime + margin) &&
	       time_since(cctx->running_since) >= margin / 4;
}

struct preempt_search {
	const struct task_struct *p;
	u64 margin;
	u64 latest;
	s32 cpu;
};

/* A bpf_loop callback: the CPU whose running task the waking task comes before, the latest such. */
static long find_preemptible(u64 cpu, void *data)
{
	struct preempt_search *s = data;
	struct cpu_ctx *cctx;

	if (!comes_before_running(s->p, s->margin, cpu) || !(cctx = cpu_ctx_of(cpu)))
		return 0;
	if (s->cpu < 0 || !jl_vtime_before_eq(cctx->running_vtime, s->latest)) {
		s->cpu = cpu;
		s->latest = cctx->running_vtime;
	}
	return 0;
}

/*
 * For a waking @p the policy lets skip user space, the CPU to run it on at once in place of its
 * running task: the waking CPU first (no interrupt to send), then @p's own, then the one whose
 * task comes last; -1 when @p comes before none of them.
 */
static s32 preemptible_cpu(struct task_struct *p, s32 prev_cpu)
{
	struct task_ctx *tctx = task_ctx(p);
	struct preempt_search s = { .p = p, .cpu = -1 };
	s32 this_cpu = bpf_get_smp_processor_id();

	if (!may_wake_direct(p, tctx))
		return -1;
	s.margin = tctx->wake_budget_ns;
	if (comes_before_running(p, s.margin, this_cpu))
		return this_cpu;
	if (comes_before_running(p, s.margin, prev_cpu))
		return prev_cpu;
	bpf_loop(nr_cpu_ids, find_preemptible, &s, 0);
	return s.cpu;
}

/*
 * Counts a wake-up run without user space on @cpu, preempting its task when @preempt: that task
 * then goes back to the CPU's local queue, behind the waking one (see requeue_preempted).
 */
static void woke_direct(s32 cpu, bool preempt)
{
	struct cpu_ctx *cctx;

	count(&shared.nr_kernel_dispatches);
	count(&shared.nr_direct_wakeups);
	if (!preempt)
		return;
	count(&shared.nr_wakeup_preempts);
	cctx = cpu_ctx_of(cpu);
	if (cctx) {
		u64 ran = time_since(cctx->running_since);

		cctx->preempted_pid = cctx->running_pid;
		cctx->preempted_slice_left = cctx->running_slice > ran ? cctx->running_slice - ran : 0;
	}
	/* The local queue's preemption reaches the waking CPU at once; another one needs the kick. */
	if (cpu != bpf_get_smp_processor_id())
		scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT);
}

s32 JL_CALLBACK(jl_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false, own;
	s32 cpu;

	if (is_usersched(p))
		return prev_cpu;
	own = is_kthread(p) || is_host_thread(p);
	if (!cfg.builtin_idle && !own)
		return prev_cpu;

	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	/* An idle CPU runs the task at once, unless tasks already wait on the shared queue. */
	if (is_idle && (own || !scx_bpf_dsq_nr_queued(JL_SHARED_DSQ))) {
		jl_dsq_insert(p, SCX_DSQ_LOCAL, cfg.slice_ns, 0);
		if (own)
			count(&shared.nr_kernel_dispatches);
		else
			woke_direct(cpu, false);
		return cpu;
	}
	if (!is_idle && !own) {
		s32 target = preemptible_cpu(p, prev_cpu);

		if (target >= 0) {
			jl_dsq_insert(p, SCX_DSQ_LOCAL, cfg.slice_ns, SCX_ENQ_PREEMPT);
			woke_direct(target, true);
			return target;
		}
	}
	return cpu;
}

/*
 * Wakes an idle CPU that @p may use, for a task just put on the shared queue: its own CPU may be
 * busy while another sleeps.
 */
static void kick_idle_for(const struct task_struct *p)
{
	s32 cpu = pick_idle_near(p, scx_bpf_task_cpu(p));

	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
}

/* Puts @p on the shared queue and wakes an idle CPU for it. */
static void dispatch_shared(struct task_struct *p, u64 enq_flags)
{
	jl_dsq_insert_vtime(p, JL_SHARED_DSQ, cfg.slice_ns, p->scx.dsq_vtime, enq_flags);
	count(&shared.nr_kernel_dispatches);
	kick_idle_for(p);
}

/* Notes which task the record just reserved in the queued ring is for. */
static void remember_queued(s32 pid, u64 enq_cnt)
{
	u32 slot = __sync_fetch_and_add(&queued_seq, 1) & (QUEUED_REFS - 1);
	struct queued_ref *ref = bpf_map_lookup_elem(&queued_refs, &slot);

	if (ref) {
		ref->pid = pid;
		ref->enq_cnt = enq_cnt;
	}
}

/* Sends @p to user space; false when the ring is full. */
static bool queue_to_user(struct task_struct *p, u64 enq_flags)
{
	struct jl_queued_task *rec;
	struct task_ctx *tctx = task_ctx(p);

	rec = bpf_ringbuf_reserve(&queued, sizeof(*rec), 0);
	if (!rec)
		return false;
	rec->pid = p->pid;
	rec->cpu = scx_bpf_task_cpu(p);
	rec->nr_cpus_allowed = p->nr_cpus_allowed;
	rec->flags = enq_flags;
	rec->weight = p->scx.weight;
	rec->vtime = p->scx.dsq_vtime;
	if (tctx) {
		/* The policy charges stop_ts - start_ts: every run since it last saw the task. */
		rec->start_ts = tctx->stop_ts > tctx->unreported_ns ? tctx->stop_ts - tctx->unreported_ns : 0;
		tctx->unreported_ns = 0;
		rec->stop_ts = tctx->stop_ts;
		rec->exec_runtime = tctx->exec_runtime;
		rec->enq_cnt = ++tctx->enq_cnt;
	} else {
		rec->start_ts = 0;
		rec->stop_ts = 0;
		rec->exec_runtime = 0;
		rec->enq_cnt = 0;
	}
	__builtin_memcpy(rec->comm, p->comm, JL_COMM_LEN);
	remember_queued(p->pid, rec->enq_cnt);
	/* Partial mode: user space sleeps on the ring's fd and needs the wakeup. */
	bpf_ringbuf_submit(rec, cfg.partial ? 0 : BPF_RB_NO_WAKEUP);
	return true;
}

/*
 * A bpf_loop callback of rescue_queued: runs the task of one record user space has not read, on
 * the shared queue, unless it was queued again or dispatched since. Its enq_cnt moves on, so that
 * user space's dispatch of that record, once it reads it, is cancelled.
 */
static long rescue_one(u64 i, void *data)
{
	u64 *from = data;
	u32 slot = (*from + i) & (QUEUED_REFS - 1);
	struct queued_ref *ref = bpf_map_lookup_elem(&queued_refs, &slot);
	struct task_struct *p;
	struct task_ctx *tctx;

	if (!ref || !ref->pid)
		return 0;
	p = bpf_task_from_pid(ref->pid);
	ref->pid = 0;
	if (!p)
		return 0;
	tctx = task_ctx(p);
	if (tctx && tctx->enq_cnt == ref->enq_cnt) {
		tctx->enq_cnt++;
		/* The kernel ignores this if the task is no longer the BPF side's to dispatch. */
		jl_dsq_insert_vtime(p, JL_SHARED_DSQ, cfg.slice_ns, p->scx.dsq_vtime, 0);
		count(&shared.nr_stall_rescues);
	}
	bpf_task_release(p);
	return scx_bpf_dispatch_nr_slots() ? 0 : 1;
}

/*
 * While user space is stopped (user_stalled), the tasks it had not read yet run too: one of them
 * may be what would let it go on (the shell that sends SIGCONT, a debugger, a lock's holder), and
 * it would otherwise wait for it until the kernel's watchdog fired. From ops.dispatch.
 */
static void rescue_queued(void)
{
	u64 read = bpf_ringbuf_query(&queued, BPF_RB_CONS_POS) / QUEUED_RECORD_BYTES;
	u64 from = rescued_seq > read ? rescued_seq : read;
	u64 to = queued_seq, n;

	if (to <= from)
		return;
	n = to - from;
	if (n > QUEUED_REFS)
		n = QUEUED_REFS;
	bpf_loop(n, rescue_one, &from, 0);
	rescued_seq = from + n;
}

/* A stall ends as soon as user space reads the ring again (the heartbeat also checks). */
static void check_stall_ended(void)
{
	if (shared.user_stalled && bpf_ringbuf_query(&queued, BPF_RB_CONS_POS) != ring_cons_seen)
		shared.user_stalled = 0;
}

/*
 * A task a direct wake-up preempted keeps its place: it goes back to the local queue of its CPU,
 * behind the woken task, with what was left of its slice, as it would have gone on running but for
 * it; the policy chose it already and sees the CPU time it used with its next record. (With a
 * fresh slice at each preemption, a task preempted often would never go back to the policy, and
 * the tasks waiting behind it would starve.) True when @p was that task and had slice left.
 */
static bool requeue_preempted(struct task_struct *p, u64 enq_flags)
{
	struct cpu_ctx *cctx = cpu_ctx_of(bpf_get_smp_processor_id());
	u64 left;

	if (!cctx || cctx->preempted_pid != p->pid || (enq_flags & SCX_ENQ_WAKEUP))
		return false;
	cctx->preempted_pid = 0;
	left = cctx->preempted_slice_left;
	if (left < JL_NSEC_PER_USEC * 10)
		return false;
	jl_dsq_insert(p, SCX_DSQ_LOCAL, left, enq_flags);
	count(&shared.nr_kernel_dispatches);
	return true;
}

/*
 * The later of @vtime and the vtime of the last task of queue @dsq_id (equal vtimes run in the
 * order they came): @vtime when the queue is empty or the kernel cannot walk it.
 */
static u64 tail_vtime(u64 dsq_id, u64 vtime)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *last;
	u64 tail = vtime;

	if (!bpf_ksym_exists(bpf_iter_scx_dsq_new))
		return vtime;
	if (!bpf_iter_scx_dsq_new(&it, dsq_id, SCX_DSQ_ITER_REV)) {
		last = bpf_iter_scx_dsq_next(&it);
		if (last && !jl_vtime_before_eq(last->scx.dsq_vtime, tail))
			tail = last->scx.dsq_vtime;
	}
	bpf_iter_scx_dsq_destroy(&it);
	return tail;
}

/*
 * A task that yielded while others waited goes behind them without a trip through user space
 * (sysbench's threads yield thousands of times a second): on its own CPU's queue, which takes the
 * earliest vtime of its queue and the shared one, with a vtime behind the last task of both; with
 * the slice the policy last gave it; as long as it has used less than that slice since the policy
 * last saw it (the policy still sees every task at least once a slice). Its own CPU's queue, not
 * the shared one: a task taken from the shared queue usually moves to another CPU, and under the
 * VM lab's emulation that move was most of the cost of a yield. True when @p was such a task.
 */
static bool requeue_yielded(struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = task_ctx(p);
	u64 vtime;
	s32 cpu;

	if (!tctx || !tctx->yielded || (enq_flags & SCX_ENQ_WAKEUP))
		return false;
	tctx->yielded = 0;
	if (!tctx->slice_ns || tctx->unreported_ns >= tctx->slice_ns || !p->scx.dsq_vtime)
		return false;
	cpu = scx_bpf_task_cpu(p);
	if (cpu_leaving(cpu))
		return false;
	vtime = tail_vtime(JL_SHARED_DSQ, tail_vtime(cpu, p->scx.dsq_vtime));
	jl_dsq_insert_vtime(p, cpu, tctx->slice_ns, vtime, enq_flags);
	count(&shared.nr_kernel_dispatches);
	count(&shared.nr_yield_requeues);
	return true;
}

/* True when a task other than the one running on @cpu waits for it, here or in user space. */
static bool others_wait_for(s32 cpu)
{
	return scx_bpf_dsq_nr_queued(SCX_DSQ_LOCAL_ON | cpu) || scx_bpf_dsq_nr_queued(cpu) ||
	       scx_bpf_dsq_nr_queued(JL_SHARED_DSQ) || scx_bpf_dsq_nr_queued(JL_HOST_DSQ) || usersched_has_work();
}

/*
 * sched_yield(). The scheduling thread yields at the end of each round (see usersched_runnable),
 * and the host's and the kernel's threads, as before, give up their slice. A task of the users keeps
 * its CPU when nobody waits for it; otherwise it goes to the back of the queue (requeue_yielded).
 */
bool JL_CALLBACK(jl_yield, struct task_struct *from, struct task_struct *to)
{
	struct task_ctx *tctx;

	if (to)
		return false;	/* yield_to() asks for a task to run next: not offered */
	if (is_usersched(from) || is_host_thread(from) || is_kthread(from)) {
		jl_end_slice(from);
		return false;
	}
	if (!others_wait_for(scx_bpf_task_cpu(from)))
		return false;
	jl_end_slice(from);
	tctx = task_ctx(from);
	if (tctx)
		tctx->yielded = 1;
	return false;
}

void JL_CALLBACK(jl_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 cpu;

	if (is_usersched(p)) {
		usersched_runnable(p, enq_flags);
		return;
	}

	/* The kernel's own, and a task that is alone on its CPU (it would only come straight back). */
	if (is_urgent_kthread(p) || (enq_flags & SCX_ENQ_LAST)) {
		jl_dsq_insert(p, SCX_DSQ_LOCAL, cfg.slice_ns, enq_flags);
		count(&shared.nr_kernel_dispatches);
		return;
	}
	/* The host's threads and other kernel threads take their own queue, ahead of the users' tasks. */
	if (is_host_thread(p) || is_kthread(p)) {
		jl_dsq_insert(p, JL_HOST_DSQ, cfg.slice_ns, enq_flags);
		count(&shared.nr_kernel_dispatches);
		cpu = pick_idle_near(p, scx_bpf_task_cpu(p));
		if (cpu >= 0)
			scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
		return;
	}

	/* Queued again while counted: it left its dispatch queue without running (e.g. it migrated). */
	uncount_user_queued(task_ctx(p));
	check_stall_ended();
	if (bypassing()) {
		dispatch_shared(p, enq_flags);
		return;
	}
	if (requeue_preempted(p, enq_flags) || requeue_yielded(p, enq_flags))
		return;

	/* ops.select_cpu was skipped (e.g. a remote wakeup): give an idle CPU a chance. */
	if (cfg.builtin_idle && !(enq_flags & SCX_ENQ_CPU_SELECTED) && !scx_bpf_task_running(p)) {
		cpu = pick_idle_cpu(p, scx_bpf_task_cpu(p));
		if (cpu >= 0) {
			jl_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, cfg.slice_ns, enq_flags);
			woke_direct(cpu, false);
			scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
			return;
		}
	}
	if ((enq_flags & SCX_ENQ_WAKEUP) && !(enq_flags & SCX_ENQ_CPU_SELECTED)) {
		cpu = preemptible_cpu(p, scx_bpf_task_cpu(p));
		if (cpu >= 0) {
			jl_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, cfg.slice_ns, enq_flags | SCX_ENQ_PREEMPT);
			woke_direct(cpu, true);
			return;
		}
	}

	if (!queue_to_user(p, enq_flags)) {
		/* User space is congested: the task takes the shared queue. */
		count(&shared.nr_sched_congested);
		dispatch_shared(p, enq_flags);
		return;
	}
	dbg("queued pid=%d", p->pid);
	kick_for_usersched(p, scx_bpf_task_cpu(p), enq_flags & SCX_ENQ_WAKEUP);
}

/* Carries out one decision of user space (a bpf_user_ringbuf_drain callback). */
static long dispatch_from_user(struct bpf_dynptr *dynptr, void *ctx)
{
	const struct jl_dispatched_task *d;
	struct task_struct *p;
	struct task_ctx *tctx;
	u64 dsq, slice;
	s32 cpu;

	d = bpf_dynptr_data(dynptr, 0, sizeof(*d));
	if (!d) {
		count(&shared.nr_failed_dispatches);
		goto next;
	}
	p = bpf_task_from_pid(d->pid);
	if (!p) {
		/* The task exited meanwhile. */
		count(&shared.nr_failed_dispatches);
		goto next;
	}
	tctx = task_ctx(p);
	if (tctx && d->enq_cnt != tctx->enq_cnt) {
		/* Queued again since: the newer record is the one that counts. */
		count(&shared.nr_cancel_dispatches);
		goto release;
	}

	cpu = d->cpu;
	if (cpu == JL_CPU_IDLE) {
		cpu = claim_idle_cpu(p, scx_bpf_task_cpu(p));
		if (cpu >= 0) {
			dsq = cpu;
		} else {
			cpu = scx_bpf_task_cpu(p);
			dsq = JL_SHARED_DSQ;
		}
	} else if (cpu == JL_CPU_ANY) {
		dsq = JL_SHARED_DSQ;
		cpu = scx_bpf_task_cpu(p);
	} else if (cpu >= 0 && cpu < nr_cpu_ids && bpf_cpumask_test_cpu(cpu, p->cpus_ptr) &&
		   (!cpu_leaving(cpu) || p->nr_cpus_allowed == 1)) {
		dsq = cpu;
	} else if (p->nr_cpus_allowed == 1) {
		/* A pinned task goes to its only CPU, whatever user space chose. */
		cpu = scx_bpf_task_cpu(p);
		dsq = cpu;
		count(&shared.nr_bounce_dispatches);
	} else {
		cpu = scx_bpf_task_cpu(p);
		dsq = JL_SHARED_DSQ;
		count(&shared.nr_bounce_dispatches);
	}

	slice = d->slice_ns ?: cfg.slice_ns;
	if (tctx) {
		tctx->wake_budget_ns = (d->flags & JL_DISPATCH_WAKE_DIRECT) ? slice : 0;
		tctx->slice_ns = slice;
		/* Counted before the insert: a dequeue on another CPU from here on takes it back. */
		count_user_queued(tctx);
	}
	jl_dsq_insert_vtime(p, dsq, slice, d->vtime, d->flags & SCX_ENQ_PREEMPT);
	/* Dequeued meanwhile (jl_dequeue moved enq_cnt on): the kernel drops the insert. */
	if (tctx && d->enq_cnt != tctx->enq_cnt)
		uncount_user_queued(tctx);
	count(&shared.nr_user_dispatches);
	dbg("dispatched pid=%d cpu=%d", d->pid, d->cpu);
	if (dsq == JL_SHARED_DSQ)
		kick_idle_for(p);
	else if (cpu != bpf_get_smp_processor_id())
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
release:
	bpf_task_release(p);
next:
	/* 0 goes on with the next record; stop when this round's dispatch slots are used up. */
	if (scx_bpf_dispatch_nr_slots())
		return 0;
	if (ctx)
		*(bool *)ctx = true;
	return 1;
}

/*
 * Carries out user space's decisions: drains the dispatched ring, unless nothing was written to it
 * since it was last drained empty (shared.dispatch_gen: an empty drain cost more than the rest of
 * a CPU's pick under emulation, on every context switch).
 */
static void drain_dispatched(void)
{
	u32 gen = *(volatile u32 *)&shared.dispatch_gen;
	bool cut = false;

	if (gen == drained_gen || !scx_bpf_dispatch_nr_slots())
		return;
	/* Another CPU draining at the same time makes this return an error: look again next time. */
	if (bpf_user_ringbuf_drain(&dispatched, dispatch_from_user, &cut, 0) >= 0 && !cut)
		drained_gen = gen;
}

/*
 * True when the first task of the shared queue comes before the first of @cpu's own queue: the
 * earlier vtime runs first, its own on a tie (and when the kernel cannot peek).
 */
static bool shared_first(s32 cpu)
{
	struct task_struct *own, *any;

	if (!bpf_ksym_exists(scx_bpf_dsq_peek))
		return false;
	own = scx_bpf_dsq_peek(cpu);
	if (!own)
		return true;
	any = scx_bpf_dsq_peek(JL_SHARED_DSQ);
	return any && !jl_vtime_before_eq(own->scx.dsq_vtime, any->scx.dsq_vtime);
}

/* A task of the users sent to @cpu or to any CPU, the earliest first; false when none waits. */
static bool take_user_task(s32 cpu)
{
	/* A CPU going offline runs what was already sent to it (the kernel moves it on), no more. */
	if (cpu_leaving(cpu))
		return jl_dsq_move_to_local(cpu);
	if (shared_first(cpu) && jl_dsq_move_to_local(JL_SHARED_DSQ))
		return true;
	return jl_dsq_move_to_local(cpu) || jl_dsq_move_to_local(JL_SHARED_DSQ);
}

/* A bpf_loop callback: takes a task sent to another CPU, which is busy, if one waits there. */
static long steal_from(u64 other, void *data)
{
	s32 *cpu = data;

	if (other == *cpu || !scx_bpf_dsq_nr_queued(other))
		return 0;
	if (!jl_dsq_move_to_local(other))
		return 0;
	*cpu = -1;
	return 1;
}

/*
 * What a CPU runs next, in this order: the decisions user space has sent (they go to their
 * queues first); the scheduling thread if it has news; the host's threads; the tasks user space
 * sent to this CPU, then to any; a task sent to another CPU that is busy; and the scheduling
 * thread with the tasks it holds. No task of the users waits behind the first two for more than
 * USER_WAIT_MAX_NS on a CPU: a CPU that has not looked at their queues for that long takes one
 * of them first.
 */
void JL_CALLBACK(jl_dispatch, s32 cpu, struct task_struct *prev)
{
	u32 key = 0;
	struct cpu_ctx *cctx = bpf_map_lookup_elem(&cpu_ctxs, &key);
	u64 now = scx_bpf_now();
	s32 thief = cpu;

	drain_dispatched();
	check_stall_ended();
	if (shared.user_stalled && scx_bpf_dispatch_nr_slots())
		rescue_queued();

	if (cctx && now - cctx->users_looked_at >= USER_WAIT_MAX_NS) {
		cctx->users_looked_at = now;
		if (take_user_task(cpu)) {
			if (usersched_has_news() || scx_bpf_dsq_nr_queued(JL_HOST_DSQ))
				count(&shared.nr_overdue_picks);
			return;
		}
	}
	if (usersched_has_news()) {
		unpark_usersched();
		if (jl_dsq_move_to_local(JL_SCHED_DSQ))
			return;
	}
	if (scx_bpf_dsq_nr_queued(JL_HOST_DSQ) && jl_dsq_move_to_local(JL_HOST_DSQ))
		return;
	if (cctx)
		cctx->users_looked_at = now;
	if (take_user_task(cpu))
		return;
	if (!cpu_leaving(cpu)) {
		bpf_loop(nr_cpu_ids, steal_from, &thief, 0);
		if (thief < 0) {
			count(&shared.nr_stolen_picks);
			return;
		}
	}

	if (usersched_has_work())
		unpark_usersched();
	jl_dsq_move_to_local(JL_SCHED_DSQ);
}

/* Writes one event of a task to task_events (call only while recording: one load when off). */
static __noinline void record_event(struct task_struct *p, u32 kind)
{
	struct jl_task_event *e;

	e = bpf_ringbuf_reserve(&task_events, sizeof(*e), 0);
	if (!e) {
		count(&shared.nr_events_dropped);
		return;
	}
	e->ts = scx_bpf_now();
	e->pid = p->pid;
	e->tgid = p->tgid;
	e->cpu = scx_bpf_task_cpu(p);
	e->kind = kind;
	e->weight = p->scx.weight;
	e->nr_cpus_allowed = p->nr_cpus_allowed;
	e->pad = 0;
	__builtin_memcpy(e->comm, p->comm, JL_COMM_LEN);
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/*
 * While user space records, every task's state changes are recorded, except those of the host's
 * own threads other than the scheduling thread: the JVM's GC, JIT and the recorder itself (whose
 * wake-ups would fill the trace with the recording's own work). One load while off.
 */
static __always_inline bool recording(const struct task_struct *p)
{
	return *(volatile u32 *)&shared.record_events && (!is_host_thread(p) || is_usersched(p));
}

void JL_CALLBACK(jl_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx;

	if (recording(p))
		record_event(p, enq_flags & SCX_ENQ_WAKEUP ? JL_EVENT_WAKE : JL_EVENT_RUNNABLE);
	if (!(enq_flags & SCX_ENQ_WAKEUP))
		return;
	tctx = task_ctx(p);
	if (tctx)
		tctx->exec_runtime = 0;
}

void JL_CALLBACK(jl_running, struct task_struct *p)
{
	struct cpu_ctx *cctx = cpu_ctx_of(bpf_get_smp_processor_id());
	struct task_ctx *tctx;

	if (recording(p))
		record_event(p, JL_EVENT_RUNNING);
	/* What a waking task compares itself with (a remote CPU reads it racily: a hint). */
	if (cctx) {
		cctx->running_user = !is_usersched(p) && !is_kthread(p) && !is_host_thread(p);
		cctx->running_vtime = p->scx.dsq_vtime;
		cctx->running_since = scx_bpf_now();
		cctx->running_slice = p->scx.slice;
		cctx->running_pid = p->pid;
	}
	if (is_usersched(p)) {
		sched_on_cpu = true;
		sched_interrupted = false;
		sched_preempt_kick_at = 0;
		shared.usersched_needed = 0;
		shared.usersched_last_run_at = scx_bpf_now();
		shared.usersched_cpu = scx_bpf_task_cpu(p);
		count(&shared.nr_usersched_runs);
		return;
	}
	count(&shared.nr_running);
	tctx = task_ctx(p);
	if (tctx)
		tctx->start_ts = scx_bpf_now();
	uncount_user_queued(tctx);
}

/*
 * @p leaves the BPF side while it waits for user space (a property change, a class change): a
 * dispatch of its record that user space may still send must not count it, since the kernel drops
 * it (enq_cnt moves on: the dispatch is cancelled), and one being carried out on another CPU
 * takes its count back here.
 */
void JL_CALLBACK(jl_dequeue, struct task_struct *p, u64 deq_flags)
{
	struct task_ctx *tctx = task_ctx(p);

	if (!tctx)
		return;
	tctx->enq_cnt++;
	uncount_user_queued(tctx);
}

/* @p is no longer runnable: if it still waited on a dispatch queue, it left without running. */
void JL_CALLBACK(jl_quiescent, struct task_struct *p, u64 deq_flags)
{
	uncount_user_queued(task_ctx(p));
}

void JL_CALLBACK(jl_stopping, struct task_struct *p, bool runnable)
{
	struct cpu_ctx *cctx = cpu_ctx_of(bpf_get_smp_processor_id());
	struct task_ctx *tctx;
	u64 now;

	if (recording(p))
		record_event(p, runnable ? JL_EVENT_PREEMPTED : JL_EVENT_SLEEP);
	if (cctx)
		cctx->running_user = 0;
	if (is_usersched(p)) {
		sched_on_cpu = false;
		return;
	}
	__sync_fetch_and_sub(&shared.nr_running, 1);
	tctx = task_ctx(p);
	if (!tctx)
		return;
	now = scx_bpf_now();
	tctx->stop_ts = now;
	tctx->exec_runtime += now - tctx->start_ts;
	tctx->unreported_ns += now - tctx->start_ts;
}

void JL_CALLBACK(jl_enable, struct task_struct *p)
{
	/* vtime 0 tells user space the task is new to it. */
	scx_bpf_task_set_dsq_vtime(p, 0);
}

s32 JL_CALLBACK(jl_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	if (!bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -JL_ENOMEM;
	return 0;
}

/* CPU hotplug changes what user space knows of the machine: ask it to start again. */
static void request_restart(s32 cpu, bool online)
{
	static char on[] = "online", off[] = "offline";

	jl_exit_with(SCX_ECODE_ACT_RESTART | SCX_ECODE_RSN_HOTPLUG, "CPU %d went %s: restarting", cpu,
		(unsigned long long)(online ? on : off));
}

void JL_CALLBACK(jl_cpu_online, s32 cpu)
{
	request_restart(cpu, true);
}

void JL_CALLBACK(jl_cpu_offline, s32 cpu)
{
	request_restart(cpu, false);
}

/* How often the heartbeat looks: often enough to see a user stall in time. */
static u64 heartbeat_period_ns(void)
{
	u64 ns = (u64)cfg.user_stall_ms * JL_NSEC_PER_MSEC / 4;

	if (!ns || ns > HEARTBEAT_NS)
		return HEARTBEAT_NS;
	return ns < 10 * JL_NSEC_PER_MSEC ? 10 * JL_NSEC_PER_MSEC : ns;
}

static long kick_idle(u64 cpu, void *data)
{
	scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
	return 0;
}

/*
 * The user-stall guard. The stall guard of user space is a Java thread, and stops with the JVM
 * (a long GC pause, SIGSTOP, a debugger): when tasks have waited in the queued ring for
 * cfg.user_stall_ms without user space reading any of them, new tasks take the shared queue
 * until it reads again, and ops.dispatch runs those already queued to it (rescue_queued).
 */
static void watch_user_space(u64 now)
{
	u64 cons = bpf_ringbuf_query(&queued, BPF_RB_CONS_POS);

	if (cons != ring_cons_seen || !ring_pending()) {
		ring_cons_seen = cons;
		ring_cons_seen_at = now;
		shared.user_stalled = 0;
		return;
	}
	if (cfg.user_stall_ms && !shared.user_stalled &&
	    now - ring_cons_seen_at >= (u64)cfg.user_stall_ms * JL_NSEC_PER_MSEC) {
		shared.user_stalled = 1;
		count(&shared.nr_user_stalls);
		/* An idle CPU passes through ops.dispatch, where the tasks queued to user space run. */
		bpf_loop(nr_cpu_ids, kick_idle, NULL, 0);
	}
}

/* Runs the parked scheduling thread at least once per HEARTBEAT_NS, and watches user space. */
static int heartbeat_fn(void *map, int *key, struct bpf_timer *timer)
{
	u64 now = scx_bpf_now();

	watch_user_space(now);
	if (shared.usersched_parked && now - shared.usersched_last_run_at >= HEARTBEAT_NS) {
		shared.usersched_needed = 1;
		scx_bpf_kick_cpu(shared.usersched_cpu, SCX_KICK_IDLE);
	}
	bpf_timer_start(timer, heartbeat_period_ns(), 0);
	return 0;
}

static long create_cpu_dsq(u64 cpu, void *err)
{
	s32 ret = scx_bpf_create_dsq(cpu, -1);

	if (ret) {
		*(s32 *)err = ret;
		return 1;
	}
	return 0;
}

s32 JL_CALLBACK_SLEEPABLE(jl_init)
{
	const struct cpumask *online;
	struct bpf_timer *timer;
	u32 key = 0;
	s32 err = 0;

	nr_cpu_ids = scx_bpf_nr_cpu_ids();
	if (nr_cpu_ids > JL_MAX_CPUS) {
		jl_error("%u CPUs, at most %u supported", nr_cpu_ids, JL_MAX_CPUS);
		return -JL_E2BIG;
	}
	online = scx_bpf_get_online_cpumask();
	shared.nr_online_cpus = bpf_cpumask_weight(online);
	scx_bpf_put_cpumask(online);

	bpf_loop(nr_cpu_ids, create_cpu_dsq, &err, 0);
	if (err) {
		jl_error("creating the CPU queues failed: %d", err, 0);
		return err;
	}
	err = scx_bpf_create_dsq(JL_SHARED_DSQ, -1);
	if (!err)
		err = scx_bpf_create_dsq(JL_SCHED_DSQ, -1);
	if (!err)
		err = scx_bpf_create_dsq(JL_HOST_DSQ, -1);
	if (err) {
		jl_error("creating the shared queues failed: %d", err, 0);
		return err;
	}

	timer = bpf_map_lookup_elem(&heartbeat, &key);
	if (!timer)
		return -JL_ESRCH;
	bpf_timer_init(timer, &heartbeat, JL_CLOCK_BOOTTIME);
	bpf_timer_set_callback(timer, heartbeat_fn);
	err = bpf_timer_start(timer, heartbeat_period_ns(), 0);
	if (err)
		jl_error("starting the heartbeat timer failed: %d", err, 0);
	return err;
}

void JL_CALLBACK(jl_exit, struct scx_exit_info *ei)
{
	jl_record_exit(&shared.exit, ei, exit_dump, cfg.exit_dump_len);
}

/* Picks an idle CPU for a task user space is about to dispatch (bpf_prog_test_run, ctx_in). */
SEC("syscall")
int jl_pick_idle_cpu(struct jl_pick_cpu_args *args)
{
	struct task_struct *p;
	s32 prev_cpu, cpu;

	p = bpf_task_from_pid(args->pid);
	if (!p)
		return -JL_ESRCH;
	prev_cpu = args->prev_cpu;
	bpf_rcu_read_lock();
	if (prev_cpu < 0 || prev_cpu >= nr_cpu_ids)
		prev_cpu = scx_bpf_task_cpu(p);
	cpu = pick_idle_cpu(p, prev_cpu);
	bpf_rcu_read_unlock();
	bpf_task_release(p);
	return cpu;
}

/* Makes a parked scheduling thread run soon (KernelLink.wakeup from another thread). */
SEC("syscall")
int jl_wakeup(void *ctx)
{
	shared.usersched_needed = 1;
	if (shared.usersched_parked)
		scx_bpf_kick_cpu(shared.usersched_cpu, SCX_KICK_IDLE);
	return 0;
}

SEC(".struct_ops.link")
struct sched_ext_ops javaland_ops = {
	.select_cpu	= (void *)jl_select_cpu,
	.enqueue	= (void *)jl_enqueue,
	.yield		= (void *)jl_yield,
	.dispatch	= (void *)jl_dispatch,
	.runnable	= (void *)jl_runnable,
	.running	= (void *)jl_running,
	.stopping	= (void *)jl_stopping,
	.dequeue	= (void *)jl_dequeue,
	.quiescent	= (void *)jl_quiescent,
	.enable		= (void *)jl_enable,
	.init_task	= (void *)jl_init_task,
	.cpu_online	= (void *)jl_cpu_online,
	.cpu_offline	= (void *)jl_cpu_offline,
	.init		= (void *)jl_init,
	.exit		= (void *)jl_exit,
	/* A task left alone on its CPU comes to ops.enqueue (SCX_ENQ_LAST), so does the yield. */
	.flags		= SCX_OPS_ENQ_LAST,
	.timeout_ms	= 5000,
	.dispatch_max_batch = 512,
	.name		= "javaland",
};
