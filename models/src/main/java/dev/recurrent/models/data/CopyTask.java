package dev.recurrent.models.data;

import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;

/**
 * The copy (delayed recall) task: see {@code L} random symbols, wait {@code D} steps, then repeat the
 * symbols in order. Symbols are ids {@code 1..K}, 0 is the blank and {@code K + 1} the delimiter that
 * says "start repeating now". A sequence has {@code T = L + D + L} steps:
 * <pre>
 *   input   s1 .. sL  0 .. 0 delim  0 .. 0          (D - 1 blanks, then the delimiter)
 *   target   (not scored)            s1 .. sL        (scored: the mask is 1 only on these L steps)
 * </pre>
 * Inputs are one-hot over {@code K + 2} classes; the targets at unscored steps are blanks. Guessing
 * scores a cross-entropy of ln K (2.079 for K = 8); remembering every symbol scores 0.
 */
public final class CopyTask implements Dataset {
    private final int length, delay, symbols;
    private final BatchOptions options;

    /**
     * @param length  L, symbols to remember (positive)
     * @param delay   D, steps between the last symbol and the first recall (positive; the last is the delimiter)
     * @param symbols K, the alphabet size (positive)
     */
    public CopyTask(int length, int delay, int symbols, BatchOptions options) {
        if (length <= 0 || delay <= 0 || symbols <= 0) {
            throw new IllegalArgumentException("copy: length, delay and alphabet size must all be positive; got length=" + length
                    + ", delay=" + delay + ", symbols=" + symbols);
        }
        this.length = length;
        this.delay = delay;
        this.symbols = symbols;
        this.options = options;
    }

    /** Ten symbols of an alphabet of 8 recalled after {@code delay} steps (Arjovsky et al. 2016's setting). */
    public static CopyTask standard(int delay, BatchOptions options) { return new CopyTask(10, delay, 8, options); }

    @Override public String name() { return "copy"; }

    @Override public int inputSize() { return symbols + 2; }

    @Override public int outputSize() { return symbols + 2; }

    @Override public boolean classification() { return true; }

    @Override public int steps() { return length + delay + length; }

    /** The delimiter's id, K + 1. */
    public int delimiter() { return symbols + 1; }

    @Override
    public Batch batch(long index) {
        int t = steps(), b = options.size();
        Rng rng = Rng.forIndex(options.seed(), index);
        int[] in = new int[t * b], out = new int[t * b];
        double[] mask = new double[t * b];
        for (int j = 0; j < b; j++) {
            for (int s = 0; s < length; s++) {
                int symbol = 1 + rng.nextInt(symbols);
                in[s * b + j] = symbol;
                int recall = (length + delay + s) * b + j;
                out[recall] = symbol;
                mask[recall] = 1;
            }
            in[(length + delay - 1) * b + j] = delimiter();
        }
        Tensor x = OneHot.encode(in, t, b, inputSize(), options.backend(), options.dtype());
        return Batch.classes(x, in, out, Tensor.of(options.backend(), options.dtype(), Shape.of(t, b), mask));
    }
}
