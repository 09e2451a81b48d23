package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.scxjavaland.api.SchedulerBackend.BUILTIN_FIFO;

import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

/** Every transition of the selection, with the policies that are usable (registered, not failed) given by hand. */
public class PolicySelectionTest {

    private final PolicySelection selection = new PolicySelection("deadline");
    private final Set<String> usable = new HashSet<>();

    private String holder() {
        return selection.holder(usable::contains);
    }

    @Test
    public void theConfiguredPolicyHoldsWhenUsableAndTheBuiltinFifoUntilThen() {
        assertEquals(BUILTIN_FIFO, holder());
        usable.add("deadline");
        assertEquals("deadline", holder());
        usable.remove("deadline");
        assertEquals("it failed or went away, and it is its own fallback", BUILTIN_FIFO, holder());
    }

    @Test
    public void configuringTheSamePolicyChangesNothingButANewOneIsWantedAtOnce() {
        assertFalse(selection.configure("deadline"));
        assertTrue(selection.configure("fifo"));
        usable.add("deadline");
        assertEquals("wanted even before it is registered", BUILTIN_FIFO, holder());
        usable.add("fifo");
        assertEquals("fifo", holder());
    }

    @Test
    public void configuringAgainAfterASwapKeepsTheSwapUntilTheConfigurationChanges() {
        usable.add("deadline");
        usable.add("lifo");
        selection.swapTo("lifo");
        assertFalse(selection.configure("deadline"));
        assertEquals("lifo", holder());
        assertTrue(selection.configure("fifo"));
        usable.add("fifo");
        assertEquals("fifo", holder());
    }

    @Test
    public void reconfiguringToARegisteredPolicyOrTheBuiltinFifoWantsItAtOnce() {
        usable.add("deadline");
        usable.add("fifo");
        assertEquals(PolicySelection.Reconfigured.UNCHANGED, selection.reconfigure("deadline", true));
        assertEquals(PolicySelection.Reconfigured.WANTED, selection.reconfigure("fifo", true));
        assertEquals("fifo", holder());
        usable.remove("fifo");
        assertEquals("the configured policy is the fallback now", BUILTIN_FIFO, holder());
        assertEquals(PolicySelection.Reconfigured.WANTED, selection.reconfigure(BUILTIN_FIFO, false));
        assertEquals(BUILTIN_FIFO, holder());
    }

    @Test
    public void reconfiguringToAnUnregisteredPolicyKeepsTheWantedOneUntilItIsRegistered() {
        usable.add("deadline");
        assertEquals(PolicySelection.Reconfigured.PENDING, selection.reconfigure("nope", false));
        assertEquals("deadline", holder());
        assertEquals("named again: nothing new", PolicySelection.Reconfigured.UNCHANGED,
                selection.reconfigure("nope", false));
        assertFalse("another policy appearing changes nothing", selection.registered("other"));
        assertEquals("deadline", holder());
        assertTrue(selection.registered("nope"));
        usable.add("nope");
        assertEquals("nope", holder());
        assertFalse("it is wanted already", selection.registered("nope"));
        usable.remove("nope");
        assertEquals("it is its own fallback now", BUILTIN_FIFO, holder());
    }

    @Test
    public void startingConfigurationForTheNamePendingWantsItAtOnce() {
        usable.add("deadline");
        selection.reconfigure("nope", false);
        assertTrue("a pending name is configured anew", selection.configure("nope"));
        assertEquals(BUILTIN_FIFO, holder());
        assertFalse("nobody waits for it any more", selection.registered("nope"));
    }

    @Test
    public void aSwapLeavesTheFallbackAndEndsTheWaitForAPendingPolicy() {
        usable.add("deadline");
        usable.add("lifo");
        selection.reconfigure("nope", false);
        selection.swapTo("lifo");
        assertEquals("lifo", holder());
        assertFalse("the swap is the later choice", selection.registered("nope"));
        usable.remove("lifo");
        assertEquals("the swapped-to policy failed: the configured fallback holds", "deadline", holder());
        usable.remove("deadline");
        assertEquals("both out", BUILTIN_FIFO, holder());
    }

    @Test
    public void aSwapToTheBuiltinFifoHoldsEvenWhileTheFallbackIsUsable() {
        usable.add("deadline");
        selection.swapTo(BUILTIN_FIFO);
        assertEquals(BUILTIN_FIFO, holder());
    }

    @Test
    public void whileAConfiguredPolicyIsPendingTheFormerWantedOneIsTheFallback() {
        usable.add("deadline");
        usable.add("lifo");
        selection.swapTo("lifo");
        selection.reconfigure("nope", false);
        assertEquals("lifo", holder());
        usable.remove("lifo");
        assertEquals("the fallback is still the configured policy of before", "deadline", holder());
    }
}
