package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.Storage;

/** Shape rule and forward shared by the elementwise ops of two broadcast inputs. */
abstract class Broadcast implements Op {
    private final BinaryOp kernel;

    Broadcast(BinaryOp kernel) { this.kernel = kernel; }

    @Override public String name() { return kernel.name().toLowerCase(); }

    @Override public Shape shape(Shape... in) { return Shape.broadcast(name(), in[0], in[1]); }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        return be.binary(kernel, in[0].storage(), in[0].shape(), in[1].storage(), in[1].shape(), out);
    }
}
