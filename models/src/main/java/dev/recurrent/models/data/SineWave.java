package dev.recurrent.models.data;

import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;

/**
 * Sine-wave prediction: each sequence is {@code x_t = sin(w t + p)}, {@code t = 0..T-1}, with a frequency
 * {@code w} uniform in [{@value #MIN_FREQUENCY}, {@value #MAX_FREQUENCY}) radians per step and a phase
 * {@code p} uniform in [0, 2 pi), drawn per sequence. The model must infer both from what it has seen.
 * <ul>
 *   <li>many-to-many: the target at every step is the next value, {@code sin(w (t+1) + p)};</li>
 *   <li>many-to-one: only the value after the last step, {@code sin(w T + p)}, is scored (the mask is 1
 *       at the last step, the other targets are 0).</li>
 * </ul>
 * Values use {@link StrictMath#sin}, so batches are the same on every JVM.
 */
public final class SineWave implements Dataset {
    public static final double MIN_FREQUENCY = 0.1, MAX_FREQUENCY = 0.5;

    private final int steps;
    private final boolean manyToOne;
    private final BatchOptions options;

    public SineWave(int steps, boolean manyToOne, BatchOptions options) {
        if (steps <= 0) throw new IllegalArgumentException("sine: the sequence length must be positive; got " + steps);
        this.steps = steps;
        this.manyToOne = manyToOne;
        this.options = options;
    }

    @Override public String name() { return "sine"; }

    @Override public int inputSize() { return 1; }

    @Override public int outputSize() { return 1; }

    @Override public boolean classification() { return false; }

    @Override public int steps() { return steps; }

    /** True when only the value after the last step is scored. */
    public boolean manyToOne() { return manyToOne; }

    @Override
    public Batch batch(long index) {
        int t = steps, b = options.size();
        Rng rng = Rng.forIndex(options.seed(), index);
        double[] x = new double[t * b], y = new double[t * b];
        double[] mask = manyToOne ? new double[t * b] : null;
        for (int j = 0; j < b; j++) {
            double w = rng.uniform(MIN_FREQUENCY, MAX_FREQUENCY), p = rng.uniform(0, 2 * Math.PI);
            for (int s = 0; s < t; s++) {
                x[s * b + j] = StrictMath.sin(w * s + p);
                if (!manyToOne) y[s * b + j] = StrictMath.sin(w * (s + 1) + p);
            }
            if (manyToOne) {
                y[(t - 1) * b + j] = StrictMath.sin(w * t + p);
                mask[(t - 1) * b + j] = 1;
            }
        }
        Shape s3 = Shape.of(t, b, 1);
        Tensor m = mask == null ? null : Tensor.of(options.backend(), options.dtype(), Shape.of(t, b), mask);
        return Batch.regression(Tensor.of(options.backend(), options.dtype(), s3, x), Tensor.of(options.backend(), options.dtype(), s3, y), m);
    }
}
