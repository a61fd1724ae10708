package dev.recurrent.core;

import java.util.Arrays;

/**
 * Assertions of the contract kit (self-contained, so a backend module needs only jqwik and the core
 * test-jar). Failures are {@link AssertionError}s that say which op, which element, expected and actual.
 */
public final class Expect {
    /** Forward tolerance for F64: tight, a few thousand ulps at most for different summation orders. */
    public static final double F64_RTOL = 1e-11, F64_ATOL = 1e-12;
    /** Forward tolerance for F32: loose (single precision arithmetic against a double reference). */
    public static final double F32_RTOL = 1e-4, F32_ATOL = 1e-4;

    private Expect() { }

    public static double rtol(DType d) { return d == DType.F64 ? F64_RTOL : F32_RTOL; }

    public static double atol(DType d) { return d == DType.F64 ? F64_ATOL : F32_ATOL; }

    public static void isTrue(boolean ok, String message) {
        if (!ok) throw new AssertionError(message);
    }

    /** Shape, dtype and values of {@code actual} match {@code expected} within the tolerance of {@code dtype}. */
    public static void close(String what, RefArray expected, Tensor actual, DType dtype) {
        isTrue(actual.dtype() == dtype, what + ": expected dtype " + dtype + ", got " + actual.dtype());
        close(what + " " + dtype, expected, RefArray.of(actual), rtol(dtype), atol(dtype));
    }

    public static void close(String what, RefArray expected, RefArray actual, double rtol, double atol) {
        isTrue(Arrays.equals(expected.shape(), actual.shape()), what + ": expected shape " + Arrays.toString(expected.shape())
                + ", got " + Arrays.toString(actual.shape()));
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.values()[i], a = actual.values()[i];
            boolean ok = Double.compare(e, a) == 0 || Math.abs(e - a) <= atol + rtol * Math.abs(e);
            if (!ok) {
                throw new AssertionError(what + ": element " + i + " " + Arrays.toString(Reference.unravel(i, expected.shape()))
                        + " of shape " + Arrays.toString(expected.shape()) + ": expected " + e + ", got " + a
                        + " (|diff| " + Math.abs(e - a) + ", rtol " + rtol + ", atol " + atol + ")\n  expected " + expected
                        + "\n  actual   " + actual);
            }
        }
    }

    public static void close(String what, double expected, double actual, double rtol, double atol) {
        close(what, RefArray.scalar(expected), RefArray.scalar(actual), rtol, atol);
    }

    /** Same shape, dtype and bit pattern. */
    public static void bitwiseEqual(String what, Tensor a, Tensor b) {
        isTrue(a.shape().equals(b.shape()) && a.dtype() == b.dtype(), what + ": " + a.shape() + " " + a.dtype() + " vs "
                + b.shape() + " " + b.dtype());
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
                throw new AssertionError(what + ": not bitwise equal at element " + i + ": " + x[i] + " vs " + y[i]);
            }
        }
    }

    /** Runs {@code r}, which must throw an IllegalArgumentException whose message contains every part. */
    public static IllegalArgumentException illegalArgument(String what, Runnable r, String... parts) {
        return fails(IllegalArgumentException.class, what, r, parts);
    }

    public static IllegalStateException illegalState(String what, Runnable r, String... parts) {
        return fails(IllegalStateException.class, what, r, parts);
    }

    public static <E extends Throwable> E fails(Class<E> type, String what, Runnable r, String... parts) {
        try {
            r.run();
        } catch (Throwable e) {
            if (!type.isInstance(e)) {
                AssertionError err = new AssertionError(what + ": expected " + type.getSimpleName() + ", got " + e);
                err.initCause(e);
                throw err;
            }
            String msg = String.valueOf(e.getMessage());
            for (String p : parts) {
                isTrue(msg.contains(p), what + ": the message should contain \"" + p + "\"; it is: " + msg);
            }
            return type.cast(e);
        }
        throw new AssertionError(what + ": expected " + type.getSimpleName() + ", nothing was thrown");
    }
}
