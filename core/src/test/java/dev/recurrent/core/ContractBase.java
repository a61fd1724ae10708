package dev.recurrent.core;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.check.GradCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What every contract class of the kit shares: the backend hook, the common arbitraries, and the two
 * checks applied to every op: forward against {@link Reference} in F64 (tight) and F32 (loose), and
 * gradients through {@link GradCheck} in F64.
 *
 * <p>A backend module runs the kit by subclassing each contract class with a one-line {@code backend()}.
 * Every property has bounded tries and a fixed seed, so a run is reproducible and fast.
 */
public abstract class ContractBase {
    /** The seed of every property of the kit (fixed: the same run everywhere). */
    public static final String SEED = "20250611";
    /** The dtypes every forward check runs in. */
    public static final List<DType> DTYPES = List.of(DType.F64, DType.F32);

    /** The backend under test. */
    protected abstract Backend backend();

    protected Tensor tensor(RefArray a, DType dtype) { return a.tensor(backend(), dtype); }

    protected Tensor f64(RefArray a) { return tensor(a, DType.F64); }

    /**
     * Runs {@code op} on the inputs in F64 and in F32 (inputs rounded to float first) and compares each
     * result with {@code ref} evaluated on the same (rounded) inputs.
     */
    protected void forward(String name, Function<List<Tensor>, Tensor> op, Function<List<RefArray>, RefArray> ref, RefArray... inputs) {
        forward(name, op, ref, 1, inputs);
    }

    /** As {@link #forward(String, Function, Function, RefArray...)}, with the F32 tolerance multiplied by {@code f32Scale} (long sums). */
    protected void forward(String name, Function<List<Tensor>, Tensor> op, Function<List<RefArray>, RefArray> ref, double f32Scale,
                           RefArray... inputs) {
        for (DType d : DTYPES) {
            List<RefArray> in = new ArrayList<>();
            List<Tensor> ts = new ArrayList<>();
            for (RefArray a : inputs) {
                in.add(a.rounded(d));
                ts.add(tensor(a, d));
            }
            Tensor out = op.apply(ts);
            Expect.isTrue(out.dtype() == d, name + ": expected dtype " + d + ", got " + out.dtype());
            double scale = d == DType.F32 ? f32Scale : 1;
            Expect.close(name + " of " + shapes(inputs) + " " + d, ref.apply(in), RefArray.of(out), Expect.rtol(d) * scale, Expect.atol(d) * scale);
        }
    }

    /** Gradient check of {@code f} at {@code inputs}, in F64 on the backend under test. */
    protected void gradient(String name, Function<List<Tensor>, Tensor> f, RefArray... inputs) {
        Tensor[] ts = new Tensor[inputs.length];
        for (int i = 0; i < ts.length; i++) ts[i] = f64(inputs[i]);
        GradCheck.of(name + " of " + shapes(inputs), f).on(backend(), ts).assertPasses();
    }

    protected static String shapes(RefArray... inputs) {
        StringBuilder b = new StringBuilder();
        for (RefArray a : inputs) b.append(b.length() == 0 ? "" : " and ").append(Arrays.toString(a.shape()));
        return b.toString();
    }

    // ---- common arbitraries -------------------------------------------------------------------------

    /** Rank 0..4, dimensions 1..4. */
    @Provide
    public Arbitrary<RefArray> arrays() { return Generators.arrays(0, 4, 4); }

    /** Rank 1..4, dimensions 1..4 (for ops that take an axis). */
    @Provide
    public Arbitrary<RefArray> arraysWithAxes() { return Generators.arrays(1, 4, 4); }

    /** Seeds for the random choices a case makes from its shape (axes, splits, expression trees). */
    @Provide
    public Arbitrary<Long> seeds() { return Arbitraries.longs(); }

    @Provide
    public Arbitrary<RefArray[]> broadcastPairs() { return Generators.broadcastArrays(2); }

    @Provide
    public Arbitrary<RefArray[]> broadcastTriples() { return Generators.broadcastArrays(3); }
}
