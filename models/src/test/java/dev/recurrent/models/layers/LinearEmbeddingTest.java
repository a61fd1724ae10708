package dev.recurrent.models.layers;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.check.GradCheck;
import dev.recurrent.models.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.recurrent.models.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearEmbeddingTest {
    final Random r = new Random(2);

    @Test
    void linearIsXWtPlusBOverTheLastAxis() {
        Linear lin = Linear.of(3, 2, Fixtures.f64(), r);
        assertEquals(List.of("weight", "bias"), List.copyOf(lin.parameters().keySet()));
        assertArrayEquals(new int[] {2, 3}, lin.parameters().get("weight").shape().dims());
        Tensor x = Fixtures.randn(r, 4, 5, 3);
        Tensor y = lin.apply(x);
        assertArrayEquals(new int[] {4, 5, 2}, y.shape().dims());
        Tensor w = lin.parameters().get("weight").value(), b = lin.parameters().get("bias").value();
        assertClose(x.reshape(20, 3).matmul(w.transpose()).add(b).reshape(4, 5, 2), y);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> lin.apply(Fixtures.randn(r, 2, 4))).getMessage().contains("expects 3"));
        GradCheck.of("linear", xs -> {
            lin.parameters().get("weight").set(xs.get(1));
            lin.parameters().get("bias").set(xs.get(2));
            return lin.apply(xs.get(0));
        }).on(x, w, b).assertPasses();
    }

    @Test
    void embeddingLooksUpRowsAndScattersGradientsBack() {
        Embedding emb = Embedding.of(5, 3, Fixtures.f64(), r);
        Tensor w = emb.parameters().get("weight").value();
        Tensor y = emb.apply(new int[][] {{1, 4}, {1, 0}});
        assertArrayEquals(new int[] {2, 2, 3}, y.shape().dims());
        assertClose(w.slice(0, 4, 5).reshape(3), y.slice(0, 0, 1).slice(1, 1, 2).reshape(3));
        y.sum().backward();
        double[] g = w.grad().toDoubleArray();
        assertEquals(2.0, g[3]);        // row 1 used twice
        assertEquals(0.0, g[6]);        // row 2 unused
        assertTrue(assertThrows(IllegalArgumentException.class, () -> emb.apply(new int[] {5})).getMessage().contains("id 5"));
    }
}
