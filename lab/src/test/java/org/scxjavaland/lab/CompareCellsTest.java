package org.scxjavaland.lab;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

/** How compare names its cells: each workload by what the command line gave, each name once. */
public class CompareCellsTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int compare(String... args) {
        return Compare.run(new PrintStream(err, true, StandardCharsets.UTF_8), false, args);
    }

    @Test
    public void eachWorkloadIsLabelledByWhatTheCommandLineGaveNotByTheNameInsideItsFile() {
        Compare compare = new Compare(System.err, false);
        compare.policies = List.of("fifo");
        compare.workloads = List.of("server", " copies/server.properties ", "/tmp/server.properties");
        compare.seeds = 1;
        compare.firstSeed = 7;
        compare.durationMs = 100L;
        List<Cell> cells = compare.cells();
        assertEquals(List.of("server", "copies/server.properties", "/tmp/server.properties"),
                cells.stream().map(Cell::workload).toList());
        assertEquals(List.of("fifo__server__seed7", "fifo__copies_server.properties__seed7",
                "fifo___tmp_server.properties__seed7"), cells.stream().map(Cell::folderName).toList());
    }

    @Test
    public void aQueueDepthGoesToEveryRunAndABadOneIsRefused() {
        java.nio.file.Path dir = java.nio.file.Path.of("r");
        Cell cell = new Cell("fifo", null, "server", 1);
        List<String> given = new CellRunner(dir, dir, 100L, null, 1).arguments(cell, dir);
        assertEquals("1", given.get(given.indexOf("--queue-depth") + 1));
        assertEquals(-1, new CellRunner(dir, dir, 100L, null).arguments(cell, dir).indexOf("--queue-depth"));

        assertEquals(2, compare("--policies", "fifo", "--queue-depth", "-1"));
        assertEquals("--queue-depth -1 is not a queue depth: use 0 (no bound) to 65536 tasks per CPU.\n",
                err.toString(StandardCharsets.UTF_8));
        err.reset();
    }

    @Test
    public void aWorkloadOrAPolicyNamedTwiceIsRefusedBeforeAnythingRuns() {
        assertEquals(2, compare("--policies", "fifo", "--workloads", "server,server"));
        assertEquals("--workloads names server twice: name each workload once.\n",
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, compare("--policies", "fifo,deadline,fifo", "--workloads", "server"));
        assertEquals("--policies names fifo twice: name each policy once.\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, compare("--policies", "fifo", "--workloads", "a/b.properties,a_b.properties"));
        assertEquals("--workloads names a_b.properties and another workload whose report folders would be the same:"
                + " copy one of the two files under another name.\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void theSchedulingThreadsCostsGoToEveryRunAndABadOneIsRefused() {
        java.nio.file.Path dir = java.nio.file.Path.of("r");
        Compare compare = new Compare(System.err, false);
        compare.schedRoundNs = 0L;
        compare.schedTaskNs = 157_000L;
        List<String> given = new CellRunner(dir, dir, 100L, null, null, compare.schedulerArguments())
                .arguments(new Cell("fifo", null, "server", 1), dir);
        assertEquals("0", given.get(given.indexOf("--sim-sched-round-ns") + 1));
        assertEquals("157000", given.get(given.indexOf("--sim-sched-task-ns") + 1));
        assertEquals(List.of(), new Compare(System.err, false).schedulerArguments());

        assertEquals(2, compare("--policies", "fifo", "--sched-task-ns", "-5"));
        assertEquals("--sched-task-ns -5 is not a cost: use 0 to 10000000 virtual ns.\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
    }

    /** Unless --duration-ms says, a trace replays as long as it was recorded, and anything else 10 s. */
    @Test
    public void aTraceRunsItsOwnDurationUnlessTold() {
        java.nio.file.Path dir = java.nio.file.Path.of("r");
        Cell trace = new Cell("fifo", null, "trace:/t/cyclictest.trace", 1);
        Cell server = new Cell("fifo", null, "server", 1);
        assertEquals(-1, new CellRunner(dir, dir, null, null).arguments(trace, dir).indexOf("--sim-duration-ms"));
        List<String> builtIn = new CellRunner(dir, dir, null, null).arguments(server, dir);
        assertEquals("10000", builtIn.get(builtIn.indexOf("--sim-duration-ms") + 1));
        List<String> told = new CellRunner(dir, dir, 300L, null).arguments(trace, dir);
        assertEquals("300", told.get(told.indexOf("--sim-duration-ms") + 1));
    }

    @Test
    public void aTraceRunsFromItsAbsolutePathAndIsLabelledAsGiven() {
        Compare compare = new Compare(System.err, false);
        compare.policies = List.of("fifo");
        compare.workloads = List.of("trace:runs/cyclictest.trace");
        compare.seeds = 1;
        compare.firstSeed = 1;
        compare.durationMs = 100L;
        Cell cell = compare.cells().get(0);
        assertEquals("trace:runs/cyclictest.trace", cell.workload());
        assertEquals("fifo__trace_runs_cyclictest.trace__seed1", cell.folderName());
        java.nio.file.Path absolute = java.nio.file.Path.of("runs/cyclictest.trace").toAbsolutePath().normalize();
        assertEquals("trace:" + absolute, CellRunner.workloadArgument(cell.workload()));
        assertEquals("server", CellRunner.workloadArgument("server"));
    }
}
