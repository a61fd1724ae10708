package dev.recurrent.core;

import dev.recurrent.core.check.GradCheck;
import net.jqwik.api.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The graph and autodiff contract, run on a backend: deep chains without recursion, accumulation into
 * shared leaves, zeroGrad, detach, grad-free mode (per thread), freed graphs, non-scalar roots, second
 * derivatives and Hessian-vector products, gradients with respect to intermediates, concurrent graphs,
 * user-defined ops under GradCheck (and GradCheck catching a wrong one), and copies between backends.
 */
public abstract class AutogradContract extends ContractBase {

    private Tensor leaf(double... v) { return Tensor.of(backend(), DType.F64, Shape.of(v.length), v).requiresGrad(true); }

    private static RefArray vec(double... v) { return RefArray.of(new int[] {v.length}, v); }

    /** 100,000 steps of y = y·c + 0 (200,000 nodes): backward is iterative, and d y/d x = c^100000. */
    @Example
    public void chainOf100000OpsBackpropagatesWithoutStackOverflow() {
        double c = 1.0000001;
        Tensor x = Tensor.scalar(backend(), DType.F64, 1.0).requiresGrad(true), zero = Tensor.scalar(backend(), DType.F64, 0.0);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) y = y.mul(c).add(zero);
        y.backward();
        double expected = Math.pow(c, 100_000);
        Expect.close("100,000-op chain value", expected, y.item(), 1e-9, 0);
        Expect.close("100,000-op chain gradient", expected, x.grad().item(), 1e-9, 0);
    }

    /** x used in four places: y = Σ x² + 3x + eˣ, so dy/dx = 2x + 3 + eˣ. */
    @Example
    public void sharedLeavesAccumulate() {
        double[] v = {-1.5, 0.2, 0.7};
        Tensor x = leaf(v);
        x.mul(x).add(x.mul(3.0)).add(x.exp()).sum().backward();
        Expect.close("shared leaf gradient", vec(v).map(a -> 2 * a + 3 + Math.exp(a)), x.grad(), DType.F64);

        Tensor w = leaf(0.5), h = Tensor.scalar(backend(), DType.F64, 0.3).reshape(1);      // one weight, five steps
        double hv = 0.3, dw = 0;
        List<Double> hs = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            hs.add(hv);
            h = w.mul(h).tanh();
            hv = Math.tanh(0.5 * hv);
        }
        h.sum().backward();
        double dh = 1;                                   // backpropagation through time, by hand
        for (int t = 4; t >= 0; t--) {
            double out = Math.tanh(0.5 * hs.get(t)), pre = dh * (1 - out * out);
            dw += pre * hs.get(t);
            dh = pre * 0.5;
        }
        Expect.close("weight shared by five steps", vec(dw), w.grad(), DType.F64);
    }

    /**
     * A matmul operand that does not require grad (the data of an input projection) gets no gradient: the
     * VJP returns null for it, and the other operand's gradient is the one it gets when both require grad.
     */
    @Example
    public void matmulGivesNoGradientToAnOperandThatNeedsNone() {
        double[] av = {0.5, -1, 2, 0.25, 3, -0.75}, bv = {1, -2, 0.5, 1.5, -1, 0.25, 2, -0.5, 0.75, 1, -1.25, 0.1};
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = Tensor.of(backend(), DType.F64, ta ? Shape.of(3, 2) : Shape.of(2, 3), av);
                Tensor b = Tensor.of(backend(), DType.F64, tb ? Shape.of(4, 3) : Shape.of(3, 4), bv);
                Tensor g = Tensor.of(backend(), DType.F64, Shape.of(2, 4), new double[] {1, 2, -1, 0.5, -2, 1, 0.25, 3});
                dev.recurrent.core.ops.MatMul op = new dev.recurrent.core.ops.MatMul(ta, tb);
                Tensor aGrad = a.detach().requiresGrad(true), bGrad = b.detach().requiresGrad(true);
                Tensor[] both = op.vjp(g, null, aGrad, bGrad), onlyB = op.vjp(g, null, a, bGrad), onlyA = op.vjp(g, null, aGrad, b);
                String flags = " (transA " + ta + ", transB " + tb + ")";
                Expect.isTrue(onlyB[0] == null, "no gradient for a data operand a" + flags);
                Expect.isTrue(onlyA[1] == null, "no gradient for a data operand b" + flags);
                Expect.close("b's gradient without a's" + flags, RefArray.of(both[1]), onlyB[1], DType.F64);
                Expect.close("a's gradient without b's" + flags, RefArray.of(both[0]), onlyA[0], DType.F64);
            }
        }
    }

    /** Likewise linear: each of x, W and b gets a gradient only when it requires one, the same as when all do. */
    @Example
    public void linearGivesNoGradientToAnInputThatNeedsNone() {
        Tensor x = Tensor.of(backend(), DType.F64, Shape.of(2, 3), new double[] {0.5, -1, 2, 0.25, 3, -0.75});
        Tensor w = Tensor.of(backend(), DType.F64, Shape.of(4, 3), new double[] {1, -2, 0.5, 1.5, -1, 0.25, 2, -0.5, 0.75, 1, -1.25, 0.1});
        Tensor b = Tensor.of(backend(), DType.F64, Shape.of(4), new double[] {0.3, -0.2, 0.1, 0.4});
        Tensor g = Tensor.of(backend(), DType.F64, Shape.of(2, 4), new double[] {1, 2, -1, 0.5, -2, 1, 0.25, 3});
        dev.recurrent.core.ops.Linear op = new dev.recurrent.core.ops.Linear();
        Tensor[] all = op.vjp(g, null, x.detach().requiresGrad(true), w.detach().requiresGrad(true), b.detach().requiresGrad(true));
        Tensor[] noX = op.vjp(g, null, x, w.detach().requiresGrad(true), b.detach().requiresGrad(true));
        Tensor[] onlyX = op.vjp(g, null, x.detach().requiresGrad(true), w, b);
        Expect.isTrue(noX[0] == null && onlyX[1] == null && onlyX[2] == null, "no gradient for an input that needs none");
        Expect.close("dW without dx", RefArray.of(all[1]), noX[1], DType.F64);
        Expect.close("db without dx", RefArray.of(all[2]), noX[2], DType.F64);
        Expect.close("dx alone", RefArray.of(all[0]), onlyX[0], DType.F64);
    }

    @Example
    public void zeroGradClearsAndBackwardAccumulatesAcrossGraphs() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sum().backward();
        Expect.close("first backward", vec(2, 4, 6), x.grad(), DType.F64);
        x.mul(x).sum().backward();
        Expect.close("a second graph accumulates", vec(4, 8, 12), x.grad(), DType.F64);
        x.zeroGrad();
        Expect.isTrue(x.grad() == null, "zeroGrad: grad() must be null until the next backward");
        x.mul(5.0).sum().backward();
        Expect.close("after zeroGrad", vec(5, 5, 5), x.grad(), DType.F64);
    }

    @Example
    public void detachStopsTheGradient() {
        Tensor x = leaf(1, -2, 3);
        Tensor d = x.detach();
        Expect.isTrue(!d.requiresGrad(), "detach: the result must not require grad");
        Expect.close("detach keeps the values", vec(1, -2, 3), d, DType.F64);
        x.mul(d).sum().backward();
        Expect.close("x·detach(x) gives x, not 2x", vec(1, -2, 3), x.grad(), DType.F64);
        Expect.illegalState("requiresGrad on an op result", () -> x.mul(2.0).requiresGrad(true), "requiresGrad");
    }

    @Example
    public void gradModeOffRecordsNothingAndIsPerThread() throws Exception {
        Tensor x = leaf(1, 2);
        try (GradMode.Scope s = GradMode.off()) {
            Expect.isTrue(!GradMode.isEnabled(), "GradMode.off: isEnabled must be false inside the scope");
            Tensor y = x.mul(x).sum();
            Expect.isTrue(!y.requiresGrad(), "GradMode.off: an op result must not require grad");
            Expect.illegalState("backward of a grad-free result", y::backward, "does not require grad");
            try (GradMode.Scope on = GradMode.on()) {
                Expect.isTrue(x.mul(x).requiresGrad(), "GradMode.on inside off: records again");
            }
            Expect.isTrue(!x.mul(x).requiresGrad(), "closing the inner scope restores off");
        }
        Expect.isTrue(GradMode.isEnabled() && x.mul(x).requiresGrad(), "closing the scope restores recording");

        // Thread A holds a grad-free scope open while thread B builds and backpropagates a graph.
        CountDownLatch aOff = new CountDownLatch(1), bDone = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> a = pool.submit(() -> {
                try (GradMode.Scope s = GradMode.off()) {
                    aOff.countDown();
                    if (!bDone.await(30, TimeUnit.SECONDS)) throw new AssertionError("thread B did not finish");
                    return x.mul(x).requiresGrad();
                }
            });
            Future<Tensor> b = pool.submit(() -> {
                if (!aOff.await(30, TimeUnit.SECONDS)) throw new AssertionError("thread A did not start");
                try {
                    Tensor z = leaf(3, 4);
                    Tensor y = z.mul(z).sum();
                    Expect.isTrue(y.requiresGrad(), "GradMode is per thread: another thread's off() must not stop this one recording");
                    y.backward();
                    return z.grad();
                } finally {
                    bDone.countDown();
                }
            });
            Expect.close("gradient on thread B while A is grad-free", vec(6, 8), b.get(60, TimeUnit.SECONDS), DType.F64);
            Expect.isTrue(!a.get(60, TimeUnit.SECONDS), "thread A recorded inside its GradMode.off() scope");
        } finally {
            pool.shutdownNow();
        }
    }

    @Example
    public void backwardTwiceNeedsRetainGraph() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward();
        Expect.illegalState("backward twice", y::backward, "retainGraph");

        Tensor z = leaf(1, 2);
        Tensor w = z.mul(z).sum();
        w.backward(null, true, false);
        w.backward(null, true, false);
        Expect.close("backward twice with retainGraph accumulates", vec(4, 8), z.grad(), DType.F64);
        w.backward();                                    // the last one may free
        Expect.close("third backward", vec(6, 12), z.grad(), DType.F64);
    }

    @Example
    public void nonScalarBackwardNeedsAnUpstreamGradient() {
        Tensor x = Tensor.of(backend(), DType.F64, Shape.of(2, 3), new double[] {1, 2, 3, 4, 5, 6}).requiresGrad(true);
        Tensor y = x.mul(2.0);
        Expect.illegalArgument("backward of [2, 3] without upstream", y::backward, "upstream", "[2, 3]");
        Expect.illegalArgument("upstream of the wrong shape", () -> y.backward(Tensor.full(backend(), DType.F64, Shape.of(3, 2), 1.0)),
                "upstream", "[2, 3]", "[3, 2]");
        Tensor up = Tensor.of(backend(), DType.F64, Shape.of(2, 3), new double[] {1, 0, -1, 2, 0.5, 3});
        y.backward(up);
        Expect.close("gradient with an explicit upstream", RefArray.of(up).map(v -> 2 * v), x.grad(), DType.F64);
        Expect.illegalState("backward of a tensor outside any graph", () -> up.sum().backward(), "does not require grad");
    }

    /** d/dx tanh = 1 - tanh², d²/dx² tanh = -2 tanh (1 - tanh²), through createGraph twice. */
    @Example
    public void secondDerivativeOfTanh() {
        double[] v = {-2, -0.7, 0, 0.3, 1.1, 2.5};
        Tensor x = leaf(v);
        Tensor g = Autograd.grad(x.tanh().sum(), List.of(x), null, true, true).get(0);
        Expect.isTrue(g.requiresGrad(), "createGraph: the gradient must itself be differentiable");
        Expect.close("d tanh", vec(v).map(a -> 1 - Math.tanh(a) * Math.tanh(a)), g, DType.F64);
        Tensor h = Autograd.grad(g.sum(), List.of(x), null, true, true).get(0);
        Expect.close("d² tanh", vec(v).map(a -> -2 * Math.tanh(a) * (1 - Math.tanh(a) * Math.tanh(a))), h, DType.F64);
        Tensor third = Autograd.grad(h.sum(), List.of(x)).get(0);
        Expect.close("d³ tanh", vec(v).map(a -> { double t = Math.tanh(a), s = 1 - t * t; return -2 * s * s + 4 * t * t * s; }), third, DType.F64);
        Expect.isTrue(x.grad() == null, "Autograd.grad must not touch grad()");
    }

    /** H·v of a 2-layer tanh network's loss, by double backward, against central differences of the gradient. */
    @Example
    public void hessianVectorProductMatchesFiniteDifferences() {
        Random r = new Random(11);
        RefArray xs = Generators.normal(r, 4, 3), w1 = Generators.normal(r, 3, 5), w2 = Generators.normal(r, 5, 2);
        RefArray target = Generators.normal(r, 4, 2), v1 = Generators.normal(r, 3, 5), v2 = Generators.normal(r, 5, 2);
        Tensor a = f64(w1).requiresGrad(true), b = f64(w2).requiresGrad(true);
        List<Tensor> g = Autograd.grad(loss(xs, a, b, target), List.of(a, b), null, true, true);
        Tensor gv = g.get(0).mul(f64(v1)).sum().add(g.get(1).mul(f64(v2)).sum());
        List<Tensor> hv = Autograd.grad(gv, List.of(a, b));
        double e = 1e-5;
        List<Tensor> plus = gradAt(xs, w1, v1, w2, v2, target, e), minus = gradAt(xs, w1, v1, w2, v2, target, -e);
        for (int i = 0; i < 2; i++) {
            RefArray fd = Reference.zip(RefArray.of(plus.get(i)), RefArray.of(minus.get(i)), (p, q) -> (p - q) / (2 * e));
            Expect.close("Hessian-vector product, W" + (i + 1), fd, RefArray.of(hv.get(i)), 1e-6, 1e-8);
        }
    }

    private Tensor loss(RefArray xs, Tensor w1, Tensor w2, RefArray target) {
        return f64(xs).matmul(w1).tanh().matmul(w2).tanh().mse(f64(target));
    }

    private List<Tensor> gradAt(RefArray xs, RefArray w1, RefArray v1, RefArray w2, RefArray v2, RefArray target, double e) {
        Tensor a = f64(Reference.zip(w1, v1, (p, q) -> p + e * q)).requiresGrad(true);
        Tensor b = f64(Reference.zip(w2, v2, (p, q) -> p + e * q)).requiresGrad(true);
        return Autograd.grad(loss(xs, a, b, target), List.of(a, b));
    }

    @Example
    public void gradWithRespectToAnIntermediate() {
        double[] v = {0.1, -0.4, 0.8};
        Tensor x = leaf(v), unrelated = leaf(1, 1);
        Tensor h = x.mul(3.0).tanh();
        List<Tensor> g = Autograd.grad(h.pow(2).sum(), List.of(h, x, unrelated));
        RefArray hv = vec(v).map(a -> Math.tanh(3 * a));
        Expect.close("d/dh", hv.map(a -> 2 * a), g.get(0), DType.F64);
        Expect.close("d/dx through h", hv.map(a -> 2 * a * (1 - a * a) * 3), g.get(1), DType.F64);
        Expect.close("an input the output does not depend on gets zeros", vec(0, 0), g.get(2), DType.F64);
        Expect.isTrue(x.grad() == null && h.grad() == null, "Autograd.grad must not touch grad()");
        Tensor constant = Tensor.full(backend(), DType.F64, Shape.of(2), 1.0);
        Expect.illegalArgument("grad w.r.t. a tensor that does not require grad",
                () -> Autograd.grad(x.sum(), List.of(constant)), "grad");
    }

    /** Four threads building and backpropagating separate graphs on one backend give bitwise the sequential results. */
    @Example
    public void concurrentGraphsMatchSequentialResults() throws Exception {
        int jobs = 8;
        List<List<double[]>> sequential = new ArrayList<>();
        for (int j = 0; j < jobs; j++) sequential.add(job(j));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CyclicBarrier start = new CyclicBarrier(4);
            List<Future<List<List<double[]>>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    List<List<double[]>> out = new ArrayList<>();
                    for (int j = 0; j < jobs; j++) out.add(job((j + offset) % jobs));
                    return out;
                }));
            }
            for (int t = 0; t < 4; t++) {
                List<List<double[]>> got = futures.get(t).get(120, TimeUnit.SECONDS);
                for (int j = 0; j < jobs; j++) {
                    List<double[]> want = sequential.get((j + t) % jobs), have = got.get(j);
                    for (int k = 0; k < want.size(); k++) {
                        Expect.isTrue(java.util.Arrays.equals(want.get(k), have.get(k)), "thread " + t + ", job " + ((j + t) % jobs)
                                + ", result " + k + " differs from the sequential run");
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A small recurrent network's loss and gradients, from seed j. */
    private List<double[]> job(int j) {
        Random r = new Random(100 + j);
        Tensor w = f64(Generators.normal(r, 6, 6)).requiresGrad(true), u = f64(Generators.normal(r, 4, 6)).requiresGrad(true);
        Tensor h = Tensor.zeros(backend(), DType.F64, Shape.of(3, 6));
        for (int t = 0; t < 10; t++) h = f64(Generators.normal(r, 3, 4)).matmul(u).add(h.matmul(w).mul(0.5)).tanh();
        Tensor loss = h.logSoftmax(1).crossEntropy(new int[] {1, -1, 5});
        loss.backward();
        return List.of(loss.toDoubleArray(), w.grad().toDoubleArray(), u.grad().toDoubleArray());
    }

    // ---- user-defined ops under GradCheck -----------------------------------------------------------

    @Example
    public void userDefinedOpWithACorrectVjpPassesGradCheck() {
        RefArray x = RefArray.of(new int[] {2, 3}, 0.5, -1.2, 0.8, 1.5, -0.3, 2.0);
        GradCheck.of("cube", in -> Tensor.apply(new UserOps.Cube(), in.get(0))).on(backend(), f64(x)).assertPasses();
        Expect.close("cube forward", x.map(v -> v * v * v), Tensor.apply(new UserOps.Cube(), f64(x)), DType.F64);
        RefArray a = vec(0.5, -1.2, 0.8, 1.0, 0.3), b = vec(1, 1, 1, 2, 1);
        GradCheck.of("scaledCube", in -> Tensor.apply(new UserOps.ScaledCube(false), in.get(0), in.get(1)).sum())
                .on(backend(), f64(a), f64(b)).assertPasses();
    }

    /**
     * The buggy VJP is wrong only for input 1 (b), element 3 (where b = 2): numeric 3·a·b² = 12, analytic
     * 3·a·b = 6. The report must say all that, with eps and seed, so the failure can be reproduced.
     */
    @Example
    public void gradCheckCatchesAWrongVjpAndSaysWhere() {
        RefArray a = vec(0.5, -1.2, 0.8, 1.0, 0.3), b = vec(1, 1, 1, 2, 1);
        var check = GradCheck.of("buggyScaledCube", in -> Tensor.apply(new UserOps.ScaledCube(true), in.get(0), in.get(1)).sum())
                .eps(1e-5).seed(1234L);
        var report = check.on(backend(), f64(a), f64(b));
        Expect.isTrue(!report.passed(), "GradCheck passed a wrong VJP");
        Expect.isTrue(report.worstError() >= 0.4, "GradCheck: worst relative error " + report.worstError() + " for 6 against 12");
        String m = report.message();
        Expect.isTrue(m.contains("buggyScaledCube"), "the report should name the function: " + m);
        Expect.isTrue(Pattern.compile("(?i)input\\D{0,3}1\\b").matcher(m).find(), "the report should name input 1: " + m);
        Expect.isTrue(Pattern.compile("(?i)(element|index)\\D{0,3}3\\b").matcher(m).find(), "the report should name element 3: " + m);
        Expect.isTrue(hasNumber(m, 12, 1e-3), "the report should give the numeric derivative 12: " + m);
        Expect.isTrue(hasNumber(m, 6, 1e-3), "the report should give the analytic derivative 6: " + m);
        Expect.isTrue(hasNumber(m, 1e-5, 1e-12), "the report should give eps = 1e-5: " + m);
        Expect.isTrue(hasNumber(m, 1234, 0), "the report should give the seed 1234: " + m);
        AssertionError e = Expect.fails(AssertionError.class, "assertPasses", report::assertPasses);
        Expect.isTrue(String.valueOf(e.getMessage()).contains("buggyScaledCube"), "assertPasses should carry the report: " + e.getMessage());
    }

    /** A leaf's gradient outlives the scope of the backward that made it, and accumulates over scopes. */
    @Example
    public void leafGradientsOutliveTheirMemoryScopeAndAccumulate() {
        Tensor w = f64(vec(0.5, -2, 3)).requiresGrad(true);
        for (int i = 0; i < 3; i++) {
            try (MemoryScope scope = MemoryScope.open()) {
                w.mul(w).sum().backward();                        // adds 2w each time
            }
        }
        Expect.close("grad after three scopes", vec(3, -12, 18), w.grad(), DType.F64);
        Tensor old = w.grad();
        w.zeroGrad();
        Expect.isTrue(w.grad() == null, "zeroGrad clears the gradient");
        Expect.illegalState("a gradient read after zeroGrad released it", old::toDoubleArray, "released");
    }

    /** Two threads backpropagating into one shared leaf lose no update. */
    @Example
    public void concurrentBackwardIntoASharedLeafLosesNothing() throws Exception {
        Tensor w = f64(vec(1, 2)).requiresGrad(true);
        int perThread = 2000;
        Runnable work = () -> {
            for (int i = 0; i < perThread; i++) w.mul(1.0).sum().backward();
        };
        Thread a = new Thread(work), b = new Thread(work);
        a.start();
        b.start();
        a.join();
        b.join();
        Expect.close("grad after 2 x " + perThread + " backward passes", vec(2 * perThread, 2 * perThread), w.grad(), DType.F64);
    }

    /** A gradient that passes through float32 is linear only to float32 precision: linearity(rtol) says so. */
    @Example
    public void gradCheckLinearityToleranceFollowsThePrecisionOfTheGradient() {
        RefArray x = vec(0.3, -1.7, 2.9, 0.01, 5.5, -0.2);
        var f32 = GradCheck.of("cast", in -> in.get(0).to(DType.F32)).eps(1e-3).rtol(1e-3).atol(1e-4);
        Expect.isTrue(!f32.on(backend(), f64(x)).passed(), "float32 rounding breaks the default float64 linearity check");
        f32.linearity(1e-6).on(backend(), f64(x)).assertPasses();
    }

    /** The element the report calls worst is the one with the largest error, not the first mismatch found. */
    @Example
    public void gradCheckNamesTheWorstElement() {
        // buggy db = 3ab instead of 3ab²: with a = 1 the error is 3b(b - 1): 6 at [0], 2.25 at [1], 18 at [4]
        RefArray a = vec(1, 1, 1, 1, 1), b = vec(2, 1.5, 1, 1, 3);
        var report = GradCheck.of("buggyScaledCube", in -> Tensor.apply(new UserOps.ScaledCube(true), in.get(0), in.get(1)).sum())
                .seed(7L).on(backend(), f64(a), f64(b));
        String m = report.message();
        Expect.isTrue(m.contains("worst: input 1 [5], element [4]"), "the worst element is [4] (error 18): " + m);
    }

    private static boolean hasNumber(String text, double value, double tol) {
        Matcher m = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?").matcher(text);
        while (m.find()) {
            try {
                if (Math.abs(Double.parseDouble(m.group()) - value) <= tol) return true;
            } catch (NumberFormatException ignored) {
                // not a number after all
            }
        }
        return false;
    }

    // ---- backends ---------------------------------------------------------------------------------

    /** to(the same backend) is the tensor itself; to(another) and back keeps values, dtype and gradients. */
    @Example
    public void toBackendRoundTrip() {
        MirrorBackend other = new MirrorBackend(backend());
        for (DType d : DTYPES) {
            RefArray v = RefArray.of(new int[] {2, 2}, 0.25, -1.5, 3.125, 1e-3);
            Tensor x = tensor(v, d).requiresGrad(true);
            Expect.isTrue(x.to(backend()) == x, "to(the same backend) must be a no-op");
            Tensor there = x.to(other);
            Expect.isTrue(there.backend() == other && there.dtype() == d, "to(other): backend " + there.backend().name() + ", dtype " + there.dtype());
            Tensor back = there.mul(there).to(backend());
            Expect.isTrue(back.backend() == backend(), "to(original) must come back");
            Expect.close("round trip values", v.rounded(d).map(a -> a * a), back, d);
            back.sum().backward();
            Expect.isTrue(x.grad().backend() == backend(), "the gradient must live on the leaf's backend");
            Expect.close("round trip gradient", v.rounded(d).map(a -> 2 * a), x.grad(), d);
        }
        GradCheck.of("to(mirror) and back", in -> in.get(0).to(other).tanh().to(backend()))
                .on(backend(), f64(RefArray.of(new int[] {3}, 0.1, -0.5, 0.9))).assertPasses();
    }

    /**
     * Training steps inside MemoryScopes (parameters outside, updated in place) give the same parameters as
     * without scopes; a kept tensor survives its scope; a released storage fails cleanly when used.
     */
    @Example
    public void memoryScopesFreeOnlyWhatIsNotKept() {
        RefArray w0 = RefArray.of(new int[] {2, 2}, 0.3, -0.2, 0.5, 0.1), xs = RefArray.of(new int[] {3, 2}, 1, 2, -1, 0.5, 0.2, -0.7);
        Tensor plain = f64(w0).requiresGrad(true), scoped = f64(w0).requiresGrad(true);
        Tensor kept = null;
        for (int step = 0; step < 3; step++) {
            trainStep(plain, xs);
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor loss = trainStep(scoped, xs);
                if (step == 2) kept = loss.mul(1.0);
                scope.keep(kept);
            }
        }
        Expect.close("parameters after scoped steps", RefArray.of(plain), RefArray.of(scoped), 0, 0);
        Expect.isTrue(Double.isFinite(kept.item()), "a kept tensor must stay readable after its scope");
        Tensor dropped;
        try (MemoryScope scope = MemoryScope.open()) {
            dropped = scoped.mul(2.0);
        }
        if (dropped.storage().released()) {
            Expect.illegalState("reading a released storage", dropped::toDoubleArray);
        } else {
            Expect.close("a heap backend may keep storage readable", RefArray.of(scoped).map(v -> 2 * v), dropped, DType.F64);
        }
    }

    private Tensor trainStep(Tensor w, RefArray xs) {
        Tensor loss = f64(xs).matmul(w).tanh().pow(2).mean();
        loss.backward();
        try (GradMode.Scope off = GradMode.off()) {
            w.assign(w.sub(w.grad().mul(0.1)));
        }
        w.zeroGrad();
        return loss;
    }

    @Example
    public void assignUpdatesInPlaceOnlyOutsideTheGraph() {
        Tensor w = leaf(1, 2);
        Tensor step = Tensor.of(backend(), DType.F64, Shape.of(2), new double[] {0.5, -1});
        Expect.illegalState("assign in grad mode", () -> w.assign(step), "assign");
        try (GradMode.Scope s = GradMode.off()) {
            w.assign(w.sub(step));
        }
        Expect.close("assign", vec(0.5, 3), w, DType.F64);
        Expect.isTrue(w.requiresGrad(), "assign keeps the leaf a leaf");
    }

    /**
     * partials: derivatives with the inputs taken as independent variables (the walk stops there, the
     * outer graph survives), a repeated input counted once, and a definition that uses an unlisted graph
     * tensor refused before anything is computed or freed.
     */
    @Example
    public void partialsStopAtTheInputs() {
        Tensor a = Tensor.of(backend(), DType.F64, Shape.of(2), new double[] {1.5, -2}).requiresGrad(true);
        Tensor b = a.mul(a);                                       // b = a², the outer graph
        Tensor y = b.mul(b).sum();                                 // y = Σ b²: ∂y/∂b = 2b (not through a)
        List<Tensor> d = Autograd.partials(y, List.of(b), null, false);
        Expect.close("partials of Σb² w.r.t. b", RefArray.of(new int[] {2}, 4.5, 8), d.get(0), DType.F64);
        b.sum().backward();                                        // the outer graph (b = a²) is intact
        Expect.close("outer backward after partials", RefArray.of(new int[] {2}, 3, -4), a.grad(), DType.F64);

        Tensor c = Tensor.of(backend(), DType.F64, Shape.of(2), new double[] {2, 3}).requiresGrad(true);
        List<Tensor> twice = Autograd.partials(c.mul(c).sum(), List.of(c, c), null, false);
        Expect.close("a repeated input: the whole gradient at its first position", RefArray.of(new int[] {2}, 4, 6), twice.get(0), DType.F64);
        Expect.close("and zeros at the second", RefArray.of(new int[] {2}, 0, 0), twice.get(1), DType.F64);

        Tensor w = Tensor.of(backend(), DType.F64, Shape.of(2), new double[] {1, 1}).requiresGrad(true);
        Tensor e = c.mul(w).sum();
        try {
            Autograd.partials(e, List.of(c), null, false);
            throw new AssertionError("expected partials to refuse an unlisted graph tensor");
        } catch (IllegalArgumentException ex) {
            Expect.isTrue(ex.getMessage().contains("not among the inputs") && ex.getMessage().contains("[2]"), ex.getMessage());
        }
        e.backward();                                              // nothing was freed by the refused call
        Expect.close("backward after a refused partials", RefArray.of(new int[] {2}, 2, 3), w.grad(), DType.F64);
    }

    // ---- OpProfile ------------------------------------------------------------------------------------

    /** The ops of a small graph, each under its phase, with their calls; the VJPs' own ops are not recorded again. */
    @Example
    public void profileRecordsEachOpOnceUnderItsPhase() {
        Tensor x = leaf(0.5, -1.0, 2.0), w = leaf(1.5, 0.25, -0.75);
        try (OpProfile empty = OpProfile.start()) {
            Expect.isTrue(empty.entries().isEmpty() && empty.totalNanos() == 0, "a fresh profile is empty");
        }
        java.util.Map<String, Long> calls = new java.util.HashMap<>();
        try (OpProfile p = OpProfile.start()) {
            for (int i = 0; i < 2; i++) x.mul(w).tanh().sum().backward();
            for (OpProfile.Entry e : p.entries()) {
                Expect.isTrue(e.nanos() >= 0, "time of " + e + " is not negative");
                calls.put(e.phase() + " " + e.op(), e.calls());
            }
            Expect.isTrue(p.table(2).contains("tanh"), "the table names the ops:\n" + p.table(2));
        }
        // Forward: mul, tanh, sum, twice each. Backward: their three VJPs twice each, and the two leaves'
        // gradients (w twice, x twice) as autograd's own work; the ops the VJPs run are inside the VJPs' time.
        java.util.Map<String, Long> expected = java.util.Map.of("FORWARD mul", 2L, "FORWARD tanh", 2L, "FORWARD sum", 2L,
                "BACKWARD sum", 2L, "BACKWARD tanh", 2L, "BACKWARD mul", 2L, "BACKWARD (leaf gradients)", 4L);
        Expect.isTrue(calls.equals(expected), "profile entries: expected " + expected + ", got " + calls);
        x.mul(w).sum().backward();                    // after close: nothing more is recorded, and no error
        Expect.isTrue(OpProfile.current() == null, "no profile after close");
    }

    /** A profile records only its own thread, cannot be opened twice on one thread, and is closed by its owner. */
    @Example
    public void profileIsPerThread() throws Exception {
        Tensor x = leaf(0.5, -1.0);
        try (OpProfile p = OpProfile.start()) {
            try {
                OpProfile.start();
                throw new AssertionError("a second profile on one thread must fail");
            } catch (IllegalStateException expected) {
                Expect.isTrue(expected.getMessage().contains("already recording"), expected.getMessage());
            }
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                other.submit(() -> x.exp().sum().backward()).get(30, TimeUnit.SECONDS);
                Future<?> closing = other.submit(p::close);
                try {
                    closing.get(30, TimeUnit.SECONDS);
                    throw new AssertionError("closing on another thread must fail");
                } catch (java.util.concurrent.ExecutionException e) {
                    Expect.isTrue(e.getCause() instanceof IllegalStateException, "closing elsewhere: " + e.getCause());
                }
            } finally {
                other.shutdownNow();
            }
            Expect.isTrue(p.entries().isEmpty(), "ops on another thread are not recorded: " + p.entries());
            try {
                p.table(0);
                throw new AssertionError("table(0) must fail");
            } catch (IllegalArgumentException expected) {
                Expect.isTrue(expected.getMessage().contains("steps must be positive"), expected.getMessage());
            }
        }
    }
}
