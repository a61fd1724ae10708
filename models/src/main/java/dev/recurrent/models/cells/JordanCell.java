package dev.recurrent.models.cells;

import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Activation;
import dev.recurrent.models.Cell;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.StepChecks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Jordan cell (Jordan 1986): the context is the previous <em>output</em>, not the previous hidden state.
 * <pre>
 *  h_t = tanh(x_t·W_ihᵀ + y_{t-1}·W_yhᵀ + b_h)
 *  y_t = act(h_t·W_hyᵀ + b_y),   act = tanh, sigmoid or identity
 * </pre>
 * The state is {@code y:[B, O]} (zeros, or {@code y0}, before the first step), which is also the output.
 * Shapes: {@code x:[B, I]}; {@code weight_ih:[H, I]}, {@code weight_yh:[H, O]}, {@code bias_h:[H]},
 * {@code weight_hy:[O, H]}, {@code bias_y:[O]}. Default init: uniform(±1/sqrt(H)) for the first three,
 * uniform(±1/sqrt(H)) (PyTorch's Linear rule, fan-in H) for the output layer.
 */
public final class JordanCell implements Cell<Tensor> {
    private final int inputSize, hiddenSize, outputSize;
    private final Activation activation;
    private final Parameter wIh, wYh, bH, wHy, bY;
    private final Map<String, Parameter> params;

    public JordanCell(int inputSize, int hiddenSize, int outputSize, Activation activation, Options o, Random random) {
        if (activation == Activation.RELU) throw new IllegalArgumentException("JordanCell: the output activation must be tanh, sigmoid or identity; got relu");
        if (inputSize <= 0 || hiddenSize <= 0 || outputSize <= 0) {
            throw new IllegalArgumentException("JordanCell: sizes must be positive; got input " + inputSize + ", hidden " + hiddenSize + ", output " + outputSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.outputSize = outputSize;
        this.activation = activation;
        wIh = Parameter.create(o.inputInitOr(hiddenSize), o, random, hiddenSize, inputSize);
        wYh = Parameter.create(o.recurrentInitOr(hiddenSize), o, random, hiddenSize, outputSize);
        bH = o.bias() ? Parameter.create(o.biasInitOr(hiddenSize), o, random, hiddenSize) : null;
        wHy = Parameter.create(o.inputInitOr(hiddenSize), o, random, outputSize, hiddenSize);
        bY = o.bias() ? Parameter.create(o.biasInitOr(hiddenSize), o, random, outputSize) : null;
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("weight_ih", wIh);
        m.put("weight_yh", wYh);
        if (bH != null) m.put("bias_h", bH);
        m.put("weight_hy", wHy);
        if (bY != null) m.put("bias_y", bY);
        params = Collections.unmodifiableMap(m);
    }

    @Override public Tensor step(Tensor x, Tensor y) {
        StepChecks.state("y", y, StepChecks.input(x, inputSize), outputSize);
        Tensor a = Tensor.matmul(x, false, wIh.value(), true).add(Tensor.matmul(y, false, wYh.value(), true));
        Tensor h = (bH == null ? a : a.add(bH.value())).tanh();
        Tensor o = Tensor.matmul(h, false, wHy.value(), true);
        return activation.apply(bY == null ? o : o.add(bY.value()));
    }

    @Override public int inputSize() { return inputSize; }

    @Override public int outputSize() { return outputSize; }

    public int hiddenSize() { return hiddenSize; }

    public Activation activation() { return activation; }

    @Override public Tensor zeroState(int batch) { return Tensor.zeros(wIh.value().backend(), wIh.value().dtype(), Shape.of(batch, outputSize)); }

    @Override public Tensor output(Tensor y) { return y; }

    @Override public List<Tensor> unpack(Tensor y) { return List.of(y); }

    @Override public Tensor pack(List<Tensor> parts) {
        if (parts.size() != 1) throw new IllegalArgumentException("JordanCell: the state is y; got " + parts.size() + " tensors");
        return parts.get(0);
    }

    @Override public List<String> stateNames() { return List.of("y"); }

    @Override public Map<String, Parameter> parameters() { return params; }

    @Override public String name() { return "JordanCell(" + activation.label() + ")"; }
}
