package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.RecurrenceKernelCheck;
import dev.recurrent.core.backend.CellKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link RowSplit}: a step's pass split over two threads gives the unsplit results to the bit, and failures surface. */
class RowSplitTest {
    private static final CpuBackend BACKEND = new CpuBackend(1);
    private final int saved = RowSplit.minElements;

    @AfterEach
    void restore() { RowSplit.minElements = saved; }

    @Test
    void splitPassesMatchTheDefaultsAndTheUnsplitPasses() {
        long seed = 31;
        for (CellKind kind : CellKind.values()) {
            for (boolean reverse : new boolean[] {false, true}) {
                RowSplit.minElements = 1;                         // odd and even batches, H not a vector multiple
                RecurrenceKernelCheck.check(BACKEND, kind, reverse, DType.F32, 3, 5, 37, seed);
                double[][] split = RecurrenceKernelCheck.run(BACKEND, kind, reverse, DType.F32, 4, 6, 70, seed);
                RowSplit.minElements = 0;
                double[][] whole = RecurrenceKernelCheck.run(BACKEND, kind, reverse, DType.F32, 4, 6, 70, seed);
                for (int i = 0; i < whole.length; i++) assertArrayEquals(whole[i], split[i], 0.0, kind + " result " + i);
                seed++;
            }
        }
    }

    @Test
    void aFailureOnEitherThreadReachesTheCaller() {
        assertThrows(IllegalStateException.class, () -> RowSplit.run(() -> { throw new IllegalStateException("helper"); }, () -> { }));
        assertThrows(IllegalStateException.class, () -> RowSplit.run(() -> { }, () -> { throw new IllegalStateException("caller"); }));
        RowSplit.run(() -> { }, () -> { });                    // and the helper is free again
    }
}
