package dev.recurrent.backend.blas;

import dev.recurrent.backend.cpu.BufferGemm;
import dev.recurrent.backend.cpu.Crew;
import dev.recurrent.backend.cpu.RecurrenceKernels;
import dev.recurrent.core.DType;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.RecurrenceDefaults;
import dev.recurrent.core.backend.Storage;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_daxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dcopy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_saxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_scopy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

/**
 * The {@code openblas} backend's whole-sequence kernels: backend-cpu's {@link RecurrenceKernels} over the
 * storages' direct buffers, with their products through cblas ({@code ?gemm}; {@code ?gemv} for a batch of
 * one; {@code ?copy}/{@code ?axpy} to put a flipped product in place, see below). One
 * instance serves one call: it pins every storage the call touches for its duration and maps each buffer
 * back to its storage's pointer by identity. Each pointer gets reusable views (one per operand role, A, B
 * and C, as one buffer can be two operands of a product at different offsets) whose position is set per
 * product, so a step allocates nothing (JavaCPP's {@code getPointer(offset)} would create a view by
 * reflection on every call).
 *
 * <p>Threads. The kernels split the batch over the backend's {@link Crew}; each slice runs its steps'
 * products on a {@link Lane} of its own, single-threaded (OpenBLAS always runs on the caller, see
 * {@link NativeBlas}). The weight gradient's product after the steps comes here, split into bands over the
 * crew when it is big ({@link Gemm}).
 *
 * <p>Orientation. A step product {@code h·W_hhᵀ} ({@code [b, H]·[H, G·H]}, b a slice's rows) is a short,
 * wide C; OpenBLAS packs the whole of W_hh into its B panels on every call and runs such shapes far below
 * its peak. The transposed product {@code W_hh·hᵀ} has W_hh as A, used as stored: measured on this
 * backend's machine (one thread, H 256, G·H 1024), 147 µs against 253 µs for b = 16 and 258 µs against
 * 372 µs for b = 32; likewise in the backward with {@code W_hhᵀ} as A (170 µs against 265 µs). So a lane
 * computes a product whose B is used transposed as {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} into a scratch matrix and
 * copies it into C with strided {@code ?copy} ({@code ?axpy} when accumulating), one call per row of C;
 * the backward passes {@code W_hhᵀ} so that its products take this path too (each lane transposes W_hh into
 * its own copy, see below).
 *
 * <p>Small-matrix sgemm, from panels. Where OpenBLAS has {@code sgemm}'s small-matrix kernels ({@link
 * NativeBlas#smallKernels()}: its AVX-512 kernel sets, which take a product of at most 10⁶ multiply-adds and
 * compute C straight from A and B, packing neither), an F32 step product of a lane of at most
 * {@link #SMALL_ROWS} rows with a W_hh of at most {@link #SMALL_WEIGHTS} elements goes through them instead,
 * untransposed, in blocks of 64 columns of C, each one call (or, where a block would pass 10⁶, one per part of
 * k, accumulated: the LSTM backward's k of 1024 on 16 rows takes two). Its B, op(B) [k, n] (the forward's
 * W_hhᵀ, the backward's W_hh), is read from the lane's own copy laid out in panels of 64 columns ({@link
 * #panels}): each block's B is one contiguous run, rather than 64 columns out of every row of a matrix whose
 * rows are a power of two long. C is written in place, so there is no scratch and no copy. The results differ
 * from the flipped products' in rounding only (the kernels add in another order).
 * <br>Measured on this backend's machine, one thread, medians of 15 interleaved rounds, two products of 8
 * rows (a thread's two groups of W1 on two threads): the forward's k 256, n 1024 121.7 µs from panels against
 * 152.1 µs for the earlier small-matrix products (W_hh read transposed as stored, in blocks of 128 columns),
 * n 768 88.2 against 96.8; the backward's k 1024, n 256 112.9 against 130.2 (W_hh read as stored, blocks of 64),
 * k 768 67.8 against 77.6. Panels of 128 or 256 columns ran slower than of 64. Against the flipped products,
 * 16 rows of W2 (k 512, n 2048) 643 against 937 µs, the backward's (k 2048, n 512) 755 against 1130; 32 rows of
 * W1 277 against 386 and 261 against 377; 64 rows 284 against 421: hence up to 64 rows and W2's W_hh.
 * <br>In training steps, alternating in one JVM ({@code rnn bench}'s shapes; time with panels over time
 * without): W1 LSTM on two threads forward 0.89, backward 0.92, whole step 0.93-0.95; GRU 0.88, 0.97 and
 * 0.95-0.96; W1 on one thread (32 rows, which took the flipped products before) LSTM 0.90, GRU 0.93. W2 LSTM on
 * two threads, alternating runs: 303-359 ms a step against 367-398.
 * <br>A lane makes its copy on first use, on its own thread: the backward's from W_hh as stored, by bulk copies
 * of 64 elements (0.16 ms for W1 LSTM's 1024 x 256); the forward's is a transpose, by strided {@code ?copy}
 * (0.74 ms standalone, 0.6-1.1 ms in the steps; a Java transpose took about as long). Two lanes reading one
 * shared copy ran the products 40-60% slower than each reading its own (W1's shapes, two threads side by
 * side), so each lane has one; the lanes making one transpose together and each copying it into its own
 * block gained nothing (1.003 of the LSTM forward's time, alternating in one JVM), so each makes its own.
 *
 * <p>Each lane's own weights. When the batch is split over two or more lanes, each lane copies the weights
 * of its flipped products (their B, the same for every step of the call) into a block of its own on first use, on
 * its own thread, and reads that copy from then on (the small-matrix products read panels, which every lane
 * makes, one lane or several). Two cores reading one W_hh at the same time run the
 * product slower than two cores reading their own copies: measured on this backend's machine (W1 GRU's
 * step product, 16 rows, W of 768 x 256, two threads side by side, 2,000 products each; {@code SharedWeights}
 * in the tests), 127-155 µs a product with one shared W against 102-130 µs with a copy each, and 98-126 µs
 * for one thread alone (another run: 142-171, 112-134, 119-133). In
 * the kernels (W1, batch 32 on two lanes, alternating in one JVM, medians of 100 calls): GRU forward 11.2-11.4
 * against 10.0-10.2 ms, backward 17.7 against 17.0-17.1; LSTM forward 15.0-15.6 against 13.8-14.4, backward
 * 20.9-22.2 against 20.4-20.9. The copies cost one weight matrix per lane while the call runs. In the
 * backward each lane transposes W_hh straight into its copy, instead of copying a transpose the calling
 * thread made while the other cores waited: GRU backward 16.4 and 21.5 ms against 16.1 and 21.1 (the same
 * alternation, two runs), LSTM 23.5 and 23.6 against 22.5 and 22.9.
 */
