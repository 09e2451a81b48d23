package org.scxjavaland.link;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class LogBudgetTest {

    @Test
    public void allowsItsLinesPerWindowAndCountsTheRestForTheNextLine() {
        LogBudget budget = new LogBudget(2, 1_000);
        assertTrue(budget.allow(0));
        assertTrue(budget.allow(10));
        assertFalse(budget.allow(20));
        assertFalse(budget.allow(999));
        // A new window: the first line may say that two events went unlogged.
        assertTrue(budget.allow(1_000));
        assertEquals(2, budget.takeSuppressed());
        assertEquals(0, budget.takeSuppressed());
        assertTrue(budget.allow(1_500));
        assertFalse(budget.allow(1_999));
        assertEquals(1, budget.takeSuppressed());
    }

    @Test
    public void aMillionEventsInOneWindowGiveItsLinesOnly() {
        LogBudget budget = new LogBudget(5, 60_000_000_000L);
        int logged = 0;
        for (int i = 0; i < 1_000_000; i++) {
            logged += budget.allow(i) ? 1 : 0;
        }
        assertEquals(5, logged);
        assertEquals(999_995, budget.takeSuppressed());
    }
}
