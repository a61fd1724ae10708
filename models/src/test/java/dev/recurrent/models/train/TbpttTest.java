package dev.recurrent.models.train;

import dev.recurrent.core.DType;
import dev.recurrent.core.GradMode;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.data.Batch;
import dev.recurrent.models.data.BatchOptions;
import dev.recurrent.models.data.Rng;
import dev.recurrent.models.data.SineWave;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TbpttTest {
    private static String plan(Tbptt t, int steps) {
        StringBuilder sb = new StringBuilder();
        for (Tbptt.Window w : t.windows(steps)) {
            sb.append("run[").append(w.start()).append(',').append(w.end()).append(") score[").append(w.scoredFrom()).append(',')
                    .append(w.end()).append(") carry@").append(w.carryAt()).append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void equalK1K2GivesConsecutiveWindows() {
        assertEquals("run[0,3) score[0,3) carry@3 run[3,6) score[3,6) carry@6 run[6,8) score[6,8) carry@8", plan(Tbptt.of(3), 8));
    }

    @Test
    void largerK2OverlapsAndReRunsFromAStoredState() {
        // k1 = 2, k2 = 3: each update scores 2 new steps and backpropagates through 3
        assertEquals("run[0,2) score[0,2) carry@1 run[1,4) score[2,4) carry@3 run[3,6) score[4,6) carry@6", plan(new Tbptt(2, 3), 6));
        // every window re-runs k2 - k1 = 2 steps before its new ones (fewer at the start)
        assertEquals("run[0,2) score[0,2) carry@0 run[0,4) score[2,4) carry@2 run[2,5) score[4,5) carry@5", plan(new Tbptt(2, 4), 5));
    }

    @Property(tries = 200, seed = "7")
    void windowsScoreEveryStepOnceAndChainTheirStates(@ForAll @IntRange(min = 1, max = 60) int steps,
                                                      @ForAll @IntRange(min = 1, max = 20) int k1, @ForAll @IntRange(min = 0, max = 20) int extra) {
        Tbptt t = new Tbptt(k1, k1 + extra);
        List<Tbptt.Window> ws = t.windows(steps);
        int scored = 0;
        for (int i = 0; i < ws.size(); i++) {
            Tbptt.Window w = ws.get(i);
            assertEquals(scored, w.scoredFrom(), "scored ranges are consecutive");
            assertTrue(w.start() <= w.scoredFrom() && w.scoredFrom() < w.end());
            assertTrue(w.end() - w.scoredFrom() <= k1 && w.end() - w.start() <= k1 + extra);
            assertEquals(Math.max(0, w.scoredFrom() - extra), w.start(), "re-runs k2 - k1 steps before the new ones");
            assertTrue(w.start() <= w.carryAt() && w.carryAt() <= w.end());
            if (i + 1 < ws.size()) assertEquals(ws.get(i + 1).start(), w.carryAt(), "the next window starts from the carried state");
            scored = w.end();
        }
        assertEquals(steps, scored);
    }

    @Test
    void fullIsOneWindow() {
        assertEquals("run[0,7) score[0,7) carry@7", plan(Tbptt.full(), 7));
        assertEquals("run[0,7) score[0,7) carry@7", plan(Tbptt.of(50), 7));
    }

    @Test
    void parsingAndErrors() {
        assertEquals(new Tbptt(20, 40), Tbptt.parse("20,40"));
        assertEquals(Tbptt.of(25), Tbptt.parse("25"));
        assertTrue(Tbptt.parse("full").isFull());
        assertEquals("tbptt: k2 (steps backpropagated) must be >= k1 (steps between updates); got k1=5, k2=3",
                assertThrows(IllegalArgumentException.class, () -> Tbptt.parse("5,3")).getMessage());
        assertEquals("tbptt: expected whole numbers K1,K2 (e.g. 50,50); got 'a,b'",
                assertThrows(IllegalArgumentException.class, () -> Tbptt.parse("a,b")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tbptt.parse("0"));
    }

    /** A GRU regression model on a many-to-many sine task, F64, with SGD. */
    private record Setup(RecurrentModel<?> model, Sgd sgd, SineWave data) {
        static Setup make() {
            RecurrentModel<?> m = RecurrentModel.create(ModelSpec.of("gru", 1, 5, 1).withDtype(DType.F64), 11, null);
            return new Setup(m, new Sgd(m.parameters(), 0.1), new SineWave(6, false, BatchOptions.of(3, 2).withDtype(DType.F64)));
        }
    }

    /** The documented semantics written out by hand for k1 = 2, k2 = 3, T = 6; the trainer must match it bit for bit. */
    @Test
    void trainerFollowsTheDocumentedSemantics() {
        Setup a = Setup.make(), b = Setup.make();
        new Trainer<>(a.model(), a.sgd(), a.data(), TrainOptions.of(1).withTbptt(new Tbptt(2, 3)), new Rng(0)).run();

        Batch batch = b.data().batch(0);
        RecurrentModel<?> m = b.model();
        // window 0: run [0,1) and [1,2) from zeros, keep the state entering step 1; score [0,2)
        var f0 = m.forward(batch, 0, 1, null);
        List<Tensor> carry1 = m.detach(f0.state());
        var f1 = m.forward(batch, 1, 2, f0.state());
        update(m, b.sgd(), Tensor.concat(0, f0.outputs(), f1.outputs()), batch, 0, 2);
        // window 1: from the stored state at 1, re-run [1,2) unscored, run [2,3), keep the state at 3, run [3,4); score [2,4)
        var g0 = m.forward(batch, 1, 2, carry1);
        var g1 = m.forward(batch, 2, 3, g0.state());
        List<Tensor> carry3 = m.detach(g1.state());
        var g2 = m.forward(batch, 3, 4, g1.state());
        update(m, b.sgd(), Tensor.concat(0, g1.outputs(), g2.outputs()), batch, 2, 4);
        // window 2: from the stored state at 3, re-run [3,4) unscored, run [4,6); score [4,6)
        var h0 = m.forward(batch, 3, 4, carry3);
        var h1 = m.forward(batch, 4, 6, h0.state());
        update(m, b.sgd(), h1.outputs(), batch, 4, 6);

        assertSameWeights(a.model().parameters(), b.model().parameters());
    }

    @Test
    void oneWindowOfTheWholeSequenceIsOrdinaryBptt() {
        Setup a = Setup.make(), b = Setup.make();
        new Trainer<>(a.model(), a.sgd(), a.data(), TrainOptions.of(2).withTbptt(Tbptt.of(6)), new Rng(0)).run();
        new Trainer<>(b.model(), b.sgd(), b.data(), TrainOptions.of(2), new Rng(0)).run();
        assertSameWeights(a.model().parameters(), b.model().parameters());
    }

    @Test
    void windowsWithNothingToScoreMakeNoUpdate() {
        // many-to-one: only the last step is scored, so of three windows only the last one updates
        RecurrentModel<?> m = RecurrentModel.create(ModelSpec.of("elman", 1, 4, 1).withDtype(DType.F64), 3, null);
        Sgd sgd = new Sgd(m.parameters(), 0.1);
        StepMetrics s = new Trainer<>(m, sgd, new SineWave(9, true, BatchOptions.of(2, 1).withDtype(DType.F64)),
                TrainOptions.of(1).withTbptt(Tbptt.of(3)), new Rng(0)).step();
        assertEquals(1, s.updates());
        assertEquals(1, sgd.updates());
    }

    private static void update(RecurrentModel<?> m, Sgd sgd, Tensor outputs, Batch batch, int from, int to) {
        m.loss(outputs, batch, from, to).backward();
        sgd.step();
        sgd.zeroGrad();
    }

    static void assertSameWeights(Map<String, Parameter> want, Map<String, Parameter> got) {
        assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()));
        try (GradMode.Scope off = GradMode.off()) {
            want.forEach((name, p) -> assertArrayEquals(p.value().toDoubleArray(), got.get(name).value().toDoubleArray(), 0.0, name));
        }
    }
}
