package dev.recurrent.bench;

import dev.recurrent.backend.blas.OpenBlasBackend;
import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Storage;

import org.bytedeco.javacpp.FloatPointer;

import java.util.Random;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * What the {@code openblas} backend costs on top of sgemm itself, measured so that machine load cancels:
 * short bursts (0.2 s) of {@code backend.matmul} (pin, allocate the result, one JNI call, release)
 * alternate with bursts of a bare {@code cblas_sgemm} into preallocated memory, the way the C harness
 * calls it, in one process, at the shapes of {@link MatmulBenchmark}. On a shared machine the load moves
 * both numbers alike, so their ratio is the overhead; MatmulBenchmark against bench/c/run.sh gives the
 * absolute numbers.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.recurrent.bench.MatmulOverhead [threads] [bursts]</pre>
 */
public final class MatmulOverhead {
    private MatmulOverhead() { }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int bursts = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        OpenBlasBackend be = new OpenBlasBackend(threads);
        System.out.println("# " + be.describe() + "; " + bursts + " bursts of 0.2 s each way, the first 4 not counted");
        System.out.printf("%-16s %16s %16s %8s%n", "shape (mxkxn)", "backend GFLOP/s", "sgemm GFLOP/s", "ratio");
        for (String shape : new String[] {"32x384x1024", "64x1024x2048", "1600x128x1024", "1024x1024x1024"}) {
            int[] d = MatmulBenchmark.dims(shape);
            int m = d[0], k = d[1], n = d[2];
            Random random = new Random(42);
            float[] av = new float[m * k], bv = new float[k * n];
            for (int i = 0; i < av.length; i++) av[i] = random.nextFloat() - 0.5f;
            for (int i = 0; i < bv.length; i++) bv[i] = random.nextFloat() - 0.5f;
            Storage a = be.fromArray(DType.F32, av), b = be.fromArray(DType.F32, bv);
            FloatPointer pa = new FloatPointer(av), pb = new FloatPointer(bv), pc = new FloatPointer((long) m * n);
            long backendNanos = 0, backendCalls = 0, rawNanos = 0, rawCalls = 0;
            for (int burst = 0; burst < bursts + 4; burst++) {
                long start = System.nanoTime(), calls = 0;
                do {
                    be.matmul(a, false, 0, b, false, 0, 1, m, n, k).release();
                    calls++;
                } while (System.nanoTime() - start < 200_000_000L);
                if (burst >= 4) {
                    backendNanos += System.nanoTime() - start;
                    backendCalls += calls;
                }
                start = System.nanoTime();
                calls = 0;
                do {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1f, pa, k, pb, n, 0f, pc, n);
                    calls++;
                } while (System.nanoTime() - start < 200_000_000L);
                if (burst >= 4) {
                    rawNanos += System.nanoTime() - start;
                    rawCalls += calls;
                }
            }
            double flop = 2.0 * m * n * k;
            double backend = flop * backendCalls / backendNanos, raw = flop * rawCalls / rawNanos; // flop/ns = GFLOP/s
            System.out.printf("%-16s %16.1f %16.1f %8.3f%n", shape, backend, raw, backend / raw);
            a.release();
            b.release();
            pa.deallocate();
            pb.deallocate();
            pc.deallocate();
        }
    }
}
