package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.RecurrenceKernelCheck.Inputs;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.RecurrenceDefaults;
import dev.recurrent.core.backend.Storage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static dev.recurrent.core.RecurrenceKernelCheck.check;
import static dev.recurrent.core.RecurrenceKernelCheck.checkEdgeShapes;
import static dev.recurrent.core.RecurrenceKernelCheck.checkEmptySizes;
import static dev.recurrent.core.RecurrenceKernelCheck.close;
import static dev.recurrent.core.RecurrenceKernelCheck.inputs;
import static dev.recurrent.core.RecurrenceKernelCheck.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code java} backend's whole-sequence kernels ({@link RecurrenceKernels} behind {@code recurrence} and
 * {@code recurrenceBackward}) against {@link RecurrenceDefaults}, the step-by-step loop over the per-op
 * kernels: every cell kind, both directions, both dtypes, small shapes including batch 1, one step and a
 * hidden size of 1; F64 to about 1e-12 relative, F32 to about 1e-5.
 */
class RecurrenceKernelsTest {
    private static final CpuBackend SERIAL = new CpuBackend(1);
    private static final CpuBackend PARALLEL = new CpuBackend(3);   // more threads than cores is fine

    @Property(tries = 120, seed = "4711")
    void sequencesMatchTheStepByStepDefaults(@ForAll CellKind kind, @ForAll boolean reverse, @ForAll DType dtype,
                                             @ForAll @IntRange(min = 1, max = 5) int steps,
                                             @ForAll @IntRange(min = 1, max = 4) int batch,
                                             @ForAll @IntRange(min = 1, max = 6) int hidden, @ForAll long seed) {
        check(SERIAL, kind, reverse, dtype, steps, batch, hidden, seed);
    }

    @Test
    void edgeShapesMatchTheDefaults() {
        checkEdgeShapes(SERIAL);
    }

    /** Past Gemm's blocks (512 columns, 256 inner) and its parallel threshold, on several threads. */
    @Test
    void blockedAndThreadedProductsMatchTheDefaults() {
        check(PARALLEL, CellKind.LSTM, false, DType.F32, 3, 9, 130, 11);
        check(PARALLEL, CellKind.GRU, true, DType.F64, 3, 9, 130, 12);
        check(PARALLEL, CellKind.TANH, false, DType.F64, 4, 33, 260, 13);
    }

