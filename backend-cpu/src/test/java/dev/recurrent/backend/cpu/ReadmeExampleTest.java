package dev.recurrent.backend.cpu;

import dev.recurrent.core.Autograd;
import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.check.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's examples, line for line, with their results worked out by hand. */
class ReadmeExampleTest {
    /** y = x³.  VJP: dx = 3x²·dy.  Saves x. */
    static final class Cube implements Op {
        public String name() { return "cube"; }
        public Shape shape(Shape... in) { return in[0]; }
        public Storage forward(Backend be, Shape out, Tensor... in) { return be.scalar(ScalarOp.POW, in[0].storage(), 3); }
        public Tensor[] vjp(Tensor dy, Tensor y, Tensor... in) { return new Tensor[] {dy.mul(in[0].pow(2).mul(3))}; }
    }

    /** The same op with the classic slip: dx = 3x·dy. */
    static final class WrongCube implements Op {
        public String name() { return "wrong cube"; }
        public Shape shape(Shape... in) { return in[0]; }
        public Storage forward(Backend be, Shape out, Tensor... in) { return be.scalar(ScalarOp.POW, in[0].storage(), 3); }
        public Tensor[] vjp(Tensor dy, Tensor y, Tensor... in) { return new Tensor[] {dy.mul(in[0].mul(3))}; }
    }

    @Test
    void functionValueAndGradients() {
        try (Backends.Use use = Backends.use(Backends.get("java"))) {
            Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
            Tensor w = Tensor.of(new double[] {0.5, -1, 0.25, 2}, 2, 2).requiresGrad(true);
            Tensor y = x.matmul(w).tanh().sum();
            y.backward();

            // x·w = [[1, 3], [2.5, 5]]; y = Σ tanh; dy/dx = (1 - tanh²(xw))·wᵀ, dy/dw = xᵀ·(1 - tanh²(xw))
            double[] z = {1, 3, 2.5, 5}, d = new double[4];
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                sum += Math.tanh(z[i]);
                d[i] = 1 - Math.tanh(z[i]) * Math.tanh(z[i]);
            }
            assertEquals(sum, y.item(), 1e-12);
            double[] gx = {d[0] * 0.5 + d[1] * -1, d[0] * 0.25 + d[1] * 2, d[2] * 0.5 + d[3] * -1, d[2] * 0.25 + d[3] * 2};
            double[] gw = {1 * d[0] + 3 * d[2], 1 * d[1] + 3 * d[3], 2 * d[0] + 4 * d[2], 2 * d[1] + 4 * d[3]};
            assertArrayEquals(gx, x.grad().toDoubleArray(), 1e-12);
            assertArrayEquals(gw, w.grad().toDoubleArray(), 1e-12);

            Tensor a = Tensor.scalar(0.3).requiresGrad(true);
            Tensor da = Autograd.grad(a.tanh(), List.of(a), null, true, true).get(0);
            Tensor dda = Autograd.grad(da, List.of(a)).get(0);
            double t = Math.tanh(0.3);
            assertEquals(1 - t * t, da.item(), 1e-12);
            assertEquals(-2 * t * (1 - t * t), dda.item(), 1e-12);
        }
    }

    @Test
    void userOpIsCheckedAndAWrongVjpIsCaught() {
        try (Backends.Use use = Backends.use(Backends.get("java"))) {
            Tensor x = Tensor.of(new double[] {0.5, -1.5, 2}, 3);
            GradCheck.of("cube", xs -> Tensor.apply(new Cube(), xs.get(0)).sum()).on(x).assertPasses();

            var report = GradCheck.of("wrong cube", xs -> Tensor.apply(new WrongCube(), xs.get(0)).sum()).on(x);
            assertFalse(report.passed());
            // worst element: x = -1.5, where the wrong rule gives 3x = -4.5 and the truth is 3x² = 6.75
            assertTrue(report.message().contains("wrong cube") && report.message().contains("element [1]")
                    && report.message().contains("analytic -4.5") && report.message().contains("numeric 6.74"), report.message());
            assertThrows(AssertionError.class, report::assertPasses);
        }
    }
}
