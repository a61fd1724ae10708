package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import dev.recurrent.core.DType;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.data.Batch;
import dev.recurrent.models.data.BatchOptions;
import dev.recurrent.models.data.CopyTask;
import dev.recurrent.models.data.Dataset;
import dev.recurrent.models.data.Rng;
import dev.recurrent.models.data.SineWave;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.recurrent.models.train.TbpttTest.assertSameWeights;
import static dev.recurrent.models.train.TrainFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    @TempDir Path dir;

    // ---- resume-equivalence ----------------------------------------------------------------------

    /** A run built from scratch the same way each time, as the command line would from a config. */
    private record Run(Trainer<?> trainer, RecurrentModel<?> model) {
        static Run of(String kind, long initSeed) {
            Rng rng = new Rng(1234);
            if (kind.equals("gru-sine")) {
                // two layers with dropout (uses the RNG), overlapping truncated BPTT windows, Adam with warm-up + cosine, clipping
                ModelSpec spec = ModelSpec.of("gru", 1, 6, 1).withLayers(2).withDropout(0.25);
                RecurrentModel<?> m = RecurrentModel.create(spec, initSeed, rng);
                Optimizer o = Optimizers.create("adam", m.parameters(), 0.02);
                TrainOptions opts = TrainOptions.of(6).withTbptt(new Tbptt(3, 5)).withClipNorm(0.5)
                        .withSchedule(Schedule.warmup(2, Schedule.cosine(10, 0.1)));
                return new Run(new Trainer<>(m, o, new SineWave(9, false, BatchOptions.of(4, 77)), opts, rng), m);
            }
            // an LSTM on a masked classification task with SGD + Nesterov and value clipping, F64
            CopyTask copy = new CopyTask(2, 2, 3, BatchOptions.of(3, 5).withDtype(DType.F64));
            RecurrentModel<?> m = RecurrentModel.create(ModelSpec.of("lstm", copy.inputSize(), 5, copy.outputSize()).withDtype(DType.F64), initSeed, rng);
            Optimizer o = Optimizers.create("nesterov", m.parameters(), 0.1, 1e-3);
            return new Run(new Trainer<>(m, o, copy, TrainOptions.of(6).withClipValue(0.1).withSchedule(Schedule.step(2, 0.5)), rng), m);
        }
    }

    @Test
    void resumingFromTheMiddleGivesBitwiseTheSameWeights() throws Exception {
        for (String kind : List.of("gru-sine", "lstm-copy")) {
            Path ckpt = dir.resolve(kind);
            JsonObject config = new JsonObject();
            config.addProperty("kind", kind);
            Run whole = Run.of(kind, 3);
            List<Double> losses = new ArrayList<>();
            whole.trainer().listener(m -> {
                losses.add(m.loss());
                if (m.step() == 3) {
                    try {
                        whole.trainer().save(ckpt, config);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            whole.trainer().run();

            Run resumed = Run.of(kind, 99);                           // different init: the checkpoint must overwrite it
            Checkpoint c = Checkpoints.read(ckpt);
            assertEquals(config, c.config());
            assertEquals(3, c.trainer().step());
            resumed.trainer().resume(c);
            List<Double> later = new ArrayList<>();
            resumed.trainer().listener(m -> later.add(m.loss()));
            resumed.trainer().run();

            assertEquals(6, resumed.trainer().completedSteps());
            assertEquals(losses.subList(3, 6), later, kind + ": losses after the resume");
            assertSameWeights(whole.model().parameters(), resumed.model().parameters());
            Map<String, Tensor> s1 = whole.trainer().optimizer().stateTensors(), s2 = resumed.trainer().optimizer().stateTensors();
            s1.forEach((k, t) -> assertArrayEquals(t.toDoubleArray(), s2.get(k).toDoubleArray(), 0.0, kind + " " + k));
            assertEquals(whole.trainer().state().rngState(), resumed.trainer().state().rngState());
        }
    }

    // ---- NaN/Inf guard ---------------------------------------------------------------------------

    /** Sine batches, except that batch {@code bad} has a NaN input. */
    private static Dataset poisoned(long bad) {
        SineWave sine = new SineWave(5, false, BatchOptions.of(2, 3).withDtype(DType.F64));
        return new Dataset() {
            @Override public String name() { return "poisoned"; }
            @Override public Batch batch(long index) {
                Batch b = sine.batch(index);
                if (index != bad) return b;
                double[] x = b.inputs().toDoubleArray();
                x[3] = Double.NaN;
                return Batch.regression(Tensor.of(b.inputs().backend(), DType.F64, b.inputs().shape(), x), b.targets(), null);
            }
            @Override public int inputSize() { return 1; }
            @Override public int outputSize() { return 1; }
            @Override public boolean classification() { return false; }
            @Override public int steps() { return 5; }
        };
    }

    @Test
    void aNanLossStopsTheStepAndLeavesWeightsAndCheckpointIntact() throws Exception {
        RecurrentModel<?> m = RecurrentModel.create(ModelSpec.of("elman", 1, 4, 1).withDtype(DType.F64), 1, null);
        Trainer<?> t = new Trainer<>(m, Adam.adam(m.parameters(), 0.01), poisoned(2), TrainOptions.of(10), new Rng(0));
        t.step();
        t.step();
        Path ckpt = dir.resolve("last");
        t.save(ckpt, new JsonObject());
        String before = Checkpoints.sha256(ckpt.resolve(Checkpoints.MODEL)) + Checkpoints.sha256(ckpt.resolve(Checkpoints.OPTIMIZER));
        Map<String, Tensor> weights = Trainer.copies(m.stateDict());
        JsonObject opt = t.optimizer().toJson();

        NonFiniteException e = assertThrows(NonFiniteException.class, t::step);
        assertEquals("step 3: the loss was NaN; stopped before the update, parameters unchanged", e.getMessage());
        assertNull(e.parameter());
        assertEquals(3, e.step());
        m.stateDict().forEach((k, v) -> assertArrayEquals(weights.get(k).toDoubleArray(), v.toDoubleArray(), 0.0, k));
        assertEquals(opt, t.optimizer().toJson());
        assertEquals(2, t.completedSteps());
        assertEquals(before, Checkpoints.sha256(ckpt.resolve(Checkpoints.MODEL)) + Checkpoints.sha256(ckpt.resolve(Checkpoints.OPTIMIZER)));
        assertEquals(2, Checkpoints.read(ckpt).trainer().step());
        m.parameters().values().forEach(p -> assertNull(p.value().grad(), "gradients cleared"));
    }

    /**
     * A model whose parameter {@code b} gets an infinite gradient (d sqrt(b)/db at b = 0) from step
     * {@code badFrom} of a sequence on, while {@code a} always gets a finite one.
     */
    private static final class SqrtModel implements Objective<Tensor> {
        final Parameter a = param(0.5), b = param(0.0);
        final int badFrom;

        SqrtModel(int badFrom) { this.badFrom = badFrom; }

        @Override public Map<String, Parameter> parameters() { return params("a", a, "b", b); }
        @Override public Tensor initialState(Batch batch) { return null; }
        @Override public Tensor detach(Tensor s) { return s; }

        @Override
        public Forward<Tensor> forward(Batch batch, int from, int to, Tensor state) {
            Tensor y = batch.inputs().slice(0, from, to).mul(a.value().reshape(1, 1, 1));
            if (to > badFrom) y = y.add(b.value().sqrt().reshape(1, 1, 1));
            return new Forward<>(y, null);
        }
    }

    @Test
    void aNonFiniteGradientIsNamedAndNothingChanges() {
        SqrtModel model = new SqrtModel(0);
        Trainer<?> t = new Trainer<>(model, new Sgd(model.parameters(), 0.1), new SineWave(4, false, BatchOptions.of(2, 1).withDtype(DType.F64)),
                TrainOptions.of(5), new Rng(0));
        NonFiniteException e = assertThrows(NonFiniteException.class, t::step);
        assertEquals("b", e.parameter());
        assertTrue(e.getMessage().startsWith("step 1: the gradient of 'b' is not finite ("), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at element 0 of [1]); stopped before the update, parameters unchanged"), e.getMessage());
        assertEquals(0.5, value(model.a));
        assertEquals(0.0, value(model.b));
    }

    @Test
    void aFailureInALaterWindowRollsBackTheEarlierWindowsOfTheStep() {
        SqrtModel model = new SqrtModel(3);                          // windows [0,2) fine, [2,4) bad
        Adam adam = Adam.adam(model.parameters(), 0.1);
        Rng rng = new Rng(5);
        Trainer<?> t = new Trainer<>(model, adam, new SineWave(4, false, BatchOptions.of(2, 1).withDtype(DType.F64)),
                TrainOptions.of(5).withTbptt(Tbptt.of(2)), rng);
        JsonObject opt = adam.toJson();
        NonFiniteException e = assertThrows(NonFiniteException.class, t::step);
        assertTrue(e.getMessage().startsWith("step 1 (window 2 of 2, steps 2..3): the gradient of 'b' is not finite"), e.getMessage());
        assertEquals(0.5, value(model.a), "the update of window 1 was undone");
        assertEquals(opt, adam.toJson());
        assertEquals(0.0, adam.stateTensors().get("a.exp_avg").item());
        assertEquals(5, rng.state());
    }

    @Test
    void metricsAreReportedPerStep() {
        RecurrentModel<?> m = RecurrentModel.create(ModelSpec.of("gru", 1, 3, 1).withDtype(DType.F64), 1, null);
        List<StepMetrics> seen = new ArrayList<>();
        Trainer<?> t = new Trainer<>(m, new Sgd(m.parameters(), 0.05), new SineWave(6, false, BatchOptions.of(2, 1).withDtype(DType.F64)),
                TrainOptions.of(3).withTbptt(Tbptt.of(2)).withSchedule(Schedule.step(3, 0.5)), new Rng(0)).listener(seen::add);
        StepMetrics last = t.run();
        assertEquals(3, seen.size());
        assertSame(last, seen.get(2));
        for (int i = 0; i < 3; i++) {
            StepMetrics s = seen.get(i);
            assertEquals(i + 1, s.step());
            assertEquals(3, s.updates());
            assertTrue(s.loss() > 0 && s.gradNorm() > 0 && s.elapsedSeconds() >= s.stepSeconds());
            assertEquals(0.05 * Math.pow(0.5, i), s.learningRate(), 1e-15, "the step schedule halves every 3 updates, the last of each step");
        }
        assertTrue(last.csv().startsWith("3,"));
        assertEquals(StepMetrics.CSV_HEADER.split(",").length, last.csv().split(",").length);
    }

    @Test
    void theOptimizerMustHoldTheModelsParameters() {
        RecurrentModel<?> m = RecurrentModel.create(ModelSpec.of("gru", 1, 3, 1), 1, null);
        Optimizer other = new Sgd(params("w", param(1.0)), 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer<>(m, other, new SineWave(3, false, BatchOptions.of(1, 1)), TrainOptions.of(1), new Rng(0)));
        assertTrue(e.getMessage().startsWith("trainer: the optimizer must hold exactly the model's parameters"), e.getMessage());
    }
}
