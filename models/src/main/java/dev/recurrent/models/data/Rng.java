package dev.recurrent.models.data;

import java.util.Random;

/**
 * A seeded random number generator whose whole state is one {@code long}, so a training run can store it
 * in a checkpoint and continue with exactly the numbers it would have drawn (java.util.Random hides its
 * state). SplitMix64 (Steele, Lea and Flood 2014): {@code state += 0x9E3779B97F4A7C15}, then a 64-bit
 * finaliser mixes {@code state} into the output.
 *
 * <p>It extends {@link Random}, so it can be passed to anything that takes one (dropout, initialisers).
 * {@link #nextGaussian()} is Box-Muller with one value per call (no hidden cached second value), using
 * {@link StrictMath}, so the same seed gives the same values on every JVM.
 */
public final class Rng extends Random {
    private static final long serialVersionUID = 1L;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator whose state starts at {@code seed}. */
    public Rng(long seed) {
        super(seed);
        this.state = seed;
    }

    /**
     * An independent generator for item {@code index} of the stream {@code seed}: the numbers for batch 7
     * do not depend on whether batches 0..6 were drawn, so a data sampler's whole state is the next index.
     */
    public static Rng forIndex(long seed, long index) { return new Rng(mix(mix(seed) + GOLDEN * (index + 1))); }

    /** The state; {@code new Rng(state())} or {@link #restore} continues with the same numbers. */
    public long state() { return state; }

    /** Continues from a state returned by {@link #state()}. */
    public void restore(long saved) { state = saved; }

    /** Same as {@link #restore}: the seed is the state. */
    @Override
    public synchronized void setSeed(long seed) { state = seed; }

    /** The next 64 random bits. */
    @Override
    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    @Override
    protected int next(int bits) { return (int) (nextLong() >>> (64 - bits)); }

    /** Uniform in [0, 1) with 53 random bits. */
    @Override
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** Standard normal, Box-Muller from two uniforms (one value per call). */
    @Override
    public synchronized double nextGaussian() {
        double u1 = 1.0 - nextDouble();          // (0, 1], so the log is finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) { return lo + (hi - lo) * nextDouble(); }

    /** The SplitMix64 finaliser (also the mixing function of Java's SplittableRandom). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
