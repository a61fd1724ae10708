package dev.recurrent.core;

import dev.recurrent.core.backend.Backend;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A plain row-major n-d array of doubles for reference computations: a shape and its values, no backend.
 * The contract kit computes every expected value on these with {@link Reference}, never with the code
 * under test.
 */
public record RefArray(int[] shape, double[] values) {
    public RefArray {
        shape = shape.clone();
        if (Reference.size(shape) != values.length) {
            throw new IllegalArgumentException("RefArray: shape " + Arrays.toString(shape) + " needs " + Reference.size(shape)
                    + " values; got " + values.length);
        }
    }

    public static RefArray of(int[] shape, double... values) { return new RefArray(shape, values); }

    public static RefArray scalar(double v) { return new RefArray(new int[0], new double[] {v}); }

    public static RefArray full(int[] shape, double v) {
        double[] a = new double[Reference.size(shape)];
        Arrays.fill(a, v);
        return new RefArray(shape, a);
    }

    /** The values and shape of a tensor (read back through its backend). */
    public static RefArray of(Tensor t) { return new RefArray(t.shape().dims(), t.toDoubleArray()); }

    public int size() { return values.length; }

    public int rank() { return shape.length; }

    public int dim(int i) { return shape[i < 0 ? i + shape.length : i]; }

    /** The values rounded to float: what an F32 tensor made from this array holds. */
    public RefArray f32() { return map(v -> (double) (float) v); }

    public RefArray rounded(DType dtype) { return dtype == DType.F32 ? f32() : this; }

    public RefArray map(DoubleUnaryOperator f) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(values[i]);
        return new RefArray(shape, out);
    }

    public RefArray reshape(int... dims) { return new RefArray(dims, values.clone()); }

    /** A tensor of these values (converted to {@code dtype}) on {@code backend}. */
    public Tensor tensor(Backend backend, DType dtype) { return Tensor.of(backend, dtype, Shape.of(shape), values); }

    @Override public int[] shape() { return shape.clone(); }

    @Override public String toString() {
        String v = values.length <= 12 ? Arrays.toString(values)
                : Arrays.toString(Arrays.copyOf(values, 12)).replace("]", ", ... (" + values.length + " values)]");
        return "RefArray" + Arrays.toString(shape) + " " + v;
    }

    @Override public boolean equals(Object o) {
        return o instanceof RefArray r && Arrays.equals(shape, r.shape) && Arrays.equals(values, r.values);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values); }
}
