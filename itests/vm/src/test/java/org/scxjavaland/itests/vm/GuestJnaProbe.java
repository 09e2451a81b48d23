package org.scxjavaland.itests.vm;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Run inside the guest by {@link VmLabVmIT}: calls libc's getpid through JNA and compares it
 * with the JVM's own idea of its pid, so a JNA that loads but calls the wrong thing fails too.
 * Prints {@code jna-getpid=N jvm-pid=N java=VERSION} and exits 0 only when the two agree.
 */
public final class GuestJnaProbe {

    /** The one libc function the probe needs. */
    public interface CLib extends Library {
        int getpid();
    }

    private GuestJnaProbe() {
    }

    public static void main(String[] args) {
        CLib libc = Native.load("c", CLib.class);
        long viaJna = libc.getpid();
        long viaJvm = ProcessHandle.current().pid();
        System.out.println("jna-getpid=" + viaJna + " jvm-pid=" + viaJvm + " java=" + System.getProperty("java.version"));
        System.exit(viaJna == viaJvm && viaJna > 0 ? 0 : 1);
    }
}
