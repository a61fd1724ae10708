package dev.recurrent.models.layers;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Init;
import dev.recurrent.models.Module;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;

import java.util.Map;
import java.util.Random;

/**
 * Lookup table, PyTorch's {@code nn.Embedding}: row {@code id} of {@code weight:[count, dim]} for each id.
 * The gradient scatters back into the rows that were used. Default init N(0, 1), as PyTorch.
 */
public final class Embedding implements Module {
    private final int count, dim;
    private final Parameter weight;

    private Embedding(int count, int dim, Options o, Random random) {
        if (count <= 0 || dim <= 0) throw new IllegalArgumentException("Embedding: sizes must be positive; got count " + count + ", dim " + dim);
        this.count = count;
        this.dim = dim;
        Init init = o.inputInit() != null ? o.inputInit() : Init.normal(0, 1);
        weight = Parameter.create(init, o, random, count, dim);
    }

    public static Embedding of(int count, int dim, Random random) { return new Embedding(count, dim, Options.defaults(), random); }

    public static Embedding of(int count, int dim, Options options, Random random) { return new Embedding(count, dim, options, random); }

    /** {@code ids[n]} -> {@code [n, dim]}. */
    public Tensor apply(int[] ids) {
        for (int i = 0; i < ids.length; i++) check(ids[i], "[" + i + "]");
        return weight.value().gatherRows(ids);
    }

    /** Time-major ids {@code [T][B]} -> {@code [T, B, dim]}. */
    public Tensor apply(int[][] ids) {
        int steps = ids.length, batch = steps == 0 ? 0 : ids[0].length;
        int[] flat = new int[steps * batch];
        for (int t = 0; t < steps; t++) {
            if (ids[t].length != batch) throw new IllegalArgumentException("Embedding: step " + t + " has " + ids[t].length + " ids, step 0 has " + batch);
            for (int b = 0; b < batch; b++) {
                check(ids[t][b], "[" + t + "][" + b + "]");
                flat[t * batch + b] = ids[t][b];
            }
        }
        return weight.value().gatherRows(flat).reshape(steps, batch, dim);
    }

    private void check(int id, String where) {
        if (id < 0 || id >= count) throw new IllegalArgumentException("Embedding: id " + id + " at " + where + " is outside 0.." + (count - 1));
    }

    public int count() { return count; }

    public int dim() { return dim; }

    @Override public Map<String, Parameter> parameters() { return Map.of("weight", weight); }
}
