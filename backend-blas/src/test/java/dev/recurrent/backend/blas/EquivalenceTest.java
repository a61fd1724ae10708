package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.Expressions;
import dev.recurrent.core.Generators;
import dev.recurrent.core.RefArray;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Cross-backend equivalence: random composed expressions (core's seeded expression trees over x [N, D],
 * y [N, D], b [1, D], W [D, D], matrix products included) evaluated on {@code java} and on {@code openblas}
 * agree in value and in the gradient of their sum with respect to every input, within F32/F64 tolerances.
 */
class EquivalenceTest {
    private static final Backend JAVA = Backends.get("java");
    private static final Backend BLAS = Backends.get("openblas");

    private record Result(double[] value, List<double[]> grads) { }

    private static Result run(Backend be, Expressions.Expr e, RefArray[] in, DType dtype) {
        List<Tensor> ts = new ArrayList<>();
        for (RefArray a : in) ts.add(a.tensor(be, dtype).requiresGrad(true));
        Tensor out = e.tensor().apply(ts);
        assertSame(be, out.backend());
        out.sum().backward();
        List<double[]> grads = new ArrayList<>();
        for (Tensor t : ts) grads.add(t.grad() == null ? new double[t.size()] : t.grad().toDoubleArray());
        return new Result(out.toDoubleArray(), grads);
    }

    private static void close(String what, double[] want, double[] got, DType dtype) {
        assertEquals(want.length, got.length, what);
        double rtol = dtype == DType.F64 ? 1e-10 : 2e-4, atol = dtype == DType.F64 ? 1e-11 : 1e-5;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]))) {
                fail(what + " " + dtype + ": element " + i + " is " + got[i] + " on openblas, " + want[i] + " on java");
            }
        }
    }

    @Property(tries = 40, seed = "31")
    void composedExpressionsAgreeInValueAndGradient(@ForAll long seed) {
        Random r = new Random(seed);
        Expressions.Expr e = Expressions.random(seed, 5);
        int n = 1 + r.nextInt(12), d = 1 + r.nextInt(24);
        RefArray[] in = {Generators.uniform(r, n, d), Generators.uniform(r, n, d), Generators.uniform(r, 1, d), Generators.uniform(r, d, d)};
        for (DType dtype : DType.values()) {
            Result want = run(JAVA, e, in, dtype), got = run(BLAS, e, in, dtype);
            String what = e + " on [" + n + ", " + d + "] (seed " + seed + ")";
            close(what + " value", want.value(), got.value(), dtype);
            for (int i = 0; i < in.length; i++) close(what + " gradient of input " + "xybW".charAt(i), want.grads().get(i), got.grads().get(i), dtype);
        }
    }

    @Property(tries = 20, seed = "32")
    void tensorsMoveBetweenTheBackendsUnchanged(@ForAll long seed) {
        Random r = new Random(seed);
        RefArray a = Generators.uniform(r, 1 + r.nextInt(5), 1 + r.nextInt(7));
        for (DType dtype : DType.values()) {
            Tensor onJava = a.tensor(JAVA, dtype);
            Tensor there = onJava.to(BLAS), back = there.to(JAVA);
            assertSame(BLAS, there.backend());
            assertEquals(dtype, there.dtype());
            assertArrayEquals(onJava.toDoubleArray(), there.toDoubleArray(), 0.0);
            assertArrayEquals(onJava.toDoubleArray(), back.toDoubleArray(), 0.0);
        }
    }
}
