package dev.recurrent.core.ops;

import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;

/** Losses composed from differentiable ops (their gradients follow from the ops' VJPs). */
public final class Losses {
    private Losses() { }

    /**
     * Mean over valid rows of -log softmax(logits)[i, targets[i]]; logits [N, C], targets[N] in [0, C) or
     * negative to ignore the row. All rows ignored gives 0.
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        Shape s = logits.shape();
        ShapeException.require(s.rank() == 2, "crossEntropy", "logits must be [N, classes]", s);
        if (targets.length != s.dim(0)) {
            throw new ShapeException("crossEntropy: " + s.dim(0) + " rows of logits but " + targets.length + " targets; got logits=" + s);
        }
        int classes = s.dim(1);
        int[] picks = new int[targets.length];
        int valid = 0;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0) continue;
            if (targets[i] >= classes) {
                throw new IllegalArgumentException("crossEntropy: target " + targets[i] + " at row " + i + " is out of range for " + classes + " classes");
            }
            picks[valid++] = i * classes + targets[i];
        }
        if (valid == 0) return logits.slice(0, 0, 0).sum();      // 0, still in the graph (a zero gradient)
        // Gather the target entries rather than multiply by a one-hot mask: a -inf logit elsewhere would
        // give -inf * 0 = NaN.
        Tensor picked = logits.logSoftmax(1).reshape(s.size(), 1).gatherRows(java.util.Arrays.copyOf(picks, valid));
        return picked.sum().mul(-1.0 / valid);
    }

    /** Mean of (prediction - target)² over all elements. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        ShapeException.require(prediction.shape().equals(target.shape()), "mse", "prediction and target must have the same shape",
                prediction.shape(), target.shape());
        Tensor d = prediction.sub(target);
        return d.mul(d).mean();
    }
}
