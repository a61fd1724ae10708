package dev.recurrent.models;

import dev.recurrent.core.Tensor;

import java.util.List;

/**
 * One time step of a recurrent network, written with core ops: {@code state' = step(x_t, state)}.
 * The {@link Unroller} runs a cell over a time-major sequence {@code [T, B, I]}; backpropagation
 * through time is {@code backward()} on the graph those steps record. Stacking, bidirectional runs,
 * masks for variable lengths and dropout are layers around a cell, not cases inside it.
 *
 * <p>The state {@code S} may hold several tensors (an LSTM's {@code (h, c)}); the unroller needs to see
 * them as a list to freeze finished sequences and to take gradients per step, hence {@link #unpack} and
 * {@link #pack}. Each state tensor is {@code [B, width]}. A cell whose state is one tensor that is also
 * its output implements {@link SimpleCell} and gets all of this for free.
 *
 * @param <S> the state carried from one step to the next
 */
public interface Cell<S> extends Module {
    /** One step: {@code x} is {@code [B, inputSize()]}, the result is the next state. */
    S step(Tensor x, S state);

    /** Features per input step. */
    int inputSize();

    /** Features of {@link #output}, what a layer emits per step. */
    int outputSize();

    /** The state used when none is given: zeros of the parameters' dtype and backend for {@code batch} rows. */
    S zeroState(int batch);

    /** What the cell emits at a step: {@code h} for Elman, LSTM and GRU, {@code y} for Jordan. {@code [B, outputSize()]}. */
    Tensor output(S state);

    /** The state's tensors, in a fixed order (each {@code [B, width]}). */
    List<Tensor> unpack(S state);

    /** The state made of these tensors (the inverse of {@link #unpack}). */
    S pack(List<Tensor> parts);

    /** Names of the state's tensors, in {@link #unpack} order, for messages ({@code h}, {@code c}). */
    default List<String> stateNames() { return List.of("h"); }

    /** The name used in error messages ("LstmCell step t=17: ..."). */
    default String name() { return getClass().getSimpleName(); }
}
