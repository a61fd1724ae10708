package dev.recurrent.models.conformance;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.io.Safetensors;
import dev.recurrent.core.io.SafetensorsFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shared conformance case (PyTorch 1.13 results) on every backend that runs here. */
class ConformanceTest {
    @Test
    void theCasesAndBackendsAreThere() {
        assertTrue(Conformance.cases().size() >= 6, "conformance cases in the test resources: " + Conformance.cases());
        assertFalse(Conformance.backends().isEmpty(), "no backend can be created");
    }

    @TestFactory
    List<DynamicTest> everyCaseOnEveryBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend backend : Conformance.backends()) {
            for (Path c : Conformance.cases()) {
                String name = c.getFileName().toString().replace(".safetensors", "") + " on " + backend.name();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    SafetensorsFile in = Safetensors.read(c, backend);
                    Map<String, Tensor> got = LayerCase.run(in.metadata(), in.tensors());
                    Map<String, Tensor> expected = Safetensors.read(Conformance.expected(c), backend).tensors();
                    for (Tensor t : got.values()) assertEquals(backend, t.backend(), "results stay on the case's backend");
                    List<String> problems = Conformance.compare(expected, got);
                    assertTrue(problems.isEmpty(), name + ": " + String.join("; ", problems));
                }));
            }
        }
        return tests;
    }
}
