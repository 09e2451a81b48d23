/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What any sched_ext scheduler of scx_javaland needs besides its own decisions: the kfuncs it
 * calls, declared once; wrappers that pick, as the object loads, the form of a kfunc that the
 * running kernel has; the macros that put a callback into its struct_ops section; the error and
 * exit helpers; and the copy of the kernel's exit information for user space.
 *
 * The kfuncs are declared here rather than taken from vmlinux.h (BPF_NO_KFUNC_PROTOTYPES):
 * bpftool writes into vmlinux.h whatever the kernel it was made from has, so a scheduler that
 * used those prototypes would compile against one kernel's set and fail to load on another.
 * Those that a kernel may lack are __weak: the object then loads, and bpf_ksym_exists() says at
 * load time whether the call can be made (libbpf leaves a missing one at address 0, and the
 * verifier drops the branch that would call it).
 */
#ifndef __JL_SCHED_EXT_H
#define __JL_SCHED_EXT_H

#define BPF_NO_KFUNC_PROTOTYPES
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* Dispatch queues and their tasks (inserting and taking: see the wrappers below). */
extern s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
extern s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym;
extern u32 scx_bpf_dispatch_nr_slots(void) __ksym;
extern void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;
/* Walking a dispatch queue (SCX_DSQ_ITER_REV: from its last task). */
extern int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __ksym __weak;
extern struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym __weak;
extern void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym __weak;

/* Tasks and CPUs. */
extern s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym;
extern bool scx_bpf_task_running(const struct task_struct *p) __ksym;
extern bool scx_bpf_task_set_dsq_vtime(struct task_struct *p, u64 vtime) __ksym;
extern bool scx_bpf_task_set_slice(struct task_struct *p, u64 slice) __ksym __weak;
extern struct task_struct *scx_bpf_dsq_peek(u64 dsq_id) __ksym __weak;
extern u64 scx_bpf_now(void) __ksym;
extern u32 scx_bpf_nr_cpu_ids(void) __ksym;
extern const struct cpumask *scx_bpf_get_online_cpumask(void) __ksym;
extern void scx_bpf_put_cpumask(const struct cpumask *cpumask) __ksym;
extern struct task_struct *scx_bpf_cpu_curr(s32 cpu) __ksym __weak;

/* The kernel's idle-CPU tracking. */
extern s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
				  bool *is_idle) __ksym;
extern bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __ksym;
extern s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym;
extern s32 scx_bpf_pick_idle_cpu_node(const struct cpumask *cpus_allowed, s32 node, u64 flags) __ksym __weak;
extern s32 scx_bpf_cpu_node(s32 cpu) __ksym __weak;

/* Ending the scheduler. */
extern void scx_bpf_exit_bstr(s64 exit_code, char *fmt, unsigned long long *data, u32 data__sz) __ksym;
extern void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym;

/* Generic BPF kfuncs. */
extern u32 bpf_cpumask_weight(const struct cpumask *cpumask) __ksym;
extern bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym;
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

/* The kernel's per-CPU run queues (a CPU going offline shows on its own). */
extern const struct rq runqueues __ksym;

/*
 * Kfuncs that a newer kernel offers in a new form (a changed return type or argument list, under
 * a new name), keeping the old one for a few releases before removing it. Both forms are __weak;
 * each jl_ wrapper calls the new form when the kernel has it, else the old one, so that the object
 * loads on kernels before the change and after the removal alike.
 *
 * A kernel function whose own name ends in "___v2" is declared with one more "___" suffix: libbpf
 * looks a kfunc up by its name without the last such suffix (a "flavor"), so a name declared as it
 * is would be looked up as the old function, whose prototype does not match.
 */
extern bool scx_bpf_dsq_insert___v2___jl(struct task_struct *p, u64 dsq_id, u64 slice,
					 u64 enq_flags) __ksym __weak;
extern void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
extern bool __scx_bpf_dsq_insert_vtime(struct task_struct *p,
				       struct scx_bpf_dsq_insert_vtime_args *args) __ksym __weak;
extern void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				     u64 enq_flags) __ksym __weak;
extern bool scx_bpf_dsq_move_to_local___v2___jl(u64 dsq_id, u64 enq_flags) __ksym __weak;
extern bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym __weak;
extern s32 __scx_bpf_select_cpu_and(struct task_struct *p, const struct cpumask *cpus_allowed,
				    struct scx_bpf_select_cpu_and_args *args) __ksym __weak;
extern s32 scx_bpf_select_cpu_and(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
				  const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;

/* Puts @p on dispatch queue @dsq_id, in arrival order, with @slice ns to run. */
static __always_inline void jl_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert___v2___jl))
		scx_bpf_dsq_insert___v2___jl(p, dsq_id, slice, enq_flags);
	else
		scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags);
}

