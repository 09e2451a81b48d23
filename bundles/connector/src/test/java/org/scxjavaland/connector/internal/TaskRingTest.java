package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.scxjavaland.api.QueuedTask;

public class TaskRingTest {

    @Test
    public void keepsArrivalOrderAcrossWrapAroundAndGrowth() {
        TaskRing ring = new TaskRing();
        QueuedTask task = new QueuedTask();
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 7 * round % 97; i++) {
                ring.addLast(task.pid(next++));
            }
            for (int i = 0; i < 5 && ring.size() > 0; i++) {
                assertEquals(expected++, ring.get(0).pid());
                ring.removeFirst();
            }
        }
        for (int i = 0; i < ring.size(); i++) {
            assertEquals(expected + i, ring.get(i).pid());
        }
    }
}
