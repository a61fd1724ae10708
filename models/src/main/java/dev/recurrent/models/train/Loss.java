package dev.recurrent.models.train;

import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;

/**
 * Losses with an optional mask for padded or unscored steps. A mask holds non-negative weights (0/1 in
 * practice); the loss is the weighted mean over the elements it keeps:
 * <pre>
 *   L = sum_i m_i l_i / sum_i m_i           (no mask: m_i = 1, the plain mean)
 * </pre>
 * A mask whose weights are all zero gives 0 (still connected to the graph, so backward gives zero
 * gradients rather than failing). Gradients follow from the core ops' VJPs; the mask gets none.
 */
public final class Loss {
    private Loss() { }

    /**
     * Mean squared error: {@code l_i = (prediction_i - target_i)^2}.
     *
     * @param mask null, or weights of {@code prediction}'s shape (per element), or of a leading part of it
     *             (per step: a {@code [T, B]} mask for {@code [T, B, O]} predictions weighs all O features
     *             of a step alike, and counts O elements per unit of weight)
     */
    public static Tensor mse(Tensor prediction, Tensor target, Tensor mask) {
        if (!prediction.shape().equals(target.shape())) {
            throw new IllegalArgumentException("mse: prediction and target must have the same shape; got prediction="
                    + prediction.shape() + ", target=" + target.shape());
        }
        Tensor d = prediction.sub(target);
        Tensor sq = d.mul(d);
        if (mask == null) return sq.mean();
        Tensor m = broadcastable("mse", mask, prediction.shape());
        double perUnit = (double) prediction.size() / m.size();
        double weight = sum(mask) * perUnit;
        return sq.mul(m).sum().div(weight > 0 ? weight : 1);
    }

    /** Mean squared error over every element. */
    public static Tensor mse(Tensor prediction, Tensor target) { return mse(prediction, target, null); }

    /**
     * Cross-entropy of softmax probabilities against class ids: {@code l_i = -log softmax(logits_i)[targets[i]]}.
     *
     * @param logits  {@code [N, C]}, or {@code [T, B, C]} (then N = T*B, rows in time-major order)
     * @param targets N class ids in {@code [0, C)}; a negative id leaves its row out (weight 0)
     * @param mask    null, or N weights ({@code [N]} or {@code [T, B]})
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, Tensor mask) {
        if (logits.rank() != 2 && logits.rank() != 3) {
            throw new IllegalArgumentException("crossEntropy: logits must be [N, classes] or [T, B, classes]; got " + logits.shape());
        }
        int classes = logits.dim(-1), rows = logits.size() / Math.max(1, classes);
        if (targets.length != rows) {
            throw new IllegalArgumentException("crossEntropy: logits " + logits.shape() + " have " + rows + " rows but there are "
                    + targets.length + " targets");
        }
        double[] w = null;
        if (mask != null) {
            if (mask.size() != rows) {
                throw new IllegalArgumentException("crossEntropy: the mask must have one weight per row (" + rows + "); got " + mask.shape());
            }
            w = mask.toDoubleArray();
        }
        double[] pick = new double[rows * classes];
        double total = 0;
        for (int i = 0; i < rows; i++) {
            if (targets[i] < 0) continue;
            if (targets[i] >= classes) {
                throw new IllegalArgumentException("crossEntropy: target " + targets[i] + " at row " + i + " is outside 0.." + (classes - 1)
                        + " (" + classes + " classes)");
            }
            double wi = w == null ? 1 : w[i];
            if (wi < 0 || Double.isNaN(wi)) throw new IllegalArgumentException("crossEntropy: mask weight " + wi + " at row " + i + " is negative or NaN");
            pick[i * classes + targets[i]] = wi;
            total += wi;
        }
        Tensor flat = logits.rank() == 2 ? logits : logits.reshape(rows, classes);
        Tensor weights = Tensor.of(flat.backend(), flat.dtype(), flat.shape(), pick);
        return flat.logSoftmax(1).mul(weights).sum().mul(-1.0 / (total > 0 ? total : 1));
    }

    /** Cross-entropy over every row whose target is not negative. */
    public static Tensor crossEntropy(Tensor logits, int[] targets) { return crossEntropy(logits, targets, null); }

    /** The mask reshaped so it broadcasts against {@code shape} (trailing axes of size 1 added). */
    private static Tensor broadcastable(String op, Tensor mask, Shape shape) {
        Shape m = mask.shape();
        boolean prefix = m.rank() <= shape.rank();
        for (int i = 0; prefix && i < m.rank(); i++) prefix = m.dim(i) == shape.dim(i);
        if (!prefix) {
            throw new IllegalArgumentException(op + ": the mask must have the prediction's shape " + shape
                    + " or a leading part of it (per step); got " + m);
        }
        if (m.rank() == shape.rank()) return mask;
        int[] dims = new int[shape.rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = i < m.rank() ? m.dim(i) : 1;
        return mask.reshape(dims);
    }

    private static double sum(Tensor mask) {
        double s = 0;
        for (double v : mask.toDoubleArray()) {
            if (v < 0 || Double.isNaN(v)) throw new IllegalArgumentException("mask weight " + v + " is negative or NaN; weights must be >= 0");
            s += v;
        }
        return s;
    }
}
