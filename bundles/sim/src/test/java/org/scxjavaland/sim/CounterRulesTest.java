package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.scxjavaland.sim.Machines.machine;
import static org.scxjavaland.sim.Machines.take;

import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.CounterRules;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.sim.machine.SimulatedMachine;

/**
 * The simulated machine counts dispatches by the rules the BPF side keeps (link's CounterRules,
 * which BpfLinkVmIT holds the BPF side to on a real kernel).
 */
public class CounterRulesTest {

    @Test
    public void theProbeMovesTheCountsAsTheRulesSay() throws Exception {
        SimulatedMachine m = machine("cpus=2", "group.a.count=2", "group.a.run_us=1000", "group.a.sleep_us=5000",
                "group.a.start_us=0", "group.a.jitter=0");
        m.notifyComplete(0);
        QueuedTask a = take(m);
        QueuedTask b = take(m);
        LinkCounters before = m.counters();

        assertTrue(CounterRules.sendProbe(m, a, b));
        m.notifyComplete(0);

        LinkCounters after = m.counters();
        assertEquals(CounterRules.expected(CounterRules.PROBE), CounterRules.grown(before, after));
        assertEquals("every dispatch carried out", CounterRules.PROBE.length,
                CounterRules.carriedOut(after) - CounterRules.carriedOut(before));
    }

    @Test
    public void eachRuleAlone() throws Exception {
        for (CounterRules rule : CounterRules.values()) {
            SimulatedMachine m = machine("cpus=2", "group.a.run_us=1000", "group.a.sleep_us=5000",
                    "group.a.start_us=0", "group.a.jitter=0");
            m.notifyComplete(0);
            QueuedTask a = take(m);
            LinkCounters before = m.counters();

            assertTrue(m.dispatch(rule.dispatchOf(a, new DispatchedTask())));
            m.notifyComplete(0);

            assertEquals(rule.name(), CounterRules.expected(rule), CounterRules.grown(before, m.counters()));
        }
    }
}