final class BlasRecurrence implements BufferGemm {
    private final OpenBlasBackend backend;
    private final int threads;
    private final long bandFlops;
    private final boolean smallKernels;
    private final List<OpenBlasStorage.Pin> pins = new ArrayList<>();
    private final List<Buffer> buffers = new ArrayList<>();
    private final List<Pointer> bases = new ArrayList<>();            // the storage pointer behind buffers.get(i)
    private final List<Pointer[]> views = new ArrayList<>();          // views.get(i)[role] for buffers.get(i)
    private final List<Lane> lanes = new ArrayList<>();
    /**
     * Set by the backward when its batch has more than one row: this buffer holds W_hh [rows, cols], but the
     * kernels are handed it as W_hhᵀ [cols, rows]. Each lane makes that transpose as its own copy for the
     * flipped products (no copy on the calling thread while the other cores wait, and no second copy by
     * each lane), or makes panels of W_hh as stored for the small-matrix ones, W_hh being the op(B) they need.
     */
    private Buffer laneTransposed;
    private int laneTransposedRows, laneTransposedCols;

    /**
     * A call of {@code backend}: sequences split over {@code threads}, products of {@code bandFlops} or more in
     * bands, the F32 step products through OpenBLAS's small-matrix {@code sgemm} when {@code smallKernels} and
     * the shape suits it (see the class comment).
     */
    BlasRecurrence(OpenBlasBackend backend, int threads, long bandFlops, boolean smallKernels) {
        this.backend = backend;
        this.threads = threads;
        this.bandFlops = bandFlops;
        this.smallKernels = smallKernels;
    }

    Storage[] forward(CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                      int steps, int batch, int hidden) {
        RecurrenceKernels.checkForward(OpenBlasBackend.NAME, kind, xp, whh, bhh, init, steps, batch, hidden);
        DType dtype = xp.dtype();
        int saveSize = RecurrenceKernels.savedSize(kind, steps, batch, hidden);
        List<Storage> made = new ArrayList<>();
        try {
            Storage out = made(made, dtype, kind.states() * steps * batch * hidden);
            Storage saved = saveSize == 0 ? null : made(made, dtype, saveSize);
            Buffer[] h0 = new Buffer[init.length];
            for (int s = 0; s < h0.length; s++) h0[s] = register(init[s]);
            Buffer x = register(xp), w = register(whh), b = kind.hiddenBias() ? register(bhh) : null;
            Buffer o = register(out), sv = saved == null ? null : register(saved);
            Crew crew = Crew.shared(threads);
            if (dtype == DType.F32) {
                RecurrenceKernels.forward(kind, reverse, (FloatBuffer) x, (FloatBuffer) w, false, (FloatBuffer) b,
                        floats(h0), (FloatBuffer) o, (FloatBuffer) sv, steps, batch, hidden, this, crew);
            } else {
                RecurrenceKernels.forward(kind, reverse, (DoubleBuffer) x, (DoubleBuffer) w, false, (DoubleBuffer) b,
                        doubles(h0), (DoubleBuffer) o, (DoubleBuffer) sv, steps, batch, hidden, this, crew);
            }
            return new Storage[] {out, saved};
        } catch (RuntimeException | Error e) {
            for (Storage s : made) s.release();
            throw e;
        } finally {
            close();
        }
    }

