package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.UnaryOp;

/** y = log(x).  VJP: dx = dy / x.  Saves x. */
public final class Log extends Elementwise {
    public Log() { super(UnaryOp.LOG); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Tensor x = in[0];
        return new Tensor[] {g.div(x)};
    }
}
