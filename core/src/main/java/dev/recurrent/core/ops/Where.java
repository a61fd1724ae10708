package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/**
 * y = cond != 0 ? a : b, all broadcast.  VJP: da = sumTo(where(cond, dy, 0)), db = sumTo(where(cond, 0, dy));
 * cond gets none.  Saves cond.
 */
public final class Where implements Op {
    @Override public String name() { return "where"; }

    @Override public Shape shape(Shape... in) { return Shape.broadcast(name(), Shape.broadcast(name(), in[0], in[1]), in[2]); }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        return be.where(in[0].storage(), in[0].shape(), in[1].storage(), in[1].shape(), in[2].storage(), in[2].shape(), out);
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        Tensor cond = in[0].detach();
        Tensor zero = Tensor.scalar(g.backend(), g.dtype(), 0.0);
        return new Tensor[] {null, Tensor.where(cond, g, zero).sumTo(in[1].shape()), Tensor.where(cond, zero, g).sumTo(in[2].shape())};
    }
}
