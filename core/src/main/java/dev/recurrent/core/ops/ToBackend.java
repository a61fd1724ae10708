package dev.recurrent.core.ops;

import dev.recurrent.core.DType;
import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/** y = a copy of x on another backend.  VJP: dx = dy copied back to x's backend.  Saves x's backend. */
public final class ToBackend implements Op {
    private final Backend target;

    public ToBackend(Backend target) { this.target = target; }

    @Override public String name() { return "to(" + target.name() + ")"; }

    @Override public Shape shape(Shape... in) { return in[0]; }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        Storage x = in[0].storage();
        return x.dtype() == DType.F32 ? target.fromArray(DType.F32, be.toFloatArray(x)) : target.fromArray(DType.F64, be.toDoubleArray(x));
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) { return new Tensor[] {g.to(in[0].backend())}; }
}
