package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.Map;
import org.junit.Test;

/** {@code --backend}: what auto picks on which machine, and the first line that says so and why. */
public class BackendChoiceTest {

    private static final Preflight.Machine SCHED_EXT_AS_ROOT = new Preflight.Machine(true, true, "7.3.4");
    private static final Preflight.Machine SCHED_EXT_AS_USER = new Preflight.Machine(true, false, "7.3.4");
    private static final Preflight.Machine NO_SCHED_EXT_AS_ROOT = new Preflight.Machine(false, true, "6.1.0");

    private static Preflight.BackendChoice choose(Preflight.Machine machine, Map<String, Object> etc, String... args) {
        return Preflight.backend(Options.parse(args), etc, machine);
    }

    @Test
    public void autoPicksBpfOnASchedExtKernelAsRoot() {
        Preflight.BackendChoice choice = choose(SCHED_EXT_AS_ROOT, Map.of());
        assertEquals("bpf", choice.backend());
        assertEquals(Cli.versionLine() + " on this machine's kernel, through sched_ext (--backend auto: this kernel"
                + " has sched_ext and scx_javaland runs as root).", choice.firstLine());
    }

    @Test
    public void autoPicksTheSimulatorWithoutRoot() {
        Preflight.BackendChoice choice = choose(SCHED_EXT_AS_USER, Map.of(), "--backend", "auto");
        assertEquals("sim", choice.backend());
        assertEquals(Cli.versionLine() + " on the simulated machine (--backend auto: this kernel has sched_ext, but"
                + " only root may load a scheduler into it).", choice.firstLine());
    }

    @Test
    public void autoPicksTheSimulatorWithoutSchedExt() {
        Preflight.BackendChoice choice = choose(NO_SCHED_EXT_AS_ROOT, Map.of());
        assertEquals("sim", choice.backend());
        assertEquals(Cli.versionLine() + " on the simulated machine (--backend auto: this kernel (6.1.0) has no"
                + " sched_ext).", choice.firstLine());
    }

    @Test
    public void anExplicitChoiceIsTakenAsItIs() {
        assertEquals("bpf", choose(SCHED_EXT_AS_ROOT, Map.of(), "--backend", "bpf").backend());
        assertEquals("sim", choose(SCHED_EXT_AS_ROOT, Map.of(), "--backend", "sim").backend());
        assertEquals(Cli.versionLine() + " on this machine's kernel, through sched_ext (--backend bpf).",
                choose(SCHED_EXT_AS_ROOT, Map.of(), "--backend", "bpf").firstLine());
    }

    @Test
    public void bpfOnAKernelWithoutSchedExtEndsBeforeAnyFirstLine() {
        LaunchFailure failure = assertThrows(LaunchFailure.class,
                () -> choose(NO_SCHED_EXT_AS_ROOT, Map.of(), "--backend", "bpf"));
        assertEquals(ExitCode.FAILURE, failure.exitCode());
        assertEquals("This kernel (6.1.0) has no sched_ext (/sys/kernel/sched_ext is missing): boot a kernel built"
                + " with CONFIG_SCHED_CLASS_EXT=y, or run on the simulated machine (--backend sim).", failure.getMessage());
        // etc/ asking for bpf is checked the same way
        assertThrows(LaunchFailure.class, () -> choose(NO_SCHED_EXT_AS_ROOT, Map.of(HostConfiguration.BACKEND, "bpf")));
    }

    @Test
    public void bpfAsAnotherUserThanRootEndsBeforeAnyFirstLine() {
        LaunchFailure failure = assertThrows(LaunchFailure.class,
                () -> choose(SCHED_EXT_AS_USER, Map.of(), "--backend", "bpf"));
        assertEquals(ExitCode.FAILURE, failure.exitCode());
        assertEquals("Only root may load a scheduler into the kernel (--backend bpf): start scx_javaland with sudo or"
                + " as root, or run on the simulated machine (--backend sim).", failure.getMessage());
    }

    @Test
    public void etcDecidesWhenTheCommandLineDoesNot() {
        Map<String, Object> etc = Map.of(HostConfiguration.BACKEND, "auto");
        assertEquals(Cli.versionLine() + " on this machine's kernel, through sched_ext (backend = auto in etc/"
                + HostConfiguration.CONNECTOR_PID + ".cfg: this kernel has sched_ext and scx_javaland runs as root).",
                choose(SCHED_EXT_AS_ROOT, etc).firstLine());
        assertEquals("sim", choose(SCHED_EXT_AS_ROOT, etc, "--backend", "sim").backend());
        // A blank value is no value, at start as while the host runs.
        assertEquals("bpf", choose(SCHED_EXT_AS_ROOT, Map.of(HostConfiguration.BACKEND, " ")).backend());
    }

    @Test
    public void anUnknownBackendInEtcIsAUsageError() {
        LaunchFailure failure = assertThrows(LaunchFailure.class,
                () -> choose(SCHED_EXT_AS_ROOT, Map.of(HostConfiguration.BACKEND, "kernel")));
        assertEquals(ExitCode.USAGE, failure.exitCode());
        assertEquals("Unknown backend 'kernel' in etc/" + HostConfiguration.CONNECTOR_PID + ".cfg: use sim, bpf or auto.",
                failure.getMessage());
    }
}
