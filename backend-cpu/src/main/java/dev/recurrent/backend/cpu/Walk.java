package dev.recurrent.backend.cpu;

import dev.recurrent.core.Shape;

/**
 * A row-major walk over a contiguous output, with each input read through its own per-dimension strides
 * (0 on a broadcast dimension, a permuted stride for a permute). Dimensions of size 1 are dropped and
 * adjacent dimensions are merged whenever every input steps through them as through one, so the walk is
 * {@link #rows()} rows of {@link #length()} elements, the innermost stride of input q being
 * {@link #step(int) step(q)} and its row start {@link #offset(int, int) offset(q, row)}.
 *
 * <p>Equal shapes and scalar operands become a single row; {@code [B,H] + [H]} becomes B rows of H.
 */
final class Walk {
    private final int[] dims;        // merged dimensions, outermost first; the last is the row
    private final int[][] strides;   // strides[q][d]
    private final int rows;

    private Walk(int[] dims, int[][] strides) {
        this.dims = dims;
        this.strides = strides;
        int r = 1;
        for (int d = 0; d < dims.length - 1; d++) r *= dims[d];
        this.rows = r;
    }

    /** Inputs of {@code shapes} broadcast (NumPy rules) to {@code out}. */
    static Walk broadcast(Shape out, Shape... shapes) {
        int rank = out.rank();
        int[] outDims = out.dims();
        int[][] strides = new int[shapes.length][];
        for (int q = 0; q < shapes.length; q++) strides[q] = broadcastStrides(shapes[q], rank, outDims);
        return of(outDims, strides);
    }

    /** Input of {@code shape} permuted so that output axis i is input axis {@code perm[i]}. */
    static Walk permute(Shape shape, int[] perm) {
        int rank = shape.rank();
        int[] in = contiguousStrides(shape.dims());
        int[] outDims = new int[rank];
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            outDims[i] = shape.dim(perm[i]);
            s[i] = in[perm[i]];
        }
        return of(outDims, new int[][] {s});
    }

    /** Element strides of a row-major array of {@code shape} read as an array of {@code outDims} (rank ≥ its rank). */
    static int[] broadcastStrides(Shape shape, int rank, int[] outDims) {
        int[] s = new int[rank];
        int lead = rank - shape.rank();
        int stride = 1;
        for (int d = rank - 1; d >= lead; d--) {
            int n = shape.dim(d - lead);
            s[d] = n == 1 && outDims[d] != 1 ? 0 : stride;
            stride *= n;
        }
        return s;
    }

    static int[] contiguousStrides(int[] dims) {
        int[] s = new int[dims.length];
        int stride = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= dims[d];
        }
        return s;
    }

    /** Drops size-1 dimensions and merges neighbours that every input walks as one. */
    static Walk of(int[] outDims, int[][] strides) {
        int q = strides.length;
        int[] dims = new int[Math.max(outDims.length, 1)];
        int[][] st = new int[q][dims.length];
        int r = 0;
        for (int d = 0; d < outDims.length; d++) {
            int n = outDims[d];
            if (n == 1) continue;
            if (r > 0 && mergeable(strides, st, d, r - 1, n)) {
                dims[r - 1] *= n;
                for (int k = 0; k < q; k++) st[k][r - 1] = strides[k][d];
                continue;
            }
            dims[r] = n;
            for (int k = 0; k < q; k++) st[k][r] = strides[k][d];
            r++;
        }
        if (r == 0) {                        // every dimension is 1 (or a scalar): one element
            dims[0] = 1;
            r = 1;
        }
        int[] finalDims = java.util.Arrays.copyOf(dims, r);
        int[][] finalStrides = new int[q][];
        for (int k = 0; k < q; k++) finalStrides[k] = java.util.Arrays.copyOf(st[k], r);
        return new Walk(finalDims, finalStrides);
    }

    // Outer dimension `prev` (already merged, stride st[k][prev]) can absorb dimension d of n elements when,
    // for every input, one step of the outer dimension equals n steps of the inner one.
    private static boolean mergeable(int[][] strides, int[][] st, int d, int prev, int n) {
        for (int k = 0; k < strides.length; k++) {
            if ((long) st[k][prev] != (long) strides[k][d] * n) return false;
        }
        return true;
    }

    /** Number of rows (the product of every merged dimension but the last). */
    int rows() { return rows; }

    /** Elements per row. */
    int length() { return dims[dims.length - 1]; }

    /** Stride of input {@code q} along a row. */
    int step(int q) { return strides[q][dims.length - 1]; }

    /** Merged rank. */
    int rank() { return dims.length; }

    /** Merged dimension {@code d}. */
    int dim(int d) { return dims[d]; }

    /** Stride of input {@code q} along merged dimension {@code d}. */
    int stride(int q, int d) { return strides[q][d]; }

    /** Element index in input {@code q} where row {@code row} starts. */
    int offset(int q, int row) {
        int[] s = strides[q];
        int off = 0;
        for (int d = dims.length - 2; d >= 0 && row > 0; d--) {
            int n = dims[d];
            off += (row % n) * s[d];
            row /= n;
        }
        return off;
    }
}
