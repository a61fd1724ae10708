package dev.recurrent.models.cli;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.check.GradCheck;
import dev.recurrent.models.Activation;
import dev.recurrent.models.Cell;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.Unrolled;
import dev.recurrent.models.Unroller;
import dev.recurrent.models.cells.ElmanCell;
import dev.recurrent.models.cells.GruCell;
import dev.recurrent.models.cells.JordanCell;
import dev.recurrent.models.cells.LstmCell;
import dev.recurrent.models.check.StepCheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Every built-in cell unrolled over {@value #T} steps (batch {@value #B}, {@value #I} inputs, {@value #H}
 * hidden units, F64), two checks each: backpropagation through time (the gradients of the outputs and
 * final state with respect to the input, the initial state and every parameter), and {@code dL/dh_t} at
 * every step t ({@link StepCheck}), which locates a step whose backward pass is wrong.
 */
final class CellChecks {
    static final int T = 4, B = 2, I = 3, H = 3;

    private CellChecks() { }

    /** The table. */
    static List<GradientCheck> all() {
        List<GradientCheck> c = new ArrayList<>();
        cell(c, "elman tanh", (o, r) -> new ElmanCell(I, H, Activation.TANH, o, r));
        cell(c, "elman relu", (o, r) -> new ElmanCell(I, H, Activation.RELU, o, r));
        cell(c, "jordan tanh", (o, r) -> new JordanCell(I, H + 1, H, Activation.TANH, o, r));
        cell(c, "lstm", (o, r) -> new LstmCell(I, H, o, r));
        cell(c, "gru", (o, r) -> new GruCell(I, H, o, r));
        return c;
    }

    private static void cell(List<GradientCheck> out, String name, BiFunction<Options, Random, Cell<?>> make) {
        out.add(new GradientCheck("cell " + name + ": BPTT over " + T + " steps", be -> bptt(name, make.apply(options(be), new Random(11)), be)));
        out.add(new GradientCheck("cell " + name + ": dL/dh_t at t=0.." + (T - 1), be -> perStep(name, make.apply(options(be), new Random(11)), be)));
    }

    private static Options options(Backend be) { return Options.defaults().withBackend(be).withDtype(DType.F64); }

    /** Outputs and final state against the input, a random initial state and every parameter. */
    private static <S> GradientCheck.Outcome bptt(String name, Cell<S> cell, Backend be) {
        Random r = new Random(12);
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(Tensor.randn(be, DType.F64, Shape.of(T, B, I), r));
        List<Tensor> zero = cell.unpack(cell.zeroState(B));
        for (Tensor z : zero) inputs.add(Tensor.randn(be, DType.F64, z.shape(), r).mul(0.5));
        List<Parameter> params = new ArrayList<>(cell.parameters().values());
        for (Parameter p : params) inputs.add(p.value());
        int parts = zero.size();
        return GradientCheck.Outcome.of(GradCheck.of(name + " BPTT", xs -> {
            S s0 = cell.pack(xs.subList(1, 1 + parts));
            for (int i = 0; i < params.size(); i++) params.get(i).set(xs.get(1 + parts + i));
            Unrolled<S> u = Unroller.of(cell).initial(s0).run(xs.get(0));
            return flat(u, cell);
        }).always(true).on(be, inputs.toArray(new Tensor[0])));
    }

    /** dL/dh_t at every step, L a random projection of the outputs and final state. */
    private static <S> GradientCheck.Outcome perStep(String name, Cell<S> cell, Backend be) {
        Tensor input = Tensor.randn(be, DType.F64, Shape.of(T, B, I), new Random(13));
        StepCheck.Result r = StepCheck.run(name, cell, input, null, null, u -> flat(u, cell));
        return new GradientCheck.Outcome(Arrays.stream(r.worstErrors()).max().orElse(0), r.passed(), r.message());
    }

    /** The outputs and the final state as one vector. */
    private static <S> Tensor flat(Unrolled<S> u, Cell<S> cell) {
        List<Tensor> parts = new ArrayList<>();
        parts.add(u.outputs().reshape(-1));
        for (Tensor t : cell.unpack(u.finalState())) parts.add(t.reshape(-1));
        return Tensor.concat(0, parts);
    }
}
