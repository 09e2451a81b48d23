/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scx_javaland's BPF object plus one program the kernel's verifier must refuse: it reads past
 * the end of a map value. LauncherVmIT starts the launcher with it (-Dscx.bpf.object) to see
 * what a user reads when the verifier rejects the scheduler.
 */
#include "javaland.bpf.c"

SEC("syscall")
int jl_read_past_value(void *ctx)
{
	u32 key = 0;
	u64 *value = bpf_map_lookup_elem(&heartbeat, &key);

	/* The heartbeat's value is one 16-byte bpf_timer: offset 64 is outside it. */
	return value ? value[8] != 0 : 0;
}
