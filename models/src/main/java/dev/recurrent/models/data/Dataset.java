package dev.recurrent.models.data;

import java.util.Optional;

/**
 * An endless, seeded stream of batches. {@link #batch(long)} is a pure function of the dataset's seed and
 * the index, so the whole state of a sampler walking through it is the next index: a resumed run asks for
 * the same index and gets bitwise the same batch.
 */
public interface Dataset {
    /** Short name for reports and configs ({@code adding}, {@code text}, ...). */
    String name();

    /** Batch number {@code index} (0, 1, 2, ...). */
    Batch batch(long index);

    /** I, features per input step. */
    int inputSize();

    /** O: features per target step for regression, number of classes for classification. */
    int outputSize();

    /** True when targets are class ids (cross-entropy), false for real values (mean squared error). */
    boolean classification();

    /** T, steps per sequence. */
    int steps();

    /** The symbols of a character task (for encoding a prompt and decoding samples). */
    default Optional<Vocabulary> vocabulary() { return Optional.empty(); }
}