    /**
     * Three threads give the one thread's results to the bit, in both dtypes: the batch (13 rows) runs as
     * three slices side by side, each row computed by the same code with the same single-threaded products;
     * the weight gradients' products are the same either way.
     */
    @Test
    void threadCountDoesNotChangeTheResult() {
        for (CellKind kind : CellKind.values()) {
            for (boolean reverse : new boolean[] {false, true}) {
                for (DType dtype : DType.values()) {
                    double[][] one = run(SERIAL, kind, reverse, dtype, 3, 13, 70, 21);
                    double[][] three = run(PARALLEL, kind, reverse, dtype, 3, 13, 70, 21);
                    for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], three[i], 0.0, kind + " " + dtype + " result " + i);
                }
            }
        }
    }

    /**
     * The shared schedule of the steps ({@code RecurrenceKernels.Groups}: 24 rows on three threads, six groups
     * of four, forward and backward): the defaults' values, and the same bits however the steps fall to the
     * threads. One thread is slowed (a pause before each of its steps) so that the others take over its groups'
     * steps; they did (counted), and the results equal the unslowed run's and the one thread's.
     */
    @Test
    void theSharedScheduleGivesTheSameBitsWhoeverRunsAStep() {
        assertTrue(RecurrenceKernels.Groups.taken(Crew.shared(3), 24, 3));
        assertTrue(!RecurrenceKernels.Groups.taken(Crew.shared(3), 13, 3));   // fewer than 4 rows a group: the slices
        assertTrue(!RecurrenceKernels.Groups.taken(Crew.shared(1), 32, 3));
        for (CellKind kind : CellKind.values()) {
            for (DType dtype : DType.values()) {
                check(PARALLEL, kind, true, dtype, 5, 24, 40, 31);
                double[][] plain = run(PARALLEL, kind, false, dtype, 5, 24, 40, 31);
                double[][] one = run(SERIAL, kind, false, dtype, 5, 24, 40, 31);
                int[] steps = new int[3];
                RecurrenceKernels.Groups.beforeStep = p -> {
                    synchronized (steps) { steps[p]++; }
                    if (p == 2) {
                        try { Thread.sleep(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                    }
                };
                double[][] skewed;
                try {
                    skewed = run(PARALLEL, kind, false, dtype, 5, 24, 40, 31);
                } finally {
                    RecurrenceKernels.Groups.beforeStep = null;
                }
                // 6 groups x 5 steps, forward and backward; the slowed thread's two groups alone would be 20 of them.
                assertEquals(60, steps[0] + steps[1] + steps[2], kind + " " + dtype + ": steps run");
                assertTrue(steps[2] < 20, kind + " " + dtype + ": the slowed thread ran " + steps[2] + " of its 20 steps; the others took none");
                for (int i = 0; i < plain.length; i++) {
                    assertArrayEquals(plain[i], skewed[i], 0.0, kind + " " + dtype + " result " + i + ": slowed against plain");
                    assertArrayEquals(one[i], skewed[i], 0.0, kind + " " + dtype + " result " + i + ": three threads against one");
                }
            }
        }
    }

    @Test
    void theBatchIsSplitOncePerThreadWithEnoughRowsEach() {
        Crew three = Crew.shared(3);
        assertEquals(1, RecurrenceKernels.parts(null, 32));
        assertEquals(3, RecurrenceKernels.parts(three, 13));
        assertEquals(2, RecurrenceKernels.parts(three, 11));                   // at least 4 rows a slice
        assertEquals(1, RecurrenceKernels.parts(three, 7));
        assertEquals(1, RecurrenceKernels.parts(Crew.shared(1), 32));
    }

    /** No steps, an empty batch or no hidden units: empty outputs, zero gradients, no error. */
    @Test
    void emptySizesGiveEmptyOutputsAndZeroGradients() {
        checkEmptySizes(SERIAL);
    }

    /** A backward without the forward's saved storage (it ran elsewhere) recomputes: same results. */
    @Test
    void backwardWithoutSavedFallsBackToTheDefaults() {
        for (CellKind kind : new CellKind[] {CellKind.LSTM, CellKind.GRU}) {
            Inputs in = inputs(SERIAL, kind, DType.F64, 3, 2, 4, 9);
            Storage[] f = SERIAL.recurrence(kind, false, in.xp(), in.whh(), in.bhh(), in.init(), 3, 2, 4);
            Storage[] with = SERIAL.recurrenceBackward(kind, false, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(), 3, 2, 4);
            Storage[] without = SERIAL.recurrenceBackward(kind, false, in.xp(), in.whh(), in.bhh(), in.init(), f[0], null, in.grad(), 3, 2, 4);
            for (int i = 0; i < with.length; i++) {
                if (with[i] == null) assertNull(without[i]);
                else close(kind + " fallback result " + i, SERIAL.toDoubleArray(without[i]), SERIAL.toDoubleArray(with[i]), DType.F64);
            }
        }
    }

    @Test
    void wrongArgumentsAreClearErrors() {
        Inputs in = inputs(SERIAL, CellKind.LSTM, DType.F32, 3, 2, 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SERIAL.recurrence(CellKind.LSTM, false, in.xp(), in.whh(), null, in.init(), 3, 2, 5));
        assertTrue(e.getMessage().contains("java recurrence (LSTM, steps 3, batch 2, hidden 5): xp has 96 elements;"
                + " expected steps·batch·4·hidden = 120"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SERIAL.recurrence(CellKind.LSTM, false, in.xp(), in.whh(), null, new Storage[] {in.init()[0]}, 3, 2, 4));
        assertTrue(e.getMessage().contains("expected 2 initial state(s), got 1"), e.getMessage());
        Storage w64 = SERIAL.cast(in.whh(), DType.F64);
        e = assertThrows(IllegalArgumentException.class,
                () -> SERIAL.recurrence(CellKind.LSTM, false, in.xp(), w64, null, in.init(), 3, 2, 4));
        assertTrue(e.getMessage().contains("whh is F64 but xp is F32"), e.getMessage());
        Inputs gru = inputs(SERIAL, CellKind.GRU, DType.F64, 3, 2, 4, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> SERIAL.recurrence(CellKind.GRU, false, gru.xp(), gru.whh(), null, gru.init(), 3, 2, 4));
        assertTrue(e.getMessage().contains("bhh is null; expected 12 elements"), e.getMessage());
        Storage[] f = SERIAL.recurrence(CellKind.LSTM, false, in.xp(), in.whh(), null, in.init(), 3, 2, 4);
        e = assertThrows(IllegalArgumentException.class,
                () -> SERIAL.recurrenceBackward(CellKind.LSTM, false, in.xp(), in.whh(), null, in.init(), f[0], f[1], f[1], 3, 2, 4));
        assertTrue(e.getMessage().contains("java recurrenceBackward (LSTM, steps 3, batch 2, hidden 4): grad has "), e.getMessage());
    }
}
