package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.RecurrenceDefaults;
import dev.recurrent.core.backend.Storage;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
        Sequences.check(SERIAL, kind, reverse, dtype, steps, batch, hidden, seed);
    }

    @Test
    void edgeShapesMatchTheDefaults() {
        int[][] shapes = {{1, 1, 1}, {1, 3, 4}, {4, 1, 3}, {3, 2, 1}, {6, 5, 7}};
        long seed = 1;
        for (CellKind kind : CellKind.values()) {
            for (boolean reverse : new boolean[] {false, true}) {
                for (DType dtype : DType.values()) {
                    for (int[] s : shapes) Sequences.check(SERIAL, kind, reverse, dtype, s[0], s[1], s[2], seed++);
                }
            }
        }
    }

    /** Past Gemm's blocks (512 columns, 256 inner) and its parallel threshold, on several threads. */
    @Test
    void blockedAndThreadedProductsMatchTheDefaults() {
        Sequences.check(PARALLEL, CellKind.LSTM, false, DType.F32, 3, 9, 130, 11);
        Sequences.check(PARALLEL, CellKind.GRU, true, DType.F64, 3, 9, 130, 12);
        Sequences.check(PARALLEL, CellKind.TANH, false, DType.F64, 4, 33, 260, 13);
    }

    @Test
    void threadCountDoesNotChangeTheResult() {
        for (CellKind kind : CellKind.values()) {
            double[][] one = Sequences.run(SERIAL, kind, true, DType.F32, 3, 5, 70, 21);
            double[][] three = Sequences.run(PARALLEL, kind, true, DType.F32, 3, 5, 70, 21);
            for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], three[i], 0.0, kind + " result " + i);
        }
    }

    /** No steps, an empty batch or no hidden units: empty outputs, zero gradients, no error. */
    @Test
    void emptySizesGiveEmptyOutputsAndZeroGradients() {
        for (CellKind kind : CellKind.values()) {
            for (int[] s : new int[][] {{0, 2, 3}, {3, 0, 3}, {3, 2, 0}}) {
                for (DType dtype : DType.values()) {
                    double[][] r = Sequences.run(SERIAL, kind, false, dtype, s[0], s[1], s[2], 5);
                    assertEquals(0, r[0].length, kind + " out");
                    for (int i = 1; i < r.length; i++) for (double v : r[i]) assertEquals(0.0, v, kind + " gradient " + i);
                }
            }
        }
    }

    /** A backward without the forward's saved storage (it ran elsewhere) recomputes: same results. */
    @Test
    void backwardWithoutSavedFallsBackToTheDefaults() {
        for (CellKind kind : new CellKind[] {CellKind.LSTM, CellKind.GRU}) {
            Sequences.Inputs in = Sequences.inputs(SERIAL, kind, DType.F64, 3, 2, 4, 9);
            Storage[] f = SERIAL.recurrence(kind, false, in.xp(), in.whh(), in.bhh(), in.init(), 3, 2, 4);
            Storage[] with = SERIAL.recurrenceBackward(kind, false, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(), 3, 2, 4);
            Storage[] without = SERIAL.recurrenceBackward(kind, false, in.xp(), in.whh(), in.bhh(), in.init(), f[0], null, in.grad(), 3, 2, 4);
            for (int i = 0; i < with.length; i++) {
                if (with[i] == null) assertNull(without[i]);
                else Sequences.close(kind + " fallback result " + i, SERIAL.toDoubleArray(without[i]), SERIAL.toDoubleArray(with[i]), DType.F64);
            }
        }
    }

    @Test
    void wrongArgumentsAreClearErrors() {
        Sequences.Inputs in = Sequences.inputs(SERIAL, CellKind.LSTM, DType.F32, 3, 2, 4, 1);
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
        Sequences.Inputs gru = Sequences.inputs(SERIAL, CellKind.GRU, DType.F64, 3, 2, 4, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> SERIAL.recurrence(CellKind.GRU, false, gru.xp(), gru.whh(), null, gru.init(), 3, 2, 4));
        assertTrue(e.getMessage().contains("bhh is null; expected 12 elements"), e.getMessage());
        Storage[] f = SERIAL.recurrence(CellKind.LSTM, false, in.xp(), in.whh(), null, in.init(), 3, 2, 4);
        e = assertThrows(IllegalArgumentException.class,
                () -> SERIAL.recurrenceBackward(CellKind.LSTM, false, in.xp(), in.whh(), null, in.init(), f[0], f[1], f[1], 3, 2, 4));
        assertTrue(e.getMessage().contains("java recurrenceBackward (LSTM, steps 3, batch 2, hidden 4): grad has "), e.getMessage());
    }

    /** Builds inputs, runs the kernels and the defaults, and compares (shared with nothing: kept here). */
    static final class Sequences {
        record Inputs(Storage xp, Storage whh, Storage bhh, Storage[] init, Storage grad) { }

        static Inputs inputs(Backend be, CellKind kind, DType dtype, int steps, int batch, int hidden, long seed) {
            Random r = new Random(seed);
            int gh = kind.gates() * hidden, bh = batch * hidden;
            double scale = 1.5 / Math.sqrt(hidden);
            Storage xp = be.fromArray(dtype, uniform(r, steps * batch * gh, 2));
            Storage whh = be.fromArray(dtype, uniform(r, gh * hidden, scale));
            Storage bhh = kind.hiddenBias() ? be.fromArray(dtype, uniform(r, gh, 1)) : null;
            Storage[] init = new Storage[kind.states()];
            for (int s = 0; s < init.length; s++) init[s] = be.fromArray(dtype, uniform(r, bh, 1));
            Storage grad = be.fromArray(dtype, uniform(r, kind.states() * steps * bh, 1));
            return new Inputs(xp, whh, bhh, init, grad);
        }

        private static double[] uniform(Random r, int n, double scale) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = scale * (2 * r.nextDouble() - 1);
            return x;
        }

        /** {@code {out, dxp, dwhh, dbhh (empty unless GRU), d init...}} of the backend's kernels. */
        static double[][] run(Backend be, CellKind kind, boolean reverse, DType dtype, int steps, int batch, int hidden, long seed) {
            Inputs in = inputs(be, kind, dtype, steps, batch, hidden, seed);
            Storage[] f = be.recurrence(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), steps, batch, hidden);
            Storage[] b = be.recurrenceBackward(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(), steps, batch, hidden);
            double[][] r = new double[1 + b.length][];
            r[0] = be.toDoubleArray(f[0]);
            for (int i = 0; i < b.length; i++) r[1 + i] = b[i] == null ? new double[0] : be.toDoubleArray(b[i]);
            return r;
        }

        static void check(Backend be, CellKind kind, boolean reverse, DType dtype, int steps, int batch, int hidden, long seed) {
            String what = kind + (reverse ? " reverse " : " ") + dtype + " T=" + steps + " B=" + batch + " H=" + hidden + " seed=" + seed;
            Inputs in = inputs(be, kind, dtype, steps, batch, hidden, seed);
            Storage[] f = be.recurrence(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), steps, batch, hidden);
            Storage[] fr = RecurrenceDefaults.forward(be, kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), steps, batch, hidden);
            close(what + ": out", be.toDoubleArray(fr[0]), be.toDoubleArray(f[0]), dtype);
            Storage[] b = be.recurrenceBackward(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(),
                    steps, batch, hidden);
            Storage[] br = RecurrenceDefaults.backward(be, kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), fr[0], in.grad(),
                    steps, batch, hidden);
            assertEquals(br.length, b.length, what + ": number of results");
            String[] names = {"dxp", "dwhh", "dbhh", "d init[0]", "d init[1]"};
            for (int i = 0; i < b.length; i++) {
                if (br[i] == null) {
                    assertNull(b[i], what + ": " + names[i] + " should be null");
                    continue;
                }
                assertEquals(br[i].size(), b[i].size(), what + ": size of " + names[i]);
                close(what + ": " + names[i], be.toDoubleArray(br[i]), be.toDoubleArray(b[i]), dtype);
            }
        }

        /** Relative to the largest magnitude of the reference, so that values near 0 do not need exact cancellation. */
        static void close(String what, double[] want, double[] got, DType dtype) {
            assertEquals(want.length, got.length, what + ": length");
            double scale = 0;
            for (double v : want) scale = Math.max(scale, Math.abs(v));
            double rtol = dtype == DType.F64 ? 1e-12 : 1e-5, tol = rtol * Math.max(scale, 1e-3);
            for (int i = 0; i < want.length; i++) {
                if (!(Math.abs(got[i] - want[i]) <= tol + rtol * Math.abs(want[i]))) {
                    fail(what + " element " + i + " is " + got[i] + ", the defaults give " + want[i] + " (tolerance " + tol + ")");
                }
            }
        }
    }
}
