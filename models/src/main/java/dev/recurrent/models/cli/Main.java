package dev.recurrent.models.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The {@code rnn} command line. Each subcommand is its own class, listed in {@code subcommands} below.
 * Exit status: 0 on success, 2 for bad input (one line on stderr, no stack trace), 1 for an internal
 * error (one line; the stack trace too when the environment variable {@code RNN_DEBUG} is set).
 */
@Command(name = "rnn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Recurrent neural networks in Java: train, sample, check gradients, run PyTorch-compatible layers.",
        subcommands = {TrainCommand.class, SampleCommand.class, GradcheckCommand.class, LayerCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Where {@code rnn train} draws its progress bar: standard output when it is a terminal, else null (plain lines). */
    PrintStream terminal;

    public static void main(String[] args) {
        boolean tty = System.console() != null && !"dumb".equals(System.getenv("TERM"));     // Java 17: stdin and stdout are a terminal
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), tty ? System.out : null, args));
    }

    /** Runs a command line in process with these streams; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) { return run(out, err, null, args); }

    static int run(PrintWriter out, PrintWriter err, PrintStream terminal, String... args) {
        Main main = new Main();
        main.terminal = terminal;
        return execute(new CommandLine(main), out, err, args);
    }

    /** Runs {@code cmd} with these streams and the command line's error handling (one line, exit status 2 for bad input). */
    static int execute(CommandLine cmd, PrintWriter out, PrintWriter err, String... args) {
        cmd.setOut(out).setErr(err);
        cmd.setParameterExceptionHandler(Failures::onBadArguments);
        cmd.setExecutionExceptionHandler(Failures::onFailure);
        int status = cmd.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** {@code rnn} alone prints the usage and fails: a command is needed. */
    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command (" + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rnn " + (v != null ? v : "(development build)") + ", Java " + System.getProperty("java.version")};
        }
    }
}
