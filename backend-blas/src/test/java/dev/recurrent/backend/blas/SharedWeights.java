package dev.recurrent.backend.blas;

import org.bytedeco.javacpp.FloatPointer;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * A rough print of why {@link BlasRecurrence}'s lanes copy their weights, not a test (the name keeps surefire
 * away): µs per step product ({@code Cᵀ = W·hᵀ}, the lanes' flipped form) on one thread alone, on two threads
 * side by side reading one W, and on two threads each reading a W of its own. Rounds alternate the three.
 * From the repository root, after {@code mvn -o -q test-compile -pl backend-blas}:
 * <pre>
 * java -cp "backend-blas/target/classes:backend-blas/target/test-classes:backend-cpu/target/classes:core/target/classes:$(cd backend-blas && mvn -o -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *      dev.recurrent.backend.blas.SharedWeights [hidden=256] [gateRows=768] [rows=16] [products=2000]
 * </pre>
 */
public final class SharedWeights {
    public static void main(String[] args) throws Exception {
        int h = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int gh = args.length > 1 ? Integer.parseInt(args[1]) : 768;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        NativeBlas.load();                              // OpenBLAS on one thread, as the backend runs it
        FloatPointer w1 = random((long) gh * h, 1), w2 = random((long) gh * h, 2);
        FloatPointer h1 = random((long) n * h, 3), h2 = random((long) n * h, 4);
        FloatPointer c1 = new FloatPointer((long) gh * n), c2 = new FloatPointer((long) gh * n);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                double alone = products(w1, h1, c1, gh, n, h, reps);
                Future<Double> a = pool.submit(() -> products(w1, h1, c1, gh, n, h, reps));
                Future<Double> b = pool.submit(() -> products(w1, h2, c2, gh, n, h, reps));
                double sharedA = a.get(), sharedB = b.get();
                a = pool.submit(() -> products(w1, h1, c1, gh, n, h, reps));
                b = pool.submit(() -> products(w2, h2, c2, gh, n, h, reps));
                double ownA = a.get(), ownB = b.get();
                System.out.printf("W [%d, %d], %d rows: alone %.1f us | two threads, one W: %.1f, %.1f | two threads, a W each: %.1f, %.1f%n",
                        gh, h, n, alone, sharedA, sharedB, ownA, ownB);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** µs per product over {@code reps} products {@code c = w·hᵀ}. */
    private static double products(FloatPointer w, FloatPointer x, FloatPointer c, int gh, int n, int h, int reps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, gh, n, h, 1f, w, h, x, h, 0f, c, n);
        return (System.nanoTime() - t0) / 1e3 / reps;
    }

    private static FloatPointer random(long size, int seed) {
        FloatPointer p = new FloatPointer(size);
        Random r = new Random(seed);
        for (long i = 0; i < size; i++) p.put(i, r.nextFloat() - 0.5f);
        return p;
    }
}
