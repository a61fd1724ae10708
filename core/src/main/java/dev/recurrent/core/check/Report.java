package dev.recurrent.core.check;

import dev.recurrent.core.Shape;

import java.util.ArrayList;
import java.util.List;

/** What a {@link GradCheck} found: pass or fail, the worst element, and everything needed to reproduce it. */
public final class Report {
    private final String name, backend;
    private final double eps, rtol, atol;
    private final long seed;
    private final List<String> problems = new ArrayList<>();
    private double worstRatio, worstRelative, worstMismatch;
    private String worst = "";
    private String directional = "";
    private int mismatches;

    Report(String name, String backend, double eps, double rtol, double atol, long seed) {
        this.name = name;
        this.backend = backend;
        this.eps = eps;
        this.rtol = rtol;
        this.atol = atol;
        this.seed = seed;
    }

    void fail(String problem) { problems.add(problem); }

    void directional(double analytic, double numeric, boolean ok) {
        directional = "directional derivative along a random direction: analytic " + analytic + ", numeric " + numeric
                + (ok ? " (agree)" : " (DISAGREE)");
        if (!ok) fail(directional);
        note(analytic, numeric);
    }

    /** The element-by-element check is the finer one: when it finds every element within tolerance, it decides. */
    void settleDirectional() {
        if (mismatches == 0) problems.remove(directional);
    }

    void compare(int input, Shape shape, int element, int output, double analytic, double numeric) {
        double diff = Math.abs(analytic - numeric), tol = atol + rtol * Math.abs(numeric);
        double ratio = note(analytic, numeric);
        if (diff > tol) {
            mismatches++;
            if (ratio >= worstMismatch) {
                worstMismatch = ratio;
                worst = "input " + input + " " + shape + ", element " + index(shape, element)
                        + (output >= 0 ? ", output element " + output : "")
                        + ": analytic " + analytic + ", numeric " + numeric + " (|diff| " + diff + " > tolerance " + tol + ")";
            }
        }
    }

    private double note(double analytic, double numeric) {
        double diff = Math.abs(analytic - numeric);
        double ratio = diff / (atol + rtol * Math.abs(numeric));
        double big = Math.max(Math.abs(analytic), Math.abs(numeric));
        double rel = big > atol ? diff / big : 0;
        worstRatio = Math.max(worstRatio, ratio);
        worstRelative = Math.max(worstRelative, rel);
        return ratio;
    }

    static String index(Shape shape, int flat) {
        int[] idx = new int[shape.rank()];
        for (int d = shape.rank() - 1; d >= 0; d--) {
            idx[d] = flat % shape.dim(d);
            flat /= shape.dim(d);
        }
        return java.util.Arrays.toString(idx);
    }

    public boolean passed() { return problems.isEmpty() && mismatches == 0; }

    /** The worst |analytic - numeric| / max(|analytic|, |numeric|) seen (elements below atol count as 0). */
    public double worstError() { return worstRelative; }

    /** The worst |analytic - numeric| / (atol + rtol·|numeric|): at most 1 where every element passes. */
    public double worstRatio() { return worstRatio; }

    public String message() {
        StringBuilder s = new StringBuilder("GradCheck '").append(name).append("' ").append(passed() ? "passed" : "FAILED")
                .append(" on ").append(backend).append(" (F64, central differences, eps=").append(eps).append(", rtol=")
                .append(rtol).append(", atol=").append(atol).append(", seed=").append(seed).append(")");
        if (mismatches > 0) s.append("\n  ").append(mismatches).append(" element(s) disagree; worst: ").append(worst);
        for (String p : problems) if (!p.equals(directional) || mismatches == 0) s.append("\n  ").append(p);
        if (passed() && !directional.isEmpty()) s.append("\n  ").append(directional);
        return s.toString();
    }

    /** Throws an {@link AssertionError} carrying {@link #message()} unless the check passed. */
    public Report assertPasses() {
        if (!passed()) throw new AssertionError(message());
        return this;
    }

    @Override public String toString() { return message(); }
}
