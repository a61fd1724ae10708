package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** full, fromArray, toDoubleArray/toFloatArray, cast, copyInto and axpy, with dtype conversions. */
class MemoryTest {
    private static final CpuBackend BE = new CpuBackend(1);

    @Test
    void fullFillsEveryElement() {
        for (DType dtype : DType.values()) {
            Storage s = BE.full(dtype, 5, -2.5);
            assertEquals(dtype, s.dtype());
            assertEquals(5, s.size());
            assertSame(BE, s.backend());
            assertArrayEquals(new double[] {-2.5, -2.5, -2.5, -2.5, -2.5}, BE.toDoubleArray(s));
            assertArrayEquals(new double[3], BE.toDoubleArray(BE.full(dtype, 3, 0)));
            assertEquals(0, BE.full(dtype, 0, 7).size());
            double[] negZero = BE.toDoubleArray(BE.full(dtype, 2, -0.0));
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(negZero[1]), "sign of zero kept");
            assertTrue(Double.isNaN(BE.toDoubleArray(BE.full(dtype, 1, Double.NaN))[0]));
        }
        assertArrayEquals(new float[] {0.1f, 0.1f}, BE.toFloatArray(BE.full(DType.F32, 2, 0.1)));
    }

    @Test
    void fromArrayConvertsBetweenDtypes() {
        double[] d = {0.1, -1e40, 1e-50, 3};
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY, 0f, 3f}, BE.toFloatArray(BE.fromArray(DType.F32, d)));
        assertArrayEquals(new double[] {(float) 0.1, Double.NEGATIVE_INFINITY, 0, 3}, BE.toDoubleArray(BE.fromArray(DType.F32, d)));
        assertArrayEquals(d, BE.toDoubleArray(BE.fromArray(DType.F64, d)));
        float[] f = {0.1f, -2f, Float.MAX_VALUE};
        assertArrayEquals(new double[] {0.1f, -2, Float.MAX_VALUE}, BE.toDoubleArray(BE.fromArray(DType.F64, f)));
        assertArrayEquals(f, BE.toFloatArray(BE.fromArray(DType.F32, f)));
        assertArrayEquals(f, BE.toFloatArray(BE.fromArray(DType.F64, f)));
    }

    @Test
    void storagesAreIndependentOfTheArraysTheyCameFromAndGoTo() {
        double[] d = {1, 2, 3};
        Storage s = BE.fromArray(DType.F64, d);
        d[0] = 99;
        double[] out = BE.toDoubleArray(s);
        out[1] = 99;
        assertArrayEquals(new double[] {1, 2, 3}, BE.toDoubleArray(s));
        float[] f = {1, 2};
        Storage t = BE.fromArray(DType.F32, f);
        BE.toFloatArray(t)[0] = 7;
        f[1] = 7;
        assertArrayEquals(new float[] {1, 2}, BE.toFloatArray(t));
    }

    @Property(tries = 30, seed = "9001")
    void castRoundsOnceAndWidensExactly(@ForAll @IntRange(min = 0, max = 50) int n, @ForAll long seed) {
        double[] d = Naive.data(new Random(seed), n, DType.F64);
        for (int i = 0; i < n; i++) d[i] = d[i] / 3;                     // not representable in float
        Storage f64 = BE.fromArray(DType.F64, d);
        Storage f32 = BE.cast(f64, DType.F32);
        assertEquals(DType.F32, f32.dtype());
        Naive.assertExact("F64 -> F32", Naive.representable(d, DType.F32), BE.toDoubleArray(f32));
        Storage back = BE.cast(f32, DType.F64);
        Naive.assertExact("F32 -> F64", Naive.representable(d, DType.F32), BE.toDoubleArray(back));
        Storage same = BE.cast(f64, DType.F64);
        Naive.assertExact("F64 -> F64", d, BE.toDoubleArray(same));
        BE.axpy(1, f64, same);                                            // a copy, not a view
        Naive.assertExact("cast copies", d, BE.toDoubleArray(f64));
    }

    @Test
    void copyIntoAndAxpyWriteInPlace() {
        for (DType dtype : DType.values()) {
            Storage y = BE.fromArray(dtype, new double[] {1, 2, 3});
            Storage x = BE.fromArray(dtype, new double[] {10, 20, 30});
            BE.axpy(-0.5, x, y);
            assertArrayEquals(new double[] {-4, -8, -12}, BE.toDoubleArray(y), dtype.toString());
            BE.axpy(2, y, y);                                             // x and y may be the same storage
            assertArrayEquals(new double[] {-12, -24, -36}, BE.toDoubleArray(y), dtype.toString());
            BE.copyInto(y, x);
            assertArrayEquals(new double[] {10, 20, 30}, BE.toDoubleArray(y), dtype.toString());
        }
        Storage f = BE.fromArray(DType.F32, new double[] {1});
        BE.axpy(0.1, BE.fromArray(DType.F32, new double[] {1}), f);
        assertArrayEquals(new float[] {(float) (1 + 0.1 * 1)}, BE.toFloatArray(f));
    }

    @Test
    void mismatchedOrForeignStoragesAreIllegalArguments() {
        Storage f = BE.full(DType.F32, 3, 1), d = BE.full(DType.F64, 3, 1), small = BE.full(DType.F32, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> BE.copyInto(f, d));
        assertThrows(IllegalArgumentException.class, () -> BE.axpy(1, small, f));
        Storage foreign = new Storage() {
            public DType dtype() { return DType.F32; }
            public int size() { return 3; }
            public Backend backend() { return BE; }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BE.toDoubleArray(foreign));
        assertTrue(e.getMessage().contains("java backend"), e.getMessage());
    }
}
