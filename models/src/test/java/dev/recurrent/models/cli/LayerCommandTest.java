package dev.recurrent.models.cli;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.core.io.Safetensors;
import dev.recurrent.core.io.SafetensorsFile;
import dev.recurrent.models.conformance.Conformance;
import dev.recurrent.core.backend.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnn layer} run in process: results, help, and one-line exit-2 failures that write nothing. */
class LayerCommandTest {
    @TempDir Path dir;

    record Run(int status, String out, String err) { }

    static Run rnn(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    static Path caseNamed(String name) {
        return Conformance.cases().stream().filter(p -> p.getFileName().toString().equals(name + ".safetensors")).findFirst().orElseThrow();
    }

    @Test
    void layerWritesWhatPyTorchComputed() throws IOException {
        for (String name : List.of("lstm_2layer_bidirectional", "jordan_basic")) {
            Path c = caseNamed(name), out = dir.resolve(name + ".out.safetensors");
            Run r = rnn("layer", c.toString(), "-o", out.toString(), "--backend", "java");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().startsWith("wrote "), r.out());
            SafetensorsFile got = Safetensors.read(out), want = Safetensors.read(Conformance.expected(c));
            List<String> problems = Conformance.compare(want.tensors(), got.tensors());
            assertTrue(problems.isEmpty(), String.join("; ", problems));
            assertEquals(want.metadata(), got.metadata());
        }
    }

    /** Every conformance case × every backend that can be created here (java, openblas, ...). */
    static Stream<Arguments> everyCaseOnEveryBackend() {
        List<Backend> backends = Conformance.backends();
        assertFalse(backends.isEmpty(), "no backend can be created");
        return backends.stream().flatMap(b -> Conformance.cases().stream()
                .map(c -> Arguments.of(c.getFileName().toString().replace(".safetensors", ""), b.name())));
    }

    @ParameterizedTest(name = "{0} --backend {1}")
    @MethodSource("everyCaseOnEveryBackend")
    void layerMatchesPyTorchOnEveryCaseAndBackend(String name, String backend) throws IOException {
        Path c = caseNamed(name), out = dir.resolve(name + "." + backend + ".out.safetensors");
        Run r = rnn("layer", c.toString(), "-o", out.toString(), "--backend", backend);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("wrote "), r.out());
        assertTrue(Files.exists(out), "wrote " + out);
        SafetensorsFile got = Safetensors.read(out), want = Safetensors.read(Conformance.expected(c));
        assertFalse(want.tensors().isEmpty(), "expected tensors for " + name);
        // output, h_n, c_n and every grad.* of the expected file, within the README's tolerances (F64 1e-7/1e-9, F32 2e-3/2e-4)
        List<String> problems = Conformance.compare(want.tensors(), got.tensors());
        assertTrue(problems.isEmpty(), name + " on " + backend + ": " + String.join("; ", problems));
        assertEquals(want.metadata(), got.metadata());
    }

    @Test
    void helpWorks() {
        Run top = rnn("--help"), layer = rnn("layer", "--help");
        assertEquals(0, top.status());
        assertTrue(top.out().contains("layer"), top.out());
        assertEquals(0, layer.status());
        assertTrue(layer.out().contains("--backend"), layer.out());
    }

    @Test
    void aMissingFileIsOneLineAndStatus2() {
        assertBadInput(rnn("layer", dir.resolve("nope.safetensors").toString(), "-o", dir.resolve("o.safetensors").toString()), "no such file");
    }

    @Test
    void anUnknownBackendListsTheKnownOnes() {
        Run r = rnn("layer", caseNamed("gru_basic").toString(), "-o", dir.resolve("o.safetensors").toString(), "--backend", "cuda");
        assertBadInput(r, "unknown backend 'cuda'");
        assertTrue(r.err().contains(Backends.names().get(0)), r.err());
    }

    @Test
    void missingOutputOptionAndUnknownCommandAreStatus2() {
        assertBadInput(rnn("layer", caseNamed("gru_basic").toString()), "--output");
        assertBadInput(rnn("frobnicate"), "frobnicate");
        assertBadInput(rnn(), "missing a command");
    }

    @Test
    void aFileThatIsNotSafetensorsIsStatus2() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.safetensors"), "this is not a safetensors file at all");
        assertBadInput(rnn("layer", junk.toString(), "-o", dir.resolve("o.safetensors").toString()), "junk.safetensors");
    }

    @Test
    void badMetadataIsNamed() throws IOException {
        assertBadInput(runEdited(m -> m.put("cell", "lstmx"), t -> { }), "unknown cell 'lstmx'");
        assertBadInput(runEdited(m -> m.put("hidden_size", "zero"), t -> { }), "'hidden_size' must be a positive integer");
        assertBadInput(runEdited(m -> m.remove("dtype"), t -> { }), "missing 'dtype'");
        assertBadInput(runEdited(m -> m.put("hidden_size", "5"), t -> { }), "shape mismatch");
        assertBadInput(runEdited(m -> { }, t -> t.remove("weight_hh_l0")), "missing weight_hh_l0");
        assertBadInput(runEdited(m -> { }, t -> t.put("grad_output", t.get("input"))), "grad_output has shape");
    }

    @Test
    void aFailureLeavesAnExistingOutputUntouched() throws IOException {
        Path out = Files.writeString(dir.resolve("keep.safetensors"), "previous");
        Path bad = write("bad", m -> m.put("cell", "nope"), t -> { });
        assertBadInput(rnn("layer", bad.toString(), "-o", out.toString()), "unknown cell");
        assertEquals("previous", Files.readString(out));
    }

    private Run runEdited(java.util.function.Consumer<Map<String, String>> meta, java.util.function.Consumer<Map<String, Tensor>> tensors) throws IOException {
        Path c = write("edited", meta, tensors), out = dir.resolve("edited.out.safetensors");
        Files.deleteIfExists(out);
        Run r = rnn("layer", c.toString(), "-o", out.toString());
        if (r.status() != 0) assertFalse(Files.exists(out), "nothing is written on failure");
        return r;
    }

    private Path write(String name, java.util.function.Consumer<Map<String, String>> meta, java.util.function.Consumer<Map<String, Tensor>> tensors) throws IOException {
        SafetensorsFile base = Safetensors.read(caseNamed("gru_basic"));
        Map<String, String> m = new LinkedHashMap<>(base.metadata());
        Map<String, Tensor> t = new LinkedHashMap<>(base.tensors());
        meta.accept(m);
        tensors.accept(t);
        Path p = dir.resolve(name + ".safetensors");
        Safetensors.write(p, m, t);
        return p;
    }

    private static void assertBadInput(Run r, String mention) {
        assertEquals(2, r.status(), "exit status; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.isEmpty(), "an error message on stderr");
        assertEquals(1, err.lines().count(), "one line on stderr: " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.contains(mention), "the message mentions '" + mention + "': " + err);
    }
}
