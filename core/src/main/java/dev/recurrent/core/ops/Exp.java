package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.UnaryOp;

/** y = exp(x).  VJP: dx = dy * y.  Saves y. */
public final class Exp extends Elementwise {
    public Exp() { super(UnaryOp.EXP); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        return new Tensor[] {g.mul(y)};
    }
}
