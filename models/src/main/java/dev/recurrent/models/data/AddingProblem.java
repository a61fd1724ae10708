package dev.recurrent.models.data;

import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;

/**
 * The adding problem (Hochreiter and Schmidhuber 1997, in the form of Le, Jaitly and Hinton 2015): each
 * step has two features, a value drawn uniformly from [0, 1) and a marker that is 1 at exactly two steps
 * and 0 elsewhere; the first marked step is uniform in {@code [0, T/2)}, the second in {@code [T/2, T)}.
 * The target, read after the last step, is the sum of the two marked values.
 *
 * <p>Many-to-one: the targets tensor is {@code [T, B, 1]} and the mask is 1 only at the last step. The
 * sum of two independent U(0,1) has mean 1 and variance 1/6, so always answering 1 scores a mean squared
 * error of {@value #BASELINE_MSE}; a network that does not carry the marked values across the gap cannot
 * do better.
 */
public final class AddingProblem implements Dataset {
    /** The mean squared error of the constant answer 1.0: Var(U1 + U2) = 2/12. */
    public static final double BASELINE_MSE = 1.0 / 6.0;

    private final int steps;
    private final BatchOptions options;

    /** @param steps T, at least 2 */
    public AddingProblem(int steps, BatchOptions options) {
        if (steps < 2) throw new IllegalArgumentException("adding: the sequence length must be at least 2 (two marked steps); got " + steps);
        this.steps = steps;
        this.options = options;
    }

    @Override public String name() { return "adding"; }

    @Override public int inputSize() { return 2; }

    @Override public int outputSize() { return 1; }

    @Override public boolean classification() { return false; }

    @Override public int steps() { return steps; }

    @Override
    public Batch batch(long index) {
        int t = steps, b = options.size(), half = steps / 2;
        Rng rng = Rng.forIndex(options.seed(), index);
        double[] x = new double[t * b * 2], y = new double[t * b], mask = new double[t * b];
        for (int j = 0; j < b; j++) {
            for (int s = 0; s < t; s++) x[(s * b + j) * 2] = rng.nextDouble();
            int first = rng.nextInt(half), second = half + rng.nextInt(t - half);
            x[(first * b + j) * 2 + 1] = 1;
            x[(second * b + j) * 2 + 1] = 1;
            int last = (t - 1) * b + j;
            y[last] = x[(first * b + j) * 2] + x[(second * b + j) * 2];
            mask[last] = 1;
        }
        return Batch.regression(tensor(x, Shape.of(t, b, 2)), tensor(y, Shape.of(t, b, 1)), tensor(mask, Shape.of(t, b)));
    }

    private Tensor tensor(double[] v, Shape s) { return Tensor.of(options.backend(), options.dtype(), s, v); }
}
