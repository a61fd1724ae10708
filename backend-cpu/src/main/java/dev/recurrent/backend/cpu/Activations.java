package dev.recurrent.backend.cpu;

/**
 * Sigmoid and tanh over runs of a {@code double[]}, in place, written as a few short loops of plain
 * arithmetic that HotSpot's C2 turns into SIMD code (a loop calling {@link Math#exp} stays scalar, and one
 * long loop body is not unrolled, hence not vectorised). For the F32 fused step cells ({@link FusedKernels};
 * the whole-sequence kernels use {@link FloatActivations}, in float): about 9x faster than
 * {@link Math#exp}-based scalar code on AVX-512, and accurate to about 3e-11 relative (so a result
 * rounded to float is almost always the correctly rounded one, and otherwise 1 ulp off).
 *
 * <p>Both go through {@code u = expm1(y)} for {@code |y| <= 104}: the Taylor series of {@code expm1(y/256)}
 * to degree 11 (truncation below 1e-13 relative at |y/256| <= 0.41), then eight doublings
 * {@code expm1(2v) = expm1(v)·(expm1(v) + 2)}, which keep the relative accuracy of small values (no
 * cancellation) and multiply the initial relative error by 256. Then {@code σ(x) = 1 / (2 + expm1(-x))}
 * and {@code tanh(x) = expm1(2x) / (expm1(2x) + 2)}, both free of cancellation. Arguments are clamped to
 * |y| <= 104, past which σ and tanh round to 0 or ±1 in float (σ(-104) = 7e-46, below float's smallest
 * subnormal); NaN stays NaN.
 */
final class Activations {
    private Activations() { }

    /** Past this |y|, expm1(y) is clamped (see the class comment). */
    private static final double LIMIT = 104;
    /** 2^-8, undone by the eight doublings. */
    private static final double SCALE = 1.0 / 256;

    /** {@code x[i] = σ(x[i])} for i in [from, from + n). */
    static void sigmoid(double[] x, int from, int n) {
        expm1(x, from, n, -1);
        for (int i = from, end = from + n; i < end; i++) x[i] = 1 / (2 + x[i]);
    }

    /** {@code x[i] = tanh(x[i])} for i in [from, from + n). */
    static void tanh(double[] x, int from, int n) {
        expm1(x, from, n, 2);
        for (int i = from, end = from + n; i < end; i++) {
            double u = x[i];
            x[i] = u / (u + 2);
        }
    }

    /** {@code x[i] = expm1(factor·x[i])}, with factor·x[i] clamped to ±104. Split into short loops, each of which vectorises. */
    private static void expm1(double[] x, int from, int n, double factor) {
        int end = from + n;
        for (int i = from; i < end; i++) x[i] = Math.max(-LIMIT, Math.min(LIMIT, x[i] * factor)) * SCALE;
        for (int i = from; i < end; i++) {
            double y = x[i];                                   // y + y²/2! + ... + y^11/11!, Horner
            x[i] = y * (1 + y * (1.0 / 2 + y * (1.0 / 6 + y * (1.0 / 24 + y * (1.0 / 120 + y * (1.0 / 720
                    + y * (1.0 / 5040 + y * (1.0 / 40320 + y * (1.0 / 362880 + y * (1.0 / 3628800 + y * (1.0 / 39916800)))))))))));
        }
        for (int i = from; i < end; i++) {
            double u = x[i];
            u = u * (u + 2);
            u = u * (u + 2);
            u = u * (u + 2);
            u = u * (u + 2);
            x[i] = u;
        }
        for (int i = from; i < end; i++) {
            double u = x[i];
            u = u * (u + 2);
            u = u * (u + 2);
            u = u * (u + 2);
            u = u * (u + 2);
            x[i] = u;
        }
    }
}
