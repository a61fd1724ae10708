package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;

/** Shape rule and forward shared by the elementwise ops of one input that map to a unary kernel. */
abstract class Elementwise implements Op {
    private final UnaryOp kernel;

    Elementwise(UnaryOp kernel) { this.kernel = kernel; }

    @Override public String name() { return kernel.name().toLowerCase(); }

    @Override public Shape shape(Shape... in) { return in[0]; }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) { return be.unary(kernel, in[0].storage()); }
}
