package dev.recurrent.models.cells;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.models.Activation;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.SequenceCell;
import dev.recurrent.models.SimpleCell;
import dev.recurrent.models.StepChecks;

import java.util.Map;
import java.util.Random;

/**
 * Elman cell, PyTorch's {@code nn.RNN} step:
 * <pre>  h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh),   act = tanh or relu</pre>
 * Shapes: {@code x:[B, I]}, {@code h:[B, H]} -> {@code h':[B, H]}; {@code weight_ih:[H, I]},
 * {@code weight_hh:[H, H]}, {@code bias_ih, bias_hh:[H]} (one gate, G = 1).
 */
public final class ElmanCell implements SimpleCell, SequenceCell<Tensor> {
    private final int inputSize, hiddenSize;
    private final Activation activation;
    private final GateWeights w;

    /** tanh, PyTorch's default init, F32 on the current backend. */
    public ElmanCell(int inputSize, int hiddenSize, Random random) {
        this(inputSize, hiddenSize, Activation.TANH, Options.defaults(), random);
    }

    /** @param activation {@link Activation#TANH} or {@link Activation#RELU} */
    public ElmanCell(int inputSize, int hiddenSize, Activation activation, Options options, Random random) {
        if (activation != Activation.TANH && activation != Activation.RELU) {
            throw new IllegalArgumentException("ElmanCell: the activation must be tanh or relu; got " + activation.label());
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.activation = activation;
        this.w = new GateWeights(1, inputSize, hiddenSize, options, random);
    }

    @Override public Tensor step(Tensor x, Tensor h) {
        StepChecks.state("h", h, StepChecks.input(x, inputSize), hiddenSize);
        return activation.apply(w.input(x).add(w.hidden(h)));
    }

    /** {@code x·W_ihᵀ + b_ih + b_hh}: both biases enter on the input side, once per sequence. */
    @Override public Tensor projectInputs(Tensor x) { return w.inputsWithBiases(x); }

    @Override public Tensor stepProjected(Tensor xp, Tensor h) {
        StepChecks.state("h", h, xp.dim(0), hiddenSize);
        return activation.apply(xp.add(w.hiddenProduct(h)));
    }

    public Activation activation() { return activation; }

    @Override public int inputSize() { return inputSize; }

    @Override public int hiddenSize() { return hiddenSize; }

    @Override public Map<String, Parameter> parameters() { return w.parameters(); }

    @Override public String name() { return "ElmanCell(" + activation.label() + ")"; }

    @Override public CellKind kind() { return activation == Activation.TANH ? CellKind.TANH : CellKind.RELU; }

    @Override public Tensor recurrentWeight() { return w.hiddenWeight(); }

    @Override public Tensor hiddenBias() { return null; }
}
