package dev.recurrent.models.data;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class VocabularyTest {
    @Test
    void symbolsAreTheSortedDistinctCharacters() {
        Vocabulary v = Vocabulary.of("hello world");
        assertEquals(" dehlorw", v.chars());
        assertEquals(8, v.size());
        assertEquals(0, v.id(' '));
        assertEquals(3, v.id('h'));
        assertArrayEquals(new int[] {3, 2, 4, 4, 5}, v.encode("hello"));
        assertEquals("world", v.decode(v.encode("world")));
    }

    @Property(tries = 50, seed = "11")
    void encodeDecodeRoundTrip(@ForAll @StringLength(min = 1, max = 40) String text) {
        Vocabulary v = Vocabulary.of(text);
        assertEquals(text, v.decode(v.encode(text)));
        assertEquals(v, Vocabulary.fromChars(v.chars()));
        for (int i = 0; i < v.size(); i++) assertEquals(i, v.encode(v.decode(i))[0]);
    }

    @Test
    void codePointsOutsideTheBasicPlaneAreOneSymbol() {
        Vocabulary v = Vocabulary.of("a😀b");
        assertEquals(3, v.size());
        assertEquals("b😀a", v.decode(v.encode("b😀a")));
    }

    @Test
    void errorsNameTheCharacter() {
        Vocabulary v = Vocabulary.of("abc");
        assertEquals("character 'z' (U+007A) at index 2 is not in the vocabulary of 3 characters",
                assertThrows(IllegalArgumentException.class, () -> v.encode("abz")).getMessage());
        assertEquals("character (U+000A) at index 0 is not in the vocabulary of 3 characters",
                assertThrows(IllegalArgumentException.class, () -> v.encode("\n")).getMessage());
        assertEquals("symbol id 3 is outside 0..2", assertThrows(IllegalArgumentException.class, () -> v.decode(3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(""));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromChars("ba"));
    }
}
