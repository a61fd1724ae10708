package dev.recurrent.backend.cpu;

/**
 * Tanh and sigmoid over runs of a {@code float[]}, in place, in float arithmetic that HotSpot's C2 turns
 * into SIMD code: the F32 whole-sequence kernels' activations ({@link Activations} is the double twin, to
 * about 3e-11, which costs a float/double conversion per element that C2 17 leaves scalar; this is about
 * twice as fast for an LSTM step's pointwise pass, conversions included).
 *
 * <p>{@code tanh(x) = p(x)/q(x)} for x clamped to ±7.90531 (where the quotient reaches 1 in float; ±7.99881 when
 * evaluated with fused multiply-add), p odd of
 * degree 13 and q even of degree 6: the minimax rational approximation that Eigen (and XLA's CPU backend)
 * use for float tanh. Measured against {@link Math#tanh} over 2·10⁶ floats ({@code FloatActivationsTest}):
 * within 8 ulp (relative error under 5e-7), exact to the sign for ±0, ±1 past the clamp, NaN kept.
 * {@code σ(x) = 1/2 + tanh(x/2)/2}, as XLA computes it: an absolute error under 3e-7, so a relative one
 * that grows as σ goes to 0 (x below about -15), where σ is under 3e-7 anyway.
 */
final class FloatActivations {
    private FloatActivations() { }

    private static final float CLAMP = 7.90531110763549805f;
    /**
     * The clamp of the FMA evaluation, which reaches exactly 1 later: at 7.99881172 (newer Eigen's clamp), and
     * never above 1 below it (FloatActivationsTest checks every float in [4, 8); below 4 tanh is under 0.9994).
     */
    private static final float FMA_CLAMP = 7.99881172180175781f;

    /** {@code x[i] = tanh(x[i])} for i in [from, from + n); {@code q} (of at least from + n) is scratch. */
    static void tanh(float[] x, float[] q, int from, int n) { tanh(x, q, from, n, GemmRows.FMA); }

    /** {@code x[i] = σ(x[i])} for i in [from, from + n); {@code q} (of at least from + n) is scratch. */
    static void sigmoid(float[] x, float[] q, int from, int n) { sigmoid(x, q, from, n, GemmRows.FMA); }

    /** {@link #tanh(float[], float[], int, int)} with or without fused multiply-add (tests run both). */
    static void tanh(float[] x, float[] q, int from, int n, boolean fma) {
        if (fma) fused(x, from, n, 1f, 1f, 0f);
        else split(x, q, from, n, 1f, 1f, 0f);
    }

    /** {@link #sigmoid(float[], float[], int, int)} with or without fused multiply-add (tests run both). */
    static void sigmoid(float[] x, float[] q, int from, int n, boolean fma) {
        if (fma) fused(x, from, n, 0.5f, 0.5f, 0.5f);
        else split(x, q, from, n, 0.5f, 0.5f, 0.5f);
    }

    /**
     * {@code x[i] = tanh(scale·x[i])·mul + add} in one loop whose polynomials are {@link Math#fma} chains: with
     * hardware FMA (see {@link GemmRows#FMA}) C2 vectorises it whole, and it is 30-40% faster than
     * {@link #split} (runs of 1024, alternating builds: tanh 0.82-0.90 against 1.32-1.34 ns an element, sigmoid
     * 1.23-1.35 against 1.60-1.66), each step of a
     * polynomial one instruction and one rounding instead of two.
     */
    private static void fused(float[] x, int from, int n, float scale, float mul, float add) {
        int end = from + n;
        if (add == 0) {
            for (int i = from; i < end; i++) x[i] = ratio(x[i] * scale);               // keeps the sign of a zero
        } else {
            for (int i = from; i < end; i++) x[i] = Math.fma(ratio(x[i] * scale), mul, add);
        }
    }

    /** p(v)/q(v) for v clamped, the polynomials in Horner form with fused steps. */
    private static float ratio(float x) {
        float v = Math.max(-FMA_CLAMP, Math.min(FMA_CLAMP, x)), v2 = v * v;
        float p = Math.fma(v2, -2.76076847742355e-16f, 2.00018790482477e-13f);
        p = Math.fma(p, v2, -8.60467152213735e-11f);
        p = Math.fma(p, v2, 5.12229709037114e-08f);
        p = Math.fma(p, v2, 1.48572235717979e-05f);
        p = Math.fma(p, v2, 6.37261928875436e-04f);
        p = Math.fma(p, v2, 4.89352455891786e-03f);
        float q = Math.fma(v2, 1.19825839466702e-06f, 1.18534705686654e-04f);
        q = Math.fma(q, v2, 2.26843463243900e-03f);
        q = Math.fma(q, v2, 4.89352518554385e-03f);
        return v * p / q;
    }

    /**
     * {@code x[i] = tanh(scale·x[i])·mul + add} without FMA (where {@link Math#fma} is a slow software
     * routine), in short loops that each vectorise.
     */
    private static void split(float[] x, float[] q, int from, int n, float scale, float mul, float add) {
        int end = from + n;
        for (int i = from; i < end; i++) x[i] = Math.max(-CLAMP, Math.min(CLAMP, x[i] * scale));
        for (int i = from; i < end; i++) {
            float v = x[i], v2 = v * v;
            q[i] = ((v2 * 1.19825839466702e-06f + 1.18534705686654e-04f) * v2 + 2.26843463243900e-03f) * v2
                    + 4.89352518554385e-03f;
        }
        for (int i = from; i < end; i++) {
            float v = x[i], v2 = v * v;
            x[i] = v * ((((((v2 * -2.76076847742355e-16f + 2.00018790482477e-13f) * v2 - 8.60467152213735e-11f) * v2
                    + 5.12229709037114e-08f) * v2 + 1.48572235717979e-05f) * v2 + 6.37261928875436e-04f) * v2
                    + 4.89352455891786e-03f);
        }
        if (add == 0) {
            for (int i = from; i < end; i++) x[i] = x[i] / q[i];             // keeps the sign of a zero
        } else {
            for (int i = from; i < end; i++) x[i] = x[i] / q[i] * mul + add;
        }
    }
}
