package dev.recurrent.models;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;

import java.util.Arrays;
import java.util.Random;

/**
 * An initialisation scheme: the starting values of a parameter of a given shape, drawn from the
 * caller's seeded {@link Random} (same seed, same values, on every backend: the values are drawn in
 * double precision and converted to the parameter's dtype). Weights are {@code [out, in]}, PyTorch's
 * layout, so fan-in is {@code shape[1]} and fan-out {@code shape[0]}.
 */
@FunctionalInterface
public interface Init {
    /** Row-major values for a tensor of {@code shape}. */
    double[] values(Shape shape, Random random);

    /** A new tensor of these values (not yet marked as requiring gradients). */
    default Tensor create(Shape shape, Backend backend, DType dtype, Random random) {
        return Tensor.of(backend, dtype, shape, values(shape, random));
    }

    /** All zeros. */
    static Init zeros() { return constant(0); }

    /** All {@code value}. */
    static Init constant(double value) {
        return (shape, random) -> {
            double[] v = new double[shape.size()];
            Arrays.fill(v, value);
            return v;
        };
    }

    /** Independent uniform values in {@code [lo, hi)}. */
    static Init uniform(double lo, double hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("Init.uniform: needs lo <= hi; got " + lo + ", " + hi);
        return (shape, random) -> {
            double[] v = new double[shape.size()];
            for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * random.nextDouble();
            return v;
        };
    }

    /** Independent normal values {@code N(mean, std²)} (PyTorch's default for {@code nn.Embedding} is N(0, 1)). */
    static Init normal(double mean, double std) {
        return (shape, random) -> {
            double[] v = new double[shape.size()];
            for (int i = 0; i < v.length; i++) v[i] = mean + std * random.nextGaussian();
            return v;
        };
    }

    /**
     * PyTorch's default for {@code nn.RNN/LSTM/GRU} (every weight and bias) and for the {@code nn.Linear}
     * bias: uniform in {@code [-1/sqrt(n), 1/sqrt(n))} with n the hidden size (the fan-in for Linear).
     */
    static Init pytorchDefault(int n) {
        if (n <= 0) throw new IllegalArgumentException("Init.pytorchDefault: the size must be positive; got " + n);
        double bound = 1 / Math.sqrt(n);
        return uniform(-bound, bound);
    }

    /** Xavier/Glorot uniform with gain 1: {@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))}. */
    static Init xavierUniform() { return xavierUniform(1.0); }

    /** Xavier/Glorot uniform: {@code U(-a, a)}, {@code a = gain * sqrt(6 / (fanIn + fanOut))}; a 1-D shape uses fanIn = fanOut = n. */
    static Init xavierUniform(double gain) {
        return (shape, random) -> {
            int fanOut = shape.rank() == 0 ? 1 : shape.dim(0);
            int fanIn = shape.rank() < 2 ? fanOut : shape.size() / fanOut;
            double a = gain * Math.sqrt(6.0 / (fanIn + fanOut));
            return uniform(-a, a).values(shape, random);
        };
    }

    /** Orthogonal with gain 1; see {@link Orthogonal}. */
    static Init orthogonal() { return orthogonal(1.0); }

    /**
     * Orthogonal (Saxe et al. 2014), for recurrent weights: a fused {@code [G*H, H]} gate matrix gets an
     * independent orthogonal {@code [H, H]} block per gate; any other 2-D shape gets orthonormal rows or
     * columns (whichever are fewer). Computed by Gram-Schmidt on a seeded Gaussian matrix.
     */
    static Init orthogonal(double gain) { return (shape, random) -> Orthogonal.values(shape, gain, random); }
}
