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
 * y = exp(x - max) / sum(exp(x - max)) along one axis (shifted, so it never overflows).
 * VJP: dx = y * (dy - sum(dy * y, axis)).  Saves y.
 */
public final class Softmax implements Op {
    private final int axis;

    public Softmax(int axis) { this.axis = axis; }

    @Override public String name() { return "softmax"; }

    @Override public Shape shape(Shape... in) {
        in[0].axis(name(), axis);
        return in[0];
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        Shape s = in[0].shape();
        int axis = s.axis(name(), this.axis);
        Shape k = s.with(axis, 1);
        Storage e = shiftedExp(be, in[0].storage(), s, axis);
        Storage sum = be.reduce(ReduceOp.SUM, e, s.outer(axis), s.dim(axis), s.inner(axis));
        Storage y = be.binary(BinaryOp.DIV, e, s, sum, k, s);
        e.release();
        sum.release();
        return y;
    }

    /** exp(x - max(x, axis)), the stable numerator shared with log-softmax. */
    static Storage shiftedExp(Backend be, Storage x, Shape s, int axis) {
        Storage sh = shifted(be, x, s, axis);
        Storage e = be.unary(UnaryOp.EXP, sh);
        sh.release();
        return e;
    }

    static Storage shifted(Backend be, Storage x, Shape s, int axis) {
        Storage max = be.reduce(ReduceOp.MAX, x, s.outer(axis), s.dim(axis), s.inner(axis));
        Storage sh = be.binary(BinaryOp.SUB, x, s, max, s.with(axis, 1), s);
        max.release();
        return sh;
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        return new Tensor[] {y.mul(g.sub(g.mul(y).sum(true, axis)))};
    }
}
