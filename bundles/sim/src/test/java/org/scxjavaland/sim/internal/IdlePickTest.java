package org.scxjavaland.sim.internal;

import static org.junit.Assert.assertEquals;

import java.util.SplittableRandom;

import org.junit.Test;
import org.scxjavaland.sim.Topology;

/**
 * The idle pick on machines with a topology, on hand-set idle CPUs. The machine of most tests:
 * 2 nodes x 2 LLCs x 2 cores x 2 threads, 16 CPUs; core k is CPUs k and k+8, LLC l holds cores 2l
 * and 2l+1, node n LLCs 2n and 2n+1. So LLC 0 = {0,1,8,9}, LLC 1 = {2,3,10,11}, node 0 = {0-3,8-11}.
 */
public class IdlePickTest {

    private static final Topology MACHINE = Topology.of(2, 2, 2, 2);

    private final long[] idle = new long[1];
    private final long[] claimed = new long[1];
    private final IdlePick pick = new IdlePick(MACHINE, idle, claimed);

    @Test
    public void theNumberingIsLinuxsThreadsLast() {
        assertEquals(0, MACHINE.coreOf(8));
        assertEquals(1, MACHINE.llcOf(10));
        assertEquals(0, MACHINE.nodeOf(11));
        assertEquals(1, MACHINE.nodeOf(4));
        assertEquals(3, MACHINE.llcOf(15));
        assertEquals(15, MACHINE.cpuOf(7, 1));
    }

    @Test
    public void aWhollyIdleCoreIsPreferredToTheIdleSiblingOfABusyCore() {
        idleOnly(1, 9, 8);      // core 1 wholly idle; CPU 8 idle but its sibling 0 is busy
        assertEquals("prev is 8, idle, but its core is busy: the idle core 1 comes first", 9,
                pick.selectDefault(all(), 8, false));
        idleOnly(3, 11, 8);     // the only idle core is in another LLC of the node
        assertEquals(11, pick.selectDefault(all(), 8, false));
    }

    @Test
    public void thePreviousCpuIsKeptWhenItsWholeCoreIsIdle() {
        idleOnly(1, 9, 2, 10);
        assertEquals(9, pick.selectDefault(all(), 9, false));
        assertEquals(10, pick.selectDefault(all(), 10, false));
    }

    @Test
    public void withoutAnIdleCoreThePreviousCpuThenItsSiblingThenTheLlc() {
        idleOnly(8, 9, 10);     // every core has a busy thread
        assertEquals("prev idle", 8, pick.selectDefault(all(), 8, false));
        idleOnly(8, 9, 10);
        assertEquals("prev 0 busy: its sibling 8", 8, pick.selectDefault(all(), 0, false));
        idleOnly(9, 10);
        assertEquals("prev 0 busy, sibling busy: same LLC", 9, pick.selectDefault(all(), 0, false));
    }

    @Test
    public void theLlcComesBeforeTheNodeAndTheNodeBeforeAnywhere() {
        idleOnly(1, 9, 2, 10, 4, 12);  // a whole idle core in LLC 0, LLC 1 and node 1
        assertEquals("prev 0: its LLC", 1, pick.selectDefault(all(), 0, false));
        idleOnly(2, 10, 4, 12);
        assertEquals("prev 0: its node", 2, pick.selectDefault(all(), 0, false));
        idleOnly(4, 12, 6, 14);
        assertEquals("prev 0: anywhere, from prev on", 4, pick.selectDefault(all(), 0, false));
        idleOnly(6, 14, 4, 12);
        assertEquals("prev 7: its LLC's idle core first", 14, pick.selectDefault(all(), 7, false));
        // Single idle CPUs (no whole core): the LLC, then the node, then anywhere.
        idleOnly(9, 3, 13);
        assertEquals(9, pick.selectDefault(all(), 0, false));
        idleOnly(13, 3);
        assertEquals(3, pick.selectDefault(all(), 0, false));
        idleOnly(13);
        assertEquals(13, pick.selectDefault(all(), 0, false));
    }

