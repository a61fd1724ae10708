package dev.recurrent.models;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.models.cells.ElmanCell;
import dev.recurrent.models.cells.GruCell;
import dev.recurrent.models.cells.LstmCell;
import dev.recurrent.models.cells.LstmState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast paths of the Elman (tanh, relu), LSTM and GRU cells against the reference: the same cell
 * unrolled step by step with its op-by-op {@code referenceStep}. At full lengths the unroller runs the
 * whole sequence as one fused node ({@code Recurrence}); with variable lengths it records each step (all
 * time steps' input products in one matrix product, fused elementwise nodes, slices whose gradients
 * autograd adds in place). Values of the outputs and the final state, the gradient of every parameter and
 * of the input, in F64 and F32, on every backend present, forwards and reversed, with and without biases.
 */
class FastPathTest {
    /** The cell as a plain {@link Cell} (so the unroller cannot take the projected path) stepping with {@code step}. */
    static <S> Cell<S> reference(Cell<S> c, BiFunction<Tensor, S, S> step) {
        return new Cell<>() {
            @Override public S step(Tensor x, S s) { return step.apply(x, s); }
            @Override public int inputSize() { return c.inputSize(); }
            @Override public int outputSize() { return c.outputSize(); }
            @Override public S zeroState(int batch) { return c.zeroState(batch); }
            @Override public Tensor output(S s) { return c.output(s); }
            @Override public List<Tensor> unpack(S s) { return c.unpack(s); }
            @Override public S pack(List<Tensor> parts) { return c.pack(parts); }
            @Override public Map<String, Parameter> parameters() { return c.parameters(); }
        };
    }

    @Property(tries = 24, seed = "20251122")
    void fastPathEqualsTheReferenceUnrolledGraph(@ForAll @IntRange(min = 0, max = 3) int kind, @ForAll @IntRange(min = 1, max = 3) int batch,
                                                 @ForAll @IntRange(min = 1, max = 5) int steps, @ForAll @IntRange(min = 1, max = 4) int input,
                                                 @ForAll @IntRange(min = 1, max = 4) int hidden, @ForAll boolean ragged,
                                                 @ForAll boolean reverse, @ForAll boolean bias,
                                                 @ForAll @IntRange(min = 0, max = 10_000) int seed) {
        for (String name : Backends.names()) {
            Backend be;
            try {
                be = Backends.get(name);
            } catch (RuntimeException unavailable) {
                continue;
            }
            for (DType d : List.of(DType.F64, DType.F32)) check(be, d, kind, batch, steps, input, hidden, ragged, reverse, bias, seed);
        }
    }

    private void check(Backend be, DType d, int kind, int batch, int steps, int input, int hidden, boolean ragged, boolean reverse,
                       boolean bias, int seed) {
        Options o = Options.defaults().withBackend(be).withDtype(d).withBias(bias);
        Random r = new Random(seed);
        Cell<?> fast;
        Cell<?> ref;
        switch (kind) {
            case 0 -> {
                LstmCell c = new LstmCell(input, hidden, o, new Random(seed));
                fast = c;
                ref = reference(c, (Tensor x, LstmState s) -> c.referenceStep(x, s));
            }
            case 1 -> {
                GruCell c = new GruCell(input, hidden, o, new Random(seed));
                fast = c;
                ref = reference(c, c::referenceStep);
            }
            default -> {
                ElmanCell c = new ElmanCell(input, hidden, kind == 2 ? Activation.TANH : Activation.RELU, o, new Random(seed));
                fast = c;
                ref = reference(c, c::step);
            }
        }
        int[] lengths = null;
        if (ragged) {
            lengths = new int[batch];
            for (int b = 0; b < batch; b++) lengths[b] = r.nextInt(steps + 1);
        }
        Tensor x = Tensor.uniform(be, d, Shape.of(steps, batch, input), -1, 1, r);
        Tensor up = Tensor.uniform(be, d, Shape.of(steps, batch, hidden), -1, 1, r);
        Tensor upFinal = Tensor.uniform(be, d, Shape.of(batch, hidden), -1, 1, r);
        List<double[]> a = run(fast, x, up, upFinal, lengths, reverse), b = run(ref, x, up, upFinal, lengths, reverse);
        double tol = d == DType.F64 ? 1e-10 : 2e-5;
        String what = fast.name() + " on " + be.name() + " " + d + " B=" + batch + " T=" + steps + " I=" + input + " H=" + hidden
                + (ragged ? " lengths" : "") + (reverse ? " reversed" : "") + (bias ? "" : " no bias") + " seed " + seed;
        for (int k = 0; k < a.size(); k++) {
            assertEquals(b.get(k).length, a.get(k).length, what);
            for (int i = 0; i < a.get(k).length; i++) {
                double e = b.get(k)[i], g = a.get(k)[i];
                if (Math.abs(e - g) > tol * (1 + Math.abs(e))) {
                    throw new AssertionError(what + ": result " + k + " (0 = output, 1 = input gradient, then parameters) element " + i
                            + ": reference " + e + ", fast path " + g);
                }
            }
        }
    }

    /**
     * Outputs, then the gradients of the input and of every parameter, for loss = Σ up·output + Σ upFinal·s
     * over the final state's tensors s (h; h and c for LSTM).
     */
    private static <S> List<double[]> run(Cell<S> cell, Tensor x0, Tensor up, Tensor upFinal, int[] lengths, boolean reverse) {
        for (Parameter p : cell.parameters().values()) p.value().zeroGrad();
        Tensor x = x0.detach().requiresGrad(true);
        Unrolled<S> run = Unroller.of(cell).lengths(lengths).reverse(reverse).run(x);
        Tensor y = run.outputs();
        Tensor loss = y.mul(up).sum();
        for (Tensor s : cell.unpack(run.finalState())) loss = loss.add(s.mul(upFinal).sum());
        loss.backward();
        List<double[]> out = new ArrayList<>();
        out.add(y.toDoubleArray());
        out.add(x.grad().toDoubleArray());
        for (Parameter p : cell.parameters().values()) out.add(p.value().grad().toDoubleArray());
        return out;
    }
}
