package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Storage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Batched matmul against the triple loop of {@link Naive#matmul}, both dtypes, every flag and stride. */
class MatmulTest {
    private static final CpuBackend SERIAL = new CpuBackend(1);
    private static final CpuBackend PARALLEL = new CpuBackend(3);   // more threads than cores is fine

    @Property(tries = 80, seed = "20240601")
    void smallProductsMatchTheTripleLoop(@ForAll @IntRange(min = 1, max = 3) int batch,
                                         @ForAll @IntRange(min = 1, max = 13) int m,
                                         @ForAll @IntRange(min = 1, max = 13) int n,
                                         @ForAll @IntRange(min = 1, max = 13) int k,
                                         @ForAll boolean transA, @ForAll boolean transB,
                                         @ForAll boolean shareA, @ForAll boolean shareB,
                                         @ForAll DType dtype, @ForAll long seed) {
        check(SERIAL, dtype, batch, m, n, k, transA, transB, shareA, shareB, seed, 0);
    }

    /** Products past one column block (512) and one inner block (256), with a k that is not a multiple of 4. */
    @Test
    void blockedAndThreadedProductsMatchTheTripleLoop() {
        check(PARALLEL, DType.F32, 1, 67, 530, 263, false, false, false, false, 1, 0);
        check(PARALLEL, DType.F64, 1, 45, 300, 261, true, true, false, false, 2, 0);
        check(PARALLEL, DType.F32, 3, 40, 33, 270, false, true, false, true, 3, 0);
        check(PARALLEL, DType.F64, 2, 70, 17, 9, true, false, true, false, 4, 0);
    }

    @Property(tries = 20, seed = "777")
    void operandsMayStartAtAnyStrideLargerThanTheMatrix(@ForAll @IntRange(min = 1, max = 7) int extra,
                                                        @ForAll boolean transA, @ForAll boolean transB,
                                                        @ForAll DType dtype, @ForAll long seed) {
        check(SERIAL, dtype, 3, 5, 6, 7, transA, transB, false, false, seed, extra);
    }

    /** Splitting rows across threads changes no bit of the result. */
    @Test
    void threadCountDoesNotChangeTheResult() {
        Random r = new Random(5);
        for (DType dtype : DType.values()) {
            double[] a = Naive.data(r, 2 * 150 * 200, dtype), b = Naive.data(r, 200 * 170, dtype);
            Storage sa1 = SERIAL.fromArray(dtype, a), sb1 = SERIAL.fromArray(dtype, b);
            Storage sa3 = PARALLEL.fromArray(dtype, a), sb3 = PARALLEL.fromArray(dtype, b);
            double[] one = SERIAL.toDoubleArray(SERIAL.matmul(sa1, false, 150 * 200, sb1, true, 0, 2, 150, 170, 200));
            double[] three = PARALLEL.toDoubleArray(PARALLEL.matmul(sa3, false, 150 * 200, sb3, true, 0, 2, 150, 170, 200));
            assertArrayEquals(one, three, 0.0, dtype.toString());
        }
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        for (DType dtype : DType.values()) {
            Storage a = SERIAL.full(dtype, 0, 0), b = SERIAL.full(dtype, 0, 0);
            assertArrayEquals(new double[6], SERIAL.toDoubleArray(SERIAL.matmul(a, false, 0, b, false, 0, 1, 2, 3, 0)));
            assertArrayEquals(new double[6], SERIAL.toDoubleArray(SERIAL.matmul(a, true, 0, b, true, 0, 1, 2, 3, 0)));
        }
    }

    @Test
    void oneByOneAndKnownValues() {
        Storage a = SERIAL.fromArray(DType.F32, new double[] {3});
        Storage b = SERIAL.fromArray(DType.F32, new double[] {-2});
        assertArrayEquals(new double[] {-6}, SERIAL.toDoubleArray(SERIAL.matmul(a, true, 0, b, true, 0, 1, 1, 1, 1)));
        // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]]; with A transposed: [[1,3],[2,4]] · B = [[26,30],[38,44]]
        Storage x = SERIAL.fromArray(DType.F64, new double[] {1, 2, 3, 4});
        Storage y = SERIAL.fromArray(DType.F64, new double[] {5, 6, 7, 8});
        assertArrayEquals(new double[] {19, 22, 43, 50}, SERIAL.toDoubleArray(SERIAL.matmul(x, false, 0, y, false, 0, 1, 2, 2, 2)));
        assertArrayEquals(new double[] {26, 30, 38, 44}, SERIAL.toDoubleArray(SERIAL.matmul(x, true, 0, y, false, 0, 1, 2, 2, 2)));
        assertArrayEquals(new double[] {17, 23, 39, 53}, SERIAL.toDoubleArray(SERIAL.matmul(x, false, 0, y, true, 0, 1, 2, 2, 2)));
    }

    @Test
    void anOperandTooSmallForTheProductIsAnIllegalArgument() {
        Storage a = SERIAL.full(DType.F32, 5, 1), b = SERIAL.full(DType.F32, 6, 1);
        assertThrows(IllegalArgumentException.class, () -> SERIAL.matmul(a, false, 0, b, false, 0, 1, 2, 3, 3));
        Storage c = SERIAL.full(DType.F64, 6, 1);
        assertThrows(IllegalArgumentException.class, () -> SERIAL.matmul(b, false, 0, c, false, 0, 1, 2, 3, 2));
    }

    /**
     * One case: A and B filled at random (each of batch matrices, or one when shared), laid out with a
     * stride of matrix size + extra, multiplied by the backend and by the triple loop.
     */
    private static void check(CpuBackend be, DType dtype, int batch, int m, int n, int k, boolean transA, boolean transB,
                              boolean shareA, boolean shareB, long seed, int extra) {
        Random r = new Random(seed);
        long aStride = shareA ? 0 : (long) m * k + extra, bStride = shareB ? 0 : (long) k * n + extra;
        double[] a = Naive.data(r, (int) (shareA ? m * k : aStride * (batch - 1) + m * k), dtype);
        double[] b = Naive.data(r, (int) (shareB ? k * n : bStride * (batch - 1) + k * n), dtype);
        double[] expected = Naive.matmul(a, transA, aStride, b, transB, bStride, batch, m, n, k);
        Storage c = be.matmul(be.fromArray(dtype, a), transA, aStride, be.fromArray(dtype, b), transB, bStride, batch, m, n, k);
        assertEquals(dtype, c.dtype());
        String what = dtype + " matmul batch=" + batch + " m=" + m + " n=" + n + " k=" + k + " transA=" + transA
                + " transB=" + transB + " strides=" + aStride + "," + bStride;
        double tol = dtype == DType.F32 ? 2e-6 * k : 1e-14 * k;      // |a|,|b| ≤ 2, so |c| ≤ 4k
        Naive.assertClose(what, expected, be.toDoubleArray(c), tol, 0);
    }
}
