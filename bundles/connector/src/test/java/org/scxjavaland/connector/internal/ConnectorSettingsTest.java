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
                "The connector setting backend='kvm' is not a backend; use sim or bpf (keeping sim).",
                "The connector setting policy='two words' is not a policy name; use the name of an installed"
                        + " policy such as deadline or fifo (keeping fifo)."), parsed.problems());
    }
}
