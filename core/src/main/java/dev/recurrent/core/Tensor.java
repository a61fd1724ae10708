package dev.recurrent.core;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;
import dev.recurrent.core.ops.*;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * An immutable n-dimensional array with a dtype, living on one backend, that records the ops applied to
 * it when it (or an input of it) requires gradients. Ops return new tensors; the only in-place operation
 * is {@link #assign}, for optimizer updates in no-grad mode.
 */
public final class Tensor {
    private final Storage data;
    private final Shape shape;
    Node node;                  // null when no gradient flows through this tensor
    Tensor grad;
    boolean ownsGrad;           // grad's storage belongs to this leaf (untracked by any MemoryScope)

    Tensor(Storage data, Shape shape) {
        if (data.size() != shape.size()) {
            throw new IllegalStateException("storage of " + data.size() + " elements for shape " + shape);
        }
        this.data = data;
        this.shape = shape;
    }

    // ---- creation ---------------------------------------------------------------------------------

    /** Wraps a storage the caller just allocated (tracked by the current {@link MemoryScope}). */
    public static Tensor wrap(Storage data, Shape shape) {
        MemoryScope.track(data);
        return new Tensor(data, shape);
    }

    public static Tensor of(Backend backend, DType dtype, Shape shape, double[] values) {
        checkCount(shape, values.length);
        return wrap(backend.fromArray(dtype, values), shape);
    }

    public static Tensor of(Backend backend, DType dtype, Shape shape, float[] values) {
        checkCount(shape, values.length);
        return wrap(backend.fromArray(dtype, values), shape);
    }

    /** F64 tensor on the current backend ({@link Backends#current()}). */
    public static Tensor of(double[] values, int... dims) { return of(Backends.current(), DType.F64, Shape.of(dims), values); }

    /** F32 tensor on the current backend. */
    public static Tensor of(float[] values, int... dims) { return of(Backends.current(), DType.F32, Shape.of(dims), values); }

    /** A 2-D F64 tensor from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return of(flat, rows.length, cols);
    }

    public static Tensor scalar(double value) { return scalar(Backends.current(), DType.F64, value); }

    public static Tensor scalar(Backend backend, DType dtype, double value) { return full(backend, dtype, Shape.scalar(), value); }

    public static Tensor full(Backend backend, DType dtype, Shape shape, double value) { return wrap(backend.full(dtype, shape.size(), value), shape); }

    public static Tensor zeros(Backend backend, DType dtype, Shape shape) { return full(backend, dtype, shape, 0.0); }

    public static Tensor zeros(DType dtype, int... dims) { return zeros(Backends.current(), dtype, Shape.of(dims)); }

    public static Tensor ones(DType dtype, int... dims) { return full(Backends.current(), dtype, Shape.of(dims), 1.0); }

    /** Standard normal values from {@code random}. */
    public static Tensor randn(Backend backend, DType dtype, Shape shape, Random random) {
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) v[i] = random.nextGaussian();
        return of(backend, dtype, shape, v);
    }

    /** Uniform values in [lo, hi) from {@code random}. */
    public static Tensor uniform(Backend backend, DType dtype, Shape shape, double lo, double hi, Random random) {
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * random.nextDouble();
        return of(backend, dtype, shape, v);
    }

    private static void checkCount(Shape shape, int n) {
        if (n != shape.size()) throw new ShapeException("of: shape " + shape + " needs " + shape.size() + " values; got " + n);
    }

    // ---- state ------------------------------------------------------------------------------------

    public Shape shape() { return shape; }

    public DType dtype() { return data.dtype(); }

    public Backend backend() { return data.backend(); }

    public int size() { return shape.size(); }

    public int rank() { return shape.rank(); }

    public int dim(int i) { return shape.dim(i); }

    /** The backing storage (for backend and op authors). */
    public Storage storage() { return data; }

    public double[] toDoubleArray() { return backend().toDoubleArray(data); }

    public float[] toFloatArray() { return backend().toFloatArray(data); }

    /** The value of a single-element tensor. */
    public double item() {
        if (size() != 1) throw new IllegalArgumentException("item: needs a single-element tensor; got shape " + shape);
        return toDoubleArray()[0];
    }

    /** The element at a full index. */
    public double get(int... index) {
        if (index.length != rank()) throw new IllegalArgumentException("get: shape " + shape + " needs " + rank() + " indices; got " + index.length);
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " is outside " + shape);
            flat = flat * shape.dim(i) + index[i];
        }
        return toDoubleArray()[flat];
    }

    // ---- autograd ---------------------------------------------------------------------------------

    public boolean requiresGrad() { return node != null; }

    /** Marks a leaf as needing gradients (or not). Only a leaf (not an op result) can be marked. */
    public Tensor requiresGrad(boolean on) {
        if (node != null && !node.isLeaf()) {
            throw new IllegalStateException("requiresGrad: only a leaf tensor can be marked; this one is the result of '"
                    + node.op.name() + "' (use detach() first)");
        }
        node = on ? (node != null ? node : Node.leaf(this)) : null;
        return this;
    }

    /** The accumulated gradient of a leaf, or null before any backward reached it. */
    public Tensor grad() { return grad; }

    /**
     * Forgets the gradient. A gradient that backward accumulated into storage of the leaf's own is released
     * now (off-heap memory comes back at once), so a tensor obtained from {@link #grad()} before must not be
     * used after: copy it first if it is needed.
     */
    public void zeroGrad() {
        synchronized (this) {
            if (grad != null && ownsGrad) grad.storage().release();
            grad = null;
            ownsGrad = false;
        }
    }

    /** A copy of {@code t}'s values in new storage that no MemoryScope tracks (a leaf's own gradient). */
    static Tensor ownedCopy(Tensor t) { return new Tensor(t.backend().cast(t.data, t.dtype()), t.shape); }

    /** The same values, cut from the graph. Shares storage. */
    public Tensor detach() { return new Tensor(data, shape); }

    /** Backpropagates from a single-element tensor, freeing the graph. */
    public void backward() { Autograd.backward(this, null, false, false); }

    /** Backpropagates {@code upstream} (of this tensor's shape), freeing the graph. */
    public void backward(Tensor upstream) { Autograd.backward(this, upstream, false, false); }

    public void backward(Tensor upstream, boolean retainGraph, boolean createGraph) { Autograd.backward(this, upstream, retainGraph, createGraph); }

    /** Overwrites this tensor's values with {@code src}'s, in place, outside any graph (optimizer updates). */
    public void assign(Tensor src) {
        ShapeException.require(src.shape.equals(shape), "assign", "shapes must match", shape, src.shape);
        Ops.sameKind("assign", this, src);
        if (GradMode.isEnabled() && node != null) {
            throw new IllegalStateException("assign: in-place update of a tensor that requires grad; do it inside GradMode.off()");
        }
        backend().copyInto(data, src.data);
    }

    // ---- applying ops -----------------------------------------------------------------------------

    /** Runs {@code op} on {@code inputs}, recording a graph node when grad mode is on and an input requires grad. */
    public static Tensor apply(Op op, Tensor... inputs) {
        Shape[] shapes = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) shapes[i] = inputs[i].shape;
        Ops.sameKind(op.name(), inputs);
        Shape out = op.shape(shapes);
        Backend be = inputs[0].backend();
        OpProfile profile = OpProfile.current();
        long started = profile == null ? 0 : System.nanoTime();
        Storage s = op.forward(be, out, inputs);
        if (profile != null) profile.forward(op.name(), System.nanoTime() - started);
        if (s.size() != out.size()) {
            throw new IllegalStateException(op.name() + ": forward returned " + s.size() + " elements for shape " + out);
        }
        boolean fresh = true;
        for (Tensor in : inputs) fresh &= in.data != s;
        Tensor t = fresh ? wrap(s, out) : new Tensor(s, out);
        if (GradMode.isEnabled()) {
            Node[] parents = null;
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].node != null) {
                    if (parents == null) parents = new Node[inputs.length];
                    parents[i] = inputs[i].node;
                }
            }
            if (parents != null) {
                Node n = Node.of(op, inputs.clone(), parents);
                n.output = t;
                t.node = n;
            }
        }
        return t;
    }

    // ---- elementwise ------------------------------------------------------------------------------

    public Tensor add(Tensor b) { return apply(new Add(), this, b); }
    public Tensor sub(Tensor b) { return apply(new Sub(), this, b); }
    public Tensor mul(Tensor b) { return apply(new Mul(), this, b); }
    public Tensor div(Tensor b) { return apply(new Div(), this, b); }
    public Tensor add(double s) { return apply(new ScalarAffine(1, s), this); }
    public Tensor sub(double s) { return apply(new ScalarAffine(1, -s), this); }
    public Tensor mul(double s) { return apply(new ScalarAffine(s, 0), this); }
    public Tensor div(double s) { return apply(new ScalarAffine(1 / s, 0), this); }
    /** {@code s - this}. */
    public Tensor rsub(double s) { return apply(new ScalarAffine(-1, s), this); }
    public Tensor neg() { return apply(new ScalarAffine(-1, 0), this); }
    public Tensor exp() { return apply(new Exp(), this); }
    public Tensor log() { return apply(new Log(), this); }
    public Tensor sqrt() { return apply(new Sqrt(), this); }
    public Tensor pow(double p) { return apply(new Pow(p), this); }
    public Tensor abs() { return apply(new Abs(), this); }
    public Tensor tanh() { return apply(new Tanh(), this); }
    public Tensor sigmoid() { return apply(new Sigmoid(), this); }
    public Tensor relu() { return apply(new Relu(), this); }
    public Tensor clamp(double lo, double hi) { return apply(new Clamp(lo, hi), this); }

    /** {@code cond != 0 ? a : b}, broadcast; {@code cond} (a 0/1 mask) gets no gradient. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return apply(new Where(), cond, a, b); }

    // comparisons give 0/1 masks of this dtype, outside the graph
    public Tensor gt(Tensor b) { return Compare.of(BinaryOp.GT, this, b); }
    public Tensor ge(Tensor b) { return Compare.of(BinaryOp.GE, this, b); }
    public Tensor lt(Tensor b) { return Compare.of(BinaryOp.LT, this, b); }
    public Tensor le(Tensor b) { return Compare.of(BinaryOp.LE, this, b); }
    public Tensor eq(Tensor b) { return Compare.of(BinaryOp.EQ, this, b); }
    public Tensor gt(double s) { return Compare.of(ScalarOp.GT, this, s); }
    public Tensor lt(double s) { return Compare.of(ScalarOp.LT, this, s); }

    /** Applies a backend unary kernel outside the graph (no gradient): sign, step, ... */
    public Tensor map(UnaryOp f) { return wrap(backend().unary(f, data), shape); }

    // ---- shape ------------------------------------------------------------------------------------

    /** Same values in a new shape; one dimension may be -1. Shares storage. */
    public Tensor reshape(int... dims) { return apply(new Reshape(Reshape.resolve(shape, dims)), this); }

    /** Swaps the last two axes. */
    public Tensor transpose() {
        if (rank() < 2) throw new ShapeException("transpose: needs rank >= 2; got " + shape);
        return transpose(-2, -1);
    }

    public Tensor transpose(int a, int b) {
        int[] perm = new int[rank()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        int x = shape.axis("transpose", a), y = shape.axis("transpose", b);
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    public Tensor permute(int... perm) { return apply(new Permute(perm), this); }

    /** Broadcasts to {@code target} (NumPy rules). */
    public Tensor expand(Shape target) { return shape.equals(target) ? this : apply(new Expand(target), this); }

    /** Sums broadcast axes away so the result has {@code target}'s shape: the one place broadcasting is undone. */
    public Tensor sumTo(Shape target) { return Expand.sumTo(this, target); }

    public Tensor slice(int axis, int start, int end) { return apply(new Slice(shape.axis("slice", axis), start, end), this); }

    /** Splits into {@code n} nearly equal parts along {@code axis} (the last part may be smaller). */
    public Tensor[] chunk(int n, int axis) {
        int a = shape.axis("chunk", axis), d = shape.dim(a);
        if (n <= 0) throw new IllegalArgumentException("chunk: the number of chunks must be positive; got " + n);
        int step = (d + n - 1) / n;
        int parts = step == 0 ? 0 : (d + step - 1) / step;
        Tensor[] out = new Tensor[parts];
        for (int i = 0; i < parts; i++) out[i] = slice(a, i * step, Math.min(d, (i + 1) * step));
        return out;
    }

    /** The slices along {@code axis}, with that axis removed. */
    public Tensor[] unbind(int axis) {
        int a = shape.axis("unbind", axis);
        Tensor[] out = new Tensor[shape.dim(a)];
        Shape each = shape.without(a);
        for (int i = 0; i < out.length; i++) out[i] = slice(a, i, i + 1).reshape(each.dims());
        return out;
    }

    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: needs at least one tensor");
        return apply(new Concat(parts[0].shape.axis("concat", axis)), parts);
    }

    public static Tensor concat(int axis, List<Tensor> parts) { return concat(axis, parts.toArray(new Tensor[0])); }

    /** Stacks equal shapes along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("stack: needs at least one tensor");
        Shape s = parts[0].shape;
        int at = axis < 0 ? axis + s.rank() + 1 : axis;
        if (at < 0 || at > s.rank()) throw new ShapeException("stack: axis " + axis + " is out of range for stacking shape " + s + " (rank " + s.rank() + ")");
        axis = at;
        Shape one = s.insert(axis, 1);
        Tensor[] r = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ShapeException.require(parts[i].shape.equals(s), "stack", "every tensor must have the same shape (tensor " + i + " differs)", s, parts[i].shape);
            r[i] = parts[i].reshape(one.dims());
        }
        return concat(axis, r);
    }

    public static Tensor stack(int axis, List<Tensor> parts) { return stack(axis, parts.toArray(new Tensor[0])); }

    // ---- reductions -------------------------------------------------------------------------------

    public Tensor sum() { return apply(new Sum(allAxes(), false), this); }
    public Tensor sum(boolean keepDims, int... axes) { return apply(new Sum(axes, keepDims), this); }
    public Tensor sum(int axis) { return sum(false, axis); }
    public Tensor mean() { return sum().div(Math.max(1, size())); }
    public Tensor mean(boolean keepDims, int... axes) {
        int n = 1;
        for (int a : Sum.normalise("mean", shape, axes)) n *= shape.dim(a);
        return sum(keepDims, axes).div(Math.max(1, n));
    }
    public Tensor mean(int axis) { return mean(false, axis); }
    /** Maximum along {@code axis}; ties share the gradient equally. */
    public Tensor max(int axis, boolean keepDims) { return apply(new Max(shape.axis("max", axis), keepDims), this); }
    public Tensor max(int axis) { return max(axis, false); }

    private int[] allAxes() {
        int[] a = new int[rank()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    // ---- linear algebra, rows, losses ---------------------------------------------------------------

    /** Matrix product: 2-D by 2-D, or batched 3-D (a batch of 1 or a 2-D operand broadcasts). */
    public Tensor matmul(Tensor b) { return apply(new MatMul(false, false), this, b); }

    /** {@code op(a)·op(b)} with transposes passed to the kernel as flags, never copied. */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) { return apply(new MatMul(transA, transB), a, b); }

    /** {@code x·wᵀ + b} for x {@code [m, k]}, w {@code [n, k]}, b {@code [n]} (PyTorch's {@code F.linear}): {@code [m, n]}. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) { return apply(new Linear(), x, w, b); }

    /** Rows {@code ids} of this {@code [rows, cols]} table: {@code [ids.length, cols]} (an embedding lookup). */
    public Tensor gatherRows(int[] ids) { return apply(new GatherRows(ids), this); }

    public Tensor softmax(int axis) { return apply(new Softmax(shape.axis("softmax", axis)), this); }

    public Tensor logSoftmax(int axis) { return apply(new LogSoftmax(shape.axis("logSoftmax", axis)), this); }

    /**
     * Mean cross-entropy of logits {@code [N, C]} against class ids {@code targets[N]}; targets below 0 are
     * ignored (padding) and excluded from the mean.
     */
    public Tensor crossEntropy(int[] targets) { return Losses.crossEntropy(this, targets); }

    /** Mean squared error against {@code target} (same shape). */
    public Tensor mse(Tensor target) { return Losses.mse(this, target); }

    /** Inverted dropout: zeroes each element with probability {@code p} and scales the rest by 1/(1-p). */
    public Tensor dropout(double p, Random random) { return Dropout.apply(this, p, random); }

    // ---- conversion -------------------------------------------------------------------------------

    /** This tensor converted to {@code to} (differentiable). */
    public Tensor to(DType to) { return to == dtype() ? this : apply(new Cast(to), this); }

    /** A copy on {@code target} (differentiable). */
    public Tensor to(Backend target) { return target == backend() ? this : apply(new ToBackend(target), this); }

    @Override
    public String toString() {
        double[] v = size() <= 8 ? toDoubleArray() : Arrays.copyOf(toDoubleArray(), 8);
        String values = Arrays.toString(v);
        if (size() > 8) values = values.substring(0, values.length() - 1) + ", ...]";
        return "Tensor" + shape + " " + dtype() + " on " + backend().name() + " " + values + (requiresGrad() ? " (requires grad)" : "");
    }
}
