package org.scxjavaland.shell;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.Simulator;
import org.scxjavaland.sim.machine.Workload;

/** The simulated machine's commands: what it runs, its clock and latency table, another workload. */
@Component(service = SimCommands.class, property = {
    "osgi.command.scope=scx",
    "osgi.command.function=sim",
    "osgi.command.function=workload"
})
public class SimCommands {

    /** The simulator's configuration (etc/'s). */
    static final String SIM_PID = "org.scxjavaland.sim";
    /**
     * The layer over it, the command line's: a workload of another CPU count goes there (a new
     * machine, as a .cfg file would give), so that it wins over etc/ as the command line's does.
     */
    static final String SIM_OVERRIDE_PID = SIM_PID + ".override";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Simulator simulator;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SchedulerBackend backend;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    @Descriptor("show the simulated workload, the active policy, and the latency table per task group since the policy or"
            + " the workload last changed")
    public void sim(@Descriptor("(no arguments)") String... args) {
        Commands.run("scx:sim", () -> {
            Commands.noArguments("scx:sim", args);
            Simulator s = requireSimulator();
            SimReport report = s.report();
            SchedulerBackend b = backend;
            System.out.println("workload:     " + s.workloadName());
            if (b != null) {
                System.out.println("policy:       " + b.activePolicy());
            }
            System.out.printf(Locale.ROOT, "virtual time: %.3f s since the policy or the workload last changed (machine clock %.3f s)%n",
                    report.elapsedNs() / 1e9, s.virtualTimeNs() / 1e9);
            System.out.print(report.toTable());
        });
    }

    @Descriptor("switch the simulated machine to another workload; a workload that defines another number of CPUs"
            + " gets a new machine of that size (unless cpus is configured)")
    public void workload(@Descriptor("a built-in workload (desktop-under-build, server, idle), a workload file,"
            + " or trace:FILE (a recorded trace)")
            String... args) {
        Commands.run("scx:workload", () -> {
            String nameOrPath = Commands.exactlyOne("scx:workload", "NAME|FILE (built in: "
                    + String.join(", ", Workload.BUILT_IN) + ")", args);
            Simulator s = requireSimulator();
            Workload workload = Workload.load(nameOrPath);
            int cpus = s.options().cpus();
            ConfigurationAdmin ca = configAdmin;
            Configuration override = ca == null ? null : ca.getConfiguration(SIM_OVERRIDE_PID, "?");
            boolean cpusConfigured = ca != null && (names(ca.getConfiguration(SIM_PID, "?"), "cpus")
                    || names(override, "cpus"));
            if (workload.cpus() > 0 && workload.cpus() != cpus && override != null && !cpusConfigured) {
                Dictionary<String, Object> next = override.getProperties() == null ? new Hashtable<>()
                        : override.getProperties();
                next.put("workload", nameOrPath);
                override.update(next);
                System.out.println("workload " + workload.name() + " loaded on a new simulated machine of "
                        + workload.cpus() + " CPUs (the workload's; this one had " + cpus + ")");
                return;
            }
            s.loadWorkload(nameOrPath);
            System.out.println("workload " + workload.name() + " loaded; it starts at the next scheduling round"
                    + (workload.cpus() > 0 && workload.cpus() != cpus
                            ? " (on this machine's " + cpus + " CPUs: cpus is configured)" : ""));
        });
    }

    /** True if the configuration gives {@code key} a value. */
    private static boolean names(Configuration cfg, String key) {
        Dictionary<String, Object> props = cfg.getProperties();
        return props != null && props.get(key) != null && !String.valueOf(props.get(key)).isBlank();
    }

    private Simulator requireSimulator() {
        Simulator s = simulator;
        if (s == null) {
            throw new IllegalStateException("no simulated machine is running (the backend is not sim)");
        }
        return s;
    }
}