    Storage[] backward(CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                       Storage out, Storage saved, Storage grad, int steps, int batch, int hidden) {
        RecurrenceKernels.checkBackward(OpenBlasBackend.NAME, kind, xp, whh, bhh, init, out, saved, grad, steps, batch, hidden);
        if (saved == null && RecurrenceKernels.savedSize(kind, steps, batch, hidden) > 0) {
            // Not from this backend's recurrence: recompute step by step.
            return RecurrenceDefaults.backward(backend, kind, reverse, xp, whh, bhh, init, out, grad, steps, batch, hidden);
        }
        DType dtype = xp.dtype();
        int gh = kind.gates() * hidden, workSize = RecurrenceKernels.workSize(kind, steps, batch, hidden);
        List<Storage> made = new ArrayList<>(), temporary = new ArrayList<>();
        try {
            Storage[] result = new Storage[3 + init.length];
            result[0] = made(made, dtype, steps * batch * gh);
            result[1] = made(made, dtype, gh * hidden);
            result[2] = kind.hiddenBias() ? made(made, dtype, gh) : null;
            Buffer[] h0 = new Buffer[init.length], d0 = new Buffer[init.length];
            for (int s = 0; s < h0.length; s++) {
                result[3 + s] = made(made, dtype, batch * hidden);
                h0[s] = register(init[s]);
                d0[s] = register(result[3 + s]);
            }
            Storage work = workSize == 0 ? null : made(temporary, dtype, workSize);
            // W_hhᵀ [H, G·H]: the steps' products dh = dgates·W_hh then run with it as A (see the class comment);
            // a batch of one has matrix-vector products, which take W_hh as stored. Each lane transposes W_hh
            // into its own copy (laneTransposed), or makes panels of W_hh as stored for the small-matrix sgemm.
            boolean flip = batch > 1;
            Crew crew = Crew.shared(threads);
            Buffer w = register(whh), o = register(out), sv = saved == null ? null : register(saved), g = register(grad);
            Buffer dx = register(result[0]), dw = register(result[1]), db = result[2] == null ? null : register(result[2]);
            Buffer wk = work == null ? null : register(work);
            if (flip) {
                laneTransposed = w;                    // the kernels are told W_hhᵀ; the lanes make it from W_hh
                laneTransposedRows = gh;
                laneTransposedCols = hidden;
            }
            if (dtype == DType.F32) {
                RecurrenceKernels.backward(kind, reverse, (FloatBuffer) w, flip, floats(h0), (FloatBuffer) o, (FloatBuffer) sv,
                        (FloatBuffer) g, (FloatBuffer) dx, (FloatBuffer) dw, (FloatBuffer) db, floats(d0), (FloatBuffer) wk,
                        steps, batch, hidden, this, crew);
            } else {
                RecurrenceKernels.backward(kind, reverse, (DoubleBuffer) w, flip, doubles(h0), (DoubleBuffer) o, (DoubleBuffer) sv,
                        (DoubleBuffer) g, (DoubleBuffer) dx, (DoubleBuffer) dw, (DoubleBuffer) db, doubles(d0), (DoubleBuffer) wk,
                        steps, batch, hidden, this, crew);
            }
            return result;
        } catch (RuntimeException | Error e) {
            for (Storage s : made) s.release();
            throw e;
        } finally {
            close();
            for (Storage s : temporary) s.release();   // after the pins are closed: given back at once
        }
    }

    /** Rows (a lane's slice of the batch) up to which an F32 step product may take the small-matrix sgemm (see the class comment). */
    static final int SMALL_ROWS = 64;
    /** Elements of W_hh up to which it may: W2's 512 x 2048 gains (the largest measured). */
    static final long SMALL_WEIGHTS = 1 << 20;
    /** Columns of C per small-matrix call, and of a panel of the lanes' copies of op(B) ({@link #panels}). */
    static final int SMALL_COLS = 64;
    /** The most multiply-adds (M·N·K) of a product that OpenBLAS 0.3.28 gives its small-matrix kernels. */
    static final long SMALL_PRODUCT = 1_000_000;

