package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deterministic freeing: release() gives the block back now (to the backend's bounded cache of blocks for
 * reuse, or freed), any later use fails cleanly, and a long loop does not grow.
 */
class MemoryTest {
    private static final OpenBlasBackend BE = new OpenBlasBackend();

    /** Every kernel, applied to a released storage {@code x} of 6 elements ({@code live} is a live one). */
    private static Map<String, Consumer<Storage>> everyKernel(Storage live) {
        Shape s = Shape.of(2, 3);
        Map<String, Consumer<Storage>> k = new LinkedHashMap<>();
        k.put("toDoubleArray", BE::toDoubleArray);
        k.put("toFloatArray", BE::toFloatArray);
        k.put("cast", x -> BE.cast(x, DType.F64));
        k.put("copyInto(dst)", x -> BE.copyInto(x, live));
        k.put("copyInto(src)", x -> BE.copyInto(live, x));
        k.put("axpy(x)", x -> BE.axpy(1, x, live));
        k.put("axpy(y)", x -> BE.axpy(1, live, x));
        k.put("unary", x -> BE.unary(UnaryOp.EXP, x));
        k.put("scalar", x -> BE.scalar(ScalarOp.ADD, x, 1));
        k.put("binary(a)", x -> BE.binary(BinaryOp.ADD, x, s, live, s, s));
        k.put("binary(b)", x -> BE.binary(BinaryOp.ADD, live, s, x, s, s));
        k.put("where", x -> BE.where(x, s, live, s, live, s, s));
        k.put("reduce", x -> BE.reduce(ReduceOp.SUM, x, 2, 3, 1));
        k.put("permute", x -> BE.permute(x, s, new int[] {1, 0}));
        k.put("slice", x -> BE.slice(x, 2, 3, 1, 1, 2));
        k.put("concat", x -> BE.concat(List.of(live, x), 1, new int[] {6, 6}, 1));
        k.put("matmul(a)", x -> BE.matmul(x, false, 0, live, false, 0, 1, 2, 2, 3));
        k.put("matmul(b)", x -> BE.matmul(live, false, 0, x, true, 0, 1, 2, 2, 3));
        k.put("gatherRows", x -> BE.gatherRows(x, 2, 3, new int[] {1, 0}));
        k.put("scatterAddRows", x -> BE.scatterAddRows(x, 3, new int[] {1, 0}, 2));
        return k;
    }

