package dev.recurrent.models;

import dev.recurrent.core.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Anything that owns parameters: a cell, a layer, a model. {@link #parameters()} lists them in a fixed
 * order under their PyTorch {@code state_dict} names ({@code weight_ih_l0}, {@code bias_hh_l1_reverse},
 * {@code head.weight}), for saving, loading and optimizers.
 */
public interface Module {
    /** Every parameter, in a fixed order, under its state_dict name. */
    Map<String, Parameter> parameters();

    /** The current value of every parameter, in {@link #parameters()} order. */
    default Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters().forEach((name, p) -> out.put(name, p.value()));
        return Collections.unmodifiableMap(out);
    }

    /** Clears the accumulated gradient of every parameter. */
    default void zeroGrad() { parameters().values().forEach(p -> p.value().zeroGrad()); }

    /** Total number of scalar parameters. */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters().values()) n += p.shape().size();
        return n;
    }
}
