package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.Storage;

/**
 * y = x broadcast to a target shape.  VJP: dx = sumTo(dy, x.shape).  Saves nothing.
 * {@link #sumTo} is the one place in core where broadcasting is undone.
 */
public final class Expand implements Op {
    private final Shape target;

    public Expand(Shape target) { this.target = target; }

    @Override public String name() { return "expand"; }

    @Override public Shape shape(Shape... in) {
        ShapeException.require(Shape.broadcast("expand", in[0], target).equals(target), "expand",
                "the shape must broadcast to the target", in[0], target);
        return target;
    }

    /**
     * One element (the gradient of a sum, a scalar loss's seed) is a fill; anything else a broadcast add of
     * zero, which makes a negative zero positive.
     */
    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        if (in[0].size() == 1) return be.full(in[0].dtype(), out.size(), be.toDoubleArray(in[0].storage())[0]);
        Storage zero = be.full(in[0].dtype(), 1, 0.0);
        Storage y = be.binary(BinaryOp.ADD, in[0].storage(), in[0].shape(), zero, Shape.scalar(), out);
        zero.release();
        return y;
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) { return new Tensor[] {g.sumTo(in[0].shape())}; }

    /** Sums {@code g} over the axes along which {@code target} was broadcast to {@code g}'s shape. */
    public static Tensor sumTo(Tensor g, Shape target) {
        Shape s = g.shape();
        if (s.equals(target)) return g;
        int lead = s.rank() - target.rank();
        ShapeException.require(lead >= 0, "sumTo", "the target must not have more dimensions than the gradient", s, target);
        int[] axes = new int[s.rank()];
        int n = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (i < lead) axes[n++] = i;
            else if (target.dim(i - lead) == 1 && s.dim(i) != 1) axes[n++] = i;
            else ShapeException.require(target.dim(i - lead) == s.dim(i), "sumTo", "the target must broadcast to the gradient's shape", s, target);
        }
        Tensor r = n == 0 ? g : g.sum(true, java.util.Arrays.copyOf(axes, n));
        return r.reshape(target.dims());
    }
}
