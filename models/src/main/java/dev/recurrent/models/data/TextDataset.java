package dev.recurrent.models.data;

import dev.recurrent.core.Tensor;

import java.util.Optional;

/**
 * Character-level language modelling: predict each next character of a text. Batch {@code i} holds
 * {@code B} windows of {@code T + 1} consecutive characters starting at offsets drawn uniformly from
 * {@code [0, n - T - 1]} by {@code Rng.forIndex(seed, i)} (n = characters in the text); the inputs are
 * characters {@code 0..T-1} of a window (ids and one-hot vectors), the targets characters {@code 1..T}.
 */
public final class TextDataset implements Dataset {
    private final int[] text;
    private final Vocabulary vocabulary;
    private final int steps;
    private final BatchOptions options;

    /**
     * @param text       the corpus; every character must be in {@code vocabulary}
     * @param vocabulary the symbols (usually {@code Vocabulary.of(text)})
     * @param steps      T, characters per input sequence
     */
    public TextDataset(String text, Vocabulary vocabulary, int steps, BatchOptions options) {
        if (steps <= 0) throw new IllegalArgumentException("text: the sequence length must be positive; got " + steps);
        this.text = vocabulary.encode(text);
        if (this.text.length < steps + 1) {
            throw new IllegalArgumentException("text: a sequence of " + steps + " characters needs a text of at least " + (steps + 1)
                    + " characters; got " + this.text.length);
        }
        this.vocabulary = vocabulary;
        this.steps = steps;
        this.options = options;
    }

    /** A dataset over {@code text} with the vocabulary of its own characters. */
    public static TextDataset of(String text, int steps, BatchOptions options) {
        return new TextDataset(text, Vocabulary.of(text), steps, options);
    }

    @Override public String name() { return "text"; }

    @Override public int inputSize() { return vocabulary.size(); }

    @Override public int outputSize() { return vocabulary.size(); }

    @Override public boolean classification() { return true; }

    @Override public int steps() { return steps; }

    @Override public Optional<Vocabulary> vocabulary() { return Optional.of(vocabulary); }

    /** Characters in the text. */
    public int length() { return text.length; }

    /** The window offsets of batch {@code index}, one per sequence. */
    public int[] offsets(long index) {
        Rng rng = Rng.forIndex(options.seed(), index);
        int[] off = new int[options.size()];
        for (int b = 0; b < off.length; b++) off[b] = rng.nextInt(text.length - steps);
        return off;
    }

    @Override
    public Batch batch(long index) {
        int b = options.size();
        int[] off = offsets(index);
        int[] in = new int[steps * b], out = new int[steps * b];
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < b; j++) {
                in[t * b + j] = text[off[j] + t];
                out[t * b + j] = text[off[j] + t + 1];
            }
        }
        Tensor x = OneHot.encode(in, steps, b, vocabulary.size(), options.backend(), options.dtype());
        return Batch.classes(x, in, out, null);
    }

    @Override public String toString() { return "TextDataset[" + text.length + " characters, " + vocabulary + ", T=" + steps + "]"; }
}
