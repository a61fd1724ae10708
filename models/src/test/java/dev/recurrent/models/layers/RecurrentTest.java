package dev.recurrent.models.layers;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Fixtures;
import dev.recurrent.models.Unrolled;
import dev.recurrent.models.Unroller;
import dev.recurrent.models.cells.LstmState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.recurrent.models.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer: PyTorch's names, order and layouts; stacking and directions built from the unroller; dropout; errors. */
class RecurrentTest {
    final Random r = new Random(5);

    Recurrent<LstmState> lstm(int layers, boolean bidirectional) {
        return Recurrent.builder(CellFactory.lstm(4, Fixtures.f64())).inputSize(3).layers(layers).bidirectional(bidirectional).seed(1).build();
    }

    @Test
    void parametersHavePyTorchsNamesShapesAndOrder() {
        Recurrent<LstmState> layer = lstm(2, true);
        List<String> names = List.copyOf(layer.parameters().keySet());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"), names);
        assertArrayEquals(new int[] {16, 3}, layer.parameters().get("weight_ih_l0").shape().dims());
        assertArrayEquals(new int[] {16, 8}, layer.parameters().get("weight_ih_l1_reverse").shape().dims());
        assertArrayEquals(new int[] {16, 4}, layer.parameters().get("weight_hh_l1").shape().dims());
        assertEquals(2 * (16 * 3 + 16 * 4 + 32) + 2 * (16 * 8 + 16 * 4 + 32), layer.parameterCount());
    }

    @Test
    void noBiasMeansNoBiasTensors() {
        Recurrent<Tensor> gru = Recurrent.builder(CellFactory.gru(2, Fixtures.f64().withBias(false))).inputSize(1).seed(0).build();
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(gru.parameters().keySet()));
    }

    @Test
    void bidirectionalStackedLayerIsTheUnrollerAppliedPerLayerAndDirection() {
        Recurrent<LstmState> layer = lstm(2, true);
        int[] lengths = {5, 3};
        Tensor x = Fixtures.randn(r, 5, 2, 3);
        Recurrent.Output<LstmState> out = layer.forward(x, lengths);
        assertArrayEquals(new int[] {5, 2, 8}, out.output().shape().dims());
        assertArrayEquals(new int[] {4, 2, 4}, out.h().shape().dims());
        assertArrayEquals(new int[] {4, 2, 4}, out.c().shape().dims());

        Unrolled<LstmState> f0 = Unroller.of(layer.cell(0, 0)).lengths(lengths).run(x);
        Unrolled<LstmState> b0 = Unroller.of(layer.cell(0, 1)).lengths(lengths).reverse(true).run(x);
        Tensor x1 = Tensor.concat(2, f0.outputs(), b0.outputs());
        Unrolled<LstmState> f1 = Unroller.of(layer.cell(1, 0)).lengths(lengths).run(x1);
        Unrolled<LstmState> b1 = Unroller.of(layer.cell(1, 1)).lengths(lengths).reverse(true).run(x1);
        assertClose(Tensor.concat(2, f1.outputs(), b1.outputs()), out.output());
        // h_n rows: layer * D + direction
        assertClose(Tensor.stack(0, f0.finalState().h(), b0.finalState().h(), f1.finalState().h(), b1.finalState().h()), out.h());
        assertClose(Tensor.stack(0, f0.finalState().c(), b0.finalState().c(), f1.finalState().c(), b1.finalState().c()), out.c());
    }

    @Test
    void initialStatesAreUsedPerLayerAndDirection() {
        Recurrent<LstmState> layer = lstm(2, true);
        Tensor x = Fixtures.randn(r, 3, 2, 3), h0 = Fixtures.randn(r, 4, 2, 4), c0 = Fixtures.randn(r, 4, 2, 4);
        Recurrent.Output<LstmState> out = layer.forward(x, List.of(h0, c0), null);
        Unrolled<LstmState> b0 = Unroller.of(layer.cell(0, 1)).reverse(true)
                .initial(new LstmState(h0.slice(0, 1, 2).reshape(2, 4), c0.slice(0, 1, 2).reshape(2, 4))).run(x);
        assertClose(b0.finalState().h(), out.h().slice(0, 1, 2));
    }

    @Test
    void badInitialStatesAndInputsAreExplained() {
        Recurrent<LstmState> layer = lstm(2, true);
        Tensor x = Fixtures.randn(r, 3, 2, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> layer.forward(x, List.of(Fixtures.randn(r, 4, 2, 4)), null))
                .getMessage().contains("the cell's state is [h, c], so 2 initial tensors are needed; got 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> layer.forward(x, List.of(Fixtures.randn(r, 2, 2, 4), Fixtures.randn(r, 2, 2, 4)), null))
                .getMessage().contains("expected [L*D=4, B=2, width]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> layer.forward(Fixtures.randn(r, 3, 2, 5)))
                .getMessage().contains("the input must be [T, B, 3]"));
    }

    @Test
    void dropoutIsSeededAndOnlyInTraining() {
        Tensor x = Fixtures.randn(r, 4, 2, 3);
        Recurrent<LstmState> a = Recurrent.builder(CellFactory.lstm(4, Fixtures.f64())).inputSize(3).layers(2).dropout(0.5).seed(3).build();
        Recurrent<LstmState> b = Recurrent.builder(CellFactory.lstm(4, Fixtures.f64())).inputSize(3).layers(2).dropout(0.5).seed(3).build();
        double[] ya = a.forward(x).output().toDoubleArray();
        assertArrayEquals(ya, b.forward(x).output().toDoubleArray(), "same seed, same masks, bit for bit");
        double[] eval = a.train(false).forward(x).output().toDoubleArray();
        assertArrayEquals(eval, a.forward(x).output().toDoubleArray(), "no dropout in evaluation mode");
        assertNotEquals(eval[0], ya[0]);
    }

    @Test
    void sameSeedSameWeights() {
        assertArrayEquals(lstm(1, false).parameters().get("weight_hh_l0").value().toDoubleArray(),
                lstm(1, false).parameters().get("weight_hh_l0").value().toDoubleArray());
    }
}
