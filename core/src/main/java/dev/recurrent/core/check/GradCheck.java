package dev.recurrent.core.check;

import dev.recurrent.core.Autograd;
import dev.recurrent.core.DType;
import dev.recurrent.core.GradMode;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks the gradients of any function of tensors against central finite differences, in float64
 * whatever the training dtype. A public API, not only a test helper:
 * <pre>
 * GradCheck.of("my op", xs -&gt; myOp(xs.get(0), xs.get(1)).sum()).on(backend, a, b).assertPasses();
 * </pre>
 * A non-scalar output y is projected on a seeded random v (the checked scalar is ⟨y, v⟩). The cheap check
 * first compares ⟨∇, u⟩ with the finite difference along a seeded random direction u; when it fails (or
 * {@link #always(boolean)} is set) every element is checked, with the whole Jacobian when the output has at
 * most {@value #FULL_JACOBIAN_OUTPUTS} elements, so the report can name the input, the element, the output
 * element, the numeric and analytic values. It also checks that backward is repeatable (bitwise) and linear
 * in the upstream gradient.
 */
public final class GradCheck {
    static final int FULL_JACOBIAN_OUTPUTS = 64;

    private final String name;
    private final Function<List<Tensor>, Tensor> f;
    private double eps = 1e-6, rtol = 1e-4, atol = 1e-6, linearity = 1e-9;
    private long seed = 42L;
    private boolean always;

    private GradCheck(String name, Function<List<Tensor>, Tensor> f) {
        this.name = name;
        this.f = f;
    }

    public static GradCheck of(String name, Function<List<Tensor>, Tensor> f) { return new GradCheck(name, f); }

    public static GradCheck of(Function<List<Tensor>, Tensor> f) { return new GradCheck("function", f); }

    /** Finite-difference step (default 1e-6). */
    public GradCheck eps(double eps) { this.eps = eps; return this; }

    /** Relative tolerance (default 1e-4): pass when |analytic - numeric| &lt;= atol + rtol·|numeric|. */
    public GradCheck rtol(double rtol) { this.rtol = rtol; return this; }

    /** Absolute tolerance (default 1e-6). */
    public GradCheck atol(double atol) { this.atol = atol; return this; }

    /**
     * Relative tolerance of the linearity check (default 1e-9, float64 rounding). A function whose gradient
     * passes through float32 (a cast) is linear only to about 1e-7: give it 1e-6.
     */
    public GradCheck linearity(double rtol) { this.linearity = rtol; return this; }

    /** Seed of the random projection, direction and linearity vectors (default 42). */
    public GradCheck seed(long seed) { this.seed = seed; return this; }

    /** Check every element even when the cheap directional check passes. */
    public GradCheck always(boolean always) { this.always = always; return this; }

    /** Checks on the first input's backend. */
    public Report on(Tensor... inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException("GradCheck '" + name + "': needs at least one input");
        return on(inputs[0].backend(), inputs);
    }

    /** Copies the inputs to float64 leaves on {@code backend} and checks there. */
    public Report on(Backend backend, Tensor... inputs) {
        return new Run(backend, inputs).check();
    }

    /** One check: the inputs' values, the projection, and what was found. */
    private final class Run {
        final Backend be;
        final Tensor[] shapes;
        final double[][] base;
        final Random random = new Random(seed);
        final Report report;
        double[] v;                      // projection of the output

        Run(Backend be, Tensor[] inputs) {
            this.be = be;
            this.shapes = inputs;
            this.base = new double[inputs.length][];
            for (int i = 0; i < inputs.length; i++) base[i] = inputs[i].toDoubleArray();
            this.report = new Report(name, be.describe(), eps, rtol, atol, seed);
        }

        List<Tensor> leaves(double[][] values, boolean grad) {
            List<Tensor> xs = new ArrayList<>(values.length);
            for (int i = 0; i < values.length; i++) {
                Tensor t = Tensor.of(be, DType.F64, shapes[i].shape(), values[i]);
                xs.add(grad ? t.requiresGrad(true) : t);
            }
            return xs;
        }

        Tensor output(List<Tensor> xs) {
            Tensor y;
            try (Backends.Use use = Backends.use(be)) {    // constants the function creates land on the checked backend
                y = f.apply(xs);
            }
            if (y == null) throw new IllegalArgumentException("GradCheck '" + name + "': the function returned null");
            return y.dtype() == DType.F64 ? y : y.to(DType.F64);
        }

        /** The output values at perturbed inputs, outside any graph. */
        double[] values(double[][] xs) {
            try (GradMode.Scope off = GradMode.off()) {
                return output(leaves(xs, false)).toDoubleArray();
            }
        }

        /** Gradients of ⟨y, upstream⟩ w.r.t. every input, from a fresh forward pass per call. */
        double[][] analytic(double[] upstream) {
            List<Tensor> xs = leaves(base, true);
            Tensor y = output(xs);
            double[][] g = new double[xs.size()][];
            if (!y.requiresGrad()) {
                for (int i = 0; i < g.length; i++) g[i] = new double[base[i].length];
                return g;
            }
            Tensor up = Tensor.of(be, DType.F64, y.shape(), upstream);
            List<Tensor> grads = Autograd.grad(y, xs, up, false, false);
            for (int i = 0; i < g.length; i++) g[i] = grads.get(i).toDoubleArray();
            return g;
        }

        Report check() {
            double[] y0 = values(base);
            v = y0.length == 1 ? new double[] {1.0} : gaussian(y0.length);
            double[][] g = analytic(v);

            // backward repeatable: the same forward and backward again gives bitwise the same gradients
            double[][] again = analytic(v);
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < g[i].length; j++) {
                    if (Double.doubleToLongBits(g[i][j]) != Double.doubleToLongBits(again[i][j])) {
                        report.fail("backward is not repeatable: input " + i + " element " + Report.index(shapes[i].shape(), j)
                                + " gave " + g[i][j] + " then " + again[i][j]);
                        i = g.length;
                        break;
                    }
                }
            }
            checkLinear(g);

            // cheap: one random direction
            double[][] u = new double[base.length][];
            double analytic = 0, scale = 0;
            for (int i = 0; i < base.length; i++) {
                u[i] = gaussian(base[i].length);
                for (int j = 0; j < u[i].length; j++) {
                    analytic += g[i][j] * u[i][j];
                    scale += Math.abs(g[i][j] * u[i][j]);
                }
            }
            double numeric = (dot(values(shift(u, eps)), v) - dot(values(shift(u, -eps)), v)) / (2 * eps);
            boolean directionalOk = Math.abs(analytic - numeric) <= atol + rtol * Math.max(Math.abs(numeric), scale);
            report.directional(analytic, numeric, directionalOk);
            if (!directionalOk || always) elementwise(g, y0.length);
            if (!directionalOk) report.settleDirectional();
            return report;
        }

        void checkLinear(double[][] g) {
            double[] w = gaussian(v.length);
            double a = 0.7, b = -1.3;
            double[] mix = new double[v.length];
            for (int k = 0; k < v.length; k++) mix[k] = a * v[k] + b * w[k];
            double[][] gw = analytic(w), gm = analytic(mix);
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < g[i].length; j++) {
                    double expect = a * g[i][j] + b * gw[i][j];
                    double tol = linearity * (Math.abs(a * g[i][j]) + Math.abs(b * gw[i][j])) + 1e-12;
                    if (Math.abs(gm[i][j] - expect) > tol) {
                        report.fail("backward is not linear in the upstream gradient: input " + i + " element "
                                + Report.index(shapes[i].shape(), j) + ": grad(0.7v - 1.3w) = " + gm[i][j]
                                + " but 0.7 grad(v) - 1.3 grad(w) = " + expect);
                        return;
                    }
                }
            }
        }

        /** Every element of every input; with the whole Jacobian when the output is small. */
        void elementwise(double[][] g, int outputs) {
            boolean full = outputs <= FULL_JACOBIAN_OUTPUTS;
            double[][][] rows = null;               // rows[k] = analytic gradient of output k
            if (full) {
                rows = new double[outputs][][];
                for (int k = 0; k < outputs; k++) {
                    double[] e = new double[outputs];
                    e[k] = 1;
                    rows[k] = analytic(e);
                }
            }
            for (int i = 0; i < base.length; i++) {
                for (int j = 0; j < base[i].length; j++) {
                    double[] plus = values(bump(i, j, eps)), minus = values(bump(i, j, -eps));
                    if (full) {
                        for (int k = 0; k < outputs; k++) {
                            double numeric = (plus[k] - minus[k]) / (2 * eps);
                            report.compare(i, shapes[i].shape(), j, k, rows[k][i][j], numeric);
                        }
                    } else {
                        double numeric = (dot(plus, v) - dot(minus, v)) / (2 * eps);
                        report.compare(i, shapes[i].shape(), j, -1, g[i][j], numeric);
                    }
                }
            }
        }

        double[][] shift(double[][] dir, double h) {
            double[][] x = new double[base.length][];
            for (int i = 0; i < base.length; i++) {
                x[i] = base[i].clone();
                for (int j = 0; j < x[i].length; j++) x[i][j] += h * dir[i][j];
            }
            return x;
        }

        double[][] bump(int i, int j, double h) {
            double[][] x = base.clone();
            x[i] = base[i].clone();
            x[i][j] += h;
            return x;
        }

        double[] gaussian(int n) {
            double[] r = new double[n];
            for (int i = 0; i < n; i++) r[i] = random.nextGaussian();
            return r;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
