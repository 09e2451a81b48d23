package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class SharedPackagesTest {

    @Test
    public void clausesSplitAtCommasOutsideQuotes() {
        assertEquals(List.of("a;version=\"1.0.0\";uses:=\"x,y\"", "b;version=\"2.0.0\""),
                SharedPackages.clauses("a;version=\"1.0.0\";uses:=\"x,y\", b;version=\"2.0.0\""));
    }

    @Test
    public void theClauseOfThePackageIsTakenAsTheJarExportsIt() {
        String header = "org.scxjavaland.sim;version=\"2.0.0\";uses:=\"org.scxjavaland.api\","
                + "org.scxjavaland.sim.machine;version=\"1.0.0\"";
        assertEquals("org.scxjavaland.sim;version=\"2.0.0\";uses:=\"org.scxjavaland.api\"",
                SharedPackages.exportClause("org.scxjavaland.sim", header));
        assertEquals("org.scxjavaland.sim.machine;version=\"1.0.0\"",
                SharedPackages.exportClause("org.scxjavaland.sim.machine", header));
    }

    @Test
    public void aJarThatDoesNotExportThePackageIsRefusedInOneSentence() {
        LaunchFailure e = assertThrows(LaunchFailure.class,
                () -> SharedPackages.exportClause("org.scxjavaland.link", "org.scxjavaland.linked;version=\"1.0.0\""));
        assertTrue(e.getMessage(), e.getMessage().startsWith("The jar of org.scxjavaland.link does not export it"));
    }

    @Test
    public void everySharedPackageIsExportedWithTheVersionOfItsJar() {
        List<String> clauses = SharedPackages.clauses(SharedPackages.systemPackagesExtra());
        assertEquals(SharedPackages.MEMBERS.size(), clauses.size());
        for (int i = 0; i < clauses.size(); i++) {
            String clause = clauses.get(i);
            assertTrue(clause, clause.startsWith(SharedPackages.MEMBERS.get(i).getPackageName() + ";version="));
        }
    }
}