    /**
     * Whether a flipped-shape F32 step product ({@code [m, k]·op(B)}, op(B) [k, n], m > 1) takes the
     * small-matrix sgemm, given whether OpenBLAS has it.
     */
    static boolean small(boolean smallKernels, int m, int n, int k) {
        return smallKernels && m <= SMALL_ROWS && (long) n * k <= SMALL_WEIGHTS;
    }

    /** Parts of k for a small-matrix product of m rows in blocks of {@code cols}: the fewest with {@code m·cols·⌈k/parts⌉ <= SMALL_PRODUCT}. */
    static int smallParts(int m, int k, int cols) {
        int parts = 1;
        while ((long) m * cols * ((k + parts - 1) / parts) > SMALL_PRODUCT) parts++;
        return parts;
    }

    /**
     * {@code op(B) [k, n]} into {@code dst} in panels of {@link #SMALL_COLS} columns: panel p, columns
     * {@code [64p, 64p + w)} with {@code w = min(64, n - 64p)}, is a row-major [k, w] block at element
     * {@code 64p·k}, so that a small-matrix product of a block of C reads its B as one contiguous run. B is
     * {@code src} from element {@code srcOff}: op(B) itself, [k, n], unless {@code transposed}, when it is B [n, k]
     * (op(B) = Bᵀ; each of its rows becomes a column of a panel, by a strided {@code ?copy} through
     * {@code srcP} and {@code dstP}: views of src's and dst's memory at their element 0, as the buffers'
     * indices are, moved during the copy and put back).
     */
    static void panels(FloatBuffer src, int srcOff, Pointer srcP, boolean transposed, FloatBuffer dst, Pointer dstP, int k, int n) {
        long s0 = srcP.position(), d0 = dstP.position();
        for (int j = 0; j < n; j += SMALL_COLS) {
            int w = Math.min(SMALL_COLS, n - j), base = j * k;
            if (!transposed) {
                for (int r = 0; r < k; r++) dst.put(base + r * w, src, srcOff + r * n + j, w);
            } else {
                for (int c = 0; c < w; c++) {
                    OpenBlasBackend.copy(k, srcP.position(s0 + srcOff + (long) (j + c) * k), 1, dstP.position(d0 + base + c), w);
                }
            }
        }
        srcP.position(s0);
        dstP.position(d0);
    }

    /** Up to this size a matrix is transposed a whole column at a time (it stays in a core's L2 cache: 2 MB here). */
    static final long TRANSPOSE_WHOLE_BYTES = 1 << 20;
    /** The rows of a bigger matrix are taken in blocks of about this many bytes (see {@link #transpose}). */
    static final long TRANSPOSE_BLOCK_BYTES = 1 << 19;

    /**
     * {@code dst [cols, rows] = src [rows, cols]ᵀ} from each pointer's position: row j of dst is column j of
     * src, one strided {@code ?copy} per column (through views of their own: the pointers are not moved).
     * A matrix over {@link #TRANSPOSE_WHOLE_BYTES} goes by blocks of rows of about {@link #TRANSPOSE_BLOCK_BYTES}
     * (a strided copy of each column of the block), so that the block's cache lines, loaded by its first
     * columns, are still cached for the next ones: W2's W_hh of 2048 x 512 (F32, 4 MB) took 9.0-10.5 ms a
     * whole column at a time and 1.4-1.7 ms by blocks of 256 rows, W1's (1 MB or less) is faster whole.
     */
    static void transpose(Pointer src, Pointer dst, int rows, int cols) {
        long rowBytes = (long) cols * src.sizeof();
        int block = rowBytes * rows <= TRANSPOSE_WHOLE_BYTES ? rows
                : (int) Math.max(1, Math.min(rows, TRANSPOSE_BLOCK_BYTES / Math.max(1, rowBytes)));
        Pointer s = OpenBlasBackend.fresh(src), d = OpenBlasBackend.fresh(dst);
        long s0 = s.position(), d0 = d.position();
        for (int i0 = 0; i0 < rows; i0 += block) {
            int n = Math.min(block, rows - i0);
            for (int j = 0; j < cols; j++) {
                OpenBlasBackend.copy(n, s.position(s0 + (long) i0 * cols + j), cols, d.position(d0 + (long) j * rows + i0), 1);
            }
        }
    }

    private Storage made(List<Storage> made, DType dtype, int size) {
        Storage s = backend.allocate(dtype, size);
        made.add(s);
        return s;
    }

