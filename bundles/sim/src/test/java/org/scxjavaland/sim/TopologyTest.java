package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/** How a topology is written and read, and the one-sentence errors of a bad one. */
public class TopologyTest {

    @Test
    public void aTopologyReadsItsSizesAndCosts() {
        Topology t = Topology.parse(" nodes=2, llcs-per-node=2,cores-per-llc=4,threads-per-core=2 ");
        assertEquals(32, t.cpus());
        assertEquals(Topology.DEFAULT_LLC_REFILL_US * 1000, t.llcRefillNs());
        assertEquals(650, t.smtSpeedPermille());
        assertFalse(t.isFlat());
        Topology costs = Topology.parse("cores-per-llc=2,threads-per-core=2,smt-speed=0.5,llc-refill-us=7,node-refill-us=0");
        assertEquals(4, costs.cpus());
        assertEquals(500, costs.smtSpeedPermille());
        assertEquals(7_000, costs.llcRefillNs());
        assertEquals(0, costs.nodeRefillNs());
        assertEquals("its written form reads back the same", costs, Topology.parse(costs.toString()));
        assertTrue(Topology.parse("cores-per-llc=6").isFlat());
        assertEquals(Topology.flat(6).cpus(), 6);
    }

    @Test
    public void badTopologiesGetOneSentence() {
        assertBad("nodes=2", "The topology 'nodes=2' is wrong: cores-per-llc is missing");
        assertBad("nodes=0,cores-per-llc=4", "nodes is '0', expected a whole number from 1 to 1024.");
        assertBad("cores-per-llc=0", "cores-per-llc is '0'");
        assertBad("cores-per-llc=4,threads-per-core=", "threads-per-core is ''");
        assertBad("cores-per-llc=4,sockets=2", "the key 'sockets' is unknown; expected nodes, llcs-per-node");
        assertBad("cores-per-llc=4,cores-per-llc=2", "cores-per-llc is given twice.");
        assertBad("cores-per-llc=4;threads-per-core=2", "cores-per-llc is '4;threads-per-core=2', expected a whole number");
        assertBad("cores-per-llc=4,smt", "'smt' is not key=value");
        assertBad("nodes=8,llcs-per-node=8,cores-per-llc=16,threads-per-core=2", "it has 2048 CPUs, more than the 1024");
        assertBad("cores-per-llc=4,smt-speed=1.5", "smt-speed is '1.5', expected a fraction above 0 and at most 1");
        assertBad("cores-per-llc=4,smt-speed=0", "smt-speed is '0'");
        assertBad("cores-per-llc=4,llc-refill-us=-1", "llc-refill-us is '-1', expected a whole number of microseconds");
    }

    @Test
    public void aWorkloadFileMayDeclareItsMachine() throws Exception {
        Workload w = Workload.parse("Test workload", "t", String.join("\n",
                "topology=nodes=2,cores-per-llc=2,threads-per-core=2", "group.a.run_us=-1"));
        assertEquals("the topology's CPUs", 8, w.cpus());
        assertEquals(8, w.topology().cpus());
        assertEquals(8, new SimulatedMachine(w, SimOptions.defaults()).nrCpus());
        Workload same = Workload.parse("Test workload", "t", String.join("\n",
                "cpus=8", "topology=nodes=2,cores-per-llc=2,threads-per-core=2", "group.a.run_us=-1"));
        assertEquals(8, same.cpus());
    }

    @Test
    public void aWorkloadWhoseCpusDisagreeWithItsTopologyIsRefused() {
        assertBadWorkload("Test workload, line 2: the topology has 8 CPUs but cpus is 4; expected the same count,"
                + " or no cpus line.", "cpus=4", "topology=nodes=2,cores-per-llc=2,threads-per-core=2", "group.a.run_us=-1");
        assertBadWorkload("Test workload, line 1: the topology 'cores-per-llc=0' is wrong: cores-per-llc is '0',"
                + " expected a whole number from 1 to 1024.", "topology=cores-per-llc=0", "group.a.run_us=-1");
    }

    @Test
    public void theOptionsAndTheWorkloadMustAgreeOnTheCpus() throws Exception {
        Topology t = Topology.of(1, 2, 2, 2);
        assertEquals("the topology gives the CPUs", 8, SimOptions.builder().topology(t).build().cpus());
        try {
            SimOptions.builder().cpus(4).topology(t).build();
            fail("accepted 4 CPUs with an 8-CPU topology");
        } catch (IllegalArgumentException e) {
            assertEquals("Simulator option: cpus is 4 but the topology " + t + " has 8 CPUs: give the same count"
                    + " or only the topology.", e.getMessage());
        }
        Workload w = Workload.parse("Test workload", "t", String.join("\n",
                "topology=nodes=2,cores-per-llc=2,threads-per-core=2", "group.a.run_us=-1"));
        try {
            new SimulatedMachine(w, SimOptions.builder().cpus(16).build());
            fail("accepted 16 CPUs for a workload whose topology has 8");
        } catch (WorkloadException e) {
            assertEquals("Test workload declares a topology of 8 CPUs, but the machine is to have 16: give no CPU"
                    + " count, or a topology of 16 CPUs too.", e.getMessage());
        }
        SimulatedMachine m = new SimulatedMachine(w, SimOptions.builder().topology(Topology.of(1, 1, 3, 2)).build());
        assertEquals("the options' topology wins over the workload's", 6, m.nrCpus());
    }

    private static void assertBad(String spec, String expected) {
        try {
            Topology.parse(spec);
            fail("accepted " + spec);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
            assertTrue("one sentence: " + e.getMessage(), e.getMessage().endsWith(".")
                    && e.getMessage().indexOf(". ") < 0);
        }
    }

    private static void assertBadWorkload(String expected, String... lines) {
        try {
            Workload.parse("Test workload", "t", String.join("\n", lines));
            fail("accepted " + String.join(" / ", lines));
        } catch (WorkloadException e) {
            assertEquals(expected, e.getMessage());
        }
    }
}
