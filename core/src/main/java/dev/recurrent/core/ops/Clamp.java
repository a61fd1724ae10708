package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;

/** y = min(max(x, lo), hi).  VJP: dx = dy where lo &lt;= x &lt;= hi, else 0.  Saves x. */
public final class Clamp implements Op {
    private final double lo, hi;

    public Clamp(double lo, double hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("clamp: needs lo <= hi; got lo=" + lo + ", hi=" + hi);
        this.lo = lo;
        this.hi = hi;
    }

    @Override public String name() { return "clamp"; }

    @Override public Shape shape(Shape... in) { return in[0]; }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        Storage low = be.scalar(ScalarOp.MAX, in[0].storage(), lo);
        Storage y = be.scalar(ScalarOp.MIN, low, hi);
        low.release();
        return y;
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Backend be = in[0].backend();
        Storage x = in[0].storage();
        Storage ge = be.scalar(ScalarOp.GE, x, lo), le = be.scalar(ScalarOp.LE, x, hi);
        Tensor inside = Tensor.wrap(ge, in[0].shape()).mul(Tensor.wrap(le, in[0].shape()));
        return new Tensor[] {g.mul(inside)};
    }
}