    private static FloatBuffer[] floats(Buffer[] b) {
        FloatBuffer[] f = new FloatBuffer[b.length];
        for (int i = 0; i < b.length; i++) f[i] = (FloatBuffer) b[i];
        return f;
    }

    private static DoubleBuffer[] doubles(Buffer[] b) {
        DoubleBuffer[] d = new DoubleBuffer[b.length];
        for (int i = 0; i < b.length; i++) d[i] = (DoubleBuffer) b[i];
        return d;
    }

    /** Pins {@code s} until {@link #close} and returns its direct buffer, remembered with three views of its pointer. */
    private Buffer register(Storage s) {
        if (!(s instanceof OpenBlasStorage o)) {
            throw new IllegalArgumentException("openblas: storage " + s + " belongs to backend '"
                    + (s == null ? "none" : s.backend().name()) + "'; move it with tensor.to(backend) first");
        }
        OpenBlasStorage.Pin pin = o.pin();
        pins.add(pin);
        Buffer b = s.dtype() == DType.F32 ? pin.floats() : pin.doubles();
        if (index(b) < 0) {
            buffers.add(b);
            bases.add(s.dtype() == DType.F32 ? pin.floatPointer() : pin.doublePointer());
            views.add(views(bases.get(bases.size() - 1)));
        }
        return b;
    }

    /** Three views (roles A, B, C) of {@code base}, each positioned per product. */
    private static Pointer[] views(Pointer base) {
        Pointer[] v = new Pointer[3];
        for (int r = 0; r < 3; r++) v[r] = OpenBlasBackend.fresh(base);
        return v;
    }

    /** By identity (Buffer.equals compares contents). */
    private int index(Buffer b) {
        for (int i = 0, n = buffers.size(); i < n; i++) if (buffers.get(i) == b) return i;
        return -1;
    }

    /** Views of every registered buffer, for a lane (made on the caller, before the slices run). */
    private Pointer[][] laneViews() {
        Pointer[][] v = new Pointer[buffers.size()][];
        for (int i = 0; i < v.length; i++) v[i] = views(bases.get(i));
        return v;
    }

    /**
     * True when there is nothing for BLAS to do (which rejects a leading dimension of 0): C is empty, or k is
     * 0 and C becomes zeros (or stays, when accumulating).
     */
    private static boolean empty(FloatBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
        if (m != 0 && n != 0 && k != 0) return false;
        if (m != 0 && n != 0 && !accumulate) for (int i = cOff, end = cOff + m * n; i < end; i++) c.put(i, 0f);
        return true;
    }

    private static boolean empty(DoubleBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
        if (m != 0 && n != 0 && k != 0) return false;
        if (m != 0 && n != 0 && !accumulate) for (int i = cOff, end = cOff + m * n; i < end; i++) c.put(i, 0.0);
        return true;
    }

    /** The weight gradient's product: one call, or bands over the crew when it is big. */
    @Override
    public void gemm(FloatBuffer a, int aOff, boolean transA, FloatBuffer b, int bOff, boolean transB,
                     FloatBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
        if (empty(c, cOff, accumulate, m, n, k)) return;
        int parts = 2.0 * m * n * k < bandFlops ? 1 : threads;
        Gemm.f32(parts, (FloatPointer) view(a, 0), aOff, transA, (FloatPointer) view(b, 1), bOff, transB,
                (FloatPointer) view(c, 2), cOff, accumulate, m, n, k);
    }

    @Override
    public void gemm(DoubleBuffer a, int aOff, boolean transA, DoubleBuffer b, int bOff, boolean transB,
                     DoubleBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
        if (empty(c, cOff, accumulate, m, n, k)) return;
        int parts = 2.0 * m * n * k < bandFlops ? 1 : threads;
        Gemm.f64(parts, (DoublePointer) view(a, 0), aOff, transA, (DoublePointer) view(b, 1), bOff, transB,
                (DoublePointer) view(c, 2), cOff, accumulate, m, n, k);
    }

    /** The view for {@code role} (0: A, 1: B, 2: C) of the storage behind {@code b}, at element 0. */
    private Pointer view(Buffer b, int role) { return views.get(registered(b))[role].position(0); }

    /** The index of a registered buffer; a product on any other is a bug in the kernels. */
    private int registered(Buffer b) {
        int i = index(b);
        if (i < 0) throw new IllegalStateException("openblas recurrence: a product on a buffer that was not registered");
        return i;
    }

    @Override
    public BufferGemm lane() {
        Lane lane = new Lane(laneViews());
        lanes.add(lane);
        return lane;
    }

