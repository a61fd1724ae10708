package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;

import java.util.Random;

/**
 * Inverted dropout: y = x * mask / (1 - p), mask ~ Bernoulli(1 - p) drawn from the caller's seeded
 * generator (so the same seed gives the same mask on every backend).  VJP: through the multiply by the
 * constant mask.
 */
public final class Dropout {
    private Dropout() { }

    public static Tensor apply(Tensor x, double p, Random random) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout: p must be in [0, 1); got " + p);
        if (p == 0) return x;
        double keep = 1 - p, scale = 1 / keep;
        double[] mask = new double[x.size()];
        for (int i = 0; i < mask.length; i++) mask[i] = random.nextDouble() < keep ? scale : 0;
        return x.mul(Tensor.of(x.backend(), x.dtype(), x.shape(), mask));
    }
}
