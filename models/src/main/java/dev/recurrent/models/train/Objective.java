package dev.recurrent.models.train;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Module;
import dev.recurrent.models.data.Batch;

/**
 * What a {@link Trainer} trains: a recurrent model with named parameters ({@link Module#parameters()}) and
 * a loss, that can run any window of time steps of a batch from a given state, so truncated BPTT can cut
 * a sequence into windows and carry the state between them. {@link RecurrentModel} is the built-in one; a
 * researcher's own model implements these four methods.
 *
 * @param <S> the state carried between windows (for example the list {@code [h_n, c_n]}); null may stand
 *            for the model's zero state
 */
public interface Objective<S> extends Module {
    /** The state entering step 0 of {@code batch}. */
    S initialState(Batch batch);

    /**
     * Runs steps {@code [from, to)} of every sequence of {@code batch}, starting from {@code state}.
     *
     * @return the outputs of those steps {@code [to - from, B, O]} (O = output features or class logits)
     *         and the state after step {@code to - 1}
     */
    Forward<S> forward(Batch batch, int from, int to, S state);

    /** {@code state} cut from the graph (every tensor detached), to carry into the next window. */
    S detach(S state);

    /**
     * The loss of the outputs of steps {@code [from, to)}: cross-entropy for class targets, mean squared
     * error otherwise, each the mean over the unmasked elements of those steps ({@link Loss}).
     */
    default Tensor loss(Tensor outputs, Batch batch, int from, int to) {
        Batch w = batch.slice(from, to);
        return w.classification() ? Loss.crossEntropy(outputs, w.targetIds(), w.mask()) : Loss.mse(outputs, w.targets(), w.mask());
    }

    /** Switches training behaviour (dropout) on or off; evaluation and sampling switch it off. */
    default void training(boolean on) { }

    /**
     * What {@link #forward} returns.
     *
     * @param outputs {@code [steps, B, O]}
     * @param state   the state after the last step
     */
    record Forward<S>(Tensor outputs, S state) { }
}
