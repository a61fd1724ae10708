package dev.recurrent.models;

/**
 * Sees, and may replace, the state after each step of an unrolled sequence. Used to perturb the state at
 * one step (per-time-step gradient checks) or to record it. Must return a state of the same shapes.
 */
@FunctionalInterface
public interface StepTap<S> {
    S apply(int t, S state);
}
