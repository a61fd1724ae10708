package dev.recurrent.models.cli;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.check.Report;

import java.util.function.Function;

/**
 * One named gradient check of {@code rnn gradcheck}: run on a backend, it gives an {@link Outcome}.
 *
 * @param name what is checked, as the table shows it
 * @param run  runs the check on a backend
 */
record GradientCheck(String name, Function<Backend, GradientCheck.Outcome> run) {

    /**
     * @param worstError the worst relative error |analytic - numeric| / max(|analytic|, |numeric|) (NaN: the check did not run)
     * @param passed     whether every element was within tolerance (and backward repeatable and linear)
     * @param detail     GradCheck's report, or the error that stopped the check
     */
    record Outcome(double worstError, boolean passed, String detail) {
        static Outcome of(Report r) { return new Outcome(r.worstError(), r.passed(), r.message()); }
    }

    /** Runs the check; an exception is a failed check, with its message. */
    Outcome runOn(Backend backend) {
        try {
            return run.apply(backend);
        } catch (RuntimeException | AssertionError e) {
            return new Outcome(Double.NaN, false, name + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
