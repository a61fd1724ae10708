package dev.recurrent.models.layers;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Module;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Dense layer, PyTorch's {@code nn.Linear}: {@code y = x·Wᵀ + b}. {@code x:[..., in]} -> {@code y:[..., out]};
 * {@code weight:[out, in]}, {@code bias:[out]}. The transpose is a kernel flag, never a copy. Default init
 * as PyTorch: weight and bias uniform(±1/sqrt(in)).
 */
public final class Linear implements Module {
    private final int in, out;
    private final Parameter weight, bias;
    private final Map<String, Parameter> params;

    private Linear(int in, int out, Options o, Random random) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be positive; got in " + in + ", out " + out);
        this.in = in;
        this.out = out;
        weight = Parameter.create(o.inputInitOr(in), o, random, out, in);
        bias = o.bias() ? Parameter.create(o.biasInitOr(in), o, random, out) : null;
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("weight", weight);
        if (bias != null) m.put("bias", bias);
        params = Collections.unmodifiableMap(m);
    }

    /** PyTorch's default init, F32, with bias, on the current backend. */
    public static Linear of(int in, int out, Random random) { return new Linear(in, out, Options.defaults(), random); }

    public static Linear of(int in, int out, Options options, Random random) { return new Linear(in, out, options, random); }

    /** {@code x·Wᵀ + b} over the last axis of {@code x} (any leading axes). */
    public Tensor apply(Tensor x) {
        if (x.rank() == 0 || x.dim(-1) != in) {
            throw new IllegalArgumentException("Linear: input has " + (x.rank() == 0 ? "no" : String.valueOf(x.dim(-1)))
                    + " features, the layer expects " + in + "; got shape " + x.shape());
        }
        Tensor flat = x.rank() == 2 ? x : x.reshape(-1, in);
        Tensor y = bias == null ? Tensor.matmul(flat, false, weight.value(), true) : Tensor.linear(flat, weight.value(), bias.value());
        if (x.rank() == 2) return y;
        int[] dims = x.shape().dims();
        dims[dims.length - 1] = out;
        return y.reshape(dims);
    }

    public int inputSize() { return in; }

    public int outputSize() { return out; }

    @Override public Map<String, Parameter> parameters() { return params; }
}
