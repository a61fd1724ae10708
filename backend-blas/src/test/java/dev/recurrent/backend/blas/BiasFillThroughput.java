package dev.recurrent.backend.blas;

import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.bytedeco.openblas.global.openblas_nolapack.cblas_scopy;

/**
 * A rough print of where {@code matmulBias} fills C with the bias, not a test (the name keeps surefire away):
 * µs per {@code C = bias + X·Wᵀ} ({@code [m, k]·[n, k]ᵀ}) split into bands on two threads, with the fill on the
 * calling thread before the bands (how it was) and in each band before its product (how it is). Rounds of 20
 * products alternate the two; medians. From the repository root, after {@code mvn -o -q test-compile -pl backend-blas}:
 * <pre>
 * java -cp "backend-blas/target/classes:backend-blas/target/test-classes:backend-cpu/target/classes:core/target/classes:$(cd backend-blas && mvn -o -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *      dev.recurrent.backend.blas.BiasFillThroughput [m=1600] [k=128] [n=768]
 * </pre>
 */
public final class BiasFillThroughput {
    public static void main(String[] args) {
        int m = args.length > 0 ? Integer.parseInt(args[0]) : 1600;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 768;
        NativeBlas.load();
        FloatPointer x = random((long) m * k, 1), w = random((long) n * k, 2), bias = random(n, 3);
        List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < 40; round++) {
            int v = round % 2;
            for (int i = 0; i < 20; i++) {
                FloatPointer c = new FloatPointer((long) m * n);
                long t0 = System.nanoTime();
                if (v == 0) {
                    fill(c, bias, n, 0, m);
                    Gemm.f32(2, x, 0, false, w, 0, true, c, 0, true, m, n, k);
                } else {
                    Gemm.f32(2, x, 0, false, w, 0, true, c, 0, true, m, n, k, (row0, rows, col0, cols) -> {
                        if (cols != n) throw new IllegalStateException("bands of columns: this print fills rows only");
                        fill(c, bias, n, row0, rows);
                    });
                }
                long t1 = System.nanoTime();
                c.deallocate();
                if (round >= 4) times.get(v).add((t1 - t0) / 1e3);
            }
        }
        for (int v = 0; v < 2; v++) {
            List<Double> t = times.get(v);
            Collections.sort(t);
            System.out.printf("[%d, %d] = bias + [%d, %d]·[%d, %d]ᵀ, fill %s: median %.0f us (quartiles %.0f-%.0f)%n", m, n, m, k, n, k,
                    v == 0 ? "first, on the caller" : "in the bands", t.get(t.size() / 2), t.get(t.size() / 4), t.get(3 * t.size() / 4));
        }
    }

    /** Rows {@code [row0, row0 + rows)} of c = the bias: the first copied, then the filled rows doubled. */
    private static void fill(FloatPointer c, FloatPointer bias, int n, long row0, int rows) {
        long first = row0 * n;
        FloatPointer from = new FloatPointer(c).position(first), to = new FloatPointer(c);
        cblas_scopy(n, bias, 1, from, 1);
        for (long done = 1; done < rows; done *= 2) cblas_scopy((int) (Math.min(done, rows - done) * n), from, 1, to.position(first + done * n), 1);
    }

    private static FloatPointer random(long size, int seed) {
        FloatPointer p = new FloatPointer(size);
        Random r = new Random(seed);
        for (long i = 0; i < size; i++) p.put(i, (float) r.nextGaussian());
        return p;
    }
}
