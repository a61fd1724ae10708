package dev.recurrent.backend.cpu;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link FloatActivations} against {@link Math#tanh} and a double sigmoid: tanh within 8 ulp of the correctly
 * rounded value (relative error under 5e-7), sigmoid within 3e-7 absolute, over the whole float range,
 * where gate pre-activations live, and tiny values; plus zeros, infinities and NaN. Both ways of computing
 * them are checked, with fused multiply-add (where the machine has it) and without.
 */
class FloatActivationsTest {
    private static float[] sample() {
        Random r = new Random(11);
        float[] x = new float[2_000_000];
        int i = 0;
        for (; i < 600_000; i++) x[i] = (float) (-30 + 60 * r.nextDouble());                  // past the clamp
        for (; i < 1_600_000; i++) x[i] = (float) (4 * r.nextGaussian());                      // gate pre-activations
        for (; i < x.length; i++) x[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, -30 * r.nextDouble()));
        return x;
    }

    /**
     * Applied at an odd offset, so that the vector loops' pre- and post-loops run too. The FMA path is skipped
     * where the JVM has no hardware FMA: it is not used there, and Math.fma would be a slow software routine.
     */
    private static float[] apply(boolean fma, boolean sigmoid, float[] x) {
        assumeTrue(!fma || GemmRows.FMA, "no hardware FMA: the fused path is not used on this machine");
        float[] y = new float[x.length + 3], q = new float[y.length];
        System.arraycopy(x, 0, y, 3, x.length);
        if (sigmoid) FloatActivations.sigmoid(y, q, 3, x.length, fma);
        else FloatActivations.tanh(y, q, 3, x.length, fma);
        float[] out = new float[x.length];
        System.arraycopy(y, 3, out, 0, x.length);
        return out;
    }

    @ParameterizedTest(name = "fma {0}")
    @ValueSource(booleans = {true, false})
    void tanhIsWithin8UlpOfTheCorrectlyRoundedValue(boolean fma) {
        float[] x = sample(), y = apply(fma, false, x);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.tanh(x[i]);
            double ulps = Math.abs(y[i] - want) / Math.ulp(want);
            if (!(ulps <= 8)) fail("tanh(" + x[i] + ") = " + y[i] + ", correctly rounded " + want + ": " + ulps + " ulp");
            worst = Math.max(worst, ulps);
        }
        assertTrue(worst > 0, "an approximation is never exact everywhere: the check must see its error");
    }

    @ParameterizedTest(name = "fma {0}")
    @ValueSource(booleans = {true, false})
    void sigmoidIsWithin3e7Absolute(boolean fma) {
        float[] x = sample(), y = apply(fma, true, x);
        for (int i = 0; i < x.length; i++) {
            double want = 1 / (1 + Math.exp(-(double) x[i]));
            if (!(Math.abs(y[i] - want) <= 3e-7)) fail("σ(" + x[i] + ") = " + y[i] + ", exactly " + want);
            if (!(y[i] >= 0 && y[i] <= 1)) fail("σ(" + x[i] + ") = " + y[i] + " outside [0, 1]");
        }
    }

    @ParameterizedTest(name = "fma {0}")
    @ValueSource(booleans = {true, false})
    void zerosInfinitiesAndNaN(boolean fma) {
        float[] x = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e30f, -1e30f};
        float[] t = apply(fma, false, x), s = apply(fma, true, x);
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(t[0]), "tanh(+0) = +0");
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(t[1]), "tanh(-0) = -0");
        assertEquals(1f, t[2], "tanh(∞) = 1 exactly (saturated)");
        assertEquals(-1f, t[3], "tanh(-∞) = -1 exactly");
        assertTrue(Float.isNaN(t[4]), "tanh(NaN) is NaN");
        assertEquals(1f, t[5], "tanh(1e30)");
        assertEquals(-1f, t[6], "tanh(-1e30)");
        assertEquals(0.5f, s[0]);
        assertEquals(0.5f, s[1]);
        assertEquals(1f, s[2], "σ(∞) = 1 exactly");
        assertEquals(0f, s[3], "σ(-∞) = 0 exactly");
        assertTrue(Float.isNaN(s[4]), "σ(NaN) is NaN");
    }

    /**
     * Every float in [4, 8), where tanh approaches 1 and the quotient is flat to a few ulp: never above 1, within
     * 8 ulp, and 1 itself from the clamp on (so a saturated gate is exactly 1, as PyTorch's is).
     */
    @ParameterizedTest(name = "fma {0}")
    @ValueSource(booleans = {true, false})
    void theTopOfTheRangeNeverPassesOne(boolean fma) {
        int from = Float.floatToIntBits(4f), to = Float.floatToIntBits(8f);
        float[] x = new float[to - from];
        for (int i = 0; i < x.length; i++) x[i] = Float.intBitsToFloat(from + i);
        float[] y = apply(fma, false, x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.tanh(x[i]);
            if (!(y[i] <= 1f)) fail("tanh(" + x[i] + ") = " + y[i] + " > 1");
            if (!(Math.abs(y[i] - want) <= 8 * Math.ulp(want))) fail("tanh(" + x[i] + ") = " + y[i] + ", correctly rounded " + want);
        }
        assertEquals(1f, y[x.length - 1], "tanh(8 - ulp)");
    }
}
