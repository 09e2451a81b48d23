package org.scxjavaland.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.MetaTypeService;
import org.scxjavaland.api.Metrics;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.api.SwapReport;

/**
 * The {@code scx:*} commands of the gogo shell: what runs, which policies there are, swapping,
 * the monitor line, the active policy's options, and stopping.
 *
 * <p>Each command takes its words as they come and checks them itself, so that a wrong call gets
 * the command's own usage line, and a refusal its one sentence, on the session's error stream
 * (rather than gogo's "Cannot coerce" or an exception's class name).
 */
@Component(service = ScxCommands.class, property = {
    "osgi.command.scope=scx",
    "osgi.command.function=status",
    "osgi.command.function=policies",
    "osgi.command.function=use",
    "osgi.command.function=stats",
    "osgi.command.function=config",
    "osgi.command.function=set",
    "osgi.command.function=stop"
})
public class ScxCommands {

    /** The name the monitor line starts with. */
    static final String SCHEDULER_NAME = "javaland";

    private final BundleContext context;
    private final PolicyQuestions questions = new PolicyQuestions();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SchedulerBackend backend;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    /** The policies' configuration types, for what each option means. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MetaTypeService metatype;

    @Activate
    public ScxCommands(BundleContext context) {
        this.context = context;
    }

    @Deactivate
    void deactivate() {
        questions.close();
    }

    @Descriptor("show the backend, the active policy, uptime, tasks held and the counters")
    public void status(@Descriptor("(no arguments)") String... args) {
        Commands.run("scx:status", () -> {
            Commands.noArguments("scx:status", args);
            printStatus();
        });
    }

    private void printStatus() {
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

    @Descriptor("list every policy, its bundle, version and state (active, available, failed and why, not used);"
            + " * marks the active one")
    public void policies(@Descriptor("(no arguments)") String... args) {
        Commands.run("scx:policies", () -> {
            Commands.noArguments("scx:policies", args);
            printPolicies();
        });
    }

    private void printPolicies() {
        SchedulerBackend b = backend;
        String active = b == null ? null : b.activePolicy();
        List<String[]> rows = new ArrayList<>();
        for (ServiceReference<Policy> ref : policyReferences()) {
            Policy p = context.getService(ref);
            if (p == null) {
                continue;
            }
            try {
                PolicyQuestions.Answer<String> asked = questions.ask(p::name);
                String name = asked.value();
                if (!asked.answered() || name == null || name.isBlank()) {
                    rows.add(new String[] {" ", "?", ref.getBundle().getSymbolicName(),
                            ref.getBundle().getVersion().toString(), "refused: its name() "
                            + (asked.answered() ? "is blank" : asked.problem())});
                    continue;
                }
                Policy inUse = b == null ? p : b.policyInUse(name);
                boolean used = inUse == null || inUse == p;
                String failure = b == null || !used ? null : b.failure(name);
                String state;
                if (b != null && inUse == null) {
                    state = "not known to the scheduler: it was refused when it registered (see the log)";
                } else if (!used) {
                    state = "not used: another bundle's policy has this name";
                } else if (failure != null) {
                    state = "failed: " + failure;
                } else {
                    state = name.equals(active) ? "active" : "available";
                }
                boolean marked = used && name.equals(active);
                rows.add(new String[] {marked ? "*" : " ", name, ref.getBundle().getSymbolicName(),
                        ref.getBundle().getVersion().toString(), state});
            } finally {
                context.ungetService(ref);
            }
        }
        boolean fifoActive = SchedulerBackend.BUILTIN_FIFO.equals(active);
        rows.add(new String[] {fifoActive ? "*" : " ", SchedulerBackend.BUILTIN_FIFO, "(connector)", "-",
                fifoActive ? "active (built in, the fallback)" : "available (built in, the fallback)"});
        System.out.print(Format.table(new String[] {" ", "NAME", "BUNDLE", "VERSION", "STATE"}, rows));
    }

    @Descriptor("make the named policy the active one now, handing it every task the current one holds")
    public void use(@Descriptor("policy name, as scx:policies lists it") String... args) {
        Commands.run("scx:use", () -> {
            String name = Commands.exactlyOne("scx:use", "NAME (scx:policies lists the names)", args);
            SchedulerBackend b = requireBackend();
            if (name.equals(b.activePolicy()) && b.failure(name) == null) {
                System.out.println(name + " is already the active policy");
                return;
            }
            SwapReport r = b.swap(name);
            System.out.println("active policy: " + r.from() + " -> " + r.to() + ", " + r.tasksHandedOver()
                    + " tasks handed over in " + Format.micros(r.durationNs()));
        });
    }

    @Descriptor("print the monitor line: without SECS once, with the dispatch counters as totals since scheduling"
            + " began; with SECS every SECS seconds, with them as deltas, until Ctrl-C (--help-stats explains the labels)")
    public void stats(@Descriptor("interval in seconds, e.g. 1 or 0.5 (optional)") String... args) {
        Commands.run("scx:stats", () -> {
            if (args.length > 1) {
                throw new Commands.Usage("scx:stats [SECS]");
            }
            if (args.length == 0) {
                System.out.println("totals since scheduling began (scx:stats SECS prints deltas):");
                System.out.println(requireBackend().metrics().monitorLine(SCHEDULER_NAME, Metrics.ZERO));
                return;
            }
            double seconds;
            try {
                seconds = Double.parseDouble(args[0]);
            } catch (NumberFormatException e) {
                seconds = Double.NaN;
            }
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("the interval must be a positive number of seconds, not " + args[0]);
            }
            repeat(seconds);
        });
    }

    /** The monitor line every {@code seconds} until the thread is interrupted (Ctrl-C, see {@link Interrupts}). */
    private void repeat(double seconds) {
        SchedulerBackend b = requireBackend();
        long periodMs = Math.max(1, Math.round(seconds * 1000));
        System.out.println("every " + args(seconds) + " s, dispatch counters as deltas; Ctrl-C ends:");
        Metrics previous = b.metrics();
        Interrupts.repeating(Thread.currentThread());
        try {
            while (true) {
                Thread.sleep(periodMs);
                Metrics now = b.metrics();
                System.out.println(now.monitorLine(SCHEDULER_NAME, previous));
                previous = now;
            }
        } catch (InterruptedException e) {
            // Ctrl-C (this command interrupted, or its job): stop printing, quietly.
        } finally {
            Interrupts.done(Thread.currentThread());
        }
    }

