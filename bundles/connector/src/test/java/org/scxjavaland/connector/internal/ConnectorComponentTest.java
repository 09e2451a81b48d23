package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.link.KernelLink;

/** The component's wiring, driven by hand the way Declarative Services would. */
public class ConnectorComponentTest {

    @Test
    public void schedulesTheLinkOfTheConfiguredKindAndFollowsItsServiceAndTheConfiguration() throws Exception {
        ConnectorComponent component = new ConnectorComponent();
        FakeLink sim = new FakeLink(2, 32, 0, 1).kind("sim").load(2);
        FakeLink bpf = new FakeLink(8, 32, 0, 2).kind("bpf").load(2);
        TestPolicy fifo = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        TestPolicy nope = new TestPolicy("nope", TestPolicy.Order.LIFO);
        component.bindPolicy(fifo, null);
        component.bindLink(sim, Map.of(KernelLink.KIND, "sim"));
        component.bindLink(bpf, Map.of(KernelLink.KIND, "bpf"));
        component.activate(null, Map.of("backend", "bpf", "policy", "fifo"));
        try {
            assertEquals("bpf", component.kind());
            assertEquals(8, component.nrCpus());
            assertEquals("fifo", component.activePolicy());
            awaitRounds(bpf);
            assertEquals("the other kind is left alone", 0, sim.rounds);

            component.unbindLink(bpf);
            assertTrue("scheduling stopped with the link's service", bpf.bypass);
            assertNull(component.startedAt());
            assertEquals("bpf", component.kind());

            component.modified(Map.of("backend", "sim", "policy", "fifo"));
            assertEquals("sim", component.kind());
            awaitRounds(sim);

            component.modified(Map.of("backend", "sim", "policy", "nope"));
            assertEquals("a configured policy that is not installed leaves the active one in charge",
                    "fifo", component.activePolicy());
            component.bindPolicy(nope, null);
            assertEquals("the configured policy becomes active when it appears", "nope", component.activePolicy());
            component.unbindPolicy(nope, null);
            assertEquals("without it, the built-in FIFO", SchedulerBackend.BUILTIN_FIFO, component.activePolicy());
            component.modified(Map.of("backend", "sim", "policy", "fifo"));
            assertEquals("fifo", component.activePolicy());
        } finally {
            component.deactivate();
        }
        assertTrue(sim.bypass);
        assertFalse(component.scheduling());
        assertEquals("active on bpf, on sim, then again after the configuration named it", 3, fifo.activations);
        assertEquals(3, fifo.deactivations);
        assertEquals(1, nope.activations);
        assertEquals(1, nope.deactivations);
    }

    private static void awaitRounds(FakeLink link) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (link.rounds < 100) {
            assertTrue("the link should be scheduled", System.nanoTime() < deadline);
            Thread.sleep(1);
        }
    }
}
