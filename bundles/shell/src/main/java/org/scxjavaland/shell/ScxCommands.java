package org.scxjavaland.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.scxjavaland.api.Metrics;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.api.SwapReport;

/**
 * The {@code scx:*} commands of the gogo shell: what runs, which policies there are, swapping,
 * the monitor line and the active policy's options.
 */
@Component(service = ScxCommands.class, property = {
    "osgi.command.scope=scx",
    "osgi.command.function=status",
    "osgi.command.function=policies",
    "osgi.command.function=use",
    "osgi.command.function=stats",
    "osgi.command.function=config",
    "osgi.command.function=set"
})
public class ScxCommands {

    /** The name the monitor line starts with. */
    static final String SCHEDULER_NAME = "javaland";

    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SchedulerBackend backend;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    @Activate
    public ScxCommands(BundleContext context) {
        this.context = context;
    }

    @Descriptor("show the backend, the active policy, uptime, tasks held and the counters")
    public void status() {
        SchedulerBackend b = requireBackend();
        Metrics m = b.metrics();
        PrintStream out = System.out;
        out.println("backend:  " + b.kind() + kernelState(b.kind()));
        out.println("policy:   " + b.activePolicy() + since(b.activeSince()));
        if (b.lastFailure() != null) {
            out.println("failed:   " + b.lastFailure());
        }
        out.println("uptime:   " + (b.startedAt() == null ? "not scheduling" : Format.duration(
                Duration.between(b.startedAt(), Instant.now()))));
        out.println("cpus:     " + b.nrCpus());
        out.println("held:     " + m.nrScheduled() + " tasks held by the policy, " + m.nrQueued() + " queued");
        out.print(Format.counters(m));
    }

    @Descriptor("list every available policy, its bundle, version and state; * marks the active one")
    public void policies() {
        SchedulerBackend b = backend;
        String active = b == null ? null : b.activePolicy();
        List<String[]> rows = new ArrayList<>();
        for (ServiceReference<Policy> ref : policyReferences()) {
            Policy p = context.getService(ref);
            if (p == null) {
                continue;
            }
            try {
                String name = p.name();
                rows.add(new String[] {name.equals(active) ? "*" : " ", name, ref.getBundle().getSymbolicName(),
                        ref.getBundle().getVersion().toString(), name.equals(active) ? "active" : "available"});
            } finally {
                context.ungetService(ref);
            }
        }
        if (SchedulerBackend.BUILTIN_FIFO.equals(active)) {
            rows.add(new String[] {"*", SchedulerBackend.BUILTIN_FIFO, "(connector)", "-", "active (fallback)"});
        }
        System.out.print(Format.table(new String[] {" ", "NAME", "BUNDLE", "VERSION", "STATE"}, rows));
    }

    @Descriptor("make the named policy the active one now, handing it every task the current one holds")
    public void use(@Descriptor("policy name, as scx:policies lists it") String name) {
        SwapReport r = requireBackend().swap(name);
        System.out.println("active policy: " + r.from() + " -> " + r.to() + ", " + r.tasksHandedOver()
                + " tasks handed over in " + Format.micros(r.durationNs()));
    }

    @Descriptor("print the monitor line once (totals)")
    public void stats() {
        System.out.println(requireBackend().metrics().monitorLine(SCHEDULER_NAME, Metrics.ZERO));
    }

    @Descriptor("print the monitor line every SECS seconds (dispatch counters as deltas) until interrupted")
    public void stats(@Descriptor("interval in seconds, e.g. 1 or 0.5") double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("the interval must be a positive number of seconds, not " + seconds);
        }
        SchedulerBackend b = requireBackend();
        long periodMs = Math.max(1, Math.round(seconds * 1000));
        Metrics previous = b.metrics();
        try {
            while (true) {
                Thread.sleep(periodMs);
                Metrics now = b.metrics();
                System.out.println(now.monitorLine(SCHEDULER_NAME, previous));
                previous = now;
            }
        } catch (InterruptedException e) {
            // Ctrl-C (the job interrupted): stop printing, quietly.
            Thread.currentThread().interrupt();
        }
    }

    @Descriptor("show the active policy's options and its configuration PID")
    public void config() {
        ActivePolicy active = activePolicy();
        System.out.println("policy " + active.policy.name() + " (configuration " + active.pid + ")");
        new TreeMap<>(active.policy.configuration()).forEach((k, v) -> System.out.println("  " + k + " = " + v));
    }

    @Descriptor("change one option of the active policy; it is checked first and applied live")
    public void set(@Descriptor("option name, as scx:config lists it") String key,
            @Descriptor("new value") String value) throws IOException {
        ActivePolicy active = activePolicy();
        Map<String, Object> current = active.policy.configuration();
        if (!current.containsKey(key)) {
            throw new IllegalArgumentException("policy " + active.policy.name() + " has no option " + key
                    + "; its options are " + String.join(", ", new TreeMap<>(current).keySet()));
        }
        Map<String, Object> proposed = new TreeMap<>(current);
        try {
            proposed.put(key, Format.parseValue(value, current.get(key)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage() + "; " + key + " stays " + current.get(key));
        }
        String problem = active.policy.checkConfiguration(proposed);
        if (problem != null) {
            String reason = problem.endsWith(".") ? problem.substring(0, problem.length() - 1) : problem;
            throw new IllegalArgumentException(reason + "; " + key + " stays " + current.get(key));
        }
        ConfigurationAdmin ca = configAdmin;
        if (ca == null) {
            throw new IllegalStateException("ConfigAdmin is not running, so options cannot be changed");
        }
        Configuration cfg = ca.getConfiguration(active.pid, "?");
        Dictionary<String, Object> props = cfg.getProperties() == null ? new Hashtable<>() : cfg.getProperties();
        props.put(key, proposed.get(key));
        cfg.update(props);
        System.out.println(key + " = " + proposed.get(key) + " (was " + current.get(key) + ")");
    }

    private record ActivePolicy(Policy policy, String pid) {
    }

    /** The active policy and its configuration PID, or a clear refusal. */
    private ActivePolicy activePolicy() {
        String active = requireBackend().activePolicy();
        for (ServiceReference<Policy> ref : policyReferences()) {
            Policy p = context.getService(ref);
            if (p == null) {
                continue;
            }
            context.ungetService(ref);
            if (p.name().equals(active)) {
                Object pid = ref.getProperty(Policy.CONFIG_PID);
                if (pid == null) {
                    throw new IllegalArgumentException("policy " + active + " has no options to show or change");
                }
                return new ActivePolicy(p, pid.toString());
            }
        }
        throw new IllegalArgumentException("the active policy " + active + " has no options to show or change");
    }

    private List<ServiceReference<Policy>> policyReferences() {
        try {
            return new ArrayList<>(context.getServiceReferences(Policy.class, null));
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e); // a null filter is always valid
        }
    }

    private SchedulerBackend requireBackend() {
        SchedulerBackend b = backend;
        if (b == null) {
            throw new IllegalStateException("the scheduler is not running (no SchedulerBackend service)");
        }
        return b;
    }

    private static String since(Instant t) {
        return t == null ? "" : " (since " + t + ", " + Format.duration(Duration.between(t, Instant.now())) + ")";
    }

    private static String kernelState(String kind) {
        if (!"bpf".equals(kind)) {
            return " (simulated machine)";
        }
        try {
            return " (sched_ext state: " + java.nio.file.Files.readString(
                    java.nio.file.Path.of("/sys/kernel/sched_ext/state")).trim() + ")";
        } catch (IOException e) {
            return " (sched_ext state unreadable: " + e.getMessage() + ")";
        }
    }
}
