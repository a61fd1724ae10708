package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

import java.util.ArrayList;
import java.util.List;

/** y = the inputs joined along one axis.  VJP: dx_i = the matching slice of dy.  Saves the inputs' sizes. */
public final class Concat implements Op {
    private final int axis;

    public Concat(int axis) { this.axis = axis; }

    @Override public String name() { return "concat"; }

    @Override public Shape shape(Shape... in) {
        Shape first = in[0];
        ShapeException.require(axis >= 0 && axis < first.rank(), "concat", "axis " + axis + " is out of range", first);
        int total = 0;
        for (int i = 0; i < in.length; i++) {
            boolean ok = in[i].rank() == first.rank();
            for (int d = 0; ok && d < first.rank(); d++) ok = d == axis || in[i].dim(d) == first.dim(d);
            ShapeException.require(ok, "concat", "all dimensions but axis " + axis + " must match (input " + i + " differs)", first, in[i]);
            total += in[i].dim(axis);
        }
        return first.with(axis, total);
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        List<Storage> parts = new ArrayList<>(in.length);
        int[] sizes = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            parts.add(in[i].storage());
            sizes[i] = in[i].shape().dim(axis);
        }
        return be.concat(parts, out.outer(axis), sizes, out.inner(axis));
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Tensor[] out = new Tensor[in.length];
        int at = 0;
        for (int i = 0; i < in.length; i++) {
            int n = in[i].shape().dim(axis);
            out[i] = g.slice(axis, at, at + n);
            at += n;
        }
        return out;
    }
}
