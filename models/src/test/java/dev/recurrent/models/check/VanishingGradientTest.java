package dev.recurrent.models.check;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Activation;
import dev.recurrent.models.Fixtures;
import dev.recurrent.models.Options;
import dev.recurrent.models.Unrolled;
import dev.recurrent.models.Unroller;
import dev.recurrent.models.cells.ElmanCell;
import dev.recurrent.models.cells.LstmCell;
import dev.recurrent.models.cells.LstmState;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vanishing-gradient story, measured with {@link GradientFlow#norms}: on the same random sequences and
 * the same loss on the last step, ||dL/dh_t|| of an Elman network shrinks much faster with the distance
 * T-1-t than an LSTM's. Both use PyTorch's default init; the LSTM's forget-gate bias starts at 1 (Gers et
 * al.; Jozefowicz et al. 2015). Without it (forget gate ≈ σ(0) = 0.5) the LSTM's gradient decays about as
 * fast as the Elman one at init: the forget bias is what keeps the cell-state path open.
 */
class VanishingGradientTest {
    static final int T = 40, B = 4, I = 4, H = 16;

    @Test
    void elmanGradientsVanishMuchFasterThanLstms() {
        for (long seed = 1; seed <= 3; seed++) {
            Random data = new Random(seed);
            Tensor x = Fixtures.randn(data, T, B, I), v = Fixtures.randn(data, B, H);
            Options o = Fixtures.f64();

            ElmanCell elman = new ElmanCell(I, H, Activation.TANH, o, new Random(seed));
            Unrolled<Tensor> e = Unroller.of(elman).fused(false).run(x);
            double[] ne = GradientFlow.norms(elman, e, e.finalState().mul(v).sum());

            LstmCell lstm = new LstmCell(I, H, o.withForgetBias(1.0), new Random(seed));
            Unrolled<LstmState> l = Unroller.of(lstm).fused(false).run(x);
            double[] nl = GradientFlow.norms(lstm, l, l.finalState().h().mul(v).sum());

            assertEquals(T, ne.length);
            double elmanRatio = ne[0] / ne[T - 1], lstmRatio = nl[0] / nl[T - 1];
            double elmanRate = GradientFlow.decayPerStep(ne, 0, T - 1), lstmRate = GradientFlow.decayPerStep(nl, 0, T - 1);
            String report = String.format("seed %d: ||dL/dh_0|| / ||dL/dh_%d|| elman %.3g, lstm %.3g; per-step decay elman %.3f, lstm %.3f",
                    seed, T - 1, elmanRatio, lstmRatio, elmanRate, lstmRate);
            assertTrue(lstmRatio > 1e4 * elmanRatio, report);
            assertTrue(lstmRate > elmanRate + 0.15, report);
        }
    }

    @Test
    void normsAreThoseOfTheStateGradients() {
        Random r = new Random(5);
        ElmanCell cell = new ElmanCell(2, 3, Activation.TANH, Fixtures.f64(), r);
        Unrolled<Tensor> run = Unroller.of(cell).fused(false).run(Fixtures.randn(r, 4, 2, 2));
        // loss on the last step only: dL/dh_3 = v, so its norm is ||v||
        Tensor v = Fixtures.randn(r, 2, 3);
        double[] norms = GradientFlow.norms(cell, run, run.finalState().mul(v).sum());
        double want = 0;
        for (double a : v.toDoubleArray()) want += a * a;
        assertEquals(Math.sqrt(want), norms[3], 1e-12);
        for (int t = 0; t < 3; t++) assertTrue(norms[t] > 0 && norms[t] < norms[t + 1] * 10);
    }
}
