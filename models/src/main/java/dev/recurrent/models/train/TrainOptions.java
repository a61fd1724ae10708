package dev.recurrent.models.train;

/**
 * How a {@link Trainer} runs. Immutable; change one setting with a {@code with*} method.
 *
 * @param steps     total training steps (one batch each); {@link Trainer#run()} stops there
 * @param schedule  the learning-rate factor per optimizer update
 * @param clipNorm  clip gradients to this global norm ({@code 0}: no norm clipping)
 * @param clipValue clip every gradient element into {@code [-clipValue, clipValue]} ({@code 0}: none);
 *                  applied after norm clipping when both are set
 * @param tbptt     how each batch is cut into update windows ({@link Tbptt#full()}: one window)
 */
public record TrainOptions(long steps, Schedule schedule, double clipNorm, double clipValue, Tbptt tbptt) {

    public TrainOptions {
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0; got " + steps);
        if (schedule == null) throw new IllegalArgumentException("a schedule is needed (Schedule.constant() for none)");
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) throw new IllegalArgumentException("clip norm must be finite and >= 0 (0 = off); got " + clipNorm);
        if (!(clipValue >= 0) || Double.isInfinite(clipValue)) throw new IllegalArgumentException("clip value must be finite and >= 0 (0 = off); got " + clipValue);
        if (tbptt == null) throw new IllegalArgumentException("a tbptt setting is needed (Tbptt.full() for none)");
    }

    /** {@code steps} steps, constant learning rate, no clipping, full BPTT. */
    public static TrainOptions of(long steps) { return new TrainOptions(steps, Schedule.constant(), 0, 0, Tbptt.full()); }

    public TrainOptions withSteps(long n) { return new TrainOptions(n, schedule, clipNorm, clipValue, tbptt); }

    public TrainOptions withSchedule(Schedule s) { return new TrainOptions(steps, s, clipNorm, clipValue, tbptt); }

    public TrainOptions withClipNorm(double max) { return new TrainOptions(steps, schedule, max, clipValue, tbptt); }

    public TrainOptions withClipValue(double max) { return new TrainOptions(steps, schedule, clipNorm, max, tbptt); }

    public TrainOptions withTbptt(Tbptt t) { return new TrainOptions(steps, schedule, clipNorm, clipValue, t); }
}
