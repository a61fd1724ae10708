package dev.recurrent.models.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Running {@code rnn} in process, with captured output, and the checks every bad-input case shares. */
final class Cli {
    private Cli() { }

    record Run(int status, String out, String err) { }

    static Run rnn(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    /** Exit status 2, exactly one line on stderr mentioning {@code mention}, no stack trace. */
    static void assertBadInput(Run r, String mention) {
        assertEquals(2, r.status(), "exit status; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.isEmpty(), "an error message on stderr");
        assertEquals(1, err.lines().count(), "one line on stderr: " + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception:"), "no stack trace: " + err);
        assertTrue(err.contains(mention), "the message mentions '" + mention + "': " + err);
    }

    /** Every regular file under {@code dir} (relative path to bytes), to show that nothing changed. */
    static Map<String, byte[]> snapshot(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertEquals(before.keySet(), after.keySet(), "the same files");
        before.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, after.get(k)), k + " is unchanged"));
    }
}
