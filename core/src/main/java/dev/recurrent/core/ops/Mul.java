package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.BinaryOp;

/** c = a * b (broadcast).  VJP: da = sumTo(dc*b), db = sumTo(dc*a).  Saves a and b. */
public final class Mul extends Broadcast {
    public Mul() { super(BinaryOp.MUL); }

    @Override public Tensor[] vjp(Tensor g, Tensor c, Tensor... in) {
        return new Tensor[] {g.mul(in[1]).sumTo(in[0].shape()), g.mul(in[0]).sumTo(in[1].shape())};
    }
}
