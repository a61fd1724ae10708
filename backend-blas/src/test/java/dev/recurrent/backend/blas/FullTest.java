package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link OpenBlasBackend#full}: +0.0 of at least a few hundred elements is a native memset, everything
 * else a Java fill; both give every element the value (bit for bit: -0.0 stays -0.0), over memory that
 * held other values before.
 */
class FullTest {
    private static final OpenBlasBackend BE = new OpenBlasBackend();

    private static void check(DType dtype, int size, double value) {
        // dirty some memory first, so that a zero fill cannot pass by reading fresh zero pages
        for (int k = 0; k < 4; k++) BE.full(dtype, size, Double.NaN).release();
        Storage s = BE.full(dtype, size, value);
        double expected = dtype == DType.F32 ? (float) value : value;
        double[] got = BE.toDoubleArray(s);
        assertEquals(size, got.length);
        for (int i = 0; i < size; i++) {
            if (Double.doubleToRawLongBits(got[i]) != Double.doubleToRawLongBits(expected)) {
                throw new AssertionError("full(" + dtype + ", " + size + ", " + value + "): element " + i + " is " + got[i]);
            }
        }
        s.release();
    }

    @Test
    void zerosAndOtherValuesFillEveryElement() {
        for (DType dtype : DType.values()) {
            for (int size : new int[] {0, 1, 17, 255, 256, 257, 1024, 5000, 100_003}) {
                check(dtype, size, 0.0);
                check(dtype, size, -0.0);
                check(dtype, size, 1.5);
                check(dtype, size, 1e-50);               // +0 once rounded to float, a denormal-free tiny double
            }
        }
    }
}
