package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/**
 * {@code y = x·Wᵀ + b} (PyTorch's {@code F.linear}): x:[m,k], W:[n,k], b:[n] -> y:[m,n], through the
 * backend's {@link Backend#matmulBias}, which may start y from b and accumulate the product into it (no
 * separate pass over y for the bias, no second [m,n] tensor).
 * VJP: dx = dy·W, dW = dyᵀ·x, db = the column sums of dy; an input that does not require grad gets none
 * (null), so its product or sum is never computed.  Saves x and W.
 */
public final class Linear implements Op {
    @Override public String name() { return "linear"; }

    @Override public Shape shape(Shape... in) {
        Shape x = in[0], w = in[1], b = in[2];
        require(x.rank() == 2 && w.rank() == 2 && b.rank() == 1, "expected x [m, k], W [n, k] and b [n]", x, w, b);
        require(x.dim(1) == w.dim(1), "x and W must share their last dimension (k)", x, w, b);
        require(b.dim(0) == w.dim(0), "b must have one element per row of W (n)", x, w, b);
        return Shape.of(x.dim(0), w.dim(0));
    }

    private static void require(boolean ok, String what, Shape x, Shape w, Shape b) {
        if (!ok) throw new ShapeException("linear: " + what + "; got x=" + x + ", W=" + w + ", b=" + b);
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        return be.matmulBias(in[0].storage(), false, in[1].storage(), true, in[2].storage(), out.dim(0), out.dim(1),
                in[0].shape().dim(1));
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Tensor x = in[0], w = in[1], b = in[2];
        Tensor dx = x.requiresGrad() ? Tensor.matmul(g, false, w, false) : null;
        Tensor dw = w.requiresGrad() ? Tensor.matmul(g, true, x, false) : null;
        Tensor db = b.requiresGrad() ? g.sumTo(b.shape()) : null;
        return new Tensor[] {dx, dw, db};
    }
}
