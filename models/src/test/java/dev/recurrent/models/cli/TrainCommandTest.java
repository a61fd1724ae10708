package dev.recurrent.models.cli;

import com.google.gson.JsonObject;
import dev.recurrent.models.cli.Cli.Run;
import dev.recurrent.models.train.Checkpoints;
import dev.recurrent.models.train.JsonFiles;
import dev.recurrent.models.train.StepMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.recurrent.models.cli.Cli.rnn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnn train} and {@code rnn sample} in process: what a run writes, hello, resume. Tiny models, the java backend. */
class TrainCommandTest {
    @TempDir Path dir;

    /** A tiny text run of {@code steps} steps into {@code out}, with any further options. */
    static Run tinyText(Path out, int steps, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--hidden", "8", "--batch", "2", "--seq-len", "8", "--steps", Integer.toString(steps),
                "--backend", "java", "--out", out.toString()));
        args.addAll(Arrays.asList(more));
        return rnn(args.toArray(new String[0]));
    }

    @Test
    void aRunWritesMetricsPlotCheckpointAndConfig() throws IOException {
        Path out = dir.resolve("run");
        Run r = tinyText(out, 5);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("sample:"), "prints samples: " + r.out());
        assertTrue(r.out().contains("done: step 5"), r.out());

        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(StepMetrics.CSV_HEADER, csv.get(0));
        assertEquals("step,loss,grad_norm,lr,time_s", csv.get(0));
        assertEquals(6, csv.size(), "the header and one row per step");
        for (int i = 1; i <= 5; i++) {
            String[] f = csv.get(i).split(",");
            assertEquals(5, f.length, csv.get(i));
            assertEquals(i, Integer.parseInt(f[0]));
            assertTrue(Double.isFinite(Double.parseDouble(f[1])), csv.get(i));
        }

        byte[] png = Files.readAllBytes(out.resolve("loss.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(png, 8), "PNG signature");
        BufferedImage image = ImageIO.read(out.resolve("loss.png").toFile());
        assertNotNull(image, "ImageIO reads the plot");
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, image.getWidth() + "x" + image.getHeight());

        assertEquals(5, Checkpoints.read(out.resolve("checkpoint")).trainer().step());
        JsonObject config = JsonFiles.readObject(out.resolve("config.json"));
        assertEquals(8, config.getAsJsonObject("train").get("hidden").getAsInt());
        assertEquals("text", config.getAsJsonObject("train").get("task").getAsString());
        assertEquals("lstm", config.getAsJsonObject("model").get("cell").getAsString());
        assertEquals(JsonFiles.readObject(out.resolve("checkpoint").resolve("config.json")), config, "the run's config is the checkpoint's");
    }

    @Test
    void helloIsLearnedAndGreedySamplingFromHPrintsHello() throws IOException {
        Path out = dir.resolve("hello");
        Run t = rnn("train", "--task", "hello", "--hidden", "16", "--steps", "150", "--backend", "java", "--out", out.toString());
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().contains("step 150/150  loss"), t.out());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(Double.parseDouble(lossOf(csv.get(csv.size() - 1))) < 0.05, "near-zero loss at the end: " + csv.get(csv.size() - 1));
        Run s = rnn("sample", "--from", out.toString(), "--prime", "h", "--temperature", "0", "--length", "4", "--backend", "java");
        assertEquals(0, s.status(), s.err());
        assertEquals("hello", s.out().strip());
        assertEquals("", s.err());
        Run fromCheckpoint = rnn("sample", "--from", out.resolve("checkpoint").toString(), "--temperature", "0", "--length", "4");
        assertEquals("hello", fromCheckpoint.out().strip(), "the checkpoint directory works too, and 'h' is the hello task's default prime");
    }

    @Test
    void resumingAddsStepsAndEndsWhereAnUninterruptedRunEnds() throws IOException {
        Path whole = dir.resolve("whole"), split = dir.resolve("split");
        assertEquals(0, tinyText(whole, 6).status());
        assertEquals(0, tinyText(split, 4).status());
        Run r = rnn("train", "--resume", split.toString(), "--steps", "2", "--backend", "java");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("resumed at 4"), r.out());

        assertEquals(6, Checkpoints.read(split.resolve("checkpoint")).trainer().step(), "4 + 2 steps");
        List<String> a = Files.readAllLines(whole.resolve("metrics.csv")), b = Files.readAllLines(split.resolve("metrics.csv"));
        assertEquals(7, b.size(), "metrics.csv goes on: header and rows 1..6");
        for (int i = 1; i <= 6; i++) assertEquals(lossOf(a.get(i)), lossOf(b.get(i)), "step " + i);
        for (String f : List.of("model.safetensors", "optimizer.safetensors")) {
            assertArrayEquals(Files.readAllBytes(whole.resolve("checkpoint").resolve(f)), Files.readAllBytes(split.resolve("checkpoint").resolve(f)),
                    f + ": bitwise the same as without the interruption");
        }

        Run again = rnn("train", "--resume", split.toString(), "--backend", "java");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("nothing to train"), again.out());
    }

    @Test
    void resumingIntoAnotherFolderCarriesTheMetricsAndLeavesTheFirstAlone() throws IOException {
        Path first = dir.resolve("first"), second = dir.resolve("second");
        assertEquals(0, tinyText(first, 3).status());
        var before = Cli.snapshot(first);
        Run r = rnn("train", "--resume", first.toString(), "--steps", "2", "--out", second.toString(), "--backend", "java");
        assertEquals(0, r.status(), r.err());
        assertEquals(6, Files.readAllLines(second.resolve("metrics.csv")).size());
        Cli.assertSameFiles(before, Cli.snapshot(first));
    }

    @Test
    void aDivergingRunStopsWithOneLineAndKeepsItsLastGoodCheckpoint() throws IOException {
        Path out = dir.resolve("nan");
        Run r = rnn("train", "--task", "sine", "--hidden", "8", "--batch", "2", "--seq-len", "8", "--steps", "20", "--optimizer", "sgd",
                "--lr", "1e10", "--clip", "0", "--sample-every", "1", "--backend", "java", "--out", out.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("stopped before the update") && err.contains("the last good checkpoint (step "), err);
        long saved = Checkpoints.read(out.resolve("checkpoint")).trainer().step();
        assertTrue(err.contains("(step " + saved + ")"), err + " / checkpoint at " + saved);
        assertTrue(Files.size(out.resolve("loss.png")) > 0);
    }

    private static String lossOf(String row) { return row.split(",")[1]; }
}
