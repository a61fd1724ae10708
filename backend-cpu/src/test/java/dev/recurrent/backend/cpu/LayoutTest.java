package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.Storage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** reduce, permute, slice, concat, gatherRows and scatterAddRows against index arithmetic. */
class LayoutTest {
    private static final CpuBackend BE = new CpuBackend(1);

    @Property(tries = 60, seed = "2718")
    void reduceMatchesLoops(@ForAll ReduceOp op, @ForAll DType dtype, @ForAll @IntRange(min = 1, max = 5) int outer,
                            @ForAll @IntRange(min = 0, max = 40) int n, @ForAll @IntRange(min = 1, max = 6) int inner,
                            @ForAll long seed) {
        double[] x = Naive.data(new Random(seed), outer * n * inner, dtype);
        double[] expected = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = op == ReduceOp.SUM ? 0 : op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double v = x[(o * n + j) * inner + i];
                    acc = op == ReduceOp.SUM ? acc + v : op == ReduceOp.MAX ? Math.max(acc, v) : Math.min(acc, v);
                }
                expected[o * inner + i] = ElementwiseTest.round(acc, dtype);
            }
        }
        double[] actual = BE.toDoubleArray(BE.reduce(op, BE.fromArray(dtype, x), outer, n, inner));
        Naive.assertClose(dtype + " " + op + " [" + outer + "," + n + "," + inner + "]", expected, actual,
                op == ReduceOp.SUM ? (dtype == DType.F32 ? 1e-6 : 1e-13) : 0, 0);
    }

    @Test
    void reduceKnownValuesAndEmptyAxis() {
        Storage x = BE.fromArray(DType.F32, new double[] {1, 5, 2, -3, 4, 0});          // [2,3] as [1,2,3]
        assertArrayEquals(new double[] {-2, 9, 2}, BE.toDoubleArray(BE.reduce(ReduceOp.SUM, x, 1, 2, 3)));
        assertArrayEquals(new double[] {8, 1}, BE.toDoubleArray(BE.reduce(ReduceOp.SUM, x, 2, 3, 1)));
        assertArrayEquals(new double[] {5, 4}, BE.toDoubleArray(BE.reduce(ReduceOp.MAX, x, 2, 3, 1)));
        assertArrayEquals(new double[] {-3, 4, 0}, BE.toDoubleArray(BE.reduce(ReduceOp.MIN, x, 1, 2, 3)));
        Storage empty = BE.full(DType.F64, 0, 0);
        assertArrayEquals(new double[] {0, 0}, BE.toDoubleArray(BE.reduce(ReduceOp.SUM, empty, 1, 0, 2)));
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY}, BE.toDoubleArray(BE.reduce(ReduceOp.MAX, empty, 1, 0, 1)));
        Storage nan = BE.fromArray(DType.F32, new double[] {1, Double.NaN, 3});
        assertArrayEquals(new double[] {Double.NaN}, BE.toDoubleArray(BE.reduce(ReduceOp.MAX, nan, 1, 3, 1)));
    }

    @Property(tries = 80, seed = "161803")
    void permuteMatchesIndexArithmetic(@ForAll DType dtype, @ForAll long seed) {
        Random r = new Random(seed);
        int[] dims = Naive.shape(r, 1, 5, 5);
        checkPermute(dtype, dims, randomPermutation(r, dims.length), r);
    }

    /** Large enough for the 32 x 32 tiled transpose, with ragged edges, and moves of contiguous blocks. */
    @Test
    void permuteTransposesAndBlockMoves() {
        Random r = new Random(3);
        for (DType dtype : DType.values()) {
            checkPermute(dtype, new int[] {70, 45}, new int[] {1, 0}, r);
            checkPermute(dtype, new int[] {3, 40, 33}, new int[] {0, 2, 1}, r);
            checkPermute(dtype, new int[] {5, 6, 7}, new int[] {1, 0, 2}, r);      // [T,B,H] -> [B,T,H]: rows move whole
            checkPermute(dtype, new int[] {2, 3, 4, 5}, new int[] {3, 1, 0, 2}, r);
            checkPermute(dtype, new int[] {4, 1, 6, 1}, new int[] {3, 2, 1, 0}, r);
            checkPermute(dtype, new int[] {9}, new int[] {0}, r);
            checkPermute(dtype, new int[] {}, new int[] {}, r);
            checkPermute(dtype, new int[] {3, 0, 2}, new int[] {2, 0, 1}, r);      // empty
        }
        Storage x = BE.fromArray(DType.F64, new double[] {1, 2, 3, 4, 5, 6});           // [2,3]
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, BE.toDoubleArray(BE.permute(x, Shape.of(2, 3), new int[] {1, 0})));
    }

    @Property(tries = 50, seed = "5150")
    void sliceAndConcatMatchLoops(@ForAll DType dtype, @ForAll @IntRange(min = 1, max = 4) int outer,
                                  @ForAll @IntRange(min = 1, max = 4) int inner, @ForAll long seed) {
        Random r = new Random(seed);
        int parts = 1 + r.nextInt(4);
        int[] sizes = new int[parts];
        List<Storage> storages = new ArrayList<>();
        List<double[]> data = new ArrayList<>();
        int total = 0;
        for (int p = 0; p < parts; p++) {
            sizes[p] = r.nextInt(4);                                                // 0 allowed: an empty part
            total += sizes[p];
            data.add(Naive.data(r, outer * sizes[p] * inner, dtype));
            storages.add(BE.fromArray(dtype, data.get(p)));
        }
        double[] expected = new double[outer * total * inner];
        for (int o = 0, at = 0; o < outer; o++) {
            for (int p = 0; p < parts; p++) {
                for (int j = 0; j < sizes[p]; j++) {
                    for (int i = 0; i < inner; i++) expected[at++] = data.get(p)[(o * sizes[p] + j) * inner + i];
                }
            }
        }
        Storage cat = BE.concat(storages, outer, sizes, inner);
        Naive.assertExact(dtype + " concat", expected, BE.toDoubleArray(cat));

        // slicing the concatenation back gives every part
        for (int p = 0, start = 0; p < parts; start += sizes[p], p++) {
            Naive.assertExact(dtype + " slice part " + p, data.get(p), BE.toDoubleArray(BE.slice(cat, outer, total, inner, start, sizes[p])));
        }
    }

    @Property(tries = 50, seed = "1066")
    void gatherAndScatterAddMatchLoops(@ForAll DType dtype, @ForAll @IntRange(min = 1, max = 6) int rows,
                                       @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll @IntRange(min = 0, max = 12) int count,
                                       @ForAll long seed) {
        Random r = new Random(seed);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = r.nextInt(rows);                   // repeats on purpose
        double[] table = Naive.data(r, rows * cols, dtype);
        double[] gathered = new double[count * cols];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < cols; c++) gathered[i * cols + c] = table[ids[i] * cols + c];
        }
        Naive.assertExact(dtype + " gatherRows", gathered, BE.toDoubleArray(BE.gatherRows(BE.fromArray(dtype, table), rows, cols, ids)));

        double[] src = Naive.data(r, count * cols, dtype);
        double[] scattered = new double[rows * cols];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < cols; c++) scattered[ids[i] * cols + c] += src[i * cols + c];
        }
        double[] actual = BE.toDoubleArray(BE.scatterAddRows(BE.fromArray(dtype, src), cols, ids, rows));
        Naive.assertClose(dtype + " scatterAddRows", scattered, actual, dtype == DType.F32 ? 1e-6 : 1e-15, 0);
    }

    @Test
    void scatterAddKnownValues() {
        Storage src = BE.fromArray(DType.F32, new double[] {1, 2, 3, 4, 5, 6});         // [3,2]
        assertArrayEquals(new double[] {0, 0, 4, 6, 5, 6}, BE.toDoubleArray(BE.scatterAddRows(src, 2, new int[] {1, 1, 2}, 3)));
        assertArrayEquals(new double[] {5, 6, 1, 2, 5, 6}, BE.toDoubleArray(BE.gatherRows(src, 3, 2, new int[] {2, 0, 2})));
    }

    private static void checkPermute(DType dtype, int[] dims, int[] perm, Random r) {
        double[] x = Naive.data(r, Naive.size(dims), dtype);
        double[] expected = Naive.permute(x, dims, perm);
        Storage got = BE.permute(BE.fromArray(dtype, x), Shape.of(dims), perm);
        Naive.assertExact(dtype + " permute " + Shape.of(dims) + " by " + java.util.Arrays.toString(perm), expected, BE.toDoubleArray(got));
    }

    static int[] randomPermutation(Random r, int n) {
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < n; i++) p.add(i);
        Collections.shuffle(p, r);
        return p.stream().mapToInt(Integer::intValue).toArray();
    }
}
