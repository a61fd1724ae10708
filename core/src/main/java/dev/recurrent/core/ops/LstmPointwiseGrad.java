package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/**
 * The backward of {@link LstmPointwise} as one node (the backend's {@code lstmCellBackward} kernel):
 * {@code (gates:[B, 4H], c:[B, H], grad:[B, 2H]) -> [B, 5H] = [dgates | dc]}. Used only while backward
 * is not recorded, so it has no VJP of its own ({@link LstmPointwise} differentiates with tensor ops then).
 */
public final class LstmPointwiseGrad implements Op {
    @Override public String name() { return "lstmPointwiseGrad"; }

    @Override public Shape shape(Shape... in) {
        Shape g = in[0], c = in[1], d = in[2];
        if (!(g.rank() == 2 && c.rank() == 2 && d.rank() == 2 && g.dim(0) == c.dim(0) && d.dim(0) == c.dim(0)
                && g.dim(1) == 4 * c.dim(1) && d.dim(1) == 2 * c.dim(1))) {
            throw new ShapeException("lstmPointwiseGrad: needs gates [B, 4H], c [B, H], grad [B, 2H]; got " + g + ", " + c + ", " + d);
        }
        return Shape.of(c.dim(0), 5 * c.dim(1));
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        return be.lstmCellBackward(in[0].storage(), in[1].storage(), in[2].storage(), in[1].dim(0), in[1].dim(1));
    }

    @Override public Tensor[] vjp(Tensor grad, Tensor out, Tensor... in) {
        throw new UnsupportedOperationException("lstmPointwiseGrad: runs only in an unrecorded backward pass; "
                + "a recorded one (createGraph) differentiates lstmPointwise with tensor ops");
    }
}
