package dev.recurrent.models;

import dev.recurrent.core.Tensor;

/**
 * The argument checks a cell makes at each step, with messages the {@link Unroller} prefixes with the
 * cell and the step: {@code LstmCell step t=17: input has 130 features, the cell expects 128}.
 */
public final class StepChecks {
    private StepChecks() { }

    /** {@code x} must be {@code [B, inputSize]}. Returns B. */
    public static int input(Tensor x, int inputSize) {
        if (x.rank() != 2) throw new IllegalArgumentException("input must be 2-D [batch, features]; got " + x.shape());
        if (x.dim(1) != inputSize) {
            throw new IllegalArgumentException("input has " + x.dim(1) + " features, the cell expects " + inputSize);
        }
        return x.dim(0);
    }

    /** The state tensor called {@code name} must be {@code [batch, width]}. */
    public static void state(String name, Tensor s, int batch, int width) {
        if (s.rank() != 2 || s.dim(0) != batch || s.dim(1) != width) {
            throw new IllegalArgumentException("state " + name + " has shape " + s.shape() + ", expected [" + batch + ", " + width
                    + "] (batch, " + name + " width)");
        }
    }
}
