package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Storage of the {@code java} backend: a {@link FloatBuffer} (F32) or {@link DoubleBuffer} (F64) wrapping
 * a heap array. Kernels read and write it only through absolute indices (see {@link BufferKernels}), and
 * the matrix product through the backing array.
 */
public final class CpuStorage implements Storage {
    private final CpuBackend backend;
    private final DType dtype;
    private final int size;
    private final FloatBuffer floats;     // exactly one of floats / doubles is set, by dtype
    private final DoubleBuffer doubles;
    private volatile boolean released;    // nothing to free on the heap, but use after release() fails as it does off-heap

    private CpuStorage(CpuBackend backend, DType dtype, int size, FloatBuffer floats, DoubleBuffer doubles) {
        this.backend = backend;
        this.dtype = dtype;
        this.size = size;
        this.floats = floats;
        this.doubles = doubles;
    }

    /** A new zero-filled storage. */
    static CpuStorage allocate(CpuBackend backend, DType dtype, int size) {
        return switch (dtype) {
            case F32 -> new CpuStorage(backend, dtype, size, FloatBuffer.wrap(new float[size]), null);
            case F64 -> new CpuStorage(backend, dtype, size, null, DoubleBuffer.wrap(new double[size]));
        };
    }

    @Override public DType dtype() { return dtype; }

    @Override public int size() { return size; }

    @Override public Backend backend() { return backend; }

    /** Marks the storage dead: the heap array stays for the GC, but any later use fails, as on an off-heap backend. */
    @Override public void release() { released = true; }

    @Override public boolean released() { return released; }

    private void checkLive() {
        if (released) {
            throw new IllegalStateException("java backend: this " + dtype + " storage of " + size + " elements was released"
                    + " (its MemoryScope closed); keep it with scope.keep(tensor) or use it inside the scope");
        }
    }

    /** The F32 elements (absolute indexing only; position and limit are not to be moved). */
    FloatBuffer floats() {
        checkLive();
        if (floats == null) throw new IllegalStateException("java backend: storage is " + dtype + ", not F32");
        return floats;
    }

    /** The F64 elements (absolute indexing only; position and limit are not to be moved). */
    DoubleBuffer doubles() {
        checkLive();
        if (doubles == null) throw new IllegalStateException("java backend: storage is " + dtype + ", not F64");
        return doubles;
    }

    /** The backing array of an F32 storage (element i at index i). */
    float[] floatArray() { return floats().array(); }

    /** The backing array of an F64 storage (element i at index i). */
    double[] doubleArray() { return doubles().array(); }

    @Override public String toString() { return "CpuStorage[" + dtype + ", " + size + "]"; }
}
