package dev.recurrent.core;

import dev.recurrent.core.check.GradCheck;
import dev.recurrent.core.ops.GruPointwise;
import dev.recurrent.core.ops.LstmPointwise;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.Random;

/**
 * The backend contract for the fused recurrent kernels ({@code lstmCell}, {@code gruCell} and their
 * backward kernels) through the core ops {@link LstmPointwise} and {@link GruPointwise}: forward and
 * gradients equal to the same math written op by op (F64 tight, F32 loose), the VJP checked against finite
 * differences with GradCheck, and the recorded (createGraph) VJP equal to the fused one.
 */
public abstract class FusedContract extends ContractBase {

    private Tensor random(DType d, Random r, int... dims) {
        return Tensor.uniform(backend(), d, Shape.of(dims), -2, 2, r);
    }

    /** LSTM step math op by op: [h' | c']. */
    static Tensor lstmReference(Tensor gates, Tensor c) {
        Tensor[] q = gates.chunk(4, 1);
        Tensor i = q[0].sigmoid(), f = q[1].sigmoid(), g = q[2].tanh(), o = q[3].sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(g));
        return Tensor.concat(1, o.mul(c2.tanh()), c2);
    }

    /** GRU step math op by op. */
    static Tensor gruReference(Tensor a, Tensor b, Tensor h) {
        Tensor[] p = a.chunk(3, 1), q = b.chunk(3, 1);
        Tensor r = p[0].add(q[0]).sigmoid(), z = p[1].add(q[1]).sigmoid();
        Tensor n = p[2].add(r.mul(q[2])).tanh();
        return n.add(z.mul(h.sub(n)));
    }

    private static Tensor lstm(List<Tensor> in) { return Tensor.apply(new LstmPointwise(), in.get(0), in.get(1)); }

    private static Tensor gru(List<Tensor> in) { return Tensor.apply(new GruPointwise(), in.get(0), in.get(1), in.get(2)); }

    /** Values and gradients (weighted by a random upstream) of {@code fused} and {@code reference} at the same inputs. */
    private void same(String name, java.util.function.Function<List<Tensor>, Tensor> fused, java.util.function.Function<List<Tensor>, Tensor> reference,
                      DType d, long seed, int[]... shapes) {
        Random r = new Random(seed);
        Tensor[] in = new Tensor[shapes.length];
        for (int k = 0; k < in.length; k++) in[k] = random(d, r, shapes[k]);
        Tensor[] a = new Tensor[in.length], b = new Tensor[in.length];
        for (int k = 0; k < in.length; k++) {
            a[k] = in[k].detach().requiresGrad(true);
            b[k] = in[k].detach().requiresGrad(true);
        }
        Tensor ya = fused.apply(List.of(a)), yb = reference.apply(List.of(b));
        Expect.close(name + " forward " + d, RefArray.of(yb), RefArray.of(ya), Expect.rtol(d) * 4, Expect.atol(d) * 4);
        Tensor up = random(d, r, ya.shape().dims());
        ya.backward(up);
        yb.backward(up);
        for (int k = 0; k < in.length; k++) {
            Expect.close(name + " gradient of input " + k + " " + d, RefArray.of(b[k].grad()), RefArray.of(a[k].grad()),
                    Expect.rtol(d) * 8, Expect.atol(d) * 8);
        }
    }

    @Property(tries = 20, seed = SEED)
    public void lstmPointwiseEqualsTheOpByOpStep(@ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 5) int hidden,
                                                @ForAll @IntRange(min = 0, max = 1000) int seed) {
        for (DType d : DTYPES) {
            same("lstmPointwise", FusedContract::lstm, in -> lstmReference(in.get(0), in.get(1)), d, seed,
                    new int[] {batch, 4 * hidden}, new int[] {batch, hidden});
        }
    }

    @Property(tries = 20, seed = SEED)
    public void gruPointwiseEqualsTheOpByOpStep(@ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 5) int hidden,
                                               @ForAll @IntRange(min = 0, max = 1000) int seed) {
        for (DType d : DTYPES) {
            same("gruPointwise", FusedContract::gru, in -> gruReference(in.get(0), in.get(1), in.get(2)), d, seed,
                    new int[] {batch, 3 * hidden}, new int[] {batch, 3 * hidden}, new int[] {batch, hidden});
        }
    }

    @Property(tries = 10, seed = SEED)
    public void fusedOpsPassGradCheck(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 3) int hidden,
                                      @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Random r = new Random(seed);
        GradCheck.of("lstmPointwise", FusedContract::lstm).seed(seed)
                .on(backend(), random(DType.F64, r, batch, 4 * hidden), random(DType.F64, r, batch, hidden)).assertPasses();
        GradCheck.of("gruPointwise", FusedContract::gru).seed(seed)
                .on(backend(), random(DType.F64, r, batch, 3 * hidden), random(DType.F64, r, batch, 3 * hidden), random(DType.F64, r, batch, hidden))
                .assertPasses();
    }

    /** A recorded backward (createGraph) takes the op-by-op VJP; it must agree with the fused one and be differentiable again. */
    @Property(tries = 5, seed = SEED)
    public void recordedVjpEqualsFusedVjp(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 3) int hidden,
                                          @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Random r = new Random(seed);
        Tensor g = random(DType.F64, r, batch, 4 * hidden).requiresGrad(true), c = random(DType.F64, r, batch, hidden).requiresGrad(true);
        Tensor up = random(DType.F64, r, batch, 2 * hidden);
        List<Tensor> fast = Autograd.grad(lstm(List.of(g, c)), List.of(g, c), up, false, false);
        List<Tensor> recorded = Autograd.grad(lstm(List.of(g, c)), List.of(g, c), up, true, true);
        for (int k = 0; k < 2; k++) Expect.close("lstm recorded vjp " + k, RefArray.of(fast.get(k)), recorded.get(k), DType.F64);
        recorded.get(0).sum().backward();                                       // second order runs
        Expect.isTrue(g.grad() != null, "second-order gradient reached the gates");
        Tensor a = random(DType.F64, r, batch, 3 * hidden).requiresGrad(true), b = random(DType.F64, r, batch, 3 * hidden).requiresGrad(true);
        Tensor h = random(DType.F64, r, batch, hidden).requiresGrad(true), up2 = random(DType.F64, r, batch, hidden);
        List<Tensor> f2 = Autograd.grad(gru(List.of(a, b, h)), List.of(a, b, h), up2, false, false);
        List<Tensor> r2 = Autograd.grad(gru(List.of(a, b, h)), List.of(a, b, h), up2, true, true);
        for (int k = 0; k < 3; k++) Expect.close("gru recorded vjp " + k, RefArray.of(f2.get(k)), r2.get(k), DType.F64);
    }
}
