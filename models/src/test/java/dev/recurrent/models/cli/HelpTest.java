package dev.recurrent.models.cli;

import dev.recurrent.models.cli.Cli.Run;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.recurrent.models.cli.Cli.rnn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --help on every command: exit 0, the usage on stdout, every option listed. */
class HelpTest {
    static final Map<String, List<String>> OPTIONS = Map.of(
            "train", List.of("--cell", "--task", "--text", "--hidden", "--layers", "--bidirectional", "--batch", "--seq-len", "--steps", "--lr",
                    "--optimizer", "--clip", "--tbptt", "--backend", "--seed", "--out", "--resume", "--sample-every", "Exit status"),
            "sample", List.of("--from", "--prime", "--length", "--temperature", "--top-k", "--seed", "--backend"),
            "gradcheck", List.of("--backend", "Exit status"),
            "layer", List.of("--output", "--backend"));

    @Test
    void everyCommandHasHelp() {
        Run top = rnn("--help");
        assertEquals(0, top.status());
        for (String command : OPTIONS.keySet()) {
            assertTrue(top.out().contains(command), "rnn --help lists " + command + ":\n" + top.out());
            for (Run r : List.of(rnn(command, "--help"), rnn(command, "-h"), rnn("help", command))) {
                assertEquals(0, r.status(), r.err());
                assertEquals("", r.err());
                assertTrue(r.out().startsWith("Usage: rnn " + command), r.out());
                for (String o : OPTIONS.get(command)) assertTrue(r.out().contains(o), command + " help mentions " + o + ":\n" + r.out());
            }
        }
        assertTrue(rnn("--version").out().startsWith("rnn "));
    }
}
