package dev.recurrent.models.sequences;

import dev.recurrent.core.Tensor;
import dev.recurrent.models.Cell;
import dev.recurrent.models.layers.Recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The four ways a recurrent network maps sequences, in one place. Sequences are time-major
 * ({@code [T, B, F]}); {@code lengths} (may be null) gives each sequence's valid steps.
 * <pre>
 *  many-to-many     x_1..x_T -> y_1..y_T          tagging, language models, per-step regression
 *  many-to-one      x_1..x_T -> y_T               classification, the adding problem
 *  one-to-many      x_1 -> y_1..y_n, y_t fed back  generation, sampling
 *  encoder-decoder  x_1..x_T -> state -> y_1..y_n  translation, sequence transduction
 * </pre>
 */
public final class Sequences {
    private Sequences() { }

    /** Many-to-many: the layer's output at every step, {@code [T, B, D*H]} (zero at padded steps). */
    public static <S> Tensor manyToMany(Recurrent<S> layer, Tensor input, int[] lengths) {
        return layer.forward(input, lengths).output();
    }

    /**
     * Many-to-one: each sequence's output at its last valid step, {@code [B, D*H]}. For a bidirectional
     * layer that is the forward half at step {@code lengths[b]-1} and the reverse half at step 0, i.e. what
     * each direction saw last.
     */
    public static <S> Tensor manyToOne(Recurrent<S> layer, Tensor input, int[] lengths) {
        Tensor out = layer.forward(input, lengths).output();
        if (layer.directions() == 1) return lastStep(out, lengths);
        int half = out.dim(2) / 2;
        Tensor forward = lastStep(out.slice(2, 0, half), lengths);
        Tensor reverse = out.slice(0, 0, 1).slice(2, half, 2 * half).reshape(out.dim(1), half);
        return Tensor.concat(1, forward, reverse);
    }

    /** Row b of step {@code lengths[b]-1} (step T-1 when lengths is null) of {@code outputs:[T, B, F]}: {@code [B, F]}. */
    public static Tensor lastStep(Tensor outputs, int[] lengths) {
        if (outputs.rank() != 3) throw new IllegalArgumentException("lastStep: outputs must be [T, B, F]; got " + outputs.shape());
        int steps = outputs.dim(0), batch = outputs.dim(1), features = outputs.dim(2);
        if (lengths == null) return outputs.slice(0, steps - 1, steps).reshape(batch, features);
        if (lengths.length != batch) throw new IllegalArgumentException("lastStep: " + lengths.length + " lengths for a batch of " + batch);
        int[] rows = new int[batch];
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > steps) {
                throw new IllegalArgumentException("lastStep: lengths[" + b + "] = " + lengths[b] + " is outside 1.." + steps);
            }
            rows[b] = (lengths[b] - 1) * batch + b;               // row of (t, b) in the [T*B, F] view
        }
        return outputs.reshape(steps * batch, features).gatherRows(rows);
    }

    /**
     * One-to-many with a cell: starting from {@code first:[B, I]} and {@code state} (null: zeros), runs
     * {@code steps} steps, maps each output through {@code head} (e.g. a {@code Linear}) and feeds
     * {@code feedback(y_t)} back as the next input (identity for regression, sampling + embedding for
     * text). Returns {@code [steps, B, O]}; differentiable wherever {@code feedback} is.
     */
    public static <S> Tensor generate(Cell<S> cell, Function<Tensor, Tensor> head, Tensor first, S state, int steps,
                                      UnaryOperator<Tensor> feedback) {
        checkSteps(steps);
        S s = state != null ? state : cell.zeroState(first.dim(0));
        Tensor x = first;
        List<Tensor> ys = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            try {
                s = cell.step(x, s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(cell.name() + " step t=" + t + ": " + e.getMessage(), e);
            }
            Tensor y = head.apply(cell.output(s));
            ys.add(y);
            if (t + 1 < steps) x = feedback.apply(y);
        }
        return Tensor.stack(0, ys);
    }

    /**
     * One-to-many with a (stacked, unidirectional) layer: as {@link #generate(Cell, Function, Tensor, Object, int, UnaryOperator)},
     * one step at a time, carrying every layer's state ({@code initial} as in {@link Recurrent#forward}; null: zeros).
     */
    public static <S> Tensor generate(Recurrent<S> layer, Function<Tensor, Tensor> head, Tensor first, List<Tensor> initial,
                                      int steps, UnaryOperator<Tensor> feedback) {
        checkSteps(steps);
        if (layer.directions() != 1) throw new IllegalArgumentException("generate: a bidirectional layer cannot generate (it needs the future)");
        if (first.rank() != 2) throw new IllegalArgumentException("generate: the first input must be [B, I]; got " + first.shape());
        int batch = first.dim(0);
        Tensor x = first;
        List<Tensor> state = initial;
        List<Tensor> ys = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            Recurrent.Output<S> out;
            try {
                out = layer.forward(x.reshape(1, batch, x.dim(1)), state, null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("generate step t=" + t + ": " + e.getMessage(), e);
            }
            state = out.finalState();
            Tensor y = head.apply(out.output().reshape(batch, layer.outputSize()));
            ys.add(y);
            if (t + 1 < steps) x = feedback.apply(y);
        }
        return Tensor.stack(0, ys);
    }

    /** What {@link #encodeDecode} returns: both layers' outputs. */
    public record EncoderDecoder<S, R>(Recurrent.Output<S> encoder, Recurrent.Output<R> decoder) {
        /** The decoder's output at every step, {@code [T', B, D*H]}. */
        public Tensor output() { return decoder.output(); }
    }

    /**
     * Encoder-decoder: the encoder reads {@code source:[T, B, I]}; the decoder starts from the encoder's
     * final states ({@code [L*D, B, H]} each, so both layers need the same layers, directions, state kind and
     * width) and reads {@code target:[T', B, I']} (teacher forcing: the target sequence shifted right by one
     * step with a start symbol; for free-running decoding use {@link #generate} from the encoder's final state).
     */
    public static <S, R> EncoderDecoder<S, R> encodeDecode(Recurrent<S> encoder, Recurrent<R> decoder, Tensor source, int[] sourceLengths,
                                                           Tensor target, int[] targetLengths) {
        Recurrent.Output<S> enc = encoder.forward(source, sourceLengths);
        Recurrent.Output<R> dec;
        try {
            dec = decoder.forward(target, enc.finalState(), targetLengths);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encoder-decoder: the decoder cannot start from the encoder's final state: " + e.getMessage(), e);
        }
        return new EncoderDecoder<>(enc, dec);
    }

    private static void checkSteps(int steps) {
        if (steps <= 0) throw new IllegalArgumentException("generate: the number of steps must be positive; got " + steps);
    }
}
