package dev.recurrent.models;

import dev.recurrent.core.Shape;
import dev.recurrent.models.cells.LstmCell;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Init schemes: bounds, orthogonality, determinism. */
class InitTest {
    @Property(tries = 30, seed = "8")
    void orthogonalHasOrthonormalRowsOrColumns(@ForAll @IntRange(min = 1, max = 9) int rows, @ForAll @IntRange(min = 1, max = 9) int cols) {
        double[] w = Init.orthogonal().values(Shape.of(rows, cols), new Random(rows * 31L + cols));
        if (rows > cols && rows % cols == 0) {
            for (int g = 0; g < rows / cols; g++) assertOrthonormalColumns(w, g * cols, cols, cols);
        } else if (rows >= cols) {
            assertOrthonormalColumns(w, 0, rows, cols);
        } else {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < rows; j++) {
                    double dot = 0;
                    for (int k = 0; k < cols; k++) dot += w[i * cols + k] * w[j * cols + k];
                    assertEquals(i == j ? 1 : 0, dot, 1e-12, "rows " + i + ", " + j);
                }
            }
        }
    }

    /** Columns of the block of {@code n} rows starting at row {@code from} are orthonormal. */
    private static void assertOrthonormalColumns(double[] w, int from, int n, int cols) {
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b < cols; b++) {
                double dot = 0;
                for (int k = 0; k < n; k++) dot += w[(from + k) * cols + a] * w[(from + k) * cols + b];
                assertEquals(a == b ? 1 : 0, dot, 1e-12, "columns " + a + ", " + b + " of the block at row " + from);
            }
        }
    }

    @Test
    void uniformSchemesStayInTheirBounds() {
        Random r = new Random(1);
        for (double v : Init.xavierUniform().values(Shape.of(20, 30), r)) assertTrue(Math.abs(v) <= Math.sqrt(6.0 / 50));
        for (double v : Init.pytorchDefault(16).values(Shape.of(64, 16), r)) assertTrue(Math.abs(v) <= 0.25);
        for (double v : Init.constant(0.5).values(Shape.of(3), r)) assertEquals(0.5, v);
        for (double v : Init.zeros().values(Shape.of(3, 2), r)) assertEquals(0.0, v);
    }

    @Test
    void sameSeedSameValues() {
        assertArrayEquals(Init.orthogonal().values(Shape.of(12, 3), new Random(4)), Init.orthogonal().values(Shape.of(12, 3), new Random(4)));
        assertArrayEquals(Init.xavierUniform().values(Shape.of(5, 3), new Random(4)), Init.xavierUniform().values(Shape.of(5, 3), new Random(4)));
    }

    @Test
    void orthogonalNeedsAMatrix() {
        assertThrows(IllegalArgumentException.class, () -> Init.orthogonal().values(Shape.of(4), new Random(0)));
    }

    @Test
    void forgetBiasSetsTheForgetBlockOfTheSummedBiases() {
        LstmCell cell = new LstmCell(2, 3, Fixtures.f64().withForgetBias(1.0), new Random(0));
        double[] bi = cell.parameters().get("bias_ih").value().toDoubleArray(), bh = cell.parameters().get("bias_hh").value().toDoubleArray();
        for (int k = 3; k < 6; k++) assertEquals(1.0, bi[k] + bh[k], 0.0);
        assertTrue(Math.abs(bi[0]) <= 1 / Math.sqrt(3), "other gates keep their init");
        assertTrue(cell.parameters().get("bias_ih").value().requiresGrad());
    }

    @Test
    void glorotOrthogonalOptionsApplyToCells() {
        LstmCell cell = new LstmCell(2, 3, Fixtures.f64().withGlorotOrthogonal(), new Random(0));
        double[] w = cell.parameters().get("weight_hh").value().toDoubleArray();
        for (int g = 0; g < 4; g++) assertOrthonormalColumns(w, g * 3, 3, 3);
        for (double v : cell.parameters().get("bias_hh").value().toDoubleArray()) assertEquals(0.0, v);
    }
}
