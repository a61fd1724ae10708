package dev.recurrent.models.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Truncated backpropagation through time, BPTT(k2; k1) in Williams and Peng's notation: over a sequence of
 * T steps, make an update every {@code k1} steps, each backpropagating through the last {@code k2} steps.
 *
 * <p>Precisely, window {@code i = 0, 1, ...} (until the sequence is used up) covers
 * <pre>
 *   end_i   = min((i + 1) k1, T)          the update happens after step end_i - 1
 *   new_i   = i k1                        steps [new_i, end_i) are scored: the loss is the (masked) mean
 *                                         over their outputs, so every output is scored exactly once
 *   start_i = max(0, new_i - (k2 - k1))   steps [start_i, end_i) are run with the graph recorded, from the
 *                                         state entering step start_i, cut from the graph (detached); so
 *                                         the gradient reaches back k2 steps from the window's end (fewer
 *                                         at the start of the sequence and in a short last window)
 * </pre>
 * and the state entering step {@code start_(i+1)} is saved, detached, while window i runs (it lies inside
 * window i because {@code k2 >= k1}). Hence:
 * <ul>
 *   <li>{@code k1 == k2} (the usual case): consecutive, non-overlapping windows of k1 steps; the hidden state
 *       flows forward across windows but gradients stop at window boundaries;</li>
 *   <li>{@code k2 > k1}: overlapping windows; each re-runs the {@code k2 - k1} steps before its new ones
 *       from the state stored during the previous window (computed with the parameters before that
 *       window's update), so the gradient of the k1 new outputs flows back k2 steps;</li>
 *   <li>{@code k1 >= T} ({@link #full()}): one window, ordinary BPTT over the whole sequence.</li>
 * </ul>
 * {@code k2 < k1} is rejected: some scored outputs would get no gradient through the recurrence at all.
 * A window whose scored steps have no loss weight (a many-to-one task before its last step) is run
 * without recording a graph, only to carry the state, and makes no update. The state at the start of
 * each sequence (batch) is the model's initial state: windows never carry state from one batch to the
 * next.
 *
 * @param k1 steps between updates (positive)
 * @param k2 steps backpropagated per update ({@code >= k1})
 */
public record Tbptt(int k1, int k2) {

    public Tbptt {
        if (k1 <= 0 || k2 <= 0) throw new IllegalArgumentException("tbptt: k1 and k2 must be positive; got k1=" + k1 + ", k2=" + k2);
        if (k2 < k1) {
            throw new IllegalArgumentException("tbptt: k2 (steps backpropagated) must be >= k1 (steps between updates); got k1=" + k1 + ", k2=" + k2);
        }
    }

    /** Ordinary BPTT: one window over the whole sequence. */
    public static Tbptt full() { return new Tbptt(Integer.MAX_VALUE, Integer.MAX_VALUE); }

    /** Windows of {@code k} steps, backpropagating {@code k} steps (k1 = k2 = k). */
    public static Tbptt of(int k) { return new Tbptt(k, k); }

    /** Parses {@code "K"} or {@code "K1,K2"} (the command line's {@code --tbptt}); {@code "full"} for {@link #full()}. */
    public static Tbptt parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("tbptt: expected K1,K2 (or K, or full); got nothing");
        if (spec.trim().equals("full")) return full();
        String[] parts = spec.split(",", -1);
        try {
            if (parts.length == 1) return of(Integer.parseInt(parts[0].trim()));
            if (parts.length == 2) return new Tbptt(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tbptt: expected whole numbers K1,K2 (e.g. 50,50); got '" + spec + "'");
        }
        throw new IllegalArgumentException("tbptt: expected K1,K2 (e.g. 50,50); got '" + spec + "'");
    }

    /** True when this is {@link #full()}. */
    public boolean isFull() { return k1 == Integer.MAX_VALUE; }

    /** The windows of a sequence of {@code steps} steps, in order. */
    public List<Window> windows(int steps) {
        if (steps <= 0) throw new IllegalArgumentException("tbptt: the sequence must have at least one step; got " + steps);
        List<Window> out = new ArrayList<>();
        long back = (long) k2 - k1;
        for (long i = 0; i * k1 < steps; i++) {
            long fresh = i * k1, end = Math.min(fresh + k1, steps);
            long carry = end < steps ? Math.max(0, end - back) : end;
            out.add(new Window(out.size(), (int) Math.max(0, fresh - back), (int) fresh, (int) end, (int) carry));
        }
        return out;
    }

    @Override public String toString() { return isFull() ? "full" : k1 + "," + k2; }

    /**
     * One update's window: run steps {@code [start, end)}, score steps {@code [scoredFrom, end)}, and keep
     * the state entering step {@code carryAt} (detached) for the next window ({@code carryAt == end} for the
     * last window).
     */
    public record Window(int index, int start, int scoredFrom, int end, int carryAt) {
        /** The cut points of the run: start, carryAt, scoredFrom and end, sorted, without repeats. */
        public int[] cuts() {
            return java.util.stream.IntStream.of(start, carryAt, scoredFrom, end).filter(c -> c >= start && c <= end).distinct().sorted().toArray();
        }
    }
}
