package org.scxjavaland.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The page of a comparison, index.html: one file with everything inside (styles and the plots as
 * SVG data URIs), so it opens from disk, offline. First the best policy per task group at a glance,
 * then per workload the latency curves, the bars (CPU share, missed periods, hog throughput) and the
 * table of figures with their spread across seeds, then how it was made.
 */
public final class HtmlReport {

    public static final String INDEX = "index.html";

    private static final Figure[] TABLE_FIGURES = {Figure.P50_US, Figure.P99_US, Figure.P999_US, Figure.MAX_US,
        Figure.CPU_SHARE_PCT, Figure.MISSED_PERIODS, Figure.HOG_THROUGHPUT};

    private final Results results;
    private final List<String> failures;
    private final List<String> policies;
    private final List<String> workloads;

    public HtmlReport(Results results, List<String> failures) {
        this.results = results;
        this.failures = List.copyOf(failures);
        Set<String> p = new LinkedHashSet<>();
        Set<String> w = new LinkedHashSet<>();
        for (String named : results.provenance().policies()) {
            p.add(named.contains("=") ? named.substring(0, named.indexOf('=')) : named);
        }
        for (RunResult run : results.runs()) {
            p.add(run.policy());
            w.add(run.workload());
        }
        this.policies = List.copyOf(p);
        this.workloads = List.copyOf(w);
    }

    /** The best policies of one group by its headline figure (more than one on a tie; none when all are equal). */
    record Best(String workload, String group, String kind, Figure figure, List<String> winners,
            Map<String, Spread> all) {
    }

    /** For each workload and group, the policies whose median headline figure is best. */
    List<Best> best() {
        List<Best> best = new ArrayList<>();
        for (String workload : workloads) {
            List<List<RunResult>> byPolicy = byPolicy(workload);
            for (GroupResult g : groups(workload)) {
                Figure f = Figure.headline(g);
                Map<String, Spread> all = new LinkedHashMap<>();
                for (int p = 0; p < policies.size(); p++) {
                    Spread s = Spread.of(byPolicy.get(p), g.name(), f);
                    if (!s.empty()) {
                        all.put(policies.get(p), s);
                    }
                }
                if (f == Figure.MISSED_PERIODS && allEqual(all)) {
                    // No policy missed more than another: the latency tells them apart.
                    f = Figure.P99_US;
                    all.clear();
                    for (int p = 0; p < policies.size(); p++) {
                        Spread s = Spread.of(byPolicy.get(p), g.name(), f);
                        if (!s.empty()) {
                            all.put(policies.get(p), s);
                        }
                    }
                }
                List<String> winners = new ArrayList<>();
                if (!all.isEmpty() && !allEqual(all)) {
                    String first = null;
                    for (Map.Entry<String, Spread> e : all.entrySet()) {
                        if (first == null || better(f, e.getValue().median(), all.get(first).median())) {
                            first = e.getKey();
                        }
                    }
                    for (Map.Entry<String, Spread> e : all.entrySet()) {
                        if (e.getValue().median() == all.get(first).median()) {
                            winners.add(e.getKey());
                        }
                    }
                }
                best.add(new Best(workload, g.name(), g.kind(), f, winners, all));
            }
        }
        return best;
    }

