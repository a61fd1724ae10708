package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.Storage;

/**
 * y = max of x along one axis.  VJP: dx = dy at the positions holding the maximum, shared equally among
 * ties (as PyTorch's amax).  Saves x and y.
 */
public final class Max implements Op {
    private final int axis;
    private final boolean keepDims;

    public Max(int axis, boolean keepDims) {
        this.axis = axis;
        this.keepDims = keepDims;
    }

    @Override public String name() { return "max"; }

    @Override public Shape shape(Shape... in) {
        in[0].axis(name(), axis);
        return keepDims ? in[0].with(axis, 1) : in[0].without(axis);
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        Shape s = in[0].shape();
        int axis = s.axis(name(), this.axis);
        return be.reduce(ReduceOp.MAX, in[0].storage(), s.outer(axis), s.dim(axis), s.inner(axis));
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Shape x = in[0].shape(), k = x.with(axis, 1);
        Tensor hit = in[0].detach().eq(y.detach().reshape(k.dims()));
        Tensor share = hit.div(hit.sum(true, axis));
        return new Tensor[] {g.reshape(k.dims()).mul(share)};
    }
}