/* Puts @p on dispatch queue @dsq_id in the order of @vtime, with @slice ns to run. */
static __always_inline void jl_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
						u64 enq_flags)
{
	struct scx_bpf_dsq_insert_vtime_args args = {
		.dsq_id = dsq_id, .slice = slice, .vtime = vtime, .enq_flags = enq_flags,
	};

	if (bpf_ksym_exists(__scx_bpf_dsq_insert_vtime))
		__scx_bpf_dsq_insert_vtime(p, &args);
	else
		scx_bpf_dsq_insert_vtime(p, dsq_id, slice, vtime, enq_flags);
}

/* Moves the first task of dispatch queue @dsq_id to this CPU's local queue; false when it is empty. */
static __always_inline bool jl_dsq_move_to_local(u64 dsq_id)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___v2___jl))
		return scx_bpf_dsq_move_to_local___v2___jl(dsq_id, 0);
	return scx_bpf_dsq_move_to_local(dsq_id);
}

#define JL_ESRCH	3
#define JL_E2BIG	7
#define JL_ENOMEM	12
#define JL_EBUSY	16
#define JL_CLOCK_BOOTTIME 7
#define JL_NSEC_PER_USEC 1000ULL
#define JL_NSEC_PER_MSEC 1000000ULL
#define JL_NSEC_PER_SEC	1000000000ULL
#define JL_PF_KTHREAD	0x00200000
#define JL_PF_KSWAPD	0x00020000

/*
 * A callback of struct sched_ext_ops: its program, named @name, goes into the section that tells
 * libbpf it is a struct_ops program, and BPF_PROG unpacks the callback's arguments. The sleepable
 * form is for the callbacks the kernel allows to sleep (ops.init, ops.init_task, ...).
 */
#define JL_CALLBACK(name, args...)		SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define JL_CALLBACK_SLEEPABLE(name, args...)	SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* scx_bpf_error() with one or two numbers in the message. */
#define jl_error(fmt, a, b)						\
	do {								\
		static char ___fmt[] = fmt;				\
		unsigned long long ___args[2] = { (a), (b) };		\
		scx_bpf_error_bstr(___fmt, ___args, sizeof(___args));	\
	} while (0)

/* scx_bpf_exit() with an exit code and two values for the message. */
#define jl_exit_with(code, fmt, a, b)					\
	do {								\
		static char ___fmt[] = fmt;				\
		unsigned long long ___args[2] = { (a), (b) };		\
		scx_bpf_exit_bstr((code), ___fmt, ___args, sizeof(___args)); \
	} while (0)

/*
 * Idle-CPU pick with the kernel's default policy within @p's CPUs (prev_cpu first, then an idle
 * core, then any idle CPU); a kernel without scx_bpf_select_cpu_and() in either form ignores @flags.
 */
static __always_inline s32 jl_select_idle_cpu(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
					      u64 flags)
{
	struct scx_bpf_select_cpu_and_args args = {
		.prev_cpu = prev_cpu, .wake_flags = wake_flags, .flags = flags,
	};
	bool is_idle = false;
	s32 cpu;

	if (bpf_ksym_exists(__scx_bpf_select_cpu_and))
		return __scx_bpf_select_cpu_and(p, p->cpus_ptr, &args);
	if (bpf_ksym_exists(scx_bpf_select_cpu_and))
		return scx_bpf_select_cpu_and(p, prev_cpu, wake_flags, p->cpus_ptr, flags);
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	return is_idle ? cpu : -JL_EBUSY;
}

/* Ends @p's slice now (a kernel before scx_bpf_task_set_slice() lets the field be written). */
static __always_inline void jl_end_slice(struct task_struct *p)
{
	if (bpf_ksym_exists(scx_bpf_task_set_slice))
		scx_bpf_task_set_slice(p, 0);
	else
		p->scx.slice = 0;
}

/* True when vtime @a comes before or with @b (the clocks wrap: compare the difference). */
static __always_inline bool jl_vtime_before_eq(u64 a, u64 b)
{
	return (s64)(a - b) <= 0;
}

/*
 * Copies what the kernel says of the scheduler's end into @out (a struct with kind, exit_code,
 * reason[] and msg[]) and up to @dump_len bytes of its dump into @dump_buf; the kind last and
 * atomically, since user space reads the rest once it sees the kind set.
 */
#define jl_record_exit(out, ei, dump_buf, dump_len)				\
	do {									\
		bpf_probe_read_kernel_str((out)->reason, sizeof((out)->reason), (ei)->reason); \
		bpf_probe_read_kernel_str((out)->msg, sizeof((out)->msg), (ei)->msg);	\
		if (dump_len)							\
			bpf_probe_read_kernel_str((dump_buf), (dump_len), (ei)->dump);	\
		(out)->exit_code = (ei)->exit_code;				\
		__sync_lock_test_and_set(&(out)->kind, (ei)->kind);		\
	} while (0)

#endif /* __JL_SCHED_EXT_H */
