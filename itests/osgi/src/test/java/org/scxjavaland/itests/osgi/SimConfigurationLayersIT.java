package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;

import java.io.IOException;
import java.util.Map;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.Simulator;

/**
 * The simulator's two configurations, as the launcher sets them: etc/'s file under
 * {@code org.scxjavaland.sim} (fileinstall replaces it as a whole whenever the file changes), and
 * the command line's options under {@code org.scxjavaland.sim.override}. An edit of the file
 * changes what it names and the command line did not set; the machine the command line asked for
 * runs on, with its duration, and is not replaced for an edit that changes nothing of it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SimConfigurationLayersIT extends HostTestSupport {

    private static final String SIM_PID = "org.scxjavaland.sim";
    private static final String OVERRIDE_PID = "org.scxjavaland.sim.override";
    /** Long enough never to end while the test runs; its value tells the command line's machine. */
    private static final long DURATION_MS = 3_600_000;

    @After
    public void forgetConfigurations() throws IOException {
        for (String pid : new String[] {OVERRIDE_PID, SIM_PID}) {
            Configuration cfg = configurationAdmin.getConfiguration(pid, "?");
            if (cfg.getProperties() != null) {
                cfg.delete();
            }
        }
        waitUntil("the default machine back", () -> service(Simulator.class, null).options().durationNs() == 0
                && service(Simulator.class, null).options().cpus() == 4);
    }

    /** The running machine, once it is the command line's: server on 8 CPUs, seed 7, the long duration. */
    private Simulator commandLinesMachine(SimOptions.Mode mode) {
        waitUntil("the command line's machine, " + mode, () -> {
            Simulator s = service(Simulator.class, null);
            SimOptions o = s.options();
            return "server".equals(s.workloadName()) && o.cpus() == 8 && o.seed() == 7
                    && o.durationNs() == DURATION_MS * 1_000_000 && o.mode() == mode;
        });
        return service(Simulator.class, null);
    }

    @Test
    public void anEditOfTheCfgFileKeepsWhatTheCommandLineSetAndChangesOnlyWhatItNames() throws Exception {
        // At start: etc/'s file (as the shipped one, mode = paced), then the command line's options.
        configure(SIM_PID, Map.of("mode", "paced"));
        configure(OVERRIDE_PID, Map.of("workload", "server", "seed", 7L, "duration_ms", DURATION_MS));
        Simulator machine = commandLinesMachine(SimOptions.Mode.PACED);

        // Any edit, even of a key the simulator does not know: fileinstall gives the file's keys alone.
        try (LogCapture log = new LogCapture()) {
            configure(SIM_PID, Map.of("mode", "paced", "frobnicate", "1"));
            waitUntil("the edit reached the simulator", () -> log.lineWith("the key frobnicate is unknown") != null);
        }
        assertSame("the same machine runs on", machine, service(Simulator.class, null));
        assertEquals("server", machine.workloadName());
        assertEquals(8, machine.options().cpus());
        assertEquals(DURATION_MS * 1_000_000, machine.options().durationNs());
        awaitUserDispatches(1_000);

        // An edit that names what the command line did not set takes effect, on the command line's machine.
        configure(SIM_PID, Map.of("mode", "fast"));
        Simulator faster = commandLinesMachine(SimOptions.Mode.FAST);
        assertNotSame("a new mode needs a new machine", machine, faster);

        // What the command line set wins over the file.
        try (LogCapture log = new LogCapture()) {
            configure(SIM_PID, Map.of("mode", "fast", "workload", "idle", "duration_ms", 500L, "frobnicate", "2"));
            waitUntil("the edit reached the simulator", () -> log.lineWith("the key frobnicate is unknown") != null);
        }
        assertSame(faster, service(Simulator.class, null));
        assertEquals("server", faster.workloadName());
        assertEquals(DURATION_MS * 1_000_000, faster.options().durationNs());
    }
}
