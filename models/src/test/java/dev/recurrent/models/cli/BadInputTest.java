package dev.recurrent.models.cli;

import dev.recurrent.models.cli.Cli.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static dev.recurrent.models.cli.Cli.assertBadInput;
import static dev.recurrent.models.cli.Cli.rnn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every kind of bad input to train and sample: exit status 2, one line on stderr naming what was expected
 * and what was given, no stack trace, and nothing written or changed on disk.
 */
class BadInputTest {
    @TempDir static Path dir;
    static Path run, sine, notOurs, truncated, emptyText, textFile;
    static Map<String, byte[]> before;

    @BeforeAll
    static void writeRuns() throws IOException {
        run = dir.resolve("run");
        assertEquals(0, TrainCommandTest.tinyText(run, 2).status());
        sine = dir.resolve("sine");
        assertEquals(0, rnn("train", "--task", "sine", "--hidden", "4", "--batch", "2", "--seq-len", "5", "--steps", "1", "--backend", "java",
                "--out", sine.toString()).status());
        truncated = dir.resolve("truncated");
        assertEquals(0, TrainCommandTest.tinyText(truncated, 1).status());
        Path model = truncated.resolve("checkpoint").resolve("model.safetensors");
        Files.write(model, java.util.Arrays.copyOf(Files.readAllBytes(model), 40));
        notOurs = Files.createDirectories(dir.resolve("not-ours"));
        Files.writeString(notOurs.resolve("checkpoint.json"), "{\"format\": \"someone-else\", \"version\": 1}");
        emptyText = Files.createFile(dir.resolve("empty.txt"));
        textFile = Files.writeString(dir.resolve("file.txt"), "some text");
        before = Cli.snapshot(dir);
    }

    static Stream<Arguments> badTrainOptions() {
        return Stream.of(
                bad("--text FILE missing", "does not exist", "--text", dir.resolve("missing.txt").toString()),
                bad("--text FILE empty", "is empty", "--text", emptyText.toString()),
                bad("--text FILE too short for --seq-len", "needs a text of at least", "--text", textFile.toString(), "--seq-len", "50"),
                bad("unknown cell", "--cell: expected one of elman, jordan, lstm, gru; got rnn", "--cell", "rnn"),
                bad("unknown task", "--task: expected one of", "--task", "nope"),
                bad("unknown optimizer", "--optimizer: expected one of", "--optimizer", "lbfgs"),
                bad("unknown dtype", "--dtype: expected F32 or F64; got F16", "--dtype", "F16"),
                bad("unknown schedule", "schedule", "--schedule", "sometimes"),
                bad("unknown backend", "unknown backend 'cuda'", "--backend", "cuda"),
                bad("unknown option", "Unknown option: '--frobnicate'", "--frobnicate"),
                bad("not a number", "'--hidden': 'many' is not an int", "--hidden", "many"),
                bad("hidden 0", "--hidden: expected a positive number; got 0", "--hidden", "0"),
                bad("hidden negative", "--hidden: expected a positive number; got -3", "--hidden", "-3"),
                bad("layers 0", "--layers: expected a positive number; got 0", "--layers", "0"),
                bad("batch 0", "--batch: expected a positive number; got 0", "--batch", "0"),
                bad("seq-len negative", "--seq-len: expected a positive number; got -1", "--seq-len", "-1"),
                bad("steps 0", "--steps: expected a positive number; got 0", "--steps", "0"),
                bad("lr negative", "--lr: expected a positive number", "--lr", "-0.1"),
                bad("tbptt not K1,K2", "expected whole numbers K1,K2", "--tbptt", "ten"),
                bad("tbptt 0", "must be positive", "--tbptt", "0,5"),
                bad("dropout 1", "--dropout: expected a number in [0, 1)", "--dropout", "1"),
                bad("bidirectional with tbptt", "needs a unidirectional model", "--bidirectional", "--tbptt", "4,4"),
                bad("bidirectional next-character task", "the backward direction would see", "--bidirectional", "--task", "text"),
                bad("--text for another task", "--text FILE is the text of --task text; got --task hello", "--task", "hello", "--text", textFile.toString()),
                bad("--out is a run already", "already holds", "--out", run.toString()),
                bad("--out is a file", "is a file", "--out", textFile.toString()),
                bad("--sample-every negative", "--sample-every: expected a number >= 0", "--sample-every", "-2"),
                bad("--resume missing", "does not exist", "--resume", dir.resolve("gone").toString()),
                bad("--resume not ours", "is not a checkpoint of this framework", "--resume", notOurs.toString()),
                bad("--resume a plain folder", "no checkpoint.json", "--resume", dir.toString()),
                bad("--resume truncated", "model.safetensors is truncated", "--resume", truncated.toString()),
                bad("--resume with a setting", "--hidden cannot be changed when resuming", "--resume", run.toString(), "--hidden", "4"),
                bad("--resume with --steps 0", "--steps: expected a positive number; got 0", "--resume", run.toString(), "--steps", "0"));
    }

