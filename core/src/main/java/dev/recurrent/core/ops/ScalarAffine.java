package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;

/** y = a*x + b for constants a, b (covers x+s, x*s, -x, s-x).  VJP: dx = a * dy.  Saves nothing. */
public final class ScalarAffine implements Op {
    private final double a, b;

    public ScalarAffine(double a, double b) {
        this.a = a;
        this.b = b;
    }

    @Override public String name() {
        if (a == -1 && b == 0) return "neg";
        return a == 1 ? "add_scalar" : b == 0 ? "mul_scalar" : "affine";
    }

    @Override public Shape shape(Shape... in) { return in[0]; }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        Storage x = in[0].storage();
        if (a == 1) return be.scalar(ScalarOp.ADD, x, b);
        if (b == 0) return be.scalar(ScalarOp.MUL, x, a);
        if (a == -1) return be.scalar(ScalarOp.RSUB, x, b);
        Storage ax = be.scalar(ScalarOp.MUL, x, a);
        Storage y = be.scalar(ScalarOp.ADD, ax, b);
        ax.release();
        return y;
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) { return new Tensor[] {a == 1 ? g : g.mul(a)}; }
}
