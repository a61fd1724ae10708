package dev.recurrent.core;

/**
 * An op whose output is a window of its first input, so that the input's gradient is the output's gradient
 * placed in that window of zeros. When the window is one contiguous block of the input's memory, autograd
 * adds the gradient into that block of the input's gradient in place instead of materialising the zeros:
 * for one time step sliced from a {@code [T, B, I]} sequence, padding would cost T times the step's size,
 * and T² over the sequence.
 */
public interface WindowVjp extends Op {
    /** Where the window starts in input 0's memory when it is one contiguous block, else -1. */
    int windowOffset(Shape input);
}
