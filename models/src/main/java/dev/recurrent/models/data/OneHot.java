package dev.recurrent.models.data;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;

/** One-hot vectors of symbol ids. */
public final class OneHot {
    private OneHot() { }

    /**
     * {@code [T, B, classes]} with a 1 at {@code ids[t*B + b]} in row (t, b); a negative id gives a zero row.
     *
     * @throws IllegalArgumentException when an id is {@code >= classes} or the count is not T*B
     */
    public static Tensor encode(int[] ids, int steps, int batch, int classes, Backend backend, DType dtype) {
        if (ids.length != steps * batch) {
            throw new IllegalArgumentException("OneHot: " + ids.length + " ids for T*B = " + steps + "*" + batch + " positions");
        }
        double[] v = new double[ids.length * classes];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= classes) throw new IllegalArgumentException("OneHot: id " + ids[i] + " at position " + i + " is outside 0.." + (classes - 1));
            if (ids[i] >= 0) v[i * classes + ids[i]] = 1;
        }
        return Tensor.of(backend, dtype, Shape.of(steps, batch, classes), v);
    }
}
