package dev.recurrent.backend.blas;

import dev.recurrent.backend.cpu.BufferKernels;
import dev.recurrent.backend.cpu.Crew;
import dev.recurrent.backend.cpu.FusedKernels;
import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;

import static org.bytedeco.openblas.global.openblas_nolapack.cblas_daxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dcopy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_saxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_scopy;

/**
 * The {@code openblas} backend: matrix products and axpy through OpenBLAS (JavaCPP), every other kernel
 * as the pure-Java loops of backend-cpu running over the same off-heap memory (direct buffers), so there
 * is no copy and no JNI call per element. See {@link OpenBlasStorage} for how memory is freed.
 *
 * <p>Threads: {@code -Drnn.blas.threads=N} or {@code RNN_BLAS_THREADS=N}, default the number of available
 * cores. OpenBLAS itself runs single-threaded; a product of at least {@link #SMALL_GEMM_PROPERTY} flops is
 * split into bands over the backend's {@link dev.recurrent.backend.cpu.Crew} ({@link Gemm}), and whole
 * sequences split their batch over it (backend-cpu's RecurrenceKernels).
 */
public final class OpenBlasBackend implements Backend {
    public static final String NAME = "openblas";

    /** Products of fewer flops than this run on the caller's thread alone (see {@link #matmul}). */
    public static final String SMALL_GEMM_PROPERTY = "rnn.blas.smallGemmFlops";

    private final int threads;
    private final long smallGemmFlops;
    private final BlockCache blocks;
    private final boolean smallKernels;

    /** Loads OpenBLAS; the thread count comes from the configuration (property, environment, core count). */
    public OpenBlasBackend() { this(NativeBlas.configuredThreads()); }

    /** Loads OpenBLAS; products and sequences use up to {@code threads} threads. */
    public OpenBlasBackend(int threads) {
        this(threads, Long.getLong(SMALL_GEMM_PROPERTY, 40_000_000L), BlockCache.configuredCapacity());
    }

    /** Tests: as {@link #OpenBlasBackend(int, long, long)} with the configured cache. */
    OpenBlasBackend(int threads, long smallGemmFlops) { this(threads, smallGemmFlops, BlockCache.configuredCapacity()); }

    /**
     * Tests: products of {@code smallGemmFlops} flops or more are split over the threads (0: all that can
     * be); released blocks are kept for reuse up to {@code cacheBytes} (0: freed at once).
     */
    OpenBlasBackend(int threads, long smallGemmFlops, long cacheBytes) {
        this(threads, smallGemmFlops, cacheBytes, NativeBlas.smallKernels());
    }

    /**
     * Tests: as {@link #OpenBlasBackend(int, long, long)}, and the F32 step products of whole sequences go
     * through OpenBLAS's small-matrix {@code sgemm} when {@code smallKernels} (see {@link BlasRecurrence};
     * otherwise: detected, {@link NativeBlas#smallKernels()}).
     */
    OpenBlasBackend(int threads, long smallGemmFlops, long cacheBytes, boolean smallKernels) {
        if (threads < 1) throw new IllegalArgumentException("openblas: thread count must be >= 1; got " + threads);
        NativeBlas.load();
        this.threads = threads;
        this.smallGemmFlops = smallGemmFlops;
        this.blocks = BlockCache.shared(cacheBytes);
        this.smallKernels = smallKernels;
    }

    @Override public String name() { return NAME; }

    /** The OpenBLAS version the presets were built from, e.g. {@code OpenBLAS 0.3.28}. */
    public String blasVersion() { return openblas_nolapack.OPENBLAS_VERSION.trim(); }

    /** The threads this backend splits big products and whole sequences over (OpenBLAS itself runs on one). */
    public int threads() { return threads; }

    /**
     * For example {@code openblas (BLAS vendor OpenBLAS, version 0.3.28, 2 threads, linux-x86_64, small-matrix
     * sgemm)}, the last part when the step products use it ({@link #smallKernels()}).
     */
    @Override
    public String describe() {
        return NAME + " (BLAS vendor OpenBLAS, version " + blasVersion().replace("OpenBLAS ", "") + ", " + threads
                + (threads == 1 ? " thread" : " threads") + ", " + Loader.getPlatform() + (smallKernels ? ", small-matrix sgemm" : "") + ")";
    }

