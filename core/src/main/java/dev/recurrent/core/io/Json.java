package dev.recurrent.core.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) parser and string quoter, just enough for safetensors headers, so that
 * core needs no JSON library.
 *
 * <p>Values map to: object → {@link LinkedHashMap} in document order (a duplicate key is an error),
 * array → {@link List}, string → {@link String}, integer → {@link Long} (or {@link BigInteger} beyond the
 * long range), a number with a fraction or exponent → {@link BigDecimal}, {@code true}/{@code false} →
 * {@link Boolean}, {@code null} → {@link #NULL}. Anything that is not JSON (trailing commas, comments,
 * single quotes, leading zeros, raw control characters in strings, unpaired surrogates, text after the
 * value) fails with a {@link ParseException} giving the character offset.
 */
final class Json {
    /** The JSON {@code null} literal (so that a Java {@code null} always means "absent"). */
    static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    /** Deeper nesting than this is rejected rather than risking a StackOverflowError. */
    static final int MAX_DEPTH = 64;

    /** A syntax error, with the character offset where it was found. */
    static final class ParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        final int offset;

        ParseException(int offset, String message) {
            super("at character " + offset + ": " + message);
            this.offset = offset;
        }
    }

    private final String s;
    private int pos;

    private Json(String s) { this.s = s; }

    /** Parses one JSON value filling all of {@code text} (surrounding whitespace allowed). */
    static Object parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        if (p.pos == text.length()) throw new ParseException(0, "empty document");
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) throw p.error("unexpected " + p.describeHere() + " after the end of the value");
        return v;
    }

    /** The JSON type of a parsed value, for error messages. */
    static String typeName(Object v) {
        if (v == null) return "nothing";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "an array";
        if (v instanceof String) return "a string";
        if (v instanceof Long || v instanceof BigInteger) return "an integer";
        if (v instanceof BigDecimal) return "a non-integer number";
        if (v instanceof Boolean) return "a boolean";
        if (v == NULL) return "null";
        return v.getClass().getSimpleName();
    }

    /** {@code value} as a JSON string literal: quotes, escapes for {@code "}, {@code \} and control characters. */
    static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** The index of the first unpaired surrogate in {@code value} (not encodable as UTF-8), or -1. */
    static int unpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) i++;
                else return i;
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    // ---- parser -------------------------------------------------------------------------------------

    private Object value(int depth) {
        if (pos >= s.length()) throw error("unexpected end of input, expected a value");
        char c = s.charAt(pos);
        switch (c) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return string();
            case 't': literal("true"); return Boolean.TRUE;
            case 'f': literal("false"); return Boolean.FALSE;
            case 'n': literal("null"); return NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected " + describeHere() + ", expected a value");
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') { pos++; return map; }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("unexpected " + describeHere() + ", expected a string key");
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (map.putIfAbsent(key, v) != null) throw new ParseException(keyAt, "duplicate key " + quote(key));
            skipWhitespace();
            char c = peek();
            if (c == ',') { pos++; continue; }
            if (c == '}') { pos++; return map; }
            throw error("unexpected " + describeHere() + ", expected ',' or '}' in an object");
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') { pos++; return list; }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') { pos++; continue; }
            if (c == ']') { pos++; return list; }
            throw error("unexpected " + describeHere() + ", expected ',' or ']' in an array");
        }
    }

    private String string() {
        int start = pos;
        pos++; // opening quote
        StringBuilder b = null;
        int runStart = pos;
        while (true) {
            if (pos >= s.length()) throw new ParseException(start, "unterminated string");
            char c = s.charAt(pos);
            if (c == '"') {
                String out = b == null ? s.substring(runStart, pos) : b.append(s, runStart, pos).toString();
                pos++;
                int bad = unpairedSurrogate(out);
                if (bad >= 0) throw new ParseException(start, "string contains an unpaired surrogate (not valid Unicode)");
                return out;
            }
            if (c < 0x20) throw error("raw control character U+" + String.format("%04X", (int) c) + " in a string (must be escaped)");
            if (c != '\\') { pos++; continue; }
            if (b == null) b = new StringBuilder();
            b.append(s, runStart, pos);
            pos++;
            if (pos >= s.length()) throw new ParseException(start, "unterminated string");
            char e = s.charAt(pos++);
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(hex4());
                default -> { pos--; throw error("invalid escape '\\" + e + "' in a string"); }
            }
            runStart = pos;
        }
    }

    private char hex4() {
        if (pos + 4 > s.length()) throw error("truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos), 16);
            if (d < 0 || s.charAt(pos) > 'f') throw error("invalid hex digit " + describeHere() + " in a \\u escape");
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) throw new ParseException(start, "number with a leading zero");
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("expected a digit, found " + describeHere());
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            pos++;
            if (!isDigit(peek())) throw error("expected a digit after '.', found " + describeHere());
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("expected a digit in the exponent, found " + describeHere());
            while (isDigit(peek())) pos++;
        }
        String text = s.substring(start, pos);
        if (!integer) {
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException | ArithmeticException ex) {
                throw new ParseException(start, "number " + text + " is out of range");
            }
        }
        if (text.length() <= 18) return Long.parseLong(text); // always fits
        BigInteger big = new BigInteger(text);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) throw error("unexpected " + describeHere() + ", expected a value");
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) throw error("unexpected " + describeHere() + ", expected '" + c + "'");
        pos++;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    /** The current character, or 0 at the end (0 never starts or continues a valid token). */
    private char peek() { return pos < s.length() ? s.charAt(pos) : 0; }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private String describeHere() {
        if (pos >= s.length()) return "end of input";
        char c = s.charAt(pos);
        if (c < 0x20 || c == 0x7f) return "character U+" + String.format("%04X", (int) c);
        return "'" + c + "'";
    }

    private ParseException error(String message) { return new ParseException(pos, message); }
}
