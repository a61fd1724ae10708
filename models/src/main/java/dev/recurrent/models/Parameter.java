package dev.recurrent.models;

import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;

import java.util.Random;

/**
 * A trainable tensor held by a module, under a fixed shape. The holder is fixed; its value can be
 * replaced by another tensor of the same shape: weights loaded from a file, or the F64 leaves a
 * gradient check differentiates (a "functional call", as PyTorch's {@code torch.func.functional_call}).
 * Cells read {@link #value()} at every step, so a replacement takes effect on the next forward pass.
 */
public final class Parameter {
    private final Shape shape;
    private Tensor value;

    /** Holds {@code value}, marking it as requiring gradients. */
    public Parameter(Tensor value) {
        this.shape = value.shape();
        this.value = value.requiresGrad() ? value : value.requiresGrad(true);
    }

    /** A new parameter of {@code dims} with values from {@code init}, on {@code o}'s backend and dtype. */
    public static Parameter create(Init init, Options o, Random random, int... dims) {
        return new Parameter(init.create(Shape.of(dims), o.backend(), o.dtype(), random));
    }

    public Tensor value() { return value; }

    public Shape shape() { return shape; }

    /** Replaces the value by reference (no copy, no change to {@code requiresGrad}); the shape must match. */
    public void set(Tensor replacement) {
        ShapeException.require(replacement.shape().equals(shape), "parameter", "the new value must have the parameter's shape",
                shape, replacement.shape());
        value = replacement;
    }

    @Override public String toString() { return "Parameter" + shape + " " + value.dtype(); }
}
