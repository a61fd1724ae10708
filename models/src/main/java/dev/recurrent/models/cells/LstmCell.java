package dev.recurrent.models.cells;

import dev.recurrent.core.GradMode;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.ops.LstmPointwise;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.SequenceCell;
import dev.recurrent.models.StepChecks;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * LSTM cell, PyTorch's {@code nn.LSTM} step (no peepholes). Gate order i, f, g, o in the row blocks of
 * the fused weights:
 * <pre>
 *  [i, f, g, o] = chunk4(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)
 *  i = σ(i), f = σ(f), g = tanh(g), o = σ(o)
 *  c' = f*c + i*g
 *  h' = o*tanh(c')
 * </pre>
 * Shapes: {@code x:[B, I]}, {@code h, c:[B, H]}; {@code weight_ih:[4H, I]}, {@code weight_hh:[4H, H]},
 * {@code bias_ih, bias_hh:[4H]}. The output is h. With {@link Options#forgetBias()} set, the forget block
 * of {@code bias_ih} starts at that value and that of {@code bias_hh} at 0 (Gers et al. 2000; Jozefowicz
 * et al. 2015 recommend 1).
 */
public final class LstmCell implements SequenceCell<LstmState> {
    private final int inputSize, hiddenSize;
    private final GateWeights w;

    /** PyTorch's default init, F32 on the current backend. */
    public LstmCell(int inputSize, int hiddenSize, Random random) { this(inputSize, hiddenSize, Options.defaults(), random); }

    public LstmCell(int inputSize, int hiddenSize, Options options, Random random) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.w = new GateWeights(4, inputSize, hiddenSize, options, random);
        if (!Double.isNaN(options.forgetBias()) && options.bias()) {
            setForgetBlock(w.biasIh(), options.forgetBias());
            setForgetBlock(w.biasHh(), 0.0);
        }
    }

    private void setForgetBlock(Parameter bias, double value) {
        double[] v = bias.value().toDoubleArray();
        for (int k = hiddenSize; k < 2 * hiddenSize; k++) v[k] = value;
        try (GradMode.Scope off = GradMode.off()) {
            bias.value().assign(Tensor.of(bias.value().backend(), bias.value().dtype(), Shape.of(v.length), v));
        }
    }

    @Override public LstmState step(Tensor x, LstmState s) {
        StepChecks.input(x, inputSize);
        return stepProjected(projectInputs(x), s);                // checks the state
    }

    /** {@code x·W_ihᵀ + b_ih + b_hh}: both biases enter on the input side, once per sequence. */
    @Override public Tensor projectInputs(Tensor x) { return w.inputsWithBiases(x); }

    @Override public LstmState stepProjected(Tensor xp, LstmState s) {
        StepChecks.state("h", s.h(), xp.dim(0), hiddenSize);
        StepChecks.state("c", s.c(), xp.dim(0), hiddenSize);
        // One fused node for the elementwise part (the backend's lstmCell kernel); referenceStep is the same math op by op.
        Tensor hc = Tensor.apply(new LstmPointwise(), xp.add(w.hiddenProduct(s.h())), s.c());
        return new LstmState(hc.slice(1, 0, hiddenSize), hc.slice(1, hiddenSize, 2 * hiddenSize));
    }

    /** The step written op by op, as in the class comment: the reference the fused {@link #step} is tested against. */
    public LstmState referenceStep(Tensor x, LstmState s) {
        int batch = StepChecks.input(x, inputSize);
        StepChecks.state("h", s.h(), batch, hiddenSize);
        StepChecks.state("c", s.c(), batch, hiddenSize);
        Tensor[] gates = w.input(x).add(w.hidden(s.h())).chunk(4, 1);
        Tensor i = gates[0].sigmoid(), f = gates[1].sigmoid(), g = gates[2].tanh(), o = gates[3].sigmoid();
        Tensor c = f.mul(s.c()).add(i.mul(g));
        return new LstmState(o.mul(c.tanh()), c);
    }

    @Override public int inputSize() { return inputSize; }

    @Override public int outputSize() { return hiddenSize; }

    public int hiddenSize() { return hiddenSize; }

    @Override public LstmState zeroState(int batch) {
        Tensor like = w.parameters().get("weight_hh").value();
        Tensor z = Tensor.zeros(like.backend(), like.dtype(), Shape.of(batch, hiddenSize));
        return new LstmState(z, z);
    }

    @Override public Tensor output(LstmState s) { return s.h(); }

    @Override public List<Tensor> unpack(LstmState s) { return List.of(s.h(), s.c()); }

    @Override public LstmState pack(List<Tensor> parts) {
        if (parts.size() != 2) throw new IllegalArgumentException("LstmCell: the state is (h, c); got " + parts.size() + " tensors");
        return new LstmState(parts.get(0), parts.get(1));
    }

    @Override public List<String> stateNames() { return List.of("h", "c"); }

    @Override public Map<String, Parameter> parameters() { return w.parameters(); }

    @Override public CellKind kind() { return CellKind.LSTM; }

    @Override public Tensor recurrentWeight() { return w.hiddenWeight(); }

    @Override public Tensor hiddenBias() { return null; }
}
