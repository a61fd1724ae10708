package dev.recurrent.core.io;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A test-only backend over plain arrays that supports just what safetensors I/O needs: {@code full},
 * {@code fromArray}, {@code toDoubleArray}, {@code toFloatArray}. Every other kernel throws
 * {@link UnsupportedOperationException}.
 *
 * <p>It is a dynamic proxy rather than a class implementing {@link Backend} so that these tests keep
 * compiling while the kernel contract grows.
 */
final class ArrayBackend implements InvocationHandler {
    static final Backend INSTANCE = (Backend) Proxy.newProxyInstance(
            ArrayBackend.class.getClassLoader(), new Class<?>[] {Backend.class}, new ArrayBackend());

    private ArrayBackend() { }

    /** F32 storages hold a float[], F64 ones a double[]; a poisoned storage fails when read. */
    static final class ArrayStorage implements Storage {
        final DType dtype;
        final float[] f;
        final double[] d;
        final boolean poisoned;

        ArrayStorage(DType dtype, float[] f, double[] d, boolean poisoned) {
            this.dtype = dtype;
            this.f = f;
            this.d = d;
            this.poisoned = poisoned;
        }

        @Override public DType dtype() { return dtype; }
        @Override public int size() { return dtype == DType.F32 ? f.length : d.length; }
        @Override public Backend backend() { return INSTANCE; }
    }

    static Tensor f64(Shape shape, double... values) { return Tensor.of(INSTANCE, DType.F64, shape, values); }

    static Tensor f32(Shape shape, float... values) { return Tensor.of(INSTANCE, DType.F32, shape, values); }

    /** A tensor of {@code shape} whose values cannot be read: toDoubleArray/toFloatArray throw. */
    static Tensor poisoned(DType dtype, Shape shape) {
        int n = shape.size();
        ArrayStorage s = dtype == DType.F32
                ? new ArrayStorage(dtype, new float[n], null, true)
                : new ArrayStorage(dtype, null, new double[n], true);
        return Tensor.wrap(s, shape);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "name": return "array";
            case "describe": return "array (test backend for safetensors I/O)";
            case "toString": return "ArrayBackend";
            case "hashCode": return System.identityHashCode(proxy);
            case "equals": return proxy == args[0];
            case "full": return full((DType) args[0], (Integer) args[1], (Double) args[2]);
            case "fromArray": return fromArray((DType) args[0], args[1]);
            case "toDoubleArray": return toDoubleArray((ArrayStorage) args[0]);
            case "toFloatArray": return toFloatArray((ArrayStorage) args[0]);
            default: throw new UnsupportedOperationException("ArrayBackend (test-only) does not implement " + method.getName());
        }
    }

    private static Storage full(DType dtype, int size, double value) {
        double[] d = new double[size];
        java.util.Arrays.fill(d, value);
        return fromArray(dtype, d);
    }

    private static Storage fromArray(DType dtype, Object data) {
        if (data instanceof double[] src) {
            if (dtype == DType.F64) return new ArrayStorage(dtype, null, src.clone(), false);
            float[] f = new float[src.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) src[i];
            return new ArrayStorage(dtype, f, null, false);
        }
        float[] src = (float[]) data;
        if (dtype == DType.F32) return new ArrayStorage(dtype, src.clone(), null, false);
        double[] d = new double[src.length];
        for (int i = 0; i < d.length; i++) d[i] = src[i];
        return new ArrayStorage(dtype, null, d, false);
    }

    private static double[] toDoubleArray(ArrayStorage s) {
        checkReadable(s);
        if (s.d != null) return s.d.clone();
        double[] d = new double[s.f.length];
        for (int i = 0; i < d.length; i++) d[i] = s.f[i];
        return d;
    }

    private static float[] toFloatArray(ArrayStorage s) {
        checkReadable(s);
        if (s.f != null) return s.f.clone();
        float[] f = new float[s.d.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) s.d[i];
        return f;
    }

    private static void checkReadable(ArrayStorage s) {
        if (s.poisoned) throw new IllegalStateException("poisoned storage: reading it fails on purpose");
    }
}
