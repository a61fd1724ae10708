package dev.recurrent.models.train;

import dev.recurrent.models.data.AddingProblem;
import dev.recurrent.models.data.Batch;
import dev.recurrent.models.data.BatchOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tasks the issue promises, learned end to end through {@link TrainingRun} (what {@code rnn train}
 * runs), with fixed seeds. Nothing here is timed: the adding runs stop early once the held-out error is
 * below 0.005 (checked every 50 steps), else at a step cap, and the assertions are on the error.
 */
class LearningTest {
    @Test
    void helloReachesNearZeroLossAndGreedySamplingFromHSpellsHello() {
        TrainConfig c = new TrainConfig();
        c.task = "hello";
        c.cell = "lstm";
        c.hidden = 16;
        c.batch = 1;
        c.lr = 0.05;
        c.steps = 150;
        TrainingRun run = TrainingRun.create(c, null);
        StepMetrics last = run.trainer().run();
        System.out.printf("hello: lstm H=16, %d steps, loss %.5f%n", last.step(), last.loss());
        assertTrue(last.loss() < 0.01, "loss " + last.loss());
        assertEquals("hello", run.sample("h", 4, 0, 0, 1));
    }

    /** Trains on the adding problem until the held-out MSE is below 0.005 or {@code cap} steps; returns that MSE. */
    private static double adding(String cell, int steps, double lr, long cap) {
        TrainConfig c = new TrainConfig();
        c.task = "adding";
        c.cell = cell;
        c.seqLen = steps;
        c.hidden = 16;
        c.batch = 32;
        c.lr = lr;
        c.clip = 1.0;
        c.steps = cap;
        c.seed = 1;
        TrainingRun run = TrainingRun.create(c, null);
        Batch heldOut = new AddingProblem(steps, BatchOptions.of(200, 12345)).batch(0);
        Trainer<?> t = run.trainer();
        double mse = t.evaluate(heldOut);
        while (t.completedSteps() < cap) {
            t.step();
            if (t.completedSteps() % 50 == 0 && (mse = t.evaluate(heldOut)) < 0.005) break;
        }
        System.out.printf("adding T=%d: %s H=16 B=32 Adam lr=%s, %d steps, held-out MSE %.5f (always 1.0 scores %.3f), %.1f s training%n",
                steps, cell, lr, t.completedSteps(), mse, AddingProblem.BASELINE_MSE, t.state().elapsedSeconds());
        return mse;
    }

    @Test
    void lstmSolvesTheAddingProblemAtLength50() { assertTrue(adding("lstm", 50, 0.02, 1500) < 0.01); }

    @Test
    void gruSolvesTheAddingProblemAtLength50() { assertTrue(adding("gru", 50, 0.02, 1500) < 0.01); }

    /** The vanishing-gradient story: with the same settings and budget, an Elman network does not get past the baseline. */
    @Test
    void elmanDoesClearlyWorseAtLength100() { assertTrue(adding("elman", 100, 0.02, 400) > 0.1); }
}
