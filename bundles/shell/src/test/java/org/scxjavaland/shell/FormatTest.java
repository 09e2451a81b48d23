package org.scxjavaland.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

public class FormatTest {

    @Test
    public void tableColumnsAreAsWideAsTheirWidestCell() {
        String t = Format.table(new String[] {"NAME", "V"},
                List.of(new String[] {"deadline", "1"}, new String[] {"fifo", "22"}));
        assertEquals(String.join(System.lineSeparator(), "NAME      V", "deadline  1", "fifo      22", ""), t);
    }

    @Test
    public void durationsReadLikeAClock() {
        assertEquals("6.1s", Format.duration(Duration.ofMillis(6100)));
        assertEquals("4m05s", Format.duration(Duration.ofSeconds(245)));
        assertEquals("1h02m03s", Format.duration(Duration.ofSeconds(3723)));
    }

    @Test
    public void valuesTakeTheTypeOfTheCurrentValue() {
        assertEquals(5000, Format.parseValue("5000", 20000));
        assertEquals(5000L, Format.parseValue("5000", 20000L));
        assertEquals(true, Format.parseValue("TRUE", false));
        assertEquals("x", Format.parseValue("x", "y"));
    }

    @Test
    public void badValuesAreRefusedWithOneSentence() {
        assertEquals("expected a whole number, not 'fast'",
                assertThrows(IllegalArgumentException.class, () -> Format.parseValue("fast", 1)).getMessage());
        assertEquals("expected true or false, not 'yes'",
                assertThrows(IllegalArgumentException.class, () -> Format.parseValue("yes", false)).getMessage());
        assertEquals("99999999999 is out of range for this option",
                assertThrows(IllegalArgumentException.class, () -> Format.parseValue("99999999999", 1)).getMessage());
    }
}
