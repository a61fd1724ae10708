/**
 * The {@code rnn} command line (picocli; {@code ../rnn} builds and runs {@code models/target/rnn.jar}).
 *
 * <pre>
 *   rnn train [options]         TrainCommand: settings -> TrainConfig -> TrainingRun; TrainingSession runs it
 *   rnn sample --from DIR       SampleCommand: TrainingRun.loadForSampling, then Sampling
 *   rnn gradcheck [--backend]   GradcheckCommand: OpChecks (every Tensor op) + CellChecks (every cell), CheckTable
 *   rnn layer CASE -o OUT       LayerCommand: a PyTorch conformance case
 * </pre>
 *
 * A run folder ({@code --out}, default {@code runs/<time>-<task>-<cell>}) holds:
 * <pre>
 *   config.json    the run's exact settings, model spec, vocabulary and backend (as in the checkpoint)
 *   metrics.csv    step,loss,grad_norm,lr,time_s: one row per step, flushed as it goes (MetricsLog)
 *   loss.png       the loss curve (LossPlot, XChart, drawn headless)
 *   checkpoint/    weights, optimizer state, trainer state (Checkpoints: written atomically), saved
 *                  with every sample and at the end; what --resume and rnn sample read
 * </pre>
 *
 * Errors follow {@link dev.recurrent.models.cli.Failures}: bad input is one line on stderr and exit status
 * 2, before anything is written; a run never writes into a folder that already holds something, except
 * the run it resumes.
 */
package dev.recurrent.models.cli;
