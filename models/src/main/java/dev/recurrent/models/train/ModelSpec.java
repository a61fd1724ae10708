package dev.recurrent.models.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.recurrent.core.DType;

import java.util.List;

/**
 * The architecture of a {@link RecurrentModel}: a recurrent layer of one of the built-in cells and a
 * linear head. Stored in checkpoint configs, so the same model can be rebuilt to resume or sample.
 *
 * @param cell          {@code elman}, {@code jordan}, {@code lstm} or {@code gru}
 * @param inputSize     I, features per input step
 * @param hidden        H, hidden units per layer and direction
 * @param outputSize    O, the head's outputs (regression features or class logits)
 * @param layers        stacked layers
 * @param bidirectional whether each layer also runs backwards (needs whole sequences: no truncated BPTT)
 * @param dropout       dropout between stacked layers, in [0, 1)
 * @param forgetBias    LSTM forget-gate bias at initialisation (NaN: PyTorch's default init)
 * @param dtype         F32 or F64
 */
public record ModelSpec(String cell, int inputSize, int hidden, int outputSize, int layers, boolean bidirectional, double dropout,
                        double forgetBias, DType dtype) {
    /** The cell names {@link RecurrentModel#create} knows. */
    public static final List<String> CELLS = List.of("elman", "jordan", "lstm", "gru");

    public ModelSpec {
        if (!CELLS.contains(cell)) throw new IllegalArgumentException("unknown cell '" + cell + "'; expected one of " + String.join(", ", CELLS));
        if (inputSize <= 0 || hidden <= 0 || outputSize <= 0 || layers <= 0) {
            throw new IllegalArgumentException("model sizes must be positive; got input " + inputSize + ", hidden " + hidden + ", output "
                    + outputSize + ", layers " + layers);
        }
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
        if (dtype == null) throw new IllegalArgumentException("model dtype must be given (F32 or F64)");
    }

    /** One unidirectional layer, no dropout, PyTorch's init, F32. */
    public static ModelSpec of(String cell, int inputSize, int hidden, int outputSize) {
        return new ModelSpec(cell, inputSize, hidden, outputSize, 1, false, 0, Double.NaN, DType.F32);
    }

    public ModelSpec withLayers(int n) { return new ModelSpec(cell, inputSize, hidden, outputSize, n, bidirectional, dropout, forgetBias, dtype); }

    public ModelSpec withBidirectional(boolean on) { return new ModelSpec(cell, inputSize, hidden, outputSize, layers, on, dropout, forgetBias, dtype); }

    public ModelSpec withDropout(double p) { return new ModelSpec(cell, inputSize, hidden, outputSize, layers, bidirectional, p, forgetBias, dtype); }

    public ModelSpec withForgetBias(double b) { return new ModelSpec(cell, inputSize, hidden, outputSize, layers, bidirectional, dropout, b, dtype); }

    public ModelSpec withDtype(DType d) { return new ModelSpec(cell, inputSize, hidden, outputSize, layers, bidirectional, dropout, forgetBias, d); }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("cell", cell);
        o.addProperty("input_size", inputSize);
        o.addProperty("hidden", hidden);
        o.addProperty("output_size", outputSize);
        o.addProperty("layers", layers);
        o.addProperty("bidirectional", bidirectional);
        o.addProperty("dropout", dropout);
        if (!Double.isNaN(forgetBias)) o.addProperty("forget_bias", forgetBias);
        o.addProperty("dtype", dtype.name());
        return o;
    }

    public static ModelSpec fromJson(JsonObject o) {
        try {
            return new ModelSpec(get(o, "cell").getAsString(), get(o, "input_size").getAsInt(), get(o, "hidden").getAsInt(),
                    get(o, "output_size").getAsInt(), get(o, "layers").getAsInt(), get(o, "bidirectional").getAsBoolean(),
                    get(o, "dropout").getAsDouble(), o.has("forget_bias") ? o.get("forget_bias").getAsDouble() : Double.NaN,
                    DType.valueOf(get(o, "dtype").getAsString()));
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
            throw new IllegalArgumentException("model spec: a value has the wrong type (" + e.getMessage() + ")");
        }
    }

    private static JsonElement get(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive()) throw new IllegalArgumentException("model spec: missing \"" + key + "\"");
        return e;
    }
}
