package org.scxjavaland.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * The short version of the benchmarks, for CI: each measuring loop runs briefly and produces its
 * figures in the state it promises (the backlog held, every task dispatched again). Measures
 * nothing and asserts no time: the figures only have to exist.
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
    public void theConnectorPathProducesItsFigures() throws Exception {
        for (String policy : new String[] {"deadline", "fifo"}) {
            double alone = ConnectorPath.policyAlone(ConnectorPath.newPolicy(policy), 64, 0.05, 0.2);
            double connector = ConnectorPath.throughTheConnector(ConnectorPath.newPolicy(policy), 64, 0.05, 0.2);
            assertTrue(policy + " alone: " + alone, Double.isFinite(alone) && alone > 0);
            assertTrue(policy + " through the connector: " + connector, Double.isFinite(connector) && connector > 0);
        }
    }
}
