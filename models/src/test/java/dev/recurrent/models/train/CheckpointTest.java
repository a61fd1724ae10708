package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import dev.recurrent.core.io.Safetensors;
import dev.recurrent.models.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.recurrent.models.train.TrainFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class CheckpointTest {
    @TempDir Path root;

    private static Checkpoint sample(double w) {
        Parameter p = param(w, 2 * w);
        Optimizer adam = Adam.adam(params("rnn.weight_hh_l0", p), 0.01);
        adam.step(grads("rnn.weight_hh_l0", 0.1, -0.2));
        JsonObject config = new JsonObject();
        config.addProperty("cell", "lstm");
        config.addProperty("w", w);
        return new Checkpoint(config, Map.of("rnn.weight_hh_l0", p.value()), adam.toJson(), adam.stateTensors(), new TrainerState(7, 8, -42L, 1.5));
    }

    /** Every file under {@code dir} with its SHA-256, to compare whole directories. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(dir.relativize(p).toString(), Checkpoints.sha256(p));
        }
        return out;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void roundTrip() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoint c = sample(0.5);
        Checkpoints.write(dir, c);
        assertEquals(List.of("checkpoint.json", "config.json", "model.safetensors", "optimizer.safetensors"), names(dir));
        assertEquals(List.of("ckpt"), names(root), "no temporary directory left");
        Checkpoint back = Checkpoints.read(dir);
        assertEquals(c.config(), back.config());
        assertEquals(c.optimizer(), back.optimizer());
        assertEquals(c.trainer(), back.trainer());
        assertArrayEquals(c.weights().get("rnn.weight_hh_l0").toDoubleArray(), back.weights().get("rnn.weight_hh_l0").toDoubleArray(), 0.0);
        assertEquals(c.optimizerState().keySet(), back.optimizerState().keySet());
        // the weights file is a plain safetensors file with PyTorch names
        assertEquals(List.of("rnn.weight_hh_l0"), List.copyOf(Safetensors.read(dir.resolve("model.safetensors")).tensors().keySet()));
    }

    @Test
    void aFailureMidWriteLeavesThePreviousCheckpointAndNoTemporaryFiles() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoints.write(dir, sample(0.5));
        Map<String, String> before = contents(dir);
        List<Checkpoints.Part> parts = List.of(
                new Checkpoints.Part("model.safetensors", p -> Safetensors.write(p, Map.of("w", f64(1, 2, 3)))),
                new Checkpoints.Part("optimizer.safetensors", p -> {
                    Files.write(p, new byte[100]);                   // half a file, then the disk "fills up"
                    throw new IOException("No space left on device");
                }));
        IOException e = assertThrows(IOException.class, () -> Checkpoints.write(dir, parts, new JsonObject()));
        assertEquals("No space left on device", e.getMessage());
        assertEquals(before, contents(dir), "the previous checkpoint is untouched");
        assertEquals(List.of("ckpt"), names(root), "no temporary directory left");
        assertEquals(0.5, Checkpoints.read(dir).config().get("w").getAsDouble());
    }

    @Test
    void aNewCheckpointReplacesTheOldOneCompletely() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoints.write(dir, sample(0.5));
        Checkpoints.write(dir, sample(0.25));
        assertEquals(0.25, Checkpoints.read(dir).config().get("w").getAsDouble());
        assertEquals(List.of("ckpt"), names(root), "the previous checkpoint was removed after the swap");
    }

    @Test
    void aCrashBetweenTheTwoRenamesLeavesTheOldCheckpointReadable() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoints.write(dir, sample(0.5));
        Files.move(dir, root.resolve(".ckpt.old-0000000000000001"));        // as if the process died right after renaming it aside
        assertEquals(0.5, Checkpoints.read(dir).config().get("w").getAsDouble());
        Checkpoints.write(dir, sample(0.25));
        assertEquals(0.25, Checkpoints.read(dir).config().get("w").getAsDouble());
    }

    @Test
    void staleTemporaryDirectoriesAreCleanedUp() throws IOException {
        Files.createDirectories(root.resolve(".ckpt.tmp-0000000000000001").resolve("x"));
        Checkpoints.write(root.resolve("ckpt"), sample(0.5));
        assertEquals(List.of("ckpt"), names(root));
    }

    @Test
    void aTruncatedFileIsReportedOnOneLine() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoints.write(dir, sample(0.5));
        Path model = dir.resolve("model.safetensors");
        long size = Files.size(model);
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.read(dir));
        assertEquals("checkpoint " + dir + ": model.safetensors is truncated (" + (size - 5) + " bytes, expected " + size + ")", e.getMessage());
    }

    @Test
    void aChangedFileIsReported() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoints.write(dir, sample(0.5));
        Path opt = dir.resolve("optimizer.safetensors");
        byte[] b = Files.readAllBytes(opt);
        b[b.length - 1] ^= 1;
        Files.write(opt, b);
        assertEquals("checkpoint " + dir + ": optimizer.safetensors is damaged (SHA-256 does not match)",
                assertThrows(CheckpointException.class, () -> Checkpoints.read(dir)).getMessage());
    }

    @Test
    void somethingElseIsNotTakenForACheckpoint() throws IOException {
        Path missing = root.resolve("nope");
        assertEquals("checkpoint " + missing + " does not exist", assertThrows(CheckpointException.class, () -> Checkpoints.read(missing)).getMessage());

        Path other = Files.createDirectories(root.resolve("other"));
        Files.writeString(other.resolve("weights.bin"), "x");
        assertEquals("checkpoint " + other + " is not a checkpoint of this framework (no checkpoint.json)",
                assertThrows(CheckpointException.class, () -> Checkpoints.read(other)).getMessage());

        Files.writeString(other.resolve("checkpoint.json"), "{\"format\": \"something-else\", \"version\": 1}");
        assertEquals("checkpoint " + other + " is not a checkpoint of this framework (checkpoint.json has no \"format\": \"recurrent-checkpoint\")",
                assertThrows(CheckpointException.class, () -> Checkpoints.read(other)).getMessage());

        Path dir = root.resolve("ckpt");
        Checkpoints.write(dir, sample(0.5));
        Path manifest = dir.resolve("checkpoint.json");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.substring(0, text.length() / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.read(dir));
        assertTrue(e.getMessage().startsWith("checkpoint " + dir + ": checkpoint.json is truncated or damaged: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Files.writeString(manifest, text.replace("\"version\": 1", "\"version\": 2"));
        assertEquals("checkpoint " + dir + " has format version 2; this program reads version 1",
                assertThrows(CheckpointException.class, () -> Checkpoints.read(dir)).getMessage());

        Files.writeString(manifest, text);
        Files.delete(dir.resolve("config.json"));
        assertEquals("checkpoint " + dir + ": config.json is missing", assertThrows(CheckpointException.class, () -> Checkpoints.read(dir)).getMessage());
    }

    @Test
    void aFileInTheWayIsAnError() throws IOException {
        Path file = Files.writeString(root.resolve("ckpt"), "not a directory");
        IOException e = assertThrows(IOException.class, () -> Checkpoints.write(file, sample(0.5)));
        assertEquals("checkpoint " + file + " exists and is not a directory", e.getMessage());
        assertEquals("not a directory", Files.readString(file));
    }
}
