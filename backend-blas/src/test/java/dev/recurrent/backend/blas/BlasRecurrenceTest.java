package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.RecurrenceKernelCheck.Inputs;
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

import static dev.recurrent.core.RecurrenceKernelCheck.check;
import static dev.recurrent.core.RecurrenceKernelCheck.checkEdgeShapes;
import static dev.recurrent.core.RecurrenceKernelCheck.checkEmptySizes;
import static dev.recurrent.core.RecurrenceKernelCheck.close;
import static dev.recurrent.core.RecurrenceKernelCheck.inputs;
import static dev.recurrent.core.RecurrenceKernelCheck.release;
import static dev.recurrent.core.RecurrenceKernelCheck.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code openblas} backend's whole-sequence kernels ({@link BlasRecurrence}: backend-cpu's
 * RecurrenceKernels with cblas products) against {@link RecurrenceDefaults} on the same backend, and against
 * the {@code java} backend's kernels: every cell kind, both directions, both dtypes, small shapes including
 * batch 1, one step and a hidden size of 1; F64 to about 1e-12 relative, F32 to about 1e-5. Also: every
 * storage is unpinned afterwards (released memory is given back at once) and foreign storages are refused.
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
        checkEdgeShapes(BE);
    }

    /** A weight-gradient product above the small-product threshold (split into bands over the crew). */
    @Test
    void largeProductsMatchTheDefaults() {
        check(BE, CellKind.LSTM, false, DType.F32, 20, 16, 128, 31);
        check(BE, CellKind.GRU, true, DType.F64, 12, 16, 128, 32);
    }

    /**
     * Big reductions with an outer axis (the loss's row sums, a middle axis, rows wider than a chunk), split
     * over three threads by whole slabs, give the one-thread result to the bit, for every op.
     */
    @Test
    void splitOuterReductionsGiveTheOneThreadResult() {
        OpenBlasBackend one = new OpenBlasBackend(1), three = new OpenBlasBackend(3);
        java.util.Random r = new java.util.Random(29);
        int[][] shapes = {{1601, 256, 1}, {7, 300, 200}, {3, 100, 1000}};   // outer, n, inner: each past the split's size
        for (DType dtype : DType.values()) {
            for (int[] sh : shapes) {
                double[] v = new double[sh[0] * sh[1] * sh[2]];
                for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian() * Math.exp(8 * r.nextGaussian());   // spread magnitudes
                Storage x1 = one.fromArray(dtype, v), x3 = three.fromArray(dtype, v);
                for (dev.recurrent.core.backend.ReduceOp op : dev.recurrent.core.backend.ReduceOp.values()) {
                    double[] a = one.toDoubleArray(one.reduce(op, x1, sh[0], sh[1], sh[2]));
                    double[] b = three.toDoubleArray(three.reduce(op, x3, sh[0], sh[1], sh[2]));
                    assertEquals(sh[0] * sh[2], b.length);
                    for (int j = 0; j < a.length; j++) {
                        assertEquals(Double.doubleToRawLongBits(a[j]), Double.doubleToRawLongBits(b[j]),
                                op + " " + dtype + " " + java.util.Arrays.toString(sh) + " output " + j);
                    }
                }
                x1.release();
                x3.release();
            }
        }
    }

    /**
     * The weight transposes ({@code W_hhᵀ} for the backward's step products) give the transpose exactly:
     * matrices small enough to go a whole column at a time, and bigger ones that go by blocks of rows, some
     * with a last block that is shorter, in both dtypes, from and to positions inside bigger buffers (the
     * source's and the destination's different, and both 0); nothing outside the destination's window is
     * written, and the pointers' positions are kept.
     */
    @Test
    void weightTransposesAreExactWholeAndByBlocks() {
        NativeBlas.load();
        // rows x cols, from small to W2's W_hh (2048 x 512, 4 MB in F32). Which go by blocks (over
        // TRANSPOSE_WHOLE_BYTES) depends on the dtype: 1024 x 256 (W1 LSTM's) is 1 MB in F32, 2 MB in F64.
        int[][] shapes = {{3, 5}, {1024, 256}, {2048, 512}, {1000, 300}, {700, 200}, {1, 300_000}, {300_000, 1}};
        int[][] offsets = {{3, 7}, {0, 0}};                                    // source, destination
        for (boolean f32 : new boolean[] {true, false}) {
            int byBlocks = 0;
            for (int[] sh : shapes) {
                int rows = sh[0], cols = sh[1], n = rows * cols;
                boolean blocked = (long) cols * (f32 ? 4 : 8) * rows > BlasRecurrence.TRANSPOSE_WHOLE_BYTES;
                if (blocked) byBlocks++;
                for (int[] o : offsets) {
                    int so = o[0], dof = o[1], pad = 5;
                    String what = (f32 ? "F32 " : "F64 ") + rows + " x " + cols + (blocked ? " (by blocks)" : " (whole)")
                            + " from " + so + " to " + dof;
                    Pointer srcBase, dstBase, src, dst;                        // the buffers at position 0, and the views
                    if (f32) {
                        org.bytedeco.javacpp.FloatPointer s = new org.bytedeco.javacpp.FloatPointer(n + so), d = new org.bytedeco.javacpp.FloatPointer(n + dof + pad);
                        for (int i = 0; i < n + so; i++) s.put(i, i);          // exact in float up to 2^24
                        for (int i = 0; i < n + dof + pad; i++) d.put(i, -1f);
                        srcBase = s;
                        dstBase = d;
                        src = new org.bytedeco.javacpp.FloatPointer(s).position(so);
                        dst = new org.bytedeco.javacpp.FloatPointer(d).position(dof);
                    } else {
                        org.bytedeco.javacpp.DoublePointer s = new org.bytedeco.javacpp.DoublePointer(n + so), d = new org.bytedeco.javacpp.DoublePointer(n + dof + pad);
                        for (int i = 0; i < n + so; i++) s.put(i, i);
                        for (int i = 0; i < n + dof + pad; i++) d.put(i, -1.0);
                        srcBase = s;
                        dstBase = d;
                        src = new org.bytedeco.javacpp.DoublePointer(s).position(so);
                        dst = new org.bytedeco.javacpp.DoublePointer(d).position(dof);
                    }
                    BlasRecurrence.transpose(src, dst, rows, cols);
                    assertEquals(so, src.position(), what + ": source position");
                    assertEquals(dof, dst.position(), what + ": destination position");
                    for (int i = 0; i < n + dof + pad; i++) {
                        double got = f32 ? ((org.bytedeco.javacpp.FloatPointer) dstBase).get(i) : ((org.bytedeco.javacpp.DoublePointer) dstBase).get(i);
                        int k = i - dof;                                       // dst[j·rows + r] = src[r·cols + j]
                        double want = k < 0 || k >= n ? -1 : so + (double) (k % rows) * cols + k / rows;
                        if (got != want) assertEquals(want, got, what + ": element " + k);
                    }
                    srcBase.deallocate();
                    dstBase.deallocate();
                }
            }
            assertTrue(byBlocks >= 2, (f32 ? "F32" : "F64") + ": only " + byBlocks + " shapes go by blocks; the test needs bigger ones");
        }
    }

    /** A big column sum (a bias gradient) split over three threads gives the one-thread result to the bit. */
    @Test
    void splitColumnSumsGiveTheOneThreadResult() {
        OpenBlasBackend one = new OpenBlasBackend(1), three = new OpenBlasBackend(3);
        java.util.Random r = new java.util.Random(23);
        for (DType dtype : DType.values()) {
            double[] v = new double[1601 * 1000];
            for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
            Storage x1 = one.fromArray(dtype, v), x3 = three.fromArray(dtype, v);
            double[] a = one.toDoubleArray(one.reduce(dev.recurrent.core.backend.ReduceOp.SUM, x1, 1, 1601, 1000));
            double[] b = three.toDoubleArray(three.reduce(dev.recurrent.core.backend.ReduceOp.SUM, x3, 1, 1601, 1000));
            for (int j = 0; j < a.length; j++) assertEquals(Double.doubleToRawLongBits(a[j]), Double.doubleToRawLongBits(b[j]), dtype + " column " + j);
        }
    }

    /**
     * A big sum of everything (a loss), its chunks summed on three threads, gives the one-thread result to the
     * bit, and that result is the sum to within its rounding (values of mixed sign and size, with a short last
     * chunk: 409,601 elements).
     */
    @Test
    void splitWholeSumsGiveTheOneThreadResult() {
        OpenBlasBackend one = new OpenBlasBackend(1), three = new OpenBlasBackend(3);
        java.util.Random r = new java.util.Random(29);
        for (DType dtype : DType.values()) {
            double[] v = new double[409_601];
            for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian() * Math.exp(3 * r.nextGaussian());
            Storage x1 = one.fromArray(dtype, v), x3 = three.fromArray(dtype, v);
            double a = one.toDoubleArray(one.reduce(dev.recurrent.core.backend.ReduceOp.SUM, x1, 1, v.length, 1))[0];
            double b = three.toDoubleArray(three.reduce(dev.recurrent.core.backend.ReduceOp.SUM, x3, 1, v.length, 1))[0];
            assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b), dtype + ": " + a + " vs " + b);
            java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
            double[] rounded = one.toDoubleArray(x1);
            for (double x : rounded) exact = exact.add(new java.math.BigDecimal(x));
            double abs = 0;
            for (double x : rounded) abs += Math.abs(x);
            assertTrue(Math.abs(exact.doubleValue() - b) <= (dtype == DType.F32 ? 1e-6 * Math.abs(exact.doubleValue()) : 0) + 1e-12 * abs,
                    dtype + ": " + b + " against the exact " + exact.doubleValue());
        }
    }

    /**
     * Blocks from the cache hold whatever their last storage left, NaN included: every output must be
     * written before it is read (BLAS with beta 0 must not read C; the batch-of-one matrix-vector products
     * too). The cache is first filled with NaN blocks of the sizes these calls ask for.
     */
    @Test
    void reusedBlocksFullOfNaNChangeNothing() {
        OpenBlasBackend be = new OpenBlasBackend(2, 40_000_000L, (256L << 20) + 7);
        be.trimCache();
        for (CellKind kind : CellKind.values()) {
            for (int batch : new int[] {1, 9}) {
                int steps = 40, hidden = 256, gh = kind.gates() * hidden;
                for (DType dtype : DType.values()) {
                    List<Storage> poison = new ArrayList<>();
                    for (long n : new long[] {(long) kind.states() * steps * batch * hidden,
                            dev.recurrent.backend.cpu.RecurrenceKernels.savedSize(kind, steps, batch, hidden),
                            (long) steps * batch * gh, (long) gh * hidden, (long) steps * batch * 3 * hidden, (long) gh * hidden}) {
                        if (n > 0) poison.add(be.full(dtype, (int) n, Double.NaN));
                    }
                    for (Storage p : poison) p.release();
                    check(be, kind, false, dtype, steps, batch, hidden, 40 + batch);
                }
            }
        }
        be.trimCache();
    }

    /**
     * On three threads, with every weight-gradient product split into bands: the batch runs as slices side
     * by side (16 rows: 5, 5, 6; 17: 5, 6, 6), each slice's F32 step products through the small-matrix sgemm
     * where OpenBLAS has it, else (and F64's always) flipped ({@code Cᵀ = W·hᵀ}) and copied (forward) or
     * added (GRU's backward) into place.
     */
    @Test
    void slicesAndBandsOnThreeThreadsMatchTheDefaults() {
        OpenBlasBackend three = new OpenBlasBackend(3, 0);
        check(three, CellKind.LSTM, false, DType.F32, 20, 16, 128, 31);
        check(three, CellKind.GRU, true, DType.F32, 7, 17, 40, 34);
        check(three, CellKind.TANH, false, DType.F32, 5, 12, 33, 35);
        check(three, CellKind.LSTM, true, DType.F64, 6, 16, 128, 33);
        check(three, CellKind.GRU, false, DType.F64, 12, 16, 128, 32);
        check(three, CellKind.RELU, true, DType.F64, 4, 9, 17, 36);
    }

    /**
     * The F32 step products through OpenBLAS's small-matrix sgemm (forced on) and the flipped products (forced
     * off) both match the defaults, at shapes that take the small path: four groups of 8 rows on two threads
     * and one lane of 16 or of 64 (its backward's k of 256 in two parts), the LSTM backward's k of 1024 in two parts, the GRU backward and the Elman forward
     * accumulating into C, panels with a narrower last one (H = 40; H = 250 with the backward's k of 1000 in two
     * parts, so a part starts inside the last panel), W1's sizes.
     */
    @Test
    void smallMatrixStepProductsMatchTheDefaults() {
        assertTrue(BlasRecurrence.small(true, 16, 1024, 256) && BlasRecurrence.small(true, 16, 256, 1024)
                && BlasRecurrence.small(true, 2, 120, 40) && BlasRecurrence.small(true, 2, 40, 120)
                && BlasRecurrence.small(true, 16, 64, 16) && BlasRecurrence.small(true, 64, 1024, 256)
                && BlasRecurrence.small(true, 16, 2048, 512), "W1's, W2's and the small shapes' step products take the small path");
        assertTrue(!BlasRecurrence.small(false, 16, 1024, 256) && !BlasRecurrence.small(true, 65, 1024, 256)
                && !BlasRecurrence.small(true, 16, 4096, 1024), "off, 65 rows, a W_hh over 2^20 elements: the flipped products");
        assertEquals(2, BlasRecurrence.smallParts(16, 1024, BlasRecurrence.SMALL_COLS));
        assertEquals(1, BlasRecurrence.smallParts(16, 768, BlasRecurrence.SMALL_COLS));
        assertEquals(5, BlasRecurrence.smallParts(16, 4096, BlasRecurrence.SMALL_COLS));
        for (boolean small : new boolean[] {true, false}) {
            OpenBlasBackend two = new OpenBlasBackend(2, 0, BlockCache.configuredCapacity(), small);
            OpenBlasBackend one = new OpenBlasBackend(1, 0, BlockCache.configuredCapacity(), small);
            assertEquals(small, two.smallKernels());
            check(two, CellKind.LSTM, false, DType.F32, 4, 32, 256, 41);
            check(two, CellKind.GRU, true, DType.F32, 4, 32, 256, 42);
            check(two, CellKind.TANH, false, DType.F32, 4, 32, 256, 43);
            check(one, CellKind.LSTM, true, DType.F32, 3, 16, 256, 44);
            check(one, CellKind.GRU, false, DType.F32, 5, 12, 40, 45);
            check(one, CellKind.RELU, false, DType.F32, 5, 7, 40, 46);
            check(two, CellKind.GRU, false, DType.F32, 5, 9, 40, 47);
            check(one, CellKind.LSTM, false, DType.F32, 3, 16, 250, 48);
            check(one, CellKind.LSTM, true, DType.F32, 3, 64, 64, 49);
        }
    }

    /**
     * The lanes' copies of op(B) in panels of 64 columns: every element of op(B) [k, n] lands at row r of its
     * column's panel, from B as stored (op(B) itself) and from B transposed, with a narrower last panel (n 200:
     * 64, 64, 64, 8), from an offset into the source, the views' positions left where they were.
     */
    @Test
    void panelsHoldEveryColumnOfOpBInBlocksOf64() {
        int k = 5, n = 200, off = 3;
        for (boolean transposed : new boolean[] {false, true}) {
            org.bytedeco.javacpp.FloatPointer src = new org.bytedeco.javacpp.FloatPointer(off + (long) k * n);
            org.bytedeco.javacpp.FloatPointer dst = new org.bytedeco.javacpp.FloatPointer((long) k * n);
            try {
                java.nio.FloatBuffer s = src.asBuffer(), d = dst.asBuffer();
                for (int i = 0; i < off + k * n; i++) s.put(i, i);
                Pointer sv = new org.bytedeco.javacpp.FloatPointer(src), dv = new org.bytedeco.javacpp.FloatPointer(dst);
                BlasRecurrence.panels(s, off, sv, transposed, d, dv, k, n);
                assertEquals(0, sv.position());
                assertEquals(0, dv.position());
                for (int r = 0; r < k; r++) {
                    for (int col = 0; col < n; col++) {
                        int p = col / 64, w = Math.min(64, n - 64 * p);
                        float opB = s.get(off + (transposed ? col * k + r : r * n + col));
                        assertEquals(opB, d.get(64 * p * k + r * w + col % 64), (transposed ? "Bᵀ" : "B") + " r " + r + " col " + col);
                    }
                }
            } finally {
                src.deallocate();
                dst.deallocate();
            }
        }
    }

    /**
     * A lane whose groups straddle {@link BlasRecurrence#SMALL_ROWS} (batch 258 on two threads: groups of 64,
     * 65, 64 and 65 rows, each thread one of each) makes its panels once a pass and keeps them for its 65-row
     * products, rather than rebuilding its one copy at every switch of path; the results match the defaults.
     */
    @Test
    void aLaneKeepsItsPanelsWhenItsGroupsStraddleTheRowLimit() {
        OpenBlasBackend two = new OpenBlasBackend(2, 0, BlockCache.configuredCapacity(), true);
        for (CellKind kind : new CellKind[] {CellKind.LSTM, CellKind.GRU}) {
            Inputs in = inputs(two, kind, DType.F32, 6, 258, 16, 61);
            long before = BlasRecurrence.PANEL_COPIES.get();
            Storage[] f = two.recurrence(kind, false, in.xp(), in.whh(), in.bhh(), in.init(), 6, 258, 16);
            long copies = BlasRecurrence.PANEL_COPIES.get() - before;
            assertTrue(copies >= 1 && copies <= 2, kind + ": " + copies + " panel copies in a forward of two lanes");
            release(f);
            in.release();
            check(two, kind, false, DType.F32, 6, 258, 16, 62);
        }
    }

    /**
     * The shared schedule of the steps (backend-cpu's {@code RecurrenceKernels.Groups}) on this backend: W1's
     * batch on two threads is four groups of 8 rows, whose small-matrix products give the same bits on either
     * thread (each reads its own copy of W_hh). With the helper slowed before each of its steps (the schedule's
     * test hook, set by reflection), the caller takes over steps of the helper's groups, and every result
     * equals the unslowed run's.
     */
    @Test
    void theSharedScheduleGivesTheSameBitsWhoeverRunsAStep() throws Exception {
        Class<?> groups = Class.forName("dev.recurrent.backend.cpu.RecurrenceKernels$Groups");
        java.lang.reflect.Field hook = groups.getDeclaredField("beforeStep");
        hook.setAccessible(true);
        OpenBlasBackend two = new OpenBlasBackend(2, 0, BlockCache.configuredCapacity(), true);
        for (CellKind kind : new CellKind[] {CellKind.LSTM, CellKind.GRU, CellKind.TANH}) {
            for (DType dtype : DType.values()) {
                double[][] plain = run(two, kind, false, dtype, 6, 32, 64, 51);
                int[] steps = new int[2];
                hook.set(null, (java.util.function.IntConsumer) p -> {
                    synchronized (steps) { steps[p]++; }
                    if (p == 1) {
                        try { Thread.sleep(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                    }
                });
                double[][] skewed;
                try {
                    skewed = run(two, kind, false, dtype, 6, 32, 64, 51);
                } finally {
                    hook.set(null, null);
                }
                assertEquals(48, steps[0] + steps[1], kind + " " + dtype + ": 4 groups x 6 steps, forward and backward");
                assertTrue(steps[1] < 24, kind + " " + dtype + ": the slowed helper ran " + steps[1] + " of its 24 steps");
                for (int i = 0; i < plain.length; i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(plain[i], skewed[i], 0.0, kind + " " + dtype + " result " + i);
                }
                check(two, kind, true, dtype, 6, 32, 64, 52);
            }
        }
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
        checkEmptySizes(BE);
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
}
