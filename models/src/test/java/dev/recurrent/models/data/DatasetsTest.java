package dev.recurrent.models.data;

import dev.recurrent.core.DType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DatasetsTest {
    private static final BatchOptions F64 = BatchOptions.of(16, 5).withDtype(DType.F64);

    @Test
    void addingProblemTargetIsTheSumOfTheTwoMarkedValues() {
        int t = 20, b = 16;
        AddingProblem task = new AddingProblem(t, F64);
        for (long index : new long[] {0, 1, 99}) {
            Batch batch = task.batch(index);
            double[] x = batch.inputs().toDoubleArray(), y = batch.targets().toDoubleArray(), m = batch.mask().toDoubleArray();
            for (int j = 0; j < b; j++) {
                double sum = 0;
                int marks = 0, first = -1, second = -1;
                for (int s = 0; s < t; s++) {
                    double value = x[(s * b + j) * 2], marker = x[(s * b + j) * 2 + 1];
                    assertTrue(value >= 0 && value < 1);
                    assertTrue(marker == 0 || marker == 1);
                    if (marker == 1) {
                        sum += value;
                        marks++;
                        if (first < 0) first = s; else second = s;
                    }
                    assertEquals(s == t - 1 ? 1.0 : 0.0, m[s * b + j], "only the last step is scored");
                }
                assertEquals(2, marks);
                assertTrue(first < t / 2 && second >= t / 2, "one mark in each half");
                assertEquals(sum, y[(t - 1) * b + j], 0.0);
            }
        }
    }

    @Test
    void batchesArePureFunctionsOfSeedAndIndex() {
        AddingProblem a = new AddingProblem(10, F64), same = new AddingProblem(10, F64);
        AddingProblem otherSeed = new AddingProblem(10, BatchOptions.of(16, 6).withDtype(DType.F64));
        assertArrayEquals(a.batch(3).inputs().toDoubleArray(), same.batch(3).inputs().toDoubleArray());
        assertFalse(java.util.Arrays.equals(a.batch(3).inputs().toDoubleArray(), a.batch(4).inputs().toDoubleArray()));
        assertFalse(java.util.Arrays.equals(a.batch(3).inputs().toDoubleArray(), otherSeed.batch(3).inputs().toDoubleArray()));
        a.batch(0);
        assertArrayEquals(same.batch(7).targets().toDoubleArray(), a.batch(7).targets().toDoubleArray(), "no hidden sampler state");
    }

    @Test
    void helloTaskReadsHellAndPredictsEllo() {
        HelloTask hello = new HelloTask(BatchOptions.of(2, 0));
        Batch b = hello.batch(0);
        Vocabulary v = hello.vocabulary().orElseThrow();
        assertEquals("ehlo", v.chars());
        assertEquals(4, b.steps());
        int[] first = new int[4], next = new int[4];
        for (int s = 0; s < 4; s++) {
            first[s] = b.inputIds()[s * 2];
            next[s] = b.targetIds()[s * 2 + 1];
        }
        assertEquals("hell", v.decode(first));
        assertEquals("ello", v.decode(next));
        assertEquals(1.0, b.inputs().get(0, 0, v.id('h')));
    }

    @Test
    void textWindowsAreShiftedByOneCharacter() {
        String text = Corpus.tiny();
        assertTrue(text.length() > 2000, "the shipped corpus is a few KB");
        TextDataset d = TextDataset.of(text, 12, BatchOptions.of(3, 9));
        Vocabulary v = d.vocabulary().orElseThrow();
        assertEquals(v.chars(), text.codePoints().distinct().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
        Batch b = d.batch(4);
        int[] off = d.offsets(4);
        for (int j = 0; j < 3; j++) {
            StringBuilder in = new StringBuilder(), out = new StringBuilder();
            for (int s = 0; s < 12; s++) {
                in.append(v.decode(b.inputIds()[s * 3 + j]));
                out.append(v.decode(b.targetIds()[s * 3 + j]));
            }
            assertEquals(text.substring(off[j], off[j] + 12), in.toString());
            assertEquals(text.substring(off[j] + 1, off[j] + 13), out.toString());
        }
        assertArrayEquals(off, TextDataset.of(text, 12, BatchOptions.of(3, 9)).offsets(4));
    }

    @Test
    void copyTaskRecallsTheSymbolsAfterTheDelimiter() {
        CopyTask c = new CopyTask(3, 4, 5, BatchOptions.of(2, 1));
        Batch b = c.batch(0);
        assertEquals(10, b.steps());
        double[] m = b.mask().toDoubleArray();
        for (int j = 0; j < 2; j++) {
            for (int s = 0; s < 3; s++) {
                int symbol = b.inputIds()[s * 2 + j];
                assertTrue(symbol >= 1 && symbol <= 5);
                assertEquals(symbol, b.targetIds()[(7 + s) * 2 + j]);
                assertEquals(1.0, m[(7 + s) * 2 + j]);
            }
            assertEquals(6, b.inputIds()[6 * 2 + j], "delimiter on the last waiting step");
            for (int s = 3; s < 6; s++) assertEquals(0, b.inputIds()[s * 2 + j]);
            for (int s = 0; s < 7; s++) assertEquals(0.0, m[s * 2 + j]);
        }
        assertEquals(6.0, b.weight(0, 10));
    }

    @Test
    void sineTargetsAreTheNextValue() {
        SineWave many = new SineWave(30, false, F64);
        Batch b = many.batch(2);
        double[] x = b.inputs().toDoubleArray(), y = b.targets().toDoubleArray();
        for (int s = 0; s + 1 < 30; s++) {
            for (int j = 0; j < 16; j++) assertEquals(x[(s + 1) * 16 + j], y[s * 16 + j], 1e-12);
        }
        assertNull(b.mask());
        Batch one = new SineWave(30, true, F64).batch(2);
        assertArrayEquals(x, one.inputs().toDoubleArray(), "same waves for the same seed and index");
        assertEquals(16.0, one.weight(0, 30));
        assertEquals(0.0, one.weight(0, 29));
        double[] y1 = one.targets().toDoubleArray();
        for (int j = 0; j < 16; j++) assertEquals(y[29 * 16 + j], y1[29 * 16 + j], 0.0);
    }

    @Test
    void batchSlicesKeepEverythingAligned() {
        Batch b = new CopyTask(2, 2, 3, BatchOptions.of(2, 1)).batch(0).slice(3, 6);
        assertEquals(3, b.steps());
        assertEquals(2, b.size());
        assertEquals(6, b.targetIds().length);
        assertEquals(3, b.mask().dim(0));
    }

    @Test
    void badInputIsReportedClearly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertEquals("adding: the sequence length must be at least 2 (two marked steps); got 1",
                assertThrows(IllegalArgumentException.class, () -> new AddingProblem(1, F64)).getMessage());
        assertEquals("text: a sequence of 64 characters needs a text of at least 65 characters; got 5",
                assertThrows(IllegalArgumentException.class, () -> TextDataset.of("hello", 64, F64)).getMessage());
        assertEquals("batch size must be positive; got 0", assertThrows(IllegalArgumentException.class, () -> BatchOptions.of(0, 1)).getMessage());
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertEquals("text file " + empty + " is empty", assertThrows(IllegalArgumentException.class, () -> Corpus.read(empty)).getMessage());
        Path missing = dir.resolve("missing.txt");
        assertEquals("text file " + missing + " does not exist", assertThrows(IllegalArgumentException.class, () -> Corpus.read(missing)).getMessage());
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        assertEquals("text file " + latin1 + " is not valid UTF-8", assertThrows(IllegalArgumentException.class, () -> Corpus.read(latin1)).getMessage());
    }
}
