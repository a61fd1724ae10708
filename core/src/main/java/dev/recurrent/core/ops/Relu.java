package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.UnaryOp;

/** y = max(x, 0).  VJP: dx = dy * [x &gt; 0].  Saves x. */
public final class Relu extends Elementwise {
    public Relu() { super(UnaryOp.RELU); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Tensor x = in[0];
        return new Tensor[] {g.mul(x.map(UnaryOp.STEP))};
    }
}