    /**
     * Whether the F32 step products of whole sequences go through OpenBLAS's small-matrix {@code sgemm} (see
     * {@link BlasRecurrence}; detected by {@link NativeBlas#smallKernels()}, {@code -Drnn.blas.smallKernels}
     * overrides).
     */
    public boolean smallKernels() { return smallKernels; }

    @Override public String toString() { return describe(); }

    // ---- memory -----------------------------------------------------------------------------------

    BlockCache blocks() { return blocks; }

    /**
     * Bytes of native memory that released storages left in the cache for reuse (at most
     * {@code -Drnn.blas.cacheBytes}, default 1 GiB; one cache per process for each capacity, shared by the
     * backends configured with it; JavaCPP's {@code Pointer.totalBytes()} counts them).
     */
    public long cachedBytes() { return blocks.cachedBytes(); }

    /**
     * Frees every block the cache holds (storages still in use keep theirs). The cache is shared by every
     * backend of the same {@code rnn.blas.cacheBytes}, so this empties theirs too.
     */
    public void trimCache() { blocks.clear(); }

    /** New uninitialised storage (package-private: every caller overwrites every element). */
    OpenBlasStorage allocate(DType dtype, int size) { return new OpenBlasStorage(this, dtype, size); }

    private OpenBlasStorage own(Storage s) {
        // Any OpenBlasBackend instance will do: they share one OpenBLAS and one memory model.
        if (s instanceof OpenBlasStorage o) return o;
        throw new IllegalArgumentException("openblas: storage " + s + " belongs to backend '"
                + (s == null ? "none" : s.backend().name()) + "'; move it with tensor.to(backend) first");
    }

    private OpenBlasStorage.Pin pin(Storage s) { return own(s).pin(); }

