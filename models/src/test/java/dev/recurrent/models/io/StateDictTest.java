package dev.recurrent.models.io;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.io.Safetensors;
import dev.recurrent.core.io.SafetensorsFile;
import dev.recurrent.models.Fixtures;
import dev.recurrent.models.cells.LstmState;
import dev.recurrent.models.layers.CellFactory;
import dev.recurrent.models.layers.Recurrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weights round-trip through safetensors under PyTorch names; loading is strict and says what does not fit. */
class StateDictTest {
    @TempDir Path dir;

    Recurrent<LstmState> lstm(long seed, DType dtype) {
        return Recurrent.builder(CellFactory.lstm(3, Fixtures.f64().withDtype(dtype))).inputSize(2).layers(2).bidirectional(true).seed(seed).build();
    }

    @Test
    void saveThenLoadGivesTheSameWeightsInTheSameOrder() throws IOException {
        Recurrent<LstmState> a = lstm(1, DType.F64), b = lstm(2, DType.F64);
        Path file = dir.resolve("lstm.safetensors");
        StateDict.save(a, file, Map.of("cell", "lstm"));
        SafetensorsFile raw = Safetensors.read(file);
        assertEquals(List.copyOf(a.parameters().keySet()), List.copyOf(raw.tensors().keySet()));
        assertEquals("lstm", raw.metadata("cell"));
        StateDict.load(b, file);
        a.parameters().forEach((name, p) -> assertArrayEquals(p.value().toDoubleArray(), b.parameters().get(name).value().toDoubleArray(), name));
        assertTrue(b.parameters().get("weight_ih_l0").value().requiresGrad(), "loaded parameters still train");
    }

    @Test
    void loadingConvertsTheDtype() throws IOException {
        Recurrent<LstmState> a = lstm(1, DType.F64), b = lstm(2, DType.F32);
        Path file = dir.resolve("f64.safetensors");
        StateDict.save(a, file);
        StateDict.load(b, file);
        assertEquals(DType.F32, b.parameters().get("bias_hh_l1").value().dtype());
        assertEquals(a.parameters().get("bias_hh_l1").value().toDoubleArray()[0], b.parameters().get("bias_hh_l1").value().toDoubleArray()[0], 1e-6);
    }

    @Test
    void missingUnexpectedAndMismatchedNamesAreListedAndNothingChanges() {
        Recurrent<LstmState> m = lstm(1, DType.F64);
        double[] before = m.parameters().get("weight_ih_l0").value().toDoubleArray();
        Map<String, Tensor> weights = new LinkedHashMap<>(lstm(2, DType.F64).stateDict());
        weights.remove("bias_hh_l1_reverse");
        weights.put("weight_hh_l0", Tensor.zeros(Fixtures.backend(), DType.F64, Shape.of(12, 4)));
        weights.put("lstm.extra", Tensor.zeros(Fixtures.backend(), DType.F64, Shape.of(1)));
        String msg = assertThrows(IllegalArgumentException.class, () -> StateDict.load(m, weights)).getMessage();
        assertTrue(msg.contains("missing bias_hh_l1_reverse"), msg);
        assertTrue(msg.contains("unexpected lstm.extra"), msg);
        assertTrue(msg.contains("weight_hh_l0 is [12, 4] in the file, [12, 3] in the model"), msg);
        assertArrayEquals(before, m.parameters().get("weight_ih_l0").value().toDoubleArray(), "all or nothing");
    }
}
