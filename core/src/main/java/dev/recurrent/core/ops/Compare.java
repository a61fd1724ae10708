package dev.recurrent.core.ops;

import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ScalarOp;

/** Comparisons giving 0/1 masks in the inputs' dtype. Not differentiable: the result is outside the graph. */
public final class Compare {
    private Compare() { }

    public static Tensor of(BinaryOp op, Tensor a, Tensor b) {
        Shape out = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        if (a.backend() != b.backend() || a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op.name().toLowerCase() + ": inputs must share backend and dtype; got "
                    + a.dtype() + " on " + a.backend().name() + " and " + b.dtype() + " on " + b.backend().name());
        }
        return Tensor.wrap(a.backend().binary(op, a.storage(), a.shape(), b.storage(), b.shape(), out), out);
    }

    public static Tensor of(ScalarOp op, Tensor a, double s) {
        return Tensor.wrap(a.backend().scalar(op, a.storage(), s), a.shape());
    }
}
