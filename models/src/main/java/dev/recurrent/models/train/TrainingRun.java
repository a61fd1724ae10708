package dev.recurrent.models.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.models.data.BatchOptions;
import dev.recurrent.models.data.Corpus;
import dev.recurrent.models.data.Dataset;
import dev.recurrent.models.data.Rng;
import dev.recurrent.models.data.Tasks;
import dev.recurrent.models.data.Vocabulary;
import dev.recurrent.models.io.StateDict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A whole training run assembled from a {@link TrainConfig}: dataset, {@link RecurrentModel}, optimizer
 * and {@link Trainer}, on one backend, so {@code rnn train} only parses options, draws progress and writes
 * files. Seeds: batches use {@code seed}, initial weights {@code seed + 1}, the trainer's generator
 * (dropout) {@code seed + 2}.
 *
 * <p>Its checkpoints' {@code config.json} holds {@code "train"} (the config), {@code "model"} (the
 * {@link ModelSpec}) and, for character tasks, {@code "vocabulary"} (the symbols in id order), which is
 * all {@link #resume} and {@link #loadForSampling} need.
 */
public final class TrainingRun {
    private final TrainConfig config;
    private final Backend backend;
    private final Dataset data;
    private final ModelSpec spec;
    private final RecurrentModel<?> model;
    private final Trainer<?> trainer;

    private TrainingRun(TrainConfig config, Backend backend, Dataset data, ModelSpec spec, RecurrentModel<?> model, Trainer<?> trainer) {
        this.config = config;
        this.backend = backend;
        this.data = data;
        this.spec = spec;
        this.model = model;
        this.trainer = trainer;
    }

    /** A fresh run on {@code backend} (null: the default backend). */
    public static TrainingRun create(TrainConfig config, Backend backend) {
        config.validate();
        Backend be = backend != null ? backend : Backends.defaultBackend();
        String text = config.task.equals("text") && config.text != null ? Corpus.read(Path.of(config.text)) : null;
        BatchOptions batches = new BatchOptions(config.batch, config.seed, be, config.parsedDtype());
        Dataset data = Tasks.create(config.task, config.seqLen, text, batches);
        ModelSpec spec = new ModelSpec(config.cell, data.inputSize(), config.hidden, data.outputSize(), config.layers, config.bidirectional,
                config.dropout, config.forgetBias == null || !config.cell.equals("lstm") ? Double.NaN : config.forgetBias, config.parsedDtype());
        Rng rng = new Rng(config.seed + 2);
        RecurrentModel<?> model = RecurrentModel.create(spec, config.seed + 1, rng, be);
        Optimizer opt = Optimizers.create(config.optimizer, model.parameters(), config.lr, config.weightDecay);
        return new TrainingRun(config, be, data, spec, model, new Trainer<>(model, opt, data, config.trainOptions(), rng));
    }

    /** The run saved in checkpoint {@code dir}, ready to continue (to {@code steps} more, or to the saved total when null). */
    public static TrainingRun resume(Path dir, Backend backend, Long totalSteps) {
        Backend be = backend != null ? backend : Backends.defaultBackend();
        Checkpoint c = Checkpoints.read(dir, be);
        TrainConfig config = trainConfig(dir, c.config());
        if (totalSteps != null) config.steps = totalSteps;
        TrainingRun run = create(config, be);
        String saved = vocabularyOf(c.config());
        Optional<Vocabulary> now = run.vocabulary();
        if (saved != null && now.isPresent() && !now.get().chars().equals(saved)) {
            throw new CheckpointException("checkpoint " + dir + " was trained on a text with other characters than " + config.text
                    + " has now; resume with the same text");
        }
        try {
            run.trainer.resume(c);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + dir + " does not fit its own config: " + e.getMessage(), e);
        }
        return run;
    }

    /** A trained character model and its vocabulary, from checkpoint {@code dir}. */
    public record Sampler(RecurrentModel<?> model, Vocabulary vocabulary) {
        public String sample(String prime, int length, double temperature, int topK, long seed) {
            return Sampling.generate(model, vocabulary, prime, length, temperature, topK, seed);
        }
    }

    /** The model and vocabulary of checkpoint {@code dir} (no training data needed), for {@code rnn sample}. */
    public static Sampler loadForSampling(Path dir, Backend backend) {
        Backend be = backend != null ? backend : Backends.defaultBackend();
        Checkpoint c = Checkpoints.read(dir, be);
        String chars = vocabularyOf(c.config());
        if (chars == null) throw new CheckpointException("checkpoint " + dir + " is not a character model (its config has no vocabulary)");
        JsonElement m = c.config().get("model");
        if (m == null || !m.isJsonObject()) throw new CheckpointException("checkpoint " + dir + ": config.json has no \"model\" object");
        try {
            RecurrentModel<?> model = RecurrentModel.create(ModelSpec.fromJson(m.getAsJsonObject()), 0, null, be);
            StateDict.load(model, c.weights());
            return new Sampler(model, Vocabulary.fromChars(chars));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + dir + " does not fit its own config: " + e.getMessage(), e);
        }
    }

    private static TrainConfig trainConfig(Path dir, JsonObject config) {
        JsonElement t = config.get("train");
        if (t == null || !t.isJsonObject()) throw new CheckpointException("checkpoint " + dir + ": config.json has no \"train\" object");
        try {
            return TrainConfig.fromJson(t.getAsJsonObject()).validate();
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + dir + ": config.json has a bad setting: " + e.getMessage(), e);
        }
    }

    private static String vocabularyOf(JsonObject config) {
        JsonElement v = config.get("vocabulary");
        return v != null && v.isJsonPrimitive() ? v.getAsString() : null;
    }

    /** What goes into {@code config.json}: the settings, the model spec, the vocabulary, the backend. */
    public JsonObject configJson() {
        JsonObject o = new JsonObject();
        o.add("train", config.toJson());
        o.add("model", spec.toJson());
        vocabulary().ifPresent(v -> o.addProperty("vocabulary", v.chars()));
        o.addProperty("backend", backend.describe());
        return o;
    }

    /** Writes a checkpoint of the run into {@code dir}, atomically. */
    public void save(Path dir) throws IOException { trainer.save(dir, configJson()); }

    /** A sample from the model (character tasks only); dropout off, no graph. */
    public String sample(String prime, int length, double temperature, int topK, long seed) {
        Vocabulary v = vocabulary().orElseThrow(() -> new IllegalStateException("task '" + config.task + "' is not a character task; nothing to sample"));
        return Sampling.generate(model, v, prime, length, temperature, topK, seed);
    }

    public Optional<Vocabulary> vocabulary() { return data.vocabulary(); }

    public TrainConfig config() { return config; }

    public Backend backend() { return backend; }

    public Dataset data() { return data; }

    public ModelSpec spec() { return spec; }

    public RecurrentModel<?> model() { return model; }

    public Trainer<?> trainer() { return trainer; }
}
