package dev.recurrent.core.backend;

import dev.recurrent.core.DType;

/**
 * A flat, contiguous, row-major block of elements owned by a backend. Core never looks inside: only
 * the backend that made a storage reads or writes it. Storages are treated as immutable by core, except
 * through the explicit in-place kernels ({@link Backend#copyInto}, {@link Backend#axpy}).
 */
public interface Storage {
    DType dtype();

    /** Number of elements. */
    int size();

    Backend backend();

    /**
     * Frees the memory now (off-heap backends). Any later use of this storage must fail with an
     * {@link IllegalStateException}, never crash the JVM. The default, for heap backends, does nothing.
     */
    default void release() { }

    /** True once {@link #release()} freed this storage. */
    default boolean released() { return false; }
}
