package dev.recurrent.models.train;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.recurrent.models.train.TrainFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class GradientsTest {
    private static Map<String, Tensor> threeFourTwelve() {
        Map<String, Tensor> g = new LinkedHashMap<>();
        g.put("a", f64(3, 4));
        g.put("b", f64(12));                      // global norm sqrt(9 + 16 + 144) = 13
        return g;
    }

    @Test
    void globalNormIsOverEveryGradient() { assertEquals(13.0, Gradients.globalNorm(threeFourTwelve()), 1e-15); }

    @Test
    void clipByNormScalesEverythingAndReportsThePreClipNorm() {
        Gradients.Clipped c = Gradients.clipByNorm(threeFourTwelve(), 6.5);
        assertEquals(13.0, c.norm(), 1e-15);
        assertTrue(c.clipped());
        double coef = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[] {3 * coef, 4 * coef}, c.gradients().get("a").toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {12 * coef}, c.gradients().get("b").toDoubleArray(), 1e-15);
        assertEquals(6.5, Gradients.globalNorm(c.gradients()), 1e-6);
    }

    @Test
    void clipByNormLeavesSmallGradientsAlone() {
        Map<String, Tensor> g = threeFourTwelve();
        Gradients.Clipped c = Gradients.clipByNorm(g, 100);
        assertFalse(c.clipped());
        assertSame(g, c.gradients());
        assertEquals(13.0, c.norm(), 1e-15);
    }

    @Test
    void clipByValueClampsEachElement() {
        Map<String, Tensor> g = new LinkedHashMap<>();
        g.put("a", f64(-3, 0.5, 2));
        Gradients.Clipped c = Gradients.clipByValue(g, 1);
        assertArrayEquals(new double[] {-1, 0.5, 1}, c.gradients().get("a").toDoubleArray());
        assertEquals(Math.sqrt(9 + 0.25 + 4), c.norm(), 1e-15);
    }

    @Test
    void clippingNeverWritesIntoTheGradientsItWasGiven() {
        // a + b with equal shapes: both parameters may receive the very same gradient tensor
        Parameter a = param(1, 2), b = param(3, 4);
        a.value().add(b.value()).mul(10).sum().backward();
        Map<String, Tensor> g = Gradients.of(params("a", a, "b", b));
        Gradients.clipByNorm(g, 1);
        Gradients.clipByValue(g, 1);
        assertArrayEquals(new double[] {10, 10}, a.value().grad().toDoubleArray());
        assertArrayEquals(new double[] {10, 10}, b.value().grad().toDoubleArray());
    }

    @Test
    void firstNonFiniteNamesTheParameterAndElement() {
        Map<String, Tensor> g = new LinkedHashMap<>();
        g.put("ok", f64(1, 2));
        g.put("bad", f64(0, Double.NaN, Double.POSITIVE_INFINITY));
        g.put("worse", f64(Double.NaN));
        Gradients.NonFinite nf = Gradients.firstNonFinite(g);
        assertEquals("bad", nf.parameter());
        assertEquals(1, nf.index());
        assertEquals("the gradient of 'bad' is not finite (NaN at element 1 of [3])", nf.describe());
        g.remove("bad");
        g.remove("worse");
        assertNull(Gradients.firstNonFinite(g));
    }

    @Property(tries = 100, seed = "3")
    void clippedGradientsNeverExceedTheLimitAndKeepTheirDirection(@ForAll("vectors") double[] a, @ForAll("vectors") double[] b,
                                                                 @ForAll @DoubleRange(min = 0.01, max = 10) double max) {
        Map<String, Tensor> g = new LinkedHashMap<>();
        g.put("a", f64(a));
        g.put("b", f64(b));
        Gradients.Clipped c = Gradients.clipByNorm(g, max);
        double after = Gradients.globalNorm(c.gradients());
        assertTrue(after <= max * (1 + 1e-9), after + " > " + max);
        if (!c.clipped()) assertEquals(c.norm(), after, 0.0);
        if (c.norm() == 0) return;
        double scale = after / c.norm();
        double[] ca = c.gradients().get("a").toDoubleArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i] * scale, ca[i], 1e-12 * (1 + Math.abs(a[i])));
    }

    @Provide
    Arbitrary<double[]> vectors() {
        return Arbitraries.doubles().between(-100, 100).array(double[].class).ofMinSize(1).ofMaxSize(6);
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Gradients.clipByNorm(threeFourTwelve(), 0));
        assertThrows(IllegalArgumentException.class, () -> Gradients.clipByValue(threeFourTwelve(), -1));
    }
}
