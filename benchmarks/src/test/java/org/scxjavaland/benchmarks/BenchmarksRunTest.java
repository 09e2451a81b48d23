package org.scxjavaland.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * The short version of the benchmarks, for CI: each measuring loop runs briefly in the state it
 * promises (the backlog held, tasks dispatched round after round). Asserts no time or figure.
 */
public class BenchmarksRunTest {

    @Test
    public void theUserSpaceLoopKeepsItsBacklogForEveryShape() {
        for (String policy : new String[] {"deadline", "fifo"}) {
            for (int held : new int[] {16, 256, 4096}) {
                for (int batch : new int[] {1, 8, 64}) {
                    SchedulingPathBenchmark shape = new SchedulingPathBenchmark();
                    shape.held = held;
                    shape.batch = batch;
                    shape.policy = policy;
                    SchedulingPathBenchmark.Loop loop = new SchedulingPathBenchmark.Loop(held, batch, shape.newPolicy());
                    for (int round = 0; round < 200; round++) {
                        assertEquals(batch, loop.kernel.runDispatched());
                        assertEquals(policy + " " + held + "/" + batch, batch, loop.userRound());
                    }
                    loop.checkSteadyState();
                }
            }
        }
    }

    @Test
    public void theConnectorPathRunsTasksBothWays() throws Exception {
        for (String policy : new String[] {"deadline", "fifo"}) {
            ConnectorPath.Figures alone = ConnectorPath.policyAlone(ConnectorPath.newPolicy(policy), 64, 0.05, 0.2);
            ConnectorPath.Figures connector = ConnectorPath.throughTheConnector(ConnectorPath.newPolicy(policy), 64, 0.05, 0.2);
            assertTrue(policy + " alone dispatched " + alone.tasks(), alone.tasks() > 0);
            assertTrue(policy + " through the connector dispatched " + connector.tasks(), connector.tasks() > 0);
        }
    }
}
