package dev.recurrent.models.data;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/**
 * How a dataset lays out its batches.
 *
 * @param size    B, sequences per batch (positive)
 * @param seed    the seed of every random choice the dataset makes
 * @param backend where the batch tensors live; null means {@link Backends#current()} when a batch is made
 * @param dtype   dtype of the batch tensors (the model's parameter dtype)
 */
public record BatchOptions(int size, long seed, Backend backend, DType dtype) {

    public BatchOptions {
        if (size <= 0) throw new IllegalArgumentException("batch size must be positive; got " + size);
        if (dtype == null) throw new IllegalArgumentException("batch dtype must be given (F32 or F64)");
    }

    /** Batches of {@code size}, seeded, F32 on the current backend. */
    public static BatchOptions of(int size, long seed) { return new BatchOptions(size, seed, null, DType.F32); }

    public BatchOptions withDtype(DType d) { return new BatchOptions(size, seed, backend, d); }

    public BatchOptions withBackend(Backend b) { return new BatchOptions(size, seed, b, dtype); }

    @Override public Backend backend() { return backend != null ? backend : Backends.current(); }
}
