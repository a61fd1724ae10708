package dev.recurrent.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link FloatActivations} against {@link Math#tanh} and a double sigmoid: tanh within 8 ulp of the correctly
 * rounded value (relative error under 5e-7), sigmoid within 3e-7 absolute, over the whole float range,
 * where gate pre-activations live, and tiny values; plus zeros, infinities and NaN.
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

    /** Applied at an odd offset, so that the vector loops' pre- and post-loops run too. */
    private static float[] apply(boolean sigmoid, float[] x) {
        float[] y = new float[x.length + 3], q = new float[y.length];
        System.arraycopy(x, 0, y, 3, x.length);
        if (sigmoid) FloatActivations.sigmoid(y, q, 3, x.length);
        else FloatActivations.tanh(y, q, 3, x.length);
        float[] out = new float[x.length];
        System.arraycopy(y, 3, out, 0, x.length);
        return out;
    }

    @Test
    void tanhIsWithin8UlpOfTheCorrectlyRoundedValue() {
        float[] x = sample(), y = apply(false, x);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.tanh(x[i]);
            double ulps = Math.abs(y[i] - want) / Math.ulp(want);
            if (!(ulps <= 8)) fail("tanh(" + x[i] + ") = " + y[i] + ", correctly rounded " + want + ": " + ulps + " ulp");
            worst = Math.max(worst, ulps);
        }
        assertTrue(worst > 0, "an approximation is never exact everywhere: the check must see its error");
    }

    @Test
    void sigmoidIsWithin3e7Absolute() {
        float[] x = sample(), y = apply(true, x);
        for (int i = 0; i < x.length; i++) {
            double want = 1 / (1 + Math.exp(-(double) x[i]));
            if (!(Math.abs(y[i] - want) <= 3e-7)) fail("σ(" + x[i] + ") = " + y[i] + ", exactly " + want);
            if (!(y[i] >= 0 && y[i] <= 1)) fail("σ(" + x[i] + ") = " + y[i] + " outside [0, 1]");
        }
    }

    @Test
    void zerosInfinitiesAndNaN() {
        float[] x = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e30f, -1e30f};
        float[] t = apply(false, x), s = apply(true, x);
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(t[0]), "tanh(+0) = +0");
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(t[1]), "tanh(-0) = -0");
        assertEquals(1f, t[2], 1e-7f);
        assertEquals(-1f, t[3], 1e-7f);
        assertTrue(Float.isNaN(t[4]), "tanh(NaN) is NaN");
        assertEquals(1f, t[5], 1e-7f);
        assertEquals(-1f, t[6], 1e-7f);
        assertEquals(0.5f, s[0]);
        assertEquals(0.5f, s[1]);
        assertEquals(1f, s[2], 3e-7f);
        assertEquals(0f, s[3], 3e-7f);
        assertTrue(Float.isNaN(s[4]), "σ(NaN) is NaN");
    }
}
