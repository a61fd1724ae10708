package dev.recurrent.models.cells;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.ops.GruPointwise;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.SequenceCell;
import dev.recurrent.models.SimpleCell;
import dev.recurrent.models.StepChecks;

import java.util.Map;
import java.util.Random;

/**
 * GRU cell, PyTorch's {@code nn.GRU} step, gate order r, z, n, with the reset gate applied after the
 * hidden product (so {@code b_hn} sits inside the reset, as in PyTorch and cuDNN, unlike Cho et al.):
 * <pre>
 *  [a_r, a_z, a_n] = chunk3(x·W_ihᵀ + b_ih),   [b_r, b_z, b_n] = chunk3(h·W_hhᵀ + b_hh)
 *  r = σ(a_r + b_r),  z = σ(a_z + b_z)
 *  n = tanh(a_n + r*b_n)
 *  h' = (1-z)*n + z*h  =  n + z*(h - n)
 * </pre>
 * Shapes: {@code x:[B, I]}, {@code h:[B, H]}; {@code weight_ih:[3H, I]}, {@code weight_hh:[3H, H]},
 * {@code bias_ih, bias_hh:[3H]}.
 */
public final class GruCell implements SimpleCell, SequenceCell<Tensor> {
    private final int inputSize, hiddenSize;
    private final GateWeights w;

    /** PyTorch's default init, F32 on the current backend. */
    public GruCell(int inputSize, int hiddenSize, Random random) { this(inputSize, hiddenSize, Options.defaults(), random); }

    public GruCell(int inputSize, int hiddenSize, Options options, Random random) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.w = new GateWeights(3, inputSize, hiddenSize, options, random);
    }

    @Override public Tensor step(Tensor x, Tensor h) {
        StepChecks.input(x, inputSize);
        return stepProjected(w.input(x), h);                      // checks the state
    }

    @Override public Tensor projectInputs(Tensor x) { return w.input(x); }

    @Override public Tensor stepProjected(Tensor xp, Tensor h) {
        StepChecks.state("h", h, xp.dim(0), hiddenSize);
        // One fused node for the elementwise part (the backend's gruCell kernel); referenceStep is the same math op by op.
        return Tensor.apply(new GruPointwise(), xp, w.hidden(h), h);
    }

    /** The step written op by op, as in the class comment: the reference the fused {@link #step} is tested against. */
    public Tensor referenceStep(Tensor x, Tensor h) {
        StepChecks.state("h", h, StepChecks.input(x, inputSize), hiddenSize);
        Tensor[] a = w.input(x).chunk(3, 1), b = w.hidden(h).chunk(3, 1);
        Tensor r = a[0].add(b[0]).sigmoid(), z = a[1].add(b[1]).sigmoid();
        Tensor n = a[2].add(r.mul(b[2])).tanh();
        return n.add(z.mul(h.sub(n)));
    }

    @Override public int inputSize() { return inputSize; }

    @Override public int hiddenSize() { return hiddenSize; }

    @Override public Map<String, Parameter> parameters() { return w.parameters(); }

    @Override public CellKind kind() { return CellKind.GRU; }

    @Override public Tensor recurrentWeight() { return w.hiddenWeight(); }

    @Override public Tensor hiddenBias() { return w.hiddenBiasOrZeros(); }
}
