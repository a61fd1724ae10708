package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Storage;

import java.util.Random;

/**
 * A rough matmul throughput print, not a test (no assertions; the name keeps surefire away). From the
 * repository root, after {@code mvn -pl backend-cpu test-compile} (core installed):
 * <pre>
 * java -cp backend-cpu/target/classes:backend-cpu/target/test-classes:$HOME/.m2/repository/dev/recurrent/recurrent-core/0.1.0-SNAPSHOT/recurrent-core-0.1.0-SNAPSHOT.jar \
 *      dev.recurrent.backend.cpu.GemmThroughput [size=1024] [threads] [F32|F64] [nn|nt|tn]
 * </pre>
 * Careful numbers belong in the bench module (JMH); this is for a quick look while changing Gemm.
 */
public final class GemmThroughput {
    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        DType dtype = args.length > 2 ? DType.valueOf(args[2]) : DType.F32;
        String flags = args.length > 3 ? args[3] : "nn";
        boolean transA = flags.charAt(0) == 't', transB = flags.charAt(1) == 't';
        CpuBackend be = new CpuBackend(threads);
        Random r = new Random(1);
        double[] x = new double[size * size];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble() - 0.5;
        Storage a = be.fromArray(dtype, x), b = be.fromArray(dtype, x);
        double flops = 2.0 * size * size * size, best = Double.MAX_VALUE;
        for (int rep = 0; rep < 10; rep++) {
            long t0 = System.nanoTime();
            be.matmul(a, transA, 0, b, transB, 0, 1, size, size, size);
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, s);
            System.out.printf("rep %d: %.1f ms, %.2f GFLOP/s%n", rep, s * 1e3, flops / s / 1e9);
        }
        System.out.printf("%s, %s [%d x %d]·[%d x %d] %s, fma=%b: best %.1f ms = %.2f GFLOP/s%n",
                be.describe(), dtype, size, size, size, size, flags, GemmRows.FMA, best * 1e3, flops / best / 1e9);
    }
}
