package dev.recurrent.models.cli;

import dev.recurrent.models.train.JsonFiles;
import dev.recurrent.models.train.StepMetrics;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code metrics.csv}: the header {@link StepMetrics#CSV_HEADER}, then one row per step, flushed as
 * it is written, so the file is complete up to the last finished step even when the run is killed. Keeps
 * (step, loss) of every row in memory for the loss plot.
 */
final class MetricsLog implements Closeable {
    static final String FILE = "metrics.csv";

    private final BufferedWriter writer;
    private final List<double[]> points = new ArrayList<>();

    private MetricsLog(BufferedWriter writer, List<String> rows) {
        this.writer = writer;
        for (String row : rows) points.add(point(row));
    }

    /**
     * Starts {@code file} over with the header and {@code rows} (written atomically: the previous file
     * stays whole until the new one is complete), then appends to it.
     */
    static MetricsLog start(Path file, List<String> rows) throws IOException {
        StringBuilder s = new StringBuilder(StepMetrics.CSV_HEADER).append('\n');
        for (String row : rows) s.append(row).append('\n');
        JsonFiles.writeAtomically(file, s.toString().getBytes(StandardCharsets.UTF_8));
        return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND), rows);
    }

    /**
     * The rows of an existing metrics file for steps 1..{@code upTo} (what a run resumed at step
     * {@code upTo} keeps); none when the file is absent or not one of ours.
     */
    static List<String> rowsUpTo(Path file, long upTo) {
        List<String> lines;
        try {
            if (!Files.isRegularFile(file)) return List.of();
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
        if (lines.isEmpty() || !lines.get(0).equals(StepMetrics.CSV_HEADER)) return List.of();
        List<String> kept = new ArrayList<>();
        for (String row : lines.subList(1, lines.size())) {
            try {
                double[] p = point(row);
                if (p[0] >= 1 && p[0] <= upTo && p[0] == kept.size() + 1) kept.add(row);
            } catch (RuntimeException e) {
                break;                      // a row cut short by a killed run: keep what came before
            }
        }
        return kept;
    }

    void append(StepMetrics m) throws IOException {
        String row = m.csv();
        writer.write(row);
        writer.write('\n');
        writer.flush();
        points.add(point(row));
    }

    /** (step, loss) of every row so far. */
    List<double[]> points() { return points; }

    private static double[] point(String row) {
        String[] f = row.split(",");
        if (f.length < 2) throw new IllegalArgumentException("metrics row has fewer than 2 fields: " + row);
        return new double[] {Long.parseLong(f[0].trim()), Double.parseDouble(f[1].trim())};
    }

    @Override public void close() throws IOException { writer.close(); }
}
