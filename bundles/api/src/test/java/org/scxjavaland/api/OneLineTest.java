package org.scxjavaland.api;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import org.junit.Test;

public class OneLineTest {

    @Test
    public void anExceptionIsItsSimpleNameAndItsMessageWithWhitespaceFolded() {
        assertEquals("IOException: no such file or folder",
                OneLine.of(new IOException("  no such\n\tfile   or folder ")));
        assertEquals("IllegalStateException", OneLine.of(new IllegalStateException()));
        assertEquals("IllegalStateException", OneLine.of(new IllegalStateException(" \n")));
    }

    @Test
    public void aTextIsItsFirstLineTrimmedWithoutAFinalPeriod() {
        assertEquals("invalid version \"1.x\": non-numeric \"x\"",
                OneLine.first("\n  invalid version \"1.x\": non-numeric \"x\".\n\tat somewhere\n", "none"));
        assertEquals("libbpf.so.1: cannot open shared object file", OneLine.first("libbpf.so.1: cannot open shared object file", "none"));
        assertEquals("none", OneLine.first(null, "none"));
        assertEquals("none", OneLine.first(" \n ", "none"));
    }
}
