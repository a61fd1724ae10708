package dev.recurrent.models.train;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.models.Activation;
import dev.recurrent.models.Modules;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.data.Batch;
import dev.recurrent.models.layers.CellFactory;
import dev.recurrent.models.layers.Linear;
import dev.recurrent.models.layers.Recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The built-in trainable model: a {@link Recurrent} layer and a {@link Linear} head applied at every step,
 * {@code y_t = head(rnn(x)_t)}, as a PyTorch module with attributes {@code rnn} and {@code head} (so its
 * state_dict names are {@code rnn.weight_ih_l0}, ..., {@code head.weight}, {@code head.bias}).
 * The carried state is the layer's final-state list ({@code [h_n]}, or {@code [h_n, c_n]} for an LSTM,
 * each {@code [L*D, B, H]}); null means zeros.
 *
 * @param <S> the cell's own per-step state type
 */
public final class RecurrentModel<S> implements Objective<List<Tensor>> {
    private final Recurrent<S> rnn;
    private final Linear head;
    private final Map<String, Parameter> params;

    public RecurrentModel(Recurrent<S> rnn, Linear head) {
        if (head.inputSize() != rnn.outputSize()) {
            throw new IllegalArgumentException("RecurrentModel: the head reads " + head.inputSize() + " features; the recurrent layer gives "
                    + rnn.outputSize());
        }
        this.rnn = rnn;
        this.head = head;
        this.params = Modules.join("rnn", rnn, "head", head);
    }

    /**
     * The model {@code spec} describes, its parameters drawn from {@code new Random(seed)}.
     *
     * @param dropoutRandom the generator of the dropout masks between layers (the trainer's {@code Rng},
     *                      so its state is checkpointed); unused without dropout
     */
    public static RecurrentModel<?> create(ModelSpec spec, long seed, Random dropoutRandom) { return create(spec, seed, dropoutRandom, null); }

    /** {@link #create(ModelSpec, long, Random)} with the parameters on {@code backend} (null: the current backend). */
    public static RecurrentModel<?> create(ModelSpec spec, long seed, Random dropoutRandom, Backend backend) {
        Options o = Options.defaults().withDtype(spec.dtype()).withBackend(backend);
        if (!Double.isNaN(spec.forgetBias())) o = o.withForgetBias(spec.forgetBias());
        return switch (spec.cell()) {
            case "elman" -> build(CellFactory.elman(spec.hidden(), Activation.TANH, o), spec, o, seed, dropoutRandom);
            case "jordan" -> build(CellFactory.jordan(spec.hidden(), spec.hidden(), Activation.TANH, o), spec, o, seed, dropoutRandom);
            case "lstm" -> build(CellFactory.lstm(spec.hidden(), o), spec, o, seed, dropoutRandom);
            case "gru" -> build(CellFactory.gru(spec.hidden(), o), spec, o, seed, dropoutRandom);
            default -> throw new IllegalArgumentException("unknown cell '" + spec.cell() + "'; expected one of " + String.join(", ", ModelSpec.CELLS));
        };
    }

    private static <T> RecurrentModel<T> build(CellFactory<T> cells, ModelSpec spec, Options o, long seed, Random dropoutRandom) {
        Random init = new Random(seed);
        Recurrent.Builder<T> b = Recurrent.builder(cells).inputSize(spec.inputSize()).layers(spec.layers())
                .bidirectional(spec.bidirectional()).dropout(spec.dropout()).random(init);
        if (dropoutRandom != null) b = b.dropoutRandom(dropoutRandom);
        Recurrent<T> rnn = b.build();
        return new RecurrentModel<>(rnn, Linear.of(rnn.outputSize(), spec.outputSize(), o, init));
    }

    @Override public Map<String, Parameter> parameters() { return params; }

    @Override public List<Tensor> initialState(Batch batch) { return null; }

    @Override
    public Forward<List<Tensor>> forward(Batch batch, int from, int to, List<Tensor> state) {
        boolean whole = from == 0 && to == batch.steps();
        if (!whole && rnn.directions() == 2) {
            throw new IllegalArgumentException("a bidirectional layer needs whole sequences; truncated BPTT windows (here steps "
                    + from + ".." + (to - 1) + " of " + batch.steps() + ") need a unidirectional model");
        }
        Tensor x = whole ? batch.inputs() : batch.inputs().slice(0, from, to);
        Recurrent.Output<S> out = rnn.forward(x, state, null);
        return new Forward<>(head.apply(out.output()), out.finalState());
    }

    @Override
    public List<Tensor> detach(List<Tensor> state) {
        if (state == null) return null;
        List<Tensor> out = new ArrayList<>(state.size());
        for (Tensor t : state) out.add(t.detach());
        return out;
    }

    @Override public void training(boolean on) { rnn.train(on); }

    public Recurrent<S> rnn() { return rnn; }

    public Linear head() { return head; }
}
