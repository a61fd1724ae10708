/**
 * Training: losses, optimizers, schedules, clipping, truncated BPTT, the NaN/Inf guard, checkpoints,
 * sampling and the training loop.
 *
 * <pre>
 *   TrainConfig --TrainingRun.create--> Dataset + RecurrentModel (an Objective) + Optimizer + Trainer
 *   Trainer.step():  batch = data.batch(i)                      (pure function of seed and i)
 *                    for each Tbptt window: forward, Loss, guard, backward, guard, Gradients.clip,
 *                                           Schedule, Optimizer.step
 *                    StepMetrics -> StepListener               (progress bar, metrics.csv)
 *   Trainer.save(dir) / TrainingRun.save(dir) -> Checkpoints.write (atomic directory)
 *   TrainingRun.resume(dir) -> bitwise the same weights as a run that was never interrupted
 * </pre>
 *
 * A researcher's own model implements {@link dev.recurrent.models.train.Objective} (parameters, initial
 * state, forward over a window of steps, detach) and trains with the same {@link dev.recurrent.models.train.Trainer}.
 */
package dev.recurrent.models.train;
