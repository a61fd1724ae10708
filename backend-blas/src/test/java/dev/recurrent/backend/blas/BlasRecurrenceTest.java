package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.RecurrenceDefaults;
import dev.recurrent.core.backend.Storage;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code openblas} backend's whole-sequence kernels ({@link BlasRecurrence}: backend-cpu's
 * RecurrenceKernels with cblas products) against {@link RecurrenceDefaults} on the same backend, and against
 * the {@code java} backend's kernels: every cell kind, both directions, both dtypes, small shapes including
 * batch 1, one step and a hidden size of 1; F64 to about 1e-12 relative, F32 to about 1e-5. Also: every
 * storage is unpinned afterwards (released memory is freed at once) and foreign storages are refused.
 */
class BlasRecurrenceTest {
    private static final OpenBlasBackend BE = new OpenBlasBackend();
    private static final Backend JAVA = Backends.get("java");

    @Property(tries = 120, seed = "4712")
    void sequencesMatchTheStepByStepDefaults(@ForAll CellKind kind, @ForAll boolean reverse, @ForAll DType dtype,
                                             @ForAll @IntRange(min = 1, max = 5) int steps,
                                             @ForAll @IntRange(min = 1, max = 4) int batch,
                                             @ForAll @IntRange(min = 1, max = 6) int hidden, @ForAll long seed) {
        check(BE, kind, reverse, dtype, steps, batch, hidden, seed);
    }

    @Test
    void edgeShapesMatchTheDefaults() {
        int[][] shapes = {{1, 1, 1}, {1, 3, 4}, {4, 1, 3}, {3, 2, 1}, {6, 5, 7}};
        long seed = 1;
        for (CellKind kind : CellKind.values()) {
            for (boolean reverse : new boolean[] {false, true}) {
                for (DType dtype : DType.values()) {
                    for (int[] s : shapes) check(BE, kind, reverse, dtype, s[0], s[1], s[2], seed++);
                }
            }
        }
    }

    /** A weight-gradient product above the small-product threshold (all OpenBLAS threads). */
    @Test
    void largeProductsMatchTheDefaults() {
        check(BE, CellKind.LSTM, false, DType.F32, 20, 16, 128, 31);
        check(BE, CellKind.GRU, true, DType.F64, 12, 16, 128, 32);
    }

    @Property(tries = 30, seed = "4713")
    void agreesWithTheJavaBackend(@ForAll CellKind kind, @ForAll boolean reverse, @ForAll DType dtype,
                                  @ForAll @IntRange(min = 1, max = 4) int steps, @ForAll long seed) {
        double[][] blas = run(BE, kind, reverse, dtype, steps, 3, 5, seed), java = run(JAVA, kind, reverse, dtype, steps, 3, 5, seed);
        for (int i = 0; i < blas.length; i++) close(kind + " result " + i + " openblas vs java", java[i], blas[i], dtype);
    }

    @Test
    void everyStorageIsUnpinnedAfterwards() {
        for (CellKind kind : CellKind.values()) {
            long before = Pointer.totalBytes();
            Inputs in = inputs(BE, kind, DType.F32, 3, 2, 4, 7);
            Storage[] f = BE.recurrence(kind, true, in.xp(), in.whh(), in.bhh(), in.init(), 3, 2, 4);
            Storage[] b = BE.recurrenceBackward(kind, true, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(), 3, 2, 4);
            List<Storage> all = new ArrayList<>(List.of(in.xp(), in.whh(), in.grad()));
            all.addAll(List.of(in.init()));
            for (Storage s : f) if (s != null) all.add(s);
            for (Storage s : b) if (s != null) all.add(s);
            if (in.bhh() != null) all.add(in.bhh());
            for (Storage s : all) s.release();
            assertEquals(before, Pointer.totalBytes(), kind + ": memory still held after release (a storage left pinned?)");
        }
    }

