package dev.recurrent.models;

import dev.recurrent.core.Tensor;

/**
 * A cell whose input enters only through one affine map {@code x·W_ihᵀ + b_ih} (Elman, LSTM, GRU). The
 * {@link Unroller} then computes that map for every time step at once, one {@code [T·B, I]} matrix
 * product, and hands each step its rows; {@code step(x, s)} must equal {@code stepProjected(projectInputs(x), s)}.
 */
public interface ProjectedCell<S> extends Cell<S> {
    /** {@code x:[N, inputSize()]} -> {@code [N, G·H]}: the input's contribution to the gates. */
    Tensor projectInputs(Tensor x);

    /** One step given the projected input {@code xp:[B, G·H]} (rows of {@link #projectInputs}). */
    S stepProjected(Tensor xp, S state);
}
