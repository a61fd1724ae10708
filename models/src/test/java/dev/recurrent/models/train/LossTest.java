package dev.recurrent.models.train;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.recurrent.models.train.TrainFixtures.backend;
import static org.junit.jupiter.api.Assertions.*;

class LossTest {
    private static Tensor t(Shape s, double... v) { return Tensor.of(backend(), DType.F64, s, v); }

    @Test
    void mseWithoutMaskIsThePlainMean() {
        Tensor p = t(Shape.of(2, 2), 1, 2, 3, 4), y = t(Shape.of(2, 2), 1, 1, 1, 1);
        assertEquals((0 + 1 + 4 + 9) / 4.0, Loss.mse(p, y).item(), 1e-15);
    }

    @Test
    void perElementMaskAveragesOverKeptElements() {
        Tensor p = t(Shape.of(2, 2), 1, 2, 3, 4), y = t(Shape.of(2, 2), 0, 0, 0, 0);
        Tensor m = t(Shape.of(2, 2), 1, 0, 0, 1);
        assertEquals((1 + 16) / 2.0, Loss.mse(p, y, m).item(), 1e-15);
    }

    @Test
    void perStepMaskWeighsEveryFeatureOfAStep() {
        // [T=2, B=1, O=2]: only step 1 is kept; mean over its 2 features
        Tensor p = t(Shape.of(2, 1, 2), 5, 5, 1, 3), y = t(Shape.of(2, 1, 2), 0, 0, 0, 0);
        Tensor m = t(Shape.of(2, 1), 0, 1);
        assertEquals((1 + 9) / 2.0, Loss.mse(p, y, m).item(), 1e-15);
    }

    @Test
    void maskedStepsGetNoGradient() {
        Tensor p = t(Shape.of(2, 1, 1), 5, 1).requiresGrad(true), y = t(Shape.of(2, 1, 1), 0, 0);
        Loss.mse(p, y, t(Shape.of(2, 1), 0, 1)).backward();
        assertArrayEquals(new double[] {0, 2}, p.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void allZeroMaskGivesZeroLossAndZeroGradient() {
        Tensor p = t(Shape.of(2, 1, 1), 5, 1).requiresGrad(true), y = t(Shape.of(2, 1, 1), 0, 0);
        Tensor loss = Loss.mse(p, y, t(Shape.of(2, 1), 0, 0));
        assertEquals(0.0, loss.item());
        loss.backward();
        assertArrayEquals(new double[] {0, 0}, p.grad().toDoubleArray());
    }

    @Test
    void crossEntropyMatchesTheFormula() {
        Tensor logits = t(Shape.of(2, 3), 1, 2, 3, 0, 0, 0);
        double l0 = -(1 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))), l1 = Math.log(3);
        assertEquals((l0 + l1) / 2, Loss.crossEntropy(logits, new int[] {0, 2}).item(), 1e-14);
        assertEquals(l1, Loss.crossEntropy(logits, new int[] {-1, 2}).item(), 1e-14);
        assertEquals(l0, Loss.crossEntropy(logits, new int[] {0, 2}, t(Shape.of(2), 1, 0)).item(), 1e-14);
    }

    @Test
    void crossEntropyOverTimeMajorLogits() {
        Tensor logits = t(Shape.of(2, 1, 2), 0, 0, 0, Math.log(3));    // step 1: p(class 1) = 3/4
        Tensor m = t(Shape.of(2, 1), 0, 1);
        assertEquals(-Math.log(0.75), Loss.crossEntropy(logits, new int[] {0, 1}, m).item(), 1e-14);
    }

    @Test
    void errorsSayWhatWasExpected() {
        Tensor p = t(Shape.of(2, 2), 1, 2, 3, 4);
        assertEquals("mse: prediction and target must have the same shape; got prediction=[2, 2], target=[4]",
                assertThrows(IllegalArgumentException.class, () -> Loss.mse(p, t(Shape.of(4), 1, 2, 3, 4))).getMessage());
        assertEquals("mse: the mask must have the prediction's shape [2, 2] or a leading part of it (per step); got [3]",
                assertThrows(IllegalArgumentException.class, () -> Loss.mse(p, p, t(Shape.of(3), 1, 1, 1))).getMessage());
        assertEquals("crossEntropy: target 5 at row 1 is outside 0..1 (2 classes)",
                assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(p, new int[] {0, 5})).getMessage());
        assertEquals("crossEntropy: logits [2, 2] have 2 rows but there are 3 targets",
                assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(p, new int[] {0, 1, 1})).getMessage());
    }
}
