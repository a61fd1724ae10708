package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Storage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory kernels split over the crew ({@link OpenBlasBackend#SPLIT_MEMORY_ELEMENTS} elements and more) on
 * three threads whatever the machine's core count: full (zeros by memset, and a value), placed, a slice of the
 * leading axis, a same-dtype cast and copyInto, each on a block that a storage of the same size filled with -1
 * and gave back to the cache, so that any element a part left unwritten shows.
 */
class SplitMemoryKernelsTest {
    private static final OpenBlasBackend THREE = new OpenBlasBackend(3);

    /** A storage of {@code size} elements of -1, released: its block goes to the next storage of that size. */
    private static void dirty(DType d, int size) { THREE.full(d, size, -1.0).release(); }

    @Test
    void everyElementIsWrittenOnThreeThreads() {
        int n = OpenBlasBackend.SPLIT_MEMORY_ELEMENTS + 12_345, size = 2 * n + 7, at = n / 3;
        assertTrue(size >= OpenBlasBackend.SPLIT_MEMORY_ELEMENTS);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i % 977) * 0.25 - 100;
        for (DType d : DType.values()) {
            dirty(d, size);
            double[] zeros = THREE.toDoubleArray(THREE.full(d, size, 0.0));
            dirty(d, size);
            double[] halves = THREE.toDoubleArray(THREE.full(d, size, 0.5));
            Storage x = THREE.fromArray(d, v);
            dirty(d, size);
            Storage placed = THREE.placed(x, size, at);
            double[] p = THREE.toDoubleArray(placed);
            for (int i = 0; i < size; i++) {
                assertEquals(0.0, zeros[i], d + " zeros " + i);
                assertEquals(0.5, halves[i], d + " full 0.5 " + i);
                assertEquals(i < at || i >= at + n ? 0.0 : v[i - at], p[i], d + " placed " + i);
            }
            dirty(d, n);
            double[] sliced = THREE.toDoubleArray(THREE.slice(placed, 1, size, 1, at, n));
            dirty(d, size);
            double[] cast = THREE.toDoubleArray(THREE.cast(placed, d));
            dirty(d, size);
            Storage into = THREE.full(d, size, 3.0);
            THREE.copyInto(into, placed);
            double[] copied = THREE.toDoubleArray(into);
            for (int i = 0; i < n; i++) assertEquals(v[i], sliced[i], d + " slice " + i);
            for (int i = 0; i < size; i++) {
                assertEquals(p[i], cast[i], d + " cast " + i);
                assertEquals(p[i], copied[i], d + " copyInto " + i);
            }
        }
    }
}
