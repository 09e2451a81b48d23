package org.scxjavaland.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.lab.GroupResult;
import org.scxjavaland.lab.Provenance;
import org.scxjavaland.lab.Results;
import org.scxjavaland.lab.RunResult;
import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.Simulator;

/**
 * The end of a simulated run: its latency table on stdout, and with {@code --report DIR} the same
 * as files.
 */
final class RunEnd {

    static final String TABLE = "table.txt";

    private RunEnd() {
    }

    /**
     * Prints the simulator's table (with the policy that scheduled it) and writes the report folder
     * if asked. A report that cannot be written is one sentence on {@code err}.
     *
     * @param exitReason the simulator's sentence on how the run ended
     */
    static void finish(BundleContext context, SchedulerBackend scheduler, String policy, String exitReason,
            Options options, long startedMs, PrintStream out, PrintStream err) throws InterruptedException {
        Simulator simulator = HostService.awaitAndKeep(context, Simulator.class, 0, () -> false);
        if (simulator == null) {
            return;
        }
        SimReport report = simulator.report();
        String table = "policy " + policy + ", " + report.toTable() + simulator.heldTasks().toLine();
        out.print(table);
        out.flush();
        Path folder = options.lab().report();
        if (folder == null) {
            return;
        }
        RunResult run = toRun(report, policy, exitReason);
        long durationMs = simulator.options().durationNs() / 1_000_000;
        Provenance.PolicyJar jar = policyJar(context, scheduler, policy);
        Provenance provenance = new Provenance(commandLine(options.lab().originalArgs()),
                Provenance.thisWorkingDirectory(), Cli.version(), Provenance.thisJava(), Provenance.thisOs(),
                Runtime.getRuntime().availableProcessors(), 1, List.of(policy), jar == null ? List.of() : List.of(jar),
                List.of(run.workload()), List.of(run.seed()), durationMs, Instant.ofEpochMilli(startedMs).toString(),
                System.currentTimeMillis() - startedMs);
        try {
            Results.of(provenance, List.of(run)).writeTo(folder);
            Files.writeString(folder.resolve(TABLE), table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            ConsoleLog.warn(err, "Cannot write the report into " + folder + " (" + e.getMessage()
                    + "): check that the folder can be created and written.");
        }
    }

    /**
     * The jar of the bundle whose policy {@code policy} is the one in use (another bundle may offer
     * the same name), with its version and SHA-256; null for the built-in FIFO or when it cannot be told.
     */
    static Provenance.PolicyJar policyJar(BundleContext context, SchedulerBackend scheduler, String policy) {
        Policy inUse = scheduler.policyInUse(policy);
        if (inUse == null) {
            return null;
        }
        List<ServiceReference<Policy>> references;
        try {
            references = new ArrayList<>(context.getServiceReferences(Policy.class, null));
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e); // a null filter is always valid
        }
        for (ServiceReference<Policy> reference : references) {
            Policy service = context.getService(reference);
            try {
                Bundle bundle = reference.getBundle();
                if (service == inUse && bundle != null) {
                    Path file = fileOf(bundle.getLocation());
                    return new Provenance.PolicyJar(policy, file == null ? bundle.getLocation() : file.toString(),
                            bundle.getSymbolicName(), bundle.getVersion().toString(),
                            file == null ? null : Provenance.sha256(file));
                }
            } finally {
                if (service != null) {
                    context.ungetService(reference);
                }
            }
        }
        return null;
    }

    /** The file a bundle was installed from ({@code file:} or {@code reference:file:} locations), or null. */
    static Path fileOf(String location) {
        String url = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        if (!url.startsWith("file:")) {
            return null;
        }
        try {
            Path file = Path.of(java.net.URI.create(url));
            return Files.isRegularFile(file) ? file : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The simulator's report as the lab's {@link RunResult}. */
    static RunResult toRun(SimReport report, String policy, String exitReason) {
        List<GroupResult> groups = new ArrayList<>();
        for (SimReport.GroupReport g : report.groups()) {
            List<GroupResult.LatencyPoint> curve = new ArrayList<>();
            for (SimReport.LatencyPoint point : g.latencyCurve()) {
                curve.add(new GroupResult.LatencyPoint(point.percentile(), point.ns()));
            }
            groups.add(new GroupResult(g.name(), g.kind(), g.tasks(), g.wakeups(), g.latencySamples(), g.p50Ns(),
                    g.p99Ns(), g.p999Ns(), g.maxNs(), g.cpuSharePct(), g.cpuPerSecond(), g.periods(), g.missedPeriods(),
                    curve));
        }
        return new RunResult(policy, report.workload(), report.seed(), report.cpus(), report.elapsedNs(), exitReason,
                groups);
    }

    /** {@code scx_javaland ARGS}, each argument quoted for a POSIX shell where it needs it. */
    static String commandLine(List<String> args) {
        StringBuilder line = new StringBuilder("scx_javaland");
        for (String arg : args) {
            line.append(' ').append(arg.matches("[A-Za-z0-9_./=:,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }
}
