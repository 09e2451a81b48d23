package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.Map;
import org.junit.Test;

/** How the options map onto the ConfigAdmin PIDs: only what the user gave, under the right keys. */
public class HostConfigurationTest {

    @Test
    public void nothingGivenChangesNothing() {
        assertEquals(Map.of(), HostConfiguration.fromCommandLine(Options.parse()));
    }

    @Test
    public void givenOptionsGoToTheirPids() {
        Map<String, Map<String, Object>> pids = HostConfiguration.fromCommandLine(Options.parse(
                "-s", "5000", "-S", "200", "-l", "--policy", "fifo", "--workload", "idle", "--sim-cpus", "2",
                "--sim-seed", "7", "--sim-mode", "fast", "--sim-duration-ms", "300", "--sim-sched-round-ns", "4000",
                "--sim-sched-task-ns", "0", "-n", "-p",
                "--exit-dump-len", "4096"));
        assertEquals(Map.of("slice_us", 5000L, "slice_us_min", 200L, "percpu_local", true),
                pids.get(HostConfiguration.DEADLINE_PID));
        assertEquals(Map.of("policy", "fifo"), pids.get(HostConfiguration.CONNECTOR_PID));
        assertEquals(Map.of("slice_us_min", 200L, "numa_local", true, "partial", true, "exit_dump_len", 4096L),
                pids.get(HostConfiguration.BPF_PID));
        // The simulator's go into the layer over etc/'s PID, so that an edit of its .cfg file keeps them.
        assertEquals(Map.of("workload", "idle", "cpus", 2, "seed", 7L, "mode", "fast", "duration_ms", 300L,
                "numa_local", true, "sched_round_ns", 4000L, "sched_task_ns", 0L),
                pids.get(HostConfiguration.SIM_OVERRIDE_PID));
        assertFalse(pids.containsKey(HostConfiguration.SIM_PID));
    }

    @Test
    public void onlyGivenKeysAppear() {
        Map<String, Map<String, Object>> pids = HostConfiguration.fromCommandLine(Options.parse("-S", "500"));
        assertEquals(Map.of(HostConfiguration.DEADLINE_PID, Map.of("slice_us_min", 500L),
                HostConfiguration.BPF_PID, Map.of("slice_us_min", 500L)), pids);
        assertFalse(pids.containsKey(HostConfiguration.SIM_OVERRIDE_PID));
    }

    @Test
    public void theBpfLinksOptionsLeaveTheConnector() {
        Map<String, Map<String, Object>> pids = HostConfiguration.fromCommandLine(Options.parse("-p", "-n", "-v",
                "--exit-dump-len", "65536"));
        assertEquals(Map.of(HostConfiguration.BPF_PID, Map.of("partial", true, "numa_local", true, "verbose", true,
                "exit_dump_len", 65536L), HostConfiguration.SIM_OVERRIDE_PID, Map.of("numa_local", true)), pids);
    }

    @Test
    public void theSimulatedMachinesShapeGoesToTheSimulator() {
        Map<String, Map<String, Object>> pids = HostConfiguration.fromCommandLine(Options.parse(
                "--sim-topology", "nodes=2,cores-per-llc=4,threads-per-core=2", "--sim-idle-pick", "FLAT"));
        assertEquals(Map.of(HostConfiguration.SIM_OVERRIDE_PID, Map.of("topology", "nodes=2,cores-per-llc=4,threads-per-core=2",
                "idle_pick", "flat")), pids);
    }

    @Test
    public void theQueueDepthGoesToTheConnector() {
        assertEquals(Map.of(HostConfiguration.CONNECTOR_PID, Map.of("queue_depth", 1)),
                HostConfiguration.fromCommandLine(Options.parse("--queue-depth", "1")));
    }

    @Test
    public void aQueueDepthOutOfRangeIsRefused() {
        for (String bad : new String[] {"-1", "65537", "two"}) {
            try {
                Options.parse("--queue-depth", bad);
                org.junit.Assert.fail("--queue-depth " + bad + " was accepted");
            } catch (picocli.CommandLine.ParameterException e) {
                org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("tasks per CPU from 0 (no bound) to 65536"));
            }
        }
    }

    @Test
    public void aLiveHostIsPacedUnlessToldOtherwise() {
        assertEquals("paced", HostConfiguration.hostDefaults().get(HostConfiguration.SIM_PID).get("mode"));
    }
}
