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
import org.scxjavaland.sim.Workload;

/** The simulated machine's commands: what it runs, its clock and latency table, another workload. */
@Component(service = SimCommands.class, property = {
    "osgi.command.scope=scx",
    "osgi.command.function=sim",
    "osgi.command.function=workload"
})
public class SimCommands {

    /** The simulator's configuration: a new CPU count goes through it, as with a .cfg file. */
    static final String SIM_PID = "org.scxjavaland.sim";

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
    public void workload(@Descriptor("a built-in workload (desktop-under-build, server, idle) or a workload file")
            String... args) {
        Commands.run("scx:workload", () -> {
            String nameOrPath = Commands.exactlyOne("scx:workload", "NAME|FILE (built in: "
                    + String.join(", ", Workload.BUILT_IN) + ")", args);
            Simulator s = requireSimulator();
            Workload workload = Workload.load(nameOrPath);
            int cpus = s.options().cpus();
            Configuration cfg = configAdmin == null ? null : configAdmin.getConfiguration(SIM_PID, "?");
            Dictionary<String, Object> props = cfg == null ? null : cfg.getProperties();
            boolean cpusConfigured = props != null && props.get("cpus") != null
                    && !String.valueOf(props.get("cpus")).isBlank();
            if (workload.cpus() > 0 && workload.cpus() != cpus && cfg != null && !cpusConfigured) {
                Dictionary<String, Object> next = props == null ? new Hashtable<>() : props;
                next.put("workload", nameOrPath);
                cfg.update(next);
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

    private Simulator requireSimulator() {
        Simulator s = simulator;
        if (s == null) {
            throw new IllegalStateException("no simulated machine is running (the backend is not sim)");
        }
        return s;
    }
}
