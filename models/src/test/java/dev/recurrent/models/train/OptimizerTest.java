package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import dev.recurrent.core.GradMode;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static dev.recurrent.models.train.TrainFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Optimizer updates against steps worked out by hand (PyTorch's torch.optim formulas), on one scalar. */
class OptimizerTest {
    private static final double TOL = 1e-12;

    /** Runs the optimizer made by {@code make} on p = 1 with gradients 0.5 then -0.25; returns p after each step. */
    private static double[] twoSteps(Function<Map<String, Parameter>, Optimizer> make) {
        Parameter p = param(1.0);
        Optimizer o = make.apply(params("p", p));
        o.step(grads("p", 0.5));
        double first = value(p);
        o.step(grads("p", -0.25));
        return new double[] {first, value(p)};
    }

    @Test
    void plainSgd() {
        double[] p = twoSteps(m -> new Sgd(m, 0.1));
        assertEquals(1 - 0.1 * 0.5, p[0], TOL);
        assertEquals(0.95 + 0.1 * 0.25, p[1], TOL);
    }

    @Test
    void sgdWithWeightDecayAddsLambdaP() {
        double[] p = twoSteps(m -> new Sgd(m, 0.1, 0, 0, 0.1, false));
        assertEquals(1 - 0.1 * (0.5 + 0.1 * 1), p[0], TOL);          // 0.94
        assertEquals(0.94 - 0.1 * (-0.25 + 0.1 * 0.94), p[1], TOL);
    }

    @Test
    void heavyBallMomentum() {
        double[] p = twoSteps(m -> Sgd.momentum(m, 0.1, 0.9, false));
        // b1 = g1 = 0.5 (first step copies the gradient); b2 = 0.9 * 0.5 - 0.25 = 0.2
        assertEquals(1 - 0.1 * 0.5, p[0], TOL);
        assertEquals(0.95 - 0.1 * 0.2, p[1], TOL);
    }

    @Test
    void nesterovMomentum() {
        double[] p = twoSteps(m -> Sgd.momentum(m, 0.1, 0.9, true));
        // step 1: b = 0.5, g' = 0.5 + 0.9 * 0.5 = 0.95;  step 2: b = 0.2, g' = -0.25 + 0.9 * 0.2 = -0.07
        assertEquals(1 - 0.1 * 0.95, p[0], TOL);
        assertEquals(0.905 + 0.1 * 0.07, p[1], TOL);
    }

    @Test
    void dampenedMomentumSkipsDampingOnTheFirstStep() {
        double[] p = twoSteps(m -> new Sgd(m, 0.1, 0.9, 0.5, 0, false));
        // b1 = 0.5; b2 = 0.9 * 0.5 + (1 - 0.5) * -0.25 = 0.325
        assertEquals(0.95, p[0], TOL);
        assertEquals(0.95 - 0.1 * 0.325, p[1], TOL);
    }

    @Test
    void twoAdamStepsByHand() {
        double[] p = twoSteps(m -> Adam.adam(m, 0.1));
        // t=1: m = 0.05, v = 0.00025; m^ = 0.5, v^ = 0.25; p = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
        double m1 = 0.1 * 0.5, v1 = 0.001 * 0.25;
        double p1 = 1 - (0.1 / 0.1) * m1 / (Math.sqrt(v1) / Math.sqrt(0.001) + 1e-8);
        assertEquals(0.900000002, p1, 1e-15);
        assertEquals(p1, p[0], TOL);
        // t=2: m = 0.9 * 0.05 + 0.1 * -0.25 = 0.02, v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225
        double m2 = 0.02, v2 = 0.00031225, bc1 = 1 - 0.81, bc2 = 1 - 0.998001;
        double p2 = p1 - (0.1 / bc1) * m2 / (Math.sqrt(v2) / Math.sqrt(bc2) + 1e-8);
        assertEquals(0.8733662987078463, p2, 1e-12);
        assertEquals(p2, p[1], TOL);
    }

    @Test
    void adamWDecaysTheWeightsBeforeTheAdamStep() {
        double[] p = twoSteps(m -> Adam.adamW(m, 0.1, 0.1));
        assertEquals(0.890000002, p[0], TOL);               // 1 * (1 - 0.01) - 0.1 * 0.5 / (0.5 + 1e-8)
        assertEquals(0.8544662986878463, p[1], TOL);
    }

    @Test
    void adamWithL2DecayFoldsItIntoTheGradient() {
        Parameter a = param(1.0), b = param(1.0);
        Optimizer l2 = new Adam(params("p", a), 0.1, 0.9, 0.999, 1e-8, 0.1, false, false);
        Optimizer plain = Adam.adam(params("p", b), 0.1);
        l2.step(grads("p", 0.5));
        plain.step(grads("p", 0.5 + 0.1 * 1.0));
        assertEquals(value(b), value(a), 0.0);
    }

    @Test
    void amsgradUsesTheLargestSecondMoment() {
        Parameter a = param(1.0);
        Optimizer o = new Adam(params("p", a), 0.1, 0.9, 0.999, 1e-8, 0, true, false);
        o.step(grads("p", 0.5));
        o.step(grads("p", 0.0));
        double v1 = 0.00025, v2 = 0.999 * v1;                          // v shrinks; vmax keeps v1
        double p1 = 0.900000002, m2 = 0.9 * 0.05;
        assertEquals(p1 - (0.1 / 0.19) * m2 / (Math.sqrt(v1) / Math.sqrt(1 - 0.998001) + 1e-8), value(a), TOL);
        assertTrue(v2 < v1);
        assertEquals(v1, o.stateTensors().get("p.max_exp_avg_sq").item(), 1e-18);
    }

    @Test
    void adagradByHand() {
        double[] p = twoSteps(m -> new Adagrad(m, 0.1));
        assertEquals(0.90000000002, p[0], TOL);                         // 1 - 0.1 * 0.5 / (sqrt(0.25) + 1e-10)
        assertEquals(0.9447213595619958, p[1], TOL);                    // + 0.1 * 0.25 / sqrt(0.3125)
    }

    @Test
    void adagradLearningRateDecay() {
        double[] p = twoSteps(m -> new Adagrad(m, 0.1, 1.0, 0, 0, 1e-10));
        // second step's rate is 0.1 / (1 + 1 * 1.0) = 0.05
        assertEquals(0.90000000002 + 0.05 * 0.25 / (Math.sqrt(0.3125) + 1e-10), p[1], TOL);
    }

    @Test
    void rmspropByHand() {
        double[] p = twoSteps(m -> new RmsProp(m, 0.01));
        double v1 = 0.01 * 0.25, p1 = 1 - 0.01 * 0.5 / (Math.sqrt(v1) + 1e-8);
        double v2 = 0.99 * v1 + 0.01 * 0.0625, p2 = p1 + 0.01 * 0.25 / (Math.sqrt(v2) + 1e-8);
        assertEquals(p1, p[0], TOL);
        assertEquals(p2, p[1], TOL);
    }

    @Test
    void centeredRmspropByHand() {
        double[] p = twoSteps(m -> new RmsProp(m, 0.01, 0.99, 1e-8, 0, 0, true));
        assertEquals(0.899496238676095, p[0], TOL);
        assertEquals(0.9444410903350491, p[1], TOL);
    }

    @Test
    void rmspropMomentumBuffersTheScaledGradient() {
        double[] p = twoSteps(m -> new RmsProp(m, 0.01, 0.99, 1e-8, 0, 0.9, false));
        double v1 = 0.0025, b1 = 0.5 / (Math.sqrt(v1) + 1e-8), p1 = 1 - 0.01 * b1;
        double v2 = 0.99 * v1 + 0.01 * 0.0625, b2 = 0.9 * b1 - 0.25 / (Math.sqrt(v2) + 1e-8);
        assertEquals(p1, p[0], TOL);
        assertEquals(p1 - 0.01 * b2, p[1], TOL);
    }

    @Test
    void stepReadsTheAutogradGradientsAndSkipsParametersWithout() {
        Parameter w = param(2.0, -1.0), unused = param(5.0);
        Optimizer o = new Sgd(params("w", w, "unused", unused), 0.5);
        Tensor loss = w.value().mul(w.value()).sum();                   // dL/dw = 2w
        loss.backward();
        o.step();
        assertArrayEquals(new double[] {2 - 0.5 * 4, -1 + 0.5 * 2}, w.value().toDoubleArray(), TOL);
        assertEquals(5.0, value(unused));
        assertEquals(1, o.updates("w"));
        assertEquals(0, o.updates("unused"));
        o.zeroGrad();
        assertNull(w.value().grad());
    }

    @Test
    void savedStateContinuesBitForBit() {
        for (String name : Optimizers.NAMES) {
            Parameter a = param(0.3, -0.7), b = param(0.3, -0.7);
            Optimizer first = Optimizers.create(name, params("w", a), 0.05, 0.01);
            double[][] g = {{0.5, -0.2}, {0.1, 0.4}, {-0.3, 0.3}, {0.2, 0.2}, {-0.1, -0.5}};
            for (int i = 0; i < 3; i++) first.step(grads("w", g[i]));
            JsonObject json = JsonFiles.parse(JsonFiles.format(first.toJson())).getAsJsonObject();   // through text, as in a file
            Map<String, Tensor> state = Trainer.copies(first.stateTensors());
            try (GradMode.Scope off = GradMode.off()) {
                b.value().assign(a.value());
            }
            Optimizer second = Optimizers.restore(params("w", b), json, state);
            assertEquals(first.toJson(), second.toJson(), name);
            for (int i = 3; i < 5; i++) {
                first.step(grads("w", g[i]));
                second.step(grads("w", g[i]));
            }
            assertArrayEquals(a.value().toDoubleArray(), b.value().toDoubleArray(), 0.0, name + " diverged after restore");
        }
    }

    @Test
    void restoreRejectsStateOfAnotherShapeOrType() {
        Parameter a = param(1, 2);
        Optimizer adam = Adam.adam(params("w", a), 0.1);
        Map<String, Tensor> state = adam.stateTensors();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sgd(params("w", param(1, 2)), 0.1, 0.9, 0, 0, false).load(adam.toJson(), state));
        assertEquals("optimizer state is for 'adam'; this optimizer is 'sgd'", e.getMessage());
        Optimizer other = Adam.adam(params("w", param(1, 2, 3)), 0.1);
        e = assertThrows(IllegalArgumentException.class, () -> other.load(adam.toJson(), state));
        assertTrue(e.getMessage().contains("'w.exp_avg' has shape [2], expected [3]"), e.getMessage());
    }

    @Test
    void badHyperparametersAndGradientsAreNamed() {
        Map<String, Parameter> ps = params("w", param(1.0));
        assertEquals("adam: beta1 must be in [0, 1); got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1.0, 0.999, 1e-8, 0, false, false)).getMessage());
        assertEquals("sgd: Nesterov momentum needs momentum > 0 and dampening 0; got momentum=0.0, dampening=0.0",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, 0, 0, true)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adamax", ps, 0.1)).getMessage()
                .startsWith("unknown optimizer 'adamax'; expected one of sgd, momentum"));
        Optimizer o = new Sgd(ps, 0.1);
        assertEquals("sgd: the gradient of 'w' has shape [2]; the parameter has [1]",
                assertThrows(IllegalArgumentException.class, () -> o.step(grads("w", 1, 2))).getMessage());
    }
}