    /** Heap bytes allocated per time step: none (a call allocates a fixed amount, whatever its length). */
    @Test
    void nothingIsAllocatedPerTimeStep() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (CellKind kind : CellKind.values()) {
            Inputs shortRun = inputs(BE, kind, DType.F32, 10, 4, 16, 1), longRun = inputs(BE, kind, DType.F32, 90, 4, 16, 1);
            long[] bytes = new long[2];
            for (int rep = 0; rep < 30; rep++) {                    // the last repetition counts: code compiled by then
                for (int i = 0; i < 2; i++) {
                    Inputs in = i == 0 ? shortRun : longRun;
                    int steps = i == 0 ? 10 : 90;
                    long before = mx.getCurrentThreadAllocatedBytes();
                    Storage[] f = BE.recurrence(kind, false, in.xp(), in.whh(), in.bhh(), in.init(), steps, 4, 16);
                    Storage[] b = BE.recurrenceBackward(kind, false, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(), steps, 4, 16);
                    bytes[i] = mx.getCurrentThreadAllocatedBytes() - before;
                    for (Storage s : f) if (s != null) s.release();
                    for (Storage s : b) if (s != null) s.release();
                }
            }
            shortRun.release();
            longRun.release();
            assertTrue(bytes[1] - bytes[0] < 80 * 16, kind + ": 80 more steps allocated " + (bytes[1] - bytes[0])
                    + " more bytes (" + bytes[0] + " for 10 steps, " + bytes[1] + " for 90)");
        }
    }

    /** No steps, an empty batch or no hidden units: empty outputs, zero gradients, no error. */
    @Test
    void emptySizesGiveEmptyOutputsAndZeroGradients() {
        for (CellKind kind : CellKind.values()) {
            for (int[] s : new int[][] {{0, 2, 3}, {3, 0, 3}, {3, 2, 0}}) {
                for (DType dtype : DType.values()) {
                    double[][] r = run(BE, kind, false, dtype, s[0], s[1], s[2], 5);
                    assertEquals(0, r[0].length, kind + " out");
                    for (int i = 1; i < r.length; i++) for (double v : r[i]) assertEquals(0.0, v, kind + " gradient " + i);
                }
            }
        }
    }

    @Test
    void storagesOfAnotherBackendAreRefused() {
        Inputs in = inputs(BE, CellKind.TANH, DType.F32, 2, 2, 3, 1);
        Storage foreign = JAVA.fromArray(DType.F32, new double[2 * 2 * 3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BE.recurrence(CellKind.TANH, false, foreign, in.whh(), null, in.init(), 2, 2, 3));
        assertTrue(e.getMessage().contains("belongs to backend 'java'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BE.recurrence(CellKind.TANH, false, in.xp(), in.whh(), null, in.init(), 2, 2, 4));
        assertTrue(e.getMessage().contains("openblas recurrence (TANH, steps 2, batch 2, hidden 4): xp has 12 elements;"
                + " expected steps·batch·1·hidden = 16"), e.getMessage());
        in.release();
    }

    /** A backward without the forward's saved storage recomputes step by step: same results. */
    @Test
    void backwardWithoutSavedFallsBackToTheDefaults() {
        Inputs in = inputs(BE, CellKind.GRU, DType.F64, 3, 2, 4, 9);
        Storage[] f = BE.recurrence(CellKind.GRU, false, in.xp(), in.whh(), in.bhh(), in.init(), 3, 2, 4);
        Storage[] with = BE.recurrenceBackward(CellKind.GRU, false, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(), 3, 2, 4);
        Storage[] without = BE.recurrenceBackward(CellKind.GRU, false, in.xp(), in.whh(), in.bhh(), in.init(), f[0], null, in.grad(), 3, 2, 4);
        for (int i = 0; i < with.length; i++) close("fallback result " + i, BE.toDoubleArray(without[i]), BE.toDoubleArray(with[i]), DType.F64);
        release(f, with, without);
        in.release();
    }

    // ---- helpers (as in backend-cpu's RecurrenceKernelsTest) ----------------------------------------

    record Inputs(Storage xp, Storage whh, Storage bhh, Storage[] init, Storage grad) {
        void release() {
            BlasRecurrenceTest.release(new Storage[] {xp, whh, bhh, grad}, init);
        }
    }

    /** Frees what a test made at once (left to the garbage collector, it would be freed during a later test class). */
    static void release(Storage[]... groups) {
        for (Storage[] g : groups) for (Storage s : g) if (s != null && !s.released()) s.release();
    }

    static Inputs inputs(Backend be, CellKind kind, DType dtype, int steps, int batch, int hidden, long seed) {
        Random r = new Random(seed);
        int gh = kind.gates() * hidden, bh = batch * hidden;
        Storage xp = be.fromArray(dtype, uniform(r, steps * batch * gh, 2));
        Storage whh = be.fromArray(dtype, uniform(r, gh * hidden, 1.5 / Math.sqrt(hidden)));
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

    /** {@code {out, dxp, dwhh, dbhh (empty unless GRU), d init...}}. */
    static double[][] run(Backend be, CellKind kind, boolean reverse, DType dtype, int steps, int batch, int hidden, long seed) {
        Inputs in = inputs(be, kind, dtype, steps, batch, hidden, seed);
        Storage[] f = be.recurrence(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), steps, batch, hidden);
        Storage[] b = be.recurrenceBackward(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(), steps, batch, hidden);
        double[][] r = new double[1 + b.length][];
        r[0] = be.toDoubleArray(f[0]);
        for (int i = 0; i < b.length; i++) r[1 + i] = b[i] == null ? new double[0] : be.toDoubleArray(b[i]);
        release(f, b);
        in.release();
        return r;
    }

    static void check(Backend be, CellKind kind, boolean reverse, DType dtype, int steps, int batch, int hidden, long seed) {
        String what = kind + (reverse ? " reverse " : " ") + dtype + " T=" + steps + " B=" + batch + " H=" + hidden + " seed=" + seed;
        Inputs in = inputs(be, kind, dtype, steps, batch, hidden, seed);
        Storage[] f = be.recurrence(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), steps, batch, hidden);
        Storage[] fr = RecurrenceDefaults.forward(be, kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), steps, batch, hidden);
        close(what + ": out", be.toDoubleArray(fr[0]), be.toDoubleArray(f[0]), dtype);
        Storage[] b = be.recurrenceBackward(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(), steps, batch, hidden);
        Storage[] br = RecurrenceDefaults.backward(be, kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), fr[0], in.grad(), steps, batch, hidden);
        assertEquals(br.length, b.length, what + ": number of results");
        String[] names = {"dxp", "dwhh", "dbhh", "d init[0]", "d init[1]"};
        for (int i = 0; i < b.length; i++) {
            if (br[i] == null) {
                assertNull(b[i], what + ": " + names[i] + " should be null");
                continue;
            }
            close(what + ": " + names[i], be.toDoubleArray(br[i]), be.toDoubleArray(b[i]), dtype);
        }
        release(f, fr, b, br);
        in.release();
    }

    /** Relative to the largest magnitude of the reference, so that values near 0 do not need exact cancellation. */
    static void close(String what, double[] want, double[] got, DType dtype) {
        assertEquals(want.length, got.length, what + ": length");
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        double rtol = dtype == DType.F64 ? 1e-12 : 1e-5, tol = rtol * Math.max(scale, 1e-3);
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol + rtol * Math.abs(want[i]))) {
                fail(what + " element " + i + " is " + got[i] + ", the reference gives " + want[i] + " (tolerance " + tol + ")");
            }
        }
    }
}
