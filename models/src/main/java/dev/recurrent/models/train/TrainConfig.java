package dev.recurrent.models.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.recurrent.core.DType;
import dev.recurrent.models.data.Tasks;

/**
 * The settings of a training run, with the defaults of the main job ({@code rnn train} with no
 * arguments: an LSTM learning the shipped text). One field per command-line option; stored as
 * {@code config.json} in every checkpoint so a run can be resumed or sampled from later. JSON through Gson:
 * a key that is absent keeps its default. Call {@link #validate()} before use.
 */
public final class TrainConfig {
    /** hello, adding, copy, sine, sine1 or text. */
    public String task = "text";
    /** The text file of the {@code text} task; null for the shipped corpus. */
    public String text = null;
    /** elman, jordan, lstm or gru. */
    public String cell = "lstm";
    public int hidden = 128;
    public int layers = 1;
    public boolean bidirectional = false;
    public double dropout = 0;
    /** Sequences per batch. */
    public int batch = 16;
    /** Steps per sequence (the copy task's delay); ignored by {@code hello}. */
    public int seqLen = 64;
    /** Training steps (batches). */
    public long steps = 350;
    public double lr = 0.01;
    /** One of {@link Optimizers#NAMES}. */
    public String optimizer = "adam";
    public double weightDecay = 0;
    /** A {@link Schedule} spec. */
    public String schedule = "constant";
    /** Global-norm clipping (0: off). */
    public double clip = 1.0;
    /** Per-element clipping (0: off). */
    public double clipValue = 0;
    /** {@code K1,K2}, {@code K}, or {@code full}. */
    public String tbptt = "full";
    /** The seed of every random choice (data, initial weights, dropout). */
    public long seed = 1;
    /** F32 or F64. */
    public String dtype = "F32";
    /** LSTM forget-gate bias at initialisation; null for PyTorch's init. */
    public Double forgetBias = 1.0;

    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    /** The main job's defaults. */
    /** Tasks whose target at step t is the input at t+1: a bidirectional model would read the answer. */
    static final java.util.Set<String> NEXT_STEP_TASKS = java.util.Set.of("text", "hello", "sine");

    public TrainConfig() { }

    /** Checks every setting, failing with one line naming the setting, what was given and what is expected. */
    public TrainConfig validate() {
        if (!Tasks.NAMES.contains(task)) throw bad("task", task, "one of " + String.join(", ", Tasks.NAMES));
        if (!ModelSpec.CELLS.contains(cell)) throw bad("cell", cell, "one of " + String.join(", ", ModelSpec.CELLS));
        if (!Optimizers.NAMES.contains(optimizer)) throw bad("optimizer", optimizer, "one of " + String.join(", ", Optimizers.NAMES));
        positive("hidden", hidden);
        positive("layers", layers);
        positive("batch", batch);
        positive("seq-len", seqLen);
        if (steps < 0) throw bad("steps", steps, "a number >= 0");
        if (!(lr > 0) || Double.isInfinite(lr)) throw bad("lr", lr, "a positive number");
        if (!(dropout >= 0 && dropout < 1)) throw bad("dropout", dropout, "a number in [0, 1)");
        if (!(weightDecay >= 0)) throw bad("weight-decay", weightDecay, "a number >= 0");
        if (!(clip >= 0) || Double.isInfinite(clip)) throw bad("clip", clip, "a number >= 0 (0 = off)");
        if (!(clipValue >= 0) || Double.isInfinite(clipValue)) throw bad("clip-value", clipValue, "a number >= 0 (0 = off)");
        if (!dtype.equals("F32") && !dtype.equals("F64")) throw bad("dtype", dtype, "F32 or F64");
        if (task.equals("adding") && seqLen < 2) throw bad("seq-len", seqLen, "at least 2 for the adding problem");
        Tbptt t = parsedTbptt();
        if (bidirectional && !t.isFull()) throw new IllegalArgumentException("--tbptt " + tbptt + " needs a unidirectional model (drop --bidirectional)");
        if (bidirectional && NEXT_STEP_TASKS.contains(task)) {
            throw new IllegalArgumentException("--bidirectional cannot be used with --task " + task + ": the target at each step is the next"
                    + " input, which the backward direction would see (use adding, copy or sine1)");
        }
        parsedSchedule();
        return this;
    }

    public Tbptt parsedTbptt() { return Tbptt.parse(tbptt); }

    public Schedule parsedSchedule() { return Schedule.parse(schedule); }

    public DType parsedDtype() { return DType.valueOf(dtype); }

    /** The options the trainer runs with. */
    public TrainOptions trainOptions() { return new TrainOptions(steps, parsedSchedule(), clip, clipValue, parsedTbptt()); }

    public JsonObject toJson() { return GSON.toJsonTree(this).getAsJsonObject(); }

    /** The settings in {@code json}; absent keys keep their defaults. */
    public static TrainConfig fromJson(JsonObject json) {
        try {
            TrainConfig c = GSON.fromJson(json, TrainConfig.class);
            return c == null ? new TrainConfig() : c;
        } catch (JsonParseException | NumberFormatException e) {
            throw new IllegalArgumentException("training config: a setting has the wrong type (" + e.getMessage() + ")");
        }
    }

    /** A copy. */
    public TrainConfig copy() { return fromJson(toJson()); }

    private static void positive(String name, long v) { if (v <= 0) throw bad(name, v, "a positive number"); }

    private static IllegalArgumentException bad(String name, Object given, String expected) {
        return new IllegalArgumentException("--" + name + ": expected " + expected + "; got " + given);
    }

    @Override public String toString() { return toJson().toString(); }
}
