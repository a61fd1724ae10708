package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import dev.recurrent.core.GradMode;
import dev.recurrent.core.MemoryScope;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.data.Batch;
import dev.recurrent.models.data.Dataset;
import dev.recurrent.models.data.Rng;
import dev.recurrent.models.io.StateDict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop. One step draws the next batch from the dataset, cuts it into truncated-BPTT windows
 * ({@link Tbptt}) and for each scored window: forward, loss, NaN/Inf guard, backward, guard on the
 * gradients, clipping, the scheduled learning rate, the optimizer update. Each step runs inside a
 * {@link MemoryScope}; the listener is called after it.
 *
 * <p><b>Guard.</b> A non-finite loss or gradient throws {@link NonFiniteException} before the update that
 * would use it. The step is all or nothing: when earlier windows of the same step had already updated,
 * the parameters, optimizer state and random generator are put back as they were before the step, so
 * after the exception the model is exactly the one of the last completed step (and no checkpoint was
 * touched).
 *
 * <p><b>Determinism.</b> Batches are a pure function of (dataset seed, index); the trainer's {@link Rng}
 * (give the same instance to the model for dropout) is the only other source of randomness. Both
 * states, the step, the weights and the optimizer state go into a {@link Checkpoint}; a run resumed
 * from step N/2 ends with bitwise the same weights as an uninterrupted run on the same backend.
 *
 * @param <S> the model's carried state
 */
public final class Trainer<S> {
    private final Objective<S> model;
    private final Optimizer optimizer;
    private final Dataset data;
    private final TrainOptions options;
    private final Rng rng;
    private StepListener listener = m -> { };
    private long step, dataIndex;
    private double elapsed;

    /**
     * @param rng the generator of every random draw during training (pass the same one to the model's
     *            dropout); its state is saved in checkpoints
     */
    public Trainer(Objective<S> model, Optimizer optimizer, Dataset data, TrainOptions options, Rng rng) {
        this.model = model;
        this.optimizer = optimizer;
        this.data = data;
        this.options = options;
        this.rng = rng;
        Map<String, Parameter> mine = model.parameters(), theirs = optimizer.parameters();
        if (!mine.keySet().equals(theirs.keySet()) || mine.entrySet().stream().anyMatch(e -> theirs.get(e.getKey()) != e.getValue())) {
            throw new IllegalArgumentException("trainer: the optimizer must hold exactly the model's parameters; the model has "
                    + mine.keySet() + ", the optimizer " + theirs.keySet());
        }
    }

    /** Calls {@code l} after every step. */
    public Trainer<S> listener(StepListener l) {
        listener = l == null ? m -> { } : l;
        return this;
    }

    /** Runs steps until {@link TrainOptions#steps()} are done; returns the metrics of the last step run (null if none ran). */
    public StepMetrics run() {
        StepMetrics last = null;
        while (step < options.steps()) last = step();
        return last;
    }

    /** Runs one step. */
    public StepMetrics step() {
        long number = step + 1, start = System.nanoTime(), rngBefore = rng.state();
        Map<String, Parameter> params = model.parameters();
        double lossSum = 0, weightSum = 0, maxNorm = 0;
        int updates = 0;
        try (MemoryScope scope = MemoryScope.open()) {
            Batch batch = data.batch(dataIndex);
            List<Tbptt.Window> windows = options.tbptt().windows(batch.steps());
            Snapshot snapshot = windows.size() > 1 ? new Snapshot(params, optimizer) : null;
            try {
                S entering = model.initialState(batch);
                for (Tbptt.Window w : windows) {
                    double weight = batch.weight(w.scoredFrom(), w.end());
                    Run<S> run = runWindow(batch, w, entering, weight > 0);
                    entering = run.next;
                    if (weight == 0) continue;
                    double loss = run.loss.item();
                    if (!Double.isFinite(loss)) throw guard(number, w, windows.size(), "the loss was " + loss, null);
                    run.loss.backward();
                    Map<String, Tensor> grads = Gradients.of(params);
                    Gradients.NonFinite bad = Gradients.firstNonFinite(grads);
                    if (bad != null) throw guard(number, w, windows.size(), bad.describe(), bad.parameter());
                    Gradients.Clipped clipped = clip(grads);
                    optimizer.setLearningRate(options.schedule().rate(optimizer.baseLearningRate(), optimizer.updates()));
                    optimizer.step(clipped.gradients());
                    optimizer.zeroGrad();
                    lossSum += loss * weight;
                    weightSum += weight;
                    maxNorm = Math.max(maxNorm, clipped.norm());
                    updates++;
                }
            } catch (RuntimeException | Error e) {
                optimizer.zeroGrad();
                if (snapshot != null) snapshot.restore();
                rng.restore(rngBefore);
                throw e;
            }
        }
        step++;
        dataIndex++;
        double seconds = (System.nanoTime() - start) / 1e9;
        elapsed += seconds;
        StepMetrics m = new StepMetrics(number, weightSum > 0 ? lossSum / weightSum : 0, maxNorm, optimizer.learningRate(), updates, seconds, elapsed);
        listener.onStep(m);
        return m;
    }

