package dev.recurrent.models.cli;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BackendUnavailableException;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.models.train.Checkpoints;

import java.nio.file.Files;
import java.nio.file.Path;

/** What several commands resolve the same way: the backend option, a run folder or checkpoint, a positive size. */
final class Choices {
    /** Inside a run folder, the checkpoint directory. */
    static final String CHECKPOINT = "checkpoint";

    private Choices() { }

    /** The backend called {@code name} (null: -Drnn.backend, RNN_BACKEND, else the best available); bad names are bad input. */
    static Backend backend(String name) {
        try {
            return name == null ? Backends.defaultBackend() : Backends.get(name.trim());
        } catch (BackendUnavailableException e) {
            throw new IllegalArgumentException("backend '" + name + "' is not available here: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The checkpoint of {@code dir}: {@code dir/checkpoint} for a run folder written by {@code rnn train}, else {@code dir} itself. */
    static Path checkpoint(Path dir) {
        if (Files.isRegularFile(dir.resolve(Checkpoints.MANIFEST))) return dir;
        return isRunFolder(dir) ? dir.resolve(CHECKPOINT) : dir;
    }

    /** Whether {@code dir} is a run folder: it holds a checkpoint directory (or the one an interrupted write left aside). */
    static boolean isRunFolder(Path dir) {
        if (Files.isDirectory(dir.resolve(CHECKPOINT))) return true;
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("." + CHECKPOINT + ".old-"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** {@code value}, when it is positive. */
    static long positive(String option, long value) {
        if (value <= 0) throw new IllegalArgumentException(option + ": expected a positive number; got " + value);
        return value;
    }
}