    @Override
    public Storage full(DType dtype, int size, double value) {
        OpenBlasStorage out = allocate(dtype, size);
        try (OpenBlasStorage.Pin o = out.pin()) {
            inParts(size, (p, from, to) -> fill(dtype, o, from, to, value));
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
        return out;
    }

    /** {@code [from, to)} of a pinned storage set to {@code value}; zeros by memset. */
    private static void fill(DType dtype, OpenBlasStorage.Pin o, int from, int to, double value) {
        int n = to - from;
        boolean zeroBits = dtype == DType.F32 ? Float.floatToRawIntBits((float) value) == 0
                : Double.doubleToRawLongBits(value) == 0;
        if (zeroBits && n >= MEMSET_MIN) {
            // +0.0 is all zero bytes in both dtypes. Through a byte view of its own (parts run side by side):
            // the static memset reads a view's position as bytes, whatever the view's element type.
            Pointer.memset(new BytePointer(dtype == DType.F32 ? o.floatPointer() : o.doublePointer()).position((long) from * dtype.bytes()),
                    0, (long) n * dtype.bytes());
        } else if (dtype == DType.F32) {
            BufferKernels.fill(from == 0 ? o.floats() : o.floats().slice(from, n), n, value);
        } else {
            BufferKernels.fill(from == 0 ? o.doubles() : o.doubles().slice(from, n), n, value);
        }
    }

    /**
     * Writes the window once and zeroes the rest, rather than zeroing all and adding into the window: a W1 LSTM
     * step's output gradient ([2, 50, 32, 256], the window half of it) took 0.43 ms to zero and 0.31 ms to add.
     */
    @Override
    public Storage placed(Storage x, int size, int offset) {
        Backend.checkWindow(NAME, x, size, offset);
        try (OpenBlasStorage.Pin px = pin(x)) {
            DType dtype = x.dtype();
            OpenBlasStorage out = allocate(dtype, size);
            int end = offset + x.size();
            try (OpenBlasStorage.Pin o = out.pin()) {
                inParts(size, (p, from, to) -> {
                    if (from < offset) fill(dtype, o, from, Math.min(to, offset), 0.0);
                    int a = Math.max(from, offset), b = Math.min(to, end);
                    if (a < b) put(dtype, o, a, px, a - offset, b - a);
                    if (to > end) fill(dtype, o, Math.max(from, end), to, 0.0);
                });
            } catch (RuntimeException | Error e) {
                out.release();
                throw e;
            }
            return out;
        }
    }

    /**
     * Memory kernels of at least this many elements (1 MB of F32, 2 MB of F64) are split over the crew: a W1 LSTM step's
     * output gradient (819,200 elements) and its loss's seed (409,600) are filled by both cores.
     */
    static final int SPLIT_MEMORY_ELEMENTS = 1 << 18;

    /** {@code range} over {@code [0, size)}: in one part, or in one per thread when {@link #SPLIT_MEMORY_ELEMENTS} or more. */
    private void inParts(int size, Crew.Range range) {
        if (size < SPLIT_MEMORY_ELEMENTS || threads < 2) range.run(0, 0, size);
        else Crew.shared(threads).runRanges(threads, size, range);
    }

    /** Below this many elements a zero fill stays in Java (a JNI call costs about as much as the loop). */
    private static final int MEMSET_MIN = 256;

    @Override
    public Storage fromArray(DType dtype, double[] data) {
        OpenBlasStorage out = allocate(dtype, data.length);
        try (OpenBlasStorage.Pin o = out.pin()) {
            if (dtype == DType.F32) BufferKernels.fromArray(data, o.floats());
            else BufferKernels.fromArray(data, o.doubles());
        }
        return out;
    }

    @Override
    public Storage fromArray(DType dtype, float[] data) {
        OpenBlasStorage out = allocate(dtype, data.length);
        try (OpenBlasStorage.Pin o = out.pin()) {
            if (dtype == DType.F32) BufferKernels.fromArray(data, o.floats());
            else BufferKernels.fromArray(data, o.doubles());
        }
        return out;
    }

    @Override
    public double[] toDoubleArray(Storage s) {
        try (OpenBlasStorage.Pin x = pin(s)) {
            return s.dtype() == DType.F32 ? BufferKernels.toDoubleArray(x.floats(), s.size())
                    : BufferKernels.toDoubleArray(x.doubles(), s.size());
        }
    }

    @Override
    public float[] toFloatArray(Storage s) {
        try (OpenBlasStorage.Pin x = pin(s)) {
            return s.dtype() == DType.F32 ? BufferKernels.toFloatArray(x.floats(), s.size())
                    : BufferKernels.toFloatArray(x.doubles(), s.size());
        }
    }

    @Override
    public Storage cast(Storage s, DType to) {
        try (OpenBlasStorage.Pin x = pin(s)) {
            int n = s.size();
            OpenBlasStorage out = allocate(to, n);
            try (OpenBlasStorage.Pin o = out.pin()) {
                boolean f32 = s.dtype() == DType.F32;
                if (s.dtype() == to) copy(to, x, o, n);
                else if (f32) BufferKernels.convert(x.floats(), o.doubles(), n);
                else BufferKernels.convert(x.doubles(), o.floats(), n);
            } catch (RuntimeException | Error e) {
                out.release();
                throw e;
            }
            return out;
        }
    }

    @Override
    public void copyInto(Storage dst, Storage src) {
        try (OpenBlasStorage.Pin d = pin(dst); OpenBlasStorage.Pin s = pin(src)) {
            copy(src.dtype(), s, d, src.size());
        }
    }

    /** {@code dst[0, n) = src[0, n)}, one dtype, in parts over the crew when big (see {@link #inParts}). */
    private void copy(DType dtype, OpenBlasStorage.Pin src, OpenBlasStorage.Pin dst, int n) {
        inParts(n, (p, from, to) -> put(dtype, dst, from, src, from, to - from));
    }

    /** {@code dst[at, at + n) = src[from, from + n)} by absolute bulk put (no buffer state: parts may run side by side). */
    private static void put(DType dtype, OpenBlasStorage.Pin dst, int at, OpenBlasStorage.Pin src, int from, int n) {
        if (dtype == DType.F32) dst.floats().put(at, src.floats(), from, n);
        else dst.doubles().put(at, src.doubles(), from, n);
    }

    @Override
    public void axpy(double alpha, Storage x, Storage y) {
        try (OpenBlasStorage.Pin px = pin(x); OpenBlasStorage.Pin py = pin(y)) {
            int n = y.size();
            if (n == 0) return;
            if (y.dtype() == DType.F32) cblas_saxpy(n, (float) alpha, px.floatPointer(), 1, py.floatPointer(), 1);
            else cblas_daxpy(n, alpha, px.doublePointer(), 1, py.doublePointer(), 1);
        }
    }

    @Override
    public void addInto(Storage y, int offset, Storage x) {
        try (OpenBlasStorage.Pin px = pin(x); OpenBlasStorage.Pin py = pin(y)) {
            int n = x.size();
            if (n == 0) return;
            if (y.dtype() == DType.F32) cblas_saxpy(n, 1f, px.floatPointer(), 1, py.floatPointer().getPointer(offset), 1);
            else cblas_daxpy(n, 1d, px.doublePointer(), 1, py.doublePointer().getPointer(offset), 1);
        }
    }

    // ---- matrix products --------------------------------------------------------------------------

    @Override
    public Storage matmul(Storage a, boolean transA, long aStride, Storage b, boolean transB, long bStride,
                          int batch, int m, int n, int k) {
        try (OpenBlasStorage.Pin pa = pin(a); OpenBlasStorage.Pin pb = pin(b)) {
            long outSize = (long) batch * m * n;
            if (outSize > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("openblas: matmul result of " + batch + "x" + m + "x" + n + " exceeds 2^31-1 elements");
            }
            DType dtype = a.dtype();
            if (k == 0 || outSize == 0) return full(dtype, (int) outSize, 0);
            OpenBlasStorage out = allocate(dtype, (int) outSize);
            // A small product (one recurrent step: 2·32·256·1024 = 17 Mflop) gains little from a second
            // thread and loses a lot when that thread has to wake up or wait for a busy core, so it runs
            // on the caller's thread alone; big ones (all time steps at once, weight gradients) are split.
            int split = 2.0 * m * n * k < smallGemmFlops || m == 1 || n == 1 ? 1 : threads;
            try (OpenBlasStorage.Pin pc = out.pin()) {
                long mn = (long) m * n;
                for (int i = 0; i < batch; i++) {
                    // Stride 0 broadcasts one matrix over the batch.
                    if (dtype == DType.F32) {
                        Gemm.f32(split, pa.floatPointer(), i * aStride, transA, pb.floatPointer(), i * bStride, transB,
                                pc.floatPointer(), i * mn, false, m, n, k);
                    } else {
                        Gemm.f64(split, pa.doublePointer(), i * aStride, transA, pb.doublePointer(), i * bStride, transB,
                                pc.doublePointer(), i * mn, false, m, n, k);
                    }
                }
            }
            return out;
        }
    }

    /**
     * C starts as the bias in every row, and the product is accumulated into it (BLAS beta = 1), split into
     * bands like {@link #matmul}'s. Each band fills its own window of C on its own thread just before its
     * product (a band of rows: its first row copied from the bias, then the filled rows doubled, log2(rows)
     * copies; a band of columns: one copy a row). W1's input projection on two threads, alternating in one
     * JVM (medians of 360 products, three runs, {@code BiasFillThroughput} in the tests): [1600, 768] 2.35-2.43 ms
     * with the fill on the calling thread before the bands, 2.02-2.09 with it in the bands; [1600, 1024]
     * 3.12-3.44 against 2.71-3.04.
     */
    @Override
    public Storage matmulBias(Storage a, boolean transA, Storage b, boolean transB, Storage bias, int m, int n, int k) {
        try (OpenBlasStorage.Pin pa = pin(a); OpenBlasStorage.Pin pb = pin(b); OpenBlasStorage.Pin pbias = pin(bias)) {
            long outSize = (long) m * n;
            if (outSize > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("openblas: matmulBias result of " + m + "x" + n + " exceeds 2^31-1 elements");
            }
            if (bias.size() != n) {
                throw new IllegalArgumentException("openblas: matmulBias bias has " + bias.size() + " elements; expected n = " + n);
            }
            DType dtype = a.dtype();
            OpenBlasStorage out = allocate(dtype, (int) outSize);
            if (outSize == 0) return out;
            try (OpenBlasStorage.Pin pc = out.pin()) {
                Gemm.Prefill fill = (row0, rows, col0, cols) -> fillBias(dtype, pbias, pc, n, row0, rows, col0, cols);
                if (k == 0) {
                    fill.window(0, m, 0, n);           // no product (BLAS rejects a leading dimension of 0): C is the bias
                } else {
                    int split = 2.0 * m * n * k < smallGemmFlops ? 1 : threads;
                    if (dtype == DType.F32) {
                        Gemm.f32(split, pa.floatPointer(), 0, transA, pb.floatPointer(), 0, transB, pc.floatPointer(), 0, true, m, n, k, fill);
                    } else {
                        Gemm.f64(split, pa.doublePointer(), 0, transA, pb.doublePointer(), 0, transB, pc.doublePointer(), 0, true, m, n, k, fill);
                    }
                }
            } catch (RuntimeException | Error e) {
                out.release();
                throw e;
            }
            return out;
        }
    }

    /**
     * {@code C[row0 + i, col0 + j] = bias[col0 + j]} for i &lt; rows, j &lt; cols (C's rows {@code n} long), with
     * views of its own (a band's thread calls it while others fill other windows).
     */
    private static void fillBias(DType dtype, OpenBlasStorage.Pin bias, OpenBlasStorage.Pin c, int n,
                                 long row0, int rows, int col0, int cols) {
        if (rows == 0 || cols == 0) return;
        long first = row0 * n + col0;
        Pointer from = view(dtype, c).position(first), to = view(dtype, c);
        copy(cols, view(dtype, bias).position(col0), from);
        if (cols == n) {                               // whole rows: one run of rows·n elements, doubled
            for (long done = 1; done < rows; done *= 2) copy((int) (Math.min(done, rows - done) * n), from, to.position(first + done * n));
        } else {
            for (int i = 1; i < rows; i++) copy(cols, from, to.position(first + (long) i * n));
        }
    }

    /** A fresh view of the pinned storage's pointer (the storage's own is shared and never moved). */
    private static Pointer view(DType dtype, OpenBlasStorage.Pin p) {
        return fresh(dtype == DType.F32 ? p.floatPointer() : p.doublePointer());
    }

    /** A view of its own of {@code p}'s memory, at {@code p}'s position (moving it leaves {@code p} alone). */
    static Pointer fresh(Pointer p) {
        return p instanceof FloatPointer f ? new FloatPointer(f) : new DoublePointer((DoublePointer) p);
    }

    /** {@code dst[0, count) = src[0, count)} from each view's position, by {@code ?copy}. */
    static void copy(int count, Pointer src, Pointer dst) { copy(count, src, 1, dst, 1); }

    /** {@code dst[i·dstStride] = src[i·srcStride]} for i in [0, count), from each view's position, by {@code ?copy}. */
    static void copy(int count, Pointer src, int srcStride, Pointer dst, int dstStride) {
        if (src instanceof FloatPointer f) cblas_scopy(count, f, srcStride, (FloatPointer) dst, dstStride);
        else cblas_dcopy(count, (DoublePointer) src, srcStride, (DoublePointer) dst, dstStride);
    }

    // ---- elementwise, reductions, layout: backend-cpu's loops over the direct buffers -------------

    @Override
    public Storage unary(UnaryOp op, Storage x) {
        try (OpenBlasStorage.Pin px = pin(x)) {
            int n = x.size();
            OpenBlasStorage out = allocate(x.dtype(), n);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (x.dtype() == DType.F32) BufferKernels.unary(op, px.floats(), o.floats(), n);
                else BufferKernels.unary(op, px.doubles(), o.doubles(), n);
            }
            return out;
        }
    }

