package dev.recurrent.models.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;

import java.util.List;
import java.util.Map;

/** Makes optimizers by name (for configs and the command line) and rebuilds saved ones. */
public final class Optimizers {
    /** Every optimizer name {@link #create} accepts. */
    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");

    private Optimizers() { }

    /**
     * An optimizer with PyTorch's default hyperparameters: {@code sgd}, {@code momentum} (SGD, 0.9),
     * {@code nesterov} (SGD, Nesterov 0.9), {@code adagrad}, {@code rmsprop}, {@code adam}, {@code adamw}
     * (decay 0.01); {@code weightDecay} (when > 0) replaces the default weight decay.
     */
    public static Optimizer create(String name, Map<String, Parameter> params, double lr, double weightDecay) {
        Optimizer.requireNonNegative(name, "weight decay", weightDecay);
        return switch (name) {
            case "sgd" -> new Sgd(params, lr, 0, 0, weightDecay, false);
            case "momentum" -> new Sgd(params, lr, 0.9, 0, weightDecay, false);
            case "nesterov" -> new Sgd(params, lr, 0.9, 0, weightDecay, true);
            case "adagrad" -> new Adagrad(params, lr, 0, weightDecay, 0, 1e-10);
            case "rmsprop" -> new RmsProp(params, lr, 0.99, 1e-8, weightDecay, 0, false);
            case "adam" -> new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, false, false);
            case "adamw" -> new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay > 0 ? weightDecay : 0.01, false, true);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }

    /** {@link #create} without weight decay (AdamW keeps its default 0.01). */
    public static Optimizer create(String name, Map<String, Parameter> params, double lr) { return create(name, params, lr, 0); }

    /**
     * The optimizer {@code json} ({@link Optimizer#toJson()}) describes, over {@code params}, with its
     * counts and state tensors ({@link Optimizer#stateTensors()}) restored.
     */
    public static Optimizer restore(Map<String, Parameter> params, JsonObject json, Map<String, Tensor> tensors) {
        Optimizer o = fromJson(params, json);
        o.load(json, tensors);
        return o;
    }

    /** A fresh optimizer with the type and hyperparameters of {@code json} (state not restored). */
    public static Optimizer fromJson(Map<String, Parameter> params, JsonObject json) {
        String type = string(json, "type");
        double lr = num(json, "lr");
        return switch (type) {
            case "sgd" -> new Sgd(params, lr, num(json, "momentum"), num(json, "dampening"), num(json, "weight_decay"), bool(json, "nesterov"));
            case "adagrad" -> new Adagrad(params, lr, num(json, "lr_decay"), num(json, "weight_decay"),
                    num(json, "initial_accumulator_value"), num(json, "eps"));
            case "rmsprop" -> new RmsProp(params, lr, num(json, "alpha"), num(json, "eps"), num(json, "weight_decay"),
                    num(json, "momentum"), bool(json, "centered"));
            case "adam", "adamw" -> new Adam(params, lr, num(json, "beta1"), num(json, "beta2"), num(json, "eps"),
                    num(json, "weight_decay"), bool(json, "amsgrad"), type.equals("adamw"));
            default -> throw new IllegalArgumentException("optimizer state: unknown type '" + type + "'; expected sgd, adagrad, rmsprop, adam or adamw");
        };
    }

    static String string(JsonObject o, String key) {
        JsonPrimitive p = primitive(o, key);
        if (!p.isString()) throw new IllegalArgumentException("optimizer state: \"" + key + "\" must be a string; got " + p);
        return p.getAsString();
    }

    static Number number(JsonObject o, String key) {
        JsonPrimitive p = primitive(o, key);
        if (!p.isNumber()) throw new IllegalArgumentException("optimizer state: \"" + key + "\" must be a number; got " + p);
        return p.getAsNumber();
    }

    private static double num(JsonObject o, String key) { return number(o, key).doubleValue(); }

    private static boolean bool(JsonObject o, String key) {
        JsonPrimitive p = primitive(o, key);
        if (!p.isBoolean()) throw new IllegalArgumentException("optimizer state: \"" + key + "\" must be true or false; got " + p);
        return p.getAsBoolean();
    }

    private static JsonPrimitive primitive(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive()) throw new IllegalArgumentException("optimizer state: missing \"" + key + "\"");
        return e.getAsJsonPrimitive();
    }
}