    /**
     * One batch slice's step products, single-threaded, with views and a scratch matrix of its own (see the
     * class comment for the orientation).
     */
    private final class Lane implements BufferGemm {
        private final Pointer[][] views;
        private Pointer scratch;                        // Cᵀ of a flipped product, grown on first use
        private long scratchSize;
        private Pointer rowView;                        // a second view of the scratch, for the copies
        private Buffer ownOf;                           // the buffer, offset and length the lane's copy of B holds
        private long ownOff, ownLength;
        private OpenBlasStorage own;                    // that copy (see the class comment), null while there is none
        private OpenBlasStorage.Pin ownPin;
        private Pointer ownPointer;
        private Pointer ownView;                        // a second view of it, positioned per small-matrix call
        private int ownLayout;                          // STORED_LAYOUT, TRANSPOSED_LAYOUT or PANEL_LAYOUT

        Lane(Pointer[][] views) { this.views = views; }

        /**
         * B of a flipped product, {@code length} elements from {@code bOff} of {@code b}: this lane's own copy
         * when the call made several lanes (made on first use, on the thread running this lane's slice; that
         * is the caller for every slice when the crew was busy with another job), else the storage itself;
         * the lane's own transpose of W_hh when {@code b} is the W_hhᵀ the backward's kernels are told of.
         * B is the kernels' weights, which nothing writes during the call. The lanes are all made before any
         * slice runs (RecurrenceKernels' Slices), so {@code lanes} is complete and visible here.
         */
        private Pointer weights(Buffer b, long bOff, long length, boolean f32) {
            if (b != laneTransposed) return stored(b, bOff, length, f32);
            requireWholeTransposed(bOff, length);
            if (!owns(b, bOff, length, TRANSPOSED_LAYOUT)) own(b, bOff, length, f32, true);
            return ownPointer;
        }

        /** The lanes read W_hhᵀ only whole: a product on part of it is a bug in the kernels. */
        private void requireWholeTransposed(long bOff, long length) {
            int rows = laneTransposedRows, cols = laneTransposedCols;
            if (bOff != 0 || length != (long) rows * cols) {
                throw new IllegalStateException("openblas recurrence: W_hhᵀ asked for at " + bOff + " with " + length
                        + " elements; the lanes take all of W_hh [" + rows + ", " + cols + "]");
            }
        }

        /**
         * {@code length} elements from {@code bOff} of {@code b} as stored: this lane's own copy when the call
         * made several lanes (see {@link #weights}), else the storage itself.
         */
        private Pointer stored(Buffer b, long bOff, long length, boolean f32) {
            if (lanes.size() < 2) return view(b, 1, bOff);
            if (!owns(b, bOff, length, STORED_LAYOUT)) own(b, bOff, length, f32, false);
            return ownPointer;
        }

        /**
         * Whether the lane's own copy is of these elements in this layout: as stored, (W_hh) transposed, or
         * op(B) in panels. The shape is the call's W_hh's, the same for every product of a lane (lanes live for
         * one call).
         */
        private boolean owns(Buffer b, long bOff, long length, int layout) {
            return own != null && b == ownOf && bOff == ownOff && length == ownLength && layout == ownLayout;
        }

        /** The lane's own copy of op(B) [k, n] in panels ({@link BlasRecurrence#panels}); b is op(B) as stored when {@code opB}, else B [n, k]. */
        private void ownPanels(Buffer b, long bOff, long length, boolean opB, int k, int n) {
            PANEL_COPIES.incrementAndGet();
            allocateOwn(length, true);
            panels((FloatBuffer) b, Math.toIntExact(bOff), OpenBlasBackend.fresh(base(b)), !opB, ownPin.floats(),
                    OpenBlasBackend.fresh(ownPointer), k, n);
            filledOwn(b, bOff, length, PANEL_LAYOUT);
        }

        /**
         * Makes the lane's own copy of {@code length} elements of {@code b} from {@code bOff}: as stored, or
         * {@code transposed} (W_hh [laneTransposedRows, laneTransposedCols] into its transpose).
         */
        private void own(Buffer b, long bOff, long length, boolean f32, boolean transposed) {
            allocateOwn(length, f32);
            // ?copy, not Pointer.memcpy: memcpy reads a view's position as bytes, these views count elements.
            if (transposed) BlasRecurrence.transpose(view(b, 1, bOff), ownPointer, laneTransposedRows, laneTransposedCols);
            else OpenBlasBackend.copy(Math.toIntExact(length), view(b, 1, bOff), ownPointer);
            filledOwn(b, bOff, length, transposed ? TRANSPOSED_LAYOUT : STORED_LAYOUT);
        }

