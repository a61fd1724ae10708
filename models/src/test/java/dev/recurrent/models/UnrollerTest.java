package dev.recurrent.models;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.cells.GruCell;
import dev.recurrent.models.cells.LstmCell;
import dev.recurrent.models.cells.LstmState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unroller: shapes, errors prefixed with the step, lengths (freeze, zero padding, no gradient) and reverse. */
class UnrollerTest {
    static void assertClose(Tensor want, Tensor got) { Fixtures.assertClose(want, got); }

    final Random r = new Random(11);

    @Test
    void outputsAreStackedAndTheFinalStateIsTheLastStep() {
        LstmCell cell = new LstmCell(3, 4, Fixtures.f64(), r);
        Unrolled<LstmState> run = Unroller.of(cell).run(Fixtures.randn(r, 5, 2, 3));
        assertEquals(List.of(5, 2, 4), List.of(run.outputs().dim(0), run.outputs().dim(1), run.outputs().dim(2)));
        assertArrayEquals(run.outputs().slice(0, 4, 5).reshape(2, 4).toDoubleArray(), run.finalState().h().toDoubleArray());
        assertEquals(5, run.steps());
    }

    @Test
    void aWrongInputWidthNamesTheCellAndTheStep() {
        LstmCell cell = new LstmCell(128, 2, Fixtures.f64(), r);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Unroller.of(cell).run(Fixtures.randn(r, 3, 1, 130)));
        assertEquals("LstmCell step t=0: input has 130 features, the cell expects 128", e.getMessage());
    }

    /** A cell that fails at one step: the unroller says which. */
    @Test
    void anErrorInsideAStepIsPrefixedWithThatStep() {
        GruCell gru = new GruCell(2, 3, Fixtures.f64(), r);
        SimpleCell failsAt17 = new SimpleCell() {
            int calls;
            @Override public Tensor step(Tensor x, Tensor h) {
                return gru.step(calls++ == 17 ? Tensor.concat(1, x, x) : x, h);
            }
            @Override public int inputSize() { return 2; }
            @Override public int hiddenSize() { return 3; }
            @Override public Map<String, Parameter> parameters() { return gru.parameters(); }
            @Override public String name() { return "GruCell"; }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Unroller.of(failsAt17).run(Fixtures.randn(r, 20, 1, 2)));
        assertEquals("GruCell step t=17: input has 4 features, the cell expects 2", e.getMessage());
    }

    @Test
    void badShapesAreClearErrors() {
        GruCell cell = new GruCell(2, 3, Fixtures.f64(), r);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Unroller.of(cell).run(Fixtures.randn(r, 4, 2)))
                .getMessage().contains("time-major [T, B, I]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Unroller.of(cell).lengths(new int[] {1}).run(Fixtures.randn(r, 4, 2, 2)))
                .getMessage().contains("1 lengths for a batch of 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Unroller.of(cell).lengths(new int[] {1, 5}).run(Fixtures.randn(r, 4, 2, 2)))
                .getMessage().contains("lengths[1] = 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Unroller.of(cell).initial(Fixtures.randn(r, 2, 4)).run(Fixtures.randn(r, 4, 2, 2)))
                .getMessage().contains("step t=0: state h has shape [2, 4], expected [2, 3]"));
    }

    /** Each sequence of a padded batch gives exactly what it gives alone, padded outputs are 0 and get no gradient. */
    @Test
    void variableLengthsMatchRunningEachSequenceAlone() {
        LstmCell cell = new LstmCell(2, 3, Fixtures.f64(), r);
        int[] lengths = {4, 1, 6, 3};
        Tensor x = Fixtures.randn(r, 6, 4, 2).detach().requiresGrad(true);
        Unrolled<LstmState> run = Unroller.of(cell).lengths(lengths).run(x);
        for (int b = 0; b < lengths.length; b++) {
            Tensor alone = x.detach().slice(1, b, b + 1).slice(0, 0, lengths[b]);
            Unrolled<LstmState> single = Unroller.of(cell).run(alone);
            assertClose(single.finalState().h(), run.finalState().h().slice(0, b, b + 1));
            assertClose(single.finalState().c(), run.finalState().c().slice(0, b, b + 1));
            assertClose(single.outputs(), run.outputs().slice(1, b, b + 1).slice(0, 0, lengths[b]));
            for (int t = lengths[b]; t < 6; t++) {
                for (double v : run.outputs().slice(0, t, t + 1).slice(1, b, b + 1).toDoubleArray()) assertEquals(0.0, v);
            }
        }
        run.outputs().sum().add(run.finalState().c().sum()).backward();
        double[] g = x.grad().toDoubleArray();
        for (int t = 0; t < 6; t++) {
            for (int b = 0; b < 4; b++) {
                for (int i = 0; i < 2; i++) {
                    double v = g[(t * 4 + b) * 2 + i];
                    if (t >= lengths[b]) assertEquals(0.0, v, "padded input x[" + t + "][" + b + "] gets no gradient");
                }
            }
        }
    }

    /** Reversed with lengths: each sequence runs over its own valid part backwards, from the initial state. */
    @Test
    void reverseRunsTheValidPartBackwards() {
        GruCell cell = new GruCell(2, 3, Fixtures.f64(), r);
        int[] lengths = {2, 5, 4};
        Tensor x = Fixtures.randn(r, 5, 3, 2);
        Unrolled<Tensor> run = Unroller.of(cell).lengths(lengths).reverse(true).run(x);
        for (int b = 0; b < lengths.length; b++) {
            List<Tensor> steps = new ArrayList<>();
            for (int t = lengths[b] - 1; t >= 0; t--) steps.add(x.slice(0, t, t + 1).slice(1, b, b + 1));
            Unrolled<Tensor> alone = Unroller.of(cell).run(Tensor.concat(0, steps));
            assertClose(alone.finalState(), run.finalState().slice(0, b, b + 1));
            // output at position t of the reversed run = output at step (len-1-t) of the reversed sequence
            for (int t = 0; t < lengths[b]; t++) {
                int k = lengths[b] - 1 - t;
                assertClose(alone.outputs().slice(0, k, k + 1), run.outputs().slice(0, t, t + 1).slice(1, b, b + 1));
            }
        }
    }

    @Test
    void aTapSeesEveryStepInTimeOrderOrReversed() {
        GruCell cell = new GruCell(1, 1, Fixtures.f64(), r);
        List<Integer> seen = new ArrayList<>();
        Unroller.of(cell).reverse(true).tap((t, s) -> { seen.add(t); return s; }).run(Fixtures.randn(r, 4, 1, 1));
        assertEquals(List.of(3, 2, 1, 0), seen);
    }

    /** A fused run (one node) and a step-by-step run give the same states at every t, in both directions. */
    @Test
    void fusedStatesEqualTheStepGraphStates() {
        LstmCell cell = new LstmCell(2, 3, Fixtures.f64(), r);
        Tensor x = Fixtures.randn(r, 5, 2, 2);
        for (boolean reverse : new boolean[] {false, true}) {
            Unrolled<LstmState> fused = Unroller.of(cell).reverse(reverse).run(x);
            Unrolled<LstmState> steps = Unroller.of(cell).reverse(reverse).fused(false).run(x);
            assertTrue(!fused.stepGraph() && steps.stepGraph(), "fused run is flagged, the step graph is not");
            assertEquals(5, fused.steps());
            for (int t = 0; t < 5; t++) {
                assertClose(steps.states().get(t).h(), fused.states().get(t).h());
                assertClose(steps.states().get(t).c(), fused.states().get(t).c());
            }
            assertClose(steps.finalState().c(), fused.finalState().c());
            assertClose(steps.outputs(), fused.outputs());
        }
    }

    /** Per-step gradients need the step graph: asking a fused run says so instead of returning zeros. */
    @Test
    void gradientFlowOnAFusedRunSaysToUnfuse() {
        GruCell cell = new GruCell(2, 3, Fixtures.f64(), r);
        Unrolled<Tensor> run = Unroller.of(cell).run(Fixtures.randn(r, 4, 2, 2));
        String m = assertThrows(IllegalArgumentException.class,
                () -> dev.recurrent.models.check.GradientFlow.norms(cell, run, run.finalState().sum())).getMessage();
        assertTrue(m.contains("fused(false)"), m);
    }

    /** Variable lengths, fused (the run over all steps, padding ignored) against the step graph: every state, both directions. */
    @Test
    void fusedVariableLengthsEqualTheStepGraph() {
        LstmCell cell = new LstmCell(2, 3, Fixtures.f64(), r);
        int[] lengths = {4, 0, 6, 2};
        Tensor x = Fixtures.randn(r, 6, 4, 2);
        LstmState s0 = new LstmState(Fixtures.randn(r, 4, 3), Fixtures.randn(r, 4, 3));
        for (boolean reverse : new boolean[] {false, true}) {
            Unrolled<LstmState> fused = Unroller.of(cell).initial(s0).lengths(lengths).reverse(reverse).run(x);
            Unrolled<LstmState> steps = Unroller.of(cell).initial(s0).lengths(lengths).reverse(reverse).fused(false).run(x);
            assertTrue(!fused.stepGraph(), "the fused path was taken");
            assertClose(steps.outputs(), fused.outputs());
            assertClose(steps.finalState().h(), fused.finalState().h());
            assertClose(steps.finalState().c(), fused.finalState().c());
            for (int t = 0; t < 6; t++) {
                assertClose(steps.states().get(t).h(), fused.states().get(t).h());
                assertClose(steps.states().get(t).c(), fused.states().get(t).c());
            }
        }
    }
}
