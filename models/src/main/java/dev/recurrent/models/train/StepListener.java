package dev.recurrent.models.train;

/** Called by the {@link Trainer} after every completed step (progress bars, metrics files, checkpoints). */
@FunctionalInterface
public interface StepListener {
    void onStep(StepMetrics metrics);
}