        /** Replaces the lane's own block with a new, pinned one of {@code length} elements and its views, for the caller to fill. */
        private void allocateOwn(long length, boolean f32) {
            releaseOwn();
            own = backend.allocate(f32 ? DType.F32 : DType.F64, Math.toIntExact(length));
            ownPin = own.pin();
            ownPointer = f32 ? ownPin.floatPointer() : ownPin.doublePointer();
            ownView = OpenBlasBackend.fresh(ownPointer);
        }

        /** Records what the filled block holds ({@link #owns}): set only once it is filled, so a failed fill holds nothing. */
        private void filledOwn(Buffer b, long bOff, long length, int layout) {
            ownOf = b;
            ownOff = bOff;
            ownLength = length;
            ownLayout = layout;
        }

        /** B of a matrix-vector product: the lane's transpose of W_hh when it is that buffer, else B as stored. */
        private Pointer weightsOrView(Buffer b, long bOff, long length, boolean f32) {
            return b == laneTransposed ? weights(b, bOff, length, f32) : view(b, 1, bOff);
        }

        /** The untransposed path reads B as stored, which the lanes' W_hh is not (the kernels see W_hhᵀ). */
        private void requireNotLaneTransposed(Buffer b) {
            if (b == laneTransposed) {
                throw new IllegalStateException("openblas recurrence: W_hhᵀ used untransposed; the lanes only make it for products with B transposed");
            }
        }

        private void releaseOwn() {
            if (own == null) return;
            ownPin.close();
            own.release();
            own = null;
            ownPin = null;
            ownPointer = null;
            ownView = null;
            ownOf = null;
        }

        private Pointer view(Buffer b, int role, long off) { return views[registered(b)][role].position(off); }

        private void ensureScratch(long size, boolean f32) {
            if (scratchSize >= size) return;
            free();
            scratch = f32 ? new FloatPointer(size) : new DoublePointer(size);
            rowView = OpenBlasBackend.fresh(scratch);
            scratchSize = size;
        }

        void free() {
            releaseOwn();
            if (scratch != null) scratch.deallocate();
            scratch = null;
            rowView = null;
            scratchSize = 0;
        }

