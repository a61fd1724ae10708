package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.UnaryOp;

/** y = |x|.  VJP: dx = dy * sign(x) (0 at 0).  Saves x. */
public final class Abs extends Elementwise {
    public Abs() { super(UnaryOp.ABS); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Tensor x = in[0];
        return new Tensor[] {g.mul(x.map(UnaryOp.SIGN))};
    }
}
