package dev.recurrent.models.data;

import dev.recurrent.core.Tensor;

import java.util.Optional;

/**
 * The smallest character task: read "hell" and predict "ello", one character ahead, so that a model
 * primed with "h" and sampled greedily spells "hello". The second "l" must be followed by "o" and the
 * first by "l", so only a model that remembers where it is can get every step right. The vocabulary is
 * {@code e, h, l, o} (ids 0..3); every batch is the same {@code B} copies of the word (nothing random).
 */
public final class HelloTask implements Dataset {
    /** The word the task spells. */
    public static final String WORD = "hello";

    private final Vocabulary vocabulary = Vocabulary.of(WORD);
    private final BatchOptions options;

    public HelloTask(BatchOptions options) { this.options = options; }

    @Override public String name() { return "hello"; }

    @Override public int inputSize() { return vocabulary.size(); }

    @Override public int outputSize() { return vocabulary.size(); }

    @Override public boolean classification() { return true; }

    @Override public int steps() { return WORD.length() - 1; }

    @Override public Optional<Vocabulary> vocabulary() { return Optional.of(vocabulary); }

    @Override
    public Batch batch(long index) {
        int t = steps(), b = options.size();
        int[] word = vocabulary.encode(WORD);
        int[] in = new int[t * b], out = new int[t * b];
        for (int s = 0; s < t; s++) {
            for (int j = 0; j < b; j++) {
                in[s * b + j] = word[s];
                out[s * b + j] = word[s + 1];
            }
        }
        Tensor x = OneHot.encode(in, t, b, vocabulary.size(), options.backend(), options.dtype());
        return Batch.classes(x, in, out, null);
    }
}
