package dev.recurrent.models.layers;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.models.Fixtures;
import dev.recurrent.models.Fixtures.Kind;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same recurrent layer (same seed, so the same weights) on the {@code java} and {@code openblas}
 * backends: forward on the same input (sometimes with initial states and variable lengths), loss
 * {@code sum(output * g) + sum(final states * g_s)} with random upstream gradients, backward; the outputs,
 * final states and the gradients of every parameter, the input and the initial states must agree
 * element-wise ({@code |blas - java| <= atol + rtol * |java|}). Skipped where openblas cannot be created.
 */
@AddLifecycleHook(CrossBackendModelTest.NeedsOpenBlas.class)
class CrossBackendModelTest {
    static final double F64_RTOL = 1e-10, F64_ATOL = 1e-12, F32_RTOL = 2e-3, F32_ATOL = 2e-4;

    /** Skips the whole class where the openblas backend is missing or cannot load here. */
    public static class NeedsOpenBlas implements SkipExecutionHook {
        @Override public SkipResult shouldBeSkipped(LifecycleContext context) {
            String problem = openBlasProblem();
            return problem == null ? SkipResult.doNotSkip() : SkipResult.skip("openblas backend unavailable: " + problem);
        }
    }

    static String openBlasProblem() {
        try {
            Backends.get("openblas");
            return null;
        } catch (IllegalStateException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Property(tries = 25, seed = "20261122")
    void javaAndOpenBlasAgreeInF64(
            @ForAll Kind kind, @ForAll @IntRange(min = 1, max = 5) int inputSize, @ForAll @IntRange(min = 1, max = 6) int hidden,
            @ForAll @IntRange(min = 1, max = 6) int steps, @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 1, max = 2) int layers, @ForAll boolean bidirectional, @ForAll boolean withInitial,
            @ForAll boolean withLengths, @ForAll @IntRange(max = 1000) int seed) {
        compare(kind, DType.F64, inputSize, hidden, steps, batch, layers, bidirectional, withInitial, withLengths, seed, F64_RTOL, F64_ATOL);
    }

    @Example
    void javaAndOpenBlasAgreeInF32() {
        compare(Kind.LSTM, DType.F32, 4, 5, 6, 3, 2, true, true, true, 42, F32_RTOL, F32_ATOL);
    }

    /** Everything one backend computed: output, final states, then named gradients. */
    record Result(Map<String, Tensor> values) { }

    static void compare(Kind kind, DType dtype, int inputSize, int hidden, int steps, int batch, int layers, boolean bidirectional,
                        boolean withInitial, boolean withLengths, int seed, double rtol, double atol) {
        String config = kind + " " + dtype + " I=" + inputSize + " H=" + hidden + " T=" + steps + " B=" + batch + " L=" + layers
                + " bidirectional=" + bidirectional + " initial=" + withInitial + " lengths=" + withLengths + " seed=" + seed;
        Map<String, Tensor> java = run(Backends.get("java"), kind, dtype, inputSize, hidden, steps, batch, layers, bidirectional,
                withInitial, withLengths, seed);
        Map<String, Tensor> blas = run(Backends.get("openblas"), kind, dtype, inputSize, hidden, steps, batch, layers, bidirectional,
                withInitial, withLengths, seed);
        assertEquals(java.keySet(), blas.keySet(), config + ": the same results");
        for (String name : java.keySet()) {
            Tensor want = java.get(name), got = blas.get(name);
            assertEquals(Backends.get("openblas"), got.backend(), config + ": " + name + " stays on openblas");
            assertEquals(want.shape(), got.shape(), config + ": " + name + " shape");
            assertEquals(dtype, got.dtype(), config + ": " + name + " dtype");
            double[] w = want.toDoubleArray(), h = got.toDoubleArray();
            for (int i = 0; i < w.length; i++) {
                double tol = atol + rtol * Math.abs(w[i]);
                int at = i;
                assertTrue(Math.abs(h[i] - w[i]) <= tol, () -> config + ": " + name + "[" + at + "]: openblas " + h[at]
                        + ", java " + w[at] + ", |diff| " + Math.abs(h[at] - w[at]) + " > " + tol);
            }
        }
    }

    /**
     * Builds the layer on {@code backend} and returns its output, final states and gradients. Every random
     * value comes from {@code seed} and is drawn in double precision, so both backends see the same numbers.
     */
    static Map<String, Tensor> run(Backend backend, Kind kind, DType dtype, int inputSize, int hidden, int steps, int batch, int layers,
                                   boolean bidirectional, boolean withInitial, boolean withLengths, int seed) {
        // the backend is also made current, in case anything in the layer creates tensors on the current backend
        try (Backends.Use use = Backends.use(backend)) {
            return runOn(backend, kind, dtype, inputSize, hidden, steps, batch, layers, bidirectional, withInitial, withLengths, seed);
        }
    }

    private static Map<String, Tensor> runOn(Backend backend, Kind kind, DType dtype, int inputSize, int hidden, int steps, int batch,
                                             int layers, boolean bidirectional, boolean withInitial, boolean withLengths, int seed) {
        Options o = Options.defaults().withBackend(backend).withDtype(dtype);
        Recurrent<?> layer = Recurrent.builder(kind.factory(hidden, o)).inputSize(inputSize).layers(layers).bidirectional(bidirectional)
                .seed(seed).build();
        Random r = new Random(seed * 31L + 7);
        Tensor input = Tensor.randn(backend, dtype, Shape.of(steps, batch, inputSize), r).requiresGrad(true);
        int[] lengths = withLengths ? Fixtures.lengths(r, steps, batch) : null;
        List<Tensor> initial = null;
        if (withInitial) {
            initial = new ArrayList<>();
            // the initial states have the shapes of the final states
            for (Tensor f : layer.forward(input.detach(), null, lengths).finalState()) {
                initial.add(Tensor.randn(backend, dtype, f.shape(), r).mul(0.5).detach().requiresGrad(true));
            }
        }
        Recurrent.Output<?> out = layer.forward(input, initial, lengths);
        Tensor loss = out.output().mul(Tensor.randn(backend, dtype, out.output().shape(), r)).sum();
        for (Tensor f : out.finalState()) loss = loss.add(f.mul(Tensor.randn(backend, dtype, f.shape(), r)).sum());
        loss.backward();

        Map<String, Tensor> results = new java.util.LinkedHashMap<>();
        results.put("loss", loss);
        results.put("output", out.output());
        for (int k = 0; k < out.finalState().size(); k++) results.put("final[" + k + "]", out.finalState().get(k));
        results.put("grad.input", gradOf("input", input));
        if (initial != null) for (int k = 0; k < initial.size(); k++) results.put("grad.initial[" + k + "]", gradOf("initial " + k, initial.get(k)));
        assertTrue(!layer.parameters().isEmpty(), "the layer has parameters");
        for (Map.Entry<String, Parameter> p : layer.parameters().entrySet()) {
            results.put("param." + p.getKey(), p.getValue().value());
            results.put("grad." + p.getKey(), gradOf(p.getKey(), p.getValue().value()));
        }
        return results;
    }

    private static Tensor gradOf(String name, Tensor leaf) {
        Tensor g = leaf.grad();
        assertNotNull(g, "backward reached " + name);
        return g;
    }
}
