package dev.recurrent.core;

import java.util.Arrays;

/** An immutable list of dimensions, row-major. A scalar has rank 0 and size 1. */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("shape: dimensions must be >= 0; got " + Arrays.toString(dims));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape: more than 2^31-1 elements: " + Arrays.toString(dims));
        }
        this.dims = dims;
        this.size = (int) n;
    }

    public static Shape of(int... dims) { return dims.length == 0 ? SCALAR : new Shape(dims.clone()); }

    public static Shape scalar() { return SCALAR; }

    public int rank() { return dims.length; }

    /** Dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) { return dims[axis(i)]; }

    /** Number of elements. */
    public int size() { return size; }

    public int[] dims() { return dims.clone(); }

    /** Normalises an axis that may be negative; throws a clear error when it is out of range. */
    public int axis(int axis) { return axis("shape", axis); }

    /** As {@link #axis(int)}, with the error naming {@code op}. */
    public int axis(String op, int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for shape " + this + " (rank " + dims.length + ")");
        }
        return a;
    }

    /** Product of the dimensions before {@code axis}. */
    public int outer(int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) n *= dims[i];
        return n;
    }

    /** Product of the dimensions after {@code axis}. */
    public int inner(int axis) {
        int n = 1;
        for (int i = axis + 1; i < dims.length; i++) n *= dims[i];
        return n;
    }

    /** A copy with dimension {@code axis} replaced. */
    public Shape with(int axis, int value) {
        int[] d = dims.clone();
        d[axis(axis)] = value;
        return new Shape(d);
    }

    /** A copy without dimension {@code axis}. */
    public Shape without(int axis) {
        int a = axis(axis);
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) if (i != a) d[j++] = dims[i];
        return new Shape(d);
    }

    /** A copy with a new dimension of {@code value} inserted at {@code axis} (0..rank). */
    public Shape insert(int axis, int value) {
        if (axis < 0 || axis > dims.length) throw new ShapeException("axis " + axis + " is out of range for inserting into " + this);
        int[] d = new int[dims.length + 1];
        for (int i = 0, j = 0; i < d.length; i++) d[i] = i == axis ? value : dims[j++];
        return new Shape(d);
    }

    /** NumPy broadcasting of two shapes, or a clear error naming the op. */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes cannot be broadcast together (dimension " + i
                        + " is " + da + " vs " + db + "); got a=" + a + ", b=" + b);
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    @Override public String toString() { return Arrays.toString(dims); }
}
