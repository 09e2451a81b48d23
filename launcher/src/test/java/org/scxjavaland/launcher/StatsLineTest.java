package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.scxjavaland.api.Metrics;

/** The monitor line that {@code --stats} prints from the host's counters. */
public class StatsLineTest {

    @Test
    public void statsLineShowsDeltasOfTheDispatchCounters() {
        Metrics before = new Metrics(2, 4, 1, 5, 0, 100, 10, 1, 0, 0, 3);
        Metrics now = new Metrics(3, 4, 0, 6, 0, 250, 12, 1, 4, 2, 3);
        String line = StatsPrinter.line(now, before);
        assertEquals("[javaland] tasks -> r:  3/4  w: 0 /6  | pf: 0     | dispatch -> u: 150     k: 2       c: 0    "
                + " b: 4     f: 2     | cg: 0    ", line);
    }

    @Test
    public void sevenDigitCountersKeepTheColumnsAndADeltaNeverGoesNegative() {
        Metrics before = new Metrics(2, 4, 1, 5, 0, 100, 10, 1, 0, 0, 3);
        Metrics busy = new Metrics(3, 4, 0, 6, 0, 1_234_667, 1_000_010, 1, 4, 2, 3);
        Metrics small = new Metrics(3, 4, 0, 6, 0, 101, 11, 1, 4, 2, 3);
        String wide = StatsPrinter.line(busy, before);
        String narrow = StatsPrinter.line(small, before);
        assertEquals(narrow.length(), wide.length());
        assertEquals(narrow.indexOf(" c: "), wide.indexOf(" c: "));

        Metrics afterTheLinkWentAway = Metrics.ZERO;
        String line = StatsPrinter.line(afterTheLinkWentAway, busy);
        assertFalse(line, line.contains(": -"));
        assertFalse("a scheduler that stopped does not follow its last counters", afterTheLinkWentAway.follows(busy));
        assertTrue(busy.follows(before));
    }
}
