package dev.recurrent.models.cli;

import dev.recurrent.core.backend.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code rnn gradcheck [--backend NAME]}: every op and every built-in cell against finite differences, as a table. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Checks the gradient of every op and every built-in cell on a backend against central finite differences, and prints a table.",
        footerHeading = "%nDetails:%n",
        footer = {
            "Each check runs in float64 on small seeded inputs: every element of the gradient against",
            "(f(x + eps) - f(x - eps)) / 2eps, eps = 1e-6, passing when |analytic - numeric| <= 1e-6 + 1e-4 |numeric|;",
            "it also checks that backward is repeatable and linear in the upstream gradient. The cells are checked",
            "through time (BPTT over a few steps) and step by step (dL/dh_t at every t). A failed check prints",
            "GradCheck's report: the input, the element, both values, eps, tolerances and seed."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every check passed", "1:a check failed (or an internal error)", "2:bad input (an unknown or unavailable backend)"})
final class GradcheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to check (default: -Drnn.backend, RNN_BACKEND, else the best available).")
    String backend;

    private final List<GradientCheck> checks;

    /** Every op and every built-in cell. */
    GradcheckCommand() {
        this(all());
    }

    /** These checks instead (tests: a deliberately wrong gradient must make the command fail). */
    GradcheckCommand(List<GradientCheck> checks) { this.checks = List.copyOf(checks); }

    static List<GradientCheck> all() {
        List<GradientCheck> all = new ArrayList<>(OpChecks.all());
        all.addAll(CellChecks.all());
        return all;
    }

    @Override public Integer call() {
        Backend be = Choices.backend(backend);
        PrintWriter out = spec.commandLine().getOut();
        out.println("gradcheck on " + be.describe());
        out.println();
        out.flush();
        CheckTable table = new CheckTable();
        for (GradientCheck c : checks) table.add(c.name(), c.runOn(be));
        out.print(table.render());
        out.flush();
        List<String> failed = table.failures();
        if (failed.isEmpty()) return 0;
        spec.commandLine().getErr().println("rnn gradcheck: " + failed.size() + " of " + checks.size() + " checks failed on " + be.name()
                + ": " + String.join(", ", failed));
        return 1;
    }
}
