package dev.recurrent.models;

import dev.recurrent.core.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The elementwise nonlinearities a built-in cell can be configured with. */
public enum Activation {
    TANH, RELU, SIGMOID, IDENTITY;

    public Tensor apply(Tensor x) {
        return switch (this) {
            case TANH -> x.tanh();
            case RELU -> x.relu();
            case SIGMOID -> x.sigmoid();
            case IDENTITY -> x;
        };
    }

    /** The lower-case name used in files and on the command line. */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** Parses {@code tanh}, {@code relu}, {@code sigmoid} or {@code identity} (any case). */
    public static Activation parse(String name) {
        for (Activation a : values()) if (a.label().equalsIgnoreCase(name.trim())) return a;
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Activation::label).collect(Collectors.joining(", ")));
    }
}
