package dev.recurrent.models.train;

/**
 * A training step produced a NaN or infinite loss or gradient, and was stopped before any parameter was
 * updated. The message says where: {@code step 17: the gradient of 'weight_hh_l0' is not finite (NaN at
 * element 3 of [8, 8]); stopped before the update, parameters unchanged}.
 */
public class NonFiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final long step;
    private final String parameter;

    public NonFiniteException(String message, long step, String parameter) {
        super(message);
        this.step = step;
        this.parameter = parameter;
    }

    /** The training step (1-based) that went bad. */
    public long step() { return step; }

    /** The first parameter whose gradient was not finite, or null when the loss itself was not. */
    public String parameter() { return parameter; }
}
