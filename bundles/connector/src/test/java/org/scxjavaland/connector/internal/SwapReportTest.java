package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.scxjavaland.connector.internal.Waits.await;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Test;
import org.scxjavaland.api.SwapReport;

/**
 * What a swap reports when the scheduling thread made the change before it came to the swap's
 * own request: a policy that had just arrived queued a look at the registry, and by the time that
 * look ran the swap had already asked for that policy.
 */
public class SwapReportTest {

    private Scheduler scheduler;
    private FakeLink link;

    @After
    public void close() {
        if (link != null) {
            link.release();
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    public void aSwapCarriedOutByAnEarlierRequestReportsTheChangeItAskedFor() throws Exception {
        scheduler = new Scheduler("first");
        scheduler.addPolicy(new TestPolicy("first", TestPolicy.Order.FIFO));
        link = new FakeLink(4, 64, 0, 32).load(3);
        scheduler.attach(link);
        await(() -> "first".equals(scheduler.activePolicy()), "the first policy active");

        link.holdNextRound();
        await(link::held, "the scheduling thread held at a round's end");
        Thread arrival = new Thread(() -> scheduler.addPolicy(new TestPolicy("second", TestPolicy.Order.FIFO)));
        arrival.start();
        // Registered first, then waiting for its request (asking the policy its name waits too).
        await(() -> scheduler.availablePolicies().contains("second")
                && arrival.getState() == Thread.State.TIMED_WAITING, "the arrival's request queued");
        AtomicReference<SwapReport> report = new AtomicReference<>();
        Thread swap = new Thread(() -> report.set(scheduler.swap("second")));
        swap.start();
        await(() -> swap.getState() == Thread.State.TIMED_WAITING, "the swap's request queued");

        link.release();
        swap.join();
        arrival.join();
        assertEquals("second", scheduler.activePolicy());
        assertEquals("first", report.get().from());
        assertEquals("second", report.get().to());
    }
}
