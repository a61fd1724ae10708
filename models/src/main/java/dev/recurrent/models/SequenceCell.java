package dev.recurrent.models;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.CellKind;

/**
 * A {@link ProjectedCell} whose step is one of the backend's built-in recurrences ({@link CellKind}), so
 * the {@link Unroller} can run the whole sequence as one graph node ({@link dev.recurrent.core.ops.Recurrence}):
 * backpropagation through time then runs inside the backend, with one weight-gradient product for all
 * steps. The step-by-step graph stays the definition: the fused run must equal it (values and gradients).
 * The state's tensors ({@link #unpack}) are the recurrence's states in its order (h; h and c for LSTM).
 */
public interface SequenceCell<S> extends ProjectedCell<S> {
    /** Which recurrence the step computes. */
    CellKind kind();

    /** {@code W_hh}: {@code [G·H, H]}. */
    Tensor recurrentWeight();

    /**
     * For kinds with a hidden-side bias (GRU): {@code b_hh} ({@code [G·H]}, zeros when the cell has no
     * biases); null for the others, whose biases are all in {@link #projectInputs}.
     */
    Tensor hiddenBias();
}
