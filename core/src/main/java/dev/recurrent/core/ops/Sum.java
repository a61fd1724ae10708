package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.Storage;

import java.util.Arrays;

/** y = sum of x over some axes (all when none is given), optionally keeping them as 1s.  VJP: dx = dy broadcast back.  Saves x's shape. */
public final class Sum implements Op {
    private final int[] axes;
    private final boolean keepDims;

    public Sum(int[] axes, boolean keepDims) {
        this.axes = axes.clone();
        this.keepDims = keepDims;
    }

    /** Sorted, distinct, non-negative axes; none means all. */
    public static int[] normalise(Shape x, int[] axes) { return normalise("sum", x, axes); }

    /** As {@link #normalise(Shape, int[])}, with errors naming {@code op}. */
    public static int[] normalise(String op, Shape x, int[] axes) {
        if (axes.length == 0) {
            int[] all = new int[x.rank()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return all;
        }
        int[] a = new int[axes.length];
        for (int i = 0; i < a.length; i++) a[i] = x.axis(op, axes[i]);
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) ShapeException.require(a[i] != a[i - 1], op, "axes must be distinct, got " + Arrays.toString(axes), x);
        return a;
    }

    static Shape kept(Shape x, int[] axes) {
        Shape k = x;
        for (int a : axes) k = k.with(a, 1);
        return k;
    }

    @Override public String name() { return "sum"; }

    @Override public Shape shape(Shape... in) {
        int[] a = normalise(in[0], axes);
        Shape out = kept(in[0], a);
        if (!keepDims) for (int i = a.length - 1; i >= 0; i--) out = out.without(a[i]);
        return out;
    }

    /**
     * One reduction per run of adjacent axes, from the last run: axes i..j of x are one axis of
     * {@code dim(i)·...·dim(j)} elements in memory, so the sum of a whole tensor is one pass, added in the
     * backend's precision (double for F32) throughout rather than rounded to the dtype after each axis.
     */
    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        Shape s = in[0].shape();
        Storage cur = in[0].storage();
        int[] a = normalise(s, axes);
        for (int j = a.length - 1; j >= 0; ) {
            int i = j;
            while (i > 0 && a[i - 1] == a[i] - 1) i--;
            long n = 1;
            for (int q = i; q <= j; q++) n *= s.dim(a[q]);
            Storage next = be.reduce(ReduceOp.SUM, cur, s.outer(a[i]), (int) n, s.inner(a[j]));
            if (cur != in[0].storage()) cur.release();
            cur = next;
            for (int q = i; q <= j; q++) s = s.with(a[q], 1);
            j = i - 1;
        }
        return cur == in[0].storage() ? be.cast(cur, cur.dtype()) : cur;
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Shape k = kept(in[0].shape(), normalise(in[0].shape(), axes));
        return new Tensor[] {g.reshape(k.dims()).expand(in[0].shape())};
    }
}
