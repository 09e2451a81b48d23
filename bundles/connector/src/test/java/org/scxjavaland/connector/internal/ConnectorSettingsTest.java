package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ConnectorSettingsTest {

    @Test
    public void withoutConfigurationAnyLinkAndTheDeadlinePolicy() {
        ConnectorSettings.Parsed parsed = ConnectorSettings.parse(Map.of(), ConnectorSettings.DEFAULTS);
        assertEquals(new ConnectorSettings("", "deadline"), parsed.settings());
        assertEquals(List.of(), parsed.problems());
        assertTrue(parsed.settings().accepts("sim"));
        assertTrue(parsed.settings().accepts("bpf"));
    }

    @Test
    public void readsTheBackendAndThePolicy() {
        ConnectorSettings s = ConnectorSettings.parse(Map.of("backend", "bpf", "policy", " fifo "),
                ConnectorSettings.DEFAULTS).settings();
        assertEquals(new ConnectorSettings("bpf", "fifo"), s);
        assertTrue(s.accepts("bpf"));
        assertFalse(s.accepts("sim"));
    }

    @Test
    public void aBadValueIsExplainedInOneSentenceAndThePreviousOneKept() {
        ConnectorSettings previous = new ConnectorSettings("sim", "fifo");
        ConnectorSettings.Parsed parsed = ConnectorSettings.parse(Map.of("backend", "kvm", "policy", "two words"),
                previous);
        assertEquals(previous, parsed.settings());
        assertEquals(List.of(
                "The connector setting backend='kvm' is not a backend; use sim, bpf or auto (keeping backend sim).",
                "The connector setting policy='two words' is not a policy name; use the name of an installed"
                        + " policy such as deadline or fifo (keeping fifo)."), parsed.problems());
    }

    @Test
    public void autoIsABackendLiveAsAtStartWhicheverLinkRuns() {
        ConnectorSettings.Parsed parsed = ConnectorSettings.parse(Map.of("backend", "auto"),
                new ConnectorSettings("sim", "deadline"), "sim");
        assertEquals(List.of(), parsed.problems());
        assertEquals("", parsed.settings().backend());
        assertTrue(parsed.settings().accepts("sim"));
        assertEquals("bpf", ConnectorSettings.parse(Map.of("backend", "BPF"), ConnectorSettings.DEFAULTS).settings()
                .backend());
    }

    @Test
    public void aRefusedBackendSaysWhatIsKept() {
        assertEquals(List.of("The connector setting backend='foo' is not a backend; use sim, bpf or auto (keeping backend"
                + " bpf, the bpf link it schedules)."), ConnectorSettings.parse(Map.of("backend", "foo"),
                new ConnectorSettings("bpf", "deadline"), "bpf").problems());
        assertEquals(List.of("The connector setting backend='foo' is not a backend; use sim, bpf or auto (keeping no backend"
                + " setting: it schedules the sim link it has)."), ConnectorSettings.parse(Map.of("backend", "foo"),
                ConnectorSettings.DEFAULTS, "sim").problems());
        assertEquals(List.of("The connector setting backend='foo' is not a backend; use sim, bpf or auto (keeping no backend"
                + " setting: it schedules whichever link comes first)."), ConnectorSettings.parse(
                Map.of("backend", "foo"), ConnectorSettings.DEFAULTS).problems());
    }

    @Test
    public void readsTheQueueDepthFromANumberOrAFilesString() {
        assertEquals(0, ConnectorSettings.parse(Map.of(), ConnectorSettings.DEFAULTS).settings().queueDepth());
        assertEquals(1, ConnectorSettings.parse(Map.of("queue_depth", 1), ConnectorSettings.DEFAULTS).settings()
                .queueDepth());
        assertEquals(4, ConnectorSettings.parse(Map.of("queue_depth", " 4 "), ConnectorSettings.DEFAULTS).settings()
                .queueDepth());
    }

    @Test
    public void aBadQueueDepthIsExplainedAndThePreviousOneKept() {
        ConnectorSettings previous = new ConnectorSettings("", "fifo", 2);
        for (Object bad : new Object[] {-1, 65537, "deep", 1.5}) {
            ConnectorSettings.Parsed parsed = ConnectorSettings.parse(Map.of("queue_depth", bad), previous);
            assertEquals(2, parsed.settings().queueDepth());
            assertEquals(List.of("The connector setting queue_depth='" + bad + "' is not a queue depth; use a whole"
                    + " number of tasks per CPU from 1 to 65536, or 0 for no bound (keeping 2)."), parsed.problems());
        }
    }

    @Test
    public void unknownKeysAreNamedWithTheFileTheyCameFrom() {
        Map<String, Object> fromEtc = Map.of("backend", "sim", "polcy", "fifo", "service.pid", "org.scxjavaland.connector",
                org.scxjavaland.api.ConfigurationKeys.FILE, "file:/opt/scx_javaland/data/guarded/etc/org.scxjavaland.connector.cfg");
        assertEquals("etc/org.scxjavaland.connector.cfg: the key polcy is unknown and ignored; the keys are backend,"
                + " policy, queue_depth.", org.scxjavaland.api.ConfigurationKeys.unknown(fromEtc, ConnectorSettings.PID,
                ConnectorSettings.KEYS));
        assertEquals(null, org.scxjavaland.api.ConfigurationKeys.unknown(Map.of("policy", "fifo", "component.id", 3L),
                ConnectorSettings.PID, ConnectorSettings.KEYS));
        assertEquals("the configuration org.scxjavaland.connector: the keys a, b are unknown and ignored; the keys are"
                + " backend, policy, queue_depth.", org.scxjavaland.api.ConfigurationKeys.unknown(Map.of("b", 1, "a", 2),
                ConnectorSettings.PID, ConnectorSettings.KEYS));
    }
}
