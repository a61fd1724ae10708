package dev.recurrent.models;

import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.ops.Recurrence;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs any {@link Cell} over a time-major sequence {@code [T, B, I]}: a Java loop over steps, each
 * recording its ops, so backpropagation through time is {@code backward()} on the result.
 *
 * <p>Variable lengths ({@code lengths[b]} valid steps of sequence b, no sorting needed): at a step
 * {@code t >= lengths[b]} row b keeps its previous state ({@code where(mask, next, prev)}) and outputs
 * zeros, so the final state of each sequence is the one at its own last step and padded steps give no
 * gradient to anything. Reversed ({@code reverse(true)}), steps run from {@code T-1} down to 0: a
 * sequence keeps its initial state through its padding and then runs over its valid part reversed,
 * which is what a bidirectional layer needs. Padding must hold finite numbers (zeros are fine).
 *
 * <p>Fused runs. A {@link SequenceCell} (Elman, LSTM, GRU) without a tap runs as one {@link Recurrence}
 * node: the backend runs the steps and, in backward, the whole backpropagation through time, with one
 * weight-gradient product for all steps. Variable lengths are handled around that node (see runFused),
 * except for relu Elman cells, whose unbounded state could overflow over long padding. Values and gradients
 * equal the step-by-step graph; the per-step states are then read out of that node
 * ({@link Unrolled#stepGraph()} is false). {@link #fused(boolean) fused(false)} records every step instead.
 *
 * <p>Errors inside a step are re-thrown prefixed with the cell and the step:
 * {@code LstmCell step t=17: input has 130 features, the cell expects 128}.
 *
 * <p>Immutable: each setter returns a new unroller.
 */
public final class Unroller<S> {
    private final Cell<S> cell;
    private final S initial;
    private final int[] lengths;
    private final boolean reverse;
    private final StepTap<S> tap;
    private final boolean fused;

    private Unroller(Cell<S> cell, S initial, int[] lengths, boolean reverse, StepTap<S> tap, boolean fused) {
        this.cell = cell;
        this.initial = initial;
        this.lengths = lengths;
        this.reverse = reverse;
        this.tap = tap;
        this.fused = fused;
    }

    public static <S> Unroller<S> of(Cell<S> cell) { return new Unroller<>(cell, null, null, false, null, true); }

    /** The state before the first step (null: the cell's zero state). */
    public Unroller<S> initial(S state) { return new Unroller<>(cell, state, lengths, reverse, tap, fused); }

    /** Valid steps per sequence (null: all T). */
    public Unroller<S> lengths(int[] perSequence) {
        return new Unroller<>(cell, initial, perSequence == null ? null : perSequence.clone(), reverse, tap, fused);
    }

    /** Runs from the last step to the first. */
    public Unroller<S> reverse(boolean on) { return new Unroller<>(cell, initial, lengths, on, tap, fused); }

    /** Called with the state after every step (after masking); its result becomes the state. */
    public Unroller<S> tap(StepTap<S> t) { return new Unroller<>(cell, initial, lengths, reverse, t, fused); }

    /**
     * Whether a {@link SequenceCell} may run as one fused node (on by default). The fused run is taken when
     * the cell is a SequenceCell and there is no tap (and, for a relu Elman cell, every sequence has all T
     * steps); otherwise, or with this off, every step is recorded ({@link Unrolled#stepGraph()}), which is
     * what per-step gradients (dL/dh_t) need.
     */
    public Unroller<S> fused(boolean on) { return new Unroller<>(cell, initial, lengths, reverse, tap, on); }

    /** Runs the cell over {@code input:[T, B, I]}. */
    public Unrolled<S> run(Tensor input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(cell.name() + ": the input must be time-major [T, B, I]; got " + input.shape());
        }
        int steps = input.dim(0), batch = input.dim(1);
        if (steps == 0) throw new IllegalArgumentException(cell.name() + ": the input has no time steps; got " + input.shape());
        checkLengths(steps, batch);
        S state = initial != null ? initial : cell.zeroState(batch);
        checkState(state, batch);
        if (fused && tap == null && cell instanceof SequenceCell<S> sc && input.dim(2) == cell.inputSize()
                && (allFull(steps) || sc.kind() != CellKind.RELU)) {
            return runFused(sc, input, state);
        }
        // The input's share of the gates for every step in one [T·B, I] product when the cell allows it;
        // each step then takes its B rows (a contiguous slice, whose gradient autograd adds in place).
        ProjectedCell<S> projected = cell instanceof ProjectedCell<S> pc && input.dim(2) == cell.inputSize() ? pc : null;
        Tensor[] xs;
        if (projected != null) {
            Tensor p = projected.projectInputs(input.reshape(steps * batch, input.dim(2)));
            xs = new Tensor[steps];
            for (int t = 0; t < steps; t++) xs[t] = p.slice(0, t * batch, (t + 1) * batch);
        } else {
            xs = input.unbind(0);
        }
        Tensor[] outputs = new Tensor[steps];
        List<S> states = new ArrayList<>(Collections.nCopies(steps, null));
        Tensor zero = null;
        for (int i = 0; i < steps; i++) {
            int t = reverse ? steps - 1 - i : i;
            S next;
            try {
                next = projected != null ? projected.stepProjected(xs[t], state) : cell.step(xs[t], state);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(cell.name() + " step t=" + t + ": " + e.getMessage(), e);
            }
            Tensor mask = mask(t, batch, input);
            if (mask != null) next = freeze(mask, next, state);
            if (tap != null) next = tap.apply(t, next);
            state = next;
            states.set(t, state);
            Tensor y = cell.output(state);
            if (mask != null) {
                if (zero == null) zero = Tensor.scalar(y.backend(), y.dtype(), 0.0);
                y = Tensor.where(mask, y, zero);
            }
            outputs[t] = y;
        }
        return new Unrolled<>(Tensor.stack(0, outputs), state, List.copyOf(states));
    }

    /**
     * The whole sequence as one {@link Recurrence} node: the input products of all steps at once, then the
     * backend's recurrence. The outputs are out[0] (a contiguous window, whose gradient autograd adds in
     * place); the states are read out of the node's output.
     *
     * <p>Variable lengths: the recurrence runs over every step, padding included, and the padding's results
     * are then ignored: outputs at padded steps are zeroed and each sequence's state is taken from its own
     * last valid step (or the initial state), so padded steps get no gradient and the valid ones are exactly
     * those of the step-by-step run. Reversed, each sequence's valid part is first reversed in place in the
     * input (a row gather), run forwards, and the outputs gathered back.
     */
    private Unrolled<S> runFused(SequenceCell<S> sc, Tensor input, S state) {
        int steps = input.dim(0), batch = input.dim(1);
        List<Tensor> init = sc.unpack(state);
        List<String> names = sc.stateNames();
        int first = reverse ? steps - 1 : 0, width = sc.recurrentWeight().dim(1);
        try {
            for (int k = 0; k < init.size(); k++) StepChecks.state(names.get(k), init.get(k), batch, width);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(cell.name() + " step t=" + first + ": " + e.getMessage(), e);
        }
        boolean ragged = !allFull(steps);
        int[] order = ragged && reverse ? validPartsReversed(steps, batch) : null;
        Tensor x = input.reshape(steps * batch, input.dim(2));
        if (order != null) x = x.gatherRows(order);
        Tensor xp = sc.projectInputs(x);
        xp = xp.reshape(steps, batch, xp.dim(1));
        Tensor out;
        try {
            out = Recurrence.apply(sc.kind(), reverse && !ragged, xp, sc.recurrentWeight(), sc.hiddenBias(), init.toArray(new Tensor[0]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(cell.name() + ": " + e.getMessage(), e);
        }
        int parts = out.dim(0), hidden = out.dim(3);
        // State k over all steps: out itself for a one-state cell (Elman, GRU; no copy), else out[k] (a copy).
        IntFunction<Tensor> run = k -> parts == 1 ? out : out.slice(0, k, k + 1);
        Tensor outputs = run.apply(0).reshape(steps, batch, hidden);
        // The states of step t: one [B, H] row window each of out seen as [S·T, B, H] (a small copy, and a
        // window again in the backward), rather than a slice of out[k] (which would copy all T steps first).
        Tensor stepStates = ragged ? null : out.reshape(parts * steps, batch, hidden);
        if (ragged) {
            if (order != null) outputs = outputs.reshape(steps * batch, hidden).gatherRows(order).reshape(steps, batch, hidden);
            double[] m = new double[steps * batch];
            for (int t = 0; t < steps; t++) for (int b = 0; b < batch; b++) m[t * batch + b] = t < lengths[b] ? 1 : 0;
            Tensor mask = Tensor.of(input.backend(), outputs.dtype(), Shape.of(steps, batch, 1), m);
            outputs = Tensor.where(mask, outputs, Tensor.scalar(input.backend(), outputs.dtype(), 0.0));
        }
        // Ragged: per state tensor, the run's states [T·B, H] followed by the initial state [B, H], built once.
        Tensor[] tables = new Tensor[parts];
        IntFunction<S> at = t -> {
            List<Tensor> p = new ArrayList<>(parts);
            for (int k = 0; k < parts; k++) {
                if (!ragged) {
                    p.add(stepStates.slice(0, k * steps + t, k * steps + t + 1).reshape(batch, hidden));
                } else {
                    // Row b: the run's state at the step that position t holds, or the initial state (row T·B + b).
                    if (tables[k] == null) {
                        tables[k] = Tensor.concat(0, run.apply(k).reshape(steps * batch, hidden), init.get(k));
                    }
                    Tensor table = tables[k];
                    int[] rows = new int[batch];
                    for (int b = 0; b < batch; b++) {
                        int step = reverse ? (t < lengths[b] ? lengths[b] - 1 - t : -1) : Math.min(t, lengths[b] - 1);
                        rows[b] = step < 0 ? steps * batch + b : step * batch + b;
                    }
                    p.add(table.gatherRows(rows));
                }
            }
            return cell.pack(p);
        };
        List<S> states = new AbstractList<>() {
            private final List<S> memo = new ArrayList<>(Collections.nCopies(steps, null));

            @Override public S get(int t) {
                if (memo.get(t) == null) memo.set(t, at.apply(t));
                return memo.get(t);
            }

            @Override public int size() { return steps; }
        };
        return new Unrolled<>(outputs, states.get(reverse ? 0 : steps - 1), states, false);
    }

    /** Rows of {@code [T·B, ·]} with each sequence's valid part reversed in time (padding rows stay put); its own inverse. */
    private int[] validPartsReversed(int steps, int batch) {
        int[] order = new int[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) order[t * batch + b] = (t < lengths[b] ? lengths[b] - 1 - t : t) * batch + b;
        }
        return order;
    }

    private boolean allFull(int steps) {
        if (lengths == null) return true;
        for (int n : lengths) if (n != steps) return false;
        return true;
    }

    /** Rows still running at step t as a {@code [B, 1]} 0/1 mask, or null when every row is. */
    private Tensor mask(int t, int batch, Tensor like) {
        if (lengths == null) return null;
        double[] m = new double[batch];
        boolean all = true;
        for (int b = 0; b < batch; b++) {
            m[b] = t < lengths[b] ? 1 : 0;
            all &= m[b] == 1;
        }
        return all ? null : Tensor.of(like.backend(), like.dtype(), Shape.of(batch, 1), m);
    }

    /** The next state where the mask is 1, the previous one where it is 0. */
    private S freeze(Tensor mask, S next, S prev) {
        List<Tensor> n = cell.unpack(next), p = cell.unpack(prev);
        List<Tensor> out = new ArrayList<>(n.size());
        for (int k = 0; k < n.size(); k++) out.add(Tensor.where(mask, n.get(k), p.get(k)));
        return cell.pack(out);
    }

    private void checkLengths(int steps, int batch) {
        if (lengths == null) return;
        if (lengths.length != batch) {
            throw new IllegalArgumentException(cell.name() + ": " + lengths.length + " lengths for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 0 || lengths[b] > steps) {
                throw new IllegalArgumentException(cell.name() + ": lengths[" + b + "] = " + lengths[b] + " is outside 0.." + steps
                        + " (the input has " + steps + " steps)");
            }
        }
    }

    private void checkState(S state, int batch) {
        List<Tensor> parts = cell.unpack(state);
        List<String> names = cell.stateNames();
        for (int k = 0; k < parts.size(); k++) {
            Tensor s = parts.get(k);
            if (s.rank() != 2 || s.dim(0) != batch) {
                String name = k < names.size() ? names.get(k) : "#" + k;
                throw new IllegalArgumentException(cell.name() + ": the initial state " + name + " has shape " + s.shape()
                        + "; expected [" + batch + ", width] for a batch of " + batch);
            }
        }
    }
}
