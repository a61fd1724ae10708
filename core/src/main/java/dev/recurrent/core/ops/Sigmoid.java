package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.UnaryOp;

/** y = 1 / (1 + exp(-x)).  VJP: dx = dy * y * (1 - y).  Saves y. */
public final class Sigmoid extends Elementwise {
    public Sigmoid() { super(UnaryOp.SIGMOID); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        return new Tensor[] {g.mul(y.mul(y.rsub(1)))};
    }
}
