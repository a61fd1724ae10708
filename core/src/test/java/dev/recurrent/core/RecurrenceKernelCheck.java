package dev.recurrent.core;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.RecurrenceDefaults;
import dev.recurrent.core.backend.Storage;

import java.util.Random;

/**
 * A backend's own {@code recurrence}/{@code recurrenceBackward} kernels against the SPI's step-by-step
 * defaults ({@link RecurrenceDefaults}), at the storage level: random inputs of a given shape, both
 * directions, every result compared relative to the reference's largest magnitude. Used by the kernel
 * tests of backend-cpu and backend-blas (the op-level contract is {@link RecurrenceContract}). Everything a
 * check makes is released when it is done, so off-heap backends do not leave memory to the collector.
 */
public final class RecurrenceKernelCheck {
    private RecurrenceKernelCheck() { }

    /** The storages of one run: xp, whh, bhh (GRU; else null), the initial states and an upstream gradient. */
    public record Inputs(Storage xp, Storage whh, Storage bhh, Storage[] init, Storage grad) {
        public void release() { RecurrenceKernelCheck.release(new Storage[] {xp, whh, bhh, grad}, init); }
    }

    /** Releases every storage given that is not released yet (nulls are skipped). */
    public static void release(Storage[]... groups) {
        for (Storage[] g : groups) for (Storage s : g) if (s != null && !s.released()) s.release();
    }

    public static Inputs inputs(Backend be, CellKind kind, DType dtype, int steps, int batch, int hidden, long seed) {
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

    /** {@code {out, dxp, dwhh, dbhh (empty unless GRU), d init...}} of the backend's kernels. */
    public static double[][] run(Backend be, CellKind kind, boolean reverse, DType dtype, int steps, int batch, int hidden, long seed) {
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

    /** The backend's kernels against the defaults on the same inputs: out, then every gradient. */
    public static void check(Backend be, CellKind kind, boolean reverse, DType dtype, int steps, int batch, int hidden, long seed) {
        String what = kind + (reverse ? " reverse " : " ") + dtype + " T=" + steps + " B=" + batch + " H=" + hidden + " seed=" + seed;
        Inputs in = inputs(be, kind, dtype, steps, batch, hidden, seed);
        Storage[] f = be.recurrence(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), steps, batch, hidden);
        Storage[] fr = RecurrenceDefaults.forward(be, kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), steps, batch, hidden);
        close(what + ": out", be.toDoubleArray(fr[0]), be.toDoubleArray(f[0]), dtype);
        Storage[] b = be.recurrenceBackward(kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), f[0], f[1], in.grad(), steps, batch, hidden);
        Storage[] br = RecurrenceDefaults.backward(be, kind, reverse, in.xp(), in.whh(), in.bhh(), in.init(), fr[0], in.grad(), steps, batch, hidden);
        Expect.isTrue(br.length == b.length, what + ": " + b.length + " results, the defaults give " + br.length);
        String[] names = {"dxp", "dwhh", "dbhh", "d init[0]", "d init[1]"};
        for (int i = 0; i < b.length; i++) {
            if (br[i] == null) {
                Expect.isTrue(b[i] == null, what + ": " + names[i] + " should be null");
                continue;
            }
            Expect.isTrue(b[i] != null && br[i].size() == b[i].size(), what + ": size of " + names[i]);
            close(what + ": " + names[i], be.toDoubleArray(br[i]), be.toDoubleArray(b[i]), dtype);
        }
        release(f, fr, b, br);
        in.release();
    }

    /** Relative to the largest magnitude of the reference, so that values near 0 do not need exact cancellation. */
    public static void close(String what, double[] want, double[] got, DType dtype) {
        Expect.isTrue(want.length == got.length, what + ": length " + got.length + ", expected " + want.length);
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        double rtol = dtype == DType.F64 ? 1e-12 : 1e-5, tol = rtol * Math.max(scale, 1e-3);
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol + rtol * Math.abs(want[i]))) {
                throw new AssertionError(what + " element " + i + " is " + got[i] + ", the reference gives " + want[i] + " (tolerance " + tol + ")");
            }
        }
    }

    /**
     * {@link #check} over edge shapes (steps, batch, hidden): batch 1, one step, a hidden size of 1 and a
     * small odd shape, for every cell kind, both directions and both dtypes.
     */
    public static void checkEdgeShapes(Backend be) {
        int[][] shapes = {{1, 1, 1}, {1, 3, 4}, {4, 1, 3}, {3, 2, 1}, {6, 5, 7}};
        long seed = 1;
        for (CellKind kind : CellKind.values()) {
            for (boolean reverse : new boolean[] {false, true}) {
                for (DType dtype : DType.values()) {
                    for (int[] s : shapes) check(be, kind, reverse, dtype, s[0], s[1], s[2], seed++);
                }
            }
        }
    }

    /** No steps, an empty batch or no hidden units: empty outputs and zero gradients, no error. */
    public static void checkEmptySizes(Backend be) {
        for (CellKind kind : CellKind.values()) {
            for (int[] s : new int[][] {{0, 2, 3}, {3, 0, 3}, {3, 2, 0}}) {
                for (DType dtype : DType.values()) {
                    double[][] r = run(be, kind, false, dtype, s[0], s[1], s[2], 5);
                    org.junit.jupiter.api.Assertions.assertEquals(0, r[0].length, kind + " out");
                    for (int i = 1; i < r.length; i++) {
                        for (double v : r[i]) org.junit.jupiter.api.Assertions.assertEquals(0.0, v, kind + " gradient " + i);
                    }
                }
            }
        }
    }
}
