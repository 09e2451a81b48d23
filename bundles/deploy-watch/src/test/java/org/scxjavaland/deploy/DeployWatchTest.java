package org.scxjavaland.deploy;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/** How DeployWatch reads the folders it watches. */
public class DeployWatchTest {

    @Test
    public void theWatchedFoldersAreFileinstallsCommaSeparatedList() {
        assertEquals(List.of(Path.of("/srv/deploy"), Path.of("/srv/etc")),
                DeployWatch.watchedFolders("/srv/deploy, /srv/etc/"));
        assertEquals(List.of(), DeployWatch.watchedFolders(null));
    }
}
