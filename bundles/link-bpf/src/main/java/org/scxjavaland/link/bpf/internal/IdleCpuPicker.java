package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.scxjavaland.link.bpf.internal.BpfLayout.PickCpuArgs;

/**
 * Runs one of the BPF side's {@code SEC("syscall")} programs with {@code BPF_PROG_TEST_RUN}, its
 * argument struct as {@code ctx_in} (the kernel refuses a {@code ctx_out} for these programs), and
 * returns what it returned. The buffers are allocated once, so a run allocates nothing: one
 * instance per thread.
 *
 * <p>struct bpf_test_run_opts (libbpf): {@code sz @0, ctx_in @32, ctx_size_in @48, retval @56},
 * 80 bytes in all.
 */
final class IdleCpuPicker {
    static final int OPTS_SIZE = 80;
    private static final int OPTS_SZ = 0;
    private static final int OPTS_CTX_IN = 32;
    private static final int OPTS_CTX_SIZE_IN = 48;
    private static final int OPTS_RETVAL = 56;

    private final int progFd;
    private final Memory memory = new Memory(OPTS_SIZE + PickCpuArgs.SIZE);
    private final long optsAddress = Pointer.nativeValue(memory);
    private final ByteBuffer opts;
    private final ByteBuffer args;

    IdleCpuPicker(int progFd) {
        this.progFd = progFd;
        memory.clear();
        ByteBuffer all = memory.getByteBuffer(0, OPTS_SIZE + PickCpuArgs.SIZE).order(ByteOrder.nativeOrder());
        this.opts = all.slice(0, OPTS_SIZE).order(ByteOrder.nativeOrder());
        this.args = all.slice(OPTS_SIZE, PickCpuArgs.SIZE).order(ByteOrder.nativeOrder());
        opts.putLong(OPTS_SZ, OPTS_SIZE);
        opts.putLong(OPTS_CTX_IN, optsAddress + OPTS_SIZE);
        opts.putInt(OPTS_CTX_SIZE_IN, PickCpuArgs.SIZE);
    }

    /** @return the program's return value, or a negative errno when it could not run */
    int run(int pid, int prevCpu, long flags) {
        args.putInt(PickCpuArgs.PID, pid);
        args.putInt(PickCpuArgs.PREV_CPU, prevCpu);
        args.putLong(PickCpuArgs.FLAGS, flags);
        int err = Libbpf.bpf_prog_test_run_opts(progFd, optsAddress);
        if (err != 0) {
            return err < 0 ? err : -err;
        }
        return opts.getInt(OPTS_RETVAL);
    }
}
