package dev.recurrent.models.train;

import dev.recurrent.core.GradMode;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gradients as an ordered map {@code name -> gradient}: collecting them from parameters, checking they
 * are finite, measuring and clipping them. Clipping returns new tensors rather than scaling
 * {@code grad()} in place, because a gradient tensor may share storage with another parameter's (an op
 * may hand the same upstream gradient to two inputs), and scaling it in place would scale both.
 */
public final class Gradients {
    private Gradients() { }

    /** The gradient of every parameter that has one, in parameter order. */
    public static Map<String, Tensor> of(Map<String, Parameter> params) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            Tensor g = p.value().grad();
            if (g != null) out.put(name, g);
        });
        return out;
    }

    /**
     * The global L2 norm {@code sqrt(sum over all gradients and elements of g^2)}, accumulated in double
     * precision in map order.
     */
    public static double globalNorm(Map<String, Tensor> grads) {
        double sum = 0;
        for (Tensor g : grads.values()) {
            for (double v : g.toDoubleArray()) sum += v * v;
        }
        return Math.sqrt(sum);
    }

    /** The first non-finite element of the first gradient that has one, in map order, or null when all are finite. */
    public static NonFinite firstNonFinite(Map<String, Tensor> grads) {
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            double[] v = e.getValue().toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) return new NonFinite(e.getKey(), i, v[i], e.getValue().shape());
            }
        }
        return null;
    }

    /** Where a gradient first stopped being finite. */
    public record NonFinite(String parameter, int index, double value, Shape shape) {
        /** {@code the gradient of 'NAME' is not finite (NaN at element I of [SHAPE])}. */
        public String describe() {
            return "the gradient of '" + parameter + "' is not finite (" + value + " at element " + index + " of " + shape + ")";
        }
    }

    /**
     * Clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_}: when the norm {@code n} exceeds
     * {@code maxNorm}, every gradient is multiplied by {@code maxNorm / (n + 1e-6)}.
     *
     * @return the gradients (the same map when nothing was clipped) and the norm before clipping
     */
    public static Clipped clipByNorm(Map<String, Tensor> grads, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clip by norm: the maximum norm must be > 0; got " + maxNorm);
        double norm = globalNorm(grads);
        double coef = maxNorm / (norm + 1e-6);
        if (!(coef < 1)) return new Clipped(grads, norm, false);
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (GradMode.Scope off = GradMode.off()) {
            grads.forEach((name, g) -> out.put(name, g.mul(coef)));
        }
        return new Clipped(out, norm, true);
    }

    /**
     * Clipping by value, as {@code torch.nn.utils.clip_grad_value_}: every element into
     * {@code [-maxValue, maxValue]}.
     *
     * @return the clipped gradients and the global norm before clipping
     */
    public static Clipped clipByValue(Map<String, Tensor> grads, double maxValue) {
        if (!(maxValue > 0)) throw new IllegalArgumentException("clip by value: the limit must be > 0; got " + maxValue);
        double norm = globalNorm(grads);
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (GradMode.Scope off = GradMode.off()) {
            grads.forEach((name, g) -> out.put(name, g.clamp(-maxValue, maxValue)));
        }
        return new Clipped(out, norm, true);
    }

    /**
     * Clipped gradients.
     *
     * @param gradients the gradients to apply
     * @param norm      the global norm before clipping (for metrics)
     * @param clipped   whether any scaling or clamping was applied
     */
    public record Clipped(Map<String, Tensor> gradients, double norm, boolean clipped) { }
}
