package org.scxjavaland.lab;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A set of results as the lab writes and reads them: results.json (the provenance, one row per
 * policy, workload, seed, group and figure, and the runs themselves with their latency curves)
 * and results.csv (the rows alone).
 *
 * @param provenance what produced them
 * @param rows every figure, flat
 * @param runs the runs the rows come from
 */
public record Results(Provenance provenance, List<ResultRow> rows, List<RunResult> runs) {

    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Results {
        rows = List.copyOf(rows);
        runs = List.copyOf(runs);
    }

    /** Results of {@code runs}, with their rows. */
    public static Results of(Provenance provenance, List<RunResult> runs) {
        return new Results(provenance, ResultRow.of(runs), runs);
    }

    /** Writes results.json and results.csv into {@code folder} (created if missing). */
    public void writeTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        MAPPER.writeValue(folder.resolve(JSON).toFile(), this);
        writeCsv(folder.resolve(CSV), rows);
    }

    public static void writeCsv(Path file, List<ResultRow> rows) throws IOException {
        List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(ResultRow.CSV_HEADER);
        for (ResultRow row : rows) {
            lines.add(row.csvLine());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    public static List<ResultRow> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(ResultRow.CSV_HEADER)) {
            throw new IOException(file + " does not start with the header " + ResultRow.CSV_HEADER);
        }
        List<ResultRow> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isEmpty()) {
                rows.add(ResultRow.parseCsv(line));
            }
        }
        return rows;
    }

    /** Reads a results.json. */
    public static Results readJson(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), Results.class);
    }

    /** The results as results.json holds them. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** scx_javaland's version, as the build filtered it into the lab's resources. */
    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = Results.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
