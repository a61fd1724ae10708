package dev.recurrent.core.ops;

import dev.recurrent.core.DType;
import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/** y = x converted to another dtype.  VJP: dx = dy converted back.  Saves x's dtype. */
public final class Cast implements Op {
    private final DType to;

    public Cast(DType to) { this.to = to; }

    @Override public String name() { return "cast"; }

    @Override public Shape shape(Shape... in) { return in[0]; }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) { return be.cast(in[0].storage(), to); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) { return new Tensor[] {g.to(in[0].dtype())}; }
}