    @Test
    public void numaLocalKeepsSelectCpuInTheNodeAndAClaimTriesItFirst() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2000; round++) {
            idle[0] = random.nextLong() & 0xFFFF;
            claimed[0] = random.nextLong() & random.nextLong() & 0xFFFF;
            int prev = random.nextInt(16);
            int c = pick.selectDefault(all(), prev, true);
            if (c >= 0) {
                assertEquals("prev " + prev + ", idle " + Long.toBinaryString(idle[0]), MACHINE.nodeOf(prev),
                        MACHINE.nodeOf(c));
            }
            long node = MACHINE.nodeMask(prev)[0];
            int claimed = pick.claim(all(), prev, true);
            if ((idle[0] & ~this.claimed[0] & node) != 0) {
                assertEquals("the node has an idle CPU", MACHINE.nodeOf(prev), MACHINE.nodeOf(claimed));
            }
        }
        idleOnly(4, 12);
        assertEquals("only node 1 has an idle CPU", -1, pick.selectDefault(all(), 0, true));
        assertEquals("without numa_local it goes there", 4, pick.selectDefault(all(), 0, false));
        assertEquals("a claim looks in the node first, then anywhere", 4, pick.claim(all(), 0, true));
        idleOnly(1, 4, 12);
        assertEquals("CPU 4's core is wholly idle, CPU 1's is not: the node first", 1, pick.claim(all(), 0, true));
        assertEquals("the whole idle core anywhere", 4, pick.claim(all(), 0, false));
    }

    @Test
    public void affinityMasksAndClaimsAreRespected() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 2000; round++) {
            idle[0] = random.nextLong() & 0xFFFF;
            claimed[0] = random.nextLong() & random.nextLong() & 0xFFFF;
            long[] allowed = {random.nextLong() & 0xFFFF};
            int prev = random.nextInt(16);
            for (int c : new int[] {pick.selectDefault(allowed, prev, false), pick.claim(allowed, prev, false),
                pick.pickIdle(allowed, prev, null, true)}) {
                if (c >= 0) {
                    assertEquals("allowed", 1, (allowed[0] >>> c) & 1);
                    assertEquals("idle", 1, (idle[0] >>> c) & 1);
                    assertEquals("unclaimed", 0, (claimed[0] >>> c) & 1);
                } else {
                    assertEquals("none idle, allowed and unclaimed", 0, idle[0] & allowed[0] & ~claimed[0]);
                }
            }
        }
        idleOnly(1, 9);
        long[] onlyNine = {1L << 9};
        assertEquals(9, pick.selectDefault(onlyNine, 0, false));
        claimed[0] = 1L << 9;
        assertEquals("claimed this round", -1, pick.selectDefault(onlyNine, 0, false));
        assertEquals("the shared queue's kick may take a claimed CPU", 9, pick.pickIdle(onlyNine, 0, null, false));
    }

    @Test
    public void aClaimTakesThePreviousCpuThenAWhollyIdleCoreAnywhere() {
        idleOnly(8, 2, 10, 5, 13);
        assertEquals("prev idle, even beside a busy sibling", 8, pick.claim(all(), 8, false));
        assertEquals("prev busy: the first wholly idle core from prev on", 5, pick.claim(all(), 4, false));
    }

    @Test
    public void onAFlatMachineThePickIsTheFirstIdleCpuFromThePreviousOne() {
        Topology flat = Topology.flat(16);
        IdlePick flatPick = new IdlePick(flat, idle, claimed);
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 2000; round++) {
            idle[0] = random.nextLong() & 0xFFFF;
            claimed[0] = random.nextLong() & random.nextLong() & 0xFFFF;
            long[] allowed = {random.nextLong() & 0xFFFF};
            int prev = random.nextInt(16);
            int expected = -1;
            for (int k = 0; k < 16 && expected < 0; k++) {
                int c = (prev + k) % 16;
                if (((idle[0] & allowed[0] & ~claimed[0]) >>> c & 1) != 0) {
                    expected = c;
                }
            }
            assertEquals(expected, flatPick.selectDefault(allowed, prev, false));
            assertEquals(expected, flatPick.claim(allowed, prev, false));
        }
    }

    private void idleOnly(int... cpus) {
        idle[0] = 0;
        claimed[0] = 0;
        for (int c : cpus) {
            idle[0] |= 1L << c;
        }
    }

    private static long[] all() {
        return new long[] {0xFFFFL};
    }
}
