package dev.recurrent.models.conformance;

import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.models.Activation;
import dev.recurrent.models.Module;
import dev.recurrent.models.Options;
import dev.recurrent.models.Unrolled;
import dev.recurrent.models.Unroller;
import dev.recurrent.models.cells.JordanCell;
import dev.recurrent.models.io.StateDict;
import dev.recurrent.models.layers.CellFactory;
import dev.recurrent.models.layers.Recurrent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs one conformance case (what {@code rnn layer} does): builds the layer its metadata describes, loads
 * its weights by state_dict name, runs the input, backpropagates
 * <pre>  loss = sum(output * grad_output) + sum(h_n * grad_h_n) + sum(c_n * grad_c_n)</pre>
 * and returns {@code output}, {@code h_n}, {@code c_n} (LSTM) and {@code grad.NAME} for every tensor of
 * the case except the {@code grad_*} ones, in the case's order.
 */
public final class LayerCase {
    /** Tensors of a case that are not weights. */
    private static final Set<String> DATA = Set.of("input", "h0", "c0", "y0", "grad_output", "grad_h_n", "grad_c_n");

    private LayerCase() { }

    public static Map<String, Tensor> run(Map<String, String> metadata, Map<String, Tensor> tensors) {
        LayerSpec spec = LayerSpec.parse(metadata);
        Tensor input = tensors.get("input");
        if (input == null) throw new IllegalArgumentException("the case has no 'input' tensor; it has " + String.join(", ", tensors.keySet()));
        Backend backend = input.backend();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getValue().dtype() != spec.dtype()) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' is " + e.getValue().dtype() + " but the case's dtype is " + spec.dtype());
            }
            if (!DATA.contains(e.getKey()) && !e.getKey().startsWith("grad_")) weights.put(e.getKey(), e.getValue());
        }
        Map<String, Tensor> leaves = new LinkedHashMap<>();     // the case's tensors we differentiate, by name
        for (String name : List.of("input", "h0", "c0", "y0")) {
            Tensor t = tensors.get(name);
            if (t != null) leaves.put(name, t.detach().requiresGrad(true));
        }
        Options options = Options.defaults().withBackend(backend).withDtype(spec.dtype()).withBias(spec.bias());
        Map<String, Tensor> result = new LinkedHashMap<>();
        Module module;
        Tensor loss;
        if (spec.isJordan()) {
            JordanCell cell = new JordanCell(spec.inputSize(), spec.hiddenSize(), spec.outputSize(), spec.outputActivation(), options, new Random(0));
            load(cell, weights);
            module = cell;
            Tensor x = leaves.get("input");
            if (x.rank() != 3 || x.dim(2) != spec.inputSize()) {
                throw new IllegalArgumentException("input must be [T, B, " + spec.inputSize() + "]; got " + x.shape());
            }
            Unrolled<Tensor> run = Unroller.of(cell).initial(leaves.get("y0")).run(x);
            result.put("output", run.outputs());
            loss = term(run.outputs(), tensors.get("grad_output"), "grad_output", "output");
        } else {
            Recurrent<?> layer = Recurrent.builder(factory(spec, options)).inputSize(spec.inputSize()).layers(spec.layers())
                    .bidirectional(spec.bidirectional()).seed(0).build();
            load(layer, weights);
            module = layer;
            Recurrent.Output<?> out = layer.forward(leaves.get("input"), initial(spec, leaves, layer, input), null);
            result.put("output", out.output());
            result.put("h_n", out.h());
            if (spec.isLstm()) result.put("c_n", out.c());
            loss = term(out.output(), tensors.get("grad_output"), "grad_output", "output")
                    .add(term(out.h(), tensors.get("grad_h_n"), "grad_h_n", "h_n"));
            if (spec.isLstm()) loss = loss.add(term(out.c(), tensors.get("grad_c_n"), "grad_c_n", "c_n"));
        }
        loss.backward();
        for (String name : tensors.keySet()) {
            if (name.startsWith("grad_")) continue;
            Tensor leaf = leaves.containsKey(name) ? leaves.get(name) : module.parameters().get(name).value();
            Tensor g = leaf.grad();
            result.put("grad." + name, g != null ? g : Tensor.zeros(leaf.backend(), leaf.dtype(), leaf.shape()));
        }
        for (Map.Entry<String, Tensor> e : result.entrySet()) e.setValue(e.getValue().detach());
        return result;
    }

    private static CellFactory<?> factory(LayerSpec spec, Options o) {
        return switch (spec.cell()) {
            case "rnn_tanh" -> CellFactory.elman(spec.hiddenSize(), Activation.TANH, o);
            case "rnn_relu" -> CellFactory.elman(spec.hiddenSize(), Activation.RELU, o);
            case "lstm" -> CellFactory.lstm(spec.hiddenSize(), o);
            case "gru" -> CellFactory.gru(spec.hiddenSize(), o);
            default -> throw new IllegalArgumentException("case metadata: unknown cell '" + spec.cell() + "'; expected one of " + LayerSpec.CELLS);
        };
    }

    /** h0 (and c0 for an LSTM; a missing one of the pair is zeros), or null when the case has neither. */
    private static List<Tensor> initial(LayerSpec spec, Map<String, Tensor> leaves, Recurrent<?> layer, Tensor input) {
        Tensor h0 = leaves.get("h0"), c0 = leaves.get("c0");
        if (h0 == null && c0 == null) return null;
        if (input.rank() != 3) return null;                   // the layer reports the bad input
        Shape shape = Shape.of(spec.layers() * layer.directions(), input.dim(1), spec.hiddenSize());
        if (h0 == null) h0 = Tensor.zeros(input.backend(), input.dtype(), shape);
        if (!spec.isLstm()) {
            if (c0 != null) throw new IllegalArgumentException("the case has a c0 tensor but its cell " + spec.cell() + " has no cell state");
            return List.of(h0);
        }
        if (c0 == null) c0 = Tensor.zeros(input.backend(), input.dtype(), shape);
        List<Tensor> out = new ArrayList<>();
        out.add(h0);
        out.add(c0);
        return out;
    }

    private static void load(Module m, Map<String, Tensor> weights) {
        try {
            StateDict.load(m, weights);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("weights: " + e.getMessage(), e);
        }
    }

    /** {@code sum(value * upstream)}, or 0 when the case has no such upstream gradient. */
    private static Tensor term(Tensor value, Tensor upstream, String upstreamName, String valueName) {
        if (upstream == null) return value.mul(0.0).sum();
        if (!upstream.shape().equals(value.shape())) {
            throw new IllegalArgumentException(upstreamName + " has shape " + upstream.shape() + " but " + valueName + " is " + value.shape());
        }
        return value.mul(upstream).sum();
    }
}
