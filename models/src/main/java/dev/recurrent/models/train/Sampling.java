package dev.recurrent.models.train;

import dev.recurrent.core.GradMode;
import dev.recurrent.core.MemoryScope;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.data.Batch;
import dev.recurrent.models.data.OneHot;
import dev.recurrent.models.data.Rng;
import dev.recurrent.models.data.Vocabulary;

import java.util.Arrays;
import java.util.Random;

/**
 * Generating text from a character model. At each step the next character is drawn from
 * <pre>
 *   p_i  proportional to  exp(l_i / T)      over the k largest logits l_i (top-k; k &lt;= 0 keeps all)
 * </pre>
 * with temperature {@code T > 0}; {@code T = 0} is greedy decoding (the arg max, the lowest index on a tie).
 * The draw walks the kept classes in index order with one uniform number from a seeded generator, so the
 * same seed gives the same text.
 */
public final class Sampling {
    private Sampling() { }

    /** The class chosen from {@code logits}; see the class comment. */
    public static int choose(double[] logits, double temperature, int topK, Random random) {
        if (logits.length == 0) throw new IllegalArgumentException("sampling: no logits to choose from");
        if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("sampling: the temperature must be finite and >= 0; got " + temperature);
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        if (temperature == 0) return best;
        boolean[] keep = new boolean[logits.length];
        if (topK <= 0 || topK >= logits.length) {
            Arrays.fill(keep, true);
        } else {
            Integer[] order = new Integer[logits.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Double.compare(logits[b], logits[a]) : Integer.compare(a, b));
            for (int i = 0; i < topK; i++) keep[order[i]] = true;
        }
        double[] w = new double[logits.length];
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            if (keep[i]) total += w[i] = StrictMath.exp((logits[i] - logits[best]) / temperature);
        }
        double u = random.nextDouble() * total, cum = 0;
        int last = best;
        for (int i = 0; i < w.length; i++) {
            if (!keep[i]) continue;
            cum += w[i];
            last = i;
            if (u < cum) return i;
        }
        return last;
    }

    /**
     * {@code prime} followed by {@code length} generated characters. The model reads the prime, then
     * each character it chose; dropout is off, no graph is recorded, and every tensor made on the way is
     * freed at the end (off-heap backends).
     *
     * @param model a character model whose inputs are one-hot vectors over {@code vocabulary}
     */
    public static <S> String generate(Objective<S> model, Vocabulary vocabulary, String prime, int length, double temperature, int topK, long seed) {
        if (prime == null || prime.isEmpty()) throw new IllegalArgumentException("sampling: the prime text must have at least one character");
        if (length < 0) throw new IllegalArgumentException("sampling: the length must be >= 0; got " + length);
        Parameter first = model.parameters().values().iterator().next();
        Random random = new Rng(seed);
        int[] ids = vocabulary.encode(prime);
        StringBuilder out = new StringBuilder(prime);
        model.training(false);
        try (GradMode.Scope off = GradMode.off(); MemoryScope scope = MemoryScope.open()) {
            Batch b = batch(ids, vocabulary, first.value());
            Objective.Forward<S> f = model.forward(b, 0, ids.length, model.initialState(b));
            for (int n = 0; n < length; n++) {
                int next = choose(lastRow(f.outputs()), temperature, topK, random);
                out.append(vocabulary.decode(next));
                if (n + 1 < length) f = model.forward(batch(new int[] {next}, vocabulary, first.value()), 0, 1, f.state());
            }
        } finally {
            model.training(true);
        }
        return out.toString();
    }

    private static Batch batch(int[] ids, Vocabulary v, Tensor like) {
        int[] none = new int[ids.length];
        Arrays.fill(none, -1);
        return Batch.classes(OneHot.encode(ids, ids.length, 1, v.size(), like.backend(), like.dtype()), ids, none, null);
    }

    private static double[] lastRow(Tensor outputs) {
        double[] all = outputs.toDoubleArray();
        int c = outputs.dim(-1);
        return Arrays.copyOfRange(all, all.length - c, all.length);
    }
}
