package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class ProcessStatTest {

    @Test
    public void addsMinorAndMajorFaultsEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String line = "1234 (java (main) x) S 1 1234 1234 0 -1 4194560 250 7 30 0 12 3 0 0 20 0 25 0 100 0 0";
        assertEquals(250 + 30, ProcessStat.pageFaults(line));
    }
}
