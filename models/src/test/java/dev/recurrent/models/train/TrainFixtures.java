package dev.recurrent.models.train;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.models.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers for the training tests: F64 scalars and vectors as named parameters on the backend under test. */
final class TrainFixtures {
    private TrainFixtures() { }

    static Backend backend() { return Backends.defaultBackend(); }

    static Tensor f64(double... v) { return Tensor.of(backend(), DType.F64, Shape.of(v.length), v); }

    static Parameter param(double... v) { return new Parameter(f64(v)); }

    /** Named parameters, in the order given: name, Parameter, name, Parameter, ... */
    static Map<String, Parameter> params(Object... nameAndParam) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndParam.length; i += 2) m.put((String) nameAndParam[i], (Parameter) nameAndParam[i + 1]);
        return m;
    }

    static Map<String, Tensor> grads(String name, double... v) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(name, f64(v));
        return m;
    }

    static double value(Parameter p) { return p.value().item(); }
}
