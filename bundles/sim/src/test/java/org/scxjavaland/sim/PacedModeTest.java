package org.scxjavaland.sim;

import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/** Paced mode: virtual time does not run ahead of the wall clock, and wakeup() cuts a wait short. */
public class PacedModeTest {

    @Test
    public void virtualTimeDoesNotOutrunTheWallClock() throws Exception {
        SimulatedMachine m = new SimulatedMachine(Workload.load("idle"),
                SimOptions.builder().mode(SimOptions.Mode.PACED).durationMs(150).build());
        long wallStart = System.nanoTime();
        new FifoDriver(m, 0).runUntilExit(Long.MAX_VALUE);
        long wall = System.nanoTime() - wallStart;
        assertTrue(m.exited());
        // The machine sleeps whenever it would be more than 1 ms ahead of the wall clock.
        assertTrue("virtual " + m.now() + " ns in wall " + wall + " ns", m.now() <= wall + 2_000_000);
    }

    @Test
    public void wakeupEndsAWaitingRound() throws Exception {
        SimulatedMachine m = new SimulatedMachine(
                Workload.parse("t", "t", "group.a.run_us=100\ngroup.a.sleep_us=3600000000\ngroup.a.start_us=3600000000"),
                SimOptions.builder().mode(SimOptions.Mode.PACED).heartbeatNs(3_600_000_000_000L).build());
        CountDownLatch returned = new CountDownLatch(1);
        Thread scheduler = new Thread(() -> {
            m.notifyComplete(0); // nothing happens for an hour of virtual time
            returned.countDown();
        });
        scheduler.start();
        Thread.sleep(50);
        m.wakeup();
        assertTrue("notifyComplete returned after wakeup()", returned.await(10, TimeUnit.SECONDS));
        assertTrue(m.now() < 3_600_000_000_000L);
        scheduler.join();
    }
}
