package dev.recurrent.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the ordered parameter maps of composite modules. */
public final class Modules {
    private Modules() { }

    /**
     * The parameters of named children, PyTorch style: {@code join("x", wx, "h", wh)} gives
     * {@code x.weight, x.bias, h.weight, h.bias}.
     *
     * @param namesAndModules alternating child names (String) and children ({@link Module})
     */
    public static Map<String, Parameter> join(Object... namesAndModules) {
        if (namesAndModules.length % 2 != 0) {
            throw new IllegalArgumentException("Modules.join: needs name, module pairs; got " + namesAndModules.length + " arguments");
        }
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndModules.length; i += 2) {
            if (!(namesAndModules[i] instanceof String name) || !(namesAndModules[i + 1] instanceof Module child)) {
                throw new IllegalArgumentException("Modules.join: argument " + i + " must be a name and argument " + (i + 1) + " a Module");
            }
            child.parameters().forEach((k, p) -> put(out, name + "." + k, p));
        }
        return Collections.unmodifiableMap(out);
    }

    /** A child's parameters with {@code suffix} appended to every name ({@code weight_ih} -> {@code weight_ih_l1_reverse}). */
    public static void addSuffixed(Map<String, Parameter> into, Module child, String suffix) {
        child.parameters().forEach((k, p) -> put(into, k + suffix, p));
    }

    /** Adds a parameter, refusing a duplicate name. */
    public static void put(Map<String, Parameter> into, String name, Parameter p) {
        if (into.putIfAbsent(name, p) != null) throw new IllegalArgumentException("duplicate parameter name '" + name + "'");
    }
}
