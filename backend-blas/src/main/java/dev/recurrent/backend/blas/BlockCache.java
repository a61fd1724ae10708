package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Native blocks that released storages gave back, kept for the next storage of the same dtype and size
 * (a training loop asks for the same sizes every step), up to {@link #capacity()} bytes and at most a
 * quarter of JavaCPP's {@code Pointer.maxBytes()}; see {@link #give} and {@link #take} for what happens
 * at the limits. Blocks below {@link #MIN_BYTES} are never kept (malloc reuses those well by itself).
 *
 * <p>Why: without it, every training step gets its big blocks (a sequence's gates, tens of MB) fresh from
 * the C library, which hands the freed ones back to the operating system at the end of the step (glibc
 * trims the top of its heap and unmaps blocks above its threshold), so the next step page-faults them in
 * again. Measured on W1 LSTM (B 32, T 50, I 128, H 256, 2 threads): about 6,600 page faults a step
 * without the cache, next to none with it.
 *
 * <p>Thread-safe: storages are allocated and released on any thread, by any backend sharing the cache.
 */
final class BlockCache {
    /** System property: the most bytes the cache keeps (0 turns it off). */
    static final String PROPERTY = "rnn.blas.cacheBytes";
    static final long DEFAULT_CAPACITY = 1L << 30;
    /** Smaller blocks are freed at once. */
    static final long MIN_BYTES = 64 << 10;

    private static final Map<Long, BlockCache> SHARED = new ConcurrentHashMap<>();

    private final long capacity, limit;
    private final Map<Long, ConcurrentLinkedDeque<Pointer>> free = new ConcurrentHashMap<>();
    private final AtomicLong cached = new AtomicLong();

    private BlockCache(long capacity) {
        this.capacity = capacity;
        long max = Pointer.maxBytes();        // JavaCPP's limit on allocated native bytes (0: none)
        this.limit = max > 0 ? Math.min(capacity, max / 4) : capacity;
    }

    /**
     * The process-wide cache of this capacity, shared by every backend configured with it (as OpenBLAS
     * itself is): a cache that died with its backend would leave its blocks to the garbage collector.
     */
    static BlockCache shared(long capacity) {
        if (capacity < 0) throw new IllegalArgumentException("openblas: " + PROPERTY + " must be >= 0; got " + capacity);
        return SHARED.computeIfAbsent(capacity, BlockCache::new);
    }

    /** The capacity from {@link #PROPERTY}, else {@link #DEFAULT_CAPACITY}. */
    static long configuredCapacity() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) return DEFAULT_CAPACITY;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("openblas: " + PROPERTY + " must be a byte count (0 turns the cache off); got '" + v + "'");
        }
    }

    long capacity() { return capacity; }

    /** Bytes held now. */
    long cachedBytes() { return cached.get(); }

    private static long key(DType dtype, long elements) { return elements * 2 + (dtype == DType.F64 ? 1 : 0); }

    /**
     * A block of exactly {@code elements} of {@code dtype}: a kept one, else a new one from JavaCPP. Kept
     * blocks count in JavaCPP's {@code Pointer.totalBytes()}, so before a new block would pass JavaCPP's
     * limit ({@code Pointer.maxBytes()}, about the heap's maximum) the kept ones are freed first, and an
     * allocation that fails with them still kept is retried once without them.
     */
    Pointer take(DType dtype, long elements) {
        ConcurrentLinkedDeque<Pointer> q = free.get(key(dtype, elements));
        Pointer p = q == null ? null : q.pollFirst();
        if (p != null) {
            cached.addAndGet(-elements * dtype.bytes());
            return p;
        }
        long max = Pointer.maxBytes();
        if (max > 0 && cached.get() > 0 && Pointer.totalBytes() + elements * dtype.bytes() > max) clear();
        try {
            return allocate(dtype, elements);
        } catch (OutOfMemoryError e) {
            if (cached.get() == 0) throw e;
            clear();
            return allocate(dtype, elements);
        }
    }

    private static Pointer allocate(DType dtype, long elements) {
        return dtype == DType.F32 ? new FloatPointer(elements) : new DoublePointer(elements);
    }

    /**
     * Keeps {@code p} (a block from {@link #take}, no longer used) when it fits, else frees it now. A block
     * that does not fit first empties the cache (sizes that stopped coming back, say after the batch size
     * changed, make room for the ones in use), then is kept if it fits alone.
     */
    void give(Pointer p, DType dtype, long elements) {
        long bytes = elements * dtype.bytes();
        if (bytes < MIN_BYTES || bytes > limit) {
            p.deallocate();
            return;
        }
        if (cached.addAndGet(bytes) > limit) {
            cached.addAndGet(-bytes);
            clear();
            if (cached.addAndGet(bytes) > limit) {
                cached.addAndGet(-bytes);
                p.deallocate();
                return;
            }
        }
        free.computeIfAbsent(key(dtype, elements), k -> new ConcurrentLinkedDeque<>()).addFirst(p);
    }

    /** Frees every kept block. */
    void clear() {
        for (ConcurrentLinkedDeque<Pointer> q : free.values()) {
            for (Pointer p; (p = q.pollFirst()) != null; ) {
                cached.addAndGet(-p.capacity() * p.sizeof());
                p.deallocate();
            }
        }
    }
}
