package dev.recurrent.models.conformance;

import dev.recurrent.core.DType;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Finds the conformance cases in the test resources and compares results with the expected files. */
public final class Conformance {
    private Conformance() { }

    /** The case files (resources/conformance/cases/*.safetensors), sorted. */
    public static List<Path> cases() {
        try (Stream<Path> s = Files.list(dir("cases"))) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path expected(Path caseFile) { return dir("expected").resolve(caseFile.getFileName()); }

    private static Path dir(String name) {
        URL url = Conformance.class.getResource("/conformance/" + name);
        if (url == null) throw new IllegalStateException("no conformance/" + name + " in the test resources");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every registered backend that can be created on this machine. */
    public static List<Backend> backends() {
        List<Backend> out = new ArrayList<>();
        for (String name : Backends.names()) {
            try {
                out.add(Backends.get(name));
            } catch (IllegalStateException unavailable) {
                System.err.println("conformance: skipping backend " + name + ": " + unavailable.getMessage());
            }
        }
        return out;
    }

    /**
     * Problems found comparing {@code got} with {@code expected} with the README's tolerance
     * {@code |got - expected| <= atol + rtol·|expected|} ((1e-7, 1e-9) for F64, (2e-3, 2e-4) for F32); empty when all agree.
     */
    public static List<String> compare(Map<String, Tensor> expected, Map<String, Tensor> got) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            String name = e.getKey();
            Tensor want = e.getValue(), have = got.get(name);
            if (have == null) {
                problems.add(name + ": missing");
                continue;
            }
            if (!have.shape().equals(want.shape()) || have.dtype() != want.dtype()) {
                problems.add(name + ": got " + have.shape() + " " + have.dtype() + ", expected " + want.shape() + " " + want.dtype());
                continue;
            }
            boolean f64 = want.dtype() == DType.F64;
            double rtol = f64 ? 1e-7 : 2e-3, atol = f64 ? 1e-9 : 2e-4;
            double[] w = want.toDoubleArray(), h = have.toDoubleArray();
            for (int i = 0; i < w.length; i++) {
                if (!(Math.abs(h[i] - w[i]) <= atol + rtol * Math.abs(w[i]))) {
                    problems.add(name + "[" + i + "]: got " + h[i] + ", expected " + w[i] + " (rtol " + rtol + ", atol " + atol + ")");
                    break;
                }
            }
        }
        for (String name : got.keySet()) if (!expected.containsKey(name)) problems.add(name + ": not in the expected file");
        return problems;
    }
}
