package dev.recurrent.models.check;

import dev.recurrent.core.DType;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.check.GradCheck;
import dev.recurrent.core.check.Report;
import dev.recurrent.models.Cell;
import dev.recurrent.models.Unrolled;
import dev.recurrent.models.Unroller;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Per-time-step gradient check of backpropagation through time: for every step t, the analytic
 * {@code dL/dh_t} (h_t = every tensor of the state after step t) against central finite differences. A
 * zero perturbation {@code δ_t} is added to the state after step t through an {@link Unroller#tap}, and
 * {@link GradCheck} compares {@code dL/dδ_t} from backward with {@code (L(δ_t = +ε e_i) - L(-ε e_i)) / 2ε}.
 *
 * <p>A mistake in the backward pass of step k corrupts {@code dL/dh_t} for every {@code t < k} and no
 * later one, so walking back from the last step, the first step that fails locates it: the report says
 * "wrong at t = k-1 and before, right from t = k": the fault is in step k (the step that reads h_{k-1}) or in
 * h_{k-1}'s own path to the loss. Checks run in F64: the cell's parameters and the input must be F64.
 */
public final class StepCheck {
    private StepCheck() { }

    /** The outcome for every step. */
    public record Result(String name, List<Report> steps) {
        public boolean passed() { return steps.stream().allMatch(Report::passed); }

        /** The latest step whose gradient is wrong, or -1 when every step passes. */
        public int lastWrongStep() {
            for (int t = steps.size() - 1; t >= 0; t--) if (!steps.get(t).passed()) return t;
            return -1;
        }

        /** The worst relative error of each step. */
        public double[] worstErrors() { return steps.stream().mapToDouble(Report::worstError).toArray(); }

        public String message() {
            int k = lastWrongStep();
            if (k < 0) return name + ": dL/dh_t matches finite differences at every step t = 0.." + (steps.size() - 1);
            List<Integer> wrong = new ArrayList<>();
            for (int t = 0; t < steps.size(); t++) if (!steps.get(t).passed()) wrong.add(t);
            String where = k == steps.size() - 1 ? "already at the last step t=" + k + " (the fault is in h_" + k + "'s own path to the loss)"
                    : "at t=" + k + " (right for t=" + (k + 1) + ".." + (steps.size() - 1) + "): the fault is in step t=" + (k + 1)
                    + ", which reads h_" + k + ", or in h_" + k + "'s own path to the loss";
            return name + ": dL/dh_t is WRONG " + where + "; wrong steps " + wrong + "\n" + steps.get(k).message();
        }

        /** Throws an {@link AssertionError} with {@link #message()} unless every step passed. */
        public Result assertPasses() {
            if (!passed()) throw new AssertionError(message());
            return this;
        }
    }

    /**
     * Checks {@code dL/dh_t} at every step of {@code cell} unrolled over {@code input:[T, B, I]}.
     *
     * @param initial the state before step 0 (null: zeros)
     * @param lengths valid steps per sequence (null: all)
     * @param loss    the function of the unrolled result that is differentiated (any shape: GradCheck projects
     *                it on a seeded random vector)
     */
    public static <S> Result run(String name, Cell<S> cell, Tensor input, S initial, int[] lengths, Function<Unrolled<S>, Tensor> loss) {
        if (input.dtype() != DType.F64) throw new IllegalArgumentException("StepCheck: runs in F64; the input is " + input.dtype());
        int steps = input.dim(0);
        S s0 = initial != null ? initial : cell.zeroState(input.dim(1));
        List<Tensor> zeros = new ArrayList<>();
        for (Tensor part : cell.unpack(s0)) zeros.add(Tensor.zeros(part.backend(), DType.F64, part.shape()));
        List<Report> reports = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            final int at = t;
            GradCheck check = GradCheck.of(name + " dL/dh_t at t=" + t, deltas -> {
                Unroller<S> u = Unroller.of(cell).initial(initial).lengths(lengths).tap((k, s) -> k == at ? perturb(cell, s, deltas) : s);
                return loss.apply(u.run(input));
            });
            reports.add(check.on(input.backend(), zeros.toArray(new Tensor[0])));
        }
        return new Result(name, List.copyOf(reports));
    }

    private static <S> S perturb(Cell<S> cell, S state, List<Tensor> deltas) {
        List<Tensor> parts = cell.unpack(state), out = new ArrayList<>(parts.size());
        for (int k = 0; k < parts.size(); k++) out.add(parts.get(k).add(deltas.get(k)));
        return cell.pack(out);
    }
}
