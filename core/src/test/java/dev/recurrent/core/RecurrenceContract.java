package dev.recurrent.core;

import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.check.GradCheck;
import dev.recurrent.core.ops.Recurrence;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The backend contract for whole-sequence recurrence ({@code recurrence} and {@code recurrenceBackward})
 * through the core op {@link Recurrence}: values and gradients equal to the step-by-step graph of
 * elementary ops ({@link Recurrence#reference}) for every cell kind, both directions and both dtypes; the
 * VJP against finite differences; the recorded (createGraph) VJP equal to the fused one and differentiable
 * again; a retained graph run twice; shape errors that name the op.
 */
public abstract class RecurrenceContract extends ContractBase {

    /** Inputs of a run: xp, whh, (bhh), initial states. */
    private List<Tensor> inputs(CellKind kind, DType d, Random r, int steps, int batch, int hidden) {
        return inputs(kind, d, r, steps, batch, hidden, 0.9);
    }

    /** As above with {@code whh} uniform in ±{@code weight}. */
    private List<Tensor> inputs(CellKind kind, DType d, Random r, int steps, int batch, int hidden, double weight) {
        int gh = kind.gates() * hidden;
        List<Tensor> in = new ArrayList<>();
        in.add(Tensor.uniform(backend(), d, Shape.of(steps, batch, gh), -1.5, 1.5, r));
        in.add(Tensor.uniform(backend(), d, Shape.of(gh, hidden), -weight, weight, r));
        if (kind.hiddenBias()) in.add(Tensor.uniform(backend(), d, Shape.of(gh), -0.5, 0.5, r));
        for (int k = 0; k < kind.states(); k++) in.add(Tensor.uniform(backend(), d, Shape.of(batch, hidden), -1, 1, r));
        return in;
    }

    private static Tensor run(CellKind kind, boolean reverse, List<Tensor> in, boolean fused) {
        Tensor bhh = kind.hiddenBias() ? in.get(2) : null;
        Tensor[] init = in.subList(kind.hiddenBias() ? 3 : 2, in.size()).toArray(new Tensor[0]);
        return fused ? Recurrence.apply(kind, reverse, in.get(0), in.get(1), bhh, init)
                : Recurrence.reference(kind, reverse, in.get(0), in.get(1), bhh, init);
    }

    private static List<Tensor> leaves(List<Tensor> in) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : in) out.add(t.detach().requiresGrad(true));
        return out;
    }

    @Property(tries = 40, seed = SEED)
    public void fusedEqualsTheStepByStepGraph(@ForAll CellKind kind, @ForAll boolean reverse, @ForAll @IntRange(min = 1, max = 5) int steps,
                                              @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 4) int hidden,
                                              @ForAll @IntRange(min = 0, max = 1000) int seed) {
        for (DType d : DTYPES) {
            Random r = new Random(seed);
            List<Tensor> in = inputs(kind, d, r, steps, batch, hidden);
            List<Tensor> a = leaves(in), b = leaves(in);
            Tensor ya = run(kind, reverse, a, true), yb = run(kind, reverse, b, false);
            String name = "recurrence(" + kind + (reverse ? ", reversed" : "") + ") T=" + steps + " B=" + batch + " H=" + hidden + " " + d;
            Expect.isTrue(ya.shape().equals(yb.shape()), name + ": shape " + ya.shape() + ", reference " + yb.shape());
            Expect.close(name + " forward", RefArray.of(yb), RefArray.of(ya), Expect.rtol(d) * 8, Expect.atol(d) * 8);
            Tensor up = Tensor.uniform(backend(), d, ya.shape(), -1, 1, r);
            ya.backward(up);
            yb.backward(up);
            for (int k = 0; k < in.size(); k++) {
                Expect.close(name + " gradient of input " + k, RefArray.of(b.get(k).grad()), RefArray.of(a.get(k).grad()),
                        Expect.rtol(d) * 16, Expect.atol(d) * 16);
            }
        }
    }

    @Property(tries = 12, seed = SEED)
    public void passesGradCheck(@ForAll CellKind kind, @ForAll boolean reverse, @ForAll @IntRange(min = 1, max = 3) int steps,
                                @ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 3) int hidden,
                                @ForAll @IntRange(min = 0, max = 1000) int seed) {
        List<Tensor> in = inputs(kind, DType.F64, new Random(seed), steps, batch, hidden);
        GradCheck.of("recurrence(" + kind + ")", xs -> run(kind, reverse, xs, true)).seed(seed)
                .on(backend(), in.toArray(new Tensor[0])).assertPasses();
    }

    /**
     * A long F32 run stays close to the F64 reference: errors do not grow out of hand over the steps
     * (recurrent weights of a typical initialisation scale, ±1/√H, so the dynamics do not amplify rounding).
     */
    @Example
    public void longFloatRunTracksTheDoubleReference() {
        for (CellKind kind : CellKind.values()) {
            List<Tensor> in64 = inputs(kind, DType.F64, new Random(7), 40, 4, 16, 0.25);
            List<Tensor> in32 = new ArrayList<>();
            for (Tensor t : in64) in32.add(t.to(DType.F32));
            List<Tensor> a = leaves(in32), b = leaves(in64);
            Tensor ya = run(kind, false, a, true), yb = run(kind, false, b, false);
            Expect.close(kind + " T=40 F32 forward", RefArray.of(yb), RefArray.of(ya), 1e-4, 1e-4);
            ya.sum().backward();
            yb.sum().backward();
            for (int k = 0; k < in64.size(); k++) {
                Expect.close(kind + " T=40 F32 gradient of input " + k, RefArray.of(b.get(k).grad()), RefArray.of(a.get(k).grad()), 1e-3, 1e-3);
            }
        }
    }

    /** A recorded backward differentiates the reference graph: it must agree with the fused VJP and run again. */
    @Property(tries = 8, seed = SEED)
    public void recordedVjpEqualsFusedVjp(@ForAll CellKind kind, @ForAll boolean reverse, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Random r = new Random(seed);
        List<Tensor> in = leaves(inputs(kind, DType.F64, r, 3, 2, 3));
        Tensor up = Tensor.uniform(backend(), DType.F64, Shape.of(kind.states(), 3, 2, 3), -1, 1, r);
        List<Tensor> fast = Autograd.grad(run(kind, reverse, in, true), in, up, false, false);
        List<Tensor> recorded = Autograd.grad(run(kind, reverse, in, true), in, up, false, true);
        for (int k = 0; k < in.size(); k++) {
            Expect.close(kind + " recorded vjp of input " + k, RefArray.of(fast.get(k)), recorded.get(k), DType.F64);
        }
        recorded.get(1).mul(recorded.get(1)).sum().backward();        // second order through the weights
        Expect.isTrue(in.get(1).grad() != null, kind + ": a second-order gradient reached whh");
    }

    /** With retainGraph the saved forward state serves a second backward; gradients add up. */
    @Example
    public void retainedGraphRunsTwice() {
        for (CellKind kind : CellKind.values()) {
            List<Tensor> in = leaves(inputs(kind, DType.F64, new Random(3), 4, 2, 3));
            Tensor y = run(kind, false, in, true).sum();
            y.backward(null, true, false);
            double[] once = in.get(1).grad().toDoubleArray();
            y.backward();
            double[] twice = in.get(1).grad().toDoubleArray();
            for (int i = 0; i < once.length; i++) {
                Expect.isTrue(Math.abs(twice[i] - 2 * once[i]) <= 1e-12 * (1 + Math.abs(once[i])),
                        kind + ": second backward gave " + twice[i] + " at " + i + ", expected twice " + once[i]);
            }
        }
    }

    @Example
    public void badShapesNameTheOpAndTheShapes() {
        Tensor xp = Tensor.zeros(backend(), DType.F32, Shape.of(3, 2, 8));
        Tensor whh = Tensor.zeros(backend(), DType.F32, Shape.of(12, 3));
        Tensor h = Tensor.zeros(backend(), DType.F32, Shape.of(2, 3));
        try {
            Recurrence.apply(CellKind.LSTM, false, xp, whh, null, h, h);
            throw new AssertionError("expected a ShapeException");
        } catch (ShapeException e) {
            Expect.isTrue(e.getMessage().contains("recurrence(lstm)") && e.getMessage().contains("[3, 2, 8]") && e.getMessage().contains("[12, 3]"),
                    "message names the op and the shapes: " + e.getMessage());
        }
        try {
            Recurrence.apply(CellKind.GRU, false, xp, whh, null, h);
            throw new AssertionError("expected an IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            Expect.isTrue(e.getMessage().contains("b_hh"), "message says b_hh is missing: " + e.getMessage());
        }
    }

    /** One tensor as both LSTM initial states: the fused and the recorded VJP both count it once. */
    @Example
    public void anInitialStateUsedTwiceGetsItsGradientOnce() {
        Random r = new Random(5);
        List<Tensor> in = inputs(CellKind.LSTM, DType.F64, r, 3, 2, 3);
        Tensor s = in.get(2).detach().requiresGrad(true);
        Tensor xp = in.get(0), whh = in.get(1);
        Tensor up = Tensor.uniform(backend(), DType.F64, Shape.of(2, 3, 2, 3), -1, 1, r);
        Tensor expected = Autograd.grad(Recurrence.reference(CellKind.LSTM, false, xp, whh, null, s, s), List.of(s), up, false, false).get(0);
        Tensor fast = Autograd.grad(Recurrence.apply(CellKind.LSTM, false, xp, whh, null, s, s), List.of(s), up, false, false).get(0);
        Tensor recorded = Autograd.grad(Recurrence.apply(CellKind.LSTM, false, xp, whh, null, s, s), List.of(s), up, false, true).get(0);
        Expect.close("fused vjp, h0 = c0", RefArray.of(expected), fast, DType.F64);
        Expect.close("recorded vjp, h0 = c0", RefArray.of(expected), recorded, DType.F64);
    }
}
