package dev.recurrent.models.cells;

import dev.recurrent.core.Tensor;

/** The state of an {@link LstmCell}: hidden state {@code h:[B, H]} (the output) and cell state {@code c:[B, H]}. */
public record LstmState(Tensor h, Tensor c) { }
