package dev.recurrent.models.data;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The symbols of a character-level task: the distinct characters (Unicode code points) of a text, sorted
 * by code point, numbered 0, 1, 2, ... in that order. Sorting makes the numbering depend only on which
 * characters occur, never on where, so the same text always gives the same vocabulary.
 */
public final class Vocabulary {
    private final int[] symbols;                 // id -> code point, ascending
    private final Map<Integer, Integer> ids = new TreeMap<>();

    private Vocabulary(int[] symbols) {
        this.symbols = symbols;
        for (int i = 0; i < symbols.length; i++) ids.put(symbols[i], i);
    }

    /** The distinct characters of {@code text}, sorted. */
    public static Vocabulary of(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("Vocabulary: the text is empty; it needs at least one character");
        return new Vocabulary(text.codePoints().distinct().sorted().toArray());
    }

    /** The vocabulary whose symbols are exactly the characters of {@code chars}, which must be sorted and distinct (as {@link #chars()} gives). */
    public static Vocabulary fromChars(String chars) {
        Vocabulary v = of(chars);
        if (!v.chars().equals(chars)) {
            throw new IllegalArgumentException("Vocabulary.fromChars: the characters must be distinct and sorted by code point (as chars() writes them)");
        }
        return v;
    }

    /** Every symbol in id order, as one string (what a checkpoint stores). */
    public String chars() { return new String(symbols, 0, symbols.length); }

    /** Number of symbols. */
    public int size() { return symbols.length; }

    /** True when {@code codePoint} is a symbol. */
    public boolean contains(int codePoint) { return ids.containsKey(codePoint); }

    /** The id of one character. */
    public int id(int codePoint) {
        Integer id = ids.get(codePoint);
        if (id == null) {
            throw new IllegalArgumentException("character " + describe(codePoint) + " is not in the vocabulary of " + size() + " characters");
        }
        return id;
    }

    /** The ids of every character of {@code text}. */
    public int[] encode(String text) {
        int[] cps = text.codePoints().toArray();
        int[] out = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            Integer id = ids.get(cps[i]);
            if (id == null) {
                throw new IllegalArgumentException("character " + describe(cps[i]) + " at index " + i + " is not in the vocabulary of "
                        + size() + " characters");
            }
            out[i] = id;
        }
        return out;
    }

    /** The character of one id. */
    public String decode(int id) {
        if (id < 0 || id >= symbols.length) throw new IllegalArgumentException("symbol id " + id + " is outside 0.." + (symbols.length - 1));
        return new String(symbols, id, 1);
    }

    /** The text of a sequence of ids. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) sb.append(decode(id));
        return sb.toString();
    }

    private static String describe(int cp) {
        String shown = Character.isISOControl(cp) || Character.isWhitespace(cp) ? "" : "'" + new String(new int[] {cp}, 0, 1) + "' ";
        return shown + String.format("(U+%04X)", cp);
    }

    @Override public boolean equals(Object o) { return o instanceof Vocabulary v && Arrays.equals(symbols, v.symbols); }

    @Override public int hashCode() { return Arrays.hashCode(symbols); }

    @Override public String toString() { return "Vocabulary[" + size() + " symbols]"; }
}
