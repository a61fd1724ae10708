package dev.recurrent.models.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.recurrent.core.GradMode;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates an ordered map of named parameters from their gradients, in place ({@link Tensor#assign} inside
 * {@link GradMode#off()}), with the math of PyTorch's {@code torch.optim} (each subclass gives its rule).
 *
 * <p>State: each parameter has its own update count {@code t} (1 for its first update; a parameter with
 * no gradient in a step is skipped, as in PyTorch) and the subclass's state tensors ({@code exp_avg},
 * {@code momentum_buffer}, ...), allocated as zeros when the optimizer is made, so create the optimizer
 * outside any {@code MemoryScope}: its state must outlive the steps. {@link #stateTensors()} and
 * {@link #toJson()} give all of it as a safetensors-ready map (names {@code <parameter>.<state>}) and a
 * JSON object (type, hyperparameters, counts); {@link Optimizers#restore} rebuilds an equal optimizer.
 *
 * <p>The learning rate: {@link #baseLearningRate()} is the configured one; a schedule sets the rate of
 * each update with {@link #setLearningRate} (the trainer does this before every update).
 */
public abstract class Optimizer {
    private final String type;
    private final Map<String, Parameter> params;
    private final Map<String, Map<String, Tensor>> state = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final double baseLr;
    private double lr;
    private long updates;

    protected Optimizer(String type, Map<String, Parameter> params, double lr) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException(type + ": needs at least one parameter; got none");
        requireNonNegative(type, "learning rate", lr);
        this.type = type;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.baseLr = lr;
        this.lr = lr;
        for (String name : this.params.keySet()) {
            state.put(name, new LinkedHashMap<>());
            counts.put(name, 0L);
        }
    }

    /**
     * One parameter's update, already inside {@link GradMode#off()}.
     *
     * @param name the parameter's name (for its state)
     * @param p    its value, to update with {@code p.assign(...)}
     * @param g    its gradient (after clipping), same shape
     * @param t    this parameter's update count, 1 on its first update
     * @param lr   the learning rate of this update
     */
    protected abstract void update(String name, Tensor p, Tensor g, long t, double lr);

    /** The hyperparameters other than the learning rate, for {@link #toJson()}. */
    protected abstract void writeHyperparameters(JsonObject out);

    /** Registers a state tensor for every parameter, zeros (or {@code initial}) of the parameter's shape. */
    protected final void addState(String key, double initial) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor v = e.getValue().value();
            state.get(e.getKey()).put(key, Tensor.full(v.backend(), v.dtype(), v.shape(), initial));
        }
    }

    /** A state tensor of a parameter (update it with {@code assign}). */
    protected final Tensor state(String param, String key) { return state.get(param).get(key); }

    /** Updates every parameter from its {@code grad()}; parameters without a gradient are skipped. */
    public final void step() {
        Map<String, Tensor> grads = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            Tensor g = p.value().grad();
            if (g != null) grads.put(name, g);
        });
        step(grads);
    }

    /**
     * Updates every parameter named in {@code grads} from that gradient (for example clipped ones); the
     * others are skipped. An unknown name or a wrong shape fails before anything is updated.
     */
    public final void step(Map<String, Tensor> grads) {
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            Parameter p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException(type + ": a gradient for '" + e.getKey() + "', which is not one of this optimizer's "
                        + params.size() + " parameters (" + String.join(", ", params.keySet()) + ")");
            }
            if (!e.getValue().shape().equals(p.shape())) {
                throw new IllegalArgumentException(type + ": the gradient of '" + e.getKey() + "' has shape " + e.getValue().shape()
                        + "; the parameter has " + p.shape());
            }
        }
        try (GradMode.Scope off = GradMode.off()) {
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                Tensor g = grads.get(e.getKey());
                if (g == null) continue;
                long t = counts.merge(e.getKey(), 1L, Long::sum);
                update(e.getKey(), e.getValue().value(), g, t, lr);
            }
        }
        updates++;
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() { params.values().forEach(p -> p.value().zeroGrad()); }

    /** The parameters, in order. */
    public final Map<String, Parameter> parameters() { return params; }

    /** Short name: {@code sgd}, {@code adagrad}, {@code rmsprop}, {@code adam}, {@code adamw}. */
    public final String type() { return type; }

    /** The configured learning rate. */
    public final double baseLearningRate() { return baseLr; }

    /** The learning rate the next update uses. */
    public final double learningRate() { return lr; }

    /** Sets the learning rate of the next updates (a schedule's value). */
    public final void setLearningRate(double rate) {
        requireNonNegative(type, "learning rate", rate);
        lr = rate;
    }

    /** Number of {@link #step} calls so far (the index a schedule uses for the next update). */
    public final long updates() { return updates; }

    /** The update count of one parameter. */
    public final long updates(String param) {
        Long n = counts.get(param);
        if (n == null) throw new IllegalArgumentException(type + ": no parameter '" + param + "'");
        return n;
    }

    /** Every state tensor under {@code <parameter>.<state>} (PyTorch's state names), in parameter order; live, not copies. */
    public final Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((name, s) -> s.forEach((key, t) -> out.put(name + "." + key, t)));
        return out;
    }

    /** Type, hyperparameters, learning rates and update counts (everything but the state tensors). */
    public final JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("lr", baseLr);
        writeHyperparameters(o);
        o.addProperty("current_lr", lr);
        o.addProperty("updates", updates);
        JsonObject steps = new JsonObject();
        counts.forEach(steps::addProperty);
        o.add("steps", steps);
        return o;
    }

    /**
     * Restores counts, the current learning rate and every state tensor (copied in place, converted to
     * each parameter's dtype and backend) from what {@link #toJson()} and {@link #stateTensors()} gave.
     * Nothing changes unless everything is present and of the right shape.
     */
    public final void load(JsonObject json, Map<String, Tensor> tensors) {
        String saved = Optimizers.string(json, "type");
        if (!type.equals(saved)) throw new IllegalArgumentException("optimizer state is for '" + saved + "'; this optimizer is '" + type + "'");
        JsonObject steps = json.has("steps") && json.get("steps").isJsonObject() ? json.getAsJsonObject("steps") : null;
        if (steps == null) throw new IllegalArgumentException("optimizer state has no per-parameter \"steps\" object");
        List<String> problems = new ArrayList<>();
        for (String name : params.keySet()) if (!steps.has(name)) problems.add("no step count for '" + name + "'");
        for (String name : steps.keySet()) if (!params.containsKey(name)) problems.add("a step count for unknown parameter '" + name + "'");
        stateTensors().forEach((key, t) -> {
            Tensor src = tensors.get(key);
            if (src == null) problems.add("no tensor '" + key + "'");
            else if (!src.shape().equals(t.shape())) problems.add("'" + key + "' has shape " + src.shape() + ", expected " + t.shape());
        });
        if (!problems.isEmpty()) throw new IllegalArgumentException("optimizer state does not match this " + type + " optimizer: " + String.join("; ", problems));
        try (GradMode.Scope off = GradMode.off()) {
            stateTensors().forEach((key, t) -> t.assign(tensors.get(key).to(t.dtype()).to(t.backend())));
        }
        for (Map.Entry<String, JsonElement> e : steps.entrySet()) counts.put(e.getKey(), e.getValue().getAsLong());
        updates = Optimizers.number(json, "updates").longValue();
        lr = json.has("current_lr") ? Optimizers.number(json, "current_lr").doubleValue() : baseLr;
    }

    static void requireNonNegative(String type, String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(type + ": the " + what + " must be finite and >= 0; got " + v);
    }

    static void requireFraction(String type, String what, double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException(type + ": " + what + " must be in [0, 1); got " + v);
    }

    @Override public String toString() { return toJson().toString(); }
}
