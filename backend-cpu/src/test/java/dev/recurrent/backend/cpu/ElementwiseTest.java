package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Unary and scalar kernels against java.lang.Math in double, including values where naive code overflows. */
class ElementwiseTest {
    private static final CpuBackend BE = new CpuBackend(1);

    private static final double[] SPECIAL = {0, -0.0, 1, -1, 0.5, -0.5, 20, -20, 88, -88, 100, -100, 700, -700, 746, -746,
        1000, -1000, 1e-30, -1e-30, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    static double unaryRef(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));         // in double this form reaches 0 for x → -inf, never NaN
            case RELU -> x > 0 ? x : Double.isNaN(x) ? x : 0;
            case STEP -> x > 0 ? 1 : 0;
        };
    }

    static double scalarRef(ScalarOp op, double x, double s) {
        return switch (op) {
            case ADD -> x + s;
            case MUL -> x * s;
            case POW -> Math.pow(x, s);
            case MAX -> Math.max(x, s);
            case MIN -> Math.min(x, s);
            case RSUB -> s - x;
            case RDIV -> s / x;
            case GT -> x > s ? 1 : 0;
            case GE -> x >= s ? 1 : 0;
            case LT -> x < s ? 1 : 0;
            case LE -> x <= s ? 1 : 0;
        };
    }

    @Property(tries = 60, seed = "31337")
    void unaryMatchesMath(@ForAll UnaryOp op, @ForAll DType dtype, @ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        double[] x = Naive.data(new Random(seed), n, DType.F64);
        for (int i = 0; i < x.length; i++) x[i] *= 10;                       // reach the saturated regions too
        checkUnary(op, dtype, Naive.representable(x, dtype));
    }

    @Test
    void unaryOnSpecialValues() {
        for (DType dtype : DType.values()) {
            for (UnaryOp op : UnaryOp.values()) checkUnary(op, dtype, Naive.representable(SPECIAL, dtype));
        }
    }

    @Test
    void sigmoidAndTanhStayFiniteAndSaturate() {
        for (DType dtype : DType.values()) {
            double[] x = {-1e4, -1000, -100, 100, 1000, 1e4, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
            Storage s = BE.fromArray(dtype, x);
            double[] sig = BE.toDoubleArray(BE.unary(UnaryOp.SIGMOID, s));
            double[] tanh = BE.toDoubleArray(BE.unary(UnaryOp.TANH, s));
            assertArrayEquals(new double[] {0, 0, Math.exp(-100) / (1 + Math.exp(-100)), 1, 1, 1, 0, 1},
                    sig, dtype == DType.F32 ? 1e-45 : 1e-300, dtype + " sigmoid");
            assertArrayEquals(new double[] {-1, -1, -1, 1, 1, 1, -1, 1}, tanh, 0, dtype + " tanh");
        }
    }

    /** F32 tanh has its own formula (FloatKernels.tanh): sweep it, across both of its branch points, against Math.tanh. */
    @Test
    void f32TanhIsWithinAnUlpOfMathTanh() {
        double[] x = new double[40_000];
        for (int i = 0; i < x.length / 2; i++) {
            double v = Math.pow(2, -30 + 36.0 * i / (x.length / 2));     // 2^-30 .. 2^6, geometric
            x[2 * i] = v;
            x[2 * i + 1] = -v;
        }
        double[] f = Naive.representable(x, DType.F32);
        f[0] = 0x1p-4;
        f[1] = Math.nextDown((float) 0x1p-4);
        f[2] = 20;
        f[3] = Math.nextUp(20f);
        checkUnary(UnaryOp.TANH, DType.F32, f);
    }

    @Property(tries = 60, seed = "4242")
    void scalarMatchesReference(@ForAll ScalarOp op, @ForAll DType dtype, @ForAll @IntRange(min = 1, max = 200) int n,
                                @ForAll long seed) {
        Random r = new Random(seed);
        double[] x = Naive.data(r, n, dtype);
        double[] choices = {0, 1, -1, 0.5, 2, 3, -2.5, r.nextDouble() * 6 - 3, 1.0 / 3};
        double s = choices[r.nextInt(choices.length)];
        if (op == ScalarOp.POW) {
            for (int i = 0; i < x.length; i++) x[i] = Math.abs(x[i]);             // real powers of negatives are NaN either way
        }
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) expected[i] = round(scalarRef(op, x[i], s), dtype);
        double[] actual = BE.toDoubleArray(BE.scalar(op, BE.fromArray(dtype, x), s));
        Naive.assertClose(dtype + " " + op + " s=" + s, expected, actual, 0, dtype == DType.F32 ? 0 : 1e-15);
    }

    private static void checkUnary(UnaryOp op, DType dtype, double[] x) {
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) expected[i] = round(unaryRef(op, x[i]), dtype);
        double[] actual = BE.toDoubleArray(BE.unary(op, BE.fromArray(dtype, x)));
        // exp, log and tanh may differ by an ulp between interpreted and compiled code (so one float ulp after
        // rounding); sigmoid's stable form differs from the reference formula by a few double ulps
        double rtol = switch (op) {
            case EXP, LOG, TANH -> dtype == DType.F32 ? 1.2e-7 : 4.5e-16;
            case SIGMOID -> dtype == DType.F32 ? 1.2e-7 : 2e-15;
            default -> 0;
        };
        Naive.assertClose(dtype + " " + op, expected, actual, 0, rtol);
        for (int i = 0; i < x.length; i++) {
            if (op == UnaryOp.SIGMOID && !Double.isNaN(x[i]) && Double.isNaN(actual[i])) {
                throw new AssertionError(dtype + " sigmoid(" + x[i] + ") is NaN");
            }
        }
    }

    /** The F32 result: the double result rounded once. */
    static double round(double v, DType dtype) { return dtype == DType.F32 ? (float) v : v; }
}