    @Override
    public Storage scalar(ScalarOp op, Storage x, double s) {
        try (OpenBlasStorage.Pin px = pin(x)) {
            int n = x.size();
            OpenBlasStorage out = allocate(x.dtype(), n);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (x.dtype() == DType.F32) BufferKernels.scalar(op, px.floats(), s, o.floats(), n);
                else BufferKernels.scalar(op, px.doubles(), s, o.doubles(), n);
            }
            return out;
        }
    }

    @Override
    public Storage binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Shape outShape) {
        try (OpenBlasStorage.Pin pa = pin(a); OpenBlasStorage.Pin pb = pin(b)) {
            OpenBlasStorage out = allocate(a.dtype(), outShape.size());
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (a.dtype() == DType.F32) BufferKernels.binary(op, pa.floats(), aShape, pb.floats(), bShape, o.floats(), outShape);
                else BufferKernels.binary(op, pa.doubles(), aShape, pb.doubles(), bShape, o.doubles(), outShape);
            }
            return out;
        }
    }

    @Override
    public Storage where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape, Shape outShape) {
        try (OpenBlasStorage.Pin pc = pin(cond); OpenBlasStorage.Pin pa = pin(a); OpenBlasStorage.Pin pb = pin(b)) {
            OpenBlasStorage out = allocate(a.dtype(), outShape.size());
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (a.dtype() == DType.F32) {
                    BufferKernels.where(pc.floats(), condShape, pa.floats(), aShape, pb.floats(), bShape, o.floats(), outShape);
                } else {
                    BufferKernels.where(pc.doubles(), condShape, pa.doubles(), aShape, pb.doubles(), bShape, o.doubles(), outShape);
                }
            }
            return out;
        }
    }

    @Override
    public Storage reduce(ReduceOp op, Storage x, int outer, int n, int inner) {
        try (OpenBlasStorage.Pin px = pin(x)) {
            OpenBlasStorage out = allocate(x.dtype(), outer * inner);
            try (OpenBlasStorage.Pin o = out.pin()) {
                boolean f32 = x.dtype() == DType.F32;
                boolean big = (long) outer * n * inner >= SPLIT_SUM_ELEMENTS;
                int parts = op == ReduceOp.SUM && outer == 1 && big ? Math.min(threads, inner / SPLIT_SUM_COLUMNS) : 1;
                int outerParts = outer > 1 && big ? Math.min(threads, outer) : 1;
                int chunk = BufferKernels.sumChunk(x.dtype());
                if (op == ReduceOp.SUM && outer == 1 && inner == 1 && n > chunk && big && threads > 1) {
                    // A loss (the sum of a whole W1 output, 409,600 elements: 0.5 ms on one thread): the chunks'
                    // sums side by side, added in order on the caller, to the bit the one-thread result.
                    double[] sums = new double[(n + chunk - 1) / chunk];
                    Crew.shared(threads).runRanges(threads, sums.length, (p, from, to) -> {
                        if (f32) BufferKernels.chunkSums(px.floats(), n, from, to, sums);
                        else BufferKernels.chunkSums(px.doubles(), n, from, to, sums);
                    });
                    double total = BufferKernels.addInOrder(sums);
                    if (f32) o.floats().put(0, (float) total);
                    else o.doubles().put(0, total);
                } else if (parts > 1) {
                    // A bias gradient (the column sums of [T·B, G·H]): columns split over the crew, each the
                    // same additions in the same order, so the result is the one-thread result to the bit.
                    Crew.shared(threads).runRanges(parts, inner, (p, from, to) -> {
                        if (f32) BufferKernels.columnSums(px.floats(), n, inner, from, to, o.floats());
                        else BufferKernels.columnSums(px.doubles(), n, inner, from, to, o.doubles());
                    });
                } else if (outerParts > 1) {
                    // Whole slabs x[o] per part (the loss's first sum: a W1 step's [1600, 256] row sums took 0.75 ms
                    // on the caller alone): each output from the same additions in the same order, to the bit.
                    Crew.shared(threads).runRanges(outerParts, outer, (p, from, to) -> {
                        int xs = from * n * inner, xl = (to - from) * n * inner, os = from * inner, ol = (to - from) * inner;
                        if (f32) BufferKernels.reduce(op, px.floats().slice(xs, xl), to - from, n, inner, o.floats().slice(os, ol));
                        else BufferKernels.reduce(op, px.doubles().slice(xs, xl), to - from, n, inner, o.doubles().slice(os, ol));
                    });
                } else if (f32) {
                    BufferKernels.reduce(op, px.floats(), outer, n, inner, o.floats());
                } else {
                    BufferKernels.reduce(op, px.doubles(), outer, n, inner, o.doubles());
                }
            }
            return out;
        }
    }

    /**
     * Reductions of at least this many elements are split over the crew: column sums (outer 1) with at least
     * {@link #SPLIT_SUM_COLUMNS} columns a part, anything else by whole slabs of the outer axis.
     */
    private static final long SPLIT_SUM_ELEMENTS = 1 << 18;
    private static final int SPLIT_SUM_COLUMNS = 256;

    @Override
    public Storage permute(Storage x, Shape shape, int[] perm) {
        try (OpenBlasStorage.Pin px = pin(x)) {
            OpenBlasStorage out = allocate(x.dtype(), shape.size());
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (x.dtype() == DType.F32) BufferKernels.permute(px.floats(), shape, perm, o.floats());
                else BufferKernels.permute(px.doubles(), shape, perm, o.doubles());
            }
            return out;
        }
    }

    @Override
    public Storage slice(Storage x, int outer, int n, int inner, int start, int len) {
        try (OpenBlasStorage.Pin px = pin(x)) {
            OpenBlasStorage out = allocate(x.dtype(), outer * len * inner);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (outer == 1) {
                    // one contiguous run (a slice of the leading axis): split like the other memory kernels
                    int first = start * inner;
                    inParts(len * inner, (p, from, to) -> put(x.dtype(), o, from, px, first + from, to - from));
                } else if (x.dtype() == DType.F32) {
                    BufferKernels.slice(px.floats(), outer, n, inner, start, len, o.floats());
                } else {
                    BufferKernels.slice(px.doubles(), outer, n, inner, start, len, o.doubles());
                }
            } catch (RuntimeException | Error e) {
                out.release();
                throw e;
            }
            return out;
        }
    }

    @Override
    public Storage concat(List<Storage> parts, int outer, int[] sizes, int inner) {
        OpenBlasStorage.Pin[] pins = new OpenBlasStorage.Pin[parts.size()];
        try {
            int total = 0;
            for (int p = 0; p < pins.length; p++) {
                pins[p] = pin(parts.get(p));
                total += sizes[p];
            }
            DType dtype = parts.get(0).dtype();
            OpenBlasStorage out = allocate(dtype, outer * total * inner);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (dtype == DType.F32) {
                    FloatBuffer[] in = new FloatBuffer[pins.length];
                    for (int p = 0; p < in.length; p++) in[p] = pins[p].floats();
                    BufferKernels.concat(in, outer, sizes, inner, o.floats());
                } else {
                    DoubleBuffer[] in = new DoubleBuffer[pins.length];
                    for (int p = 0; p < in.length; p++) in[p] = pins[p].doubles();
                    BufferKernels.concat(in, outer, sizes, inner, o.doubles());
                }
            }
            return out;
        } finally {
            for (OpenBlasStorage.Pin p : pins) if (p != null) p.close();
        }
    }

    // ---- rows -------------------------------------------------------------------------------------

    @Override
    public Storage gatherRows(Storage table, int rows, int cols, int[] ids) {
        try (OpenBlasStorage.Pin pt = pin(table)) {
            OpenBlasStorage out = allocate(table.dtype(), ids.length * cols);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (table.dtype() == DType.F32) BufferKernels.gatherRows(pt.floats(), cols, ids, o.floats());
                else BufferKernels.gatherRows(pt.doubles(), cols, ids, o.doubles());
            }
            return out;
        }
    }

    @Override
    public Storage scatterAddRows(Storage src, int cols, int[] ids, int rows) {
        try (OpenBlasStorage.Pin ps = pin(src)) {
            OpenBlasStorage out = allocate(src.dtype(), rows * cols);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (src.dtype() == DType.F32) BufferKernels.scatterAddRows(ps.floats(), cols, ids, rows, o.floats());
                else BufferKernels.scatterAddRows(ps.doubles(), cols, ids, rows, o.doubles());
            }
            return out;
        }
    }

    // ---- fused recurrent steps: backend-cpu's single-pass loops over the direct buffers -------------

    @Override
    public Storage lstmCell(Storage gates, Storage c, int batch, int hidden) {
        try (OpenBlasStorage.Pin g = pin(gates); OpenBlasStorage.Pin cc = pin(c)) {
            OpenBlasStorage out = allocate(gates.dtype(), 2 * batch * hidden);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (gates.dtype() == DType.F32) FusedKernels.lstmCell(g.floats(), cc.floats(), o.floats(), batch, hidden);
                else FusedKernels.lstmCell(g.doubles(), cc.doubles(), o.doubles(), batch, hidden);
            }
            return out;
        }
    }

    @Override
    public Storage lstmCellBackward(Storage gates, Storage c, Storage grad, int batch, int hidden) {
        try (OpenBlasStorage.Pin g = pin(gates); OpenBlasStorage.Pin cc = pin(c); OpenBlasStorage.Pin d = pin(grad)) {
            OpenBlasStorage out = allocate(gates.dtype(), 5 * batch * hidden);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (gates.dtype() == DType.F32) FusedKernels.lstmCellBackward(g.floats(), cc.floats(), d.floats(), o.floats(), batch, hidden);
                else FusedKernels.lstmCellBackward(g.doubles(), cc.doubles(), d.doubles(), o.doubles(), batch, hidden);
            }
            return out;
        }
    }

    @Override
    public Storage gruCell(Storage a, Storage b, Storage h, int batch, int hidden) {
        try (OpenBlasStorage.Pin pa = pin(a); OpenBlasStorage.Pin pb = pin(b); OpenBlasStorage.Pin ph = pin(h)) {
            OpenBlasStorage out = allocate(a.dtype(), batch * hidden);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (a.dtype() == DType.F32) FusedKernels.gruCell(pa.floats(), pb.floats(), ph.floats(), o.floats(), batch, hidden);
                else FusedKernels.gruCell(pa.doubles(), pb.doubles(), ph.doubles(), o.doubles(), batch, hidden);
            }
            return out;
        }
    }

    @Override
    public Storage gruCellBackward(Storage a, Storage b, Storage h, Storage grad, int batch, int hidden) {
        try (OpenBlasStorage.Pin pa = pin(a); OpenBlasStorage.Pin pb = pin(b); OpenBlasStorage.Pin ph = pin(h); OpenBlasStorage.Pin d = pin(grad)) {
            OpenBlasStorage out = allocate(a.dtype(), 7 * batch * hidden);
            try (OpenBlasStorage.Pin o = out.pin()) {
                if (a.dtype() == DType.F32) FusedKernels.gruCellBackward(pa.floats(), pb.floats(), ph.floats(), d.floats(), o.floats(), batch, hidden);
                else FusedKernels.gruCellBackward(pa.doubles(), pb.doubles(), ph.doubles(), d.doubles(), o.doubles(), batch, hidden);
            }
            return out;
        }
    }

    // ---- whole sequences: backend-cpu's RecurrenceKernels, products through cblas (BlasRecurrence) ----

    @Override
    public Storage[] recurrence(CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                int steps, int batch, int hidden) {
        return new BlasRecurrence(this, threads, smallGemmFlops, smallKernels).forward(kind, reverse, xp, whh, bhh, init, steps, batch, hidden);
    }

    @Override
    public Storage[] recurrenceBackward(CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                        Storage out, Storage saved, Storage grad, int steps, int batch, int hidden) {
        return new BlasRecurrence(this, threads, smallGemmFlops, smallKernels)
                .backward(kind, reverse, xp, whh, bhh, init, out, saved, grad, steps, batch, hidden);
    }
}
