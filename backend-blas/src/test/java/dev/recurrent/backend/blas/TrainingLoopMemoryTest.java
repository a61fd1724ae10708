package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.GradMode;
import dev.recurrent.core.MemoryScope;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The requirement end to end: 10,000 training steps of a small recurrent update (forward, backward,
 * in-place SGD), each inside a core MemoryScope, do not grow native memory, and a tensor used after its
 * scope closed fails with IllegalStateException.
 */
class TrainingLoopMemoryTest {
    @Test
    void tenThousandScopedTrainingStepsDoNotGrowNativeMemory() {
        OpenBlasBackend be = new OpenBlasBackend(1);
        Random random = new Random(5);
        Tensor w = Tensor.randn(be, DType.F32, Shape.of(16, 16), random).mul(0.1).requiresGrad(true);
        Tensor u = Tensor.randn(be, DType.F32, Shape.of(8, 16), random).mul(0.1).requiresGrad(true);
        Tensor x = Tensor.randn(be, DType.F32, Shape.of(4, 8), random);
        Runnable step = () -> {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor h = Tensor.zeros(be, DType.F32, Shape.of(4, 16));
                for (int t = 0; t < 3; t++) h = x.matmul(u).add(h.matmul(w)).tanh();   // h_t = tanh(x·U + h_{t-1}·W)
                h.mul(h).mean().backward();
                try (GradMode.Scope off = GradMode.off()) {
                    w.assign(w.sub(w.grad().mul(0.01)));
                    u.assign(u.sub(u.grad().mul(0.01)));
                }
                w.zeroGrad();
                u.zeroGrad();
            }
        };
        for (int i = 0; i < 500; i++) step.run();
        // Live bytes (blocks kept for reuse are no leak), counted once other tests' garbage is freed: a run where
        // it was freed during the 10,000 steps saw the count fall by 212,868 bytes.
        long before = NativeBytes.settled() - be.cachedBytes();
        for (int i = 0; i < 10_000; i++) step.run();
        long grown = Pointer.totalBytes() - be.cachedBytes() - before;
        assertTrue(Math.abs(grown) < 64 << 10, "live native bytes changed by " + grown + " over 10,000 steps");

        Tensor escaped;
        try (MemoryScope scope = MemoryScope.open()) {
            escaped = x.matmul(u);
        }
        Tensor e = escaped;
        assertThrows(IllegalStateException.class, e::toDoubleArray);
    }
}
