package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.UnaryOp;

/** y = tanh(x).  VJP: dx = dy * (1 - y²).  Saves y. */
public final class Tanh extends Elementwise {
    public Tanh() { super(UnaryOp.TANH); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        return new Tensor[] {g.mul(y.mul(y).rsub(1))};
    }
}