    @Test
    void everyKernelRefusesAReleasedStorage() {
        for (DType dtype : DType.values()) {
            Storage live = BE.full(dtype, 6, 1);
            for (Map.Entry<String, Consumer<Storage>> e : everyKernel(live).entrySet()) {
                Storage x = BE.fromArray(dtype, new double[] {1, 2, 3, 4, 5, 6});
                assertFalse(x.released());
                x.release();
                assertTrue(x.released());
                IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> e.getValue().accept(x), e.getKey());
                assertTrue(thrown.getMessage().contains("released"), thrown.getMessage());
            }
            assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, BE.toDoubleArray(live), "the live operand is untouched");
        }
    }

    @Test
    void releaseIsIdempotentAndFreesAtOnce() {
        long before = Pointer.totalBytes();
        OpenBlasStorage x = (OpenBlasStorage) BE.full(DType.F64, 1000, 3);
        assertEquals(before + 8000, Pointer.totalBytes());
        assertEquals(8000, x.nativeBytes());
        x.release();
        x.release();
        assertEquals(before, Pointer.totalBytes());
        assertEquals(0, x.nativeBytes());
        assertTrue(x.toString().contains("released"));
    }

    @Test
    void aReleaseDuringAKernelFreesWhenTheKernelEnds() {
        long before = Pointer.totalBytes();
        OpenBlasStorage x = (OpenBlasStorage) BE.full(DType.F32, 1000, 3);
        try (OpenBlasStorage.Pin pin = x.pin()) {
            x.release();
            assertTrue(x.released());
            assertEquals(before + 4000, Pointer.totalBytes(), "still in use: not freed yet");
            assertEquals(3f, pin.floats().get(999));
            assertThrows(IllegalStateException.class, x::pin);
        }
        assertEquals(before, Pointer.totalBytes());
    }

    /**
     * The fallback for storages nobody releases: JavaCPP frees them once they are unreachable. The count is
     * first let settle (other tests' garbage being freed while this one measured made it fail now and then),
     * and the 64 storages are held while their bytes are counted.
     */
    @Test
    void unreleasedStoragesAreFreedAfterGarbageCollection() throws InterruptedException {
        long before = NativeBytes.settled();
        List<Storage> held = new ArrayList<>();
        for (int i = 0; i < 64; i++) held.add(BE.full(DType.F64, 1 << 17, i)); // 64 MB, never released
        assertTrue(Pointer.totalBytes() >= before + (64L << 20), "64 MB allocated: " + (Pointer.totalBytes() - before) + " bytes more");
        held = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Pointer.totalBytes() > before + (1L << 20) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertTrue(Pointer.totalBytes() <= before + (1L << 20),
                "still " + (Pointer.totalBytes() - before) + " bytes live after GC");
    }

    /** The address of a storage's block (pinned for the moment it takes to read it). */
    private static long address(Storage s) {
        try (OpenBlasStorage.Pin p = ((OpenBlasStorage) s).pin()) {
            return s.dtype() == DType.F32 ? p.floatPointer().address() : p.doublePointer().address();
        }
    }

    @Test
    void aReleasedBlockGoesToTheNextStorageOfItsDtypeAndSize() {
        OpenBlasBackend be = new OpenBlasBackend(1, 0, (8L << 20) + 1);   // a capacity (a cache) of this test's own
        be.trimCache();
        Storage a = be.full(DType.F32, 100_000, 1);
        long at = address(a), total = Pointer.totalBytes();
        a.release();
        assertEquals(400_000, be.cachedBytes(), "the released block is kept");
        assertEquals(total, Pointer.totalBytes(), "kept, not freed");
        Storage other = be.full(DType.F64, 50_000, 1);                 // same bytes, other dtype: a new block
        Storage shorter = be.full(DType.F32, 99_999, 1);              // other size: a new block
        assertEquals(400_000, be.cachedBytes());
        Storage b = be.full(DType.F32, 100_000, 2);
        assertEquals(at, address(b), "the same size takes the kept block");
        assertEquals(0, be.cachedBytes());
        assertArrayEquals(new float[] {2, 2, 2}, java.util.Arrays.copyOf(be.toFloatArray(b), 3), "and its values are the new ones");
        for (Storage s : List.of(other, shorter, b)) s.release();
        be.trimCache();
        assertEquals(0, be.cachedBytes());
        assertEquals(total - 400_000, Pointer.totalBytes(), "trimCache frees every kept block");
    }

    @Test
    void aFullCacheMakesRoomAndSmallBlocksAreNeverKept() {
        OpenBlasBackend be = new OpenBlasBackend(1, 0, 1_000_000);
        be.trimCache();
        long total = Pointer.totalBytes();
        List<Storage> big = List.of(be.full(DType.F32, 100_000, 0), be.full(DType.F32, 100_000, 0));
        Storage other = be.full(DType.F32, 150_000, 0), small = be.full(DType.F32, 1_000, 0);
        for (Storage s : big) s.release();
        assertEquals(800_000, be.cachedBytes(), "two 400 KB blocks fit in 1 MB");
        other.release();
        assertEquals(600_000, be.cachedBytes(), "a 600 KB block that does not fit empties the cache, then is kept");
        small.release();
        assertEquals(600_000, be.cachedBytes(), "a 4 KB block is freed at once");
        assertEquals(total + 600_000, Pointer.totalBytes(), "everything not kept is freed");
        be.trimCache();
        assertEquals(total, Pointer.totalBytes());
    }

    @Test
    void aBlockReleasedDuringAKernelGoesToTheCacheWhenTheKernelEnds() {
        OpenBlasBackend be = new OpenBlasBackend(1, 0, (4L << 20) + 1);
        be.trimCache();
        OpenBlasStorage x = (OpenBlasStorage) be.full(DType.F32, 100_000, 3);
        try (OpenBlasStorage.Pin pin = x.pin()) {
            x.release();
            assertEquals(0, be.cachedBytes(), "still in use: not given back yet");
            assertEquals(3f, pin.floats().get(99_999));
        }
        assertEquals(400_000, be.cachedBytes());
        be.trimCache();
    }

    /** Four threads taking and giving blocks of two sizes: no block is handed out twice, and the count adds up. */
    @Test
    void theCacheIsSafeAcrossThreads() throws Exception {
        OpenBlasBackend be = new OpenBlasBackend(1, 0, (64L << 20) + 1);
        be.trimCache();
        BlockCache cache = be.blocks();
        java.util.Set<Long> inUse = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicReference<String> problem = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            long elements = t % 2 == 0 ? 20_000 : 30_000;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    Pointer p = cache.take(DType.F32, elements);
                    if (!inUse.add(p.address())) problem.compareAndSet(null, "block " + p.address() + " handed out twice");
                    inUse.remove(p.address());
                    cache.give(p, DType.F32, elements);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        assertEquals(null, problem.get());
        // Each size was used by two threads, one block each at a time: one or two blocks of each size were
        // ever made, and all are back in the cache.
        long held = be.cachedBytes();
        assertTrue(java.util.List.of(200_000L, 280_000L, 320_000L, 400_000L).contains(held), "cached bytes " + held);
        long before = Pointer.totalBytes();
        be.trimCache();
        assertEquals(before - held, Pointer.totalBytes(), "the count matches the blocks actually kept");
    }

    @Test
    void withoutTheCacheReleaseFreesAtOnce() {
        OpenBlasBackend be = new OpenBlasBackend(1, 0, 0);
        long total = Pointer.totalBytes();
        Storage s = be.full(DType.F64, 1 << 20, 0);
        assertEquals(total + (8L << 20), Pointer.totalBytes());
        s.release();
        assertEquals(0, be.cachedBytes());
        assertEquals(total, Pointer.totalBytes());
    }

    @Test
    void tenThousandStepsDoNotGrowNativeMemory() {
        OpenBlasBackend be = new OpenBlasBackend(1); // one thread: the products are small, the machine is shared
        Runnable step = () -> {
            Storage w = be.full(DType.F32, 128 * 256, 0.01);
            Storage h = be.full(DType.F32, 32 * 128, 1);
            Storage y = be.matmul(h, false, 0, w, false, 0, 1, 32, 256, 128);
            Storage g = be.matmul(h, true, 0, y, false, 0, 1, 128, 256, 32);
            be.axpy(-0.1, g, w);
            for (Storage s : List.of(w, h, y, g)) s.release();
        };
        for (int i = 0; i < 500; i++) step.run(); // warm up (JIT, OpenBLAS buffers, thread pool)
        // Live bytes: JavaCPP's count less the blocks kept for reuse (which a leak would not be).
        long tracked = Pointer.totalBytes() - be.cachedBytes(), physical = Pointer.physicalBytes();
        for (int i = 0; i < 10_000; i++) step.run();
        // Each step allocates ~240 KB off-heap: a leak would add ~2.4 GB. JavaCPP's count returns exactly,
        // the resident size within a generous margin (heap growth, JIT code).
        long live = Pointer.totalBytes() - be.cachedBytes() - tracked;
        assertTrue(Math.abs(live) < 64 << 10, "JavaCPP's count of live native bytes changed by " + live);
        long grown = Pointer.physicalBytes() - physical;
        assertTrue(grown < 128L << 20, "resident memory grew by " + (grown >> 20) + " MB over 10,000 steps");
    }
}
