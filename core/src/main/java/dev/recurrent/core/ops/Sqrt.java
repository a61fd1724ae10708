package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.UnaryOp;

/** y = sqrt(x).  VJP: dx = dy * 0.5 / y.  Saves y. */
public final class Sqrt extends Elementwise {
    public Sqrt() { super(UnaryOp.SQRT); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        return new Tensor[] {g.div(y).mul(0.5)};
    }
}
