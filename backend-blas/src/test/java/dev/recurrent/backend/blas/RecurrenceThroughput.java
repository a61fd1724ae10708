package dev.recurrent.backend.blas;

import dev.recurrent.backend.cpu.BufferGemm;
import dev.recurrent.backend.cpu.CpuBackend;
import dev.recurrent.backend.cpu.RecurrenceKernels;
import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.RecurrenceDefaults;
import dev.recurrent.core.backend.Storage;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * A rough print of the whole-sequence kernels' speed, not a test (no assertions; the name keeps surefire
 * away): ms per forward, backward, and forward+backward of {@code recurrence}/{@code recurrenceBackward} on
 * both backends, the step-by-step defaults for comparison, and the pointwise share (the kernels with a
 * product that does nothing). From the repository root, after {@code mvn -o -q test-compile -pl backend-cpu,backend-blas}:
 * <pre>
 * java -cp "backend-blas/target/classes:backend-blas/target/test-classes:backend-cpu/target/classes:$(cd backend-blas && mvn -o -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *      dev.recurrent.backend.blas.RecurrenceThroughput [batch=32] [steps=50] [hidden=256] [F32|F64] [kinds=LSTM,GRU,TANH] [defaults=true] [backends=java,openblas]
 * </pre>
 */
public final class RecurrenceThroughput {
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int hidden = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        DType dtype = args.length > 3 ? DType.valueOf(args[3]) : DType.F32;
        String[] kinds = (args.length > 4 ? args[4] : "LSTM,GRU,TANH").split(",");
        boolean defaults = args.length <= 5 || Boolean.parseBoolean(args[5]);
        String which = args.length > 6 ? args[6] : "java,openblas";
        Backend[] backends = java.util.Arrays.stream(which.split(","))
                .map(n -> n.equals("java") ? new CpuBackend() : (Backend) new OpenBlasBackend()).toArray(Backend[]::new);
        for (String k : kinds) {
            CellKind kind = CellKind.valueOf(k);
            for (Backend be : backends) {
                report(be.describe(), kind, dtype, time(be, kind, dtype, steps, batch, hidden, false));
                if (defaults) report(be.name() + " step-by-step defaults", kind, dtype, time(be, kind, dtype, steps, batch, hidden, true));
            }
            if (defaults) {
                report("pointwise only (heap buffers, no products)", kind, dtype, pointwise(kind, dtype, steps, batch, hidden, false));
                report("pointwise only (direct buffers, no products)", kind, dtype, pointwise(kind, dtype, steps, batch, hidden, true));
            }
        }
    }

    private static void report(String what, CellKind kind, DType dtype, double[] ms) {
        System.out.printf("%-5s %s  fwd %7.2f ms  bwd %7.2f ms  fwd+bwd %7.2f ms   %s%n", kind, dtype, ms[0], ms[1], ms[0] + ms[1], what);
    }

    private static Storage data(Backend be, DType dtype, Random r, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = scale * (2 * r.nextDouble() - 1);
        return be.fromArray(dtype, x);
    }

    /** Median ms of forward and of backward over the timed repetitions. */
    private static double[] time(Backend be, CellKind kind, DType dtype, int steps, int batch, int hidden, boolean defaults) {
        Random r = new Random(1);
        int gh = kind.gates() * hidden, bh = batch * hidden;
        Storage xp = data(be, dtype, r, steps * batch * gh, 1), whh = data(be, dtype, r, gh * hidden, 1 / Math.sqrt(hidden));
        Storage bhh = kind.hiddenBias() ? data(be, dtype, r, gh, 0.1) : null;
        Storage[] init = new Storage[kind.states()];
        for (int s = 0; s < init.length; s++) init[s] = data(be, dtype, r, bh, 0.5);
        Storage grad = data(be, dtype, r, kind.states() * steps * bh, 1);
        int warm = defaults ? 3 : 15, reps = defaults ? 5 : 25;
        double[] fwd = new double[reps], bwd = new double[reps];
        for (int i = 0; i < warm + reps; i++) {
            long t0 = System.nanoTime();
            Storage[] f = defaults ? RecurrenceDefaults.forward(be, kind, false, xp, whh, bhh, init, steps, batch, hidden)
                    : be.recurrence(kind, false, xp, whh, bhh, init, steps, batch, hidden);
            long t1 = System.nanoTime();
            Storage[] b = defaults ? RecurrenceDefaults.backward(be, kind, false, xp, whh, bhh, init, f[0], grad, steps, batch, hidden)
                    : be.recurrenceBackward(kind, false, xp, whh, bhh, init, f[0], f[1], grad, steps, batch, hidden);
            long t2 = System.nanoTime();
            if (i >= warm) {
                fwd[i - warm] = (t1 - t0) / 1e6;
                bwd[i - warm] = (t2 - t1) / 1e6;
            }
            for (Storage s : f) if (s != null) s.release();
            for (Storage s : b) if (s != null) s.release();
        }
        return new double[] {median(fwd), median(bwd)};
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The kernels with products that do nothing: the cost of the pointwise passes and the loop. */
    private static double[] pointwise(CellKind kind, DType dtype, int steps, int batch, int hidden, boolean direct) {
        BufferGemm none = new BufferGemm() {
            @Override public void gemm(FloatBuffer a, int aOff, boolean transA, FloatBuffer b, int bOff, boolean transB,
                                       FloatBuffer c, int cOff, boolean accumulate, int m, int n, int k) { }

            @Override public void gemm(DoubleBuffer a, int aOff, boolean transA, DoubleBuffer b, int bOff, boolean transB,
                                       DoubleBuffer c, int cOff, boolean accumulate, int m, int n, int k) { }
        };
        int gh = kind.gates() * hidden, bh = batch * hidden, s = kind.states();
        int saved = RecurrenceKernels.savedSize(kind, steps, batch, hidden), work = RecurrenceKernels.workSize(kind, steps, batch, hidden);
        Random r = new Random(1);
        double[] fwd = new double[25], bwd = new double[25];
        for (int i = 0; i < 40; i++) {
            long t0, t1, t2;
            if (dtype == DType.F32) {
                FloatBuffer xp = floats(direct, r, steps * batch * gh), w = floats(direct, r, gh * hidden), b = floats(direct, r, gh), out = floats(direct, r, s * steps * bh);
                FloatBuffer sv = floats(direct, r, saved), g = floats(direct, r, s * steps * bh), dx = floats(direct, r, steps * batch * gh), dw = floats(direct, r, gh * hidden);
                FloatBuffer db = floats(direct, r, gh), wk = floats(direct, r, work);
                FloatBuffer[] init = new FloatBuffer[s], d0 = new FloatBuffer[s];
                for (int k = 0; k < s; k++) { init[k] = floats(direct, r, bh); d0[k] = floats(direct, r, bh); }
                t0 = System.nanoTime();
                RecurrenceKernels.forward(kind, false, xp, w, false, b, init, out, saved == 0 ? null : sv, steps, batch, hidden, none, null);
                t1 = System.nanoTime();
                RecurrenceKernels.backward(kind, false, w, false, init, out, saved == 0 ? null : sv, g, dx, dw, b, d0, wk, steps, batch, hidden, none, null);
                t2 = System.nanoTime();
            } else {
                DoubleBuffer xp = doubles(direct, r, steps * batch * gh), w = doubles(direct, r, gh * hidden), b = doubles(direct, r, gh), out = doubles(direct, r, s * steps * bh);
                DoubleBuffer sv = doubles(direct, r, saved), g = doubles(direct, r, s * steps * bh), dx = doubles(direct, r, steps * batch * gh), dw = doubles(direct, r, gh * hidden);
                DoubleBuffer db = doubles(direct, r, gh), wk = doubles(direct, r, work);
                DoubleBuffer[] init = new DoubleBuffer[s], d0 = new DoubleBuffer[s];
                for (int k = 0; k < s; k++) { init[k] = doubles(direct, r, bh); d0[k] = doubles(direct, r, bh); }
                t0 = System.nanoTime();
                RecurrenceKernels.forward(kind, false, xp, w, false, b, init, out, saved == 0 ? null : sv, steps, batch, hidden, none, null);
                t1 = System.nanoTime();
                RecurrenceKernels.backward(kind, false, w, false, init, out, saved == 0 ? null : sv, g, dx, dw, db, d0, wk, steps, batch, hidden, none, null);
                t2 = System.nanoTime();
            }
            if (i >= 15) {
                fwd[i - 15] = (t1 - t0) / 1e6;
                bwd[i - 15] = (t2 - t1) / 1e6;
            }
        }
        return new double[] {median(fwd), median(bwd)};
    }

    private static FloatBuffer floats(boolean direct, Random r, int n) {
        FloatBuffer x = direct ? java.nio.ByteBuffer.allocateDirect(4 * n).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer()
                : FloatBuffer.allocate(n);
        for (int i = 0; i < n; i++) x.put(i, (float) (r.nextDouble() - 0.5));
        return x;
    }

    private static DoubleBuffer doubles(boolean direct, Random r, int n) {
        DoubleBuffer x = direct ? java.nio.ByteBuffer.allocateDirect(8 * n).order(java.nio.ByteOrder.nativeOrder()).asDoubleBuffer()
                : DoubleBuffer.allocate(n);
        for (int i = 0; i < n; i++) x.put(i, r.nextDouble() - 0.5);
        return x;
    }
}
