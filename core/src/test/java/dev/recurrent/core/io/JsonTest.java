package dev.recurrent.core.io;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"o\": {\"a\": [1, -2, 0, 9223372036854775807, -9223372036854775808, 9223372036854775808],"
                + " \"s\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"},"
                + " \"n\": [1.5, -0.0, 1e3, 2E-1], \"t\": true, \"f\": false, \"z\": null, \"e\": [], \"m\": {}} \n");
        Map<?, ?> root = (Map<?, ?>) v;
        assertEquals(List.of("o", "n", "t", "f", "z", "e", "m"), List.copyOf(root.keySet()), "document order");
        Map<?, ?> o = (Map<?, ?>) root.get("o");
        assertEquals(List.of(1L, -2L, 0L, Long.MAX_VALUE, Long.MIN_VALUE, new BigInteger("9223372036854775808")), o.get("a"));
        assertEquals("x\"\\/\b\f\n\r\t\u00e9\uD83D\uDE00", o.get("s"));
        assertEquals(List.of(new BigDecimal("1.5"), new BigDecimal("-0.0"), new BigDecimal("1e3"), new BigDecimal("2E-1")), root.get("n"));
        assertEquals(Boolean.TRUE, root.get("t"));
        assertEquals(Boolean.FALSE, root.get("f"));
        assertSame(Json.NULL, root.get("z"));
        assertEquals(List.of(), root.get("e"));
        assertEquals(Map.of(), root.get("m"));
        assertEquals("raw UTF-8 ✓ 名前", Json.parse("\"raw UTF-8 ✓ 名前\""));
    }

    @Test
    void rejectsWhatIsNotStrictJson() {
        String[][] cases = {
                {"", "empty document"},
                {"   ", "empty document"},
                {"{\"a\":1,}", "expected a string key"},
                {"[1,]", "expected a value"},
                {"[1 2]", "expected ',' or ']'"},
                {"{\"a\":1 \"b\":2}", "expected ',' or '}'"},
                {"{a:1}", "expected a string key"},
                {"'a'", "expected a value"},
                {"// c\n{}", "expected a value"},
                {"{} x", "after the end of the value"},
                {"01", "leading zero"},
                {"-", "expected a digit"},
                {"1.", "expected a digit after '.'"},
                {"1e", "expected a digit in the exponent"},
                {"+1", "expected a value"},
                {"NaN", "expected a value"},
                {"nul", "expected a value"},
                {"\"abc", "unterminated string"},
                {"\"a\\", "unterminated string"},
                {"\"\\q\"", "invalid escape '\\q'"},
                {"\"\\u12zz\"", "invalid hex digit"},
                {"\"\\u12", "truncated \\u escape"},
                {"\"\\uD800\"", "unpaired surrogate"},
                {"\"\\uDC00\\uD800\"", "unpaired surrogate"},
                {"\"tab\there\"", "raw control character U+0009"},
                {"{\"k\":1,\"k\":1}", "duplicate key \"k\""},
                {"[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1), "nesting deeper than 64"},
        };
        for (String[] c : cases) {
            Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), "<" + c[0] + ">: message should contain <" + c[1] + ">; was <" + e.getMessage() + ">");
        }
        assertDoesNotThrow(() -> Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH)));
    }

    @Test
    void errorsGiveTheOffset() {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": [1, 2,, 3]}"));
        assertEquals(12, e.offset);
        assertTrue(e.getMessage().startsWith("at character 12: "), e.getMessage());
    }

    @Test
    void quoteEscapesWhatJsonRequires() {
        assertEquals("\"plain\"", Json.quote("plain"));
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\"", Json.quote("a\"b\\c\n\r\t\b\f\u0001\u001f"));
        assertEquals("\"é ✓ \uD83D\uDE00 /\"", Json.quote("é ✓ \uD83D\uDE00 /"));
    }

    @Property
    void quotedStringsParseBack(@ForAll("validUnicode") String s) {
        assertEquals(s, Json.parse(Json.quote(s)));
        assertEquals(Map.of(s, s), Json.parse("{" + Json.quote(s) + ":" + Json.quote(s) + "}"));
    }

    @Provide
    Arbitrary<String> validUnicode() {
        return Arbitraries.strings().all().ofMaxLength(40).filter(s -> Json.unpairedSurrogate(s) < 0);
    }

    @Test
    void findsUnpairedSurrogates() {
        assertEquals(-1, Json.unpairedSurrogate("ok \uD83D\uDE00"));
        assertEquals(1, Json.unpairedSurrogate("a\uD800"));
        assertEquals(0, Json.unpairedSurrogate("\uDE00a"));
        assertEquals(1, Json.unpairedSurrogate("a\uD800b"));
    }
}
