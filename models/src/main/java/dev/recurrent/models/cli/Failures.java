package dev.recurrent.models.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Turns exceptions into the command line's contract: one clear line on stderr, exit status 2 for bad
 * input (arguments, files, metadata, backend names) and 1 for anything else; no stack trace unless
 * {@code RNN_DEBUG} is set.
 */
final class Failures {
    static final int BAD_INPUT = 2, INTERNAL = 1;

    private Failures() { }

    static int onBadArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(qualifiedName(cmd) + ": " + oneLine(e.getMessage()) + " (see '" + qualifiedName(cmd) + " --help')");
        return BAD_INPUT;
    }

    static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean badInput = e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException;
        String message = e instanceof NoSuchFileException ? "no such file: " + e.getMessage()
                : e instanceof AccessDeniedException ? "permission denied: " + e.getMessage()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cmd.getErr().println(qualifiedName(cmd) + ": " + (badInput ? "" : "internal error: " + e.getClass().getSimpleName() + ": ") + oneLine(message));
        if (System.getenv("RNN_DEBUG") != null) e.printStackTrace(cmd.getErr());
        return badInput ? BAD_INPUT : INTERNAL;
    }

    private static String qualifiedName(CommandLine cmd) {
        return cmd.getParent() == null ? cmd.getCommandName() : qualifiedName(cmd.getParent()) + " " + cmd.getCommandName();
    }

    private static String oneLine(String s) { return s.replaceAll("\\s*\\R\\s*", " ").trim(); }
}
