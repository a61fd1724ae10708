package dev.recurrent.models;

import dev.recurrent.core.Tensor;

import java.util.List;

/**
 * What {@link Unroller#run} returns.
 *
 * @param outputs    {@code [T, B, outputSize]}: the cell's output at every step, zero at padded steps
 * @param finalState the state after the last valid step of each sequence (after t = 0 when reversed)
 * @param states     the state at each time index t (index = position in the sequence, also when reversed)
 * @param stepGraph  whether the states are intermediate tensors of the graph, so {@code Autograd.grad} can
 *                   give dL/dh_t (a run recorded step by step); false for a fused run (one graph node for
 *                   the whole sequence), whose states are read out of that node's output
 */
public record Unrolled<S>(Tensor outputs, S finalState, List<S> states, boolean stepGraph) {
    /** A run recorded step by step ({@link #stepGraph} true). */
    public Unrolled(Tensor outputs, S finalState, List<S> states) { this(outputs, finalState, states, true); }

    public int steps() { return states.size(); }
}
