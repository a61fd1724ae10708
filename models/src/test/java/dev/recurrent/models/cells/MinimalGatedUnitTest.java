package dev.recurrent.models.cells;

import dev.recurrent.core.GradMode;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Fixtures;
import dev.recurrent.models.Modules;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.SimpleCell;
import dev.recurrent.models.Unrolled;
import dev.recurrent.models.Unroller;
import dev.recurrent.models.check.StepCheck;
import dev.recurrent.models.layers.Linear;
import dev.recurrent.models.layers.Recurrent;
import dev.recurrent.models.sequences.Sequences;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A researcher's own cell in a few lines (the README snippet): it unrolls, stacks and checks like the
 * built-in ones. Minimal gated unit, Zhou et al. 2016.
 */
class MinimalGatedUnitTest {
    /** Minimal gated unit: one gate f; h' = (1-f)·h + f·tanh(W_n x + U_n (f·h)). x:[B,I], h:[B,H] -> [B,H]. */
    static final class Mgu implements SimpleCell {
        private final Linear wx, uf, un;                            // wx fused [2H, I]: rows f then n
        private final int in, hidden;

        Mgu(int in, int hidden, Options o, Random random) {
            this.in = in;
            this.hidden = hidden;
            wx = Linear.of(in, 2 * hidden, o, random);
            uf = Linear.of(hidden, hidden, o, random);
            un = Linear.of(hidden, hidden, o, random);
        }

        @Override public Tensor step(Tensor x, Tensor h) {
            Tensor[] a = wx.apply(x).chunk(2, 1);
            Tensor f = a[0].add(uf.apply(h)).sigmoid();
            Tensor n = a[1].add(un.apply(f.mul(h))).tanh();
            return h.add(f.mul(n.sub(h)));                          // (1-f)·h + f·n
        }

        @Override public int inputSize() { return in; }
        @Override public int hiddenSize() { return hidden; }
        @Override public Map<String, Parameter> parameters() { return Modules.join("wx", wx, "uf", uf, "un", un); }
    }

    @Test
    void itsGradientsAreRightAtEveryStepAndAsALayer() {
        Random r = new Random(1);
        Mgu cell = new Mgu(2, 3, Fixtures.f64(), r);
        StepCheck.run("Mgu", cell, Fixtures.randn(r, 6, 2, 2), null, null, run -> run.outputs().tanh().sum()).assertPasses();
        Recurrent<Tensor> layer = Recurrent.builder((in, rr) -> new Mgu(in, 2, Fixtures.f64(), rr)).inputSize(2).layers(2).bidirectional(true).seed(3).build();
        assertTrue(layer.parameters().containsKey("wx.weight_l1_reverse"), layer.parameters().keySet().toString());
        dev.recurrent.models.check.RecurrentGradientPropertyTest.check(layer, "Mgu layer", Fixtures.randn(r, 4, 2, 2), true, new int[] {4, 2}, r)
                .assertPasses();
    }

    /** Many-to-one: learn the sum of the first input's features after 5 steps of noise. */
    @Test
    void itTrainsBriefly() {
        Random r = new Random(7);
        Mgu cell = new Mgu(2, 8, Fixtures.f64(), r);
        Linear head = Linear.of(8, 1, Fixtures.f64(), r);
        Map<String, Parameter> params = Modules.join("cell", cell, "head", head);
        Tensor x = Fixtures.randn(r, 6, 32, 2);
        Tensor target = x.slice(0, 0, 1).reshape(32, 2).sum(true, 1);
        double first = 0, last = 0;
        for (int step = 0; step < 150; step++) {
            Unrolled<Tensor> run = Unroller.of(cell).run(x);
            Tensor loss = head.apply(Sequences.lastStep(run.outputs(), null)).mse(target);
            if (step == 0) first = loss.item();
            last = loss.item();
            loss.backward();
            try (GradMode.Scope off = GradMode.off()) {                // plain SGD
                for (Parameter p : params.values()) {
                    p.value().assign(p.value().sub(p.value().grad().mul(0.5)));
                    p.value().zeroGrad();
                }
            }
        }
        assertTrue(last < 0.3 * first, "loss " + first + " -> " + last);
    }
}
