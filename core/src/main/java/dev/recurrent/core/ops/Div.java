package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.BinaryOp;

/** c = a / b (broadcast).  VJP: da = sumTo(dc/b), db = -sumTo(dc*c/b).  Saves b and c. */
public final class Div extends Broadcast {
    public Div() { super(BinaryOp.DIV); }

    @Override public Tensor[] vjp(Tensor g, Tensor c, Tensor... in) {
        Tensor gb = g.div(in[1]);
        return new Tensor[] {gb.sumTo(in[0].shape()), gb.mul(c).sumTo(in[1].shape()).neg()};
    }
}