    private static String args(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    @Descriptor("show the active policy's options, what each means, and its configuration PID")
    public void config(@Descriptor("(no arguments)") String... args) {
        Commands.run("scx:config", () -> {
            Commands.noArguments("scx:config", args);
            printConfig();
        });
    }

    private void printConfig() {
        ActivePolicy active = activePolicy();
        Map<String, Object> options = configuration(active);
        Map<String, String> descriptions = OptionDescriptions.of(metatype, active.bundle, active.pid);
        System.out.println("policy " + active.name + " (configuration " + active.pid + ")");
        options.forEach((k, v) -> {
            System.out.println("  " + k + " = " + v);
            if (descriptions.containsKey(k)) {
                System.out.println("      " + descriptions.get(k) + ".");
            }
        });
    }

    /** The options in force, sorted, as the policy says: copied within the bounded wait. */
    private Map<String, Object> configuration(ActivePolicy active) {
        Map<String, Object> options = questions.require("policy " + active.name + "'s configuration()", () -> {
            Map<String, Object> answer = active.policy.configuration();
            return answer == null ? null : new TreeMap<>(answer);
        });
        if (options == null) {
            throw new IllegalStateException("policy " + active.name + "'s configuration() returned null");
        }
        return options;
    }

    @Descriptor("change one option of the active policy; it is checked first and applied live")
    public void set(@Descriptor("option name, as scx:config lists it, then its new value") String... args) {
        Commands.run("scx:set", () -> {
            if (args.length != 2) {
                throw new Commands.Usage("scx:set KEY VALUE (scx:config lists the keys)");
            }
            set(args[0], args[1]);
        });
    }

    @Descriptor("stop scx_javaland: the scheduler hands its tasks back to the kernel, the bundles stop and the process"
            + " exits (Ctrl-C ends only a repeating command)")
    public void stop(@Descriptor("(no arguments)") String... args) {
        Commands.run("scx:stop", () -> {
            Commands.noArguments("scx:stop", args);
            System.out.println("stopping scx_javaland");
            Stop.framework(context);
        });
    }

    private void set(String key, String value) throws IOException {
        ActivePolicy active = activePolicy();
        Map<String, Object> current = configuration(active);
        if (!current.containsKey(key)) {
            throw new IllegalArgumentException("policy " + active.name + " has no option " + key
                    + "; its options are " + String.join(", ", current.keySet()));
        }
        Map<String, Object> proposed = new TreeMap<>(current);
        try {
            proposed.put(key, Format.parseValue(value, current.get(key)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage() + "; " + key + " stays " + current.get(key));
        }
        String problem = questions.require("policy " + active.name + "'s checkConfiguration()",
                () -> active.policy.checkConfiguration(proposed));
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

    private record ActivePolicy(String name, Policy policy, String pid, Bundle bundle) {
    }

    /**
     * The active policy and its configuration PID, or a clear refusal. The service is the one the
     * scheduler uses under the active name, found without asking any policy its name.
     */
    private ActivePolicy activePolicy() {
        SchedulerBackend b = requireBackend();
        String active = b.activePolicy();
        Policy inUse = b.policyInUse(active);
        for (ServiceReference<Policy> ref : policyReferences()) {
            Policy p = context.getService(ref);
            if (p == null) {
                continue;
            }
            context.ungetService(ref);
            if (p == inUse || inUse == null && active.equals(ref.getProperty("scx.policy.name"))) {
                Object pid = ref.getProperty(Policy.CONFIG_PID);
                if (pid == null) {
                    throw new IllegalArgumentException("policy " + active + " has no options to show or change");
                }
                return new ActivePolicy(active, p, pid.toString(), ref.getBundle());
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
        return t == null ? "" : " (since " + t.truncatedTo(ChronoUnit.SECONDS) + ", "
                + Format.duration(Duration.between(t, Instant.now())) + ")";
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
