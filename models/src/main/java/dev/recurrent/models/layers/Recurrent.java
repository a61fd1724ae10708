package dev.recurrent.models.layers;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Cell;
import dev.recurrent.models.Module;
import dev.recurrent.models.Modules;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.Unrolled;
import dev.recurrent.models.Unroller;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A recurrent layer in PyTorch's shape ({@code nn.RNN/LSTM/GRU}): L stacked layers of any cell, D = 2
 * directions when bidirectional, dropout between layers, optional initial states, variable lengths.
 * <pre>
 *  input     [T, B, I]            time-major
 *  initial   one [L*D, B, w] per state tensor (h0, and c0 for an LSTM); zeros when absent
 *  output    [T, B, D*w]          the top layer at every step, directions concatenated (forward first)
 *  final     one [L*D, B, w] per state tensor (h_n, c_n), index layer*D + direction
 * </pre>
 * Layer l > 0 reads the D*w features of layer l-1. The reverse direction runs over the valid part of each
 * sequence reversed (see {@link Unroller}). Parameters are the cells' names with {@code _l{k}} and
 * {@code _reverse} suffixes, PyTorch's state_dict ({@code weight_ih_l0}, {@code bias_hh_l1_reverse}, ...),
 * ordered layer, direction, parameter.
 */
public final class Recurrent<S> implements Module {
    private final List<Cell<S>> cells;                 // index layer * directions + direction
    private final int inputSize, layers, directions;
    private final double dropout;
    private final Random dropoutRandom;
    private final Map<String, Parameter> params;
    private boolean training = true;

    /** The result of a forward pass; {@code runs} holds each layer and direction's unrolled steps (index l*D + d). */
    public record Output<S>(Tensor output, List<Tensor> finalState, List<Unrolled<S>> runs) {
        /** The final hidden states {@code h_n:[L*D, B, H]} (y_n for a Jordan cell). */
        public Tensor h() { return finalState.get(0); }

        /** The final cell states {@code c_n:[L*D, B, H]} of an LSTM. */
        public Tensor c() {
            if (finalState.size() < 2) throw new IllegalStateException("this layer's cell has no c state");
            return finalState.get(1);
        }
    }

    private Recurrent(CellFactory<S> factory, int inputSize, int layers, boolean bidirectional, double dropout, Random random, Random dropoutRandom) {
        if (inputSize <= 0) throw new IllegalArgumentException("Recurrent: the input size must be positive; got " + inputSize);
        if (layers <= 0) throw new IllegalArgumentException("Recurrent: the number of layers must be positive; got " + layers);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("Recurrent: dropout must be in [0, 1); got " + dropout);
        this.inputSize = inputSize;
        this.layers = layers;
        this.directions = bidirectional ? 2 : 1;
        this.dropout = dropout;
        this.dropoutRandom = dropoutRandom;
        List<Cell<S>> made = new ArrayList<>();
        Map<String, Parameter> m = new LinkedHashMap<>();
        int in = inputSize;
        for (int l = 0; l < layers; l++) {
            int width = -1;
            for (int d = 0; d < directions; d++) {
                Cell<S> cell = factory.create(in, random);
                if (cell.inputSize() != in) {
                    throw new IllegalArgumentException("Recurrent: the cell factory made a cell for " + cell.inputSize() + " inputs at layer " + l + "; needed " + in);
                }
                width = cell.outputSize();
                made.add(cell);
                Modules.addSuffixed(m, cell, "_l" + l + (d == 1 ? "_reverse" : ""));
            }
            in = directions * width;
        }
        this.cells = List.copyOf(made);
        this.params = Collections.unmodifiableMap(m);
    }

    public static <S> Builder<S> builder(CellFactory<S> factory) { return new Builder<>(factory); }

    /** Builds a {@link Recurrent}; every random choice comes from {@link #seed} unless a generator is given. */
    public static final class Builder<S> {
        private final CellFactory<S> factory;
        private int inputSize = -1, layers = 1;
        private boolean bidirectional;
        private double dropout;
        private Random random, dropoutRandom;
        private long seed = 0;

        private Builder(CellFactory<S> factory) { this.factory = factory; }

        public Builder<S> inputSize(int n) { inputSize = n; return this; }
        public Builder<S> layers(int n) { layers = n; return this; }
        public Builder<S> bidirectional(boolean on) { bidirectional = on; return this; }
        /** Dropout with probability p on the outputs of every layer but the last, in training mode. */
        public Builder<S> dropout(double p) { dropout = p; return this; }
        /** Seeds both the parameter init and the dropout masks (the latter with {@code seed + 1}). */
        public Builder<S> seed(long s) { seed = s; return this; }
        public Builder<S> random(Random r) { random = r; return this; }
        public Builder<S> dropoutRandom(Random r) { dropoutRandom = r; return this; }

