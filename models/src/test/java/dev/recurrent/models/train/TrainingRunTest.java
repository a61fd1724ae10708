package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.recurrent.models.train.TbpttTest.assertSameWeights;
import static org.junit.jupiter.api.Assertions.*;

/** The assembled run the command line drives: config, checkpoint, resume, sampling. */
class TrainingRunTest {
    @TempDir Path dir;

    private static TrainConfig small() {
        TrainConfig c = new TrainConfig();
        c.hidden = 8;
        c.batch = 2;
        c.seqLen = 12;
        c.steps = 4;
        c.tbptt = "6,6";
        return c;
    }

    @Test
    void configRoundTripsThroughJsonAndKeepsDefaultsForMissingKeys() {
        TrainConfig c = small();
        c.text = "/some/file.txt";
        c.schedule = "warmup(2,cosine(10))";
        assertEquals(c.toJson(), TrainConfig.fromJson(JsonFiles.parse(JsonFiles.format(c.toJson())).getAsJsonObject()).toJson());
        JsonObject partial = new JsonObject();
        partial.addProperty("cell", "gru");
        TrainConfig p = TrainConfig.fromJson(partial);
        assertEquals("gru", p.cell);
        assertEquals(new TrainConfig().hidden, p.hidden);
    }

    @Test
    void badSettingsAreOneLineNamingTheOption() {
        TrainConfig c = small();
        c.cell = "rnn";
        assertEquals("--cell: expected one of elman, jordan, lstm, gru; got rnn", assertThrows(IllegalArgumentException.class, c::validate).getMessage());
        c = small();
        c.hidden = 0;
        assertEquals("--hidden: expected a positive number; got 0", assertThrows(IllegalArgumentException.class, c::validate).getMessage());
        c = small();
        c.bidirectional = true;
        assertEquals("--tbptt 6,6 needs a unidirectional model (drop --bidirectional)", assertThrows(IllegalArgumentException.class, c::validate).getMessage());
        c = small();
        c.task = "text";
        c.text = dir.resolve("missing.txt").toString();
        TrainConfig bad = c;
        assertEquals("text file " + c.text + " does not exist", assertThrows(IllegalArgumentException.class, () -> TrainingRun.create(bad, null)).getMessage());
    }

    @Test
    void resumingARunFromItsCheckpointMatchesTheUninterruptedRun() throws Exception {
        TrainingRun whole = TrainingRun.create(small(), null);
        Path ckpt = dir.resolve("checkpoint");
        whole.trainer().listener(m -> {
            if (m.step() == 2) {
                try {
                    whole.save(ckpt);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        whole.trainer().run();

        TrainingRun resumed = TrainingRun.resume(ckpt, null, null);
        assertEquals(2, resumed.trainer().completedSteps());
        resumed.trainer().run();
        assertSameWeights(whole.model().parameters(), resumed.model().parameters());

        JsonObject config = Checkpoints.read(ckpt).config();
        assertEquals(whole.vocabulary().orElseThrow().chars(), config.get("vocabulary").getAsString());
        assertEquals("lstm", config.getAsJsonObject("model").get("cell").getAsString());

        whole.save(ckpt);
        TrainingRun.Sampler sampler = TrainingRun.loadForSampling(ckpt, null);
        assertEquals(whole.sample("The ", 30, 0.8, 5, 3), sampler.sample("The ", 30, 0.8, 5, 3));
    }

    @Test
    void aDirectoryThatIsNotACheckpointIsRefusedInOneLine() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> TrainingRun.resume(other, null, null));
        assertEquals("checkpoint " + other + " is not a checkpoint of this framework (no checkpoint.json)", e.getMessage());
        TrainConfig c = small();
        c.task = "sine";
        TrainingRun sine = TrainingRun.create(c, null);
        sine.save(dir.resolve("sine"));
        assertEquals("checkpoint " + dir.resolve("sine") + " is not a character model (its config has no vocabulary)",
                assertThrows(CheckpointException.class, () -> TrainingRun.loadForSampling(dir.resolve("sine"), null)).getMessage());
    }
}
