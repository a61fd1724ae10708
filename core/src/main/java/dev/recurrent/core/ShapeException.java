package dev.recurrent.core;

/** A user error about shapes or dtypes, raised before any kernel runs. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) { super(message); }

    /** Throws {@code "op: what; got a=[..], b=[..]"} unless {@code ok}. */
    public static void require(boolean ok, String op, String what, Shape a, Shape b) {
        if (!ok) throw new ShapeException(op + ": " + what + "; got a=" + a + ", b=" + b);
    }

    public static void require(boolean ok, String op, String what, Shape a) {
        if (!ok) throw new ShapeException(op + ": " + what + "; got " + a);
    }
}
