package dev.recurrent.models.conformance;

import dev.recurrent.core.DType;
import dev.recurrent.models.Activation;

import java.util.Locale;
import java.util.Map;

/**
 * The layer a conformance case describes, parsed from its {@code __metadata__} (see
 * {@code shared/conformance/README.md}): cell {@code rnn_tanh|rnn_relu|lstm|gru|jordan}, input_size,
 * hidden_size, num_layers, bidirectional, bias, dtype, and for jordan output_size and output_activation.
 */
public record LayerSpec(String cell, int inputSize, int hiddenSize, int layers, boolean bidirectional, boolean bias, DType dtype,
                        int outputSize, Activation outputActivation) {
    public static final String CELLS = "rnn_tanh, rnn_relu, lstm, gru, jordan";

    public boolean isJordan() { return cell.equals("jordan"); }

    public boolean isLstm() { return cell.equals("lstm"); }

    /** Parses and validates the metadata; every problem is an IllegalArgumentException naming the key. */
    public static LayerSpec parse(Map<String, String> meta) {
        String cell = require(meta, "cell").trim().toLowerCase(Locale.ROOT);
        if (!(cell.equals("rnn_tanh") || cell.equals("rnn_relu") || cell.equals("lstm") || cell.equals("gru") || cell.equals("jordan"))) {
            throw new IllegalArgumentException("case metadata: unknown cell '" + meta.get("cell") + "'; expected one of " + CELLS);
        }
        int input = positive(meta, "input_size", null), hidden = positive(meta, "hidden_size", null);
        int layers = positive(meta, "num_layers", "1");
        boolean bidirectional = bool(meta, "bidirectional", "false"), bias = bool(meta, "bias", "true");
        String dt = require(meta, "dtype").trim().toUpperCase(Locale.ROOT);
        DType dtype;
        try {
            dtype = DType.valueOf(dt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("case metadata: 'dtype' must be F32 or F64; got '" + meta.get("dtype") + "'");
        }
        int output = -1;
        Activation act = null;
        if (cell.equals("jordan")) {
            output = positive(meta, "output_size", null);
            try {
                act = Activation.parse(require(meta, "output_activation"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("case metadata: 'output_activation': " + e.getMessage());
            }
            if (act == Activation.RELU) throw new IllegalArgumentException("case metadata: 'output_activation' must be tanh, sigmoid or identity; got relu");
            if (layers != 1 || bidirectional) {
                throw new IllegalArgumentException("case metadata: a jordan case has num_layers 1 and bidirectional false; got "
                        + layers + " and " + bidirectional);
            }
        }
        return new LayerSpec(cell, input, hidden, layers, bidirectional, bias, dtype, output, act);
    }

    private static String require(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException("case metadata: missing '" + key + "' (the case's __metadata__ has "
                + (meta.isEmpty() ? "no keys" : String.join(", ", meta.keySet())) + ")");
        return v;
    }

    private static int positive(Map<String, String> meta, String key, String fallback) {
        String v = meta.containsKey(key) || fallback == null ? require(meta, key) : fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("case metadata: '" + key + "' must be a positive integer; got '" + v + "'");
    }

    private static boolean bool(Map<String, String> meta, String key, String fallback) {
        String v = meta.getOrDefault(key, fallback).trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw new IllegalArgumentException("case metadata: '" + key + "' must be true or false; got '" + meta.get(key) + "'");
    }
}
