package dev.recurrent.models.check;

import dev.recurrent.core.Autograd;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Cell;
import dev.recurrent.models.Unrolled;

import java.util.ArrayList;
import java.util.List;

/**
 * How much of the loss's gradient reaches each time step: {@code dL/dh_t} with {@code h_t} the cell's
 * output at step t (an intermediate tensor of the unrolled graph). Its norm against the distance from
 * the loss shows vanishing (or exploding) gradients: for a loss on the last step, {@code ||dL/dh_t||}
 * typically decays like {@code ρ^(T-1-t)}; an Elman network's ρ is well below an LSTM's.
 */
public final class GradientFlow {
    private GradientFlow() { }

    /** {@code dL/dh_t} for every t ({@code [B, outputSize]} each), frees the graph; {@code loss} must be a scalar. */
    public static <S> List<Tensor> stateGradients(Cell<S> cell, Unrolled<S> run, Tensor loss) {
        return stateGradients(cell, run, loss, false);
    }

    /** As {@link #stateGradients(Cell, Unrolled, Tensor)}; {@code retainGraph} keeps the graph for a later backward. */
    public static <S> List<Tensor> stateGradients(Cell<S> cell, Unrolled<S> run, Tensor loss, boolean retainGraph) {
        if (loss.size() != 1) throw new IllegalArgumentException("GradientFlow: the loss must be a scalar; got shape " + loss.shape());
        if (!run.stepGraph()) {
            throw new IllegalArgumentException("GradientFlow: the run was fused into one graph node, so its per-step states are not"
                    + " in the graph; unroll with Unroller.of(cell).fused(false) to get dL/dh_t");
        }
        List<Tensor> hs = new ArrayList<>(run.steps());
        for (int t = 0; t < run.steps(); t++) {
            Tensor h = cell.output(run.states().get(t));
            if (!h.requiresGrad()) {
                throw new IllegalArgumentException("GradientFlow: h_" + t + " does not require grad; run the cell with parameters"
                        + " (or an input) that require grad and with grad mode on");
            }
            hs.add(h);
        }
        return Autograd.grad(loss, hs, null, retainGraph, false);
    }

    /** {@code ||dL/dh_t||} (Frobenius norm over the batch) for every t = 0..T-1. */
    public static <S> double[] norms(Cell<S> cell, Unrolled<S> run, Tensor loss) {
        List<Tensor> grads = stateGradients(cell, run, loss);
        double[] out = new double[grads.size()];
        for (int t = 0; t < out.length; t++) {
            double s = 0;
            for (double v : grads.get(t).toDoubleArray()) s += v * v;
            out[t] = Math.sqrt(s);
        }
        return out;
    }

    /**
     * The per-step decay rate: the geometric mean of {@code ||dL/dh_t|| / ||dL/dh_{t+1}||} over
     * {@code t = from .. to-1}, i.e. {@code (norms[from] / norms[to])^(1/(to-from))}. Near 1: the gradient
     * survives the distance; well below 1: it vanishes.
     */
    public static double decayPerStep(double[] norms, int from, int to) {
        if (from < 0 || to >= norms.length || from >= to) {
            throw new IllegalArgumentException("decayPerStep: needs 0 <= from < to < " + norms.length + "; got " + from + ", " + to);
        }
        return Math.pow(norms[from] / norms[to], 1.0 / (to - from));
    }
}
