package org.scxjavaland.recorder.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scxjavaland.link.KernelLink;

public class RecorderComponentTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A link that cannot record, counting how often it was asked to. */
    private static KernelLink link(AtomicInteger asked) {
        return (KernelLink) Proxy.newProxyInstance(KernelLink.class.getClassLoader(), new Class<?>[] {KernelLink.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "recordTaskEvents" -> {
                        asked.incrementAndGet();
                        yield null;
                    }
                    case "kind" -> "test";
                    case "nrCpus" -> 1;
                    default -> null;
                });
    }

    /**
     * Activated again (its link registered anew), the component does not start a second recording
     * into the file of the first, which would truncate it.
     */
    @Test
    public void aFileThisHostRecordedIntoIsNotRecordedIntoAgain() {
        Path file = tmp.getRoot().toPath().resolve("once.trace");
        AtomicInteger asked = new AtomicInteger();
        new RecorderComponent(link(asked), Map.of("file", file.toString())).deactivate();
        new RecorderComponent(link(asked), Map.of("file", file.toString())).deactivate();
        assertEquals(1, asked.get());
        new RecorderComponent(link(asked), Map.of("file", tmp.getRoot().toPath().resolve("other.trace").toString()))
                .deactivate();
        assertEquals(2, asked.get());
    }
}
