package dev.recurrent.models.train;

import dev.recurrent.models.data.Rng;
import dev.recurrent.models.data.Vocabulary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SamplingTest {
    @Test
    void temperatureZeroIsTheArgMaxLowestIndexOnTies() {
        Rng r = new Rng(1);
        assertEquals(2, Sampling.choose(new double[] {0.1, -3, 4, 3.9}, 0, 0, r));
        assertEquals(1, Sampling.choose(new double[] {0, 5, 5, 1}, 0, 0, r));
        assertEquals(new Rng(1).state(), r.state(), "greedy decoding draws no random number");
    }

    @Test
    void topOneIsGreedyAtAnyTemperature() {
        Rng r = new Rng(2);
        for (int i = 0; i < 50; i++) assertEquals(3, Sampling.choose(new double[] {1, 2, 0, 2.5}, 5.0, 1, r));
    }

    @Test
    void topKNeverPicksOutsideTheKLargest() {
        Rng r = new Rng(3);
        int[] counts = new int[4];
        for (int i = 0; i < 2000; i++) counts[Sampling.choose(new double[] {1, 0.9, 0, 1.1}, 10.0, 2, r)]++;
        assertEquals(0, counts[1]);
        assertEquals(0, counts[2]);
        assertTrue(counts[0] > 800 && counts[3] > 800);
    }

    @Test
    void probabilitiesFollowTheSoftmaxAtTheTemperature() {
        Rng r = new Rng(4);
        int ones = 0, n = 4000;
        for (int i = 0; i < n; i++) ones += Sampling.choose(new double[] {0, Math.log(3)}, 1.0, 0, r);
        assertEquals(0.75, (double) ones / n, 0.03);
        ones = 0;
        for (int i = 0; i < n; i++) ones += Sampling.choose(new double[] {0, 2 * Math.log(3)}, 2.0, 0, r);
        assertEquals(0.75, (double) ones / n, 0.03, "T = 2 halves the logits");
    }

    @Test
    void seededGenerationReproduces() {
        Vocabulary v = Vocabulary.of("abcdefg ");
        RecurrentModel<?> m = RecurrentModel.create(ModelSpec.of("lstm", v.size(), 8, v.size()), 3, null);
        String a = Sampling.generate(m, v, "ab", 40, 1.0, 0, 17), b = Sampling.generate(m, v, "ab", 40, 1.0, 0, 17);
        assertEquals(a, b);
        assertEquals(42, a.length());
        assertTrue(a.startsWith("ab"));
        String g1 = Sampling.generate(m, v, "ab", 10, 0, 0, 1), g2 = Sampling.generate(m, v, "ab", 10, 0, 0, 2);
        assertEquals(g1, g2, "greedy decoding does not depend on the seed");
        assertEquals("sampling: the prime text must have at least one character",
                assertThrows(IllegalArgumentException.class, () -> Sampling.generate(m, v, "", 3, 1, 0, 1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sampling.generate(m, v, "xyz", 3, 1, 0, 1)).getMessage()
                .startsWith("character 'x' (U+0078) at index 0 is not in the vocabulary"));
    }
}
