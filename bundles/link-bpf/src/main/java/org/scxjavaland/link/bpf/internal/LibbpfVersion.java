package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Finds libbpf and reads its version, before {@link Libbpf} binds the functions that need a
 * recent one. {@code libbpf_major_version}/{@code _minor_version} exist since libbpf 0.6.
 */
final class LibbpfVersion {
    /** The oldest libbpf that loads scx_javaland's object (.struct_ops.link, sleepable struct_ops). */
    static final int MIN_MAJOR = 1;
    static final int MIN_MINOR = 4;

    private static final NativeLibrary LIBRARY = load();

    static {
        Native.register(LibbpfVersion.class, LIBRARY);
    }

    private LibbpfVersion() {
    }

    private static NativeLibrary load() {
        UnsatisfiedLinkError first = null;
        for (String name : new String[] {"libbpf.so.1", "bpf"}) {
            try {
                return NativeLibrary.getInstance(name);
            } catch (UnsatisfiedLinkError e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    static NativeLibrary library() {
        return LIBRARY;
    }

    static native int libbpf_major_version();

    static native int libbpf_minor_version();

    static String version() {
        return libbpf_major_version() + "." + libbpf_minor_version();
    }

    static boolean recentEnough() {
        int major = libbpf_major_version();
        return major > MIN_MAJOR || (major == MIN_MAJOR && libbpf_minor_version() >= MIN_MINOR);
    }
}