        public Recurrent<S> build() {
            return new Recurrent<>(factory, inputSize, layers, bidirectional, dropout,
                    random != null ? random : new Random(seed), dropoutRandom != null ? dropoutRandom : new Random(seed + 1));
        }
    }

    public Output<S> forward(Tensor input) { return forward(input, null, null); }

    public Output<S> forward(Tensor input, int[] lengths) { return forward(input, null, lengths); }

    /**
     * Runs every layer and direction.
     *
     * @param initial one {@code [L*D, B, w]} tensor per state tensor (h0, c0), or null for zeros
     * @param lengths valid steps per sequence, or null when all are T
     */
    public Output<S> forward(Tensor input, List<Tensor> initial, int[] lengths) {
        if (input.rank() != 3 || input.dim(2) != inputSize) {
            throw new IllegalArgumentException("Recurrent: the input must be [T, B, " + inputSize + "] (time-major); got " + input.shape());
        }
        int batch = input.dim(1);
        List<Tensor[]> init = splitInitial(initial, batch);
        List<Unrolled<S>> runs = new ArrayList<>();
        Tensor x = input;
        for (int l = 0; l < layers; l++) {
            Tensor[] outs = new Tensor[directions];
            for (int d = 0; d < directions; d++) {
                int i = l * directions + d;
                Cell<S> cell = cells.get(i);
                S s0 = null;
                if (init != null) {
                    List<Tensor> parts = new ArrayList<>();
                    for (Tensor[] comp : init) parts.add(comp[i]);
                    s0 = cell.pack(parts);
                }
                Unrolled<S> run;
                try {
                    run = Unroller.of(cell).initial(s0).lengths(lengths).reverse(d == 1).run(x);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Recurrent layer " + l + (d == 1 ? " reverse" : "") + ": " + e.getMessage(), e);
                }
                runs.add(run);
                outs[d] = run.outputs();
            }
            x = directions == 1 ? outs[0] : Tensor.concat(2, outs);
            if (training && dropout > 0 && l < layers - 1) x = x.dropout(dropout, dropoutRandom);
        }
        return new Output<>(x, finals(runs), List.copyOf(runs));
    }

    private List<Tensor> finals(List<Unrolled<S>> runs) {
        int parts = cells.get(0).unpack(runs.get(0).finalState()).size();
        List<Tensor> out = new ArrayList<>(parts);
        for (int k = 0; k < parts; k++) {
            Tensor[] each = new Tensor[runs.size()];
            for (int i = 0; i < runs.size(); i++) each[i] = cells.get(i).unpack(runs.get(i).finalState()).get(k);
            out.add(Tensor.stack(0, each));
        }
        return out;
    }

    /** Checks and splits the initial states into per-layer-and-direction {@code [B, w]} tensors. */
    private List<Tensor[]> splitInitial(List<Tensor> initial, int batch) {
        if (initial == null) return null;
        List<String> names = cells.get(0).stateNames();
        if (initial.size() != names.size()) {
            throw new IllegalArgumentException("Recurrent: the cell's state is " + names + ", so " + names.size()
                    + " initial tensors are needed; got " + initial.size());
        }
        List<Tensor[]> out = new ArrayList<>();
        for (int k = 0; k < initial.size(); k++) {
            Tensor s = initial.get(k);
            if (s.rank() != 3 || s.dim(0) != layers * directions || s.dim(1) != batch) {
                throw new IllegalArgumentException("Recurrent: the initial state " + names.get(k) + "0 has shape " + s.shape()
                        + "; expected [L*D=" + layers * directions + ", B=" + batch + ", width]");
            }
            out.add(s.unbind(0));
        }
        return out;
    }

    /** Restarts the dropout mask generator at {@code seed} (a gradient check needs the same masks on every pass). */
    public Recurrent<S> seedDropout(long seed) { dropoutRandom.setSeed(seed); return this; }

    /** Training mode applies dropout between layers; evaluation mode does not. */
    public Recurrent<S> train(boolean on) { training = on; return this; }

    public boolean training() { return training; }

    /** The cell of layer {@code l}, direction {@code d} (0 forward, 1 reverse). */
    public Cell<S> cell(int l, int d) { return cells.get(l * directions + d); }

    public int inputSize() { return inputSize; }

    public int layers() { return layers; }

    public int directions() { return directions; }

    /** Features per step of the output: D times the cells' output size. */
    public int outputSize() { return directions * cells.get(cells.size() - 1).outputSize(); }

    @Override public Map<String, Parameter> parameters() { return params; }
}
