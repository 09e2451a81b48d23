package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Test;
import org.scxjavaland.policy.deadline.DeadlineSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the launcher ships, says or checks about a component's options agrees with the component's
 * own configuration type, as its metatype (OSGI-INF/metatype of the host's bundles, generated from
 * their {@code @ObjectClassDefinition}) says it: the shipped etc/*.cfg files (every key of a file
 * whose PID has a metatype is one of its attributes, each attribute is in the file, the comment
 * above a key is the attribute's description, and a commented-out value is its default), the
 * command line's defaults and help, README.md's table of defaults, and the launcher's check of
 * the slices before the host starts.
 */
public class OptionCopiesTest {

    private static final Path ETC = Path.of("src/main/layout/etc");
    /**
     * A key line, commented out ({@code #slice_us = 20000}: the default; {@code #cpus =}: none) or
     * set ({@code mode = paced}).
     */
    private static final Pattern KEY_LINE = Pattern.compile("(#?)([a-z_]+) =(?: (.*))?");

    /** One attribute of a metatype. */
    private record Attribute(String description, String defaultValue) {
    }

    /** One key of a .cfg file: the comment above it, whether it is set, and its value. */
    private record Entry(String comment, boolean set, String value) {
    }

    @Test
    public void everyCfgWithAMetatypeSaysWhatItsMetatypeSays() throws Exception {
        Map<String, Map<String, Attribute>> metatypes = metatypesByPid();
        assertTrue("no metatype on the test class path: " + System.getProperty("java.class.path"),
                metatypes.containsKey(HostConfiguration.DEADLINE_PID));
        int checked = 0;
        try (Stream<Path> files = Files.list(ETC)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".cfg")).sorted().toList()) {
                String pid = file.getFileName().toString().replaceFirst("\\.cfg$", "");
                Map<String, Attribute> attributes = metatypes.get(pid);
                if (attributes == null) {
                    continue;
                }
                Map<String, Entry> entries = entries(file);
                assertEquals(file + ": its keys", attributes.keySet(), entries.keySet());
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    Attribute attribute = attributes.get(e.getKey());
                    Entry entry = e.getValue();
                    assertEquals(file + ": the comment on " + e.getKey(), attribute.description() + ".",
                            entry.comment());
                    if (!entry.set()) {
                        assertEquals(file + ": the default of " + e.getKey(), attribute.defaultValue(), entry.value());
                    }
                }
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    /**
     * Options of the command line that set a component's key: option, PID, key, and whether the
     * option's help is that key's description (else only its default is the key's).
     */
    private static final Object[][] COMPONENT_OPTIONS = {
        {"--slice-us", HostConfiguration.DEADLINE_PID, "slice_us", true},
        {"--slice-us-min", HostConfiguration.DEADLINE_PID, "slice_us_min", true},
        {"--slice-us-min", HostConfiguration.BPF_PID, "slice_us_min", false},
        {"--percpu-local", HostConfiguration.DEADLINE_PID, "percpu_local", true},
        {"--numa-local", HostConfiguration.BPF_PID, "numa_local", true},
        {"--partial", HostConfiguration.BPF_PID, "partial", true},
        {"--exit-dump-len", HostConfiguration.BPF_PID, "exit_dump_len", true},
        {"--verbose", HostConfiguration.BPF_PID, "verbose", false},
        {"--backend", HostConfiguration.CONNECTOR_PID, "backend", true},
        {"--policy", HostConfiguration.CONNECTOR_PID, "policy", true},
        {"--queue-depth", HostConfiguration.CONNECTOR_PID, "queue_depth", true},
        {"--workload", HostConfiguration.SIM_PID, "workload", true},
        {"--sim-seed", HostConfiguration.SIM_PID, "seed", true},
        {"--sim-cpus", HostConfiguration.SIM_PID, "cpus", true},
        {"--sim-topology", HostConfiguration.SIM_PID, "topology", true},
        {"--trace", HostConfiguration.SIM_PID, "trace_file", true},
    };

    /**
     * Options whose help is a component's description followed by the default it says: option,
     * PID, key, and that default when it is the launcher's own (else the key's).
     */
    private static final String[][] DESCRIBED_OPTIONS = {
        {"--sim-mode", HostConfiguration.SIM_PID, "mode", HostConfiguration.LIVE_SIM_MODE},
        {"--sim-duration-ms", HostConfiguration.SIM_PID, "duration_ms", null},
        {"--sim-idle-pick", HostConfiguration.SIM_PID, "idle_pick", null},
        {"--sim-sched-round-ns", HostConfiguration.SIM_PID, "sched_round_ns", null},
        {"--sim-sched-task-ns", HostConfiguration.SIM_PID, "sched_task_ns", null},
        {"--trace-events", HostConfiguration.SIM_PID, "trace_events", null},
        {"--record", HostConfiguration.RECORDER_PID, "file", null},
        {"--record-seconds", HostConfiguration.RECORDER_PID, "seconds", null},
        {"--record-max-mb", HostConfiguration.RECORDER_PID, "max_mb", null},
    };

    @Test
    public void theCommandLinesDefaultsAndHelpAreTheComponents() {
        Map<String, Map<String, Attribute>> metatypes = metatypesByPid();
        CommandSpec spec = Options.commandLine(new Options()).getCommandSpec();
        for (Object[] option : COMPONENT_OPTIONS) {
            String name = (String) option[0];
            Attribute attribute = metatypes.get((String) option[1]).get((String) option[2]);
            OptionSpec optionSpec = spec.findOption(name);
            // No default on either side is "" in the metatype and null (or unset) on the command line.
            String given = optionSpec.defaultValue() != null ? optionSpec.defaultValue()
                    : optionSpec.initialValue() == null ? "" : String.valueOf(optionSpec.initialValue());
            assertEquals(name + "'s default", attribute.defaultValue(), given);
            if ((Boolean) option[3]) {
                assertTrue(name + "'s help: " + optionSpec.description()[0],
                        optionSpec.description()[0].startsWith(attribute.description()));
            }
        }
        for (String[] option : DESCRIBED_OPTIONS) {
            Attribute attribute = metatypes.get(option[1]).get(option[2]);
            OptionSpec optionSpec = spec.findOption(option[0]);
            String help = optionSpec.description()[0]
                    .replace("${DEFAULT-VALUE}", String.valueOf(optionSpec.defaultValue()));
            assertTrue(option[0] + "'s help: " + help, help.startsWith(attribute.description()));
            // A whole number as a Double attribute's default says 60.0; the help says 60.
            String defaultValue = option[3] != null ? option[3] : attribute.defaultValue().replaceFirst("\\.0$", "");
            if (!defaultValue.isEmpty()) {
                assertTrue(option[0] + "'s help: " + help, help.endsWith("(default: " + defaultValue + ")."));
            }
        }
    }

    /** A row of README.md's table of options: the first option's name, and the default column. */
    private static final Pattern README_ROW = Pattern.compile("\\| `(-[-a-zA-Z]+)[^|]*\\| ([^|]*) \\|.*");
    /** The default --help gives an option: {@code (default: 20000)} or {@code default: 0}. */
    private static final Pattern HELP_DEFAULT = Pattern.compile("default: ([^ ,;)]+)");

    @Test
    public void theReadmesDefaultsAreTheHelps() throws IOException {
        CommandSpec spec = Options.commandLine(new Options()).getCommandSpec();
        int compared = 0;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = README_ROW.matcher(line);
            if (!row.matches() || spec.findOption(row.group(1)) == null) {
                continue;
            }
            OptionSpec option = spec.findOption(row.group(1));
            Matcher help = HELP_DEFAULT.matcher(String.join(" ", option.description())
                    .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue())));
            if (help.find()) {
                assertEquals("README.md's default of " + row.group(1), help.group(1), row.group(2).split(" ")[0]);
                compared++;
            }
        }
        assertTrue("README.md's table of options compared: " + compared, compared >= 10);
    }

    @Test
    public void theLaunchersSliceCheckRefusesWhatTheDeadlinePolicyRefuses() {
        long[] values = {1, 999, 1_000, 1_001, 20_000, 30_000};
        for (long slice : values) {
            for (long sliceMin : values) {
                boolean policyAccepts = accepts(() -> new DeadlineSettings(slice, sliceMin, false));
                boolean launcherAccepts = accepts(() -> Preflight.slices(
                        Options.parse("-s", Long.toString(slice), "-S", Long.toString(sliceMin)), Map.of()));
                assertEquals("slice_us " + slice + ", slice_us_min " + sliceMin, policyAccepts, launcherAccepts);
                boolean fromEtc = accepts(() -> Preflight.slices(Options.parse(),
                        Map.of("slice_us", Long.toString(slice), "slice_us_min", Long.toString(sliceMin))));
                assertEquals("etc/: slice_us " + slice + ", slice_us_min " + sliceMin, policyAccepts, fromEtc);
            }
        }
    }

    private static boolean accepts(Runnable check) {
        try {
            check.run();
            return true;
        } catch (IllegalArgumentException | LaunchFailure refused) {
            return false;
        }
    }

    /** The keys of a .cfg file in order, each with the comment lines right above it joined into one line. */
    private static Map<String, Entry> entries(Path file) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> comment = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher key = KEY_LINE.matcher(line);
            if (key.matches()) {
                assertFalse(file + ": " + key.group(2) + " twice", entries.containsKey(key.group(2)));
                entries.put(key.group(2), new Entry(String.join(" ", comment), key.group(1).isEmpty(),
                        key.group(3) == null ? "" : key.group(3)));
                comment.clear();
            } else if (line.startsWith("# ")) {
                comment.add(line.substring(2).trim());
            } else {
                assertTrue(file + ": a line that is no comment, key or blank: " + line, line.isBlank());
                comment.clear();
            }
        }
        return entries;
    }

    /** PID -> attribute key -> attribute, from every metatype document of the jars and folders on the class path. */
    private static Map<String, Map<String, Attribute>> metatypesByPid() {
        Map<String, Map<String, Attribute>> pids = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            try {
                if (Files.isDirectory(path.resolve("OSGI-INF/metatype"))) {
                    try (Stream<Path> documents = Files.list(path.resolve("OSGI-INF/metatype"))) {
                        for (Path document : documents.toList()) {
                            try (InputStream in = Files.newInputStream(document)) {
                                read(in, pids);
                            }
                        }
                    }
                } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                    try (ZipFile jar = new ZipFile(path.toFile())) {
                        for (ZipEntry document : jar.stream().filter(e -> e.getName().startsWith("OSGI-INF/metatype/")
                                && e.getName().endsWith(".xml")).toList()) {
                            try (InputStream in = jar.getInputStream(document)) {
                                read(in, pids);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(entry + " cannot be read", e);
            }
        }
        return pids;
    }

    private static void read(InputStream in, Map<String, Map<String, Attribute>> pids) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            document = factory.newDocumentBuilder().parse(in);
        } catch (Exception e) {
            throw new AssertionError("a metatype document cannot be parsed", e);
        }
        Map<String, Map<String, Attribute>> ocds = new LinkedHashMap<>();
        NodeList ocdNodes = document.getElementsByTagName("OCD");
        for (int i = 0; i < ocdNodes.getLength(); i++) {
            Element ocd = (Element) ocdNodes.item(i);
            Map<String, Attribute> attributes = new LinkedHashMap<>();
            NodeList ads = ocd.getElementsByTagName("AD");
            for (int j = 0; j < ads.getLength(); j++) {
                Element ad = (Element) ads.item(j);
                attributes.put(ad.getAttribute("id"),
                        new Attribute(ad.getAttribute("description"), ad.getAttribute("default")));
            }
            ocds.put(ocd.getAttribute("id"), attributes);
        }
        NodeList designates = document.getElementsByTagName("Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            Element designate = (Element) designates.item(i);
            Element object = (Element) designate.getElementsByTagName("Object").item(0);
            Map<String, Attribute> attributes = ocds.get(object.getAttribute("ocdref"));
            assertNotNull("a Designate of " + designate.getAttribute("pid") + " without its OCD", attributes);
            pids.put(designate.getAttribute("pid"), attributes);
        }
    }
}
