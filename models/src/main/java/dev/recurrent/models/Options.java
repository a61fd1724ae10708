package dev.recurrent.models;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/**
 * How a cell or dense layer creates its parameters. Immutable; change one setting with a {@code with*}
 * method. A null init means PyTorch's default for that module ({@link Init#pytorchDefault}).
 *
 * @param backend       where parameters live; null means {@link Backends#current()} at creation time
 * @param dtype         parameter dtype
 * @param bias          whether the module has bias vectors
 * @param inputInit     input-to-hidden (and dense) weights
 * @param recurrentInit hidden-to-hidden weights (e.g. {@link Init#orthogonal()})
 * @param biasInit      bias vectors
 * @param forgetBias    LSTM only: the forget-gate bias starts at this value (in {@code bias_ih}, with the
 *                      forget block of {@code bias_hh} zero, so the sum is this value); NaN leaves it as drawn
 */
public record Options(Backend backend, DType dtype, boolean bias, Init inputInit, Init recurrentInit, Init biasInit,
                      double forgetBias) {

    /** PyTorch's defaults, F32, with bias, on the current backend. */
    public static Options defaults() { return new Options(null, DType.F32, true, null, null, null, Double.NaN); }

    /** The backend parameters are created on (the current one when none was set). */
    @Override public Backend backend() { return backend != null ? backend : Backends.current(); }

    public Options withBackend(Backend b) { return new Options(b, dtype, bias, inputInit, recurrentInit, biasInit, forgetBias); }

    public Options withDtype(DType d) { return new Options(backend, d, bias, inputInit, recurrentInit, biasInit, forgetBias); }

    public Options withBias(boolean b) { return new Options(backend, dtype, b, inputInit, recurrentInit, biasInit, forgetBias); }

    /** Xavier/orthogonal/zeros and the like, for input weights, recurrent weights and biases. */
    public Options withInit(Init input, Init recurrent, Init biases) {
        return new Options(backend, dtype, bias, input, recurrent, biases, forgetBias);
    }

    /** Glorot-uniform input weights, orthogonal recurrent weights, zero biases (Keras's defaults). */
    public Options withGlorotOrthogonal() { return withInit(Init.xavierUniform(), Init.orthogonal(), Init.zeros()); }

    public Options withForgetBias(double value) { return new Options(backend, dtype, bias, inputInit, recurrentInit, biasInit, value); }

    /** The input-weight init, or PyTorch's default for a module of width {@code n}. */
    public Init inputInitOr(int n) { return inputInit != null ? inputInit : Init.pytorchDefault(n); }

    public Init recurrentInitOr(int n) { return recurrentInit != null ? recurrentInit : Init.pytorchDefault(n); }

    public Init biasInitOr(int n) { return biasInit != null ? biasInit : Init.pytorchDefault(n); }
}
