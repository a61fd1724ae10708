package dev.recurrent.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * Plain reference implementations of every op over {@link RefArray}s: double precision, explicit index
 * arithmetic, no backend and nothing from the code under test. Slow and obviously correct on purpose.
 */
public final class Reference {
    private Reference() { }

    // ---- shapes and indices -----------------------------------------------------------------------

    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Multi-index of flat index {@code flat} in row-major {@code shape}. */
    public static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    /** Flat index of multi-index {@code idx} in row-major {@code shape}. */
    public static int ravel(int[] idx, int[] shape) {
        int flat = 0;
        for (int i = 0; i < shape.length; i++) flat = flat * shape[i] + idx[i];
        return flat;
    }

    /** NumPy broadcasting of several shapes; throws when they do not fit. */
    public static int[] broadcast(int[]... shapes) {
        int r = 0;
        for (int[] s : shapes) r = Math.max(r, s.length);
        int[] out = new int[r];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = r - s.length + i;
                if (s[i] == out[o] || s[i] == 1) continue;
                if (out[o] != 1) throw new IllegalArgumentException("reference: cannot broadcast " + Arrays.deepToString(shapes));
                out[o] = s[i];
            }
        }
        return out;
    }

    /** Flat index, in an array of shape {@code s}, of the element broadcast to output multi-index {@code idx}. */
    static int sourceIndex(int[] idx, int[] s) {
        int lead = idx.length - s.length, flat = 0;
        for (int i = 0; i < s.length; i++) flat = flat * s[i] + (s[i] == 1 ? 0 : idx[lead + i]);
        return flat;
    }

    // ---- elementwise and broadcasting -------------------------------------------------------------

    public static RefArray broadcastTo(RefArray x, int[] target) {
        double[] out = new double[size(target)];
        for (int f = 0; f < out.length; f++) out[f] = x.values()[sourceIndex(unravel(f, target), x.shape())];
        return new RefArray(target, out);
    }

    public static RefArray zip(RefArray a, RefArray b, DoubleBinaryOperator op) {
        int[] out = broadcast(a.shape(), b.shape());
        double[] v = new double[size(out)];
        for (int f = 0; f < v.length; f++) {
            int[] idx = unravel(f, out);
            v[f] = op.applyAsDouble(a.values()[sourceIndex(idx, a.shape())], b.values()[sourceIndex(idx, b.shape())]);
        }
        return new RefArray(out, v);
    }

    /** cond != 0 ? a : b, broadcast. */
    public static RefArray where(RefArray cond, RefArray a, RefArray b) {
        int[] out = broadcast(cond.shape(), a.shape(), b.shape());
        double[] v = new double[size(out)];
        for (int f = 0; f < v.length; f++) {
            int[] idx = unravel(f, out);
            v[f] = cond.values()[sourceIndex(idx, cond.shape())] != 0
                    ? a.values()[sourceIndex(idx, a.shape())] : b.values()[sourceIndex(idx, b.shape())];
        }
        return new RefArray(out, v);
    }

    /** Sums {@code x} down to {@code target}, which broadcasts to x's shape (the inverse of broadcastTo). */
    public static RefArray sumTo(RefArray x, int[] target) {
        double[] out = new double[size(target)];
        int[] s = x.shape();
        for (int f = 0; f < x.size(); f++) out[sourceIndex(unravel(f, s), target)] += x.values()[f];
        return new RefArray(target, out);
    }

    // ---- matrix products --------------------------------------------------------------------------

    /**
     * op(a)·op(b) where op transposes the last two axes when its flag is set; each operand is 2-D or 3-D,
     * a 2-D operand or a batch of 1 is shared by every product.
     */
    public static RefArray matmul(RefArray a, boolean ta, RefArray b, boolean tb) {
        int[] as = a.shape(), bs = b.shape();
        int ar = as.length, br = bs.length;
        int m = ta ? as[ar - 1] : as[ar - 2], k = ta ? as[ar - 2] : as[ar - 1];
        int n = tb ? bs[br - 2] : bs[br - 1], k2 = tb ? bs[br - 1] : bs[br - 2];
        if (k != k2) throw new IllegalArgumentException("reference matmul: inner " + k + " vs " + k2);
        int ba = ar == 3 ? as[0] : 1, bb = br == 3 ? bs[0] : 1, batch = Math.max(ba, bb);
        double[] out = new double[batch * m * n];
        for (int q = 0; q < batch; q++) {
            int aOff = (ba == 1 ? 0 : q) * m * k, bOff = (bb == 1 ? 0 : q) * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double x = a.values()[aOff + (ta ? p * m + i : i * k + p)];
                        double y = b.values()[bOff + (tb ? j * k + p : p * n + j)];
                        s += x * y;
                    }
                    out[(q * m + i) * n + j] = s;
                }
            }
        }
        int[] shape = ar == 2 && br == 2 ? new int[] {m, n} : new int[] {batch, m, n};
        return new RefArray(shape, out);
    }

    // ---- layout -----------------------------------------------------------------------------------

    /** Output axis i is input axis perm[i]. */
    public static RefArray permute(RefArray x, int[] perm) {
        int[] s = x.shape(), out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = s[perm[i]];
        double[] v = new double[x.size()];
        int[] src = new int[s.length];
        for (int f = 0; f < v.length; f++) {
            int[] idx = unravel(f, out);
            for (int i = 0; i < perm.length; i++) src[perm[i]] = idx[i];
            v[f] = x.values()[ravel(src, s)];
        }
        return new RefArray(out, v);
    }

    public static RefArray slice(RefArray x, int axis, int start, int end) {
        int[] s = x.shape(), out = s.clone();
        out[axis] = end - start;
        double[] v = new double[size(out)];
        for (int f = 0; f < v.length; f++) {
            int[] idx = unravel(f, out);
            idx[axis] += start;
            v[f] = x.values()[ravel(idx, s)];
        }
        return new RefArray(out, v);
    }

    public static RefArray concat(int axis, List<RefArray> parts) {
        int[] out = parts.get(0).shape();
        int total = 0;
        for (RefArray p : parts) total += p.shape()[axis];
        out[axis] = total;
        double[] v = new double[size(out)];
        for (int f = 0; f < v.length; f++) {
            int[] idx = unravel(f, out);
            int part = 0;
            while (idx[axis] >= parts.get(part).shape()[axis]) idx[axis] -= parts.get(part++).shape()[axis];
            v[f] = parts.get(part).values()[ravel(idx, parts.get(part).shape())];
        }
        return new RefArray(out, v);
    }

    /** Stacks equal shapes along a new axis {@code axis} (0..rank). */
    public static RefArray stack(int axis, List<RefArray> parts) {
        List<RefArray> r = new ArrayList<>();
        for (RefArray p : parts) {
            int[] s = p.shape(), one = new int[s.length + 1];
            for (int i = 0, j = 0; i < one.length; i++) one[i] = i == axis ? 1 : s[j++];
            r.add(p.reshape(one));
        }
        return concat(axis, r);
    }

    /** Row ids[i] of the 2-D {@code table}. */
    public static RefArray gatherRows(RefArray table, int[] ids) {
        int cols = table.shape()[1];
        double[] v = new double[ids.length * cols];
        for (int i = 0; i < ids.length; i++) System.arraycopy(table.values(), ids[i] * cols, v, i * cols, cols);
        return new RefArray(new int[] {ids.length, cols}, v);
    }

    // ---- reductions -------------------------------------------------------------------------------

    /** Sum over {@code axes} (non-negative, distinct; empty means all), keeping them as 1s or dropping them. */
    public static RefArray sum(RefArray x, int[] axes, boolean keepDims) {
        int[] s = x.shape();
        boolean[] reduced = new boolean[s.length];
        if (axes.length == 0) Arrays.fill(reduced, true);
        for (int a : axes) reduced[a] = true;
        int[] kept = s.clone();
        for (int i = 0; i < s.length; i++) if (reduced[i]) kept[i] = 1;
        double[] v = new double[size(kept)];
        int[] idx = new int[s.length], target = new int[s.length];
        for (int f = 0; f < x.size(); f++) {                 // idx runs over x's multi-indices in row-major order
            for (int i = 0; i < s.length; i++) target[i] = reduced[i] ? 0 : idx[i];
            v[ravel(target, kept)] += x.values()[f];
            for (int d = s.length - 1; d >= 0 && ++idx[d] == s[d]; d--) idx[d] = 0;
        }
        return new RefArray(keepDims ? kept : dropped(s, reduced), v);
    }

    public static RefArray mean(RefArray x, int[] axes, boolean keepDims) {
        RefArray sum = sum(x, axes, keepDims);
        int n = Math.max(1, x.size() / Math.max(1, sum.size()));
        return sum.map(v -> v / n);
    }

    // Single-axis reductions view x as [outer, n, inner]: element (o, i, j) is at (o * n + i) * inner + j.

    public static RefArray max(RefArray x, int axis, boolean keepDims) {
        int[] s = x.shape(), kept = s.clone();
        kept[axis] = 1;
        int outer = size(java.util.Arrays.copyOfRange(s, 0, axis)), n = s[axis], inner = size(java.util.Arrays.copyOfRange(s, axis + 1, s.length));
        double[] v = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) m = Math.max(m, x.values()[(o * n + i) * inner + j]);
                v[o * inner + j] = m;
            }
        }
        boolean[] reduced = new boolean[s.length];
        reduced[axis] = true;
        return new RefArray(keepDims ? kept : dropped(s, reduced), v);
    }

    private static int[] dropped(int[] s, boolean[] reduced) {
        int n = 0;
        for (boolean r : reduced) if (!r) n++;
        int[] out = new int[n];
        for (int i = 0, j = 0; i < s.length; i++) if (!reduced[i]) out[j++] = s[i];
        return out;
    }

    public static RefArray softmax(RefArray x, int axis) { return softmax(x, axis, false); }

    public static RefArray logSoftmax(RefArray x, int axis) { return softmax(x, axis, true); }

    /** exp(x - max) / sum(exp(x - max)) along the axis, or its log, (x - max) - log(sum(exp(x - max))). */
    private static RefArray softmax(RefArray x, int axis, boolean log) {
        int[] s = x.shape();
        int outer = size(java.util.Arrays.copyOfRange(s, 0, axis)), n = s[axis], inner = size(java.util.Arrays.copyOfRange(s, axis + 1, s.length));
        double[] in = x.values(), v = new double[in.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                double m = Double.NEGATIVE_INFINITY, sum = 0;
                for (int i = 0; i < n; i++) m = Math.max(m, in[(o * n + i) * inner + j]);
                for (int i = 0; i < n; i++) sum += Math.exp(in[(o * n + i) * inner + j] - m);
                for (int i = 0; i < n; i++) {
                    int at = (o * n + i) * inner + j;
                    v[at] = log ? (in[at] - m) - Math.log(sum) : Math.exp(in[at] - m) / sum;
                }
            }
        }
        return new RefArray(s, v);
    }

    /** Mean over rows with target >= 0 of -log softmax(logits[i])[targets[i]]; 0 when every row is ignored. */
    public static double crossEntropy(RefArray logits, int[] targets) {
        RefArray ls = logSoftmax(logits, 1);
        int c = logits.shape()[1], valid = 0;
        double total = 0;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0) continue;
            total -= ls.values()[i * c + targets[i]];
            valid++;
        }
        return valid == 0 ? 0 : total / valid;
    }

    public static double mse(RefArray a, RefArray b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            double d = a.values()[i] - b.values()[i];
            s += d * d;
        }
        return s / Math.max(1, a.size());
    }

    public static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }
}
