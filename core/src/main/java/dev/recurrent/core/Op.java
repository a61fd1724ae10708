package dev.recurrent.core;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/**
 * One differentiable operation: its shape rule, its forward kernel call and its vector-Jacobian product.
 * Instances carry the op's parameters (an axis, a scalar); run one with {@link Tensor#apply}.
 *
 * <p>The VJP is written with tensor ops, so it runs on any backend and, when the backward pass is itself
 * recorded ({@code createGraph}), gives gradients of gradients. A user-defined op implements this
 * interface outside core and can be checked with {@link dev.recurrent.core.check.GradCheck}.
 */
public interface Op {
    /** Name used in error messages and reports. */
    String name();

    /** The output shape for these input shapes; throws {@link ShapeException} when they don't fit. */
    Shape shape(Shape... inputs);

    /** Computes the output storage (of shape {@code out}) with the inputs' backend. */
    Storage forward(Backend backend, Shape out, Tensor... inputs);

    /**
     * Gradients with respect to each input given {@code grad}, the gradient of the output. Entry i may be
     * null when input i is not differentiable (integer ids, a mask) or gets no gradient.
     *
     * @param out the forward output (saved, for rules like tanh' = 1 - out²)
     */
    Tensor[] vjp(Tensor grad, Tensor out, Tensor... inputs);

    /**
     * Called when autograd frees this application's saved values (after a backward pass that did not
     * retain the graph): an op that keeps state of its own for the VJP releases it here.
     */
    default void freeSaved() { }
}
