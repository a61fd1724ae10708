package dev.recurrent.models.train;

/** The parser of {@link Schedule} specs: {@code constant | step(N,G) | cosine(N[,M]) | warmup(N[,SPEC])}. */
final class Schedules {
    private final String text;
    private int pos;

    private Schedules(String text) { this.text = text; }

    static Schedule parse(String spec) {
        if (spec == null || spec.isBlank()) throw error(spec, "an empty schedule");
        Schedules p = new Schedules(spec.replace(" ", ""));
        Schedule s = p.schedule();
        if (p.pos != p.text.length()) throw error(spec, "unexpected '" + p.text.substring(p.pos) + "' after the schedule");
        return s;
    }

    private Schedule schedule() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) pos++;
        String name = text.substring(start, pos);
        boolean args = pos < text.length() && text.charAt(pos) == '(';
        if (args) pos++;
        Schedule s = switch (name) {
            case "constant" -> new Schedule.Constant();
            case "step" -> new Schedule.Step(integer(name), comma() ? decimal(name) : fail(name, "step(interval,gamma)"));
            case "cosine" -> {
                long total = integer(name);
                yield new Schedule.Cosine(total, comma() ? decimal(name) : 0);
            }
            case "warmup" -> {
                long steps = integer(name);
                yield new Schedule.Warmup(steps, comma() ? schedule() : new Schedule.Constant());
            }
            default -> throw error(text, "unknown schedule '" + name + "'; expected constant, step(N,GAMMA), cosine(N[,MIN]) or warmup(N[,SCHEDULE])");
        };
        if (args) {
            if (pos >= text.length() || text.charAt(pos) != ')') throw error(text, "missing ')' after the arguments of " + name);
            pos++;
        } else if (!name.equals("constant")) {
            throw error(text, name + " needs arguments, e.g. " + example(name));
        }
        return s;
    }

    private boolean comma() {
        if (pos < text.length() && text.charAt(pos) == ',') {
            pos++;
            return true;
        }
        return false;
    }

    private long integer(String name) {
        String tok = token();
        try {
            return Long.parseLong(tok);
        } catch (NumberFormatException e) {
            throw error(text, name + ": expected a whole number of updates; got '" + tok + "' (e.g. " + example(name) + ")");
        }
    }

    private double decimal(String name) {
        String tok = token();
        try {
            return Double.parseDouble(tok);
        } catch (NumberFormatException e) {
            throw error(text, name + ": expected a number; got '" + tok + "' (e.g. " + example(name) + ")");
        }
    }

    private String token() {
        int start = pos;
        while (pos < text.length() && ",()".indexOf(text.charAt(pos)) < 0) pos++;
        return text.substring(start, pos);
    }

    private double fail(String name, String form) { throw error(text, name + " needs two arguments: " + form); }

    private static String example(String name) {
        return switch (name) {
            case "step" -> "step(100,0.5)";
            case "cosine" -> "cosine(1000,0.1)";
            case "warmup" -> "warmup(50,cosine(950))";
            default -> "constant";
        };
    }

    private static IllegalArgumentException error(String spec, String what) {
        return new IllegalArgumentException("schedule '" + spec + "': " + what);
    }
}
