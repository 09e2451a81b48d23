package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.Test;
import org.scxjavaland.api.QueuedTask;

public class TaskLedgerTest {

    private final TaskLedger ledger = new TaskLedger();
    private final QueuedTask task = new QueuedTask();

    @Test
    public void agreesWithAHashMapOverManyRandomOperations() {
        Map<Integer, Long> model = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            // Few distinct pids, some of them colliding in the table, so probe chains get long.
            int pid = random.nextBoolean() ? random.nextInt(300) : random.nextInt(40) * 1024;
            if (random.nextInt(3) > 0) {
                ledger.record(task.pid(pid).enqCnt(i));
                model.put(pid, (long) i);
            } else {
                int slot = ledger.find(pid);
                assertEquals(model.containsKey(pid), slot >= 0);
                if (slot >= 0) {
                    assertEquals(model.remove(pid).longValue(), ledger.at(slot).enqCnt());
                    ledger.removeAt(slot);
                }
            }
            assertEquals(model.size(), ledger.size());
        }
        for (Map.Entry<Integer, Long> e : model.entrySet()) {
            int slot = ledger.find(e.getKey());
            assertTrue(slot >= 0);
            assertEquals(e.getValue().longValue(), ledger.at(slot).enqCnt());
        }
        int seen = 0;
        for (int slot = 0; slot < ledger.capacity(); slot++) {
            if (ledger.at(slot) != null) {
                seen++;
            }
        }
        assertEquals(model.size(), seen);
    }

    @Test
    public void aNewerRecordReplacesTheOlderOne() {
        ledger.record(task.pid(5).enqCnt(1).weight(100));
        ledger.record(task.pid(5).enqCnt(2).weight(300));
        assertEquals(1, ledger.size());
        QueuedTask held = ledger.at(ledger.find(5));
        assertEquals(2, held.enqCnt());
        assertEquals(300, held.weight());
    }

    @Test
    public void keepsACopyNotTheCallersObject() {
        ledger.record(task.pid(9).enqCnt(3));
        task.pid(9).enqCnt(4);
        assertEquals(3, ledger.at(ledger.find(9)).enqCnt());
    }

    @Test
    public void checkingOffTellsHeldSupersededAndUnknownRecordsApart() {
        ledger.record(task.pid(1).enqCnt(10));
        ledger.record(task.pid(2).enqCnt(20));
        ledger.beginCheck();

        int slot = ledger.checkOff(new QueuedTask().pid(1).enqCnt(10));
        assertTrue(slot >= 0);
        assertTrue(ledger.checkedOff(slot));
        assertEquals("twice is once too many", TaskLedger.UNKNOWN, ledger.checkOff(new QueuedTask().pid(1).enqCnt(10)));
        assertEquals(TaskLedger.SUPERSEDED, ledger.checkOff(new QueuedTask().pid(2).enqCnt(19)));
        assertEquals(TaskLedger.UNKNOWN, ledger.checkOff(new QueuedTask().pid(3).enqCnt(1)));
        assertEquals(1, ledger.checkedCount());

        ledger.beginCheck();
        assertEquals("a new check starts clean", 0, ledger.checkedCount());
        assertTrue(ledger.checkOff(new QueuedTask().pid(1).enqCnt(10)) >= 0);
    }

    @Test
    public void clearForgetsEverythingAndReusesItsCopies() {
        for (int pid = 1; pid <= 1000; pid++) {
            ledger.record(task.pid(pid).enqCnt(1));
        }
        QueuedTask any = ledger.at(ledger.find(500));
        assertNotNull(any);
        Set<QueuedTask> copies = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int slot = 0; slot < ledger.capacity(); slot++) {
            if (ledger.at(slot) != null) {
                copies.add(ledger.at(slot));
            }
        }
        ledger.clear();
        assertEquals(0, ledger.size());
        assertEquals(-1, ledger.find(500));
        ledger.record(task.pid(7).enqCnt(1));
        assertEquals(1, ledger.size());
        assertTrue("the new record reuses a copy made before the clear", copies.contains(ledger.at(ledger.find(7))));
    }
}
