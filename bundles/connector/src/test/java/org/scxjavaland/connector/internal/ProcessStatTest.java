package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.Test;

public class ProcessStatTest {

    @Test
    public void addsMinorAndMajorFaultsEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String line = "1234 (java (main) x) S 1 1234 1234 0 -1 4194560 250 7 30 0 12 3 0 0 20 0 25 0 100 0 0";
        assertEquals(250 + 30, ProcessStat.pageFaults(line));
    }

    @Test
    public void countsOnlyTheFaultsOfTheThreadItIsAskedAbout() throws Exception {
        Path[] quietStat = new Path[1];
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread quiet = new Thread(() -> {
            quietStat[0] = ProcessStat.currentThreadStat();
            started.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        quiet.start();
        started.await();
        assertTrue(quietStat[0].toString(), quietStat[0].toString().matches("/proc/\\d+/task/\\d+/stat"));
        long quietBefore = ProcessStat.pageFaults(quietStat[0]);
        long mineBefore = ProcessStat.pageFaults(ProcessStat.currentThreadStat());

        // Touch 32 MiB of fresh memory on this thread: thousands of page faults, all of them ours.
        ByteBuffer fresh = ByteBuffer.allocateDirect(32 << 20);
        for (int i = 0; i < fresh.capacity(); i += 4096) {
            fresh.put(i, (byte) 1);
        }

        long mine = ProcessStat.pageFaults(ProcessStat.currentThreadStat()) - mineBefore;
        long quietFaults = ProcessStat.pageFaults(quietStat[0]) - quietBefore;
        done.countDown();
        quiet.join();
        assertTrue("this thread's faults: " + mine, mine >= 4000);
        assertTrue("the waiting thread's faults: " + quietFaults, quietFaults < 100);
    }
}