    private record Run<S>(Tensor loss, S next) { }

    /** Runs one window; see {@link Tbptt} for what is run, scored and carried. */
    private Run<S> runWindow(Batch batch, Tbptt.Window w, S entering, boolean record) {
        try (GradMode.Scope off = record ? null : GradMode.off()) {
            int[] cuts = w.cuts();
            S state = entering, next = w.carryAt() == w.start() ? model.detach(entering) : null;
            List<Tensor> scored = new ArrayList<>();
            for (int i = 0; i + 1 < cuts.length; i++) {
                Objective.Forward<S> f = model.forward(batch, cuts[i], cuts[i + 1], state);
                state = f.state();
                if (cuts[i] >= w.scoredFrom()) scored.add(f.outputs());
                if (cuts[i + 1] == w.carryAt()) next = model.detach(state);
            }
            if (!record) return new Run<>(null, next);
            Tensor outputs = scored.size() == 1 ? scored.get(0) : Tensor.concat(0, scored);
            return new Run<>(model.loss(outputs, batch, w.scoredFrom(), w.end()), next);
        }
    }

    private Gradients.Clipped clip(Map<String, Tensor> grads) {
        Gradients.Clipped c = options.clipNorm() > 0 ? Gradients.clipByNorm(grads, options.clipNorm())
                : new Gradients.Clipped(grads, Gradients.globalNorm(grads), false);
        if (options.clipValue() > 0) c = new Gradients.Clipped(Gradients.clipByValue(c.gradients(), options.clipValue()).gradients(), c.norm(), true);
        return c;
    }

    private static NonFiniteException guard(long step, Tbptt.Window w, int windows, String what, String param) {
        String where = windows > 1 ? " (window " + (w.index() + 1) + " of " + windows + ", steps " + w.scoredFrom() + ".." + (w.end() - 1) + ")" : "";
        return new NonFiniteException("step " + step + where + ": " + what + "; stopped before the update, parameters unchanged", step, param);
    }

    /** The mean loss of {@code batch} over all its steps, without recording a graph and with dropout off. */
    public double evaluate(Batch batch) {
        model.training(false);
        try (GradMode.Scope off = GradMode.off(); MemoryScope scope = MemoryScope.open()) {
            Objective.Forward<S> f = model.forward(batch, 0, batch.steps(), model.initialState(batch));
            return model.loss(f.outputs(), batch, 0, batch.steps()).item();
        } finally {
            model.training(true);
        }
    }

    /** Completed steps. */
    public long completedSteps() { return step; }

    public TrainerState state() { return new TrainerState(step, dataIndex, rng.state(), elapsed); }

    /** Continues from {@code s}: step count, next batch, random generator, clock. */
    public void restore(TrainerState s) {
        step = s.step();
        dataIndex = s.dataIndex();
        rng.restore(s.rngState());
        elapsed = s.elapsedSeconds();
    }

    public Objective<S> model() { return model; }

    public Optimizer optimizer() { return optimizer; }

    public Dataset data() { return data; }

    public TrainOptions options() { return options; }

    /** Everything needed to resume, with {@code config} (the run's settings, stored as given). Tensors are live, not copies. */
    public Checkpoint checkpoint(JsonObject config) {
        return new Checkpoint(config, model.stateDict(), optimizer.toJson(), optimizer.stateTensors(), state());
    }

    /** Writes {@link #checkpoint} atomically into {@code dir} (see {@link Checkpoints#write}). */
    public void save(Path dir, JsonObject config) throws IOException { Checkpoints.write(dir, checkpoint(config)); }

    /** Loads weights, optimizer state and trainer state from {@code c}; nothing changes unless all of it fits. */
    public void resume(Checkpoint c) {
        TrainerState s = c.trainer();
        Map<String, Tensor> before = copies(model.stateDict());
        StateDict.load(model, c.weights());
        try {
            optimizer.load(c.optimizer(), c.optimizerState());
        } catch (RuntimeException e) {
            StateDict.load(model, before);
            throw e;
        }
        restore(s);
    }

    /** Value copies (exact for F32 and F64). */
    static Map<String, Tensor> copies(Map<String, Tensor> tensors) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, Tensor.of(t.backend(), t.dtype(), t.shape(), t.toDoubleArray())));
        return out;
    }

    /** The parameters and optimizer state at the start of a step, to put back when the step fails. */
    private static final class Snapshot {
        private final Map<String, Parameter> params;
        private final Optimizer optimizer;
        private final Map<String, Tensor> values, state;
        private final JsonObject json;

        Snapshot(Map<String, Parameter> params, Optimizer optimizer) {
            this.params = params;
            this.optimizer = optimizer;
            Map<String, Tensor> v = new LinkedHashMap<>();
            params.forEach((k, p) -> v.put(k, p.value()));
            this.values = copies(v);
            this.state = copies(optimizer.stateTensors());
            this.json = optimizer.toJson();
        }

        void restore() {
            try (GradMode.Scope off = GradMode.off()) {
                params.forEach((k, p) -> p.value().assign(values.get(k)));
            }
            optimizer.load(json, state);
        }
    }
}
