package dev.recurrent.models.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.core.io.Safetensors;
import dev.recurrent.core.io.SafetensorsFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes and reads {@link Checkpoint} directories, atomically: a checkpoint directory is complete or
 * absent, never half written.
 *
 * <p>Writing {@code DIR}: every file goes into a fresh sibling {@code .DIR.tmp-*} (each file itself through
 * a temporary file, flushed to disk, renamed), {@code checkpoint.json} last, with the size and SHA-256 of
 * the others. Then the previous {@code DIR}, if any, is renamed aside to {@code .DIR.old-*}, the new one is
 * renamed into place, and the old one deleted. A failure before that leaves the previous checkpoint as it
 * was and removes the temporary directory; a crash between the two renames leaves the complete previous
 * checkpoint in {@code .DIR.old-*}, which {@link #read} then uses.
 *
 * <p>Reading checks that the directory is ours (format marker and version in {@code checkpoint.json}) and
 * that no file is missing, truncated or changed (sizes and SHA-256), and fails with a one-line
 * {@link CheckpointException} naming the path otherwise.
 */
public final class Checkpoints {
    /** The format marker in {@code checkpoint.json}. */
    public static final String FORMAT = "recurrent-checkpoint";
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    public static final String MODEL = "model.safetensors", OPTIMIZER = "optimizer.safetensors", CONFIG = "config.json",
            MANIFEST = "checkpoint.json";

    private Checkpoints() { }

    /** Writes {@code c} into {@code dir}, replacing a previous checkpoint there only once the new one is complete. */
    public static void write(Path dir, Checkpoint c) throws IOException {
        Map<String, String> meta = Map.of("format", FORMAT);
        JsonObject manifest = new JsonObject();
        manifest.addProperty("format", FORMAT);
        manifest.addProperty("version", VERSION);
        manifest.add("trainer", c.trainer().toJson());
        manifest.add("optimizer", c.optimizer());
        write(dir, List.of(
                new Part(MODEL, p -> Safetensors.write(p, meta, c.weights())),
                new Part(OPTIMIZER, p -> Safetensors.write(p, meta, c.optimizerState())),
                new Part(CONFIG, p -> JsonFiles.write(p, c.config() == null ? new JsonObject() : c.config()))), manifest);
    }

    /** One file of a checkpoint and how to write it. */
    record Part(String name, FileWriter writer) { }

    /** Writes one file at the given path. */
    @FunctionalInterface
    interface FileWriter {
        void write(Path target) throws IOException;
    }

    /** The atomic directory protocol: {@code parts} into a temporary directory, then the manifest, then the swap. */
    static void write(Path dir, List<Part> parts, JsonObject manifest) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) throw new IOException("checkpoint " + dir + ": cannot be the root of the file system");
        Files.createDirectories(parent);
        if (Files.exists(target) && !Files.isDirectory(target)) throw new IOException("checkpoint " + dir + " exists and is not a directory");
        String name = target.getFileName().toString(), tag = String.format("%016x", System.nanoTime());
        for (Path stale : siblings(parent, "." + name + ".tmp-")) deleteTree(stale);
        Path tmp = parent.resolve("." + name + ".tmp-" + tag);
        Path old = parent.resolve("." + name + ".old-" + tag);
        boolean moved = false;
        try {
            Files.createDirectory(tmp);
            JsonObject files = new JsonObject();
            for (Part part : parts) {
                part.writer().write(tmp.resolve(part.name()));
                files.add(part.name(), describe(tmp.resolve(part.name())));
            }
            manifest = manifest.deepCopy();
            manifest.add("files", files);
            JsonFiles.write(tmp.resolve(MANIFEST), manifest);
            syncDirectory(tmp);
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(parent);
        } catch (IOException | RuntimeException | Error e) {
            try {
                if (moved && !Files.exists(target)) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                    moved = false;
                }
                deleteTree(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (moved) deleteTree(old);
    }

    /** Reads the checkpoint in {@code dir} onto the current backend. */
    public static Checkpoint read(Path dir) { return read(dir, Backends.current()); }

    /** Reads the checkpoint in {@code dir}, creating its tensors on {@code backend}; see the class comment for the checks. */
    public static Checkpoint read(Path dir, Backend backend) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            Path parent = d.getParent();
            List<Path> olds = parent == null ? List.of() : siblings(parent, "." + d.getFileName() + ".old-");
            if (olds.isEmpty()) {
                throw new CheckpointException("checkpoint " + dir + (Files.exists(d) ? " is not a directory" : " does not exist"));
            }
            d = olds.get(olds.size() - 1);      // an interrupted write left the complete previous checkpoint here
        }
        JsonObject manifest = manifest(dir, d);
        JsonObject files = object(dir, manifest, "files");
        for (String name : List.of(MODEL, OPTIMIZER, CONFIG)) verify(dir, d, name, files);
        try {
            SafetensorsFile weights = Safetensors.read(d.resolve(MODEL), backend);
            SafetensorsFile state = Safetensors.read(d.resolve(OPTIMIZER), backend);
            JsonObject config = JsonFiles.readObject(d.resolve(CONFIG));
            TrainerState trainer = TrainerState.fromJson(object(dir, manifest, "trainer"));
            return new Checkpoint(config, weights.tensors(), object(dir, manifest, "optimizer"), state.tensors(), trainer);
        } catch (IOException e) {
            throw new CheckpointException("checkpoint " + dir + " cannot be read: " + e.getMessage(), e);
        } catch (CheckpointException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + dir + " is damaged: " + e.getMessage(), e);
        }
    }

    private static JsonObject manifest(Path shown, Path d) {
        Path m = d.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) {
            throw new CheckpointException("checkpoint " + shown + " is not a checkpoint of this framework (no " + MANIFEST + ")");
        }
        JsonElement e;
        try {
            e = JsonFiles.parse(Files.readString(m));
        } catch (IOException | UncheckedIOException ex) {
            throw new CheckpointException("checkpoint " + shown + ": " + MANIFEST + " cannot be read: " + ex.getMessage(), ex);
        } catch (IllegalArgumentException ex) {
            throw new CheckpointException("checkpoint " + shown + ": " + MANIFEST + " is truncated or damaged: " + ex.getMessage(), ex);
        }
        if (!e.isJsonObject() || !e.getAsJsonObject().has("format") || !FORMAT.equals(stringOrNull(e.getAsJsonObject().get("format")))) {
            throw new CheckpointException("checkpoint " + shown + " is not a checkpoint of this framework (" + MANIFEST + " has no \"format\": \"" + FORMAT + "\")");
        }
        JsonObject o = e.getAsJsonObject();
        JsonElement v = o.get("version");
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
            throw new CheckpointException("checkpoint " + shown + ": " + MANIFEST + " has no format version");
        }
        if (v.getAsInt() != VERSION) {
            throw new CheckpointException("checkpoint " + shown + " has format version " + v.getAsString() + "; this program reads version " + VERSION);
        }
        return o;
    }

    private static void verify(Path shown, Path d, String name, JsonObject files) {
        JsonElement e = files.get(name);
        if (e == null || !e.isJsonObject()) throw new CheckpointException("checkpoint " + shown + ": " + MANIFEST + " does not list " + name);
        JsonObject f = e.getAsJsonObject();
        long bytes;
        String sha;
        try {
            bytes = f.get("bytes").getAsLong();
            sha = f.get("sha256").getAsString();
        } catch (RuntimeException ex) {
            throw new CheckpointException("checkpoint " + shown + ": " + MANIFEST + " has no size and checksum for " + name);
        }
        Path p = d.resolve(name);
        try {
            long size = Files.size(p);
            if (size != bytes) {
                throw new CheckpointException("checkpoint " + shown + ": " + name + " is " + (size < bytes ? "truncated" : "longer than written")
                        + " (" + size + " bytes, expected " + bytes + ")");
            }
            if (!sha256(p).equals(sha)) throw new CheckpointException("checkpoint " + shown + ": " + name + " is damaged (SHA-256 does not match)");
        } catch (NoSuchFileException ex) {
            throw new CheckpointException("checkpoint " + shown + ": " + name + " is missing");
        } catch (IOException ex) {
            throw new CheckpointException("checkpoint " + shown + ": " + name + " cannot be read: " + ex.getMessage(), ex);
        }
    }

    private static JsonObject describe(Path file) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("bytes", Files.size(file));
        o.addProperty("sha256", sha256(file));
        return o;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static JsonObject object(Path shown, JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonObject()) throw new CheckpointException("checkpoint " + shown + ": " + MANIFEST + " has no \"" + key + "\" object");
        return e.getAsJsonObject();
    }

    private static String stringOrNull(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    /** Entries of {@code parent} whose names start with {@code prefix}, sorted by name. */
    static List<Path> siblings(Path parent, String prefix) {
        if (!Files.isDirectory(parent)) return List.of();
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) Files.deleteIfExists(p);
    }

    /** Flushes a directory's entries to disk where the platform allows it (Linux does; elsewhere this is best effort). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform: the renames are still atomic, only their durability is weaker
        }
    }
}
