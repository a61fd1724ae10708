package dev.recurrent.models.data;

import java.util.List;

/** The built-in tasks by name, for configs and the command line. */
public final class Tasks {
    /** Every task name {@link #create} knows. */
    public static final List<String> NAMES = List.of("hello", "adding", "copy", "sine", "sine1", "text");

    private Tasks() { }

    /**
     * The task called {@code name}:
     * <ul>
     *   <li>{@code hello}: read "hell", predict "ello" ({@code steps} is ignored);</li>
     *   <li>{@code adding}: the adding problem over {@code steps} steps;</li>
     *   <li>{@code copy}: remember 10 symbols of 8 for {@code steps} steps ({@link CopyTask#standard});</li>
     *   <li>{@code sine}: next-value prediction at every step (many-to-many) over {@code steps} steps;</li>
     *   <li>{@code sine1}: the value after {@code steps} steps (many-to-one);</li>
     *   <li>{@code text}: next-character prediction over {@code text} (the shipped corpus when null).</li>
     * </ul>
     */
    public static Dataset create(String name, int steps, String text, BatchOptions options) {
        return switch (name) {
            case "hello" -> new HelloTask(options);
            case "adding" -> new AddingProblem(steps, options);
            case "copy" -> CopyTask.standard(steps, options);
            case "sine" -> new SineWave(steps, false, options);
            case "sine1" -> new SineWave(steps, true, options);
            case "text" -> TextDataset.of(text != null ? text : Corpus.tiny(), steps, options);
            default -> throw new IllegalArgumentException("unknown task '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }
}
