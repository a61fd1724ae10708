package dev.recurrent.models.data;

import dev.recurrent.core.Tensor;

import java.util.Arrays;

/**
 * A batch of {@code B} sequences of {@code T} steps, time-major, as every training task produces it.
 * Positions are indexed {@code t * B + b} wherever a flat array is used.
 *
 * <p>Exactly one kind of target is present: {@code targets} for regression, {@code targetIds} for
 * classification. A many-to-one task (the adding problem) gives targets for every step but a mask that is
 * 1 only at the last one, so one loss rule ("mean over unmasked elements") covers every task, and a
 * window of a truncated-BPTT run knows whether it holds any loss at all.
 *
 * @param inputs    {@code [T, B, I]} features (one-hot vectors for symbol tasks)
 * @param inputIds  {@code [T*B]} symbol ids of the inputs, or null for real-valued inputs
 * @param targets   {@code [T, B, O]} regression targets, or null
 * @param targetIds {@code [T*B]} class ids, or null; a negative id is ignored (padding)
 * @param mask      {@code [T, B]} 0/1 weights of each step in the loss, or null for "every step"
 */
public record Batch(Tensor inputs, int[] inputIds, Tensor targets, int[] targetIds, Tensor mask) {

    public Batch {
        if (inputs == null || inputs.rank() != 3) {
            throw new IllegalArgumentException("Batch: inputs must be time-major [T, B, I]; got " + (inputs == null ? "null" : inputs.shape()));
        }
        int t = inputs.dim(0), b = inputs.dim(1);
        if ((targets == null) == (targetIds == null)) {
            throw new IllegalArgumentException("Batch: needs exactly one of targets (regression) or targetIds (classes); got "
                    + (targets == null ? "neither" : "both"));
        }
        if (targets != null && (targets.rank() != 3 || targets.dim(0) != t || targets.dim(1) != b)) {
            throw new IllegalArgumentException("Batch: targets must be [" + t + ", " + b + ", O] like the inputs " + inputs.shape()
                    + "; got " + targets.shape());
        }
        checkIds("inputIds", inputIds, t, b);
        checkIds("targetIds", targetIds, t, b);
        if (mask != null && (mask.rank() != 2 || mask.dim(0) != t || mask.dim(1) != b)) {
            throw new IllegalArgumentException("Batch: the mask must be [" + t + ", " + b + "] (steps, batch); got " + mask.shape());
        }
    }

    private static void checkIds(String what, int[] ids, int t, int b) {
        if (ids != null && ids.length != t * b) {
            throw new IllegalArgumentException("Batch: " + what + " must hold T*B = " + t + "*" + b + " = " + (t * b) + " ids; got " + ids.length);
        }
    }

    /** A regression batch. */
    public static Batch regression(Tensor inputs, Tensor targets, Tensor mask) { return new Batch(inputs, null, targets, null, mask); }

    /** A classification batch; {@code inputs} are the one-hot (or other) features of {@code inputIds}. */
    public static Batch classes(Tensor inputs, int[] inputIds, int[] targetIds, Tensor mask) {
        return new Batch(inputs, inputIds, null, targetIds, mask);
    }

    /** T, the number of time steps. */
    public int steps() { return inputs.dim(0); }

    /** B, the number of sequences. */
    public int size() { return inputs.dim(1); }

    /** True when the targets are class ids. */
    public boolean classification() { return targetIds != null; }

    /** Steps {@code [from, to)} of every sequence, as a batch of its own. */
    public Batch slice(int from, int to) {
        int t = steps(), b = size();
        if (from < 0 || to > t || from >= to) {
            throw new IllegalArgumentException("Batch.slice: needs 0 <= from < to <= " + t + " (the batch has " + t + " steps); got [" + from + ", " + to + ")");
        }
        if (from == 0 && to == t) return this;
        return new Batch(inputs.slice(0, from, to), range(inputIds, from, to, b),
                targets == null ? null : targets.slice(0, from, to), range(targetIds, from, to, b),
                mask == null ? null : mask.slice(0, from, to));
    }

    private static int[] range(int[] ids, int from, int to, int b) { return ids == null ? null : Arrays.copyOfRange(ids, from * b, to * b); }

    /**
     * The total loss weight of steps {@code [from, to)}: the sum of the mask there (every step counts 1
     * without a mask), leaving out positions whose class id is negative. Zero means the window has no loss.
     */
    public double weight(int from, int to) {
        int b = size();
        double[] m = mask == null ? null : mask.toDoubleArray();
        double w = 0;
        for (int i = from * b; i < to * b; i++) {
            if (targetIds != null && targetIds[i] < 0) continue;
            w += m == null ? 1 : m[i];
        }
        return w;
    }

    @Override
    public String toString() {
        return "Batch[T=" + steps() + ", B=" + size() + ", inputs " + inputs.shape() + ", "
                + (classification() ? "class targets" : "targets " + targets.shape()) + (mask == null ? "" : ", masked") + "]";
    }
}
