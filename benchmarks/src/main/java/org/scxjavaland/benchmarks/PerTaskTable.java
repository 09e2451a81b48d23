package org.scxjavaland.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@code SchedulingPathBenchmark} for each backlog and batch size, with as many operations
 * per invocation as the batch has tasks, so that every score is in ns per task, and prints one
 * line per case: {@code benchmark policy held batch ns_per_task error}. JMH options given on the command
 * line (such as {@code -wi 3 -i 5 -f 1 -jvmArgsAppend ...}) apply to every case; {@code -p held=...}
 * and {@code -p batch=...} choose the cases (default 16,256,4096 and 1,8,64), {@code -p policy=...}
 * the policies (default deadline).
 */
public final class PerTaskTable {
    private PerTaskTable() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions given = new CommandLineOptions(args);
        List<String> benchmarks = given.getIncludes().isEmpty()
                ? List.of(SchedulingPathBenchmark.class.getName() + ".userSpacePath")
                : given.getIncludes();
        Collection<String> helds = given.getParameter("held").orElse(List.of("16", "256", "4096"));
        Collection<String> batches = given.getParameter("batch").orElse(List.of("1", "8", "64"));
        List<String> lines = new ArrayList<>();
        for (String benchmark : benchmarks) {
            for (String held : helds) {
                for (String batch : batches) {
                    Options options = new OptionsBuilder().parent(given).include(benchmark)
                            .param("held", held).param("batch", batch)
                            .param("policy", given.getParameter("policy").orElse(List.of("deadline")).toArray(String[]::new))
                            .operationsPerInvocation(Integer.parseInt(batch)).build();
                    for (RunResult result : new Runner(options).run()) {
                        var score = result.getPrimaryResult();
                        String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
                        lines.add(String.format("%s %s %s %s %.2f %.2f", name, result.getParams().getParam("policy"),
                                held, batch, score.getScore(), score.getScoreError()));
                    }
                }
            }
        }
        System.out.println("# benchmark policy held batch ns_per_task error");
        lines.forEach(System.out::println);
    }
}
