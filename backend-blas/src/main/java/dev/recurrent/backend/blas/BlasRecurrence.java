package dev.recurrent.backend.blas;

import dev.recurrent.backend.cpu.BufferGemm;
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
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * The {@code openblas} backend's whole-sequence kernels: backend-cpu's {@link RecurrenceKernels} over the
 * storages' direct buffers, with their products through {@code cblas_sgemm}/{@code cblas_dgemm}. One
 * instance serves one call: it pins every storage the call touches for its duration and maps each buffer
 * back to its storage's pointer by identity. Each pointer gets three reusable views (one per operand
 * role, A, B and C, as one buffer can be two operands of a product at different offsets) whose position is
 * set per product, so a step allocates nothing (JavaCPP's {@code getPointer(offset)} would create a view
 * by reflection on every call).
 *
 * <p>Threads: one policy per call, so OpenBLAS's thread count never flips between the products of a
 * sequence. When one step's product ({@code 2·B·G·H·H} flops) reaches {@link #STEP_THREADS_PROPERTY}
 * (default 2 Mflop), every product runs on all of the backend's threads: the steps follow each other with
 * only a short pointwise pass in between, so the OpenBLAS workers stay awake and a second core pays even
 * for W1's Elman step (4 Mflop; measured on 2 cores, B=32 H=256: 40 ms a training step against 65 ms on
 * one thread). Below it (W3: B=1, H=128, 0.13 Mflop a step) everything runs on one thread, where waking a
 * worker costs more than it saves (16 ms against 28 ms).
 */
final class BlasRecurrence implements BufferGemm {
    /** System property: the flops of one step's product from which a sequence uses every OpenBLAS thread. */
    static final String STEP_THREADS_PROPERTY = "rnn.blas.stepThreadsFlops";
    private static final long STEP_THREADS_FLOPS = Long.getLong(STEP_THREADS_PROPERTY, 2_000_000L);

    private final OpenBlasBackend backend;
    private final int threads;
    private int callThreads = 1;
    private final List<OpenBlasStorage.Pin> pins = new ArrayList<>();
    private final List<Buffer> buffers = new ArrayList<>();
    private final List<Pointer[]> views = new ArrayList<>();          // views.get(i)[role] for buffers.get(i)

    BlasRecurrence(OpenBlasBackend backend, int threads) {
        this.backend = backend;
        this.threads = threads;
    }

    /** Chooses the thread count of this call's products (see the class comment). */
    private void threadsFor(CellKind kind, int batch, int hidden) {
        callThreads = 2.0 * batch * kind.gates() * hidden * hidden >= STEP_THREADS_FLOPS ? threads : 1;
    }

