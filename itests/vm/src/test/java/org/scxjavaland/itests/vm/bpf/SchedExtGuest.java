package org.scxjavaland.itests.vm.bpf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scxjavaland.itests.vm.VmLab;

/**
 * Runs a command in the VM lab the way the tests that attach a sched_ext scheduler need it: with
 * every vCPU on one host thread ({@code VMLAB_TCG_THREAD=single}). Multi-threaded TCG sometimes
 * crashed the guest kernel ("Oops: int3" at a jump label) while sched_ext switched on or off,
 * which flips static keys while the other vCPU runs; with one host thread that never happened.
 */
final class SchedExtGuest {

    private static final String TCG_THREAD = "VMLAB_TCG_THREAD";

    private SchedExtGuest() {
    }

    /**
     * Boots the guest and runs {@code command} in it, at most {@code timeout}.
     *
     * @param out where the files the command writes into {@code $VMLAB_OUT} land, or null
     */
    static VmLab.Result run(Duration timeout, Path out, String... command) {
        VmLab.Options options = VmLab.Options.of(timeout)
                .withTcgThread(System.getenv().getOrDefault(TCG_THREAD, "single"));
        return VmLab.run(out == null ? options : options.withOut(out), command);
    }

    /** {@code sh -c script} with {@code args} as $1, $2, ... */
    static VmLab.Result shell(Duration timeout, String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", script, "vmlab-sh"));
        cmd.addAll(Arrays.asList(args));
        return run(timeout, null, cmd.toArray(new String[0]));
    }

    /** The repository this test runs in (searched upwards from the working directory for bundles/link-bpf). */
    static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("bundles/link-bpf")) && Files.isDirectory(dir.resolve("launcher"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the scx_javaland repository was not found above " + Path.of("").toAbsolutePath() + ".");
    }
}
