package dev.recurrent.models.train;

/**
 * What one training step measured (a row of {@code metrics.csv}).
 *
 * @param step           the step number, 1 for the first
 * @param loss           the step's loss: the weighted mean over its truncated-BPTT windows (one window
 *                       without truncation); 0 when no window had anything to score
 * @param gradNorm       the global gradient norm before clipping (the largest over the step's updates)
 * @param learningRate   the learning rate of the step's last update
 * @param updates        optimizer updates made in the step (the number of scored windows)
 * @param stepSeconds    wall time of this step
 * @param elapsedSeconds training wall time so far, including time before a resume
 */
public record StepMetrics(long step, double loss, double gradNorm, double learningRate, int updates, double stepSeconds, double elapsedSeconds) {

    /** The header of {@link #csv()}. */
    public static final String CSV_HEADER = "step,loss,grad_norm,lr,time_s";

    /** {@code step,loss,grad_norm,lr,time_s} with the elapsed time. */
    public String csv() { return step + "," + loss + "," + gradNorm + "," + learningRate + "," + String.format(java.util.Locale.ROOT, "%.3f", elapsedSeconds); }
}
