package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * libbpf (>= 1.4) through JNA's direct mapping. Pointers are {@code long} addresses; functions
 * that return a pointer return 0 on failure with the reason in {@code errno}
 * ({@link Native#getLastError()}), those that return an int return a negative errno.
 *
 * <p>Bind it only after {@link LibbpfVersion} said the library is recent enough: binding fails as
 * a whole when a single function is missing.
 */
final class Libbpf {
    static final int BTF_KIND_STRUCT = 4;
    static final int BTF_KIND_VAR = 14;
    static final int BTF_KIND_DATASEC = 15;

    static {
        Native.register(Libbpf.class, LibbpfVersion.library());
    }

    private Libbpf() {
    }

    /** Makes sure the functions are bound (throws UnsatisfiedLinkError when one is missing). */
    static void bind() {
        // the static initializer does the work
    }

    static native long bpf_object__open_mem(long buf, long size, long opts);

    static native int bpf_object__load(long obj);

    static native void bpf_object__close(long obj);

    static native long bpf_object__find_map_by_name(long obj, String name);

    static native long bpf_object__find_program_by_name(long obj, String name);

    static native long bpf_object__btf(long obj);

    static native int bpf_map__fd(long map);

    static native long bpf_map__initial_value(long map, long psize);

    static native int bpf_map__set_value_size(long map, int size);

    static native int bpf_map__value_size(long map);

    static native int bpf_map__max_entries(long map);

    static native long bpf_map__attach_struct_ops(long map);

    static native int bpf_link__destroy(long link);

    static native int bpf_program__fd(long prog);

    static native long bpf_object__next_program(long obj, long prev);

    static native String bpf_program__name(long prog);

    static native int bpf_program__set_log_buf(long prog, long logBuf, long logSize);

    static native int bpf_program__set_log_level(long prog, int level);

    static native int bpf_prog_test_run_opts(int progFd, long opts);

    static native int libbpf_num_possible_cpus();

    static native int btf__find_by_name_kind(long btf, String name, int kind);

    static native long btf__type_by_id(long btf, int id);

    static native String btf__name_by_offset(long btf, int offset);

    /** fn: a {@link PrintFn}; returns the previous one. */
    static native long libbpf_set_print(Callback fn);

    /** libbpf_print_fn_t: {@code int (*)(enum libbpf_print_level, const char *fmt, va_list args)}. */
    interface PrintFn extends Callback {
        int invoke(int level, long format, long vaList);
    }

    /** Keeps NativeLibrary from being collected while classes are bound to it. */
    static NativeLibrary library() {
        return LibbpfVersion.library();
    }
}
