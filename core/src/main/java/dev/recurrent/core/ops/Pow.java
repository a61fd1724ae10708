package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;

/** y = x^p for a constant p.  VJP: dx = dy * p * x^(p-1).  Saves x. */
public final class Pow implements Op {
    private final double p;

    public Pow(double p) { this.p = p; }

    @Override public String name() { return "pow"; }

    @Override public Shape shape(Shape... in) { return in[0]; }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) { return be.scalar(ScalarOp.POW, in[0].storage(), p); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        if (p == 0) return new Tensor[] {g.mul(0.0)};       // d/dx x^0 = 0, also at x = 0 (x^-1 * 0 would be NaN there)
        if (p == 1) return new Tensor[] {g};
        Tensor d = p == 2 ? in[0].mul(2.0) : in[0].pow(p - 1).mul(p);
        return new Tensor[] {g.mul(d)};
    }
}