    static Stream<Arguments> badSampleOptions() {
        return Stream.of(
                bad("--from missing", "Missing required option: '--from=DIR'"),
                bad("--from nowhere", "does not exist", "--from", dir.resolve("gone").toString()),
                bad("--from not ours", "is not a checkpoint of this framework", "--from", notOurs.toString()),
                bad("--from truncated", "model.safetensors is truncated", "--from", truncated.toString()),
                bad("--from a regression model", "is not a character model", "--from", sine.toString()),
                bad("--length 0", "--length: expected a positive number; got 0", "--from", run.toString(), "--length", "0"),
                bad("--temperature negative", "--temperature: expected a number >= 0", "--from", run.toString(), "--temperature", "-1"),
                bad("--top-k negative", "--top-k: expected a number >= 0", "--from", run.toString(), "--top-k", "-1"),
                bad("--prime empty", "--prime: expected at least one character", "--from", run.toString(), "--prime", ""),
                bad("--prime unknown character", "'@' (at 2) is not one of them", "--from", run.toString(), "--prime", "Th@"),
                bad("unknown option", "Unknown option: '--bogus'", "--from", run.toString(), "--bogus"));
    }

    private static Arguments bad(String name, String mention, String... args) { return Arguments.of(name, mention, args); }

    @ParameterizedTest(name = "train: {0}")
    @MethodSource("badTrainOptions")
    void badTrainInput(String name, String mention, String[] args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("train"));
        all.addAll(java.util.List.of(args));
        if (!all.contains("--resume")) {           // small and quick, unless the case sets these itself
            String[][] small = {{"--steps", "1"}, {"--hidden", "4"}, {"--batch", "2"}, {"--seq-len", "5"}, {"--out", dir.resolve("never").toString()}};
            for (String[] o : small) if (!all.contains(o[0])) all.addAll(java.util.List.of(o));
        }
        assertBadInput(rnn(all.toArray(new String[0])), mention);
        assertFalse(Files.exists(dir.resolve("never")), "a failed run creates no folder");
        Cli.assertSameFiles(before, Cli.snapshot(dir));
    }

    @ParameterizedTest(name = "sample: {0}")
    @MethodSource("badSampleOptions")
    void badSampleInput(String name, String mention, String[] args) {
        assertBadInput(rnn(Stream.concat(Stream.of("sample"), Stream.of(args)).toArray(String[]::new)), mention);
        Cli.assertSameFiles(before, Cli.snapshot(dir));
    }

    @Test
    void badCommandsAndBackends() {
        assertBadInput(rnn("frobnicate"), "frobnicate");
        assertBadInput(rnn(), "missing a command");
        assertBadInput(rnn("gradcheck", "--backend", "cuda"), "unknown backend 'cuda'");
        assertBadInput(rnn("sample", "--from", run.toString(), "--backend", "tpu"), "unknown backend 'tpu'");
    }

    @Test
    void theSharedRunIsUsable() {
        Run r = rnn("sample", "--from", run.toString(), "--length", "5", "--backend", "java");
        assertEquals(0, r.status(), r.err());
        assertEquals(5 + System.lineSeparator().length(), r.out().length(), "5 characters and a line break: " + r.out());
    }
}
