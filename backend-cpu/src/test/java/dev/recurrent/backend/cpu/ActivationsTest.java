package dev.recurrent.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Activations}' vectorised sigmoid and tanh against {@link Math#exp}/{@link Math#tanh}: about 3e-11
 * relative wherever the result is a normal float, so that rounded to float they are within 1 ulp of the
 * correctly rounded value (and equal to it almost always); the saturated ends, infinities, NaN and signed
 * zero behave.
 */
class ActivationsTest {
    private static final double RTOL = 5e-11;

    private static double[] sample() {
        Random r = new Random(3);
        double[] x = new double[60_000];
        int i = 0;
        for (; i < 30_000; i++) x[i] = -110 + 220 * r.nextDouble();                   // the whole range, past the clamp
        for (; i < 50_000; i++) x[i] = 4 * r.nextGaussian();                          // where gate pre-activations live
        for (; i < 60_000; i++) x[i] = (r.nextBoolean() ? 1 : -1) * Math.pow(10, -300 * r.nextDouble());   // tiny
        return x;
    }

    private static double[] apply(boolean sigmoid, double[] x) {
        double[] y = x.clone();
        // an odd offset and length: the vector loops' pre- and post-loops are exercised too
        double[] shifted = new double[y.length + 3];
        System.arraycopy(y, 0, shifted, 3, y.length);
        if (sigmoid) Activations.sigmoid(shifted, 3, y.length);
        else Activations.tanh(shifted, 3, y.length);
        System.arraycopy(shifted, 3, y, 0, y.length);
        return y;
    }

    @Test
    void sigmoidIsAccurateToAFewTimes1e11Relative() {
        double[] x = sample(), y = apply(true, x);
        int exact = 0;
        for (int i = 0; i < x.length; i++) {
            double want = DoubleKernels.sigmoid(x[i]);
            if (x[i] < -104) {
                assertTrue(y[i] <= 1e-45, "σ(" + x[i] + ") = " + y[i] + " should round to float 0");
                continue;
            }
            if (Math.abs(y[i] - want) > RTOL * want) fail("σ(" + x[i] + ") = " + y[i] + ", Math gives " + want);
            exact += check1ulp("σ", x[i], y[i], want);
        }
        assertTrue(exact > 0.999 * x.length * 0.9, "correctly rounded to float in only " + exact + " cases");
    }

    @Test
    void tanhIsAccurateToAFewTimes1e11Relative() {
        double[] x = sample(), y = apply(false, x);
        int exact = 0;
        for (int i = 0; i < x.length; i++) {
            double want = Math.tanh(x[i]);
            if (Math.abs(y[i] - want) > RTOL * Math.abs(want)) fail("tanh(" + x[i] + ") = " + y[i] + ", Math gives " + want);
            exact += check1ulp("tanh", x[i], y[i], want);
        }
        assertTrue(exact > 0.999 * x.length, "correctly rounded to float in only " + exact + " cases");
    }

    /** 1 when float(got) == float(want), 0 when 1 ulp apart; fails beyond. */
    private static int check1ulp(String f, double x, double got, double want) {
        float g = (float) got, w = (float) want;
        if (g == w) return 1;
        if (Math.abs(g - w) > Math.ulp(w)) fail(f + "(" + x + ") rounds to " + g + ", Math's to " + w + ": more than 1 ulp");
        return 0;
    }

    @Test
    void specialValues() {
        double[] x = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1000, -1000};
        double[] s = apply(true, x), t = apply(false, x);
        assertTrue(Double.isNaN(s[0]) && Double.isNaN(t[0]), "NaN stays NaN");
        assertEquals(1.0, s[1]);
        assertEquals(0.0, s[2], 1e-45);
        assertEquals(0.5, s[3]);
        assertEquals(0.5, s[4]);
        assertEquals(1.0, s[5]);
        assertEquals(0.0, s[6], 1e-45);
        assertEquals(1.0, t[1]);
        assertEquals(-1.0, t[2]);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(t[3]), "tanh(+0) = +0");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(t[4]), "tanh(-0) = -0");
        assertEquals(1.0, t[5]);
        assertEquals(-1.0, t[6]);
    }
}
