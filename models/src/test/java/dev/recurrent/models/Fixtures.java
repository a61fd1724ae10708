package dev.recurrent.models;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.models.layers.CellFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared test helpers: the backend under test, F64 options, random tensors, cell kinds. */
public final class Fixtures {
    private Fixtures() { }

    /**
     * The backend the non-conformance tests run on: the one named by -Drnn.backend / RNN_BACKEND, else
     * {@code java} (tiny tensors, where the pure-Java kernels are fastest; conformance runs on every backend).
     */
    public static Backend backend() {
        String named = System.getProperty(Backends.PROPERTY);
        if (named == null || named.isBlank()) named = System.getenv(Backends.ENVIRONMENT);
        return Backends.get(named == null || named.isBlank() ? "java" : named.trim());
    }

    public static Options f64() { return Options.defaults().withBackend(backend()).withDtype(DType.F64); }

    public static Tensor randn(Random r, int... dims) { return Tensor.randn(backend(), DType.F64, Shape.of(dims), r); }

    /** Every built-in cell configuration. */
    public enum Kind {
        RNN_TANH, RNN_RELU, LSTM, GRU, JORDAN_TANH, JORDAN_SIGMOID, JORDAN_IDENTITY;

        /** A factory for this kind; Jordan cells get an output size of {@code hidden} and a hidden layer of {@code hidden + 1}. */
        public CellFactory<?> factory(int hidden, Options o) {
            return switch (this) {
                case RNN_TANH -> CellFactory.elman(hidden, Activation.TANH, o);
                case RNN_RELU -> CellFactory.elman(hidden, Activation.RELU, o);
                case LSTM -> CellFactory.lstm(hidden, o);
                case GRU -> CellFactory.gru(hidden, o);
                case JORDAN_TANH -> CellFactory.jordan(hidden + 1, hidden, Activation.TANH, o);
                case JORDAN_SIGMOID -> CellFactory.jordan(hidden + 1, hidden, Activation.SIGMOID, o);
                case JORDAN_IDENTITY -> CellFactory.jordan(hidden + 1, hidden, Activation.IDENTITY, o);
            };
        }
    }

    /** Random lengths in 1..steps for each of {@code batch} sequences, with at least one full sequence. */
    public static int[] lengths(Random r, int steps, int batch) {
        int[] len = new int[batch];
        for (int b = 0; b < batch; b++) len[b] = 1 + r.nextInt(steps);
        len[r.nextInt(batch)] = steps;
        return len;
    }

    /** Flattens and joins tensors into one vector (a GradCheck output covering all of them). */
    public static Tensor flatJoin(List<Tensor> parts) {
        List<Tensor> flat = new ArrayList<>();
        for (Tensor t : parts) flat.add(t.reshape(-1));
        return Tensor.concat(0, flat);
    }

    /** Same size and every element within 1e-12. */
    public static void assertClose(Tensor want, Tensor got) {
        double[] a = want.toDoubleArray(), b = got.toDoubleArray();
        org.junit.jupiter.api.Assertions.assertEquals(a.length, b.length, "sizes");
        for (int i = 0; i < a.length; i++) org.junit.jupiter.api.Assertions.assertEquals(a[i], b[i], 1e-12, "element " + i);
    }
}
