package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Off-heap storage: one JavaCPP {@link FloatPointer} or {@link DoublePointer} (handed to OpenBLAS as is)
 * and a direct {@link FloatBuffer}/{@link DoubleBuffer} view of the same memory (read and written by the
 * Java loops, without a JNI call per element).
 *
 * <p>Memory handling. {@link #release()} gives the native block back at once: to the backend's
 * {@link BlockCache}, whose next storage of the same dtype and size takes it, or freed when it does not
 * fit there ({@link OpenBlasBackend#trimCache()} frees what the cache holds). Kernels never touch the memory
 * directly: they {@link #pin()} the storage for the duration of the call, which fails with an
 * {@link IllegalStateException} once the storage is released; a release that races with a running
 * kernel only marks the storage, and the last kernel to unpin it frees the memory. So freed memory is
 * never read or written, whatever the threads do. A storage nobody releases is freed by JavaCPP's
 * deallocator once the garbage collector finds it unreachable (the fallback, not the plan: scopes and
 * {@code release()} free memory deterministically).
 */
public final class OpenBlasStorage implements Storage {
    /** state = 2 * (number of running kernels using this storage) + (1 once released). */
    private final AtomicInteger state = new AtomicInteger();
    private final OpenBlasBackend backend;
    private final DType dtype;
    private final int size;
    private final long capacity;
    private final Pointer pointer;
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final Pin pin = new Pin();

    /** Uninitialised memory of {@code size} elements; the caller writes every element. */
    OpenBlasStorage(OpenBlasBackend backend, DType dtype, int size) {
        this.backend = backend;
        this.dtype = dtype;
        this.size = size;
        // At least one element, so that the pointer is never null and the view always exists.
        this.capacity = Math.max(size, 1);
        this.pointer = backend.blocks().take(dtype, capacity);
        if (dtype == DType.F32) {
            this.floats = ((FloatPointer) pointer).asBuffer().slice(0, size);
            this.doubles = null;
        } else {
            this.floats = null;
            this.doubles = ((DoublePointer) pointer).asBuffer().slice(0, size);
        }
    }

    @Override public DType dtype() { return dtype; }

    @Override public int size() { return size; }

    @Override public Backend backend() { return backend; }

    /**
     * Gives the native memory back now (or, if a kernel is using it on another thread, when that kernel
     * ends): to the backend's block cache, or to the C library when it does not fit there.
     */
    @Override
    public void release() {
        int before = state.getAndUpdate(s -> s | 1);
        if (before == 0) free();
    }

    @Override public boolean released() { return (state.get() & 1) != 0; }

    /** Bytes of native memory this storage holds (0 once released). */
    public long nativeBytes() { return released() ? 0 : Math.max(size, 1) * (long) dtype.bytes(); }

    /**
     * Marks this storage as in use by a kernel until the returned pin is closed. Fails if it was released.
     * The pin object is shared (it only counts), so pinning allocates nothing.
     */
    Pin pin() {
        while (true) {
            int s = state.get();
            if ((s & 1) != 0) {
                throw new IllegalStateException("openblas: this " + dtype + " storage of " + size
                        + " elements was released; it cannot be used any more");
            }
            if (s > Integer.MAX_VALUE - 2) throw new IllegalStateException("openblas: too many concurrent uses of one storage");
            if (state.compareAndSet(s, s + 2)) return pin;
        }
    }

    private void unpin() {
        // Reaching exactly 1 means: released while pinned, and this was the last user.
        if (state.addAndGet(-2) == 1) free();
    }

    /** The block goes back to the backend's {@link BlockCache} (or is freed when it does not fit there). */
    private void free() { backend.blocks().give(pointer, dtype, capacity); }

    @Override
    public String toString() {
        return "OpenBlasStorage[" + dtype + ", " + size + " elements" + (released() ? ", released" : "") + "]";
    }

    /** Access to the memory while a kernel runs; close it (try-with-resources) when the kernel is done. */
    final class Pin implements AutoCloseable {
        FloatPointer floatPointer() { return (FloatPointer) pointer; }

        DoublePointer doublePointer() { return (DoublePointer) pointer; }

        /** The direct view (absolute get/put only: it is shared by every thread). */
        FloatBuffer floats() { return floats; }

        DoubleBuffer doubles() { return doubles; }

        OpenBlasStorage storage() { return OpenBlasStorage.this; }

        @Override public void close() { unpin(); }
    }
}
