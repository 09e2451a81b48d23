package org.scxjavaland.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
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
import org.scxjavaland.lab.GroupResult;
import org.scxjavaland.lab.Provenance;
import org.scxjavaland.lab.Results;
import org.scxjavaland.lab.RunResult;

/**
 * The end of a simulated run: its latency table on stdout, and with {@code --report DIR} the same
 * as files. The simulator's report lives in the host (its class is the sim bundle's), so it is read
 * here component by component, as {@link Scheduler#toLocal} reads the counters.
 */
final class RunEnd {

    static final String SIMULATOR = "org.scxjavaland.sim.Simulator";
    static final String TABLE = "table.txt";
    static final String POLICY = "org.scxjavaland.api.Policy";

    private RunEnd() {
    }

    /**
     * Prints the simulator's table (with the policy that scheduled it) and writes the report folder
     * if asked. A report that cannot be written is one sentence on {@code err}.
     *
     * @param exitReason the simulator's sentence on how the run ended
     */
    static void finish(BundleContext context, Scheduler scheduler, String policy, String exitReason, Options options,
            long startedMs, PrintStream out, PrintStream err) throws InterruptedException {
        RemoteService simulator = RemoteService.await(context, SIMULATOR, null, 0);
        if (simulator == null) {
            return;
        }
        Object report = simulator.call("report");
        String table = "policy " + policy + ", " + call(report, "toTable") + call(simulator.call("heldTasks"), "toLine");
        out.print(table);
        out.flush();
        Path folder = options.lab().report();
        if (folder == null) {
            return;
        }
        RunResult run = toRun(report, policy, exitReason);
        Object simOptions = simulator.call("options");
        long durationMs = ((Number) call(simOptions, "durationNs")).longValue() / 1_000_000;
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
            err.println("WARN scx_javaland - Cannot write the report into " + folder + " (" + e.getMessage()
                    + "): check that the folder can be created and written.");
        }
    }

    /**
     * The jar of the bundle whose policy {@code policy} is the one in use (another bundle may offer
     * the same name), with its version and SHA-256; null for the built-in FIFO or when it cannot be told.
     */
    static Provenance.PolicyJar policyJar(BundleContext context, Scheduler scheduler, String policy) {
        Object inUse = scheduler.policyInUse(policy);
        if (inUse == null) {
            return null;
        }
        ServiceReference<?>[] references;
        try {
            references = context.getAllServiceReferences(POLICY, null);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e); // a null filter is always valid
        }
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            Object service = context.getService(reference);
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

    /** The host's SimReport as the lab's {@link RunResult}. */
    static RunResult toRun(Object report, String policy, String exitReason) {
        List<GroupResult> groups = new ArrayList<>();
        for (Object g : (List<?>) call(report, "groups")) {
            List<GroupResult.LatencyPoint> curve = new ArrayList<>();
            for (Object point : (List<?>) call(g, "latencyCurve")) {
                curve.add(new GroupResult.LatencyPoint(number(point, "percentile").doubleValue(),
                        number(point, "ns").longValue()));
            }
            groups.add(new GroupResult((String) call(g, "name"), (String) call(g, "kind"),
                    number(g, "tasks").intValue(), number(g, "wakeups").longValue(),
                    number(g, "latencySamples").longValue(), number(g, "p50Ns").longValue(),
                    number(g, "p99Ns").longValue(), number(g, "p999Ns").longValue(), number(g, "maxNs").longValue(),
                    number(g, "cpuSharePct").doubleValue(), number(g, "cpuPerSecond").doubleValue(),
                    number(g, "periods").longValue(), number(g, "missedPeriods").longValue(), curve));
        }
        return new RunResult(policy, (String) call(report, "workload"), number(report, "seed").longValue(),
                number(report, "cpus").intValue(), number(report, "elapsedNs").longValue(), exitReason, groups);
    }

    /** {@code scx_javaland ARGS}, each argument quoted for a POSIX shell where it needs it. */
    static String commandLine(List<String> args) {
        StringBuilder line = new StringBuilder("scx_javaland");
        for (String arg : args) {
            line.append(' ').append(arg.matches("[A-Za-z0-9_./=:,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    private static Number number(Object target, String accessor) {
        return (Number) call(target, accessor);
    }

    private static Object call(Object target, String accessor) {
        try {
            return target.getClass().getMethod(accessor).invoke(target);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("The host's " + accessor + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The host's simulator report has no " + accessor
                    + ": the launcher and the sim bundle are of different versions", e);
        }
    }
}