        @Override
        public void gemm(FloatBuffer a, int aOff, boolean transA, FloatBuffer b, int bOff, boolean transB,
                         FloatBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
            if (empty(c, cOff, accumulate, m, n, k)) return;
            int lda = transA ? m : k, ldb = transB ? k : n;
            float beta = accumulate ? 1f : 0f;
            if (m == 1) {
                // One row (a batch of one): c = op(B)ᵀ·a, a a contiguous vector either way; B as stored.
                cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, transB ? n : k, transB ? k : n, 1f,
                        (FloatPointer) weightsOrView(b, bOff, (long) n * k, true), ldb, (FloatPointer) view(a, 0, aOff), 1, beta,
                        (FloatPointer) view(c, 2, cOff), 1);
                return;
            }
            if (!transB) {
                requireNotLaneTransposed(b);
                cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, CblasNoTrans, m, n, k, 1f,
                        (FloatPointer) view(a, 0, aOff), lda, (FloatPointer) view(b, 1, bOff), ldb, beta,
                        (FloatPointer) view(c, 2, cOff), n);
                return;
            }
            // Once a lane has panels of this B it keeps them, whatever the rows: a lane whose groups straddle
            // SMALL_ROWS (64 and 65 rows) would otherwise rebuild its one copy at every switch.
            if (small(smallKernels, m, n, k) || smallKernels && owns(b, bOff, (long) n * k, PANEL_LAYOUT)) {
                smallProduct(a, aOff, transA, b, bOff, c, cOff, accumulate, m, n, k);
                return;
            }
            // Cᵀ [n, m] = B [n, k] · op(A)ᵀ into the scratch, then C's rows from its columns.
            int transAt = transA ? CblasNoTrans : CblasTrans;
            ensureScratch((long) m * n, true);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, transAt, n, m, k, 1f, (FloatPointer) weights(b, bOff, (long) n * k, true), ldb,
                    (FloatPointer) view(a, 0, aOff), lda, 0f, (FloatPointer) scratch, m);
            for (int i = 0; i < m; i++) {                // row i of C is column i of Cᵀ
                FloatPointer col = (FloatPointer) rowView.position(i), row = (FloatPointer) view(c, 2, cOff + (long) i * n);
                if (accumulate) cblas_saxpy(n, 1f, col, m, row, 1);
                else cblas_scopy(n, col, m, row, 1);
            }
        }

        /**
         * {@code C (=|+=) op(A)·op(B)} by OpenBLAS's small-matrix {@code sgemm} (see the class comment), op(B)
         * [k, n] read from the lane's own copy of it in panels of {@link #SMALL_COLS} columns ({@link #panels},
         * made on first use): B [n, k] used transposed (the forward's W_hh), or, when {@code b} is the W_hhᵀ the
         * backward's kernels are told of, W_hh [k, n] as stored, which is op(B). Each block of 64 columns of C
         * is one untransposed product of its panel, or, where {@code m·64·k} would pass
         * {@link #SMALL_PRODUCT}, several over parts of k accumulated into it, so that every call is one the
         * small kernels take.
         */
        private void smallProduct(FloatBuffer a, int aOff, boolean transA, FloatBuffer b, int bOff, FloatBuffer c,
                                  int cOff, boolean accumulate, int m, int n, int k) {
            boolean opB = b == laneTransposed;         // holds op(B) = W_hh [k, n] as stored
            long length = (long) n * k;
            if (opB) requireWholeTransposed(bOff, length);
            if (!owns(b, bOff, length, PANEL_LAYOUT)) ownPanels(b, bOff, length, opB, k, n);
            FloatPointer w = (FloatPointer) ownView;
            long w0 = ownPointer.position();
            int parts = smallParts(m, k, SMALL_COLS), lda = transA ? m : k, opA = transA ? CblasTrans : CblasNoTrans;
            for (int j = 0; j < n; j += SMALL_COLS) {
                int cols = Math.min(SMALL_COLS, n - j);
                for (int p = 0; p < parts; p++) {
                    int k0 = (int) ((long) k * p / parts), k1 = (int) ((long) k * (p + 1) / parts);
                    cblas_sgemm(CblasRowMajor, opA, CblasNoTrans, m, cols, k1 - k0, 1f,
                            (FloatPointer) view(a, 0, aOff + (transA ? (long) k0 * m : k0)), lda,
                            w.position(w0 + (long) j * k + (long) k0 * cols), cols,
                            p == 0 && !accumulate ? 0f : 1f, (FloatPointer) view(c, 2, cOff + j), n);
                }
            }
        }

        @Override
        public void gemm(DoubleBuffer a, int aOff, boolean transA, DoubleBuffer b, int bOff, boolean transB,
                         DoubleBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
            if (empty(c, cOff, accumulate, m, n, k)) return;
            int lda = transA ? m : k, ldb = transB ? k : n;
            double beta = accumulate ? 1d : 0d;
            if (m == 1) {
                // One row (a batch of one): c = op(B)ᵀ·a, a a contiguous vector either way; B as stored.
                cblas_dgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, transB ? n : k, transB ? k : n, 1d,
                        (DoublePointer) weightsOrView(b, bOff, (long) n * k, false), ldb, (DoublePointer) view(a, 0, aOff), 1, beta,
                        (DoublePointer) view(c, 2, cOff), 1);
                return;
            }
            if (!transB) {
                requireNotLaneTransposed(b);
                cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, CblasNoTrans, m, n, k, 1d,
                        (DoublePointer) view(a, 0, aOff), lda, (DoublePointer) view(b, 1, bOff), ldb, beta,
                        (DoublePointer) view(c, 2, cOff), n);
                return;
            }
            // Cᵀ [n, m] = B [n, k] · op(A)ᵀ into the scratch, then C's rows from its columns.
            int transAt = transA ? CblasNoTrans : CblasTrans;
            ensureScratch((long) m * n, false);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, transAt, n, m, k, 1d, (DoublePointer) weights(b, bOff, (long) n * k, false), ldb,
                    (DoublePointer) view(a, 0, aOff), lda, 0d, (DoublePointer) scratch, m);
            for (int i = 0; i < m; i++) {
                DoublePointer col = (DoublePointer) rowView.position(i), row = (DoublePointer) view(c, 2, cOff + (long) i * n);
                if (accumulate) cblas_daxpy(n, 1d, col, m, row, 1);
                else cblas_dcopy(n, col, m, row, 1);
            }
        }

        @Override
        public BufferGemm lane() { return BlasRecurrence.this.lane(); }
    }

    private static final int STORED_LAYOUT = 0, TRANSPOSED_LAYOUT = 1, PANEL_LAYOUT = 2;

    /** For tests: lane copies of op(B) into panels made so far, in this JVM. */
    static final java.util.concurrent.atomic.AtomicLong PANEL_COPIES = new java.util.concurrent.atomic.AtomicLong();

    /** The storage pointer behind a registered buffer. */
    private Pointer base(Buffer b) { return bases.get(registered(b)); }

    /** Frees the lanes' scratch and unpins every storage of the call. */
    private void close() {
        laneTransposed = null;
        for (Lane l : lanes) l.free();
        lanes.clear();
        for (OpenBlasStorage.Pin p : pins) p.close();
        pins.clear();
    }
}
