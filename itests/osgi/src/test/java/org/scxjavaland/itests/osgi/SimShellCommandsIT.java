package org.scxjavaland.itests.osgi;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.scxjavaland.sim.Simulator;

/** The simulated machine's commands through gogo: {@code scx:sim} and {@code scx:workload}. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SimShellCommandsIT extends HostTestSupport {

    private static final Pattern VIRTUAL_TIME = Pattern.compile("(?m)^virtual time: (\\d+\\.\\d{3}) s ");

    @Inject
    private CommandProcessor processor;

    private Gogo gogo;
    private Simulator simulator;

    @Before
    public void openSession() {
        gogo = new Gogo(processor);
        simulator = service(Simulator.class, null);
    }

    @After
    public void backToTheDefaultWorkload() throws Exception {
        // scx:workload puts a workload of another CPU count into the layer over etc/'s configuration.
        Configuration override = configurationAdmin.getConfiguration("org.scxjavaland.sim.override", "?");
        if (override.getProperties() != null) {
            override.delete();
        }
        waitUntil("a machine of 4 CPUs", () -> service(Simulator.class, null).options().cpus() == 4);
        service(Simulator.class, null).loadWorkload("desktop-under-build");
        gogo.close();
    }

    private double virtualSeconds(String sim) {
        Matcher m = VIRTUAL_TIME.matcher(sim);
        assertTrue(sim, m.find());
        return Double.parseDouble(m.group(1));
    }

    @Test
    public void simShowsTheWorkloadTheVirtualTimeAndTheLatencyTable() throws Exception {
        awaitUserDispatches(1_000);
        String sim = gogo.run("scx:sim");

        assertThat(sim, containsString("workload:     desktop-under-build\n"));
        assertThat(sim, containsString("policy:       deadline\n"));
        assertTrue("one virtual time, the table's, and the machine clock named as such: " + sim, Pattern.compile(
                "(?m)^virtual time: \\d+\\.\\d{3} s since the policy or the workload last changed \\(machine clock \\d+\\.\\d{3} s\\)$")
                .matcher(sim).find());
        double first = virtualSeconds(sim);
        assertTrue(sim, first > 0);
        assertTrue(sim, Pattern.compile("(?m)^group +kind +tasks +wakeups +p50\\(us\\) +p99\\(us\\) +p99\\.9\\(us\\) +max\\(us\\)"
                + " +cpu% ")
                .matcher(sim).find());
        // One row per task group, with its latency percentiles once it has woken up.
        assertTrue(sim, Pattern.compile("(?m)^\\S+ +\\S+ +\\d+ +\\d+ +\\d+\\.\\d +\\d+\\.\\d +\\d+\\.\\d +\\d+\\.\\d +\\d+\\.\\d ")
                .matcher(sim).find());
        assertThat(sim, containsString("dispatches: user "));

        awaitUserDispatches(1_000);
        assertTrue("the virtual clock moves on", virtualSeconds(gogo.run("scx:sim")) > first);
    }

    @Test
    public void aPolicySwapStartsTheTableAfreshSoThatItNeverMixesTwoPolicies() throws Exception {
        awaitUserDispatches(1_000);
        long beforeSwap = simulator.virtualTimeNs();
        try {
            gogo.run("scx:use fifo");
            // Measured since the workload was loaded, the table would cover more than the time since beforeSwap.
            waitUntil("a table that starts at the swap", () -> {
                long elapsed = simulator.report().elapsedNs();
                return elapsed <= simulator.virtualTimeNs() - beforeSwap;
            });
            awaitUserDispatches(1_000);
            String sim = gogo.run("scx:sim");
            assertThat(sim, containsString("policy:       fifo\n"));
            assertTrue(sim, virtualSeconds(sim) > 0);
        } finally {
            gogo.run("scx:use deadline");
        }
    }

    @Test
    public void workloadSwitchesToAnotherBuiltInOfTheSameSizeWithoutReplacingTheMachine() throws Exception {
        assertEquals("workload idle loaded; it starts at the next scheduling round\n", gogo.run("scx:workload idle"));
        waitUntil("the idle workload running", () -> "idle".equals(simulator.workloadName()));
        assertThat(gogo.run("scx:sim"), containsString("workload:     idle\n"));
        assertSame("the same machine runs the new workload", simulator, service(Simulator.class, null));
    }

    @Test
    public void workloadThatDefinesMoreCpusGetsAMachineOfThatSizeAsTheCfgRouteDoes() throws Exception {
        assertEquals("workload server loaded on a new simulated machine of 8 CPUs (the workload's; this one had 4)\n",
                gogo.run("scx:workload server"));
        waitUntil("a machine of 8 CPUs running server", () -> {
            Simulator now = service(Simulator.class, null);
            return now.options().cpus() == 8 && "server".equals(now.workloadName());
        });
        waitUntil("the scheduler on 8 CPUs", () -> backend().nrCpus() == 8);
        awaitUserDispatches(1_000);
        assertThat(gogo.run("scx:sim"), containsString("workload:     server\n"));
    }

    @Test
    public void aWrongCallGetsTheUsage() throws Exception {
        assertEquals("usage: scx:workload NAME|FILE (built in: desktop-under-build, server, idle)",
                gogo.refused("scx:workload"));
        assertEquals("usage: scx:sim (it takes no arguments)", gogo.refused("scx:sim now"));
    }

    @Test
    public void workloadRefusesAnUnknownOneAndKeepsRunningTheCurrentOne() throws Exception {
        String refusal = gogo.refused("scx:workload nosuch");
        assertThat(refusal, containsString("'nosuch'"));
        assertThat(refusal, containsString("desktop-under-build"));
        assertEquals("desktop-under-build", simulator.workloadName());
        awaitUserDispatches(1_000);
        assertThat(gogo.run("scx:sim"), containsString("workload:     desktop-under-build\n"));
    }
}
