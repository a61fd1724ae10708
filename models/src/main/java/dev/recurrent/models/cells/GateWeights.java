package dev.recurrent.models.cells;

import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The fused gate weights of an Elman, LSTM or GRU cell, in PyTorch's layout: {@code weight_ih:[G*H, I]},
 * {@code weight_hh:[G*H, H]}, {@code bias_ih:[G*H]}, {@code bias_hh:[G*H]} (no biases when
 * {@code Options.bias()} is false), gate blocks stacked by rows. One product per operand per step,
 * {@code x·W_ihᵀ} and {@code h·W_hhᵀ} ({@code [B, G*H]}), with the transpose passed to the kernel as a
 * flag; the cell then splits the result into its gates with {@code chunk(G, 1)}.
 *
 * <p>Created (and drawn from the random generator) in PyTorch's order: weight_ih, weight_hh, bias_ih, bias_hh.
 */
public final class GateWeights {
    private final Parameter wIh, wHh, bIh, bHh;
    private final Map<String, Parameter> params;

    public GateWeights(int gates, int inputSize, int hiddenSize, Options o, Random random) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("cell sizes must be positive; got input " + inputSize + ", hidden " + hiddenSize);
        }
        int rows = gates * hiddenSize;
        wIh = Parameter.create(o.inputInitOr(hiddenSize), o, random, rows, inputSize);
        wHh = Parameter.create(o.recurrentInitOr(hiddenSize), o, random, rows, hiddenSize);
        bIh = o.bias() ? Parameter.create(o.biasInitOr(hiddenSize), o, random, rows) : null;
        bHh = o.bias() ? Parameter.create(o.biasInitOr(hiddenSize), o, random, rows) : null;
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("weight_ih", wIh);
        m.put("weight_hh", wHh);
        if (bIh != null) {
            m.put("bias_ih", bIh);
            m.put("bias_hh", bHh);
        }
        params = Collections.unmodifiableMap(m);
    }

    /** {@code x·W_ihᵀ + b_ih}: {@code [N, I] -> [N, G*H]}, one step's batch or every step's rows at once. */
    public Tensor input(Tensor x) { return affine(x, wIh.value(), bIh == null ? null : bIh.value()); }

    /**
     * {@code x·W_ihᵀ + (b_ih + b_hh)} ({@code [N, I] -> [N, G*H]}): both biases folded into the input side,
     * for cells where they are only ever added together (Elman, LSTM; not GRU's n gate). With
     * {@link #hiddenProduct} it sums to {@code input(x) + hidden(h)}, with one bias add per sequence
     * instead of one per step.
     */
    public Tensor inputsWithBiases(Tensor x) {
        return affine(x, wIh.value(), bIh == null ? null : bIh.value().add(bHh.value()));
    }

    /** {@code h·W_hhᵀ} without the bias ({@code [B, H] -> [B, G*H]}; see {@link #inputsWithBiases}). */
    public Tensor hiddenProduct(Tensor h) { return affine(h, wHh.value(), null); }

    /** {@code h·W_hhᵀ + b_hh}: {@code [B, H] -> [B, G*H]}. */
    public Tensor hidden(Tensor h) { return affine(h, wHh.value(), bHh == null ? null : bHh.value()); }

    /**
     * {@code x·wᵀ + bias} (no bias: null). For the usual 2-D x, one product with the bias in it (no second
     * pass over the [rows, G·H] result).
     */
    private static Tensor affine(Tensor x, Tensor w, Tensor bias) {
        if (bias == null) return Tensor.matmul(x, false, w, true);
        return x.rank() == 2 ? Tensor.linear(x, w, bias) : Tensor.matmul(x, false, w, true).add(bias);
    }

    /** {@code W_hh} ({@code [G*H, H]}). */
    public Tensor hiddenWeight() { return wHh.value(); }

    /** {@code b_hh} ({@code [G*H]}), or zeros when the cell has no biases. */
    public Tensor hiddenBiasOrZeros() {
        return bHh != null ? bHh.value() : Tensor.zeros(wHh.value().backend(), wHh.value().dtype(), Shape.of(wHh.value().dim(0)));
    }

    /** weight_ih, weight_hh, bias_ih, bias_hh (PyTorch's RNNCell/LSTMCell/GRUCell names). */
    public Map<String, Parameter> parameters() { return params; }

    Parameter biasIh() { return bIh; }

    Parameter biasHh() { return bHh; }
}
