package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;

/**
 * y = (x - max) - log(sum(exp(x - max))) along one axis.  VJP: dx = dy - exp(y) * sum(dy, axis).  Saves y.
 */
public final class LogSoftmax implements Op {
    private final int axis;

    public LogSoftmax(int axis) { this.axis = axis; }

    @Override public String name() { return "logSoftmax"; }

    @Override public Shape shape(Shape... in) {
        in[0].axis(name(), axis);
        return in[0];
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        Shape s = in[0].shape();
        int axis = s.axis(name(), this.axis);
        Storage sh = Softmax.shifted(be, in[0].storage(), s, axis);
        Storage e = be.unary(UnaryOp.EXP, sh);
        Storage sum = be.reduce(ReduceOp.SUM, e, s.outer(axis), s.dim(axis), s.inner(axis));
        Storage lse = be.unary(UnaryOp.LOG, sum);
        Storage y = be.binary(BinaryOp.SUB, sh, s, lse, s.with(axis, 1), s);
        for (Storage t : new Storage[] {sh, e, sum, lse}) t.release();
        return y;
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        return new Tensor[] {g.sub(y.exp().mul(g.sum(true, axis)))};
    }
}
