package dev.recurrent.models.layers;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Activation;
import dev.recurrent.models.Cell;
import dev.recurrent.models.Options;
import dev.recurrent.models.cells.ElmanCell;
import dev.recurrent.models.cells.GruCell;
import dev.recurrent.models.cells.JordanCell;
import dev.recurrent.models.cells.LstmCell;
import dev.recurrent.models.cells.LstmState;

import java.util.Random;

/**
 * Makes the cell of one layer and direction of a {@link Recurrent} layer, given that layer's input size
 * (I for the first layer, D*H above it). Any lambda will do, so a researcher's own cell stacks and runs
 * bidirectionally like the built-in ones.
 */
@FunctionalInterface
public interface CellFactory<S> {
    Cell<S> create(int inputSize, Random random);

    static CellFactory<Tensor> elman(int hidden, Activation activation, Options o) {
        return (in, r) -> new ElmanCell(in, hidden, activation, o, r);
    }

    static CellFactory<LstmState> lstm(int hidden, Options o) { return (in, r) -> new LstmCell(in, hidden, o, r); }

    static CellFactory<Tensor> gru(int hidden, Options o) { return (in, r) -> new GruCell(in, hidden, o, r); }

    static CellFactory<Tensor> jordan(int hidden, int output, Activation activation, Options o) {
        return (in, r) -> new JordanCell(in, hidden, output, activation, o, r);
    }
}
