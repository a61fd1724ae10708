package dev.recurrent.models.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table {@code rnn gradcheck} prints: one row per check (name, worst relative error, pass/FAIL), then a verdict. */
final class CheckTable {
    private final List<String> names = new ArrayList<>();
    private final List<GradientCheck.Outcome> outcomes = new ArrayList<>();

    CheckTable add(String name, GradientCheck.Outcome outcome) {
        names.add(name);
        outcomes.add(outcome);
        return this;
    }

    /** Names of the checks that failed, in table order. */
    List<String> failures() {
        List<String> f = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) if (!outcomes.get(i).passed()) f.add(names.get(i));
        return f;
    }

    /** The rows, the verdict, and the full report of every failed check. */
    String render() {
        int w = Math.max("check".length(), names.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-" + w + "s  %16s  %s%n", "check", "worst rel. error", "result"));
        s.append("-".repeat(w + 26)).append(System.lineSeparator());
        for (int i = 0; i < names.size(); i++) {
            GradientCheck.Outcome o = outcomes.get(i);
            String err = Double.isNaN(o.worstError()) ? "-" : String.format(Locale.ROOT, "%.1e", o.worstError());
            s.append(String.format(Locale.ROOT, "%-" + w + "s  %16s  %s%n", names.get(i), err, o.passed() ? "pass" : "FAIL"));
        }
        List<String> failed = failures();
        s.append("-".repeat(w + 26)).append(System.lineSeparator());
        s.append(failed.isEmpty() ? names.size() + " checks, all passed" : names.size() + " checks, " + failed.size() + " FAILED: " + String.join(", ", failed))
                .append(System.lineSeparator());
        for (int i = 0; i < names.size(); i++) {
            if (outcomes.get(i).passed()) continue;
            s.append(System.lineSeparator()).append(outcomes.get(i).detail().strip()).append(System.lineSeparator());
        }
        return s.toString();
    }
}
