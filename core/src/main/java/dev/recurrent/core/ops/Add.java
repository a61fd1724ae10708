package dev.recurrent.core.ops;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.BinaryOp;

/** c = a + b (broadcast).  VJP: da = sumTo(dc), db = sumTo(dc).  Saves nothing. */
public final class Add extends Broadcast {
    public Add() { super(BinaryOp.ADD); }

    @Override public Tensor[] vjp(Tensor g, Tensor c, Tensor... in) {
        return new Tensor[] {g.sumTo(in[0].shape()), g.sumTo(in[1].shape())};
    }
}
