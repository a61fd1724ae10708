package dev.recurrent.core.ops;

import dev.recurrent.core.WindowVjp;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/**
 * y = x[..., start:end, ...] along one axis.  VJP: dx = dy padded with zeros back to x's shape (a concat).
 * Saves nothing but x's shape.
 */
public final class Slice implements WindowVjp {
    private final int axis, start, end;

    public Slice(int axis, int start, int end) {
        this.axis = axis;
        this.start = start;
        this.end = end;
    }

    @Override public String name() { return "slice"; }

    /** The window is contiguous when every axis before the sliced one has size 1 (a time step of [T, B, I]). */
    @Override public int windowOffset(Shape x) { return x.outer(axis) == 1 ? start * x.inner(axis) : -1; }

    @Override public Shape shape(Shape... in) {
        Shape x = in[0];
        ShapeException.require(axis >= 0 && axis < x.rank() && 0 <= start && start <= end && end <= x.dim(axis), "slice",
                "range [" + start + ", " + end + ") must lie inside axis " + axis, x);
        return x.with(axis, end - start);
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        Shape x = in[0].shape();
        return be.slice(in[0].storage(), x.outer(axis), x.dim(axis), x.inner(axis), start, end - start);
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Shape x = in[0].shape();
        if (start == 0 && end == x.dim(axis)) return new Tensor[] {g};
        java.util.List<Tensor> parts = new java.util.ArrayList<>(3);
        if (start > 0) parts.add(Tensor.zeros(g.backend(), g.dtype(), x.with(axis, start)));
        parts.add(g);
        if (end < x.dim(axis)) parts.add(Tensor.zeros(g.backend(), g.dtype(), x.with(axis, x.dim(axis) - end)));
        return new Tensor[] {Tensor.concat(axis, parts)};
    }
}
