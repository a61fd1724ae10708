package dev.recurrent.models.sequences;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Fixtures;
import dev.recurrent.models.cells.GruCell;
import dev.recurrent.models.cells.LstmState;
import dev.recurrent.models.layers.CellFactory;
import dev.recurrent.models.layers.Linear;
import dev.recurrent.models.layers.Recurrent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.recurrent.models.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** many-to-many, many-to-one, one-to-many and encoder-decoder from {@link Sequences}. */
class SequencesTest {
    final Random r = new Random(9);

    Recurrent<LstmState> lstm(int in, int layers, boolean bidirectional, long seed) {
        return Recurrent.builder(CellFactory.lstm(3, Fixtures.f64())).inputSize(in).layers(layers).bidirectional(bidirectional).seed(seed).build();
    }

    @Test
    void manyToOneIsTheLastValidStep() {
        Recurrent<LstmState> layer = lstm(2, 2, false, 1);
        int[] lengths = {3, 5, 1};
        Tensor x = Fixtures.randn(r, 5, 3, 2);
        Tensor y = Sequences.manyToOne(layer, x, lengths);
        // for an LSTM the output at the last valid step is the top layer's h_n
        assertClose(layer.forward(x, lengths).h().slice(0, 1, 2).reshape(3, 3), y);
        Tensor all = Sequences.manyToMany(layer, x, lengths);
        assertArrayEquals(new int[] {5, 3, 3}, all.shape().dims());
    }

    @Test
    void bidirectionalManyToOneIsWhatEachDirectionSawLast() {
        Recurrent<LstmState> layer = lstm(2, 1, true, 2);
        int[] lengths = {4, 2};
        Tensor x = Fixtures.randn(r, 4, 2, 2);
        Tensor y = Sequences.manyToOne(layer, x, lengths);
        Tensor hn = layer.forward(x, lengths).h();
        assertClose(Tensor.concat(1, hn.slice(0, 0, 1).reshape(2, 3), hn.slice(0, 1, 2).reshape(2, 3)), y);
    }

    @Test
    void generationFeedsEachOutputBack() {
        GruCell cell = new GruCell(2, 4, Fixtures.f64(), r);
        Linear head = Linear.of(4, 2, Fixtures.f64(), r);
        Tensor first = Fixtures.randn(r, 3, 2);
        Tensor ys = Sequences.generate(cell, head::apply, first, null, 6, y -> y);
        assertArrayEquals(new int[] {6, 3, 2}, ys.shape().dims());
        // by hand
        Tensor h = cell.zeroState(3), x = first;
        for (int t = 0; t < 6; t++) {
            h = cell.step(x, h);
            x = head.apply(h);
            assertClose(x, ys.slice(0, t, t + 1).reshape(3, 2));
        }
        // the same with a one-layer Recurrent around the same cell kind
        Recurrent<Tensor> layer = Recurrent.builder(CellFactory.gru(4, Fixtures.f64())).inputSize(2).layers(2).seed(4).build();
        Tensor zs = Sequences.generate(layer, head::apply, first, null, 5, y -> y);
        assertArrayEquals(new int[] {5, 3, 2}, zs.shape().dims());
        Tensor z0 = head.apply(layer.forward(first.reshape(1, 3, 2)).output().reshape(3, 4));
        assertClose(z0, zs.slice(0, 0, 1).reshape(3, 2));
        assertThrows(IllegalArgumentException.class, () -> Sequences.generate(lstm(2, 1, true, 0), head::apply, first, null, 2, y -> y));
    }

    @Test
    void theDecoderStartsFromTheEncodersFinalState() {
        Recurrent<LstmState> encoder = lstm(2, 2, false, 5), decoder = lstm(4, 2, false, 6);
        Tensor src = Fixtures.randn(r, 6, 2, 2), tgt = Fixtures.randn(r, 3, 2, 4);
        int[] srcLengths = {6, 4};
        Sequences.EncoderDecoder<LstmState, LstmState> out = Sequences.encodeDecode(encoder, decoder, src, srcLengths, tgt, null);
        Recurrent.Output<LstmState> enc = encoder.forward(src, srcLengths);
        assertClose(decoder.forward(tgt, enc.finalState(), null).output(), out.output());
        out.output().sum().backward();
        assertTrue(encoder.parameters().get("weight_hh_l1").value().grad() != null, "the decoder's loss reaches the encoder");

        Recurrent<LstmState> wide = lstm(2, 3, false, 7);          // 3 layers of state for a 2-layer decoder
        String msg = assertThrows(IllegalArgumentException.class, () -> Sequences.encodeDecode(wide, decoder, src, null, tgt, null)).getMessage();
        assertTrue(msg.startsWith("encoder-decoder: "), msg);
    }

    @Test
    void lastStepChecksLengths() {
        assertThrows(IllegalArgumentException.class, () -> Sequences.lastStep(Fixtures.randn(r, 3, 2, 1), new int[] {0, 3}));
        assertEquals(List.of(2, 1), List.of(Sequences.lastStep(Fixtures.randn(r, 3, 2, 1), null).shape().dims()[0], 1));
    }
}
