package org.scxjavaland.link.bpf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeFalse;

import java.nio.file.Files;
import java.util.Map;
import org.junit.Test;

/**
 * The component's {@link org.scxjavaland.link.LinkStatus}: a link that cannot start says
 * why there, in the link's own sentence, so that the launcher can print it and stop.
 */
public class BpfLinkComponentTest {

    @Test
    public void onAKernelWithoutSchedExtTheStatusSaysSo() {
        assumeFalse("this kernel has sched_ext", Files.isDirectory(SystemChecks.SCHED_EXT));
        BpfLinkComponent component = new BpfLinkComponent();
        component.activate(null, Map.of());
        assertFalse(component.ready());
        String failure = component.failure();
        assertTrue(failure, failure.startsWith("This kernel (" + SystemChecks.kernelRelease() + ") has no sched_ext"));
        assertEquals("", component.failureDetail());
        component.deactivate();
    }

    @Test
    public void aBadValueIsTheFailureAndNothingIsLoaded() {
        BpfLinkComponent component = new BpfLinkComponent();
        component.activate(null, Map.of("slice_us_min", "0"));
        assertFalse(component.ready());
        assertEquals("slice_us_min must be between 1 and 1000000 microseconds, not 0. The BPF link stays off until it"
                + " is fixed.", component.failure());
        component.deactivate();
    }

    @Test
    public void beforeAnythingHappensThereIsNoFailure() {
        BpfLinkComponent component = new BpfLinkComponent();
        assertFalse(component.ready());
        assertNull(component.failure());
        assertEquals("", component.failureLog());
    }
}
