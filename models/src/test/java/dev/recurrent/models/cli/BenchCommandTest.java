package dev.recurrent.models.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnn bench} on tiny sizes: the report, the last line (the median in ms), JSON, and bad input. */
class BenchCommandTest {
    private static String[] run(int expectedStatus, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.execute(new CommandLine(new BenchCommand()), new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(expectedStatus, status, out + "\n" + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void printsTheReportAndEndsWithTheMedian() {
        for (String cell : new String[] {"lstm", "gru", "elman"}) {
            String out = run(0, "--cell", cell, "--batch", "2", "--steps", "3", "--input", "4", "--hidden", "5",
                    "--backend", "java", "--warmup", "1", "--warmup-seconds", "0", "--repeat", "3")[0];
            assertTrue(out.contains("GFLOP/s") && out.contains("java (pure Java kernels"), out);
            String[] lines = out.strip().split("\n");
            assertTrue(Double.parseDouble(lines[lines.length - 1]) > 0, out);
        }
    }

    @Test
    void jsonThenTheMedian() {
        String out = run(0, "--cell", "lstm", "--batch", "1", "--steps", "2", "--input", "3", "--hidden", "2", "--json",
                "--backend", "java", "--dtype", "F64", "--warmup", "0", "--warmup-seconds", "0", "--repeat", "3")[0];
        String[] lines = out.strip().split("\n");
        assertTrue(lines[0].startsWith("{\"cell\":\"lstm\"") && lines[0].contains("\"median_ms\""), out);
        assertTrue(lines[0].contains("\"warmup\":0,"), "no warm-up asked for, none run: " + out);
        double median = Double.parseDouble(lines[lines.length - 1]);
        assertTrue(median > 0, out);
        // every timed step in run order: three of them, the median among them
        java.util.regex.Matcher steps = java.util.regex.Pattern.compile("\"steps_ms\":\\[([0-9.]+),([0-9.]+),([0-9.]+)\\]}").matcher(lines[0]);
        assertTrue(steps.find(), "three step times: " + out);
        double[] t = {Double.parseDouble(steps.group(1)), Double.parseDouble(steps.group(2)), Double.parseDouble(steps.group(3))};
        java.util.Arrays.sort(t);
        assertEquals(t[1], median, 0.0015, "the median of the step times: " + out);
    }

    /**
     * {@code --profile}: a table with the fused recurrence forward and backward, the input projection, and a
     * total no larger than the profiled steps' wall time; the median is still the last line.
     */
    @Test
    void profileTablesTheOpsThenTheMedian() {
        String out = run(0, "--cell", "gru", "--batch", "2", "--steps", "3", "--input", "4", "--hidden", "5", "--profile",
                "--backend", "java", "--warmup", "1", "--warmup-seconds", "0", "--repeat", "2")[0];
        String[] lines = out.strip().split("\n");
        assertTrue(Double.parseDouble(lines[lines.length - 1]) > 0, out);
        java.util.regex.Matcher head = java.util.regex.Pattern
                .compile("op profile over 2 more steps \\(([0-9.]+) ms a step, ([0-9.]+) ms of it in ops\\)").matcher(out);
        assertTrue(head.find(), out);
        assertTrue(Double.parseDouble(head.group(2)) <= Double.parseDouble(head.group(1)), "ops within the step's wall time: " + out);
        for (String row : new String[] {"recurrence\\(gru\\) +forward +1\\.0 ", "recurrence\\(gru\\) +backward +1\\.0 ",
                "linear +forward +1\\.0 ", "\\(all ops\\) +[0-9.]+"}) {
            assertTrue(java.util.regex.Pattern.compile("(?m)^" + row).matcher(out).find(), "expected a row like '" + row + "' in\n" + out);
        }
    }

    /** The warm-up runs for at least {@code --warmup-seconds}, however few steps {@code --warmup} asks for. */
    @Test
    void warmUpLastsAtLeastTheSecondsAskedFor() {
        long t0 = System.nanoTime();
        String out = run(0, "--cell", "gru", "--batch", "1", "--steps", "2", "--input", "3", "--hidden", "2", "--json",
                "--backend", "java", "--warmup", "0", "--warmup-seconds", "0.3", "--repeat", "1")[0];
        double seconds = (System.nanoTime() - t0) / 1e9;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"warmup\":(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Integer.parseInt(m.group(1)) > 1, "steps of a 0.3 s warm-up: " + out);
        assertTrue(seconds >= 0.3, "the command took " + seconds + " s");
    }

    @Test
    void badInputIsOneLineAndStatus2() {
        String err = run(2, "--cell", "jordan", "--backend", "java")[1];
        assertTrue(err.contains("--cell"), err);
        err = run(2, "--steps", "0", "--backend", "java")[1];
        assertTrue(err.contains("--steps"), err);
        err = run(2, "--warmup-seconds", "-1", "--backend", "java")[1];
        assertTrue(err.contains("--warmup-seconds: expected 0 to 3600; got -1.0"), err);
    }
}
