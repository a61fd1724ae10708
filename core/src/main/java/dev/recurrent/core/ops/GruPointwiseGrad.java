package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/**
 * The backward of {@link GruPointwise} as one node (the backend's {@code gruCellBackward} kernel):
 * {@code (a, b:[B, 3H], h:[B, H], grad:[B, H]) -> [B, 7H] = [da | db | dh]}. Used only while backward is
 * not recorded, so it has no VJP of its own ({@link GruPointwise} differentiates with tensor ops then).
 */
public final class GruPointwiseGrad implements Op {
    @Override public String name() { return "gruPointwiseGrad"; }

    @Override public Shape shape(Shape... in) {
        Shape a = in[0], b = in[1], h = in[2], d = in[3];
        if (!(a.rank() == 2 && a.equals(b) && h.equals(d) && h.rank() == 2 && a.dim(0) == h.dim(0) && a.dim(1) == 3 * h.dim(1))) {
            throw new ShapeException("gruPointwiseGrad: needs a, b [B, 3H], h and grad [B, H]; got " + a + ", " + b + ", " + h + ", " + d);
        }
        return Shape.of(h.dim(0), 7 * h.dim(1));
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        return be.gruCellBackward(in[0].storage(), in[1].storage(), in[2].storage(), in[3].storage(), in[2].dim(0), in[2].dim(1));
    }

    @Override public Tensor[] vjp(Tensor grad, Tensor out, Tensor... in) {
        throw new UnsupportedOperationException("gruPointwiseGrad: runs only in an unrecorded backward pass; "
                + "a recorded one (createGraph) differentiates gruPointwise with tensor ops");
    }
}