    public String html() {
        StringBuilder h = new StringBuilder(64 * 1024);
        Provenance pv = results.provenance();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>scx_javaland policy comparison</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n");
        h.append("<header><h1>scx_javaland policy comparison</h1>\n<p class=\"meta\">");
        for (int p = 0; p < policies.size(); p++) {
            h.append("<span class=\"chip\" style=\"background:").append(Charts.hex(p)).append("\">")
                    .append(esc(policies.get(p))).append("</span> ");
        }
        h.append(" on ").append(esc(String.join(", ", workloads))).append(" &middot; seeds ")
                .append(esc(seedText(pv.seeds()))).append(" &middot; ").append(pv.durationMs())
                .append(" ms of virtual time per run &middot; ").append(results.runs().size()).append(" runs in ")
                .append(String.format(Locale.ROOT, "%.1f", pv.wallMs() / 1e3)).append(" s</p></header>\n");

        if (!failures.isEmpty()) {
            h.append("<section class=\"failures\"><h2>Runs that failed</h2><ul>");
            for (String f : failures) {
                h.append("<li>").append(esc(f)).append("</li>");
            }
            h.append("</ul></section>\n");
        }

        h.append("<section id=\"best\"><h2>Best policy per task group</h2>\n")
                .append("<p class=\"note\">By the figure that matters for the group's kind: missed periods for periodic")
                .append(" tasks (the p99 latency when none differ), CPU-seconds per second for hogs, the p99 wake-to-run")
                .append(" latency otherwise. Median across seeds, min&ndash;max in brackets.</p>\n");
        h.append("<table class=\"best\"><thead><tr><th>workload</th><th>group</th><th>figure</th><th>best</th>");
        for (String p : policies) {
            h.append("<th>").append(esc(p)).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (Best b : best()) {
            h.append("<tr><td>").append(esc(b.workload())).append("</td><td>").append(esc(b.group()))
                    .append(" <span class=\"kind\">").append(esc(b.kind())).append("</span></td><td>")
                    .append(esc(label(b.figure()))).append("</td><td>");
            if (b.winners().isEmpty()) {
                h.append("<span class=\"tie\">all equal</span>");
            }
            for (String winner : b.winners()) {
                h.append("<span class=\"chip\" style=\"background:").append(Charts.hex(policies.indexOf(winner)))
                        .append("\">").append(esc(winner)).append("</span> ");
            }
            h.append("</td>");
            for (String p : policies) {
                Spread s = b.all().get(p);
                h.append(b.winners().contains(p) ? "<td class=\"win\">" : "<td>").append(s == null ? "&ndash;" : spread(s))
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></section>\n");

        for (String workload : workloads) {
            appendWorkload(h, workload);
        }

        h.append("<section id=\"provenance\"><h2>How this was made</h2>\n<pre class=\"command\">")
                .append(esc(pv.command())).append("</pre>\n<table class=\"facts\">")
                .append(fact("working directory", pv.workingDirectory()))
                .append(fact("scx_javaland", pv.version()));
        for (Provenance.PolicyJar jar : pv.policyJars()) {
            h.append(fact("policy " + jar.policy(), jar.jar() + " (" + jar.bundle() + " " + jar.bundleVersion()
                    + "), sha256 " + (jar.sha256() == null ? "unknown" : jar.sha256())));
        }
        h.append(fact("Java", pv.java())).append(fact("system", pv.os()))
                .append(fact("cores", pv.hostCores() + " (" + pv.jobs() + " runs at a time)"))
                .append(fact("seeds", seedText(pv.seeds()))).append(fact("virtual time per run", pv.durationMs() + " ms"))
                .append(fact("started", pv.startedAt()))
                .append(fact("files", "results.csv, results.json (one row per policy, workload, seed, group and figure),"
                        + " command.txt, runs/ (each run's own report and command)"))
                .append("</table></section>\n</body></html>\n");
        return h.toString();
    }

    private void appendWorkload(StringBuilder h, String workload) {
        List<List<RunResult>> byPolicy = byPolicy(workload);
        List<GroupResult> groups = groups(workload);
        h.append("<section class=\"workload\" id=\"w-").append(esc(workload)).append("\"><h2>Workload ")
                .append(esc(workload)).append("</h2>\n");
        h.append("<h3>Wake-to-run latency by percentile</h3>\n<p class=\"note\">A point at percentile p and latency t:")
                .append(" p % of the group's wake-ups waited at most t for a CPU, so a lower curve is better. The")
                .append(" percentiles are spaced by decades of the tail (90, 99, 99.9, 99.99 a decade apart, the worst")
                .append(" wake-up at max); the latency axis is logarithmic. Thick: the median across seeds; thin: each")
                .append(" seed.</p>\n<div class=\"charts\">\n");
        for (GroupResult g : groups) {
            if (g.hasLatency() && !"kthread".equals(g.kind())) {
                chart(h, "latency " + g.name(), Charts.latencyCurves(g.name() + " (" + g.kind() + ", " + g.tasks()
                        + (g.tasks() == 1 ? " task)" : " tasks)"), policies, byPolicy, g.name()));
            }
        }
        h.append("</div>\n<h3>CPU share, missed periods, hog throughput</h3>\n<div class=\"charts\">\n");
        chart(h, "cpu share", Charts.bars("CPU share per group (median)", "% of the machine", policies, byPolicy,
                names(groups, null), Figure.CPU_SHARE_PCT));
        List<String> periodic = names(groups, Figure.MISSED_PERIODS);
        if (!periodic.isEmpty()) {
            chart(h, "missed periods", Charts.bars("Missed periods (median)", "periods missed", policies, byPolicy,
                    periodic, Figure.MISSED_PERIODS));
        }
        List<String> hogs = names(groups, Figure.HOG_THROUGHPUT);
        if (!hogs.isEmpty()) {
            chart(h, "hog throughput", Charts.bars("Hog throughput (median)", "CPU-seconds per second", policies,
                    byPolicy, hogs, Figure.HOG_THROUGHPUT));
        }
        h.append("</div>\n<h3>Figures</h3>\n<p class=\"note\">Median across seeds, min&ndash;max in brackets; the")
                .append(" best median of each line is marked.</p>\n<table class=\"figures\"><thead><tr><th>group</th><th>figure</th>");
        for (String p : policies) {
            h.append("<th>").append(esc(p)).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (GroupResult g : groups) {
            for (Figure f : Figure.applicable(g, TABLE_FIGURES)) {
                List<Spread> spreads = new ArrayList<>();
                for (List<RunResult> runs : byPolicy) {
                    spreads.add(Spread.of(runs, g.name(), f));
                }
                Set<Integer> best = bestIndexes(f, spreads);
                h.append("<tr><td>").append(esc(g.name())).append("</td><td>").append(esc(label(f))).append("</td>");
                for (int p = 0; p < spreads.size(); p++) {
                    Spread s = spreads.get(p);
                    h.append(best.contains(p) ? "<td class=\"win\">" : "<td>").append(s.empty() ? "&ndash;" : spread(s))
                            .append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</tbody></table></section>\n");
    }

    private static void chart(StringBuilder h, String what, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        h.append("<figure><img class=\"plot\" width=\"").append(Charts.WIDTH).append("\" height=\"")
                .append(Charts.HEIGHT).append("\" alt=\"").append(esc(what)).append("\" src=\"")
                .append(Charts.dataUri(chart)).append("\"></figure>\n");
    }

    /** Each policy's runs of {@code workload}, in policy order. */
    private List<List<RunResult>> byPolicy(String workload) {
        List<List<RunResult>> byPolicy = new ArrayList<>();
        for (String p : policies) {
            List<RunResult> runs = new ArrayList<>();
            for (RunResult run : results.runs()) {
                if (run.policy().equals(p) && run.workload().equals(workload)) {
                    runs.add(run);
                }
            }
            byPolicy.add(runs);
        }
        return byPolicy;
    }

    /** The groups of {@code workload}, as its first run has them. */
    private List<GroupResult> groups(String workload) {
        for (RunResult run : results.runs()) {
            if (run.workload().equals(workload)) {
                return run.groups();
            }
        }
        return List.of();
    }

    private static List<String> names(List<GroupResult> groups, Figure having) {
        List<String> names = new ArrayList<>();
        for (GroupResult g : groups) {
            if (having == null || having.appliesTo(g)) {
                names.add(g.name());
            }
        }
        return names;
    }

    private static boolean better(Figure f, double a, double b) {
        return f.lowerIsBetter() ? a < b : a > b;
    }

    private static boolean allEqual(Map<String, Spread> all) {
        return all.values().stream().mapToDouble(Spread::median).distinct().count() <= 1;
    }

    /** The policies with the best median (all of them on a tie), none when every policy has the same. */
    static Set<Integer> bestIndexes(Figure f, List<Spread> spreads) {
        int best = -1;
        Set<Double> medians = new java.util.HashSet<>();
        for (int i = 0; i < spreads.size(); i++) {
            Spread s = spreads.get(i);
            if (s.empty()) {
                continue;
            }
            medians.add(s.median());
            if (best < 0 || better(f, s.median(), spreads.get(best).median())) {
                best = i;
            }
        }
        Set<Integer> winners = new java.util.TreeSet<>();
        if (medians.size() > 1) {
            for (int i = 0; i < spreads.size(); i++) {
                if (!spreads.get(i).empty() && spreads.get(i).median() == spreads.get(best).median()) {
                    winners.add(i);
                }
            }
        }
        return winners;
    }

    static String label(Figure f) {
        return switch (f) {
            case P50_US -> "p50 latency (us)";
            case P99_US -> "p99 latency (us)";
            case P999_US -> "p99.9 latency (us)";
            case MAX_US -> "max latency (us)";
            case CPU_SHARE_PCT -> "CPU share (%)";
            case MISSED_PERIODS -> "missed periods";
            case HOG_THROUGHPUT -> "hog throughput (cpu-s/s)";
        };
    }

    private static String spread(Spread s) {
        return num(s.median()) + " <span class=\"range\">(" + num(s.min()) + "&ndash;" + num(s.max()) + ")</span>";
    }

    /** A figure as the page writes it: whole numbers as they are, 1 decimal from 1, 3 below. */
    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (Math.abs(v) >= 1) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String seedText(List<Long> seeds) {
        if (seeds.size() > 2 && seeds.get(seeds.size() - 1) - seeds.get(0) == seeds.size() - 1) {
            return seeds.get(0) + ".." + seeds.get(seeds.size() - 1);
        }
        return seeds.toString().replaceAll("[\\[\\]]", "");
    }

    private static String fact(String name, String value) {
        return "<tr><th>" + esc(name) + "</th><td>" + esc(value == null ? "unknown" : value) + "</td></tr>";
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body { font: 14px/1.45 system-ui, 'DejaVu Sans', sans-serif; margin: 24px auto; max-width: 1180px; color: #222; padding: 0 16px; }
            h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            h3 { font-size: 15px; margin: 18px 0 6px; } .meta, .note { color: #555; } .note { font-size: 12.5px; margin: 2px 0 8px; }
            .chip { color: #fff; border-radius: 9px; padding: 1px 8px; font-weight: 600; font-size: 12.5px; }
            .kind { color: #777; font-size: 12px; } .tie { color: #777; }
            table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
            th, td { border-bottom: 1px solid #eee; padding: 4px 10px; text-align: left; vertical-align: top; }
            thead th { background: #f5f5f5; } td.win { background: #e3f4e1; font-weight: 600; }
            .range { color: #777; font-weight: 400; font-size: 12px; }
            .charts { display: flex; flex-wrap: wrap; gap: 8px; } figure { margin: 0; border: 1px solid #eee; }
            img.plot { display: block; max-width: 100%; height: auto; }
            pre.command { background: #f5f5f5; padding: 8px 10px; white-space: pre-wrap; }
            .failures { background: #fdecea; padding: 4px 12px; }
            """;
}
