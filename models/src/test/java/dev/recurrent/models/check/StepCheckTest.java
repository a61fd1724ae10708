package dev.recurrent.models.check;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.models.Cell;
import dev.recurrent.models.Fixtures;
import dev.recurrent.models.Fixtures.Kind;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.SimpleCell;
import dev.recurrent.models.Unrolled;
import dev.recurrent.models.cells.ElmanCell;
import dev.recurrent.models.Activation;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dL/dh_t at every step against finite differences, and a deliberately wrong cell it must catch and locate. */
class StepCheckTest {
    /** A loss using every step's output and the final state, so every dL/dh_t has direct and recurrent parts. */
    static <S> Tensor loss(Cell<S> cell, Unrolled<S> run) {
        Tensor sum = run.outputs().tanh().sum();
        for (Tensor s : cell.unpack(run.finalState())) sum = sum.add(s.mul(s).sum());
        return sum;
    }

    @Property(tries = 50, seed = "31")
    void dLdhMatchesFiniteDifferencesAtEveryStep(@ForAll Kind kind, @ForAll @IntRange(min = 1, max = 3) int hidden,
                                                 @ForAll @IntRange(min = 1, max = 10) int steps, @ForAll @IntRange(min = 1, max = 3) int batch,
                                                 @ForAll boolean withLengths, @ForAll @IntRange(max = 1000) int seed) {
        check(kind.factory(hidden, Fixtures.f64()).create(2, new Random(seed)), steps, batch, withLengths, seed);
    }

    private static <S> void check(Cell<S> cell, int steps, int batch, boolean withLengths, int seed) {
        Random r = new Random(seed + 1);
        int[] lengths = withLengths ? Fixtures.lengths(r, steps, batch) : null;
        StepCheck.Result result = StepCheck.run(cell.name(), cell, Fixtures.randn(r, steps, batch, 2), null, lengths, run -> loss(cell, run));
        result.assertPasses();
        assertEquals(steps, result.steps().size());
    }

    /** Forward: the identity. Backward: half the gradient. A bug of the kind that hides in one step of BPTT. */
    static final class HalfGradient implements Op {
        @Override public String name() { return "halfGradient"; }
        @Override public Shape shape(Shape... in) { return in[0]; }
        @Override public Storage forward(Backend be, Shape out, Tensor... in) { return be.scalar(ScalarOp.MUL, in[0].storage(), 1.0); }
        @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) { return new Tensor[] {g.mul(0.5)}; }
    }

    /** An Elman cell whose step {@code bad} (counting calls modulo T) passes its incoming state through {@link HalfGradient}. */
    static final class WrongAtOneStep implements SimpleCell {
        private final ElmanCell inner;
        private final int steps, bad;
        private int calls;

        WrongAtOneStep(ElmanCell inner, int steps, int bad) {
            this.inner = inner;
            this.steps = steps;
            this.bad = bad;
        }

        @Override public Tensor step(Tensor x, Tensor h) {
            int t = calls++ % steps;
            return inner.step(x, t == bad ? Tensor.apply(new HalfGradient(), h) : h);
        }

        @Override public int inputSize() { return inner.inputSize(); }
        @Override public int hiddenSize() { return inner.hiddenSize(); }
        @Override public Map<String, Parameter> parameters() { return inner.parameters(); }
    }

    @Test
    void aCellWrongOnlyAtOneStepIsCaughtAndLocated() {
        int steps = 9, bad = 5;
        Random r = new Random(3);
        WrongAtOneStep cell = new WrongAtOneStep(new ElmanCell(2, 3, Activation.TANH, Fixtures.f64(), r), steps, bad);
        StepCheck.Result result = StepCheck.run("wrong cell", cell, Fixtures.randn(r, steps, 2, 2), null, null, run -> loss(cell, run));
        assertFalse(result.passed(), "the per-step check must fail");
        assertEquals(bad - 1, result.lastWrongStep(), result.message());
        for (int t = bad; t < steps; t++) assertTrue(result.steps().get(t).passed(), "dL/dh_" + t + " is right: " + result.steps().get(t).message());
        assertTrue(result.message().contains("the fault is in step t=" + bad), result.message());
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, result::assertPasses);
        assertTrue(e.getMessage().contains("t=" + (bad - 1)), e.getMessage());
    }
}