    Storage[] forward(CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                      int steps, int batch, int hidden) {
        RecurrenceKernels.checkForward(OpenBlasBackend.NAME, kind, xp, whh, bhh, init, steps, batch, hidden);
        threadsFor(kind, batch, hidden);
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
            if (dtype == DType.F32) {
                RecurrenceKernels.forward(kind, reverse, (FloatBuffer) x, (FloatBuffer) w, false, (FloatBuffer) b,
                        floats(h0), (FloatBuffer) o, (FloatBuffer) sv, steps, batch, hidden, this);
            } else {
                RecurrenceKernels.forward(kind, reverse, (DoubleBuffer) x, (DoubleBuffer) w, false, (DoubleBuffer) b,
                        doubles(h0), (DoubleBuffer) o, (DoubleBuffer) sv, steps, batch, hidden, this);
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
        threadsFor(kind, batch, hidden);
        if (saved == null && RecurrenceKernels.savedSize(kind, steps, batch, hidden) > 0) {
            // Not from this backend's recurrence: recompute step by step.
            return RecurrenceDefaults.backward(backend, kind, reverse, xp, whh, bhh, init, out, grad, steps, batch, hidden);
        }
        DType dtype = xp.dtype();
        int gh = kind.gates() * hidden, workSize = RecurrenceKernels.workSize(kind, steps, batch, hidden);
        List<Storage> made = new ArrayList<>();
        Storage work = null;
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
            work = workSize == 0 ? null : backend.allocate(dtype, workSize);
            Buffer w = register(whh), o = register(out), sv = saved == null ? null : register(saved), g = register(grad);
            Buffer dx = register(result[0]), dw = register(result[1]), db = result[2] == null ? null : register(result[2]);
            Buffer wk = work == null ? null : register(work);
            if (dtype == DType.F32) {
                RecurrenceKernels.backward(kind, reverse, (FloatBuffer) w, floats(h0), (FloatBuffer) o, (FloatBuffer) sv,
                        (FloatBuffer) g, (FloatBuffer) dx, (FloatBuffer) dw, (FloatBuffer) db, floats(d0), (FloatBuffer) wk,
                        steps, batch, hidden, this);
            } else {
                RecurrenceKernels.backward(kind, reverse, (DoubleBuffer) w, doubles(h0), (DoubleBuffer) o, (DoubleBuffer) sv,
                        (DoubleBuffer) g, (DoubleBuffer) dx, (DoubleBuffer) dw, (DoubleBuffer) db, doubles(d0), (DoubleBuffer) wk,
                        steps, batch, hidden, this);
            }
            return result;
        } catch (RuntimeException | Error e) {
            for (Storage s : made) s.release();
            throw e;
        } finally {
            close();
            if (work != null) work.release();          // after the pins are closed: freed at once
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
            views.add(s.dtype() == DType.F32
                    ? new Pointer[] {new FloatPointer(pin.floatPointer()), new FloatPointer(pin.floatPointer()), new FloatPointer(pin.floatPointer())}
                    : new Pointer[] {new DoublePointer(pin.doublePointer()), new DoublePointer(pin.doublePointer()), new DoublePointer(pin.doublePointer())});
        }
        return b;
    }

    /** The view for {@code role} (0: A, 1: B, 2: C) of the storage behind {@code b}, positioned at element {@code off}. */
    private Pointer view(Buffer b, int role, int off) {
        int i = index(b);
        if (i < 0) throw new IllegalStateException("openblas recurrence: a product on a buffer that was not registered");
        return views.get(i)[role].position(off);
    }

    /** By identity (Buffer.equals compares contents). */
    private int index(Buffer b) {
        for (int i = 0, n = buffers.size(); i < n; i++) if (buffers.get(i) == b) return i;
        return -1;
    }

    @Override
    public void gemm(FloatBuffer a, int aOff, boolean transA, FloatBuffer b, int bOff, boolean transB,
                     FloatBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = cOff, end = cOff + m * n; i < end; i++) c.put(i, 0f);
            return;
        }
        NativeBlas.useThreads(callThreads);
        // Row-major; lda/ldb are the row lengths of A and B as stored, ldc = n.
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                1f, (FloatPointer) view(a, 0, aOff), transA ? m : k, (FloatPointer) view(b, 1, bOff), transB ? k : n,
                accumulate ? 1f : 0f, (FloatPointer) view(c, 2, cOff), n);
    }

    @Override
    public void gemm(DoubleBuffer a, int aOff, boolean transA, DoubleBuffer b, int bOff, boolean transB,
                     DoubleBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = cOff, end = cOff + m * n; i < end; i++) c.put(i, 0.0);
            return;
        }
        NativeBlas.useThreads(callThreads);
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                1d, (DoublePointer) view(a, 0, aOff), transA ? m : k, (DoublePointer) view(b, 1, bOff), transB ? k : n,
                accumulate ? 1d : 0d, (DoublePointer) view(c, 2, cOff), n);
    }

    /** Unpins every storage of the call. */
    private void close() {
        for (OpenBlasStorage.Pin p : pins) p.close();
        pins.clear();
    }
}
